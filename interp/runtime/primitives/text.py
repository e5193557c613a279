"""String, Symbol and Character primitives (LANGUAGE.md 3.7, 5).

Strings are Python `str` (sequences of code points), so `size`, `at:` and slicing count
code points as the spec wants.  The simple compositions (`isEmpty`, `detect:`,
`inject:into:`, `first`...) are written in Beamtalk in stdlib/String.bt and friends.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from beamtalk.interp.syntax.literals import (
    FLOAT_PATTERN,
    INTEGER_PATTERN,
    RADIX_PATTERN,
    radix_value,
    symbol_literal,
)

from ..calls import cull
from ..kinds import kind_name
from ..limits import TooLarge, check_elements, too_large_error
from ..objects import selector_arity
from ..text_answers import sent_text
from ..values import BtDict, BtList, BtTuple, Character, Symbol, character, characters_of
from .support import expect_integer, expect_string

# LANGUAGE.md 3.7: space, tab, LF, CR, FF, VT and category Zs (Python's isspace() has more).
WHITESPACE_CONTROLS = frozenset(" \t\n\r\f\v")
LINE_BREAK = re.compile(r"\r\n|\r|\n")
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
# The number literals of LANGUAGE.md 1, with an optional leading minus.
INTEGER_TEXT = re.compile(rf"-?(?:{INTEGER_PATTERN})")
RADIX_TEXT = re.compile(rf"(-?)({RADIX_PATTERN})")
FLOAT_TEXT = re.compile(rf"-?(?:{FLOAT_PATTERN})")
VOWELS = frozenset("aeiouAEIOU")
SPECIAL_SYMBOLS = {"true": True, "false": False, "nil": None}
MAX_CODE_POINT = 0x10FFFF


def is_whitespace(ch: str) -> bool:
    """LANGUAGE.md 3.7's whitespace: the six ASCII controls and category Zs."""
    return ch in WHITESPACE_CONTROLS or unicodedata.category(ch) == "Zs"


def out_of_bounds(rt: Any, index: int, size: int) -> Exception:
    """IndexOutOfBounds `Index 5 out of bounds 1..2`."""
    return rt.error_from("index_out_of_bounds", index=index, size=size)


def expect_character(rt: Any, selector: str, value: Any) -> Character:
    """The Character, or a TypeError naming the selector."""
    if type(value) is not Character:
        raise rt.error_from("expects_character", selector=selector, kind=kind_name(rt, value))
    return value


def expect_count(rt: Any, selector: str, value: Any) -> int:
    """A non-negative Integer: TypeError for another kind, ArgumentError when negative."""
    n = expect_integer(rt, selector, value)
    if n < 0:
        raise rt.error_from("negative_count", selector=selector, value=n)
    return n


def selected(rt: Any, selector: str, value: Any) -> bool:
    """A selection block's answer, which must be a Boolean."""
    if value is True or value is False:
        return value
    raise rt.error_from("expects_boolean_block", selector=selector, kind=kind_name(rt, value))


def as_symbol(name: str) -> Any:
    """`'foo' asSymbol`; 'true', 'false' and 'nil' answer true, false and nil (atoms on BEAM)."""
    if name in SPECIAL_SYMBOLS:
        return SPECIAL_SYMBOLS[name]
    return Symbol(name)


# ---------------------------------------------------------------------- String


def concat(selector: str) -> Callable[..., str]:
    """`,` and `++`: String arguments only (a Symbol must be sent asString first)."""

    def run(rt: Any, s: str, other: Any) -> str:
        return s + expect_string(rt, selector, other)

    run.__name__ = selector
    return run


def no_plus(rt: Any, s: str, other: Any) -> Any:
    raise rt.error_from("string_plus")


def at(rt: Any, s: str, index: Any) -> Character:
    i = expect_integer(rt, "at:", index)
    if not 1 <= i <= len(s):
        raise out_of_bounds(rt, i, len(s))
    return character(s[i - 1])


def characters(rt: Any, s: str) -> BtTuple:
    return BtTuple(characters_of(s))


def as_list(rt: Any, s: str) -> BtList:
    return BtList(characters_of(s))


def string_test(selector: str, op: Callable[[str, str], bool]) -> Callable[..., bool]:
    """`includesSubstring:`, `startsWith:`, `endsWith:`: a String argument."""

    def run(rt: Any, s: str, other: Any) -> bool:
        return op(s, expect_string(rt, selector, other))

    run.__name__ = selector
    return run


def index_of(rt: Any, s: str, ch: Any) -> int:
    return s.find(expect_character(rt, "indexOf:", ch).char) + 1  # find answers -1: 0


def occurrences_of(rt: Any, s: str, ch: Any) -> int:
    return s.count(expect_character(rt, "occurrencesOf:", ch).char)


def copy_from_to(rt: Any, s: str, start: Any, stop: Any) -> str:
    first = expect_integer(rt, "copyFrom:to:", start)
    last = expect_integer(rt, "copyFrom:to:", stop)
    if last < first:  # an empty range, as in Smalltalk
        return ""
    for i in (first, last):
        if not 1 <= i <= len(s):
            raise out_of_bounds(rt, i, len(s))
    return s[first - 1:last]


