"""The parser against LANGUAGE.md sections 1 and 2, rule by rule.

Each rule has positive cases that compare the exact AST (spans take no part in equality)
and negative cases that check the DiagnosticError's line, column and message or hint.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from beamtalk.interp.syntax import DiagnosticError, parse_module
from beamtalk.interp.syntax.ast import (
    Assign,
    Block,
    Cascade,
    CharLit,
    ClassDef,
    DefineMethod,
    DictLit,
    FieldDecl,
    FieldRef,
    FloatLit,
    IntegerLit,
    InterpolatedString,
    ListLit,
    Message,
    MethodDef,
    Module,
    Name,
    Primitive,
    Return,
    Send,
    StateDecl,
    StringLit,
    SymbolLit,
    Temporaries,
    TupleLit,
)

# shared/ sits beside the repository (also in CI's fresh clone); /work/shared on developer machines
_SPEC_CANDIDATES = [Path(__file__).resolve().parents[2] / "shared" / "spec" / "LANGUAGE.md",
                    Path("/work/shared/spec/LANGUAGE.md")]
SPEC = next((p for p in _SPEC_CANDIDATES if p.exists()), _SPEC_CANDIDATES[-1])


# ---------------------------------------------------------------- helpers


def parse(source: str) -> tuple:
    """The top-level statements of a source that must parse."""
    module = parse_module(source)
    assert isinstance(module, Module)
    return module.body


def one(source: str):
    """The single top-level statement of a source."""
    body = parse(source)
    assert len(body) == 1, body
    return body[0]


def diagnostics(source: str) -> list:
    with pytest.raises(DiagnosticError) as info:
        parse_module(source)
    assert info.value.diagnostics, "a DiagnosticError must carry diagnostics"
    return info.value.diagnostics


def error(source: str):
    """The first diagnostic of a source that must not parse."""
    return diagnostics(source)[0]


def at(diag, line: int, col: int) -> None:
    assert (diag.line, diag.col) == (line, col), diag


def N(name: str) -> Name:
    return Name(name)


def Int(value: int) -> IntegerLit:
    return IntegerLit(value)


def S(text: str) -> StringLit:
    return StringLit(text)


def Y(text: str) -> SymbolLit:
    return SymbolLit(text)


def send(receiver, selector: str, *args) -> Send:
    return Send(receiver, selector, tuple(args))


def block(*body, params=(), temps=()) -> Block:
    return Block(tuple(params), tuple(temps), tuple(body))


def method(selector, *body, params=(), temps=(), class_side=False, sealed=False, doc=None):
    return MethodDef(selector, tuple(params), tuple(temps), tuple(body), class_side=class_side,
                     sealed=sealed, doc=doc)


def cls(name, superclass, *members, modifier=None, doc=None) -> ClassDef:
    return ClassDef(name, superclass, modifier, tuple(members), doc)


def state(*fields, class_side=False) -> StateDecl:
    return StateDecl(tuple(FieldDecl(n, d) for n, d in fields), class_side)


def members(source: str) -> tuple:
    """The members of the single class a source defines."""
    node = one(source)
    assert isinstance(node, ClassDef)
    return node.members


def src(text: str) -> str:
    return textwrap.dedent(text).strip("\n") + "\n"


# ================================================================ 1. literals


@pytest.mark.parametrize(
    ("source", "node"),
    [
        ("42", Int(42)),
        ("0", Int(0)),
        ("16rFF", Int(255)),
        ("16rff", Int(255)),
        ("2r1010", Int(10)),
        ("36rZZ", Int(1295)),
        ("123456789012345678901234567890", Int(123456789012345678901234567890)),
        ("3.14", FloatLit(3.14)),
        ("2e3", FloatLit(2000.0)),
        ("1.5e-3", FloatLit(0.0015)),
        ("'single quoted'", S("single quoted")),
        ("''", S("")),
        ("'it''s'", S("it's")),
        ('"double quoted"', S("double quoted")),
        ('"a\\nb\\t\\\\\\"\\{\\}"', S('a\nb\t\\"{}')),
        ('""', S("")),
        ("$a", CharLit("a")),
        ("$ ", CharLit(" ")),
        ("$'", CharLit("'")),
        ("$\\n", CharLit("\n")),
        ("$\\t", CharLit("\t")),
        ("$\\r", CharLit("\r")),
        ("$\\\\", CharLit("\\")),
        ("#foo", Y("foo")),
        ("#at:put:", Y("at:put:")),
        ("#+", Y("+")),
        ("#'any text'", Y("any text")),
        ("nil", N("nil")),
        ("true", N("true")),
        ("self", N("self")),
        ("self.name", FieldRef("name")),
        ("Transcript", N("Transcript")),
    ],
)
def test_literal_and_primary(source, node):
    assert one(source) == node


def test_multiline_strings_are_one_literal():
    assert one("x := 'a\nb'\n") == Assign(N("x"), S("a\nb"))
    assert one('x := "a\n  b"\n') == Assign(N("x"), S("a\n  b"))


def test_layout_never_looks_inside_a_string():
    # a string line at column 0 neither ends the statement nor starts a new one
    body = parse("x := 'one\ny := 2\n' size\nz := 3")
    assert body == (Assign(N("x"), send(S("one\ny := 2\n"), "size")), Assign(N("z"), Int(3)))


def test_a_float_out_of_range_is_a_syntax_error():
    diag = error("x := 1e999")
    at(diag, 1, 6)


@pytest.mark.parametrize(("source", "col"), [("x := 'abc", 6), ('x := "abc', 6),
                                             ("x := $", 6), ("x := 37r1", 6)])
def test_bad_literals_are_syntax_errors(source, col):
    at(error(source), 1, col)


# ---------------------------------------------------------------- literal collections


@pytest.mark.parametrize(
    ("source", "node"),
    [
        ("#(1, 2, 3)", ListLit((Int(1), Int(2), Int(3)))),
        ("#(1, 2, 3,)", ListLit((Int(1), Int(2), Int(3)))),
        ("#(1,)", ListLit((Int(1),))),
        ("#()", ListLit(())),
        ("#(#(), #(1))", ListLit((ListLit(()), ListLit((Int(1),))))),
        ("#(x foo, y + 1, z at: 1)",
         ListLit((send(N("x"), "foo"), send(N("y"), "+", Int(1)), send(N("z"), "at:", Int(1))))),
        ("{1, #ok, 'x'}", TupleLit((Int(1), Y("ok"), S("x")))),
        ("{1, 2,}", TupleLit((Int(1), Int(2)))),
        ("{}", TupleLit(())),
        ("#{#a => 1, 'b' => 2}", DictLit(((Y("a"), Int(1)), (S("b"), Int(2))))),
        ("#{#a => 1, 'b' => 2,}", DictLit(((Y("a"), Int(1)), (S("b"), Int(2))))),
        ("#{}", DictLit(())),
        ("#{#k => d at: 1}", DictLit(((Y("k"), send(N("d"), "at:", Int(1))),))),
        ("#{1 + 1 => #(1)}", DictLit(((send(Int(1), "+", Int(1)), ListLit((Int(1),))),))),
    ],
)
def test_literal_collections(source, node):
    assert one(source) == node


def test_literal_collections_span_lines():
    source = src("""
        d := #{
          #a => 1,
          #b => 2
        }
        l := #(1,
        2,
        3
        )
        t := {1,
              2}
    """)
    assert parse(source) == (
        Assign(N("d"), DictLit(((Y("a"), Int(1)), (Y("b"), Int(2))))),
        Assign(N("l"), ListLit((Int(1), Int(2), Int(3)))),
        Assign(N("t"), TupleLit((Int(1), Int(2)))),
    )


def test_list_elements_without_commas_is_an_error_with_a_hint():
    diag = error("#(1 2 3)")
    at(diag, 1, 5)
    assert diag.hint == "separate elements with commas"


def test_list_elements_without_commas_on_later_line():
    diag = error("x := 1\ny := #(#a #b)")
    at(diag, 2, 11)
    assert diag.hint == "separate elements with commas"


def test_list_elements_without_commas_across_lines():
    diag = error("#(1\n  2)")
    at(diag, 2, 3)
    assert diag.hint == "separate elements with commas"


@pytest.mark.parametrize(
    ("source", "line", "col"),
    [
        ("#(1, , 2)", 1, 6),
        ("#(,)", 1, 3),
        ("{,}", 1, 2),
        ("{1 2}", 1, 4),
        ("#{1 => }", 1, 8),
        ("#{ => 1}", 1, 4),
        ("#{#a => 1 #b => 2}", 1, 11),
        ("#(1, 2]", 1, 7),
        ("#{1 => 2)", 1, 9),
    ],
)
def test_malformed_literal_collections(source, line, col):
    at(error(source), line, col)


def test_unclosed_literal_collection_points_at_its_opener():
    diag = error("x := #(1, 2")
    at(diag, 1, 6)
    assert "never closed" in diag.message


def test_dictionary_entry_without_arrow():
    diag = error("#{1}")
    at(diag, 1, 4)
    assert "`=>`" in diag.message
    # a dictionary is not a class body: the hint must not talk about one
    assert diag.hint is None or "class body" not in diag.hint


# ---------------------------------------------------------------- comma: separator or operator


def test_comma_separates_elements_in_list_literal():
    # LANGUAGE.md 2.1: `#(Worker, Helper -> d)` has two elements
    assert one("#(Worker, Helper -> d)") == ListLit(
        (N("Worker"), send(N("Helper"), "->", N("d"))))


def test_concatenation_inside_a_literal_needs_parentheses():
    assert one("#(('a', 'b'), 'c')") == ListLit((send(S("a"), ",", S("b")), S("c")))


def test_comma_is_an_operator_in_parentheses_blocks_and_interpolation():
    assert one("('a', 'b')") == send(S("a"), ",", S("b"))
    assert one("x := 'a', 'b', 'c'") == Assign(
        N("x"), send(send(S("a"), ",", S("b")), ",", S("c")))
    assert one("[a, b]") == block(send(N("a"), ",", N("b")))
    assert one('"{a, b}"') == InterpolatedString((send(N("a"), ",", N("b")),))


def test_comma_separates_in_tuples_and_dictionaries():
    assert one("{a, b}") == TupleLit((N("a"), N("b")))
    assert one("#{#k => (a, b), #j => c}") == DictLit(
        ((Y("k"), send(N("a"), ",", N("b"))), (Y("j"), N("c"))))


def test_innermost_bracket_decides_the_comma():
    # a block inside a list: its comma is an operator; a list inside parens separates
    assert one("#([:x | x, 1], 2)") == ListLit(
        (block(send(N("x"), ",", Int(1)), params=["x"]), Int(2)))
    assert one("(#(1, 2), #(3))") == send(ListLit((Int(1), Int(2))), ",", ListLit((Int(3),)))
    assert one('#("{a, b}", c)') == ListLit(
        (InterpolatedString((send(N("a"), ",", N("b")),)), N("c")))


def test_comma_builds_exception_sets_between_classes():
    node = one("[x foo] on: ZeroDivide, TypeError do: [:e | e]")
    assert node == send(block(send(N("x"), "foo")), "on:do:",
                        send(N("ZeroDivide"), ",", N("TypeError")),
                        block(N("e"), params=["e"]))


def test_comma_has_level_3():
    assert one("a , b * c") == send(N("a"), ",", send(N("b"), "*", N("c")))
    assert one("a , b < c") == send(send(N("a"), ",", N("b")), "<", N("c"))


# ================================================================ 2.1 precedence

LEVELS = {
    1: ["**"],
    2: ["*", "/", "%"],
    3: ["+", "-", "++", ",", "@", "==>", "\\\\", "+-"],
    4: ["<", ">", "<=", ">="],
    5: ["=", "==", "~=", "~~"],
    6: ["&"],
    7: ["->"],
    8: [">>"],
}
PAIRS = [
    (hi_op, lo_op)
    for hi in LEVELS
    for lo in LEVELS
    if hi < lo
    for hi_op, lo_op in [(LEVELS[hi][0], LEVELS[lo][-1]), (LEVELS[hi][-1], LEVELS[lo][0])]
]


@pytest.mark.parametrize(("hi", "lo"), PAIRS)
def test_higher_level_binds_tighter(hi, lo):
    a, b, c = N("a"), N("b"), N("c")
    assert one(f"a {hi} b {lo} c") == send(send(a, hi, b), lo, c)
    assert one(f"a {lo} b {hi} c") == send(a, lo, send(b, hi, c))


@pytest.mark.parametrize(("level", "ops"), [(k, v) for k, v in LEVELS.items() if k != 1])
def test_levels_are_left_associative(level, ops):
    a, b, c = N("a"), N("b"), N("c")
    for first in ops:
        for second in ops:
            assert one(f"a {first} b {second} c") == send(send(a, first, b), second, c)


def test_power_is_right_associative():
    assert one("2 ** 3 ** 2") == send(Int(2), "**", send(Int(3), "**", Int(2)))
    assert one("a ** b ** c ** d") == send(
        N("a"), "**", send(N("b"), "**", send(N("c"), "**", N("d"))))


def test_full_precedence_ladder():
    source = "a >> b -> c & d = e < f + g * h ** i"
    expected = send(N("h"), "**", N("i"))
    expected = send(N("g"), "*", expected)
    expected = send(N("f"), "+", expected)
    expected = send(N("e"), "<", expected)
    expected = send(N("d"), "=", expected)
    expected = send(N("c"), "&", expected)
    expected = send(N("b"), "->", expected)
    expected = send(N("a"), ">>", expected)
    assert one(source) == expected
    reverse = "a ** b * c + d < e = f & g -> h >> i"
    node = N("a")
    for op, name in zip(["**", "*", "+", "<", "=", "&", "->", ">>"], "bcdefghi", strict=True):
        node = send(node, op, N(name))
    assert one(reverse) == node


def test_unary_binds_tighter_than_binary():
    assert one("a foo + b bar baz") == send(send(N("a"), "foo"), "+",
                                            send(send(N("b"), "bar"), "baz"))


def test_binary_binds_tighter_than_keyword():
    assert one("a at: b + c put: d foo ** 2") == send(
        N("a"), "at:put:", send(N("b"), "+", N("c")), send(send(N("d"), "foo"), "**", Int(2)))


def test_keyword_message_takes_all_keywords():
    assert one("x foo: 1 bar: 2 baz: 3") == send(N("x"), "foo:bar:baz:", Int(1), Int(2), Int(3))
    assert one("x foo: (y bar: 2)") == send(N("x"), "foo:", send(N("y"), "bar:", Int(2)))
    assert one("(x foo: 1) bar: 2") == send(send(N("x"), "foo:", Int(1)), "bar:", Int(2))


def test_parentheses_override_precedence():
    assert one("(a + b) * c") == send(send(N("a"), "+", N("b")), "*", N("c"))
    assert one("a ** (b ** c) ** d") == send(
        N("a"), "**", send(send(N("b"), "**", N("c")), "**", N("d")))
    assert one("((((1))))") == Int(1)


def test_keyword_binds_tighter_than_cascade_and_assignment():
    assert one("x := a foo: 1; bar: 2") == Assign(
        N("x"), Cascade(N("a"), (Message("foo:", (Int(1),)), Message("bar:", (Int(2),)))))


def test_return_is_lowest():
    assert one("^ x := a foo; bar") == Return(
        Assign(N("x"), Cascade(N("a"), (Message("foo", ()), Message("bar", ()))))
    )


# ---------------------------------------------------------------- negative literals


@pytest.mark.parametrize(
    ("source", "node"),
    [
        ("3 - -2", send(Int(3), "-", Int(-2))),
        ("x-1", send(N("x"), "-", Int(1))),
        ("x - 1", send(N("x"), "-", Int(1))),
        ("x -1", send(N("x"), "-", Int(1))),
        ("-2 ** 2", send(Int(-2), "**", Int(2))),
        ("x*-1", send(N("x"), "*", Int(-1))),
        ("x--1", send(N("x"), "-", Int(-1))),
        ("a ->-1", send(N("a"), "->", Int(-1))),
        ("-1", Int(-1)),
        ("-3.5", FloatLit(-3.5)),
        ("-16rFF", Int(-255)),
        ("-1 abs", send(Int(-1), "abs")),
        ("x foo: -1", send(N("x"), "foo:", Int(-1))),
        ("#(-1, -2.5)", ListLit((Int(-1), FloatLit(-2.5)))),
        ("#(1 -2)", ListLit((send(Int(1), "-", Int(2)),))),
        ("(3)-1", send(Int(3), "-", Int(1))),
        ("[1]-1", send(block(Int(1)), "-", Int(1))),
        ("{1}-1", send(TupleLit((Int(1),)), "-", Int(1))),
        ("'s'-1", send(S("s"), "-", Int(1))),
        ("$a-1", send(CharLit("a"), "-", Int(1))),
        ("#s-1", send(Y("s"), "-", Int(1))),
        ("true-1", send(N("true"), "-", Int(1))),
        ("self-1", send(N("self"), "-", Int(1))),
        ("self.x-1", send(FieldRef("x"), "-", Int(1))),
        ("x := -1", Assign(N("x"), Int(-1))),
        ("^-1", Return(Int(-1))),
        ("(-1)", Int(-1)),
        ("[-1]", block(Int(-1))),
        ("x foo; + -1", Cascade(N("x"), (Message("foo", ()), Message("+", (Int(-1),))))),
    ],
)
def test_negative_literals(source, node):
    assert one(source) == node


@pytest.mark.parametrize(("source", "col"), [("-x", 1), ("3 + -x", 5), ("(-x)", 2),
                                             ("y := -x", 6), ("a foo: -b", 8)])
def test_minus_before_a_name_is_an_error_with_a_hint(source, col):
    diag = error(source)
    at(diag, 1, col)
    name = source.rsplit("-", 1)[1].strip(")")
    assert diag.hint == f"use `{name} negated`"


def test_minus_with_a_space_before_a_number_where_an_operand_is_expected():
    at(error("- 2"), 1, 1)
    at(error("x - - 2"), 1, 5)


# ---------------------------------------------------------------- messages


def test_unary_sends_chain_left_to_right():
    assert one("x foo bar baz") == send(send(send(N("x"), "foo"), "bar"), "baz")
    assert one("x class name") == send(send(N("x"), "class"), "name")


def test_binary_send_with_any_operator():
    for op in ["+", "-", "*", "/", "\\\\", "<", ">", "=", "~", "%", "&", "@", "?", "==>"]:
        assert one(f"a {op} b") == send(N("a"), op, N("b"))


@pytest.mark.parametrize(("source", "col", "name"), [
    ("x Foo", 3, "Foo"),
    ("3 Transcript", 3, "Transcript"),
    ("x foo Bar", 7, "Bar"),
    ("x := y Object", 8, "Object"),
    ("Transcript show: 'x' Transcript cr", 22, "Transcript"),
    ("x foo; Bar", 8, "Bar"),
    ("a + b Foo", 7, "Foo"),
])
def test_capitalized_identifier_is_never_a_unary_selector(source, col, name):
    diag = error(source)
    at(diag, 1, col)
    assert name in diag.message
    assert diag.hint is not None and "end the previous statement" in diag.hint
    assert "`.`" in diag.hint and "line break" in diag.hint


def test_capitalized_identifier_on_a_deeper_line_is_an_error():
    diag = error("bad := 3\n  Transcript show: 'hi'")
    at(diag, 2, 3)
    assert "end the previous statement" in diag.hint


@pytest.mark.parametrize(("source", "col"), [("3 max:", 7), ("x foo: 1 bar:", 14),
                                             ("x foo: bar:", 8)])
def test_keyword_without_argument(source, col):
    diag = error(source)
    assert diag.line == 1
    assert diag.col == col


# ---------------------------------------------------------------- cascades


def test_cascade_spec_example():
    assert one("Transcript show: 'a'; cr; show: 'b'") == Cascade(
        N("Transcript"),
        (Message("show:", (S("a"),)), Message("cr", ()), Message("show:", (S("b"),))),
    )


def test_cascade_goes_to_the_receiver_of_the_first_parts_last_message():
    assert one("x foo bar; baz") == Cascade(send(N("x"), "foo"),
                                            (Message("bar", ()), Message("baz", ())))
    assert one("3 + 4; * 5") == Cascade(Int(3), (Message("+", (Int(4),)), Message("*", (Int(5),))))
    assert one("a + b foo; bar") == Cascade(N("a"), (Message("+", (send(N("b"), "foo"),)),
                                                     Message("bar", ())))
    assert one("x at: 1 put: 2; at: 3 put: 4 + 5; yourself") == Cascade(
        N("x"),
        (Message("at:put:", (Int(1), Int(2))),
         Message("at:put:", (Int(3), send(Int(4), "+", Int(5)))),
         Message("yourself", ())),
    )


def test_cascade_binary_part_takes_a_unary_operand():
    assert one("x foo; + y bar") == Cascade(
        N("x"), (Message("foo", ()), Message("+", (send(N("y"), "bar"),))))


def test_cascade_in_parentheses_is_an_argument():
    assert one("a foo: (b bar; baz)") == send(
        N("a"), "foo:", Cascade(N("b"), (Message("bar", ()), Message("baz", ()))))


@pytest.mark.parametrize(("source", "col"), [("3; negated", 2), ("a; foo", 2),
                                             ("x := y; foo", 7)])
def test_cascade_needs_a_message_before_the_semicolon(source, col):
    diag = error(source)
    at(diag, 1, col)
    assert "cascade" in diag.message


def test_cascade_with_nothing_after_the_semicolon():
    diag = error("x foo; ")
    assert diag.line == 1


# ---------------------------------------------------------------- assignment and return


def test_assignment_forms():
    assert one("a := 1") == Assign(N("a"), Int(1))
    assert one("a := b := 3") == Assign(N("a"), Assign(N("b"), Int(3)))
    assert one("self.x := 3") == Assign(FieldRef("x"), Int(3))
    assert one("self.x := self.y := a foo: 1") == Assign(
        FieldRef("x"), Assign(FieldRef("y"), send(N("a"), "foo:", Int(1))))
    assert one("x:=1") == Assign(N("x"), Int(1))


@pytest.mark.parametrize(("source", "node"), [
    ("Foo := 3", Assign(N("Foo"), Int(3))),
    ("x := Point := 1", Assign(N("x"), Assign(N("Point"), Int(1)))),
])
def test_assignment_to_a_capitalized_name_is_left_to_analysis(source, node):
    # LANGUAGE.md 1: "assigning to a capitalized name is a compile error" (the conformance
    # suite expects `compile_error`, not `syntax_error`), so the parser builds the Assign
    # and the analysis pass must reject it.
    assert one(source) == node


@pytest.mark.parametrize(("source", "col"), [("3 := x", 3), ("x foo := 3", 7),
                                             ("(x) := 3", 5), ("#s := 1", 4)])
def test_assignment_to_a_non_variable_is_an_error(source, col):
    at(error(source), 1, col)


def test_field_access_on_a_variable_is_an_error_with_a_hint():
    diag = error("p := 7\np.x")
    at(diag, 2, 1)
    assert diag.hint == "fields are private; send `p x`"


def test_return_forms():
    assert one("^ a foo") == Return(send(N("a"), "foo"))
    assert one("^self.value") == Return(FieldRef("value"))
    assert one("^ x := 3") == Return(Assign(N("x"), Int(3)))
    assert one("[:x | ^x]") == block(Return(N("x")), params=["x"])


@pytest.mark.parametrize(("source", "col"), [("x := ^3", 6), ("^ ^ 3", 3), ("a foo: ^3", 8),
                                             ("(^3)", 2), ("3 + ^4", 5)])
def test_return_only_starts_a_statement(source, col):
    at(error(source), 1, col)


# ================================================================ 2.3 blocks


@pytest.mark.parametrize(
    ("source", "node"),
    [
        ("[]", block()),
        ("[:x | ]", block(params=["x"])),
        ("[:x | x]", block(N("x"), params=["x"])),
        ("[:x|x]", block(N("x"), params=["x"])),
        ("[:x :y | x + y]", block(send(N("x"), "+", N("y")), params=["x", "y"])),
        ("[:x :y | | temp | temp := x + y. temp * 2]",
         block(Assign(N("temp"), send(N("x"), "+", N("y"))), send(N("temp"), "*", Int(2)),
               params=["x", "y"], temps=["temp"])),
        ("[| t | t]", block(N("t"), temps=["t"])),
        ("[| a b |]", block(temps=["a", "b"])),
        ("[:x | | a | ]", block(params=["x"], temps=["a"])),
        ("[:x||t|t]", block(N("t"), params=["x"], temps=["t"])),
        ("[1. 2. 3]", block(Int(1), Int(2), Int(3))),
        ("[1. 2.]", block(Int(1), Int(2))),
        ("[[1]]", block(block(Int(1)))),
        ("[:a | [:b | a + b]]",
         block(block(send(N("a"), "+", N("b")), params=["b"]), params=["a"])),
        ("[^nil]", block(Return(N("nil")))),
    ],
)
def test_block_forms(source, node):
    assert one(source) == node


@pytest.mark.parametrize(
    ("source", "line", "col"),
    [
        ("[:x y | x]", 1, 5),
        ("[x | x]", 1, 4),
        ("[:1 | 1]", 1, 3),
        ("1 + 2]", 1, 6),
        ("[1)", 1, 3),
        ("[:x | | a ]", 1, 11),
    ],
)
def test_malformed_blocks(source, line, col):
    at(error(source), line, col)


def test_unclosed_block_points_at_its_opener():
    diag = error("y := 1\nx := [:a | a + 1")
    at(diag, 2, 6)
    assert "never closed" in diag.message


# ================================================================ 2.2 statements and layout


def test_statements_are_separated_by_dots():
    assert parse("a. b foo. c := 1") == (N("a"), send(N("b"), "foo"), Assign(N("c"), Int(1)))
    assert parse("a.. b.") == (N("a"), N("b"))


def test_line_break_ends_a_statement():
    assert parse("a foo\nb bar") == (send(N("a"), "foo"), send(N("b"), "bar"))
    assert parse("Transcript show: 'a'\nTranscript cr") == (
        send(N("Transcript"), "show:", S("a")), send(N("Transcript"), "cr"))


@pytest.mark.parametrize(
    ("source", "node"),
    [
        ("a +\nb", send(N("a"), "+", N("b"))),
        ("m := 3 max:\n7", Assign(N("m"), send(Int(3), "max:", Int(7)))),
        ("a :=\n3", Assign(N("a"), Int(3))),
        ("^\n3", Return(Int(3))),
        ("a ->\nb", send(N("a"), "->", N("b"))),
        ("x foo: 1 bar:\n2", send(N("x"), "foo:bar:", Int(1), Int(2))),
    ],
)
def test_incomplete_line_continues_even_at_the_same_column(source, node):
    assert one(source) == node


def test_deeper_line_continues_the_statement():
    assert one("a\n  foo") == send(N("a"), "foo")
    assert one("t := 1\n  + 2\n  * 3") == Assign(
        N("t"), send(Int(1), "+", send(Int(2), "*", Int(3))))
    assert one("s := 'abc'\n  reversed\n  asUppercase") == Assign(
        N("s"), send(send(S("abc"), "reversed"), "asUppercase"))


def test_any_deeper_column_continues_not_only_the_first():
    # every line deeper than the statement's column (0) continues it
    assert one("a foo\n    b bar\n c") == send(
        send(send(send(N("a"), "foo"), "b"), "bar"), "c")


def test_keyword_at_the_start_of_a_column_0_line_does_not_continue():
    # the line break ended `x foo: 1`; a statement cannot start with a keyword
    at(error("x foo: 1\nbar: 2"), 2, 1)


def test_multi_line_keyword_message_from_the_spec():
    source = src("""
        response := self.model
          complete: question
          context: context
    """)
    assert one(source) == Assign(
        N("response"),
        send(FieldRef("model"), "complete:context:", N("question"), N("context")))


def test_keyword_message_with_block_arguments_over_lines():
    source = src("""
        x > 0
          ifTrue: [
            a foo]
          ifFalse: [b]
    """)
    assert one(source) == send(send(N("x"), ">", Int(0)), "ifTrue:ifFalse:",
                               block(send(N("a"), "foo")), block(N("b")))


def test_statement_after_dot_takes_the_column_of_the_lines_first_token():
    source = "q := 0. w := #(1, 2)\n  inject: 0 into: [:x :y | x + y]"
    assert parse(source) == (
        Assign(N("q"), Int(0)),
        Assign(N("w"), send(ListLit((Int(1), Int(2))), "inject:into:", Int(0),
                            block(send(N("x"), "+", N("y")), params=["x", "y"]))),
    )


def test_statement_after_dot_in_a_method_body_takes_the_lines_column():
    source = "Object subclass: A\n  m =>\n    a := 1. b := 2\n      + 3\n"
    assert members(source) == (
        method("m", Assign(N("a"), Int(1)), Assign(N("b"), send(Int(2), "+", Int(3)))),)
    source = "Object subclass: A\n  m => a := 1. b := 2\n    + 3\n"
    assert members(source) == (
        method("m", Assign(N("a"), Int(1)), Assign(N("b"), send(Int(2), "+", Int(3)))),)


def test_statement_after_dot_in_a_block_keeps_its_own_column():
    # the "first token of the line" rule applies outside blocks only
    assert one("[:x | a foo. b bar\n    baz]") == block(
        send(N("a"), "foo"), send(N("b"), "bar"), N("baz"), params=["x"])
    assert one("[:x | a foo. b bar\n              + 3]") == block(
        send(N("a"), "foo"), send(send(N("b"), "bar"), "+", Int(3)), params=["x"])


def test_line_starting_with_minus_one_after_a_complete_statement_is_a_new_statement():
    assert parse("x := 3\n-1 printString") == (Assign(N("x"), Int(3)),
                                               send(Int(-1), "printString"))
    assert parse("x := 3\n-1") == (Assign(N("x"), Int(3)), Int(-1))


def test_deeper_line_starting_with_minus_continues_as_subtraction():
    assert one("x := 3\n  -1") == Assign(N("x"), send(Int(3), "-", Int(1)))


def test_line_breaks_inside_brackets_are_whitespace():
    assert one("x := (1 +\n2\n)") == Assign(N("x"), send(Int(1), "+", Int(2)))
    assert one("x := (a\nfoo)") == Assign(N("x"), send(N("a"), "foo"))
    assert one('x := "{a\nfoo}"') == Assign(N("x"), InterpolatedString((send(N("a"), "foo"),)))
    assert one("x := {1,\n2}") == Assign(N("x"), TupleLit((Int(1), Int(2))))
    assert one("x := #{1\n=> 2}") == Assign(N("x"), DictLit(((Int(1), Int(2)),)))


def test_blank_and_comment_lines_do_not_end_a_continued_statement():
    assert one("x := 1 +\n\n  2") == Assign(N("x"), send(Int(1), "+", Int(2)))
    assert one("x := a\n  // comment\n  foo") == Assign(N("x"), send(N("a"), "foo"))
    assert one("x := a /* c\n c */\n  foo") == Assign(N("x"), send(N("a"), "foo"))


def test_closing_bracket_may_stand_at_any_column():
    assert one("dbl := [:x |\n  x * 2\n]") == Assign(
        N("dbl"), block(send(N("x"), "*", Int(2)), params=["x"]))
    assert one("x := [:a |\n  a\n] value: 3") == Assign(
        N("x"), send(block(N("a"), params=["a"]), "value:", Int(3)))
    assert one("x := #(1,\n      2\n)") == Assign(N("x"), ListLit((Int(1), Int(2))))
    assert one("x := (1\n        )") == Assign(N("x"), Int(1))


def test_crlf_line_breaks():
    assert parse("a foo\r\nb bar\r\n") == (send(N("a"), "foo"), send(N("b"), "bar"))
    assert one("a +\r\n  b") == send(N("a"), "+", N("b"))


# ---------------------------------------------------------------- layout inside blocks


def test_in_block_example_is_two_statements():
    # LANGUAGE.md 2.2: the first statement's column is that of `Transcript`
    source = "[:e | Transcript show: e\n  Transcript cr]"
    assert one(source) == block(send(N("Transcript"), "show:", N("e")),
                                send(N("Transcript"), "cr"), params=["e"])


def test_in_block_example_inside_a_keyword_message():
    source = "#('a', 'b') do: [:e | Transcript show: e\n  Transcript cr]"
    assert one(source) == send(
        ListLit((S("a"), S("b"))), "do:",
        block(send(N("Transcript"), "show:", N("e")), send(N("Transcript"), "cr"),
              params=["e"]))


def test_block_statements_separated_by_line_breaks():
    source = "blk := [\n  | u |\n  u := 3\n  u * u] value"
    assert one(source) == Assign(
        N("blk"), send(block(Assign(N("u"), Int(3)), send(N("u"), "*", N("u")), temps=["u"]),
                       "value"))


def test_block_minus_one_line_is_a_new_statement():
    assert one("v := [\n  5\n  -1] value") == Assign(N("v"), send(block(Int(5), Int(-1)), "value"))
    assert one("[5\n-1]") == block(Int(5), Int(-1))


def test_block_deeper_line_continues():
    assert one("v2 := [:n |\n  n\n    + 1] value: 4") == Assign(
        N("v2"), send(block(send(N("n"), "+", Int(1)), params=["n"]), "value:", Int(4)))


def test_block_incomplete_line_continues():
    assert one("[x :=\ny]") == block(Assign(N("x"), N("y")))
    assert one("[:x | x foo:\n1]") == block(send(N("x"), "foo:", Int(1)), params=["x"])


def test_block_line_left_of_statement_column_is_a_new_statement():
    assert one("[:x | x foo\n    bar\n  baz]") == block(
        send(N("x"), "foo"), N("bar"), N("baz"), params=["x"])


def test_block_inside_parentheses_keeps_block_layout():
    assert one("(x collect: [:e |\ne foo\ne bar])") == send(
        N("x"), "collect:", block(send(N("e"), "foo"), send(N("e"), "bar"), params=["e"]))


def test_parentheses_inside_a_block_make_line_breaks_whitespace():
    assert one("v3 := [(1\n    + 2)] value") == Assign(
        N("v3"), send(block(send(Int(1), "+", Int(2))), "value"))
    assert one("v4 := [#(1,\n    2) size] value") == Assign(
        N("v4"), send(block(send(ListLit((Int(1), Int(2))), "size")), "value"))


# ---------------------------------------------------------------- tabs


def test_consistent_tab_indentation_is_fine():
    source = "Object subclass: LangTabbed\n\tone => 1\n\ttwo => 2\n"
    assert members(source) == (method("one", Int(1)), method("two", Int(2)))


def test_tab_counts_to_the_next_multiple_of_eight_for_continuation():
    assert one("a foo\n\tbar") == send(send(N("a"), "foo"), "bar")


@pytest.mark.parametrize(
    ("source", "line", "col"),
    [
        # 8 spaces and one tab are the same column only when a tab is 8 wide
        ("Object subclass: LangTabMix\n        one => 1\n\ttwo => 2\n", 3, 9),
        ("Object subclass: A\n\tfoo => 1\n        bar => 2\n", 3, 9),
        ("Object subclass: A\n    foo => 1\n\tbar => 2\n", 3, 9),
        ("Object subclass: A\n  foo =>\n        a\n\tb\n", 4, 9),
    ],
)
def test_indentation_whose_meaning_depends_on_tab_size_is_an_error(source, line, col):
    diag = error(source)
    at(diag, line, col)
    assert "tab" in diag.message


# ================================================================ interpolated strings


def test_interpolated_string_parts():
    assert one('"a {x + 1} b"') == InterpolatedString(
        ("a ", send(N("x"), "+", Int(1)), " b"))


def test_interpolated_string_spec_example():
    assert one('"Hello, {name}! {1 + 2}"') == InterpolatedString(
        ("Hello, ", N("name"), "! ", send(Int(1), "+", Int(2))))


def test_interpolation_holds_any_expression():
    assert one('"{x foo: 1 bar: 2}"') == InterpolatedString(
        (send(N("x"), "foo:bar:", Int(1), Int(2)),))
    assert one('"{a foo; bar}"') == InterpolatedString(
        (Cascade(N("a"), (Message("foo", ()), Message("bar", ()))),))
    assert one('"{[:x | x] value: 1}"') == InterpolatedString(
        (send(block(N("x"), params=["x"]), "value:", Int(1)),))
    assert one('"{#{1 => 2} size}"') == InterpolatedString(
        (send(DictLit(((Int(1), Int(2)),)), "size"),))
    assert one('"{ {1} }"') == InterpolatedString((TupleLit((Int(1),)),))
    assert one('"{1}{2}"') == InterpolatedString((Int(1), Int(2)))


def test_nested_strings_inside_interpolation():
    assert one('"a {"in {y}"} b"') == InterpolatedString(
        ("a ", InterpolatedString(("in ", N("y"))), " b"))
    assert one("\"a {'q'} b\"") == InterpolatedString(("a ", S("q"), " b"))
    assert one('"x {"plain"} y"') == InterpolatedString(("x ", S("plain"), " y"))
    assert one("\"{'}'}\"") == InterpolatedString((S("}"),))


def test_escaped_braces_are_text():
    assert one('"\\{x\\}"') == S("{x}")
    assert one('"\\{{x}\\}"') == InterpolatedString(("{", N("x"), "}"))


def test_interpolated_string_spans_lines():
    assert one('"a\nb {x +\n1}"') == InterpolatedString(("a\nb ", send(N("x"), "+", Int(1))))


@pytest.mark.parametrize(
    ("source", "line", "col"),
    [
        ('"a {}"', 1, 4),
        ('"a {x"', 1, 4),
        ('"a }"', 1, 4),
        ('"bad \\z escape"', 1, 6),
        ('"a {x. y}"', 1, 6),
        ('"a {)}"', 1, 5),
        ('"a {x +}"', 1, 8),
        ('x := 1\n"{y := }"', 2, 7),
    ],
)
def test_interpolation_errors(source, line, col):
    at(error(source), line, col)


# ================================================================ 2.5 classes


def test_class_spec_example():
    source = src("""
        /// A counter.
        Actor subclass: Counter
          state: value = 0
          state: step = 1
          classState: instances = 0

          increment => self.value := self.value + self.step
          incrementBy: n =>
            self.value := self.value + n
            ^self.value
          + other => self.value + other
          class named: aName => ^self spawnWith: #{#value => 0}
          class count => self.instances
    """)
    value_plus = send(FieldRef("value"), "+", FieldRef("step"))
    assert one(source) == cls(
        "Counter", "Actor",
        state(("value", Int(0))),
        state(("step", Int(1))),
        state(("instances", Int(0)), class_side=True),
        method("increment", Assign(FieldRef("value"), value_plus)),
        method("incrementBy:", Assign(FieldRef("value"), send(FieldRef("value"), "+", N("n"))),
               Return(FieldRef("value")), params=["n"]),
        method("+", send(FieldRef("value"), "+", N("other")), params=["other"]),
        method("named:", Return(send(N("self"), "spawnWith:",
                                     DictLit(((Y("value"), Int(0)),)))),
               params=["aName"], class_side=True),
        method("count", FieldRef("instances"), class_side=True),
        doc="A counter.",
    )


@pytest.mark.parametrize(
    ("source", "node"),
    [
        ("Agent subclass: Critic", cls("Critic", "Agent")),
        ("Agent subclass: Critic\n", cls("Critic", "Agent")),
        ("abstract Object subclass: Shape", cls("Shape", "Object", modifier="abstract")),
        ("sealed Number subclass: Integer", cls("Integer", "Number", modifier="sealed")),
    ],
)
def test_class_header_forms(source, node):
    assert one(source) == node


def test_empty_classes_in_a_row_and_statements_after():
    source = src("""
        Agent subclass: Critic
        abstract Object subclass: Shape

        x := 1
    """)
    assert parse(source) == (cls("Critic", "Agent"),
                             cls("Shape", "Object", modifier="abstract"),
                             Assign(N("x"), Int(1)))


def test_subclass_keyword_not_at_statement_start_is_an_ordinary_message():
    assert one("x := Object subclass: Foo") == Assign(
        N("x"), send(N("Object"), "subclass:", N("Foo")))
    assert one("(Object subclass: Foo)") == send(N("Object"), "subclass:", N("Foo"))
    assert members("Object subclass: A\n  make => Object subclass: B") == (
        method("make", send(N("Object"), "subclass:", N("B"))),)


def test_class_body_ends_at_a_column_0_line():
    source = "Object subclass: A\n  foo => 1\nx := A new foo\n"
    assert parse(source) == (cls("A", "Object", method("foo", Int(1))),
                             Assign(N("x"), send(send(N("A"), "new"), "foo")))


def test_state_single_and_comma_separated():
    source = src("""
        Object subclass: P
          state: a
          state: b = 2
          state: x = 1, y, z = x + 1
          classState: count = 0, names = #()
    """)
    assert members(source) == (
        state(("a", None)),
        state(("b", Int(2))),
        state(("x", Int(1)), ("y", None), ("z", send(N("x"), "+", Int(1)))),
        state(("count", Int(0)), ("names", ListLit(())), class_side=True),
    )


def test_state_multi_line_as_in_research_agent():
    source = src("""
        Actor subclass: ResearchAgent
          state:
            model = #echo,
            memory = #(),
            tools = ToolRegistry default
    """)
    assert members(source) == (
        state(("model", Y("echo")), ("memory", ListLit(())),
              ("tools", send(N("ToolRegistry"), "default"))),
    )


def test_state_default_continues_on_deeper_lines():
    assert members("Object subclass: A\n  state: a = 1\n    + 2\n  b => 3") == (
        state(("a", send(Int(1), "+", Int(2)))), method("b", Int(3)))


def test_state_defaults_may_use_commas_inside_brackets():
    source = src("""
        Object subclass: A
          state: f = [:x | x, 1], g = #(1, 2), h = (1, 2), d = Dictionary new: 3, e
    """)
    assert members(source) == (
        state(("f", block(send(N("x"), ",", Int(1)), params=["x"])),
              ("g", ListLit((Int(1), Int(2)))),
              ("h", send(Int(1), ",", Int(2))),
              ("d", send(N("Dictionary"), "new:", Int(3))),
              ("e", None)),
    )


def test_research_agent_query_method():
    source = src("""
        Actor subclass: ResearchAgent
          query: question =>
            | context response |
            context := self.memory last: 10
            response := self.model
              complete: question
              context: context
              tools: self.tools
            self.memory := self.memory add: #{#question => question, #response => response}
            ^response
    """)
    (query,) = members(source)
    assert query == method(
        "query:",
        Assign(N("context"), send(FieldRef("memory"), "last:", Int(10))),
        Assign(N("response"), send(FieldRef("model"), "complete:context:tools:", N("question"),
                                   N("context"), FieldRef("tools"))),
        Assign(FieldRef("memory"), send(FieldRef("memory"), "add:", DictLit(
            ((Y("question"), N("question")), (Y("response"), N("response")))))),
        Return(N("response")),
        params=["question"], temps=["context", "response"],
    )


def test_method_pattern_kinds():
    source = src("""
        Object subclass: A
          getValue => 1
          + other => other
          , other => other
          - other => other
          == other => other
          at: i put: v => v
          value: x => x
    """)
    assert members(source) == (
        method("getValue", Int(1)),
        method("+", N("other"), params=["other"]),
        method(",", N("other"), params=["other"]),
        method("-", N("other"), params=["other"]),
        method("==", N("other"), params=["other"]),
        method("at:put:", N("v"), params=["i", "v"]),
        method("value:", N("x"), params=["x"]),
    )


def test_method_modifiers_class_and_sealed():
    source = src("""
        Object subclass: A
          class make => 1
          sealed fixed => 2
          sealed class both => 3
          class sealed other => 4
          class at: k => k
          sealed + x => x
    """)
    assert members(source) == (
        method("make", Int(1), class_side=True),
        method("fixed", Int(2), sealed=True),
        method("both", Int(3), class_side=True, sealed=True),
        method("other", Int(4), class_side=True, sealed=True),
        method("at:", N("k"), params=["k"], class_side=True),
        method("+", N("x"), params=["x"], sealed=True),
    )


def test_unary_method_named_class():
    # LANGUAGE.md 2.5: `class =>`, with nothing between, is a unary method named `class`
    source = src("""
        Object subclass: A
          class => 42
          class class => 43
          sealed => 44
    """)
    assert members(source) == (
        method("class", Int(42)),
        method("class", Int(43), class_side=True),
        method("sealed", Int(44)),
    )


def test_method_body_on_the_pattern_line_continues_on_deeper_lines():
    source = src("""
        Object subclass: A
          foo => 1 +
            2
          bar => x
           baz
          both => #(1, 2)
            inject: 0 into: [:x :y | x + y]
          class qux => y
           quux
    """)
    assert members(source) == (
        method("foo", send(Int(1), "+", Int(2))),
        method("bar", send(N("x"), "baz")),
        method("both", send(ListLit((Int(1), Int(2))), "inject:into:", Int(0),
                            block(send(N("x"), "+", N("y")), params=["x", "y"]))),
        method("qux", send(N("y"), "quux"), class_side=True),
    )


def test_inline_body_with_dots_and_temporaries():
    source = src("""
        Object subclass: A
          at: i put: v => | t | t := i. v
          two => 1. 2.
    """)
    assert members(source) == (
        method("at:put:", Assign(N("t"), N("i")), N("v"), params=["i", "v"], temps=["t"]),
        method("two", Int(1), Int(2)),
    )


def test_method_body_indented_after_arrow():
    source = src("""
        Object subclass: LangCalc
          total =>
            | n |
            n := 1 +
            2
            ^n * 10
          two =>
            | v |
            v := 5
            v + 1
          multi =>
            | z |
            z := 4. z := z * 2
            z
          deep =>
            x foo
              bar
            -1
    """)
    assert members(source) == (
        method("total", Assign(N("n"), send(Int(1), "+", Int(2))),
               Return(send(N("n"), "*", Int(10))), temps=["n"]),
        method("two", Assign(N("v"), Int(5)), send(N("v"), "+", Int(1)), temps=["v"]),
        method("multi", Assign(N("z"), Int(4)), Assign(N("z"), send(N("z"), "*", Int(2))),
               N("z"), temps=["z"]),
        method("deep", send(send(N("x"), "foo"), "bar"), Int(-1)),
    )


def test_comment_after_the_arrow_still_opens_an_indented_body():
    assert members("Object subclass: A\n  foo => // comment\n    1\n") == (
        method("foo", Int(1)),)


def test_empty_method_bodies():
    source = src("""
        Object subclass: A
          empty =>
          class alsoEmpty =>
          last =>
    """)
    assert members(source) == (
        method("empty"),
        method("alsoEmpty", class_side=True),
        method("last"),
    )


def test_blank_lines_and_comments_inside_a_class_body():
    source = src("""
        Object subclass: A

          // a comment
          foo => 1

        // a column-0 comment does not end the body
          bar => 2
    """)
    assert members(source) == (method("foo", Int(1)), method("bar", Int(2)))


def test_closing_bracket_at_column_0_inside_a_class_body():
    source = "Object subclass: A\n  foo => [:x |\n    x\n]\n  bar => 2\n"
    assert members(source) == (method("foo", block(N("x"), params=["x"])),
                               method("bar", Int(2)))


# ---------------------------------------------------------------- class errors


def test_class_names_are_capitalized():
    diag = error("Object subclass: foo")
    at(diag, 1, 18)
    assert "capitalized" in diag.message


def test_class_header_stands_alone_on_its_line():
    diag = error("Object subclass: Foo bar")
    at(diag, 1, 22)
    assert diag.hint == "a class header stands alone on its line"


def test_members_must_be_indented_under_the_header():
    diag = error("Object subclass: A\nfoo => 1")
    at(diag, 2, 5)


def test_unknown_header_modifier():
    at(error("bogus Object subclass: A"), 1, 7)


@pytest.mark.parametrize(
    ("source", "line", "col"),
    [
        ("Object subclass: A\n  state: a := 1", 2, 12),
        ("Object subclass: A\n  state: a + 1", 2, 12),
        ("Object subclass: A\n  state: 1", 2, 10),
        ("Object subclass: A\n  state: a = ", 2, 13),
        ("Object subclass: A\n  state: a = 1,", 2, 16),
        ("Object subclass: A\n  foo: => 1", 2, 8),
        ("Object subclass: A\n  foo bar => 1", 2, 7),
        ("Object subclass: A\n  x := 3", 2, 5),
        ("Object subclass: A\n  foo => 1\n   bar => 2", 3, 8),
        ("Object subclass: A\n  foo => @primitive. 1", 2, 10),
        ("Object subclass: A\n  foo =>\n    @primitive\n    1", 3, 5),
    ],
)
def test_malformed_class_bodies(source, line, col):
    at(error(source), line, col)


def test_method_body_line_matching_no_level_is_an_error():
    diag = error("Object subclass: A\n  foo =>\n    a\n   b")
    at(diag, 4, 4)
    assert "indentation" in diag.message


def test_member_line_left_of_the_members_column_is_an_error():
    # LANGUAGE.md 2.5: members are indented under the header, all at the same column
    diag = error("Object subclass: A\n    foo => 1\n  bar => 2")
    at(diag, 3, 3)
    assert "indentation" in diag.message


def test_statement_between_member_column_and_column_0_is_an_error():
    # a line indented under the header but not at the members' column
    diag = error("Object subclass: A\n    foo => 1\n  x := 3")
    at(diag, 3, 3)


def test_define_method_body_line_matching_no_level_is_an_error():
    # LANGUAGE.md 2.5: the body lines are indented deeper than the pattern line, all at one column
    diag = error("Foo >> bar =>\n    a\n  b")
    at(diag, 3, 3)


# ---------------------------------------------------------------- doc comments


def test_doc_comments_for_classes_and_methods():
    source = src("""
        /// Tight.
        ///  Two spaces.
        ///No space.
        Object subclass: LangTight
          /// Makes one.
          /// Really.
          class make => self new

          /// Sealed.
          sealed fixed => 1
          undocumented => 2
    """)
    node = one(source)
    assert node.doc == "Tight.\n Two spaces.\nNo space."
    assert node.members == (
        method("make", send(N("self"), "new"), class_side=True, doc="Makes one.\nReally."),
        method("fixed", Int(1), sealed=True, doc="Sealed."),
        method("undocumented", Int(2)),
    )


def test_doc_comment_on_an_abstract_class_header():
    assert one("/// Shapes.\nabstract Object subclass: Shape").doc == "Shapes."


def test_doc_comment_must_be_directly_above():
    source = src("""
        /// Not attached.

        Object subclass: U
          /// Also not attached.

          m => 1
          // plain comment
          n => 2
    """)
    node = one(source)
    assert node.doc is None
    assert [m.doc for m in node.members] == [None, None]


def test_doc_comment_on_a_top_level_definition():
    node = one("/// Doubles.\nInteger >> double => self * 2")
    assert node == DefineMethod("Integer", method("double", send(N("self"), "*", Int(2)),
                                                  doc="Doubles."))
    node = one("/// Makes.\n/// Two.\nFoo class >> make => 1")
    assert node == DefineMethod("Foo", method("make", Int(1), class_side=True,
                                              doc="Makes.\nTwo."))
    assert one("/// Far.\n\nFoo >> bar => 1").method.doc is None


# ---------------------------------------------------------------- method source


def source_of(text: str, index: int = 0) -> str:
    node = one(text)
    if isinstance(node, DefineMethod):
        return node.method.source
    return node.members[index].source


COUNTER = src("""
    Actor subclass: Counter
      state: value = 0

      increment => self.value := self.value + 1
      incrementBy: n =>
        self.value := self.value + n
        ^self.value
      class named: aName => ^self spawnWith: #{#value => 0}
      bar =>
        x foo
          bar   // trailing comment
      empty =>
      spaced =>   \n        1   \n
      last => 9
