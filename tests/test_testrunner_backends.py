"""`beamtalk test --backend beam` against the interpreter's `beamtalk test` (issue 12): the
same files give the same standard output, standard error and exit status on both backends.
The runner's protocol itself (stdlib/TestCase.bt) has conformance cases:
conformance/library/testcase_runner.bt."""

from __future__ import annotations

import io
import shutil

import pytest

from beamtalk.bootstrap.beam_tests import run_beam_tests
from beamtalk.bootstrap.testrunner import run_tests

RUNNERS = {"interp": run_tests, "beam": run_beam_tests}

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("erl") is None, reason="needs Erlang/OTP")]

PASSING = """// Every test passes; setUp's answer is the instance tested.
TestCase subclass: Good
  state: base = 1
  setUp => self withBase: 20
  testBase => self assert: self.base equals: 20
  testRaise => self should: [1 / 0] raise: ZeroDivide
  testWarns =>
    Transcript show: 'warned: '
    self assert: (Warning signal: 'careful') isNil
Good subclass: Better
  testMore => self deny: self.base = 1
"""

FAILING = """abstract TestCase subclass: Base
  tearDown => Transcript show: 'down '
  testBroken => self assert: 1 + 1 equals: 3

Base subclass: Mixed
  testOk => self assert: true
  testError => nil foo
  testNoRaise => self should: [1] raise: ZeroDivide
  testLines => self fail: 'two
lines'

/// A class whose setUp fails: its test is not run, tearDown is.
Base subclass: Broken
  setUp => 1 / 0
  testSkipped => Transcript show: 'never'

Mixed >> testAdded => self assert: 2 > 3

// Only the interpreter lets a handler catch StackOverflow (LANGUAGE.md 8): on the BEAM the
// test's process ends, so a tearDown would not run; this class has none.
TestCase subclass: Runaway
  testDeep => self testDeep + 1
"""

NOT_LOADING = """TestCase subclass: Late
  testOne => self assert: true
Transcript show: 'before'
1 / 0
"""


def run_both(paths: list[str]) -> dict[str, tuple[int, str, str]]:
    """(exit status, standard output, standard error) of each backend."""
    results = {}
    for backend in ("interp", "beam"):
        out, err = io.StringIO(), io.StringIO()
        status = RUNNERS[backend](paths, out=out, err=err)
        results[backend] = (status, out.getvalue(), err.getvalue())
    return results


def test_a_passing_file(tmp_path):
    path = tmp_path / "good.bt"
    path.write_text(PASSING, encoding="utf-8")
    results = run_both([str(path)])
    assert results["beam"] == results["interp"]
    # Better inherits Good's three tests; the summary starts its own line.
    assert results["interp"] == (0, "warned: warned: \n7 passed, 0 failed\n",
                                 "WARNING: careful\nWARNING: careful\n")


def test_a_failing_file_and_files_that_do_not_load(tmp_path):
    failing = tmp_path / "a_failing.bt"
    failing.write_text(FAILING, encoding="utf-8")
    (tmp_path / "b_not_loading.bt").write_text(NOT_LOADING, encoding="utf-8")
    (tmp_path / "c_syntax.bt").write_text("TestCase subclass: S\n  testX => (1 +)\n")
    (tmp_path / "d_compile.bt").write_text("TestCase subclass: C\n  testX => y + 1\n")
    results = run_both([str(tmp_path), str(tmp_path / "missing.bt")])
    assert results["beam"] == results["interp"]
    status, out, err = results["interp"]
    assert status == 1 and err == ""
    lines = out.splitlines()
    assert lines[-1] == "1 passed, 12 failed"
    assert f"{failing}:3: Mixed>>#testBroken: ERROR: assertion_failed: Expected 3, got 2" in lines
    assert f"{failing}:22: Runaway>>#testDeep: ERROR: stack_overflow: Stack depth limit " \
           "exceeded" in lines
    assert f"{failing}:17: Mixed>>#testAdded: ERROR: assertion_failed: Assertion failed" in lines
    assert f"{failing}:15: Broken>>#testSkipped: ERROR: zero_divide: Division by zero" in lines
    assert f"{tmp_path / 'b_not_loading.bt'}:4: ERROR: zero_divide: Division by zero" in lines
    assert f"{tmp_path / 'd_compile.bt'}:1: ERROR: compile_error: undefined variable 'y'" in lines
    assert f"{tmp_path / 'missing.bt'}: no such file" in lines
    assert "never" not in out and "before" in out


def test_system_exit_ends_the_run_with_its_status(tmp_path):
    path = tmp_path / "exit.bt"
    path.write_text("TestCase subclass: E\n"
                    "  testExit => Transcript show: 'bye'. System exit: 4\n", encoding="utf-8")
    for backend in ("interp", "beam"):
        out = io.StringIO()
        with pytest.raises(SystemExit) as info:
            RUNNERS[backend]([str(path)], out=out, err=io.StringIO())
        assert (info.value.code, out.getvalue()) == (4, "bye"), backend
