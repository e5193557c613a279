"""Beamtalk, System, File, Time, Delay, TestCase and the `beamtalk test` runner."""

from __future__ import annotations

import io
import time

import pytest

from beamtalk.bootstrap.testrunner import run_tests
from beamtalk.interp.session import Session, evaluate, run_with_big_stack


def run(source: str, arguments: list[str] | None = None) -> list[str]:
    """printString of each statement's value, or its `ERROR: kind: text`."""

    return evaluate(source, arguments=arguments)


def last(source: str, arguments: list[str] | None = None) -> str:
    return run(source, arguments)[-1]


# ------------------------------------------------------------------ Beamtalk


def test_beamtalk_class_lookup():
    assert last("Beamtalk classNamed: #Integer") == "Integer"
    assert last("Beamtalk classNamed: 'Integer'") == "Integer"
    assert last("Beamtalk classNamed: #Nope") == "nil"
    assert last("Beamtalk classNamed: 3").startswith("ERROR: type_error: #classNamed: expects")


def test_all_classes_sorted_and_include_user_classes():
    def go() -> list[str]:
        session = Session(out=io.StringIO())
        session.run_source("Object subclass: Zed\nObject subclass: Abc", "t.bt")
        (outcome,) = session.run_source("Beamtalk allClasses", "t.bt")
        return [cls.name for cls in outcome.value.items]

    names = run_with_big_stack(go)
    assert names == sorted(names)
    assert {"Abc", "Zed", "Integer", "TestCase", "AssertionFailed"} <= set(names)


def test_workspace_globals():
    src = ("Beamtalk at: #answer put: 42\nBeamtalk at: 'answer'\n"
           "Beamtalk includesKey: #answer\nBeamtalk at: #missing ifAbsent: [0]\n"
           "Beamtalk at: #missing")
    assert run(src) == ["42", "42", "true", "0", "ERROR: key_not_found: Key not found: #missing"]


def test_version_is_backend_specific_text():
    assert last("Beamtalk version").startswith("'Beamtalk ")


# ------------------------------------------------------------------ System


def test_system_arguments_and_environment(monkeypatch):
    monkeypatch.setenv("BEAMTALK_TEST_SYS", "yes")
    monkeypatch.delenv("BEAMTALK_TEST_UNSET", raising=False)
    assert last("System arguments", ["a", "b c"]) == "#('a', 'b c')"
    assert last("System arguments") == "#()"
    assert last("System environmentAt: 'BEAMTALK_TEST_SYS'") == "'yes'"
    assert last("System environmentAt: 'BEAMTALK_TEST_UNSET'") == "nil"
    assert last("System environmentAt: #x").startswith("ERROR: type_error")


def test_exit_ends_the_program_through_handlers_and_runs_ensure_blocks():
    out = io.StringIO()

    def go() -> None:
        session = Session(out=out)
        session.run_source("[[System exit: 3] on: Error do: [:e | 0]] ensure: "
                           "[Transcript show: 'ensured']\nTranscript show: 'never'", "t.bt")

    with pytest.raises(SystemExit) as info:
        run_with_big_stack(go)
    assert info.value.code == 3
    assert out.getvalue() == "ensured"


def test_exit_status_is_checked():
    assert last("System exit: 'x'").startswith("ERROR: type_error")
    assert last("System exit: 256").startswith("ERROR: argument_error")


# ------------------------------------------------------------------ File


def test_file_round_trip_keeps_exact_text(tmp_path):
    path = tmp_path / "a.txt"
    src = (f"File write: \"one\\r\\ntwo é\" to: '{path}'\nFile readAll: '{path}'\n"
           f"File exists: '{path}'\nFile exists: '{tmp_path}'")
    assert run(src) == ["File", '"one\\r\\ntwo é"', "true", "true"]
    assert path.read_bytes() == "one\r\ntwo é".encode()


def test_list_directory_sorted(tmp_path):
    for name in ("b", "a", "Z", "é"):
        (tmp_path / name).write_text("")
    assert last(f"File listDirectory: '{tmp_path}'") == "#('Z', 'a', 'b', 'é')"


ENOENT = "no such file or directory"


@pytest.mark.parametrize("expr, line", [
    ("File readAll: '{d}/missing'", "ERROR: file_not_found: {d}/missing: " + ENOENT),
    ("File write: 'x' to: '{d}/no/f'", "ERROR: file_not_found: {d}/no/f: " + ENOENT),
    ("File listDirectory: '{d}/no'", "ERROR: file_not_found: {d}/no: " + ENOENT),
    ("File readAll: '{d}'", "ERROR: io_error: {d}: illegal operation on a directory"),
    ("File listDirectory: '{d}/f'", "ERROR: io_error: {d}/f: not a directory"),
    ("File readAll: '{d}/bad'", "ERROR: io_error: {d}/bad: not valid UTF-8 (byte 1)"),
    ("File exists: nil", "ERROR: type_error: #exists: expects a String, got nil"),
])
def test_file_failures(tmp_path, expr, line):
    (tmp_path / "f").write_text("")
    (tmp_path / "bad").write_bytes(b"a\xffb")
    assert last(expr.format(d=tmp_path)) == line.format(d=tmp_path)


# ------------------------------------------------------------------ Time and Delay


