"""Dictionary, Set and Association primitives (LANGUAGE.md 5: their rows).

Keys and elements use `=` (no number coercion) through `key_of`.  Anything that runs a
block or answers an ordered result walks keys/elements in the standard order (3.5), so
output is deterministic.  "Modifying" messages answer new Dictionaries and Sets.
"""

from __future__ import annotations

from typing import Any

from ..calls import call_block
from ..kinds import kind_name
from ..order import sorted_elements, sorted_pairs
from ..text_answers import error_text_of
from ..values import Association, BtDict, BtList, BtSet, key_of
from .coll_common import elements, one_arg, truth, two_args

# ---------------------------------------------------------------- Dictionary


def expect_dictionary(rt: Any, selector: str, value: Any) -> BtDict:
    """The value, or a TypeError naming the selector."""
    if type(value) is not BtDict:
        raise rt.error_from("expects_dictionary", selector=selector, kind=kind_name(rt, value))
    return value


def dict_at(rt: Any, r: BtDict, key: Any) -> Any:
    """The value for a key, or KeyNotFound."""
    pair = r.map.get(key_of(key))
    if pair is None:
        raise rt.error_from("key_not_found", key=error_text_of(rt, key))
    return pair[1]


def dict_at_if_absent(rt: Any, r: BtDict, key: Any, block: Any) -> Any:
    """The value for a key, or the block's value."""
    pair = r.map.get(key_of(key))
    return call_block(rt, block) if pair is None else pair[1]


def dict_keys(rt: Any, r: BtDict) -> BtList:
    """The keys in the standard order."""
    return BtList(k for k, _ in sorted_pairs(rt, r))


def dict_values(rt: Any, r: BtDict) -> BtList:
    """The values in the standard order of their keys."""
    return BtList(v for _, v in sorted_pairs(rt, r))


def associations(rt: Any, r: BtDict) -> BtList:
    """Key -> value Associations in the standard order of keys."""
    return BtList(Association(k, v) for k, v in sorted_pairs(rt, r))


def keys_and_values_do(rt: Any, r: BtDict, block: Any) -> BtDict:
    """Evaluate the block with each key and value; answer the receiver."""
    fn = two_args(rt, block)
    for k, v in sorted_pairs(rt, r):
        fn(k, v)
    return r


def dict_collect(rt: Any, r: BtDict, block: Any) -> BtDict:
    """A Dictionary with the same keys and the block's answers as values."""
    fn = one_arg(rt, block)
    return BtDict.of([(k, fn(v)) for k, v in sorted_pairs(rt, r)])


def dict_filtering(selector: str, keep: bool):
    """`select:`/`reject:` on values, answering a Dictionary."""

    def run(rt: Any, r: BtDict, block: Any) -> BtDict:
        fn = one_arg(rt, block)
        return BtDict.of([(k, v) for k, v in sorted_pairs(rt, r)
                          if truth(rt, selector, fn(v)) is keep])

    run.__name__ = selector
    return run


def merge(rt: Any, r: BtDict, other: Any) -> BtDict:
    """A Dictionary with the argument's entries added (the argument wins)."""
    expect_dictionary(rt, "merge:", other)
    merged = r
    for key, value in other.map.values():
        merged = merged.put(key, value)
    return merged


# ---------------------------------------------------------------- Set


def as_set(rt: Any, selector: str, value: Any) -> BtSet:
    """A Set argument, or the Set of a collection's elements."""
    if type(value) is BtSet:
        return value
    return BtSet.of(elements(rt, selector, value))


def union(rt: Any, r: BtSet, other: Any) -> BtSet:
    """A Set of the elements of both."""
    result = r
    for e in sorted_elements(rt, as_set(rt, "union:", other)):
        result = result.add(e)
    return result


def intersection(rt: Any, r: BtSet, other: Any) -> BtSet:
    """A Set of the receiver's elements the argument includes."""
    keep = as_set(rt, "intersection:", other)
    return BtSet.of(e for e in r.elements() if keep.contains(e))


def difference(rt: Any, r: BtSet, other: Any) -> BtSet:
    """A Set of the receiver's elements the argument lacks."""
    drop = as_set(rt, "difference:", other)
    return BtSet.of(e for e in r.elements() if not drop.contains(e))


def set_with_all(rt: Any, cls: Any, collection: Any) -> BtSet:
    """`Set withAll:`: the elements of a collection (or a String's Characters)."""
    return BtSet.of(elements(rt, "withAll:", collection, strings=True))


# ---------------------------------------------------------------- tables

PRIMITIVES = {
    "Dictionary": {
        "size": lambda rt, r: len(r),
        "at:": dict_at,
        "at:ifAbsent:": dict_at_if_absent,
        "at:put:": lambda rt, r, k, v: r.put(k, v),
        "removeKey:": lambda rt, r, k: r.remove(k),
        "includesKey:": lambda rt, r, k: r.contains(k),
        "keys": dict_keys,
        "values": dict_values,
        "associations": associations,
        "keysAndValuesDo:": keys_and_values_do,
        "collect:": dict_collect,
        "select:": dict_filtering("select:", True),
        "reject:": dict_filtering("reject:", False),
        "merge:": merge,
    },
    "Set": {
        "size": lambda rt, r: len(r),
        "includes:": lambda rt, r, e: r.contains(e),
        "add:": lambda rt, r, e: r.add(e),
        "remove:": lambda rt, r, e: r.remove(e),
        "union:": union,
        "intersection:": intersection,
        "difference:": difference,
        "asList": lambda rt, r: BtList(sorted_elements(rt, r)),
    },
    "Set class": {"withAll:": set_with_all},
    "Association": {
        "key": lambda rt, r: r.key,
        "value": lambda rt, r: r.value,
    },
}
