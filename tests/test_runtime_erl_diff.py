"""Differential tests: runtime_erl against the interpreter (the reference).

Hypothesis generates values and arithmetic; the interpreter computes printString,
displayString, results or error kinds and texts, and one long-lived, non-distributed
`erl` process (started once for this module) computes the same with runtime_erl.  They
must be equal.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beamtalk.bootstrap import erlang
from beamtalk.interp.runtime.control_flow import BeamtalkError, ExceptionInstance
from beamtalk.interp.runtime.objects import BtClass, Metaclass
from beamtalk.interp.runtime.values import (
    Association,
    BtDict,
    BtList,
    BtSet,
    BtTuple,
    Character,
    Interval,
    Symbol,
)
from beamtalk.interp.session import Session

pytestmark = [
    pytest.mark.skipif(shutil.which("erl") is None or shutil.which("erlc") is None,
                       reason="erl/erlc not installed (apt-get install erlang-nox erlang-dev)"),
    pytest.mark.slow,  # about two minutes of hypothesis examples
]

EXAMPLES = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


# ---------------------------------------------------------------- encoding values for erl


def erl_atom(name: str) -> str:
    """A quoted Erlang atom (ASCII names only: selectors and module names)."""
    return "'" + name.replace("\\", "\\\\").replace("'", "\\'") + "'"


def erl_bytes(text: str) -> str:
    return "[" + ",".join(str(b) for b in text.encode("utf-8")) + "]"


def encode(v: Any) -> str:
    """An interpreter value as the request text beamtalk_diff_server decodes."""
    kind = type(v)
    if v is None:
        return "nil"
    if kind is bool:
        return "true" if v else "false"
    if kind is int:
        return str(v)
    if kind is float:
        bits = struct.unpack(">Q", struct.pack(">d", v))[0]
        return "{'$$float', " + str(bits) + "}"
    if kind is str:
        return "{'$$str', " + erl_bytes(v) + "}"
    if kind is Symbol:
        return "{'$$sym', " + erl_bytes(v.name) + "}"
    if kind is Character:
        return "{'$char', " + str(ord(v.char)) + "}"
    if kind is BtList:
        return "[" + ", ".join(encode(x) for x in v.items) + "]"
    if kind is BtTuple:
        return "{" + ", ".join(encode(x) for x in v.items) + "}"
    if kind is BtDict:
        return "#{" + ", ".join(f"{encode(k)} => {encode(x)}" for k, x in v.pairs()) + "}"
    if kind is BtSet:
        return "{'$set', #{" + ", ".join(f"{encode(e)} => true" for e in v.elements()) + "}}"
    if kind is Interval:
        return "{'$interval', " + ", ".join(encode(x) for x in (v.start, v.stop, v.step)) + "}"
    if kind is Association:
        return "{'$assoc', " + encode(v.key) + ", " + encode(v.value) + "}"
    if kind is BtClass:
        return "{'$class', " + erl_atom(v.name) + "}"
    if kind is Metaclass:
        return "{'$metaclass', " + erl_atom(v.instance_class.name) + "}"
    if isinstance(v, ExceptionInstance) and not v.fields:
        text = "nil" if v.message_text is None else encode(v.message_text)
        return ("{'$exc', " + erl_atom(v.cls.name) + ", #{'$messageText' => " + text
                + ", '$selector' => nil, '$receiver' => nil, '$arguments' => nil}}")
    raise TypeError(f"no encoding for {v!r}")


# ---------------------------------------------------------------- the two sides


@dataclass
class Result:
    """A printString, or an error's kind and text."""

    text: str | None = None
    kind: str | None = None


