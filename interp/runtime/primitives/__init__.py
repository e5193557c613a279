"""The interpreter's primitives: one table per built-in class, bound to `@primitive` bodies.

Each module exports `PRIMITIVES`, a dict from a class name (`"Integer"`, or
`"Integer class"` for the class side) to a dict from primitive name to a Python
function `fn(rt, receiver, *args)`.
"""

from __future__ import annotations

from . import (
    actor,
    agents,
    block,
    coll_keyed,
    coll_seq,
    future,
    interop,
    klass,
    number,
    obj,
    supervisor,
    system,
    text,
    transcript,
)
from . import exception as exception_primitives
from .awaiting import awaiting_arguments
from .support import merge_tables

MODULES = (obj, klass, block, future, actor, number, text, coll_seq, coll_keyed, system,
           transcript, exception_primitives, agents, supervisor, interop)


PRIMITIVES = awaiting_arguments(merge_tables(*(module.PRIMITIVES for module in MODULES)))
