"""The resolver: name kinds, block kinds, compile errors, and the static class table."""

from __future__ import annotations

from importlib import resources

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beamtalk.interp.analysis.classtable import stdlib_table
from beamtalk.interp.analysis.resolve import (
    ClassView,
    Resolution,
    resolve_method,
    resolve_statement,
)
from beamtalk.interp.analysis.resolved_form import resolved_sexp
from beamtalk.interp.analysis.scopes import CompileError
from beamtalk.interp.analysis.source_file import resolve_file
from beamtalk.interp.syntax import ast, parse_module
from beamtalk.interp.syntax.astdump import to_annotated_sexp


def nodes(root: object, kind: type) -> list:
    """Every node of a type under root, in source (field) order."""
    found = []

    def visit(node: object) -> None:
        if isinstance(node, kind):
            found.append(node)
        if isinstance(node, (tuple, list)):
            for item in node:
                visit(item)
        elif hasattr(node, "__dataclass_fields__"):
            for name in node.__dataclass_fields__:
                if name != "span":
                    visit(getattr(node, name))

    visit(root)
    return found


def method(text: str) -> ast.MethodDef:
    """The first method of `Object subclass: P` with the given member lines."""
    module = parse_module("Object subclass: P\n" + text, "t.bt")
    return next(m for m in module.body[0].members if isinstance(m, ast.MethodDef))


def names_of(res: Resolution, root: object) -> list[tuple[str, str]]:
    """(name, kind) of every Name and FieldRef under root, in order."""
    return [(n.name, res.ref(n).kind) for n in nodes(root, (ast.Name, ast.FieldRef))]


VIEW = ClassView("P", "actor", frozenset({"f"}), frozenset({"s"}))


# ---------------------------------------------------------------- name kinds


def test_locals_of_a_method_have_their_variable_kinds():
    node = method("  m: a => | t | t := a. u := t. ^u\n")
    res = resolve_method(node, VIEW, False, "t.bt")
    refs = [res.ref(n) for n in nodes(node, ast.Name)]
    assert [(r.name, r.kind, r.variable.kind, r.declares) for r in refs] == [
        ("t", "local", "temp", False), ("a", "local", "param", False),
        ("u", "local", "var", True), ("t", "local", "temp", False),
        ("u", "local", "var", False)]
    assert [v.name for v in res.frame.variables] == ["a", "t", "u"]
    assert refs[0].variable is refs[3].variable


def test_fields_self_pseudo_globals_and_super():
    node = method("  m => self.f := super foo. self bar: nil. Transcript show: true\n")
    res = resolve_method(node, VIEW, False, "t.bt")
    assert names_of(res, node) == [
        ("f", "field"), ("super", "super"), ("self", "self"), ("nil", "pseudo"),
        ("Transcript", "global"), ("true", "pseudo")]


def test_cascade_to_super_is_a_super_reference():
    node = method("  m => super foo; bar: self\n")
    res = resolve_method(node, VIEW, False, "t.bt")
    assert names_of(res, node) == [("super", "super"), ("self", "self")]


def test_class_side_fields_are_class_variables():
    node = method("  class bump => self.s := self.s + 1\n")
    res = resolve_method(node, VIEW, True, "t.bt")
    assert names_of(res, node) == [("s", "classvar"), ("s", "classvar")]


def test_stored_blocks_capture_variables_and_fields_at_creation():
    node = method("  m: a => | t | t := 1. ^[:k | [a + k + t + self.f]]\n")
    res = resolve_method(node, VIEW, False, "t.bt")
    outer, inner = nodes(node, ast.Block)
    assert res.block(outer).kind == res.block(inner).kind == "stored"
    assert [c.key for c in res.block(inner).captures] == ["a", "k", "t", "self.f"]
    assert [c.depth for c in res.block(inner).captures] == [2, 1, 2, 2]
    assert [c.key for c in res.block(outer).captures] == ["a", "t", "self.f"]
    reads = [res.ref(n) for n in nodes(inner, (ast.Name, ast.FieldRef))]
    assert {r.kind for r in reads} == {"captured"}
    assert reads[0].capture.source.capture is res.block(outer).captures[0]


