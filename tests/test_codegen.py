"""Methods compiled to Python source: what the generated code must keep of the language."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beamtalk.bootstrap.cli import main
from beamtalk.interp.session import Session, evaluate, run_with_big_stack

CLASS = """Object subclass: G
  state: v = 10
  fib: n =>
    n < 2 ifTrue: [^n].
    ^(self fib: n - 1) + (self fib: n - 2)
  order =>
    | x |
    x := 1.
    ^#(x, (x := 2), x)
  adder: k => [:y | k + y]
  capture =>
    | x b |
    x := 1.
    b := [x].
    x := 2.
    ^b value
  escaper => ^[:y | ^y]
  firstOver: n in: list => list do: [:e | e > n ifTrue: [^e]]. ^nil
  sum: list =>
    | s |
    s := 0.
    list do: [:e | s := s + e].
    ^s
  field => [self.v] value
  loop =>
    | i acc |
    i := 0. acc := 0.
    [i < 5] whileTrue: [i := i + 1. acc := acc + i].
    1 to: 3 do: [:j | acc := acc + j].
    3 timesRepeat: [acc := acc + 1].
    ^acc
  mixed: x => x + 1
  deep: n => n = 0 ifTrue: [0] ifFalse: [1 + (self deep: n - 1)]
  runaway: n => 1 + (self runaway: n + 1)
  spread: n by: k =>
    | b |
    b := [:y | n * y + k].
    n < k ifTrue: [^b value: 1].
    ^(b value: n) - k
