"""First end-to-end checks of the interpreter core: sends, classes, blocks, errors."""

from __future__ import annotations

import pytest

from beamtalk.interp.session import evaluate


def run(source: str) -> list[str]:
    """printString of each statement's value, or its `ERROR: kind: text`."""
    return evaluate(source)


def test_arithmetic_and_variables():
    assert run("3 + 4\nx := 10\nx * 2 - 1") == ["7", "10", "19"]


def test_value_class_with_fields_and_methods():
    src = ("Object subclass: Point\n  state: x = 0, y = 0\n  sum => self.x + self.y\n"
           "p := Point new: #{#x => 3, #y => 4}\np sum\np")
    assert run(src) == ["Point", "a Point(x: 3, y: 4)", "7", "a Point(x: 3, y: 4)"]


BENCH = """Object subclass: Bench
  fib: n =>
    n < 2 ifTrue: [^n].
    ^(self fib: n - 1) + (self fib: n - 2)
  down: n => n = 0 ifTrue: [^0]. ^1 + (self down: n - 1)
  forever: n => ^1 + (self forever: n + 1)
b := Bench new
"""


def test_recursion_deep_and_runaway():
    results = run(BENCH + "b fib: 20\nb down: 9999\nb forever: 1\n"
                  "[b forever: 1] on: StackOverflow do: [:e | e kind]\n3 + 4")
    assert results[2:] == ["6765", "9999", "ERROR: stack_overflow: Stack depth limit exceeded",
                           "#stack_overflow", "7"]


def test_errors_leave_the_session_usable():
    assert run("1 / 0\nfoo bar\n3 foo\n4") == [
        "ERROR: zero_divide: Division by zero",
        "ERROR: compile_error: undefined variable 'foo'",
        "ERROR: does_not_understand: 3 does not understand #foo",
        "4",
    ]


@pytest.mark.parametrize("source, expected", [
    ("x := 0. #(1, 2, 3)", "#(1, 2, 3)"),
    ("x := 0. 1 to: 5 do: [:i | x := x + i]. x", "15"),
    ("x := 1. b := [x]. x := 2. b value", "1"),
    ("[:a :b | a + b] value: 1 value: 2", "3"),
    ("[:a | a] value: 1 value: 2", "ERROR: arity_mismatch: Block expects 1 argument, got 2"),
    ("count := 0. b := [:x | x > 0 ifTrue: [count := count + 1]]", "ERROR: compile_error"),
    ("b := [:x | x > 0 ifTrue: [fresh := 1]. fresh]. b value: 1", "1"),
])
def test_blocks(source, expected):
    result = run(source)[-1]
    assert result.startswith(expected)