def test_toplevel_variables_known_and_declared_by_a_statement():
    stmt = parse_module("y := x + ([:k | x] value: 1)", "t.bt").body[0]
    res = resolve_statement(stmt, "t.bt", {"x"})
    assert names_of(res, stmt) == [("y", "toplevel"), ("x", "toplevel"), ("x", "toplevel")]
    assert res.ref(stmt).declares is True
    assert res.toplevel_assigned == ["y"]


def test_evaluation_order_receiver_before_block():
    stmt = parse_module("(q := true) ifTrue: [q]", "t.bt").body[0]
    res = resolve_statement(stmt, "t.bt")
    assert names_of(res, stmt) == [("q", "toplevel"), ("true", "pseudo"), ("q", "toplevel")]


# ---------------------------------------------------------------- block kinds


def test_control_blocks_share_the_frame_and_declare_in_it():
    node = method("  m: a => a > 0 ifTrue: [y := 1] ifFalse: [y := 2]. ^y\n")
    res = resolve_method(node, VIEW, False, "t.bt")
    first, second = nodes(node, ast.Block)
    assert res.block(first).kind == "control" and res.block(first).mutating
    assert res.block(second).mutating
    assert [v.name for v in res.frame.variables] == ["a", "y"]


def test_control_block_assigning_only_its_own_temps_is_not_mutating():
    node = method("  m => #(1) do: [:e | | t | t := e]. #(1) collect: [:e | e]\n")
    res = resolve_method(node, VIEW, False, "t.bt")
    assert [res.block(b).mutating for b in nodes(node, ast.Block)] == [False, False]


def test_field_write_in_control_block_is_mutating():
    node = method("  m => true ifTrue: [self.f := 1]\n")
    res = resolve_method(node, VIEW, False, "t.bt")
    assert res.block(nodes(node, ast.Block)[0]).mutating


def test_blocks_elsewhere_are_stored_and_returns_are_seen():
    node = method("  m => b := [:x | x > 0 ifTrue: [^x]]. self run: [1]. #([2])\n")
    res = resolve_method(node, VIEW, False, "t.bt")
    kinds = [(res.block(b).kind, res.block(b).returns) for b in nodes(node, ast.Block)]
    assert kinds == [("stored", True), ("control", True), ("stored", False),
                     ("stored", False)]


def test_cascade_and_instantiation_blocks():
    stmt = parse_module("x := #(1) size; do: [:e | e]; size\ny := P new k: [1]", "t.bt").body
    res = Resolution()
    resolve_statement(stmt[0], "t.bt", (), res)
    resolve_statement(stmt[1], "t.bt", {"x"}, res)
    assert [res.block(b).kind for b in nodes(stmt, ast.Block)] == ["control", "stored"]


# ---------------------------------------------------------------- compile errors


def first_error(source: str) -> tuple[int, int, int, str, str | None]:
    """The first diagnostic of resolving a file (line, col, length, message, hint)."""
    resolved = resolve_file(parse_module(source, "t.bt"), "t.bt")
    assert resolved.diagnostics, "expected a compile error"
    d = resolved.diagnostics[0]
    return d.line, d.col, d.length, d.message, d.hint


