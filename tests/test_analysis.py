"""Semantic checks: compile errors, dropped collection answers, unknown globals."""

from __future__ import annotations

from beamtalk.interp.analysis.check import check_source
from beamtalk.interp.session import run_with_big_stack


def check(source: str) -> list[tuple[int, str, str]]:
    diags = run_with_big_stack(lambda: check_source(source, "t.bt"))
    return [(d.line, d.severity, d.message) for d in diags]


def test_clean_file_has_no_diagnostics():
    assert check("x := #(1, 2)\nx := x add: 3\nx size\n") == []


def test_dropped_modifier_in_do_block_warns():
    found = check("agents := #()\n#(1, 2) do: [:a | agents add: a]\n")
    assert found == [(2, "warning", "the answer of `add:` is dropped: collections are immutable")]


def test_last_statement_keeps_its_answer():
    assert check("l := List new\nl add: 1\n") == []


def test_kept_answer_is_not_warned():
    assert check("l := #()\nl := l add: 1\nl size\n") == []


def test_variable_assigned_a_non_collection_is_not_static():
    assert check("l := #()\nl := self foo\nl add: 1\nl\n") == []


def test_field_modifier_dropped_in_method():
    src = "Object subclass: P\n  state: items = #()\n  bad => self.items add: 1. 3\n"
    assert check(src) == [(3, "warning",
                           "the answer of `add:` is dropped: collections are immutable")]


def test_compile_errors_and_unknown_globals():
    src = "x := Foo new\nObject subclass: P\n  y => self.x\nundefinedThing + 1\n"
    assert check(src) == [
        (1, "warning", "unknown global `Foo`"),
        (3, "error", "P has no field `x`"),
        (4, "error", "undefined variable 'undefinedThing'"),
    ]


def test_classes_defined_later_are_known():
    assert check("Object subclass: A\n  b => B new\nObject subclass: B\n") == []


def test_top_level_variables_are_known_to_later_statements():
    assert check("x := 1\ny := x + 1\n") == []


def test_check_does_not_run_code():
    assert check("Object subclass: P\n  classState: n = 1 / 0\n1 / 0\n") == []
