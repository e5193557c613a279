"""Every example runs with `beamtalk run`, and shows what its header comment says; on the BEAM
(`run --backend beam`) every example prints exactly what the interpreter prints."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def run_example(name: str, backend: str = "interp") -> subprocess.CompletedProcess:
    """`beamtalk run --backend BACKEND examples/NAME` in a fresh process."""
    return subprocess.run([sys.executable, "-m", "beamtalk.bootstrap.cli", "run",
                           "--backend", backend, str(EXAMPLES / name)],
                          capture_output=True, text=True, timeout=300)


def output_lines(name: str) -> list[str]:
    done = run_example(name)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.bt")), ids=lambda p: p.name)
def test_example_runs(path):
    done = run_example(path.name)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip(), "an example shows what it does"
    assert "Traceback" not in done.stderr
    assert not done.stderr.strip(), "no warnings either"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("erl") is None, reason="needs Erlang/OTP")
@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.bt")), ids=lambda p: p.name)
def test_example_prints_the_same_on_the_beam(path):
    interp = run_example(path.name)
    beam = run_example(path.name, "beam")
    assert interp.returncode == 0, interp.stderr
    assert beam.returncode == 0, beam.stderr
    assert beam.stdout == interp.stdout
    assert beam.stderr == interp.stderr


def test_tour_output():
    lines = output_lines("tour.bt")
    assert lines[0] == "p = (3, 4), q = (13, 8), |p|^2 = 25"
    assert "caught: Division by zero" in lines
    assert lines[-1] == "(2 ** 100) = 1267650600228229401496703205376"


def test_counter_output():
    assert output_lines("counter.bt") == [
        "after one increment: 1",
        "incrementing",
        "after the redefined increment: 11",
        "responds to #getValue: true",
        "Counter methods: #(#getValue, #increment)",
        "still alive: true",
    ]


def test_agents_team_passes_work_between_agents():
    lines = output_lines("agents_team.bt")
    assert lines[0] == ("design: split it into a parser and an evaluator "
                        "(from: notes on the interpreter)")
    assert lines[1] == "critic: review 1: approved"
    assert lines[2] == ("lead: add a cache in front of the evaluator (from: notes on the "
                        "compiler) => review 2: approved, but write the tests first")
    assert "the researcher kept 2 notes" in lines
    assert lines[-2:] == ["agents alive: 4 of 4", "after stop: 0 alive"]


def test_fanout_runs_agents_concurrently():
    lines = output_lines("fanout.bt")
    assert "sent 10 queries, collected as futures: true" in lines
    assert "10 answers, all equal: true: Analyze this code" in lines
    assert ("all 10 workers met at the gate; answers in send order: "
            "#(1, 4, 9, 16, 25, 36, 49, 64, 81, 100)") in lines
    assert lines[-1] == "they overlapped (took under 1 s, not 2 s): true"


def test_live_redefinition_changes_answers_without_killing():
    lines = output_lines("live_redefinition.bt")
    assert lines[:3] == [f"before: {n} on 'v1': looks fine" for n in ("ada", "alan", "grace")]
    # the messages running during the change finish on the code they started with
    assert lines[3:6] == [f"running during the change: {n} on 'draft': looks fine"
                          for n in ("ada", "alan", "grace")]
    assert lines[6:9] == [f"after: {n} on 'v2': needs work (review 3)"
                          for n in ("ada", "alan", "grace")]
    assert lines[-1] == "all alive: true; reviews each: #(3, 3, 3)"


def test_supervised_agent_is_restarted():
    lines = output_lines("supervised_agent.bt")
    assert "restarts before the crash: 0" in lines
    assert "restarts after the crash: 1" in lines
    assert "old child alive: false; new child alive: true; same actor: false" in lines
    assert "the new child starts afresh: what is OTP? (answer 1 of this actor)" in lines
    assert "the critic was left alone: same actor true, reviews 2" in lines
    assert "restarts: 3; team alive: true" in lines
    assert lines[-1] == ("after a fourth crash the supervisor gave up: team stopped true, "
                         "critic stopped true")


def test_memory_and_tools():
    lines = output_lines("memory_and_tools.bt")
    assert lines[0] == "tools: #(sum, words); the default registry still has 0"
    assert "words in the brief: 6" in lines
    assert "sum of the scores: 12" in lines
    assert "the tool failed: #+ expects a Number, got a String" in lines
    assert lines[-5:] == [
        "memory (4 notes, none from the failed calls):",
        "  count the words: chose words",
        "  words gave 6",
        "  add the scores: chose sum",
        "  sum gave 12",
    ]


def test_run_exits_promptly_with_actors_still_busy(tmp_path):
    script = tmp_path / "busy.bt"
    script.write_text(
        "Actor subclass: Spinner\n  spin => [true] whileTrue: [(Delay forMilliseconds: 10) wait]\n"
        "s := Spinner spawn\npending := #() add: s spin\nTranscript showCr: 'done'\n",
        encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "beamtalk.bootstrap.cli", "run", str(script)],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "done\n"
