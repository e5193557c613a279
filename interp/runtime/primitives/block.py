"""Block: evaluation, loops, and the exception-handling messages."""

from __future__ import annotations

from typing import Any

from ..calls import call_block, cull
from ..control_flow import BeamtalkError, NonLocalReturn
from ..kinds import kind_name
from ..signalling import on_do
from ..values import BtList
from .support import awaited


def value_with_arguments(rt: Any, r: Any, args: Any) -> Any:
    if not isinstance(args, BtList):
        raise rt.error_from("expects_list", selector="valueWithArguments:",
                            kind=kind_name(rt, args))
    return r.fn(*args.items)


def while_true(rt: Any, r: Any, body: Any, want: bool = True) -> None:
    """`whileTrue:` (want true) and `whileFalse:`, with or without a body block."""
    while True:
        value = awaited(rt, r.fn())
        if value is not want:
            if value is (not want):
                return None
            selector = ("whileTrue" if want else "whileFalse") + (":" if body is not None else "")
            raise rt.error_from("expects_boolean", selector=selector, kind=kind_name(rt, value))
        if body is not None:
            call_block(rt, body)


def repeat(rt: Any, r: Any) -> None:
    while True:
        r.fn()


def ensure(rt: Any, r: Any, cleanup: Any) -> Any:
    try:
        return r.fn()
    finally:
        call_block(rt, cleanup)


def if_curtailed(rt: Any, r: Any, cleanup: Any) -> Any:
    try:
        return r.fn()
    except (BeamtalkError, NonLocalReturn):
        call_block(rt, cleanup)
        raise


PRIMITIVES = {
    "Block": {
        "value": lambda rt, r: r.fn(),
        "value:": lambda rt, r, a: r.fn(a),
        "value:value:": lambda rt, r, a, b: r.fn(a, b),
        "value:value:value:": lambda rt, r, a, b, c: r.fn(a, b, c),
        "value:value:value:value:": lambda rt, r, a, b, c, d: r.fn(a, b, c, d),
        "valueWithArguments:": value_with_arguments,
        "numArgs": lambda rt, r: r.num_args,
        "cull:": cull,
        "whileTrue:": lambda rt, r, body: while_true(rt, r, body, True),
        "whileFalse:": lambda rt, r, body: while_true(rt, r, body, False),
        "whileTrue": lambda rt, r: while_true(rt, r, None, True),
        "whileFalse": lambda rt, r: while_true(rt, r, None, False),
        "repeat": repeat,
        "on:do:": lambda rt, r, catches, handler: on_do(rt, r, catches, handler),
        "ensure:": ensure,
        "ifCurtailed:": if_curtailed,
    },
}
