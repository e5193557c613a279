"""Hypothesis strategies for well-formed Beamtalk programs that both backends must run alike
(tests/test_differential_props.py): arithmetic on big Integers and Floats, Strings, Symbols,
collections, blocks, a value class, exceptions, and top-level variables between statements.

A program is a list of statement texts, each one line (the class definition aside), so the
interpreter and stage 0 split it the same way.  Every statement is well-formed; it may still
signal (a TypeError, ZeroDivide...): the backends must then agree on the error too.  Nothing
drawn here grows without bound (exponents and repetitions are small).
"""

from __future__ import annotations

from hypothesis import strategies as st

from beamtalk.interp.syntax.literals import float_text, string_literal, symbol_literal

# A value class every program defines first, so instances, getters, `with...:`, methods,
# `super` and an overridden printString are in reach.
CLASS_DEFS = [
    "\n".join(["Object subclass: DiffPoint",
               "  state: x = 0",
               "  state: y = 0",
               "  sum => self.x + self.y",
               "  scaled: k => self withX: self.x * k",
               '  printString => "<{self.x}, {self.y}>"']),
    """Object subclass: DiffBox
  state: items = #()
  add: v => self withItems: (self.items add: v)
  size => self.items size""",
    """Error subclass: DiffError
  describe => 'diff error'""",
]

VARIABLES = ("a", "b", "c")


def paren(text: str) -> str:
    """An operand: anything but a plain literal or name is parenthesised."""
    return text if text.isidentifier() or text.isdigit() else f"({text})"


def integer_literal(n: int) -> str:
    return str(n) if n >= 0 else f"({n})"


def float_literal(x: float) -> str:
    return float_text(x) if x >= 0 and not str(x).startswith("-") else f"({float_text(x)})"


integers = st.one_of(st.integers(-1000, 1000), st.integers(-(10 ** 40), 10 ** 40),
                     st.sampled_from([0, 1, -1, 2 ** 53, 2 ** 64, -(2 ** 63)]))
floats = st.one_of(st.floats(-1e6, 1e6, allow_nan=False),
                   st.floats(allow_nan=False, allow_infinity=False),
                   st.sampled_from([0.0, -0.0, 0.1, 1e16, 1e-5, 2.5, 1e300]))
texts = st.text(st.sampled_from("abcxyz AZ'\"{}\\\n\té€😀09"), max_size=6)
names = st.sampled_from(["foo", "bar", "at:put:", "+", "hello world", "x1", "with:with:"])

number_atoms = st.one_of(integers.map(integer_literal), floats.map(float_literal))
string_atoms = texts.map(string_literal)
symbol_atoms = names.map(symbol_literal)
char_atoms = st.sampled_from(["$a", "$Z", "$ ", "$7", "$\\n"])
literal_atoms = st.one_of(number_atoms, string_atoms, symbol_atoms, char_atoms,
                          st.sampled_from(["nil", "true", "false"]))


def list_literal(items: list[str]) -> str:
    return "#(" + ", ".join(items) + ")"


@st.composite
def programs(draw: st.DrawFn, max_statements: int = 6) -> list[str]:
    """A program: the class definitions, then statements that may use earlier variables."""
    defined: list[str] = []
    statements = list(CLASS_DEFS)
    for _ in range(draw(st.integers(1, max_statements))):
        expr = draw(expressions(tuple(defined)))
        if draw(st.booleans()):
            name = draw(st.sampled_from(VARIABLES))
            statements.append(f"{name} := {expr}")
            if name not in defined:
                defined.append(name)
        else:
            statements.append(expr)
    return statements


def expressions(variables: tuple[str, ...]) -> st.SearchStrategy[str]:
    """An expression, over literals and the variables assigned so far."""
    leaves = literal_atoms if not variables else st.one_of(
        literal_atoms, st.sampled_from(variables))
    return st.recursive(leaves, compound, max_leaves=6)


