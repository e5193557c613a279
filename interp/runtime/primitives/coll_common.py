"""Helpers shared by the collection primitives: element access, block calling, error texts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..calls import call_block
from ..kinds import kind_name
from ..objects import BtBlock
from ..order import sorted_elements, sorted_pairs
from ..values import BtDict, BtList, BtSet, BtTuple, Interval, characters_of
from .support import expect_integer


def interval_values(iv: Interval) -> Sequence[Any]:
    """An Interval's numbers: a lazy range when every bound is an Integer."""
    start, stop, step = iv.start, iv.stop, iv.step
    if type(start) is int and type(stop) is int and type(step) is int and step != 0:
        return range(start, stop + (1 if step > 0 else -1), step)
    if step == 0 or (stop - start) * step < 0:
        return []
    # start + i * step rather than repeated addition, so rounding does not accumulate
    count = int((stop - start) / step) + 1
    return [start] + [start + i * step for i in range(1, count)]


def sequence(rt: Any, r: Any) -> Sequence[Any]:
    """The receiver's elements in iteration order (List, Tuple, Interval, Set, Dictionary)."""
    kind = type(r)
    if kind is BtList or kind is BtTuple:
        return r.items
    if kind is Interval:
        return interval_values(r)
    if kind is BtSet:
        return sorted_elements(rt, r)
    if kind is BtDict:
        return [v for _, v in sorted_pairs(rt, r)]
    raise TypeError(f"not a collection: {kind.__name__}")


COLLECTION_KINDS = (BtList, BtTuple, Interval, BtSet, BtDict)


def elements(rt: Any, selector: str, value: Any, strings: bool = False) -> Sequence[Any]:
    """The elements of a collection argument, or a TypeError naming the selector.

    With `strings`, a String counts as its Characters (conversions like `List withAll:`).
    """
    if type(value) in COLLECTION_KINDS:
        return sequence(rt, value)
    if strings and type(value) is str:
        return list(characters_of(value))
    raise rt.error_from("expects_collection", selector=selector, kind=kind_name(rt, value))


def one_arg(rt: Any, block: Any) -> Callable[[Any], Any]:
    """A Python callable offering one argument; a 0-parameter block ignores it (2.3)."""
    if type(block) is BtBlock:
        if block.num_args == 1:
            return block.fn
        if block.num_args == 0:
            fn = block.fn
            return lambda _e: fn()
        return block.fn  # the wrong arity: calling it signals ArityError
    return lambda e: call_block(rt, block, e)


def two_args(rt: Any, block: Any) -> Callable[[Any, Any], Any]:
    """A Python callable offering two arguments."""
    if type(block) is BtBlock:
        return block.fn
    return lambda a, b: call_block(rt, block, a, b)


def truth(rt: Any, selector: str, value: Any) -> bool:
    """A block's Boolean answer, or a TypeError when it answered something else."""
    if value is True:
        return True
    if value is False:
        return False
    raise rt.error_from("expects_boolean_block", selector=selector, kind=kind_name(rt, value))


def empty_error(rt: Any) -> Exception:
    """EmptyCollection: `first`, `last`, `max`, `detect:` with nothing to give."""
    return rt.error_from("empty_collection")


def index_of(rt: Any, selector: str, index: Any, size: int) -> int:
    """A 0-based position for a 1-based Integer index, or TypeError/IndexOutOfBounds."""
    expect_integer(rt, selector, index)
    if not 1 <= index <= size:
        raise rt.error_from("index_out_of_bounds", index=index, size=size)
    return index - 1


def count_of(rt: Any, selector: str, n: Any) -> int:
    """A non-negative Integer count (`first: take: drop:`), else TypeError/ArgumentError."""
    expect_integer(rt, selector, n)
    if n < 0:
        raise rt.error_from("negative_count", selector=selector, value=n)
    return n