"""


def run(*statements: str) -> list[str]:
    """printStrings of each statement after defining G."""
    return evaluate(CLASS + "\n" + "\n".join(statements))[1:]


def test_every_method_of_the_class_is_generated():
    def go():
        session = Session()
        session.run_source(CLASS, "g.bt")
        methods = session.rt.classes["G"].methods
        return {sel: m.python is not None for sel, m in methods.items()}

    assert all(run_with_big_stack(go).values())


def test_results_follow_the_language():
    assert run("G new fib: 15", "G new order", "(G new adder: 3) value: 4", "G new capture",
               "G new firstOver: 2 in: #(1, 2, 3, 4)", "G new sum: #(1, 2, 3)",
               "G new field", "G new loop") == [
        "610", "#(1, 2, 2)", "7", "1", "3", "6", "10", "24"]


def test_fast_paths_fall_back_to_real_sends():
    assert run("G new mixed: 1.5", "G new mixed: true", "G new mixed: 'a'")[:2] == [
        "2.5", "ERROR: does_not_understand: true does not understand #+"]


def test_integer_copy_of_a_body_and_its_general_copy_agree():
    # Both Integer parameters take the copy without type tests; any other value the general
    # body, whose sends give the same answers or the same errors.
    assert run("G new spread: 2 by: 5", "G new spread: 7 by: 3", "G new spread: 2.0 by: 5",
               "G new spread: 7 by: 3.0", "G new spread: 7 by: true", "G new spread: 'a' by: 1"
               ) == ["7", "49", "7.0", "49.0",
                     "ERROR: type_error: #< expects a Number, got true",
                     "ERROR: type_error: #< expects a String, got an Integer"]


OPS = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b}


@st.composite
def int_expressions(draw, depth=3):
    """A Beamtalk expression over `a` and `b` and the same computation as a Python function."""
    if depth == 0 or draw(st.booleans()):
        leaf = draw(st.sampled_from(["a", "b"]) | st.integers(-5, 5).map(str))
        return leaf, (lambda a, b: {"a": a, "b": b}[leaf] if leaf in "ab" else int(leaf))
    op = draw(st.sampled_from(sorted(OPS)))
    (left, f), (right, g) = draw(int_expressions(depth - 1)), draw(int_expressions(depth - 1))
    return f"({left} {op} {right})", lambda a, b: OPS[op](f(a, b), g(a, b))


@settings(max_examples=60, deadline=None)
@given(int_expressions(), st.integers(-10**20, 10**20), st.integers(-3, 3))
def test_integer_copy_folds_arithmetic_in_order(expr, a, b):
    # The Integer copy puts pure arithmetic where it is used (fold_pure_temps): the answer,
    # a comparison on it and a send of it agree with Python's arithmetic.
    text, compute = expr
    source = (f"Object subclass: H\n  f: a with: b => ^{text}\n"
              f"  g: a with: b => {text} < 0 ifTrue: [^#neg]. ^(self id: {text})\n"
              f"  k: a with: b => ^self pair: {text} with: (self id: b - a)\n"
              f"  id: x => x\n  pair: x with: y => ^#(x, y)\n")
    want = compute(a, b)
    got = evaluate(f"{source}\nH new f: {a} with: {b}\nH new g: {a} with: {b}\n"
                   f"H new k: {a} with: {b}")[1:]
    assert got == [str(want), "#neg" if want < 0 else str(want), f"#({want}, {b - a})"]


def test_block_return_after_its_method_finished():
    assert run("(G new escaper) value: 3") == [
        "ERROR: block_cannot_return: Block cannot return: its method has finished"]


def test_block_arity_is_checked():
    assert run("(G new adder: 1) value: 1 value: 2") == [
        "ERROR: arity_mismatch: Block expects 1 argument, got 2"]


def test_deep_recursion_and_catchable_runaway():
    assert run("G new deep: 10000", "[G new runaway: 0] on: StackOverflow do: [:e | e kind]",
               "G new deep: 10000") == ["10000", "#stack_overflow", "10000"]


def test_live_redefinition_reaches_generated_callers():
    assert run("G >> mixed: x => x * 100", "G new mixed: 2")[1] == "200"


@pytest.mark.parametrize("flag", ["--dump-python"])
def test_dump_python_prints_units_and_runs_nothing_else(tmp_path, capsys, flag):
    path = tmp_path / "d.bt"
    path.write_text("Object subclass: D\n  twice: n => n * 2\n\nTranscript showCr: 'ran'\n",
                    encoding="utf-8")
    assert main(["run", flag, str(path)]) == 0
    out = capsys.readouterr().out
    assert "D>>twice:" in out and "def _unit(_owner, _cv):" in out
    assert "_i2 = type(a1_n) is int" in out and "a1_n * 2 if _i2 else" in out
    assert "top-level statement" in out and "def _m():" in out  # the statement's unit
    assert "ran" not in out.splitlines()  # shown, not run: Transcript printed nothing


def test_stdlib_units_are_cached_on_disk(tmp_path, monkeypatch):
    from beamtalk.interp.eval import pycache
    from beamtalk.interp.eval.compiler import Compiler
    from beamtalk.interp.runtime.runtime import Runtime

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    pycache.stdlib_units.cache_clear()
    try:
        first = Runtime(Compiler)
        files = list((tmp_path / "beamtalk").glob("stdlib-py-*.marshal"))
        assert len(files) == 1
        written = files[0].stat().st_mtime_ns
        pycache.stdlib_units.cache_clear()
        units = pycache.stdlib_units()
        assert ("Integer", False, "isOdd") in units
        from beamtalk.interp.eval import compiler

        def no_generation(*args):
            raise AssertionError("a stdlib method was generated again")

        monkeypatch.setattr(compiler, "generated_unit", no_generation)
        second = Runtime(Compiler)
        assert files[0].stat().st_mtime_ns == written
        method = second.classes["Integer"].methods["isOdd"]
        assert method.python == first.classes["Integer"].methods["isOdd"].python
        assert method.fn(second, 3) is True
    finally:
        pycache.stdlib_units.cache_clear()


def test_top_level_statements_run_as_generated_python():
    # A failed assignment still declares its variable; `^` at the top level answers; a
    # block's `^` after its statement ended cannot return; control blocks assign
    # top-level variables, inlined or as block objects.
    assert evaluate("x := 1/0\nx\n^5\nb := [:v | ^v]\nb value: 3\ns := 0\n"
                    "1 to: 3 do: [:i | s := s + i]\n#(10, 20) do: [:e | s := s + e]\ns") == [
        "ERROR: zero_divide: Division by zero", "nil", "5", "a Block/1",
        "ERROR: block_cannot_return: Block cannot return: its method has finished",
        "0", "1", "#(10, 20)", "36"]


def test_nested_control_blocks_generate_in_linear_time():
    # Each inlined message's fallback makes its blocks without inlining inside them, so
    # a literal block is not generated twice per level (40 levels were 2**40 before).
    source = "x := nil\nx := " + "(x isNil) ifTrue: [" * 40 + "7" + "]" * 40
    assert evaluate(source + "\nx") == ["nil", "7", "7"]


def test_nesting_deeper_than_python_compiles_is_a_compile_error():
    source = "x := " + "[" * 120 + "3" + "]" * 120
    assert evaluate(source) == ["ERROR: compile_error: expression nested too deeply to compile"]
