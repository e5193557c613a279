"""Equality helpers and the standard order (LANGUAGE.md 3.5).

nil < false < true < numbers < Characters < Symbols < Strings < Tuples < Lists
< Dictionaries < other values.  Used by `sort`, and by Set/Dictionary printing and
iteration, so output is deterministic.
"""

from __future__ import annotations

import functools
from typing import Any

from .objects import Instance
from .text_answers import sent_text
from .values import BtDict, BtList, BtSet, BtTuple, Character, Symbol


def rank(value: Any) -> int:
    """The kind's place in the standard order."""
    kind = type(value)
    if value is None:
        return 0
    if kind is bool:
        return 2 if value else 1
    if kind is int or kind is float:
        return 3
    if kind is Character:
        return 4
    if kind is Symbol:
        return 5
    if kind is str:
        return 6
    if kind is BtTuple:
        return 7
    if kind is BtList:
        return 8
    if kind is BtDict:
        return 9
    return 10


def _sign(a: Any, b: Any) -> int:
    return (a > b) - (a < b)


def compare(rt: Any, a: Any, b: Any) -> int:
    """-1, 0 or 1: a's place relative to b in the standard order."""
    ra, rb = rank(a), rank(b)
    if ra != rb:
        return _sign(ra, rb)
    if ra == 3:
        if a == b:
            return _sign(type(a) is float, type(b) is float)  # Integer before Float
        return _sign(a, b)
    if ra == 4:
        return _sign(a.char, b.char)
    if ra == 5:
        return _sign(a.name, b.name)
    if ra == 6:
        return _sign(a, b)
    if ra in (7, 8):
        for x, y in zip(a.items, b.items):
            c = compare(rt, x, y)
            if c:
                return c
        return _sign(len(a.items), len(b.items))
    if ra == 9:
        return compare(rt, BtList(sorted_pairs_flat(rt, a)), BtList(sorted_pairs_flat(rt, b)))
    if ra < 3:
        return 0
    return compare_other(rt, a, b)


def compare_other(rt: Any, a: Any, b: Any) -> int:
    """Value instances by class name then fields; actors by creation; others by printString."""
    ca, cb = rt.class_of(a).name, rt.class_of(b).name
    if ca != cb:
        return _sign(ca, cb)
    if isinstance(a, Instance) and isinstance(b, Instance) and a.cls.kind == "value":
        for name in a.cls.all_field_names():
            c = compare(rt, a.fields.get(name), b.fields.get(name))
            if c:
                return c
        return 0
    order_a, order_b = getattr(a, "serial", None), getattr(b, "serial", None)
    if order_a is not None and order_b is not None:
        return _sign(order_a, order_b)
    return _sign(sent_text(rt, a, "printString"), sent_text(rt, b, "printString"))


def sort(rt: Any, values: list[Any]) -> list[Any]:
    """A stable sort into the standard order."""
    return sorted(values, key=functools.cmp_to_key(lambda a, b: compare(rt, a, b)))


def sorted_pairs(rt: Any, d: BtDict) -> list[tuple[Any, Any]]:
    """A Dictionary's (key, value) pairs with keys in standard order."""
    pairs = d.pairs()
    return sorted(pairs, key=functools.cmp_to_key(lambda p, q: compare(rt, p[0], q[0])))


def sorted_pairs_flat(rt: Any, d: BtDict) -> list[Any]:
    """Sorted associations as Tuples, for comparing Dictionaries."""
    return [BtTuple((k, v)) for k, v in sorted_pairs(rt, d)]


def sorted_elements(rt: Any, s: BtSet) -> list[Any]:
    """A Set's elements in standard order."""
    return sort(rt, s.elements())