ERRORS = [
    ("x := y", (1, 6, 1, "undefined variable 'y'", "assign `y` before reading it")),
    ("Object subclass: P\n  m: a => a := 1",
     (2, 11, 1, "cannot assign to the parameter `a`", "use a temporary: `| t | t := ...`")),
    ("Object subclass: P\n  m: a => | a | a",
     (2, 3, 15, "temporary `a` shadows a parameter", "rename the temporary")),
    ("[:a | | a | a] value: 1",
     (1, 1, 14, "temporary `a` shadows a parameter", "rename the temporary")),
    ("Foo := 1", (1, 1, 3, "cannot assign to the global `Foo`",
                  "variables start with a lowercase letter")),
    ("self := 1", (1, 1, 4, "cannot assign to `self`", None)),
    ("thisContext", (1, 1, 11, "`thisContext` is not supported", None)),
    ("super foo", (1, 1, 5, "`super` outside a method", None)),
    ("Object subclass: P\n  m => super",
     (2, 8, 5, "`super` can only receive a message", "write `super foo`")),
    ("super foo; bar", (1, 1, 5, "`super` outside a method", None)),
    ("Object subclass: P\n  state: x = 0\n  m => self.x := 1",
     (3, 8, 6, "P instances are immutable", "answer a copy: `self withX: v` or `P new: ...`")),
    ("Object subclass: P\n  m => 1\n  m => 2", (3, 3, 1, "method `m` is defined twice", None)),
    ("Object subclass: P\n  state: a = 1, a = 2", (2, 17, 1, "`a` is declared twice", None)),
    ("Object subclass: P\n  classState: a\n  classState: a",
     (3, 15, 1, "`a` is declared twice", None)),
    ("Object subclass: P\n  state: a\nP subclass: Q\n  state: a",
     (4, 10, 1, "`a` repeats an inherited field", None)),
    ("b := 1\nc := [b := 2]", (2, 7, 1, "a stored block cannot assign the outer variable 'b'",
                               "use a method, or a control message such as do: or inject:into:")),
    ("Actor subclass: P\n  state: f\n  m => [self.f := 1]",
     (3, 9, 6, "a stored block cannot assign the field `self.f`",
      "use a method, or a control message such as do: or inject:into:")),
    ("Object subclass: P\n  m => self.g", (2, 8, 6, "P has no field `g`", None)),
    ("Object subclass: P\n  classState: n\n  m => self.n",
     (3, 8, 6, "P has no field `n`",
      "class state is read in class-side methods; send a class-side message")),
    ("Object subclass: P\n  class m => self.g", (2, 14, 6, "P has no class variable `g`", None)),
    ("self.x", (1, 1, 6, "`self.x` outside a method", "fields exist only inside methods")),
    ("Object subclass: P\n  state: a = self.b",
     (2, 14, 6, "`self.b` outside a method", "fields exist only inside methods")),
    ("#true", (1, 1, 5, "`#true` is not a symbol", "use `true`")),
    ("#'$x'", (1, 1, 5, "symbols starting with `$` are reserved to the runtime", None)),
    ("[:self | 1]", (1, 1, 11, "`self` cannot be a block parameter name", None)),
    ("[:a :a | 1]", (1, 1, 11, "block parameter `a` is declared twice", None)),
    ("Object subclass: P\n  m: a x: a => 1",
     (2, 3, 14, "parameter `a` is declared twice", None)),
    ("Integer subclass: Q", (1, 1, 1, "Integer is sealed", "sealed classes cannot be subclassed")),
    ("Object subclass: P\n  = other => true",
     (2, 3, 1, "`=` is sealed in Object", "sealed methods cannot be overridden")),
    ("Object subclass: P\nP >> hash => 1",
     (2, 6, 1, "`hash` is sealed in Object", "sealed methods cannot be overridden")),
    ("Nope subclass: P", (1, 1, 1, "unknown superclass `Nope`", "define the superclass first")),
    ("Object subclass: Integer", (1, 1, 1, "Integer is a built-in class",
                                  "built-in classes cannot be redefined; add methods with `>>`")),
    ("Object subclass: P\nActor subclass: P",
     (2, 1, 1, "P cannot change between value and actor class", None)),
    ("Integer >> printString => 1",
     (1, 12, 1, "Integer already defines `printString`",
      "built-in selectors cannot be replaced; choose a new selector")),
    ("Object subclass: P\n  m => @primitive",
     (2, 3, 1, "`@primitive` is only allowed in the standard library", None)),
]


@pytest.mark.parametrize(("source", "expected"), ERRORS, ids=[e[1][3] for e in ERRORS])
def test_compile_error_text_and_position(source, expected):
    assert first_error(source) == expected


