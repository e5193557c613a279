"""The whole conformance corpus on both backends (issues 12 and 14): every case in
conformance/language, conformance/library and conformance/actors gives the expected answers on
the interpreter and on the BEAM (compiled by compiler_bt: the native compiler when `beamtalk
bootstrap` has built it, else stage 0), and the two backends agree statement by statement."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from beamtalk.bootstrap.conform import conform

CORPUS = Path(__file__).resolve().parent.parent / "conformance"

pytestmark = pytest.mark.skipif(shutil.which("erl") is None, reason="needs Erlang/OTP")


@pytest.mark.slow
@pytest.mark.parametrize("folder", ["language", "library", "actors"])
def test_both_backends_pass_and_agree(folder):
    out = io.StringIO()
    status = conform([str(CORPUS / folder)], "both", verbose=False, out=out)
    text = out.getvalue()
    assert status == 0, text[-6000:]
    summary = text.splitlines()[-1]
    assert summary.endswith(" 0 failed") and not summary.startswith("0 passed"), summary


@pytest.mark.slow
def test_run_on_the_beam_prints_the_transcript_and_stops_at_the_first_error(tmp_path, capsys):
    from beamtalk.bootstrap.cli import main

    script = tmp_path / "s.bt"
    script.write_text("Object subclass: P\n  state: x = 1\n  double => self.x * 2\n\n"
                      "Transcript showCr: (P new x: 21) double printString\n"
                      "Transcript showCr: System arguments printString\n"
                      "1 / 0\nTranscript showCr: 'not reached'\n", encoding="utf-8")
    assert main(["run", "--backend", "beam", str(script), "a", "b"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "42\n#('a', 'b')\n"
    assert captured.err.strip() == f"{script}:7: ERROR: zero_divide: Division by zero"


@pytest.mark.slow
def test_system_exit_on_the_beam_ends_run_with_its_status(tmp_path, capsys):
    from beamtalk.bootstrap.cli import main

    script = tmp_path / "x.bt"
    script.write_text("Transcript showCr: 'before'\nSystem exit: 3\nTranscript showCr: 'after'\n",
                      encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        main(["run", "--backend", "beam", str(script)])
    assert exited.value.code == 3
    captured = capsys.readouterr()
    assert captured.out == "before\n"
    assert captured.err == ""