class ErlSide:
    """One `erl` process running beamtalk_diff_server, fed one request per line."""

    def __init__(self) -> None:
        tools = erlang.find_tools()
        build = erlang.build_runtime(tools)
        self.proc = subprocess.Popen(
            [tools.erl, "-noshell", "-pa", str(build.ebin), "-pa", str(build.test_ebin),
             "-s", "beamtalk_diff_server", "main"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="ascii")

    def ask(self, request: str) -> list[str]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(request + ".\n")
        self.proc.stdin.flush()
        words = self.proc.stdout.readline().split(" ")
        if words[0] == "crash":
            raise AssertionError(f"erl crashed on {request}: {unhex(words[1])}")
        return words

    def print_strings(self, v: Any) -> tuple[str, str]:
        _, printed, displayed = self.ask("{print, " + encode(v) + "}")
        return unhex(printed), unhex(displayed)

    def call(self, module: str, selector: str, args: list[Any]) -> Result:
        words = self.ask("{call, " + erl_atom(module) + ", " + erl_atom(selector) + ", ["
                         + ", ".join(encode(a) for a in args) + "]}")
        if words[0] == "ok":
            return Result(text=unhex(words[1]))
        return Result(kind=words[1], text=unhex(words[2]) or None)

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def unhex(text: str) -> str:
    return bytes.fromhex(text.strip()).decode("utf-8")


class InterpSide:
    """The reference: the interpreter's runtime."""

    def __init__(self) -> None:
        self.session = Session()
        self.rt = self.session.rt

    def print_strings(self, v: Any) -> tuple[str, str]:
        printed = self.session.guard(lambda: self.rt.send(v, "printString"))
        displayed = self.session.guard(lambda: self.rt.send(v, "displayString"))
        assert not printed.failed and not displayed.failed
        return printed.value, displayed.value

    def send(self, receiver: Any, selector: str, args: list[Any]) -> Result:
        outcome = self.session.guard(lambda: self.rt.send(receiver, selector, *args))
        if outcome.failed:
            return Result(kind=outcome.error_kind, text=outcome.error_text)
        return Result(text=self.session.print_string(outcome.value))


@pytest.fixture(scope="module")
def erl() -> Iterator[ErlSide]:
    side = ErlSide()
    yield side
    side.close()


@pytest.fixture(scope="module")
def interp() -> InterpSide:
    return InterpSide()


# ---------------------------------------------------------------- strategies

EDGE_FLOATS = [0.0, -0.0, 1e16, -1e16, 9999999999999998.0, 1e-4, 9.999999999999999e-5, 1e-5,
               1.5e-5, 0.1, 1 / 3, 5e-324, 1.7976931348623157e308, 2.0 ** 53, 123456789.125]
integers = st.one_of(st.integers(-1000, 1000), st.integers(-2 ** 70, 2 ** 70),
                     st.integers(-2 ** 300, 2 ** 300), st.sampled_from([2 ** 53 + 1, -2 ** 64]))
floats = st.one_of(st.floats(allow_nan=False, allow_infinity=False), st.sampled_from(EDGE_FLOATS),
                   st.floats(-1e6, 1e6, allow_nan=False))
numbers = st.one_of(integers, floats)
code_points = st.characters(blacklist_categories=("Cs",))
strings = st.one_of(st.text(code_points, max_size=12),
                    st.text(st.sampled_from("ab'\"{}\\\n\t\r\x07\x85 é"), max_size=8))
SPECIAL_NAMES = {"nil", "true", "false"}
symbol_names = st.one_of(
    st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,6}", fullmatch=True),
    st.from_regex(r"([a-z][A-Za-z0-9]{0,3}:){1,3}", fullmatch=True),
    st.from_regex(r"[-+*/\\<>=~%&@?]{1,3}", fullmatch=True),
    st.text(code_points, min_size=1, max_size=6),
).filter(lambda name: not name.startswith("$") and name not in SPECIAL_NAMES)
symbols = symbol_names.map(Symbol)
characters = code_points.map(Character)
non_numbers = st.one_of(st.none(), st.booleans(), strings, symbols, characters)
scalars = st.one_of(non_numbers, numbers)


def containers(children: st.SearchStrategy) -> st.SearchStrategy:
    small = st.lists(children, max_size=4)
    return st.one_of(
        small.map(BtList),
        small.map(BtTuple),
        st.lists(st.tuples(children, children), max_size=4).map(BtDict.of),
        small.map(BtSet.of),
        st.tuples(children, children).map(lambda kv: Association(*kv)),
    )


values = st.recursive(scalars, containers, max_leaves=12)
intervals = st.builds(Interval, st.integers(-20, 20), st.integers(-20, 20),
                      st.sampled_from([1, 2, -1, -3]))


# ---------------------------------------------------------------- printing


@EXAMPLES
@given(values)
def test_print_and_display_strings_agree(erl, interp, v):
    assert erl.print_strings(v) == interp.print_strings(v)


@EXAMPLES
@given(floats)
def test_float_printing_agrees(erl, interp, f):
    assert erl.print_strings(f) == interp.print_strings(f)


@given(intervals)
@settings(max_examples=50, deadline=None)
def test_interval_printing_agrees(erl, interp, iv):
    assert erl.print_strings(iv) == interp.print_strings(iv)


# ---------------------------------------------------------------- arithmetic

