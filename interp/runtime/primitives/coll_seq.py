"""List, Tuple and Interval primitives (LANGUAGE.md 5: List, Tuple and Interval rows).

Every "modifying" message answers a new List; `select:`/`reject:`/`collect:` of all three
kinds answer Lists.  Blocks offered one argument may take none (2.3), see `one_arg`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from ..calls import call_block
from ..kinds import kind_name
from ..limits import MAX_ELEMENTS, TooLarge, check_elements, too_large_error
from ..order import compare
from ..order import sort as standard_sort
from ..values import BtDict, BtList, BtTuple, Interval, key_of
from .coll_common import (
    COLLECTION_KINDS,
    count_of,
    elements,
    empty_error,
    index_of,
    one_arg,
    sequence,
    truth,
    two_args,
)
from .support import expect_integer, expect_string, is_number

# ---------------------------------------------------------------- enumeration (all three kinds)


def do(rt: Any, r: Any, block: Any) -> Any:
    """Evaluate the block for each element; answer the receiver."""
    fn = one_arg(rt, block)
    for e in sequence(rt, r):
        fn(e)
    return r


def collect(rt: Any, r: Any, block: Any) -> BtList:
    """A List of the block's answers."""
    fn = one_arg(rt, block)
    return BtList([fn(e) for e in sequence(rt, r)])


def filtering(selector: str, keep: bool):
    """`select:` (keep=True) or `reject:` (keep=False), answering a List."""

    def run(rt: Any, r: Any, block: Any) -> BtList:
        fn = one_arg(rt, block)
        return BtList([e for e in sequence(rt, r) if truth(rt, selector, fn(e)) is keep])

    run.__name__ = selector
    return run


def detect_if_none(rt: Any, r: Any, block: Any, none_block: Any) -> Any:
    """The first element the block accepts, else the none-block's value."""
    fn = one_arg(rt, block)
    for e in sequence(rt, r):
        if truth(rt, "detect:ifNone:", fn(e)):
            return e
    return call_block(rt, none_block)


def detect(rt: Any, r: Any, block: Any) -> Any:
    """The first element the block accepts, else EmptyCollection."""
    fn = one_arg(rt, block)
    for e in sequence(rt, r):
        if truth(rt, "detect:", fn(e)):
            return e
    raise empty_error(rt)


def includes(rt: Any, r: Any, value: Any) -> bool:
    """Is an element `=` to the value?"""
    if type(r) is Interval:
        return interval_includes(rt, r, value)
    k = key_of(value)
    return any(key_of(e) == k for e in r.items)


def interval_includes(rt: Any, r: Interval, value: Any) -> bool:
    """Membership without building the Interval's elements."""
    values = sequence(rt, r)
    if type(values) is range:  # `=` never equates an Integer with a Float
        return type(value) is int and value in values
    k = key_of(value)
    return any(key_of(e) == k for e in values)


