"""The non-actor conformance corpus on both backends (issue 12): every case in
conformance/language and conformance/library gives the expected answers on the interpreter
and on the BEAM (compiled by compiler_bt at stage 0), and the two backends agree statement by
statement; so do the conformance/actors cases listed below (issue 14: actors, supervisors,
Erlang interop, models and tools on the BEAM)."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from beamtalk.bootstrap.conform import conform

CORPUS = Path(__file__).resolve().parent.parent / "conformance"

pytestmark = pytest.mark.skipif(shutil.which("erl") is None, reason="needs Erlang/OTP")


def assert_both_pass(paths: list[Path]) -> None:
    """The cases pass on both backends, which agree statement by statement."""
    out = io.StringIO()
    status = conform([str(p) for p in paths], "both", verbose=False, out=out)
    text = out.getvalue()
    assert status == 0, text[-6000:]
    summary = text.splitlines()[-1]
    assert summary.endswith(" 0 failed") and not summary.startswith("0 passed"), summary


@pytest.mark.slow
@pytest.mark.parametrize("folder", ["language", "library"])
def test_both_backends_pass_and_agree(folder):
    assert_both_pass([CORPUS / folder])


# The actor cases both backends pass and agree on (the others: supervision, interop, agents).
ACTOR_CASES = [
    "act_await_arguments", "act_await_timeout", "act_callbacks", "act_concurrency",
    "act_deadlock", "act_errors", "act_example_counter", "act_futures", "act_initialize",
    "act_kill_running", "act_live_class", "act_live_methods", "act_ownership", "act_reference",
    "act_reflection", "act_self_sends", "act_spawn", "act_stop_kill", "act_time",
    "act_transcript",
]


@pytest.mark.slow
def test_actor_cases_pass_and_agree_on_both_backends():
    assert_both_pass([CORPUS / "actors" / f"{name}.bt" for name in ACTOR_CASES])


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


# The interop, agent and supervision cases of conformance/actors (issue 14), on both backends.
INTEROP_CASES = ["act_erlang.bt", "act_erlang_interp.bt", "act_models.bt", "act_tools.bt",
                 "act_supervisor.bt", "act_supervisor_restart.bt"]


@pytest.mark.slow
def test_interop_models_and_supervisor_cases_pass_on_both_backends():
    assert_both_pass([CORPUS / "actors" / name for name in INTEROP_CASES])