def compound(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """One level of structure over `inner`."""
    operand = inner.map(paren)
    binary = st.sampled_from(["+", "-", "*", "/", "%", "<", ">", "<=", ">=", "=", "~=", ",",
                              "->", "==", "max:", "min:", "rem:", "div:", "mod:", "gcd:",
                              "at:", "includes:", "take:", "drop:", "copyWith:", "add:",
                              "indexOf:", "occurrencesOf:", "bitAnd:", "isKindOf:"])
    unary = st.sampled_from(["negated", "abs", "printString", "displayString", "size",
                             "reversed", "asString", "isEmpty", "first", "last", "max", "sum",
                             "sqrt", "squared", "asFloat", "truncated", "rounded", "asSymbol",
                             "asList", "asSet", "class", "isNil", "asInteger", "sign",
                             "asUppercase", "isString", "hash", "keys", "values", "not",
                             "isZero", "even", "ceiling", "floor", "asCharacter", "value"])
    return st.one_of(
        st.tuples(operand, binary, operand).map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
        st.tuples(operand, unary).map(lambda t: f"{t[0]} {t[1]}"),
        st.lists(operand, max_size=4).map(list_literal),
        st.lists(operand, min_size=1, max_size=3).map(lambda xs: "{" + ", ".join(xs) + "}"),
        st.lists(st.tuples(symbol_atoms, operand), max_size=3).map(
            lambda kvs: "#{" + ", ".join(f"{k} => {v}" for k, v in kvs) + "}"),
        st.tuples(operand, st.integers(0, 4)).map(lambda t: f"{t[0]} ** {t[1]}"),
        st.tuples(operand, st.sampled_from([
            "collect: [:e | e printString]", "select: [:e | e isNil not]",
            "inject: 0 into: [:acc :e | acc + e]", "detect: [:e | e = 1] ifNone: ['none']",
            "do: [:e | e]", "reject: [:e | e isString]", "count: [:e | e isNumber]",
            "sortBy: [:e | e printString]", "anySatisfy: [:e | e = 0]",
        ])).map(lambda t: f"{t[0]} {t[1]}"),
        # blocks without parameters where one is offered (LANGUAGE.md 2.3), over Intervals too
        st.tuples(operand, operand).map(lambda t: f"({t[0]} to: {t[1]})"),
        st.tuples(operand, st.sampled_from([
            "collect: [0]", "select: [true]", "reject: [false]", "do: []",
            "detect: [true] ifNone: [0]", "count: [true]", "do: [:a :b | a]",
        ])).map(lambda t: f"{t[0]} {t[1]}"),
        # perform: with odd selectors and argument collections; ExceptionSets of any parts
        st.tuples(operand, st.sampled_from(["#+", "#max:", "''", "#size", "'at:'", "#foo:"]),
                  operand).map(lambda t: f"{t[0]} perform: {t[1]} withArguments: {{{t[2]}}}"),
        operand.map(lambda e: f"[1 / 0] on: ZeroDivide, {e} do: [:err | err class]"),
        st.tuples(inner, operand).map(lambda t: f"[:p :q | {t[0]}] value: {t[1]} value: 0"),
        st.tuples(operand, inner).map(
            lambda t: f"{t[0]} isNil ifTrue: [{t[1]}] ifFalse: [{t[0]}]"),
        inner.map(lambda e: f"[{e}] on: ZeroDivide do: [:err | err messageText]"),
        inner.map(lambda e: f"[{e}] on: Error do: [:err | err kind]"),
        inner.map(lambda e: f"[{e}] on: TypeError, DoesNotUnderstand do: [:err | err class]"),
        operand.map(lambda e: f"[DiffError signal: {e} printString] on: DiffError do: "
                              "[:err | err messageText]"),
        inner.map(lambda e: f"[{e}] ensure: [nil]"),
        operand.map(lambda e: f"[(Error new) signal: 'boom'. {e}] on: Error do: "
                              f"[:err | err return: {e}]"),
        st.tuples(operand, operand).map(lambda t: f"(DiffPoint new x: {t[0]} y: {t[1]}) sum"),
        st.tuples(operand, operand).map(lambda t: f"DiffPoint new x: {t[0]} y: {t[1]}"),
        st.tuples(operand, operand).map(
            lambda t: f"((DiffPoint new x: {t[0]} y: 1) scaled: {t[1]}) x"),
        operand.map(lambda e: f"((DiffBox new add: {e}) add: 2) size"),
        operand.map(lambda e: f"(DiffBox new add: {e}) items"),
        number_atoms.map(lambda e: f"\"v={{{e}}}\""),
        operand.map(lambda e: f"Transcript show: {e} printString; cr"),
    )


__all__ = ["programs", "CLASS_DEFS"]
