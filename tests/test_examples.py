"""Every example runs with `beamtalk run` (actor examples wait for the actors issue)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
NEEDS_ACTORS = {"counter.bt"}


@pytest.mark.parametrize("path", sorted(p for p in EXAMPLES.glob("*.bt")
                                        if p.name not in NEEDS_ACTORS), ids=lambda p: p.name)
def test_example_runs(path):
    done = subprocess.run([sys.executable, "-m", "beamtalk.bootstrap.cli", "run", str(path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip(), "an example shows what it does"
    assert "Traceback" not in done.stderr


def test_tour_output():
    done = subprocess.run([sys.executable, "-m", "beamtalk.bootstrap.cli", "run",
                           str(EXAMPLES / "tour.bt")], capture_output=True, text=True, timeout=120)
    lines = done.stdout.splitlines()
    assert lines[0] == "p = (3, 4), q = (13, 8), |p|^2 = 25"
    assert "caught: Division by zero" in lines
    assert lines[-1] == "(2 ** 100) = 1267650600228229401496703205376"