BINARY = ["+", "-", "*", "/", "%", "rem:", "div:", "mod:", "<", ">", "<=", ">="]
UNARY = ["negated", "abs", "sign", "sqrt", "rounded", "truncated", "floor", "ceiling",
         "asInteger", "asFloat"]
INTEGER_BINARY = ["gcd:", "lcm:", "bitAnd:", "bitOr:", "bitXor:"]


MODULES = {int: "beamtalk_integer", float: "beamtalk_float", str: "beamtalk_string",
           Symbol: "beamtalk_symbol", Character: "beamtalk_character", BtList: "beamtalk_list",
           BtTuple: "beamtalk_tuple", BtDict: "beamtalk_dictionary", BtSet: "beamtalk_set",
           Interval: "beamtalk_interval", Association: "beamtalk_association"}


def module_for(receiver: Any) -> str:
    """The primitive table of the receiver's class (README.md, "Primitives")."""
    return MODULES[type(receiver)]


def same(erl: ErlSide, interp: InterpSide, receiver: Any, selector: str, args: list[Any]):
    expected = interp.send(receiver, selector, args)
    got = erl.call(module_for(receiver), selector, [receiver, *args])
    assert got == expected, f"{receiver!r} {selector} {args!r}"


@EXAMPLES
@given(numbers, st.sampled_from(BINARY), st.one_of(numbers, numbers, scalars))
def test_binary_arithmetic_agrees(erl, interp, a, selector, b):
    same(erl, interp, a, selector, [b])


@EXAMPLES
@given(numbers, st.sampled_from(UNARY))
def test_unary_arithmetic_agrees(erl, interp, a, selector):
    same(erl, interp, a, selector, [])


@EXAMPLES
@given(st.one_of(integers, floats.filter(lambda f: abs(f) < 1e6)),
       st.sampled_from(["**", "raisedTo:"]),
       st.one_of(st.integers(-70, 70), st.floats(-30, 30), st.sampled_from([0.5, -0.5, 2.0]),
                 non_numbers))  # (a huge exponent would be a huge computation on both sides)
def test_powers_agree(erl, interp, a, selector, b):
    same(erl, interp, a, selector, [b])


@EXAMPLES
@given(numbers, st.one_of(st.integers(0, 40), scalars))
def test_radix_printing_agrees(erl, interp, a, base):
    same(erl, interp, a, "printString:", [base])


@EXAMPLES
@given(integers, st.sampled_from(INTEGER_BINARY), st.one_of(integers, scalars))
def test_integer_operations_agree(erl, interp, a, selector, b):
    same(erl, interp, a, selector, [b])


@EXAMPLES
@given(st.integers(-5, 120))
def test_factorial_and_primes_agree(erl, interp, n):
    same(erl, interp, n, "factorial", [])
    same(erl, interp, n, "isPrime", [])


@EXAMPLES
@given(integers, st.one_of(st.integers(-300, 300), non_numbers))
def test_bit_shift_agrees(erl, interp, a, n):
    same(erl, interp, a, "bitShift:", [n])


@EXAMPLES
@given(st.integers(-10 ** 6, 10 ** 6), st.one_of(characters, scalars), st.integers(-2, 12))
def test_padded_printing_agrees(erl, interp, n, pad, width):
    same(erl, interp, n, "printPaddedWith:to:", [pad, width])


@pytest.mark.parametrize("receiver, selector, args, expected", [
    (1, "/", [0], Result(kind="zero_divide", text="Division by zero")),
    (1, "+", ["a"], Result(kind="type_error", text="#+ expects a Number, got a String")),
    (1e300, "*", [1e300], Result(kind="arithmetic_error", text="Float overflow")),
    (-8, "**", [0.5], Result(kind="arithmetic_error", text="Undefined result")),
    (10 ** 30 + 1, "/", [3], Result(text="3.333333333333333e29")),
    (-7, "mod:", [2], Result(text="1")),
])
def test_known_answers_on_both_sides(erl, interp, receiver, selector, args, expected):
    """The comparison is not vacuous: both sides give the spec's answer."""
    assert interp.send(receiver, selector, args) == expected
    assert erl.call(module_for(receiver), selector, [receiver, *args]) == expected


# ---------------------------------------------------------------- String, Symbol, Character

STRING_UNARY = ["size", "characters", "asUppercase", "asLowercase", "trimmed", "lines",
                "subStrings", "asSymbol", "asInteger", "asNumber", "reversed", "asList"]
