"""Actor: the messages an actor reference answers itself (LANGUAGE.md 3.2).

Sends to a reference are intercepted before lookup; these entries make the protocol
visible to reflection and keep it sealed against overriding.
"""

from __future__ import annotations

from typing import Any

from ..actors import REFERENCE_SELECTORS, SINGLE_NODE, reference_selectors
from .support import forwarding
from .system import name_of


def spawn_on(rt: Any, cls: Any, node: Any) -> Any:
    """`spawnOn:` this node is `spawn` (sent, so a Supervisor class spawns its way)."""
    check_this_node(rt, "spawnOn:", node)
    return rt.send(cls, "spawn")


def spawn_on_with(rt: Any, cls: Any, node: Any, values: Any) -> Any:
    """`spawnOn:with:` this node is `spawnWith:`."""
    check_this_node(rt, "spawnOn:with:", node)
    return rt.send(cls, "spawnWith:", values)


def check_this_node(rt: Any, selector: str, node: Any) -> None:
    """Only the interpreter's single node can be spawned on (LANGUAGE.md 8)."""
    name = name_of(rt, selector, node)
    if name != SINGLE_NODE:
        raise rt.error_from("spawn_on_unsupported", node=name)


PRIMITIVES = {
    "Actor": forwarding(REFERENCE_SELECTORS, reference_selectors),
    "Actor class": {"spawnOn:": spawn_on, "spawnOn:with:": spawn_on_with},
}