def test_one_error_per_statement_and_failed_class_is_not_defined():
    source = "x := a\ny := b\nObject subclass: P\n  m => zz\nP >> n => 1\n"
    resolved = resolve_file(parse_module(source, "t.bt"), "t.bt")
    assert [(d.line, d.message) for d in resolved.diagnostics] == [
        (1, "undefined variable 'a'"), (2, "undefined variable 'b'"),
        (4, "undefined variable 'zz'")]
    assert "P" not in resolved.table


def test_stored_block_variables_are_local_to_it():
    assert first_error("b := [z := 5. z]\nz") == (
        2, 1, 1, "undefined variable 'z'", "assign `z` before reading it")


def test_stdlib_table_knows_kinds_fields_and_sealed_methods():
    table = stdlib_table()
    assert table.get("Supervisor").kind == "actor"
    assert table.get("Actor").kind == "value"
    assert table.find_sealed("Actor", False, "printString") is None
    assert table.lookup("Integer", True, "name")[0] == "Class"


# ---------------------------------------------------------------- the resolved form


def resolved_lines(source: str) -> list[str]:
    module = parse_module(source, "t.bt")
    resolved = resolve_file(module, "t.bt")
    assert not resolved.diagnostics
    return [resolved_sexp(stmt, resolved.resolution) for stmt in module.body]


def test_resolved_form_of_a_small_program():
    assert resolved_lines("x := 1\nb := [:k | x + k]\n") == [
        '(Assign (Name "x" (ref toplevel nil true)) (IntegerLit 1))',
        '(Assign (Name "b" (ref toplevel nil true)) (Block ["k"] [] [(Send (Name "x" '
        '(ref captured 1 false)) "+" [(Name "k" (ref local param false))])] '
        '(block stored false false ["x"])))']


def test_resolved_form_of_a_class():
    lines = resolved_lines(
        "Actor subclass: C\n  state: n = 0\n  bump: k => k > 0 ifTrue: [self.n := self.n + k]."
        " ^[self.n]\n")
    assert lines == [
        '(ClassDef "C" "Actor" nil [(StateDecl [(FieldDecl "n" (IntegerLit 0))] false) '
        '(MethodDef "bump:" ["k"] [] [(Send (Send (Name "k" (ref local param false)) ">" '
        '[(IntegerLit 0)]) "ifTrue:" [(Block [] [] [(Assign (FieldRef "n" (ref field nil false)) '
        '(Send (FieldRef "n" (ref field nil false)) "+" [(Name "k" (ref local param false))]))] '
        '(block control true false []))]) (Return (Block [] [] [(FieldRef "n" '
        '(ref captured 1 false))] (block stored false false ["self.n"])))] false false nil)] nil)']


def test_resolved_form_is_the_sexp_plus_annotations():
    module = parse_module("Object subclass: P\n  m: a => [:b | a + b]\nP >> q => #(1)\n", "t.bt")
    plain = to_annotated_sexp(module, lambda node: None)
    from beamtalk.interp.syntax.astdump import to_sexp

    assert plain == to_sexp(module)


def test_undefined_class_method_body_is_annotated_nil():
    module = parse_module("Nope >> m: a => a\n", "t.bt")
    resolved = resolve_file(module, "t.bt")
    assert resolved.diagnostics == []
    assert resolved_sexp(module.body[0], resolved.resolution).endswith(
        '[(Name "a" nil)] false false nil))')


# ---------------------------------------------------------------- against the closure compiler

POOL = ("a", "b", "c")
SELECTORS = ("ifTrue:", "ifTrue:ifFalse:", "and:", "do:", "value", "value:", "whileTrue:",
             "timesRepeat:", "to:do:", "inject:into:", "foo", "foo:", "+")


def _arity(selector: str) -> int:
    return selector.count(":") if selector[0].isalpha() else 1


@st.composite
def _blocks(draw, sub):
    params = draw(st.lists(st.sampled_from(POOL), max_size=2, unique=True))
    temps = draw(st.lists(st.sampled_from(POOL), max_size=1, unique=True))
    body = draw(st.lists(st.one_of(sub, sub.map(ast.Return)), max_size=2))
    return ast.Block(tuple(params), tuple(temps), tuple(body))