STRING_WITH_STRING = [",", "++", "+", "includesSubstring:", "startsWith:", "endsWith:", "split:",
                      "subStrings:", "<", ">", "<=", ">="]
STRING_WITH_CHARACTER = ["indexOf:", "occurrencesOf:", "subStrings:"]
STRING_WITH_COUNT = ["at:", "first:", "last:", "repeat:"]
number_texts = st.one_of(
    st.from_regex(r"-?[0-9]{1,25}(\.[0-9]{1,20})?(e-?[0-9]{1,3})?", fullmatch=True),
    st.from_regex(r"-?[0-9]{1,2}r[0-9A-Za-z]{1,8}", fullmatch=True),
    st.sampled_from(["1e400", "-1e-400", "1.0e308", "1.8e308", "4.9e-324", "2.5e-324", "0.0",
                     "-0.0", "1.", ".5", "1e", "16rFF", "37r1", "1r0", "2r102", " 1", "--1"]))
texts = st.one_of(strings, number_texts, st.text(st.sampled_from("ab ,\n\r\u2003"), max_size=8))


@EXAMPLES
@given(texts, st.sampled_from(STRING_UNARY))
def test_string_unary_agrees(erl, interp, s, selector):
    same(erl, interp, s, selector, [])


@EXAMPLES
@given(texts, st.sampled_from(STRING_WITH_STRING),
       st.one_of(texts, st.sampled_from(["", "a", "ab"]), scalars))
def test_string_binary_agrees(erl, interp, s, selector, other):
    same(erl, interp, s, selector, [other])


@EXAMPLES
@given(texts, st.sampled_from(STRING_WITH_CHARACTER),
       st.one_of(characters, scalars, st.sampled_from("ab ").map(Character)))
def test_string_character_arguments_agree(erl, interp, s, selector, ch):
    same(erl, interp, s, selector, [ch])


@EXAMPLES
@given(texts, st.sampled_from(STRING_WITH_COUNT), st.one_of(st.integers(-2, 14), non_numbers))
def test_string_counts_agree(erl, interp, s, selector, n):
    same(erl, interp, s, selector, [n])


@EXAMPLES
@given(texts, st.one_of(st.integers(-1, 14), non_numbers), st.integers(-1, 14))
def test_copy_from_to_agrees(erl, interp, s, first, last):
    same(erl, interp, s, "copyFrom:to:", [first, last])
    same(erl, interp, s, "copyFrom:to:", [last, first])


@EXAMPLES
@given(texts, st.one_of(texts, st.sampled_from(["", "a", " "]), non_numbers),
       st.one_of(texts, symbols))
def test_copy_replace_all_agrees(erl, interp, s, old, new):
    same(erl, interp, s, "copyReplaceAll:with:", [old, new])


@EXAMPLES
@given(symbols, st.sampled_from(["asString", "size", "numArgs", "keywords"]))
def test_symbol_unary_agrees(erl, interp, sym, selector):
    same(erl, interp, sym, selector, [])


@EXAMPLES
@given(symbols, st.sampled_from(["<", ">", "<=", ">="]), st.one_of(symbols, scalars))
def test_symbol_comparisons_agree(erl, interp, sym, selector, other):
    same(erl, interp, sym, selector, [other])


CHARACTER_UNARY = ["value", "asString", "isLetter", "isDigit", "isVowel", "isUppercase",
                   "isLowercase", "isWhitespace", "asUppercase", "asLowercase"]


@EXAMPLES
@given(characters, st.sampled_from(CHARACTER_UNARY))
def test_character_unary_agrees(erl, interp, ch, selector):
    same(erl, interp, ch, selector, [])


@EXAMPLES
@given(characters, st.sampled_from(["<", ">", "<=", ">="]), st.one_of(characters, scalars))
def test_character_comparisons_agree(erl, interp, ch, selector, other):
    same(erl, interp, ch, selector, [other])


@EXAMPLES
@given(st.one_of(st.integers(-5, 0x110005), st.sampled_from([0xD800, 0xDFFF, 0x10FFFF]),
                 non_numbers, floats))
def test_character_value_agrees(erl, interp, n):
    expected = interp.send(interp.rt.classes["Character"], "value:", [n])
    got = erl.call("beamtalk_character", "class value:", [n])
    assert got == expected


# ---------------------------------------------------------------- collections

small_values = st.recursive(scalars, containers, max_leaves=5)
element_lists = st.one_of(st.lists(small_values, max_size=6),
                          st.lists(st.one_of(integers, floats), max_size=6),
                          st.lists(strings, max_size=6),
                          st.lists(st.lists(st.integers(0, 3), max_size=3).map(BtList), max_size=4))
