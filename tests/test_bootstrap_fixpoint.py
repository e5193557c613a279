"""`beamtalk bootstrap --check` (issue 13): compiler_bt compiles itself through stages 0-3 and
reaches the fixpoint (stage 0 == stage 1 == stage 2 Core Erlang, stage 2 == stage 3 beams).
Slow tier: stage 0 runs compiler_bt on the interpreter (minutes on a fresh checkout; a
second run reuses `_build/bootstrap/`)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BEAMTALK = Path(sys.executable).with_name("beamtalk")

pytestmark = [pytest.mark.skipif(shutil.which("erl") is None, reason="needs Erlang/OTP"),
              pytest.mark.slow]


def test_bootstrap_check_reaches_the_fixpoint():
    done = subprocess.run([str(BEAMTALK), "bootstrap", "--check"], capture_output=True,
                          text=True, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert [ln.split(":")[0] for ln in lines if ln.startswith("stage ") and " s" in ln
                                          and "==" not in ln] == [
        "stage 0", "stage 1", "stage 2", "stage 3"]
    compared = [ln for ln in lines if "==" in ln]
    assert len(compared) == 3 and all(ln.endswith(("modules", "files")) and "identical" in ln
                                       for ln in compared), done.stdout
    assert lines[-1] == "fixpoint reached"
