"""Primitives: the collections (List, Tuple, Interval, Dictionary, Set, Association).

The work is split over `coll_seq` (sequences) and `coll_keyed` (keyed and hashed kinds);
this module merges their tables into the one the registry expects.
"""

from __future__ import annotations

from typing import Any

from . import coll_keyed, coll_seq


def _merge(*tables: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    merged: dict[str, dict[str, Any]] = {}
    for table in tables:
        for cls, entries in table.items():
            target = merged.setdefault(cls, {})
            overlap = set(target) & set(entries)
            if overlap:
                raise RuntimeError(f"collection primitives defined twice for {cls}: {overlap}")
            target.update(entries)
    return merged


PRIMITIVES = _merge(coll_seq.PRIMITIVES, coll_keyed.PRIMITIVES)
