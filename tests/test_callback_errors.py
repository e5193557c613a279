"""An error inside a `whenResolved:` callback is reported on standard error by `beamtalk run`
and the script goes on, the same on both backends (conformance/actors/act_callback_errors.bt
has the semantics; this checks what a user sees)."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

SCRIPT = """Actor subclass: Echo
  v: x => ^x
e := Echo spawn
f := e v: 1
f await
f whenResolved: [:v | v / 0]
Transcript showCr: 'after'
"""


def run(path, backend: str) -> subprocess.CompletedProcess:
    """`beamtalk run --backend BACKEND path`."""
    return subprocess.run([sys.executable, "-m", "beamtalk.bootstrap.cli", "run", "--backend",
                           backend, str(path)], capture_output=True, text=True, timeout=300)


def test_interpreter_reports_a_callback_error_and_goes_on(tmp_path):
    script = tmp_path / "cb.bt"
    script.write_text(SCRIPT, encoding="utf-8")
    done = run(script, "interp")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "after\n"
    assert done.stderr == "ERROR in a callback: Division by zero\n"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("erl") is None, reason="needs Erlang/OTP")
def test_beam_reports_it_the_same_way(tmp_path):
    script = tmp_path / "cb.bt"
    script.write_text(SCRIPT, encoding="utf-8")
    interp, beam = run(script, "interp"), run(script, "beam")
    assert beam.returncode == 0, beam.stderr
    assert (beam.stdout, beam.stderr) == (interp.stdout, interp.stderr)