def non_empty_pattern(rt: Any, selector: str, pattern: Any) -> str:
    text = expect_string(rt, selector, pattern)
    if not text:
        raise rt.error_from("empty_separator", selector=selector)
    return text


def copy_replace_all(rt: Any, s: str, old: Any, new: Any) -> str:
    old = non_empty_pattern(rt, "copyReplaceAll:with:", old)
    return s.replace(old, expect_string(rt, "copyReplaceAll:with:", new))


def as_lowercase(rt: Any, s: str) -> str:
    # Per code point, so only the unconditional mappings apply (no final-sigma context):
    # the same text whatever surrounds a character, as on the BEAM.
    return "".join(c.lower() for c in s)


def trimmed(rt: Any, s: str) -> str:
    start, end = 0, len(s)
    while start < end and is_whitespace(s[start]):
        start += 1
    while end > start and is_whitespace(s[end - 1]):
        end -= 1
    return s[start:end]


def lines(rt: Any, s: str) -> BtList:
    """Split at LF, CR or CRLF; a final line break does not start an empty line."""
    pieces = LINE_BREAK.split(s)
    if pieces[-1] == "":
        pieces.pop()
    return BtList(pieces)


def split_on(s: str, separators: Callable[[str], bool]) -> BtList:
    """The runs of characters that are not separators (no empty pieces)."""
    pieces, current = [], []
    for c in s:
        if separators(c):
            if current:
                pieces.append("".join(current))
                current = []
        else:
            current.append(c)
    if current:
        pieces.append("".join(current))
    return BtList(pieces)


def sub_strings(rt: Any, s: str) -> BtList:
    return split_on(s, is_whitespace)


def sub_strings_on(rt: Any, s: str, separators: Any) -> BtList:
    if type(separators) is Character:
        chars = frozenset(separators.char)
    else:
        chars = frozenset(expect_string(rt, "subStrings:", separators))
    return split_on(s, chars.__contains__)


def split(rt: Any, s: str, separator: Any) -> BtList:
    return BtList(s.split(non_empty_pattern(rt, "split:", separator)))


def parse_integer(s: str) -> int | None:
    """A decimal or radix (`16rFF`) integer literal with an optional minus, else None."""
    if INTEGER_TEXT.fullmatch(s):
        return int(s)
    match = RADIX_TEXT.fullmatch(s)
    if match:
        sign, text = match.groups()
        value = radix_value(text)
        if value is not None:
            return -value if sign else value
    return None


def as_integer(rt: Any, s: str) -> int | None:
    return parse_integer(s)


def as_number(rt: Any, s: str) -> int | float | None:
    value = parse_integer(s)
    if value is not None:
        return value
    if FLOAT_TEXT.fullmatch(s):
        number = float(s)
        if abs(number) != float("inf"):
            return number
    return None


def do(rt: Any, s: str, block: Any) -> str:
    for c in s:
        cull(rt, block, character(c))
    return s


def collect(rt: Any, s: str, block: Any) -> Any:
    """A String when every result is a Character, otherwise a List."""
    results = [cull(rt, block, character(c)) for c in s]
    if all(type(r) is Character for r in results):
        return "".join(r.char for r in results)
    return BtList(results)


def select(rt: Any, s: str, block: Any) -> str:
    return "".join(c for c in s if selected(rt, "select:", cull(rt, block, character(c))))


def first_n(rt: Any, s: str, n: Any) -> str:
    return s[:expect_count(rt, "first:", n)]


def last_n(rt: Any, s: str, n: Any) -> str:
    count = expect_count(rt, "last:", n)
    return s[len(s) - count:] if count < len(s) else s


def format_(rt: Any, s: str, values: Any) -> str:
    """`{1}` takes from a List (or Tuple), `{key}` from a Dictionary (Symbol keys first)."""
    if isinstance(values, BtList):
        items = values.items

        def positional(match: re.Match) -> str:
            text = match.group(1)
            if not INTEGER_TEXT.fullmatch(text) or text.startswith("-"):
                return match.group(0)  # not a placeholder for a List: left as written
            index = int(text)
            if not 1 <= index <= len(items):
                raise out_of_bounds(rt, index, len(items))
            return sent_text(rt, items[index - 1], "displayString")

        return PLACEHOLDER.sub(positional, s)
    if type(values) is BtDict:

        def named(match: re.Match) -> str:
            name = match.group(1)
            for key in (Symbol(name), name):
                if values.contains(key):
                    return sent_text(rt, values.get(key), "displayString")
            raise rt.error_from("key_not_found", key=symbol_literal(name))

        return PLACEHOLDER.sub(named, s)
    raise rt.error_from("expects_list_or_dictionary", selector="format:",
                        kind=kind_name(rt, values))


def repeat(rt: Any, s: str, n: Any) -> str:
    count = expect_count(rt, "repeat:", n)
    try:
        check_elements(len(s) * count, "characters")
    except TooLarge as exc:
        raise too_large_error(rt, exc) from None
    return s * count if s else ""  # '' * 2 ** 70 overflows Python's repetition count


