"""The printer is the parser's inverse: `parse_module(to_source(m)) == m` for generated trees."""

from __future__ import annotations

import pytest
from ast_strategies import class_defs, define_methods, expressions, modules, statements
from hypothesis import HealthCheck, given, settings

from beamtalk.interp.syntax import parse_module
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
    Instantiation,
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
from beamtalk.interp.syntax.diagnostics import DiagnosticError
from beamtalk.interp.syntax.printer import to_source

FAST = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
SLOW = settings(
    max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def n(name: str) -> Name:
    return Name(name)


def i(value: int) -> IntegerLit:
    return IntegerLit(value)


def send(receiver, selector: str, *args) -> Send:
    return Send(receiver, selector, tuple(args))


def assert_round_trip(module: Module) -> str:
    """Print `module`, parse the text back and compare; answer the text."""
    source = to_source(module)
    try:
        parsed = parse_module(source)
    except DiagnosticError as err:
        pytest.fail(f"printed source does not parse:\n{source}\n{err.render()}")
    assert parsed == module, f"round trip changed the tree; printed source:\n{source}"
    return source


# ---------------------------------------------------------------- hand-written cases


@pytest.mark.parametrize(
    ("node", "text"),
    [
        (send(i(3), "-", i(-2)), "3 - -2"),
        (send(send(i(1), "+", i(2)), "*", i(3)), "(1 + 2) * 3"),
        (send(i(1), "+", send(i(2), "*", i(3))), "1 + 2 * 3"),
        (send(i(2), "**", send(i(3), "**", i(4))), "2 ** 3 ** 4"),
        (send(send(i(2), "**", i(3)), "**", i(4)), "(2 ** 3) ** 4"),
        (send(send(n("a"), "-", n("b")), "-", n("c")), "a - b - c"),
        (send(n("a"), "-", send(n("b"), "-", n("c"))), "a - (b - c)"),
        (send(n("a"), "->", send(n("b"), ",", n("c"))), "a -> b, c"),
        (send(i(-2), "**", i(2)), "-2 ** 2"),
        (send(send(i(-3), "abs"), "negated"), "-3 abs negated"),
        (send(send(n("a"), "+", n("b")), "foo"), "(a + b) foo"),
        (send(n("x"), "at:put:", send(n("a"), "foo:", i(1)), Assign(n("y"), i(2))),
         "x at: (a foo: 1) put: (y := 2)"),
        (send(send(n("a"), "foo:", i(1)), "bar:", send(n("b"), "+", i(1))),
         "(a foo: 1) bar: b + 1"),
        (Cascade(n("Transcript"), (Message("show:", (StringLit("a"),)), Message("cr", ()))),
         "Transcript show: 'a'; cr"),
        (Cascade(send(n("a"), "foo"), (Message("bar", ()), Message("baz", ()))),
         "a foo bar; baz"),
        (Cascade(send(n("a"), "k:", i(1)), (Message("bar", ()), Message("baz", ()))),
         "(a k: 1) bar; baz"),
        (Cascade(n("x"), (Message("foo", ()), Message("+", (send(n("a"), "*", n("b")),)))),
         "x foo; + (a * b)"),
        (Assign(n("x"), Cascade(n("s"), (Message("a", ()), Message("b", ())))), "x := s a; b"),
        (Assign(n("x"), Assign(FieldRef("y"), i(3))), "x := self.y := 3"),
        (Instantiation(n("Point"), "new", "x:y:", (i(1), i(2))), "Point new x: 1 y: 2"),
        (Instantiation(send(n("a"), "+", n("b")), "spawn", "k:", (send(n("c"), "d:", i(1)),)),
         "(a + b) spawn k: (c d: 1)"),
        (send(send(n("Point"), "new"), "x:", i(1)), "(Point new) x: 1"),
        (send(send(n("Point"), "new"), "x"), "Point new x"),
        (Cascade(send(n("Point"), "new"), (Message("x:", (i(1),)), Message("y:", (i(2),)))),
         "Point new x: 1; y: 2"),
        (FloatLit(1e16), "1.0e16"),
        (FloatLit(1.5e-05), "1.5e-5"),
        (FloatLit(-2.5), "-2.5"),
        (FloatLit(100.0), "100.0"),
        (StringLit("it's"), "'it''s'"),
        (InterpolatedString(("a\"{", send(i(1), "+", i(2)), "}\n")), '"a\\"\\{{1 + 2}\\}\\n"'),
        (CharLit("a"), "$a"),
        (CharLit(" "), "$ "),
        (CharLit("\n"), "$\\n"),
        (CharLit("\\"), "$\\\\"),
        (CharLit("'"), "$'"),
        (SymbolLit("foo"), "#foo"),
        (SymbolLit("at:put:"), "#at:put:"),
        (SymbolLit("+"), "#+"),
        (SymbolLit("hello world"), "#'hello world'"),
        (SymbolLit("it's"), "#'it''s'"),
        (ListLit((send(StringLit("a"), ",", StringLit("b")), StringLit("c"))),
         "#(('a', 'b'), 'c')"),
        (ListLit((send(send(n("Worker"), ",", n("Helper")), "->", n("d")),)),
         "#((Worker, Helper) -> d)"),
        (ListLit((n("Worker"), send(n("Helper"), "->", n("d")))), "#(Worker, Helper -> d)"),
        (TupleLit((i(1), SymbolLit("ok"), StringLit("x"))), "{1, #ok, 'x'}"),
        (DictLit(((SymbolLit("a"), i(1)), (StringLit("b"), i(2)))), "#{#a => 1, 'b' => 2}"),
        (ListLit(()), "#()"),
        (DictLit(()), "#{}"),
        (TupleLit(()), "{}"),
        (Block((), (), ()), "[]"),
        (Block(("x",), (), ()), "[:x |]"),
        (Block(("x", "y"), ("t",), (Assign(n("t"), send(n("x"), "+", n("y"))),
                                     send(n("t"), "*", i(2)))),
         "[:x :y | | t | t := x + y. t * 2]"),
        (Block((), (), (Return(n("x")),)), "[^x]"),
        (Return(Assign(n("x"), i(1))), "^x := 1"),
        (Temporaries(("a", "b")), "| a b |"),
        (Primitive(None), "@primitive"),
        (Primitive("add"), "@primitive 'add'"),
    ],
)
def test_printed_text(node, text):
    assert to_source(node) == text


COUNTER = ClassDef(
    "Counter",
    "Actor",
    None,
    (
        StateDecl((FieldDecl("value", i(0)), FieldDecl("step", None))),
        StateDecl((FieldDecl("instances", i(0)),), class_side=True),
        MethodDef("increment", (), (), (
            Assign(FieldRef("value"), send(FieldRef("value"), "+", FieldRef("step"))),
        ), doc="Adds the step."),
        MethodDef("at:put:", ("k", "v"), ("t",), (
            Assign(n("t"), n("v")), Return(n("t")),
        )),
        MethodDef("+", ("other",), (), (send(FieldRef("value"), "+", n("other")),),
                  sealed=True),
        MethodDef("named:", ("aName",), (), (Return(send(n("self"), "new")),),
                  class_side=True),
        MethodDef("reset", (), (), ()),
        MethodDef("size", (), (), (Primitive("size"),)),
    ),
    doc="A counter.\n\nCounts.",
)

COUNTER_TEXT = """\
/// A counter.
///
/// Counts.
Actor subclass: Counter
  state: value = 0, step
  classState: instances = 0
  /// Adds the step.
  increment => self.value := self.value + self.step
  at: k put: v => | t | t := v. ^t
  sealed + other => self.value + other
  class named: aName => ^self new
  reset =>
  size => @primitive 'size'
"""


def test_class_definition_text():
    assert to_source(Module((COUNTER,))) == COUNTER_TEXT


def test_define_method_text():
    node = DefineMethod("Counter", MethodDef("double", (), (), (send(n("self"), "*", i(2)),)))
    assert to_source(node) == "Counter >> double => self * 2"
    side = DefineMethod("Counter", MethodDef("make:", ("x",), (), (), class_side=True))
    assert to_source(side) == "Counter class >> make: x =>"


@pytest.mark.parametrize(
    "module",
    [
        Module((send(i(3), "-", i(-2)),)),
        Module((send(send(i(1), "+", i(2)), "*", i(3)),)),
        Module((send(i(2), "**", send(i(3), "**", i(4))),)),
        Module((COUNTER, Assign(n("c"), send(n("Counter"), "spawn")), send(n("c"), "increment"))),
        Module((
            DefineMethod("Counter", MethodDef("increment", (), (), (
                Cascade(n("Transcript"), (Message("show:", (StringLit("incrementing"),)),
                                          Message("cr", ()))),
                Assign(FieldRef("value"), send(FieldRef("value"), "+", i(10))),
            ))),
            DefineMethod("Counter", MethodDef("make", (), (), (), class_side=True)),
            Temporaries(("a", "b")),
            Return(n("a")),
        )),
        Module((StringLit("two\nlines"), StringLit("x"))),
        Module((StringLit("crlf\r\nand cr\r"), CharLit("\r"), CharLit("\\"), CharLit("$"))),
        Module((send(IntegerLit(3**20000), "-", IntegerLit(-(3**20000))),)),
        Module((InterpolatedString((TupleLit((i(1),)), " ", InterpolatedString(("}", n("x"))))),)),
        Module((ListLit((Cascade(i(0), (Message("a", ()), Message(",", (i(0),)))),)),)),
        Module((SymbolLit("//"), SymbolLit("=>"), SymbolLit(","), SymbolLit(""))),
    ],
)
def test_hand_written_round_trip(module):
    assert_round_trip(module)


SPEC_EXAMPLE = """\
Actor subclass: ResearchAgent
  state:
    model = #echo,
    memory = #(),
    tools = ToolRegistry default

  query: question =>
    | context response |
    context := self.memory last: 10
    response := self.model
      complete: question
      context: context
      tools: self.tools
    self.memory := self.memory add: #{#question => question, #response => response}
    ^response

agents := (1 to: 10) collect: [:i | ResearchAgent spawn model: #echo]
futures := agents collect: [:a | a query: 'Analyze this code']
results := futures collect: [:f | f await]
"""


def test_reprinting_parsed_source_is_stable():
    parsed = parse_module(SPEC_EXAMPLE)
    text = assert_round_trip(parsed)
    assert to_source(parse_module(text)) == text


# ---------------------------------------------------------------- properties


@FAST
@given(expressions())
def test_expressions_round_trip(expr):
    assert_round_trip(Module((expr,)))


@FAST
@given(statements())
def test_statements_round_trip(stmt):
    assert_round_trip(Module((stmt,)))


@FAST
@given(class_defs())
def test_class_definitions_round_trip(cls):
    assert_round_trip(Module((cls,)))


@FAST
@given(define_methods())
def test_define_methods_round_trip(definition):
    assert_round_trip(Module((definition,)))


@FAST
@given(modules())
def test_modules_round_trip(module):
    assert_round_trip(module)


@pytest.mark.slow
@settings(SLOW, max_examples=200)  # deep modules run to ~1 MB each: 1,000 took five minutes
@given(modules(depth=4, max_statements=8))
def test_modules_round_trip_deep(module):
    assert_round_trip(module)
