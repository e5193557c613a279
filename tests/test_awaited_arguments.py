"""The collection primitives await the same arguments on both backends: the interpreter's table
(interp/runtime/primitives/awaiting.py) equals the BEAM's (beamtalk_dispatch_gen.erl,
awaited_arguments/1), and the interpreter's wrapped primitives await exactly those."""

from __future__ import annotations

import re
from pathlib import Path

from beamtalk.interp.runtime.primitives import PRIMITIVES
from beamtalk.interp.runtime.primitives.awaiting import (
    BLOCK_ANSWERS,
    COLLECTIONS,
    NEEDED,
    STRING_BLOCK_ANSWERS,
)

DISPATCH_GEN = (Path(__file__).resolve().parent.parent / "runtime_erl" / "src"
                / "beamtalk_dispatch_gen.erl")


def beam_table() -> dict[str, tuple[int, ...]]:
    """awaited_arguments/1's clauses, as 0-based positions."""
    source = DISPATCH_GEN.read_text(encoding="utf-8")
    body = source.split("awaited_arguments(Selector) ->", 1)[1].split("_ -> []", 1)[0]
    table = {}
    for selector, positions in re.findall(r"'([^']+)' -> \[([\d, ]+)\];", body):
        table[selector] = tuple(int(p) - 1 for p in positions.split(","))
    return table


def test_the_backends_await_the_same_arguments():
    assert beam_table() == NEEDED


def unwrapped_answers(fn):
    """The primitive inside a block-answer wrapper (awaiting_answers), if any."""
    return fn.__wrapped__ if fn.__name__ == "answering" else fn


def test_only_collection_primitives_of_the_table_are_wrapped():
    wrapped = {(cls, name) for cls in COLLECTIONS for name, fn in PRIMITIVES.get(cls, {}).items()
               if unwrapped_answers(fn).__name__ in ("first", "run")
               and unwrapped_answers(fn).__module__.endswith("awaiting")}
    expected = {(cls, name) for cls in COLLECTIONS for name in PRIMITIVES.get(cls, {})
                if name in NEEDED}
    assert wrapped == expected
    assert ("List", "at:") in wrapped and ("Dictionary", "at:put:") in wrapped


def test_block_answers_are_awaited_by_the_primitives_of_the_table():
    answering = {(cls, name) for cls in (*COLLECTIONS, "String")
                 for name, fn in PRIMITIVES.get(cls, {}).items() if fn.__name__ == "answering"}
    expected = {(cls, name) for cls in COLLECTIONS for name in PRIMITIVES.get(cls, {})
                if name in BLOCK_ANSWERS}
    expected |= {("String", name) for name in PRIMITIVES["String"] if name in STRING_BLOCK_ANSWERS}
    assert answering == expected
    assert ("List", "sortBy:") in answering and ("String", "collect:") in answering
