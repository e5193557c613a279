"""Source files the command line reads (issue 10 item 9): a UTF-8 byte order mark is
accepted, and invalid UTF-8 gives the same message and exit status for every command."""

from __future__ import annotations

import shutil
import subprocess
import sys

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


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("erl") is None, reason="needs Erlang/OTP")
@pytest.mark.parametrize("command", ["run", "build"])
def test_a_byte_order_mark_is_accepted_by_the_beam(tmp_path, command):
    path = tmp_path / "bom.bt"
    path.write_bytes(b"\xef\xbb\xbfx := 1 + 2\nTranscript showCr: x printString\n")
    if command == "run":
        argv = ["run", "--backend", "beam", str(path)]
    else:
        argv = ["build", str(path), "-o", str(tmp_path / "out")]
    done = subprocess.run([sys.executable, "-m", "beamtalk.bootstrap.cli", *argv],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "error" not in done.stdout + done.stderr
    if command == "run":
        assert done.stdout == "3\n"
    else:
        assert sorted(p.suffix for p in (tmp_path / "out").iterdir()) == [".beam", ".beam"]
