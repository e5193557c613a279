"""The interpreter's primitives: one table per built-in class, bound to `@primitive` bodies.

Each module exports `PRIMITIVES`, a dict from a class name (`"Integer"`, or
`"Integer class"` for the class side) to a dict from primitive name to a Python
function `fn(rt, receiver, *args)`.
"""

from __future__ import annotations

from typing import Any

from . import (
    actor,
    agents,
    block,
    collections,
    future,
    klass,
    number,
    obj,
    supervisor,
    system,
    text,
    transcript,
)
from . import exception as exception_primitives

MODULES = (obj, klass, block, future, actor, number, text, collections, system, transcript,
           exception_primitives, agents, supervisor)


def _merge() -> dict[str, dict[str, Any]]:
    tables: dict[str, dict[str, Any]] = {}
    for module in MODULES:
        for cls, table in module.PRIMITIVES.items():
            target = tables.setdefault(cls, {})
            overlap = set(target) & set(table)
            if overlap:
                raise RuntimeError(f"primitives defined twice for {cls}: {sorted(overlap)}")
            target.update(table)
    return tables


PRIMITIVES = _merge()
