"""Source files the command line reads (issue 10 item 9): a UTF-8 byte order mark is
accepted, and invalid UTF-8 gives the same message and exit status for every command."""

from __future__ import annotations

import pytest

from beamtalk.bootstrap.cli import main


@pytest.mark.parametrize("command", ["parse", "check", "run"])
def test_a_byte_order_mark_is_accepted(tmp_path, capsys, command):
    path = tmp_path / "bom.bt"
    path.write_bytes(b"\xef\xbb\xbfx := 1 + 2\nTranscript showCr: x printString\n")
    assert main([command, str(path)]) == 0
    out = capsys.readouterr()
    assert "error" not in out.out + out.err
    if command == "run":
        assert out.out == "3\n"


@pytest.mark.parametrize("command", ["parse", "check", "run"])
def test_invalid_utf8_is_exit_1_for_every_command(tmp_path, capsys, command):
    path = tmp_path / "bad.bt"
    path.write_bytes(b"x := 'caf\xe9'\n")
    assert main([command, str(path)]) == 1
    assert f"{path}: not valid UTF-8 (byte 9)" in capsys.readouterr().err
