"""Bounded resources (issue 10 item 3): the corpus passes under `ulimit -v 8000000`, a
fan-out to 100,000 actors uses a bounded pool of threads, and deep recursion still works
(and runaway recursion is still a catchable StackOverflow) inside actors."""

from __future__ import annotations

import io
import os
import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from beamtalk.interp.session import Session, evaluate, run_with_big_stack

pytestmark = pytest.mark.usefixtures("close_runtimes")  # tests/conftest.py

ROOT = Path(__file__).resolve().parent.parent
VM_LIMIT_KB = 8_000_000


def limit_address_space() -> None:
    """In the child: `ulimit -v 8000000` (kilobytes)."""
    limit = VM_LIMIT_KB * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


@pytest.mark.slow
def test_the_whole_corpus_passes_under_an_8_gb_address_space_limit():
    beamtalk = Path(sys.executable).with_name("beamtalk")
    done = subprocess.run([str(beamtalk), "conform", "conformance"], cwd=ROOT,
                          capture_output=True, text=True, preexec_fn=limit_address_space,
                          env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    assert "Traceback" not in done.stdout + done.stderr
    summary = re.search(r"(\d+) passed, (\d+) failed", done.stdout)
    assert summary is not None, done.stdout[-2000:] + done.stderr[-2000:]
    assert summary.group(2) == "0", done.stdout[-4000:]
    minimum = int((ROOT / "conformance" / "MINIMUM_EXPECTATIONS").read_text().split()[0])
    assert int(summary.group(1)) >= minimum - 100  # the BEAM-only interop cases are skipped
    assert done.returncode == 0


FAN_OUT = """Actor subclass: Cell
  state: n = 0
  double => self.n * 2
cells := (1 to: {n}) collect: [:i | Cell spawn n: i]
futures := cells collect: [:c | c double]
futures inject: 0 into: [:sum :f | sum + f await]
"""


def fan_out(n: int) -> tuple[str, int, int]:
    """The sum of a fan-out to n actors, the pool's peak workers and its bound."""

    def go() -> tuple[str, int, int]:
        session = Session(out=io.StringIO())
        outcomes = session.run_source(FAN_OUT.format(n=n), "t.bt")
        scheduler = session.rt.scheduler
        return (session.print_string(outcomes[-1].value), scheduler.peak_workers,
                scheduler.max_running)

    return run_with_big_stack(go)


def test_a_fan_out_to_5000_actors_uses_at_most_the_pool_s_workers():
    total, peak, bound = fan_out(5000)
    assert total == str(5000 * 5001)
    assert 1 <= peak <= bound


@pytest.mark.slow
def test_a_fan_out_to_100000_actors_uses_a_bounded_pool_in_a_limited_address_space():
    code = ("import sys; sys.path.insert(0, 'tests')\n"
            "from test_resource_limits import fan_out\n"
            "print(*fan_out(100_000))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, preexec_fn=limit_address_space)
    assert done.returncode == 0, done.stderr[-2000:]
    total, peak, bound = done.stdout.split()
    assert total == str(100_000 * 100_001)
    assert 1 <= int(peak) <= int(bound)


def test_10000_nested_activations_inside_an_actor_and_a_catchable_overflow():
    src = ("Actor subclass: Deep\n"
           "  down: n => n = 0 ifTrue: [^0]. ^1 + (self down: n - 1)\n"
           "  forever: n => ^1 + (self forever: n + 1)\n"
           "  guarded => [self forever: 0] on: StackOverflow do: [:e | e kind]\n"
           "d := Deep spawn\n(d down: 9999) await\nd guarded\n(d forever: 0) await\n"
           "d down: 10000")
    assert evaluate(src)[-4:] == ["9999", "#stack_overflow",
                                  "ERROR: stack_overflow: Stack depth limit exceeded", "10000"]
