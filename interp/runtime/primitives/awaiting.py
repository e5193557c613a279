"""The arguments a collection primitive awaits first (LANGUAGE.md 3.2, "wherever a value is
needed"): indices and counts, keys and elements it compares or hashes, and collections it
reads. Values it only stores (`add:`, the value of `at:put:`) may stay futures, so
`futures := futures add: (agent query: q)` collects them without waiting.

The BEAM has the same table (runtime_erl/src/beamtalk_dispatch_gen.erl, awaited_arguments/1);
tests/test_awaited_arguments.py checks that the two agree.

A block's answer is awaited the same way where the primitive needs it: a Boolean it tests
(`select:`, `detect:`, `sort:`), a key it compares or hashes (`sortBy:`, `groupBy:`), a
collection it reads (`flatMap:`), a Character it must recognise (String `collect:`). Answers
only stored (`collect:` of the other collections) stay futures. On the BEAM the primitives
call beamtalk_block:answer/2 there; conformance/actors/act_future_block_answers.bt pins both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..futures import Future, await_future
from ..objects import BtBlock

# selector -> the 0-based positions of the arguments awaited
NEEDED: dict[str, tuple[int, ...]] = {
    "at:": (0,),
    "at:put:": (0,),
    "at:ifAbsent:": (0,),
    "includes:": (0,),
    "includesKey:": (0,),
    "indexOf:": (0,),
    "remove:": (0,),
    "removeKey:": (0,),
    "copyFrom:to:": (0, 1),
    "first:": (0,),
    "take:": (0,),
    "last:": (0,),
    "drop:": (0,),
    ",": (0,),
    "++": (0,),
    "addAll:": (0,),
    "zip:": (0,),
    "join:": (0,),
    "union:": (0,),
    "intersection:": (0,),
    "difference:": (0,),
    "merge:": (0,),
    "=": (0,),
    "~=": (0,),
}

COLLECTIONS = ("List", "Tuple", "Interval", "Dictionary", "Set")

# selector -> the 0-based positions of the block arguments whose answers are awaited
BLOCK_ANSWERS: dict[str, tuple[int, ...]] = {
    "select:": (0,),
    "reject:": (0,),
    "detect:": (0,),
    "detect:ifNone:": (0,),  # not the ifNone: block: its answer is only handed back
    "sort:": (0,),
    "sortBy:": (0,),
    "flatMap:": (0,),
    "groupBy:": (0,),
}
# String's: its `collect:` answers a String when every answer is a Character
STRING_BLOCK_ANSWERS = {"select:": (0,), "collect:": (0,)}


def answered(rt: Any, block: Any) -> Any:
    """The block, its future answers awaited (a block of the same arity, so cull and the
    ArityError stay as they were); anything else answering `value...` is left as it is."""
    if type(block) is not BtBlock:
        return block
    fn = block.fn

    def run(*args: Any) -> Any:
        value = fn(*args)
        return await_future(rt, value) if type(value) is Future else value

    return BtBlock(run, block.num_args, block.mutating)


def awaiting_answers(fn: Callable[..., Any], positions: tuple[int, ...]) -> Callable[..., Any]:
    """The primitive fn, the blocks at these argument positions answering awaited values."""
    def answering(rt: Any, r: Any, *args: Any) -> Any:
        given = list(args)
        for i in positions:
            given[i] = answered(rt, given[i])
        return fn(rt, r, *given)

    answering.__doc__ = fn.__doc__
    answering.__wrapped__ = fn  # type: ignore[attr-defined]
    return answering


def awaiting(fn: Callable[..., Any], positions: tuple[int, ...]) -> Callable[..., Any]:
    """The primitive fn, with the arguments at these positions awaited first."""
    if positions == (0,):  # the common case, without building a list per call
        def first(rt: Any, r: Any, a: Any, *rest: Any) -> Any:
            if type(a) is Future:
                a = await_future(rt, a)
            return fn(rt, r, a, *rest)

        first.__doc__ = fn.__doc__
        return first

    def run(rt: Any, r: Any, *args: Any) -> Any:
        given = list(args)
        for i in positions:
            if type(given[i]) is Future:
                given[i] = await_future(rt, given[i])
        return fn(rt, r, *given)

    run.__doc__ = fn.__doc__
    return run


def awaiting_arguments(tables: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The primitive tables with the collection primitives of NEEDED wrapped by awaiting(),
    and those of BLOCK_ANSWERS (STRING_BLOCK_ANSWERS for String) by awaiting_answers()."""
    out = dict(tables)
    for cls in COLLECTIONS:
        entries = tables.get(cls)
        if entries is None:
            continue
        wrapped = {}
        for name, fn in entries.items():
            if name in NEEDED:
                fn = awaiting(fn, NEEDED[name])
            if name in BLOCK_ANSWERS:
                fn = awaiting_answers(fn, BLOCK_ANSWERS[name])
            wrapped[name] = fn
        out[cls] = wrapped
    if "String" in tables:
        out["String"] = {name: (awaiting_answers(fn, STRING_BLOCK_ANSWERS[name])
                                if name in STRING_BLOCK_ANSWERS else fn)
                         for name, fn in tables["String"].items()}
    return out