lists_ = element_lists.map(BtList)
tuples = element_lists.map(BtTuple)
dicts = st.lists(st.tuples(small_values, small_values), max_size=5).map(BtDict.of)
sets = element_lists.map(BtSet.of)
collections = st.one_of(lists_, tuples, dicts, sets, intervals)
any_arg = st.one_of(small_values, collections, strings)

LIST_UNARY = ["size", "first", "last", "reversed", "sort", "sum", "max", "min", "flatten",
              "unique", "asList"]
LIST_WITH_VALUE = ["includes:", "indexOf:", "remove:", "add:", "addFirst:"]
LIST_WITH_COUNT = ["first:", "last:", "take:", "drop:", "at:"]
LIST_WITH_COLLECTION = ["addAll:", ",", "++", "zip:"]


@EXAMPLES
@given(lists_, st.sampled_from(LIST_UNARY))
def test_list_unary_agrees(erl, interp, lst, selector):
    same(erl, interp, lst, selector, [])


@EXAMPLES
@given(lists_, st.sampled_from(LIST_WITH_VALUE), small_values)
def test_list_value_arguments_agree(erl, interp, lst, selector, v):
    same(erl, interp, lst, selector, [v])
    if lst.items:  # an element that is there
        same(erl, interp, lst, selector, [lst.items[-1]])


@EXAMPLES
@given(lists_, st.sampled_from(LIST_WITH_COUNT), st.one_of(st.integers(-2, 8), non_numbers))
def test_list_counts_agree(erl, interp, lst, selector, n):
    same(erl, interp, lst, selector, [n])


@EXAMPLES
@given(lists_, st.sampled_from(LIST_WITH_COLLECTION), st.one_of(collections, strings, scalars))
def test_list_collection_arguments_agree(erl, interp, lst, selector, other):
    same(erl, interp, lst, selector, [other])


@EXAMPLES
@given(lists_, st.one_of(st.integers(-1, 8), non_numbers), st.integers(-1, 8), small_values)
def test_list_positions_agree(erl, interp, lst, i, j, v):
    same(erl, interp, lst, "copyFrom:to:", [i, j])
    same(erl, interp, lst, "at:put:", [i, v])


@EXAMPLES
@given(st.one_of(st.lists(strings, max_size=5), st.lists(small_values, max_size=3)).map(BtList),
       st.one_of(strings, non_numbers))
def test_join_agrees(erl, interp, lst, sep):
    same(erl, interp, lst, "join:", [sep])


@EXAMPLES
@given(st.one_of(collections, strings, scalars))
def test_with_all_agrees(erl, interp, c):
    for cls, module in (("List", "beamtalk_list"), ("Set", "beamtalk_set")):
        expected = interp.send(interp.rt.classes[cls], "withAll:", [c])
        assert erl.call(module, "class withAll:", [c]) == expected


@EXAMPLES
@given(tuples, st.sampled_from(["size", "first", "last", "asList"]))
def test_tuple_unary_agrees(erl, interp, t, selector):
    same(erl, interp, t, selector, [])


@EXAMPLES
@given(tuples, st.one_of(st.integers(-1, 7), small_values))
def test_tuple_arguments_agree(erl, interp, t, arg):
    same(erl, interp, t, "at:", [arg])
    same(erl, interp, t, "includes:", [arg])


@EXAMPLES
@given(dicts, st.sampled_from(["size", "keys", "values", "associations"]))
def test_dictionary_unary_agrees(erl, interp, d, selector):
    same(erl, interp, d, selector, [])


@EXAMPLES
@given(dicts, small_values, small_values, st.one_of(dicts, scalars))
def test_dictionary_arguments_agree(erl, interp, d, k, v, other):
    keys = [k] + [key for key, _ in d.pairs()][:1]
    for key in keys:
        for selector in ("at:", "includesKey:", "removeKey:"):
            same(erl, interp, d, selector, [key])
        same(erl, interp, d, "at:put:", [key, v])
    same(erl, interp, d, "merge:", [other])


@EXAMPLES
@given(sets, st.sampled_from(["size", "asList"]))
def test_set_unary_agrees(erl, interp, s, selector):
    same(erl, interp, s, selector, [])


@EXAMPLES
@given(sets, small_values, st.one_of(collections, strings, scalars))
def test_set_arguments_agree(erl, interp, s, v, other):
    for selector in ("includes:", "add:", "remove:"):
        same(erl, interp, s, selector, [v])
    for selector in ("union:", "intersection:", "difference:"):
        same(erl, interp, s, selector, [other])