def test_clock_is_monotonic_integer_and_delay_waits():
    src = ("t := Time millisecondClock\n(Delay forMilliseconds: 30) wait\n"
           "(Delay forSeconds: 0.02) wait\nTime millisecondClock - t >= 50\nt isInteger")
    started = time.monotonic()
    assert run(src)[-2:] == ["true", "true"]
    assert time.monotonic() - started >= 0.05


def test_delay_arguments():
    assert last("Delay forMilliseconds: 5") == "a Delay(milliseconds: 5)"
    assert last("(Delay forMilliseconds: 0) wait") == "a Delay(milliseconds: 0)"
    assert last("Delay forMilliseconds: -1").startswith("ERROR: argument_error")
    assert last("Delay forSeconds: 'x'").startswith("ERROR: type_error")
    assert last("Delay new").startswith("ERROR: instantiation_error")


# ------------------------------------------------------------------ TestCase


TESTS = """TestCase subclass: T
  state: base = 1
  setUp => self withBase: 20
  tearDown => Transcript show: 'down '
  testEquals => self assert: self.base equals: 20
  testBroken => self assert: 1 + 1 equals: 3
  testRaise => self should: [1 / 0] raise: ZeroDivide
  testNoRaise => self should: [1] raise: ZeroDivide
  testError => nil foo
  helper => self assert: false
"""


def test_assertion_texts():
    src = TESTS + (
        "t := T new\n"
        "[t assert: 1 equals: 1.0] on: AssertionFailed do: [:e | e messageText]\n"
        "[t assert: false] on: AssertionFailed do: [:e | e messageText]\n"
        "[t assert: 3] on: AssertionFailed do: [:e | e messageText]\n"
        "[t deny: true] on: AssertionFailed do: [:e | e messageText]\n"
        "[t should: [1] raise: ZeroDivide] on: AssertionFailed do: [:e | e messageText]\n"
        "[t should: [nil foo] raise: ZeroDivide] on: Error do: [:e | e kind]\n"
        "t fail: 'boom'\n"
        "AssertionFailed superclass")
    assert run(src)[2:] == [
        "'Expected 1.0, got 1'", "'Assertion failed'",
        "'Assertion failed: expected a Boolean, got 3'", "'Denial failed'",
        "'Expected ZeroDivide to be signalled'", "#does_not_understand",
        "ERROR: assertion_failed: boom", "Error"]


def test_runner_reports_failures_and_summary(tmp_path):
    (tmp_path / "t.bt").write_text(TESTS + "TestCase subclass: U\n  testOk => 1\n"
                                   "T subclass: V\n")
    out = io.StringIO()
    assert run_tests([str(tmp_path)], out=out) == 1
    lines = out.getvalue().split("\n")
    path = tmp_path / "t.bt"
    # Runner lines start their own line even after unfinished Transcript output.
    failures = [line for line in lines if line.startswith(str(path))]
    # T and its subclass V (which inherits the tests) each fail the same two.
    assert failures == [
        f"{path}:6: T>>#testBroken: ERROR: assertion_failed: Expected 3, got 2",
        f"{path}:9: T>>#testError: ERROR: does_not_understand: nil does not understand #foo",
        f"{path}:8: T>>#testNoRaise: ERROR: assertion_failed: Expected ZeroDivide to be "
        "signalled",
        f"{path}:6: V>>#testBroken: ERROR: assertion_failed: Expected 3, got 2",
        f"{path}:9: V>>#testError: ERROR: does_not_understand: nil does not understand #foo",
        f"{path}:8: V>>#testNoRaise: ERROR: assertion_failed: Expected ZeroDivide to be "
        "signalled",
    ]
    assert lines[-2:] == ["5 passed, 6 failed", ""]
    assert out.getvalue().count("down ") == 10  # tearDown ran after every T and V test


def test_runner_all_passing_and_load_errors(tmp_path):
    good = tmp_path / "good.bt"
    good.write_text("TestCase subclass: G\n  testOne => self assert: true\n")
    out = io.StringIO()
    assert run_tests([str(good)], out=out) == 0
    assert out.getvalue() == "1 passed, 0 failed\n"

    bad = tmp_path / "bad.bt"
    bad.write_text("TestCase subclass: B\n  testOne => self assert: true\n1 / 0\n")
    out = io.StringIO()
    assert run_tests([str(bad), str(tmp_path / "none.bt")], out=out) == 1
    assert out.getvalue().splitlines() == [
        f"{bad}:3: ERROR: zero_divide: Division by zero",
        f"{tmp_path / 'none.bt'}: no such file",
        "0 passed, 2 failed"]


def test_runner_sessions_are_fresh_and_exit_passes_through(tmp_path):
    (tmp_path / "a.bt").write_text("Beamtalk at: #shared put: 1\n"
                                   "TestCase subclass: A\n  testA => 1\n")
    (tmp_path / "b.bt").write_text("TestCase subclass: B\n"
                                   "  testB => self deny: (Beamtalk includesKey: #shared)\n")
    out = io.StringIO()
    assert run_tests([str(tmp_path)], out=out) == 0
    assert out.getvalue() == "2 passed, 0 failed\n"

    (tmp_path / "c.bt").write_text("TestCase subclass: C\n  testExit => System exit: 4\n")
    with pytest.raises(SystemExit) as info:
        run_tests([str(tmp_path / "c.bt")], out=io.StringIO())
    assert info.value.code == 4