def comparisons(kind: type, error_id: str, key: Callable[[Any], Any]) -> dict[str, Any]:
    """`< > <= >=` between two values of one kind, by code points; TypeError otherwise."""
    ops = {"<": lambda a, b: a < b, ">": lambda a, b: a > b,
           "<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b}

    def make(selector: str, op: Callable[[Any, Any], bool]) -> Callable[..., bool]:
        def run(rt: Any, a: Any, b: Any) -> bool:
            if type(b) is not kind:
                raise rt.error_from(error_id, selector=selector, kind=kind_name(rt, b))
            return op(key(a), key(b))

        run.__name__ = selector
        return run

    return {selector: make(selector, op) for selector, op in ops.items()}


STRING = {
    ",": concat(","),
    "++": concat("++"),
    "+": no_plus,
    "size": lambda rt, s: len(s),
    "at:": at,
    "characters": characters,
    "includesSubstring:": string_test("includesSubstring:", lambda s, t: t in s),
    "startsWith:": string_test("startsWith:", str.startswith),
    "endsWith:": string_test("endsWith:", str.endswith),
    "indexOf:": index_of,
    "occurrencesOf:": occurrences_of,
    "copyFrom:to:": copy_from_to,
    "copyReplaceAll:with:": copy_replace_all,
    "asUppercase": lambda rt, s: s.upper(),  # full mapping: 'ß' -> 'SS'
    "asLowercase": as_lowercase,
    "trimmed": trimmed,
    "lines": lines,
    "subStrings": sub_strings,
    "subStrings:": sub_strings_on,
    "split:": split,
    "asSymbol": lambda rt, s: as_symbol(s),
    "asInteger": as_integer,
    "asNumber": as_number,
    "reversed": lambda rt, s: s[::-1],
    "do:": do,
    "collect:": collect,
    "select:": select,
    "asList": as_list,
    "first:": first_n,
    "last:": last_n,
    "format:": format_,
    "repeat:": repeat,
    **comparisons(str, "expects_string", lambda s: s),
}


# ---------------------------------------------------------------------- Symbol


def keywords(rt: Any, sym: Symbol) -> BtList:
    """`#at:put: keywords` is `#('at:', 'put:')`; other selectors are one keyword."""
    name = sym.name
    parts = re.findall(r"[^:]*:", name)
    if parts and "".join(parts) == name:
        return BtList(parts)
    return BtList([name])


def num_args(rt: Any, sym: Symbol) -> int:
    return selector_arity(sym.name) if sym.name else 0


SYMBOL = {
    "asString": lambda rt, sym: sym.name,
    "size": lambda rt, sym: len(sym.name),
    "numArgs": num_args,
    "keywords": keywords,
    **comparisons(Symbol, "expects_symbol", lambda sym: sym.name),
}


# ---------------------------------------------------------------------- Character


def one_to_one_upper(c: str) -> str:
    """The simple (one-to-one) uppercase mapping of a code point."""
    upper = c.upper()
    if len(upper) == 1:
        return upper
    # Only full mappings are longer; where a simple mapping exists (Greek letters with
    # ypogegrammeni, U+1F80...) it is the titlecase form, which is one code point.
    title = c.title()
    return title if len(title) == 1 else c


def one_to_one_lower(c: str) -> str:
    """The simple (one-to-one) lowercase mapping of a code point."""
    lower = c.lower()
    if len(lower) == 1:
        return lower
    return "i" if c == "\u0130" else c  # U+0130's full mapping is i + combining dot


def character_value(rt: Any, cls: Any, code: Any) -> Character:
    n = expect_integer(rt, "value:", code)
    if not 0 <= n <= MAX_CODE_POINT or 0xD800 <= n <= 0xDFFF:
        raise rt.error_from("not_code_point", value=n)
    return Character(chr(n))


def category_test(*categories: str) -> Callable[..., bool]:
    return lambda rt, ch: unicodedata.category(ch.char) in categories


CHARACTER = {
    "value": lambda rt, ch: ord(ch.char),
    "asString": lambda rt, ch: ch.char,
    "isLetter": lambda rt, ch: unicodedata.category(ch.char).startswith("L"),
    "isDigit": lambda rt, ch: "0" <= ch.char <= "9",
    "isVowel": lambda rt, ch: ch.char in VOWELS,
    "isUppercase": category_test("Lu"),
    "isLowercase": category_test("Ll"),
    "isWhitespace": lambda rt, ch: is_whitespace(ch.char),
    "asUppercase": lambda rt, ch: Character(one_to_one_upper(ch.char)),
    "asLowercase": lambda rt, ch: Character(one_to_one_lower(ch.char)),
    **comparisons(Character, "expects_character", lambda ch: ch.char),
}

PRIMITIVES = {
    "String": STRING,
    "Symbol": SYMBOL,
    "Character": CHARACTER,
    "Character class": {"value:": character_value},
}