FLOAT_INTERVALS = st.builds(Interval, st.sampled_from([0, 1, 0.5, -2.5]),
                            st.sampled_from([3, 2.75, -1.0, 10]),
                            st.sampled_from([0.25, 1, -0.5, 0.1, 3]))


@EXAMPLES
@given(st.one_of(intervals, FLOAT_INTERVALS),
       st.sampled_from(["size", "first", "last", "asList", "sum"]), small_values)
def test_interval_agrees(erl, interp, iv, selector, v):
    same(erl, interp, iv, selector, [])
    same(erl, interp, iv, "includes:", [v])


@given(small_values, small_values)
@settings(max_examples=50, deadline=None)
def test_association_agrees(erl, interp, k, v):
    a = Association(k, v)
    same(erl, interp, a, "key", [])
    same(erl, interp, a, "value", [])


# ---------------------------------------------------------------- Object's equality


def floatified(v: Any) -> Any:
    """The same value with every Integer that fits made a Float (equal by `==`, not `=`)."""
    kind = type(v)
    if kind is int and abs(v) < 2 ** 60:
        return float(v)
    if kind is BtList or kind is BtTuple:
        return kind(floatified(x) for x in v.items)
    if kind is BtDict:
        return BtDict.of((floatified(k), floatified(x)) for k, x in v.pairs())
    if kind is BtSet:
        return BtSet.of(floatified(e) for e in v.elements())
    if kind is Association:
        return Association(floatified(v.key), floatified(v.value))
    return v


@EXAMPLES
@given(values, values)
def test_equality_agrees(erl, interp, a, b):
    for other in (a, floatified(a), b):
        for selector in ("=", "=="):
            expected = interp.send(a, selector, [other])
            assert erl.call("beamtalk_object", selector, [a, other]) == expected


@EXAMPLES
@given(values)
def test_class_and_comparison_of_any_value_agree(erl, interp, v):
    assert erl.call("beamtalk_object", "class", [v]) == interp.send(v, "class", [])
    if type(v) not in (int, float, str, Symbol, Character):  # they have their own `<`
        assert erl.call("beamtalk_object", "<", [v, 1]) == interp.send(v, "<", [1])


format_texts = st.lists(st.sampled_from(["{1}", "{2}", "{0}", "{-1}", "{a}", "{x}", "{}", "{",
                                         "}", "{{1}}", "ab", " ", "é", "{1"]),
                        max_size=6).map("".join)
format_keys = st.sampled_from(["a", "x"])
format_values = st.one_of(
    st.lists(small_values, max_size=3).map(BtList),
    st.lists(small_values, max_size=3).map(BtTuple),
    st.lists(st.tuples(st.one_of(format_keys, format_keys.map(Symbol)), small_values),
             max_size=3).map(BtDict.of),
    scalars)


@EXAMPLES
@given(format_texts, format_values)
def test_format_agrees(erl, interp, template, values):
    same(erl, interp, template, "format:", [values])


# ---------------------------------------------------------------- classes and exceptions


def test_classes_and_metaclasses_print_alike(erl, interp):
    names = sorted(interp.rt.classes)
    assert len(names) > 50
    for name in names:
        cls = interp.rt.classes[name]
        for v in (cls, interp.rt.class_of(cls), interp.rt.class_of(interp.rt.class_of(cls))):
            assert erl.print_strings(v) == interp.print_strings(v)
        assert erl.call("beamtalk_object", "<", [cls, 1]) == interp.send(cls, "<", [1])


EXCEPTION_CLASSES = ["Error", "ZeroDivide", "TypeError", "ArgumentError", "IndexOutOfBounds",
                     "ArityError", "Exception", "Warning", "IllegalResumeAttempt", "IOError"]


@EXAMPLES
@given(st.sampled_from(EXCEPTION_CLASSES), st.one_of(st.none(), strings))
def test_exceptions_print_alike(erl, interp, name, text):
    exc = ExceptionInstance(interp.rt.classes[name], text)
    assert erl.print_strings(exc) == interp.print_strings(exc)
    assert erl.print_strings(BtList([exc])) == interp.print_strings(BtList([exc]))
    line = interp.session.error_outcome(BeamtalkError(exc), 0).error_line()  # the REPL's line
    assert erl.call("beamtalk_error", "error_line", [exc]).text == interp.print_strings(line)[0]
