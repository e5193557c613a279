"""`sel => @primitive` with a Beamtalk fallback body below it (LANGUAGE.md 5)."""

from __future__ import annotations

import io

import pytest

from beamtalk.interp.runtime.definitions import define_class
from beamtalk.interp.session import Session, evaluate
from beamtalk.interp.syntax import DiagnosticError, parse_module
from beamtalk.interp.syntax.ast import ClassDef, MethodDef, Primitive
from beamtalk.interp.syntax.printer import to_source

SOURCE = """Object subclass: Calc
  class total: aList => @primitive 'calc_total'
    | sum |
    sum := 0
    aList do: [:x | sum := sum + x]
    ^sum
  class plain => @primitive
"""


def calc() -> ClassDef:
    (node,) = parse_module(SOURCE).body
    assert isinstance(node, ClassDef)
    return node


def test_the_fallback_follows_the_primitive_in_the_body() -> None:
    total = calc().members[0]
    assert isinstance(total, MethodDef)
    assert total.body[0] == Primitive("calc_total")
    assert total.temps == ("sum",) and len(total.body) == 4


def test_printed_back_in_the_same_form() -> None:
    node = calc()
    text = to_source(node)
    assert "class total: aList => @primitive 'calc_total'\n      | sum | sum := 0." in text
    assert parse_module(text).body == (node,)


@pytest.mark.parametrize("source", [
    "Object subclass: A\n  foo => @primitive. 1",          # not below: on the same line
    "Object subclass: A\n  foo =>\n    @primitive\n    1",  # not after `=>`
    "Object subclass: A\n  foo => 1\n    @primitive",
])
def test_other_placements_of_primitive_stay_errors(source: str) -> None:
    with pytest.raises(DiagnosticError):
        parse_module(source)


def define(primitives: dict) -> Session:
    session = Session(out=io.StringIO())
    define_class(session.rt, calc(), "stdlib/Calc.bt", builtin=True, primitives=primitives)
    return session


def test_a_backend_with_the_primitive_runs_it() -> None:
    table = {"Calc class": {"calc_total": lambda rt, r, xs: -1, "plain": lambda rt, r: 7}}
    session = define(table)
    assert evaluate("Calc total: #(1, 2, 3)", session=session) == ["-1"]


def test_a_backend_without_it_runs_the_fallback() -> None:
    session = define({"Calc class": {"plain": lambda rt, r: 7}})
    assert evaluate("Calc total: #(1, 2, 3)", session=session) == ["6"]
    assert evaluate("Calc plain", session=session) == ["7"]


def test_a_missing_primitive_without_fallback_is_a_compile_error() -> None:
    from beamtalk.interp.analysis.scopes import CompileError

    with pytest.raises(CompileError, match="no interpreter primitive `plain`"):
        define({"Calc class": {"calc_total": lambda rt, r, xs: 0}})


def test_outside_the_standard_library_it_is_a_compile_error() -> None:
    lines = evaluate(SOURCE + "\n", session=Session(out=io.StringIO()))
    assert lines[0].startswith("ERROR: compile_error: `@primitive` is only allowed")
