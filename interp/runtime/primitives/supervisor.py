"""Supervisor: spawning a supervisor and the messages it answers (LANGUAGE.md 3.3).

The logic lives in runtime/supervision.py; these entries bind it to Supervisor.bt.
"""

from __future__ import annotations

from typing import Any

from ..kinds import kind_name
from ..supervision import spawn_supervisor, supervision_of
from ..values import BtList, Symbol
from .support import awaited


def spawn(rt: Any, cls: Any) -> Any:
    return spawn_supervisor(rt, cls)


def spawn_with(rt: Any, cls: Any, values: Any) -> Any:
    return spawn_supervisor(rt, cls, awaited(rt, values))


def children(rt: Any, ref: Any) -> BtList:
    supervision = supervision_of(ref)
    return supervision.current_children() if supervision is not None else BtList()


def child_named(rt: Any, ref: Any, name: Any) -> Any:
    name = awaited(rt, name)
    if isinstance(name, Symbol):
        name = name.name
    elif type(name) is not str:
        raise rt.error_from("expects_symbol", selector="childNamed:", kind=kind_name(rt, name))
    supervision = supervision_of(ref)
    return supervision.child_named(name) if supervision is not None else None


def restart_count(rt: Any, ref: Any) -> int:
    supervision = supervision_of(ref)
    return supervision.restarts() if supervision is not None else 0


PRIMITIVES = {
    "Supervisor": {
        "children": children,
        "childNamed:": child_named,
        "restartCount": restart_count,
    },
    "Supervisor class": {
        "spawn": spawn,
        "spawnWith:": spawn_with,
    },
}
