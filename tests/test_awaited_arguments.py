"""The collection primitives await the same arguments on both backends: the interpreter's table
(interp/runtime/primitives/awaiting.py) equals the BEAM's (beamtalk_dispatch_gen.erl,
awaited_arguments/1), and the interpreter's wrapped primitives await exactly those."""

from __future__ import annotations

import re
from pathlib import Path

from beamtalk.interp.runtime.primitives import PRIMITIVES
from beamtalk.interp.runtime.primitives.awaiting import COLLECTIONS, NEEDED

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


def test_only_collection_primitives_of_the_table_are_wrapped():
    wrapped = {(cls, name) for cls in COLLECTIONS for name, fn in PRIMITIVES.get(cls, {}).items()
               if fn.__name__ in ("first", "run") and fn.__module__.endswith("awaiting")}
    expected = {(cls, name) for cls in COLLECTIONS for name in PRIMITIVES.get(cls, {})
                if name in NEEDED}
    assert wrapped == expected
    assert ("List", "at:") in wrapped and ("Dictionary", "at:put:") in wrapped