""")


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        (1, "increment => self.value := self.value + 1"),
        (2, "incrementBy: n =>\n  self.value := self.value + n\n  ^self.value"),
        (3, "named: aName => ^self spawnWith: #{#value => 0}"),
        (4, "bar =>\n  x foo\n    bar"),
        (6, "spaced =>\n  1"),
    ],
)
def test_method_source_is_pattern_to_end_of_body(index, expected):
    assert source_of(COUNTER, index) == expected


def test_method_source_of_an_empty_body_includes_the_arrow():
    # LANGUAGE.md 2.5: the text from the pattern to the end of the body
    assert source_of(COUNTER, 5) == "empty =>"


def test_method_source_with_crlf_line_breaks():
    node = one("Object subclass: A\r\n  foo =>\r\n    1\r\n  bar => 2   \r\n")
    assert [m.source for m in node.members] == ["foo =>\n  1", "bar => 2"]


def test_method_source_of_a_top_level_definition():
    text = src("""
        Counter >> increment =>
          Transcript show: 'incrementing'; cr.
          self.value := self.value + 10
    """)
    assert source_of(text) == (
        "increment =>\n  Transcript show: 'incrementing'; cr.\n  self.value := self.value + 10")
    assert source_of("Integer >> double => self * 2") == "double => self * 2"


# ================================================================ 2.6 live method definition


@pytest.mark.parametrize(
    ("source", "node"),
    [
        ("Counter >> increment => self.value := 1",
         DefineMethod("Counter", method("increment", Assign(FieldRef("value"), Int(1))))),
        ("Integer >> double => self * 2",
         DefineMethod("Integer", method("double", send(N("self"), "*", Int(2))))),
        ("Integer >> + other => 3",
         DefineMethod("Integer", method("+", Int(3), params=["other"]))),
        ("Foo >> , other => other",
         DefineMethod("Foo", method(",", N("other"), params=["other"]))),
        ("Foo >> at: i put: v => i",
         DefineMethod("Foo", method("at:put:", N("i"), params=["i", "v"]))),
        ("Counter class >> named: n => ^n",
         DefineMethod("Counter", method("named:", Return(N("n")), params=["n"],
                                        class_side=True))),
        ("Foo >> bar =>", DefineMethod("Foo", method("bar"))),
        ("Foo >> class => 1", DefineMethod("Foo", method("class", Int(1)))),
        ("Foo class >> class => 1", DefineMethod("Foo", method("class", Int(1), class_side=True))),
        ("Foo >> bar => @primitive", DefineMethod("Foo", method("bar", Primitive(None)))),
        ("Foo >> bar => | t | t := 1. t",
         DefineMethod("Foo", method("bar", Assign(N("t"), Int(1)), N("t"), temps=["t"]))),
    ],
)
def test_define_method(source, node):
    assert one(source) == node


def test_define_method_with_indented_body_then_more_statements():
    source = src("""
        Counter >> increment =>
          Transcript show: 'incrementing'; cr.
          self.value := self.value + 10

        c increment await
    """)
    assert parse(source) == (
        DefineMethod("Counter", method(
            "increment",
            Cascade(N("Transcript"), (Message("show:", (S("incrementing"),)), Message("cr", ()))),
            Assign(FieldRef("value"), send(FieldRef("value"), "+", Int(10))))),
        send(send(N("c"), "increment"), "await"),
    )


def test_define_method_inline_body_continues_on_deeper_lines():
    assert parse("Foo >> bar => x\n  baz\nqux") == (
        DefineMethod("Foo", method("bar", send(N("x"), "baz"))), N("qux"))


def test_define_method_class_side_indented_body():
    source = "Counter class >> named: n =>\n    | t |\n    t := n\n    ^t\nx := 1"
    assert parse(source) == (
        DefineMethod("Counter", method("named:", Assign(N("t"), N("n")), Return(N("t")),
                                       params=["n"], temps=["t"], class_side=True)),
        Assign(N("x"), Int(1)),
    )


@pytest.mark.parametrize(
    ("source", "node"),
    [
        ("Counter >> #increment", send(N("Counter"), ">>", Y("increment"))),
        ("Counter class >> #named:", send(send(N("Counter"), "class"), ">>", Y("named:"))),
        ("(Counter >> #increment) source",
         send(send(N("Counter"), ">>", Y("increment")), "source")),
        ("x := Counter >> #increment", Assign(N("x"), send(N("Counter"), ">>", Y("increment")))),
        ("Foo >> bar", send(N("Foo"), ">>", N("bar"))),
    ],
)
def test_selector_lookup_is_an_expression(source, node):
    assert one(source) == node


def test_arrow_outside_a_definition_is_an_error():
    diag = error("x := Foo >> bar => 1")
    at(diag, 1, 17)
    assert "=>" in diag.message


def test_arrow_in_an_expression_is_an_error():
    at(error("a foo => 1"), 1, 7)


# ---------------------------------------------------------------- @primitive


def test_primitive_method_bodies():
    source = src("""
        sealed Number subclass: Integer
          + other => @primitive
          printString => @primitive 'int_print'
          gcd: n =>
            @primitive
    """)
    assert one(source) == cls(
        "Integer", "Number",
        method("+", Primitive(None), params=["other"]),
        method("printString", Primitive("int_print")),
        method("gcd:", Primitive(None), params=["n"]),
        modifier="sealed",
    )


def test_primitive_must_be_the_whole_body():
    diag = error("Object subclass: A\n  foo => 1. @primitive")
    at(diag, 2, 13)
    assert "@primitive" in diag.message


# ---------------------------------------------------------------- top-level temporaries


def test_top_level_temporaries():
    assert parse("| a b |\na := 1") == (Temporaries(("a", "b")), Assign(N("a"), Int(1)))
    assert parse("x := 1\n| a |") == (Assign(N("x"), Int(1)), Temporaries(("a",)))
    assert parse("| a |. a := 2") == (Temporaries(("a",)), Assign(N("a"), Int(2)))


def test_top_level_temporaries_followed_by_a_statement_on_the_same_line():
    # Smalltalk's `| a b | a := 1` (LANGUAGE.md is silent; 2.3 allows it in blocks and
    # 2.5 in method bodies on the pattern line)
    assert parse("| a b | a := 1") == (Temporaries(("a", "b")), Assign(N("a"), Int(1)))


def test_malformed_temporaries():
    at(error("| a 1 |"), 1, 5)
    at(error("| a"), 1, 4)


# ================================================================ error recovery


def test_every_broken_top_level_statement_is_reported():
    source = "a b c := 1\nok := 2\nz := 3 +* := 4\nw := 1\n"
    diags = diagnostics(source)
    assert [(d.line, d.col) for d in diags] == [(1, 7), (3, 11)]


def test_good_statements_between_broken_ones_are_parsed():
    # the middle statement is parsed after recovery: breaking it adds a third diagnostic
    good = "x := 1 +* := 2\ny := #(1, 2)\nz := 3 +* := 4\n"
    bad = "x := 1 +* := 2\ny := #(1 2)\nz := 3 +* := 4\n"
    assert [d.line for d in diagnostics(good)] == [1, 3]
    assert [d.line for d in diagnostics(bad)] == [1, 2, 3]


def test_statements_between_bracket_errors_are_parsed():
    good = "x := )\ny := #(1, 2)\nz := ]\n"
    bad = "x := )\ny := #(1 2)\nz := ]\n"
    assert [d.line for d in diagnostics(good)] == [1, 3]
    assert [d.line for d in diagnostics(bad)] == [1, 2, 3]


def test_recovery_after_a_class_with_a_broken_method():
    source = src("""
        Object subclass: A
          foo => 1 +* := 2
          bar => 3
        ok := 1
        Object subclass: B
          baz => #(1 2)
        q := 2
    """)
    assert [(d.line, d.col) for d in diagnostics(source)] == [(2, 15), (6, 14)]


def test_a_later_bracket_error_does_not_hide_an_earlier_parse_error():
    source = "a b c := 1\nok := 2\nz := ]\n"
    assert [(d.line, d.col) for d in diagnostics(source)] == [(1, 7), (3, 6)]


def test_lexical_and_parse_errors_are_all_reported():
    source = "x := 1e999\ny := 2\nz := )\nw := p.q\n"
    assert [d.line for d in diagnostics(source)] == [1, 3, 4]


def test_unexpected_end_of_input():
    for source in ["y :=", "1 +", "3 max:", "x := (1 +"]:
        diag = error(source)
        assert diag.line == 1


def test_diagnostics_carry_the_filename():
    with pytest.raises(DiagnosticError) as info:
        parse_module("x := )", filename="demo.bt")
    assert info.value.diagnostics[0].filename == "demo.bt"
    assert str(info.value).startswith("demo.bt:1:6:")


def test_unknown_characters_are_diagnostics():
    at(error("x := 1 ! 2"), 1, 8)
    at(error("x := café"), 1, 9)
    at(error("`x`"), 1, 1)


# ================================================================ spans


def test_nodes_carry_one_based_spans():
    node = one("x := -16rFF foo")
    assert (node.span.line, node.span.col, node.span.end_line, node.span.end_col) == (1, 1, 1, 16)
    literal = node.value.receiver
    assert literal == Int(-255)
    assert (literal.span.line, literal.span.col, literal.span.end_col) == (1, 6, 12)


def test_spans_do_not_take_part_in_equality():
    assert parse("a foo: 1") == parse("a\n    foo:\n      1")


# ================================================================ whole programs


def spec_code_blocks() -> list[str]:
    text = SPEC.read_text(encoding="utf-8")
    found = re.findall(r"^( *)```[^\n]*\n(.*?)^\1```", text, re.M | re.S)
    return [textwrap.dedent(body) for _, body in found]


SPEC_BLOCKS = spec_code_blocks() if SPEC.exists() else []


@pytest.mark.skipif(not SPEC.exists(), reason="the shared spec is not checked out")
def test_spec_has_code_blocks():
    assert len(SPEC_BLOCKS) >= 5


@pytest.mark.parametrize("code", SPEC_BLOCKS,
                         ids=[f"block{i}" for i in range(len(SPEC_BLOCKS))])
def test_every_spec_code_block_parses(code):
    assert parse(code)


def test_counter_example_structure():
    source = src("""
        Actor subclass: Counter
          state: value = 0

          increment => self.value := self.value + 1
          getValue => ^self.value

        c := Counter spawn
        c increment
        (c getValue) await          // => 1

        Counter >> increment =>
          Transcript show: 'incrementing'; cr.
          self.value := self.value + 10

        c increment await           // prints "incrementing", => 11
        c respondsTo: #getValue     // => true
        Counter methods             // => #(#getValue, #increment)
    """)
    body = parse(source)
    assert [type(s).__name__ for s in body] == [
        "ClassDef", "Assign", "Send", "Send", "DefineMethod", "Send", "Send", "Send"]
    assert body[3] == send(send(N("c"), "getValue"), "await")
    assert body[6] == send(N("c"), "respondsTo:", Y("getValue"))


def test_supervisor_example_children():
    source = src("""
        Supervisor subclass: ResearchTeam
          class strategy => #oneForOne              // #oneForOne | #oneForAll | #restForOne
          class children => #(Researcher, Critic -> #{#model => #echo})
    """)
    assert members(source) == (
        method("strategy", Y("oneForOne"), class_side=True),
        method("children", ListLit((N("Researcher"), send(
            N("Critic"), "->", DictLit(((Y("model"), Y("echo")),))))), class_side=True),
    )


def test_overlapping_parses_leave_the_cycle_collector_as_they_found_it():
    """Two threads pausing the collector at once: the later resume must not leave it off."""
    import gc
    import threading

    from beamtalk.interp.syntax.parser import gc_paused

    was = gc.isenabled()
    gc.enable()
    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()

    def first() -> None:
        with gc_paused():
            a_in.set()
            b_in.wait(10)
        a_out.set()

    def second() -> None:
        a_in.wait(10)
        with gc_paused():
            b_in.set()
            a_out.wait(10)

    threads = [threading.Thread(target=f) for f in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert gc.isenabled()
    finally:
        if not was:
            gc.disable()