def size(rt: Any, r: Any) -> int:
    """The number of elements (of an Interval, by arithmetic: it may be huge)."""
    values = bounded_sequence(rt, r, limit=False)
    if type(values) is range:
        return max(0, (values.stop - values.start + values.step - (1 if values.step > 0 else -1))
                   // values.step)
    return len(values)


def bounded_sequence(rt: Any, r: Any, limit: bool = True) -> Any:
    """`sequence`, with an Interval too large to build (or to count) a typed error."""
    try:
        values = sequence(rt, r)
        if limit and type(values) is range and (
                values.start != values.stop and abs(values.stop - values.start) > MAX_ELEMENTS):
            check_elements(abs((values.stop - values.start) // values.step))
        return values
    except TooLarge as exc:
        raise too_large_error(rt, exc) from None
    except OverflowError:  # Float bounds beyond the Float range
        raise rt.error_from("float_overflow") from None


def first(rt: Any, r: Any) -> Any:
    """The first element, or EmptyCollection."""
    values = sequence(rt, r)
    if not values:
        raise empty_error(rt)
    return values[0]


def last(rt: Any, r: Any) -> Any:
    """The last element, or EmptyCollection."""
    values = sequence(rt, r)
    if not values:
        raise empty_error(rt)
    return values[-1]


def at(rt: Any, r: Any, index: Any) -> Any:
    """The element at a 1-based index."""
    values = sequence(rt, r)
    return values[index_of(rt, "at:", index, len(values))]


def as_list(rt: Any, r: Any) -> BtList:
    """The elements as a List."""
    return r if type(r) is BtList else BtList(bounded_sequence(rt, r))


def sum_(rt: Any, r: Any) -> Any:
    """The elements added with `+`; 0 when empty."""
    values = sequence(rt, r)
    if not values:
        return 0
    if all(type(e) is int for e in values):
        return sum(values)
    total = values[0]
    for e in values[1:]:  # `+` gives the TypeError texts of 3.4 for non-numbers
        total = rt.send(total, "+", e)
    return total


def extreme(selector: str, want_max: bool):
    """`max`/`min` with `<` (ties keep the first); EmptyCollection when empty."""

    def run(rt: Any, r: Any) -> Any:
        values = sequence(rt, r)
        if not values:
            raise empty_error(rt)
        if all(is_number(e) for e in values) or all(type(e) is str for e in values):
            return max(values) if want_max else min(values)
        best = values[0]
        for e in values[1:]:
            smaller, larger = (best, e) if want_max else (e, best)
            if truth(rt, "<", rt.send(smaller, "<", larger)):
                best = e
        return best

    run.__name__ = selector
    return run


# ---------------------------------------------------------------- List only


def prefix(selector: str):
    """`first: n` / `take: n`: lenient when n exceeds the size."""

    def run(rt: Any, r: BtList, n: Any) -> BtList:
        return BtList(r.items[:count_of(rt, selector, n)])

    run.__name__ = selector
    return run


def last_n(rt: Any, r: BtList, n: Any) -> BtList:
    """The last n elements (all of them when n exceeds the size)."""
    n = count_of(rt, "last:", n)
    return BtList(r.items[len(r.items) - n:] if n < len(r.items) else r.items)


def drop(rt: Any, r: BtList, n: Any) -> BtList:
    """All but the first n elements."""
    return BtList(r.items[count_of(rt, "drop:", n):])


def at_put(rt: Any, r: BtList, index: Any, value: Any) -> BtList:
    """A new List with the element at the index replaced."""
    i = index_of(rt, "at:put:", index, len(r.items))
    return BtList(r.items[:i] + (value,) + r.items[i + 1:])


def add(rt: Any, r: BtList, value: Any) -> BtList:
    """A new List with the value at the end."""
    return BtList(r.items + (value,))


def add_first(rt: Any, r: BtList, value: Any) -> BtList:
    """A new List with the value at the front (O(1), as on the BEAM)."""
    return BtList.with_first(value, r)


def concatenation(selector: str):
    """`addAll:`, `,`, `++`: the receiver's elements, then the argument's."""

    def run(rt: Any, r: BtList, other: Any) -> BtList:
        return BtList(r.items + tuple(elements(rt, selector, other)))

    run.__name__ = selector
    return run


def index_of_value(rt: Any, r: BtList, value: Any) -> int:
    """The 1-based index of the first element `=` to the value, or 0."""
    k = key_of(value)
    for i, e in enumerate(r.items):
        if key_of(e) == k:
            return i + 1
    return 0


def copy_from_to(rt: Any, r: BtList, start: Any, stop: Any) -> BtList:
    """The elements from start to stop (1-based, inclusive)."""
    expect_integer(rt, "copyFrom:to:", start)
    expect_integer(rt, "copyFrom:to:", stop)
    n = len(r.items)
    # `copyFrom: n + 1 to: n` is the empty copy at the end, as in Smalltalk
    for index, ok in ((start, 1 <= start <= n + 1), (stop, stop <= n and stop >= start - 1)):
        if not ok:
            raise rt.error_from("index_out_of_bounds", index=index, size=n)
    return BtList(r.items[start - 1:stop])


def reversed_(rt: Any, r: BtList) -> BtList:
    """The elements in reverse order."""
    return BtList(r.items[::-1])


def sort(rt: Any, r: BtList) -> BtList:
    """The elements in the standard order (stable)."""
    return BtList(standard_sort(rt, list(r.items)))


def sort_with(rt: Any, r: BtList, block: Any) -> BtList:
    """`sort: [:a :b | a <= b]`: the block says whether a may come before b; stable."""
    fn = two_args(rt, block)

    # Python's sort only asks "is x strictly before y?", i.e. "may y not come before x?";
    # ties then keep their order.
    def cmp(x: Any, y: Any) -> int:
        return 0 if truth(rt, "sort:", fn(y, x)) else -1

    return BtList(sorted(r.items, key=functools.cmp_to_key(cmp)))


def sort_by(rt: Any, r: BtList, block: Any) -> BtList:
    """`sortBy: [:e | key]`: ascending keys in the standard order; stable."""
    fn = one_arg(rt, block)
    keyed = [(fn(e), e) for e in r.items]
    keyed.sort(key=functools.cmp_to_key(lambda p, q: compare(rt, p[0], q[0])))
    return BtList(e for _, e in keyed)


def do_with_index(rt: Any, r: BtList, block: Any) -> BtList:
    """Evaluate the block with each element and its index; answer the receiver."""
    fn = two_args(rt, block)
    for i, e in enumerate(r.items, 1):
        fn(e, i)
    return r


def deep_elements(items: tuple) -> Iterator[Any]:
    """The elements of nested Lists, depth first."""
    for e in items:
        if type(e) is BtList:
            yield from deep_elements(e.items)
        else:
            yield e


def flatten(rt: Any, r: BtList) -> BtList:
    """A List with nested Lists spliced in, at any depth."""
    return BtList(deep_elements(r.items))


def flat_map(rt: Any, r: BtList, block: Any) -> BtList:
    """The concatenation of the collections the block answers."""
    fn = one_arg(rt, block)
    out: list[Any] = []
    for e in r.items:
        result = fn(e)
        if type(result) not in COLLECTION_KINDS:
            raise rt.error_from("expects_collection_block", selector="flatMap:",
                                kind=kind_name(rt, result))
        out.extend(sequence(rt, result))
    return BtList(out)


def zip_(rt: Any, r: BtList, other: Any) -> BtList:
    """Tuples of corresponding elements, up to the shorter size."""
    return BtList(BtTuple(pair) for pair in zip(r.items, elements(rt, "zip:", other)))


def group_by(rt: Any, r: BtList, block: Any) -> BtDict:
    """A Dictionary from each block answer to the List of elements giving it."""
    fn = one_arg(rt, block)
    groups: dict[Any, tuple[Any, list[Any]]] = {}
    for e in r.items:
        k = fn(e)
        groups.setdefault(key_of(k), (k, []))[1].append(e)
    return BtDict.of((k, BtList(members)) for k, members in groups.values())


def unique(rt: Any, r: BtList) -> BtList:
    """The first occurrence of each element, in order."""
    seen: set[Any] = set()
    out = []
    for e in r.items:
        k = key_of(e)
        if k not in seen:
            seen.add(k)
            out.append(e)
    return BtList(out)


def remove(rt: Any, r: BtList, value: Any) -> BtList:
    """A new List without the first element `=` to the value."""
    i = index_of_value(rt, r, value)
    return r if i == 0 else BtList(r.items[:i - 1] + r.items[i:])


def join(rt: Any, r: BtList, separator: Any) -> str:
    """The String elements joined with the separator."""
    expect_string(rt, "join:", separator)
    for e in r.items:
        if type(e) is not str:
            raise rt.error_from("expects_string_elements", selector="join:", kind=kind_name(rt, e))
    return separator.join(r.items)


def with_all(rt: Any, cls: Any, collection: Any) -> BtList:
    """`List withAll:`: the elements of a collection (or a String's Characters)."""
    return BtList(elements(rt, "withAll:", collection, strings=True))


# ---------------------------------------------------------------- tables

ENUMERATION = {
    "size": size,
    "first": first,
    "last": last,
    "includes:": includes,
    "do:": do,
    "collect:": collect,
    "select:": filtering("select:", True),
    "reject:": filtering("reject:", False),
    "asList": as_list,
}

PRIMITIVES = {
    "List": {
        **ENUMERATION,
        "at:": at,
        "detect:": detect,
        "detect:ifNone:": detect_if_none,
        "sum": sum_,
        "max": extreme("max", True),
        "min": extreme("min", False),
        "first:": prefix("first:"),
        "take:": prefix("take:"),
        "last:": last_n,
        "drop:": drop,
        "at:put:": at_put,
        "add:": add,
        "addFirst:": add_first,
        "addAll:": concatenation("addAll:"),
        ",": concatenation(","),
        "++": concatenation("++"),
        "indexOf:": index_of_value,
        "copyFrom:to:": copy_from_to,
        "reversed": reversed_,
        "sort": sort,
        "sort:": sort_with,
        "sortBy:": sort_by,
        "doWithIndex:": do_with_index,
        "flatten": flatten,
        "flatMap:": flat_map,
        "zip:": zip_,
        "groupBy:": group_by,
        "unique": unique,
        "remove:": remove,
        "join:": join,
    },
    "List class": {"withAll:": with_all},
    "Tuple": {**ENUMERATION, "at:": at},
    "Interval": {
        **ENUMERATION,
        "detect:": detect,
        "detect:ifNone:": detect_if_none,
        "sum": sum_,
    },
}
