"""The arguments a collection primitive awaits first (LANGUAGE.md 3.2, "wherever a value is
needed"): indices and counts, keys and elements it compares or hashes, and collections it
reads. Values it only stores (`add:`, the value of `at:put:`) may stay futures, so
`futures := futures add: (agent query: q)` collects them without waiting.

The BEAM has the same table (runtime_erl/src/beamtalk_dispatch_gen.erl, awaited_arguments/1);
tests/test_awaited_arguments.py checks that the two agree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..futures import Future, await_future

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
    """The primitive tables with the collection primitives of NEEDED wrapped by awaiting()."""
    out = dict(tables)
    for cls in COLLECTIONS:
        entries = tables.get(cls)
        if entries is None:
            continue
        out[cls] = {name: (awaiting(fn, NEEDED[name]) if name in NEEDED else fn)
                    for name, fn in entries.items()}
    return out
