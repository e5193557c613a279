"""Semantic checks: compile errors, dropped collection answers, unknown globals."""

from __future__ import annotations

from beamtalk.interp.analysis.check import check_source
from beamtalk.interp.analysis.warnings import walk
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


def test_check_needs_no_runtime(monkeypatch):
    from beamtalk.interp.runtime import runtime

    def refuse(*args, **kwargs):
        raise AssertionError("check must not build a Runtime")

    monkeypatch.setattr(runtime.Runtime, "__init__", refuse)
    src = ("Actor subclass: C\n  state: n = 0\n  classState: k = 1\n"
           "  bump => self.n := self.n + 1\n  class k => self.k\n"
           "C subclass: D\n  twice => self bump. self.n\n"
           "Integer >> double => self * 2\nC >> zap => self.m\nd := D spawn\n")
    assert check(src) == [(9, "error", "C has no field `m`")]


def test_nested_control_blocks_warn_once_in_one_pass(monkeypatch):
    from beamtalk.interp.analysis import warnings

    depth = 50
    expr = "l add: 1. 2"
    for _ in range(depth):
        expr = f"true ifTrue: [{expr}]"
    calls = []
    original = warnings.DroppedResults.body

    def counting(self, stmts, values, drop_last):
        calls.append(len(stmts))
        return original(self, stmts, values, drop_last)

    monkeypatch.setattr(warnings.DroppedResults, "body", counting)
    found = check(f"l := List new\nx := {expr}\n")
    assert found == [(2, "warning", "the answer of `add:` is dropped: collections are immutable")]
    assert len(calls) == depth + 1  # the file's statements, then each block body once


def test_resolver_visits_each_expression_once(monkeypatch):
    from beamtalk.interp.analysis import resolve
    from beamtalk.interp.syntax import ast, parse_module

    expr = "x"
    for i in range(40):
        expr = f"[:a{i} | {expr}]" if i % 2 else f"(true ifTrue: [{expr}])"
    module = parse_module(f"x := 1\ny := {expr}\n", "t.bt")
    visits = []
    original = resolve.UnitResolver.expr

    def counting(self, node, scope):
        visits.append(id(node))
        return original(self, node, scope)

    original_block = resolve.UnitResolver.block

    def counting_block(self, node, scope, stored):
        if not stored:  # control blocks are reached through `argument`, not `expr`
            visits.append(id(node))
        return original_block(self, node, scope, stored)

    monkeypatch.setattr(resolve.UnitResolver, "expr", counting)
    monkeypatch.setattr(resolve.UnitResolver, "block", counting_block)
    resolve.resolve_statement(module.body[1], "t.bt", {"x"})
    targets = {id(n.target) for n in walk(module.body[1]) if isinstance(n, ast.Assign)}
    expressions = [n for n in walk(module.body[1])
                   if isinstance(n, ast.EXPRESSION_TYPES) and id(n) not in targets]
    assert sorted(visits) == sorted(id(n) for n in expressions)