def _expressions(depth: int) -> st.SearchStrategy:
    leaves = st.one_of(
        st.integers(0, 3).map(ast.IntegerLit),
        st.sampled_from(POOL + ("self", "nil", "P")).map(ast.Name),
        st.sampled_from(("f", "s", "g")).map(ast.FieldRef),
    )
    if depth == 0:
        return leaves
    sub = _expressions(depth - 1)
    operand = st.one_of(sub, _blocks(sub))
    sends = st.sampled_from(SELECTORS).flatmap(lambda sel: st.builds(
        lambda r, args: ast.Send(r, sel, tuple(args)), operand,
        st.lists(operand, min_size=_arity(sel), max_size=_arity(sel))))
    supers = sub.map(lambda a: ast.Send(ast.Name("super"), "foo:", (a,)))
    assigns = st.builds(ast.Assign, st.one_of(st.sampled_from(POOL).map(ast.Name),
                                              st.sampled_from(("f", "s")).map(ast.FieldRef)), sub)
    cascades = st.builds(lambda r, a: ast.Cascade(r, (ast.Message("do:", (a,)),
                                                      ast.Message("size", ()))), operand, operand)
    return st.one_of(leaves, sends, sends, assigns, assigns, _blocks(sub), cascades, supers)


@pytest.fixture(scope="module")
def live():
    """A runtime with an actor class P (field f, class state s) and a value class V."""
    from beamtalk.interp.session import Session

    session = Session()
    for stmt in parse_module("Actor subclass: P\n  state: f\n  classState: s\n"
                             "Object subclass: V\n  state: f\n  classState: s\n", "t.bt").body:
        assert not session.execute(stmt, "t.bt").failed
    session.rt.workspace["a"] = None
    return session.rt


def _outcome(fn) -> tuple[str, str | None] | None:
    try:
        fn()
    except CompileError as err:
        return err.diagnostic.message, err.diagnostic.hint
    return None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.lists(_expressions(3), min_size=1, max_size=3),
       params=st.lists(st.sampled_from(POOL), max_size=2, unique=True),
       where=st.sampled_from(("P", "V", "P class", "top")))
def test_every_unit_the_resolver_accepts_compiles(live, body, params, where):
    """The compiler reports exactly the resolver's first compile error, and a unit the
    resolver accepts is generated and compiled to Python without any other exception."""
    if where == "top":
        stmt = body[0]
        old = _outcome(lambda: live.compiler.compile_top(stmt, "t.bt"))
        new = _outcome(lambda: resolve_statement(stmt, "t.bt", live.workspace))
    else:
        cls = live.classes[where.split()[0]]
        class_side = where.endswith("class")
        selector = "".join(f"k{i}:" for i in range(len(params))) or "m"
        node = ast.MethodDef(selector, tuple(params), (), tuple(body), class_side)
        view = ClassView(cls.name, cls.kind, frozenset(cls.all_field_names()),
                         frozenset(f.name for c in cls.chain() for f in c.class_fields))
        owner = cls.meta if class_side else cls
        old = _outcome(lambda: live.compiler.compile_method(owner, cls, node, "t.bt"))
        new = _outcome(lambda: resolve_method(node, view, class_side, "t.bt"))
    assert new == old


def test_every_stdlib_method_resolves():
    """The stdlib's methods (and @primitive fallback bodies) have no compile errors."""
    from beamtalk.interp.analysis.declarations import class_view

    table = stdlib_table()
    checked = 0
    for entry in sorted(resources.files("beamtalk.stdlib").iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".bt"):
            continue
        path = f"stdlib/{entry.name}"
        module = parse_module(entry.read_text(encoding="utf-8"), path)
        for stmt in module.body:
            if isinstance(stmt, ast.ClassDef):
                view = class_view(table, stmt.name)
                for member in stmt.members:
                    if isinstance(member, ast.MethodDef):
                        resolve_method(member, view, member.class_side, path)
                        checked += 1
    assert checked > 500
