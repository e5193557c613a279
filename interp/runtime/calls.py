"""Calling a block (or anything answering `value...`) from Python."""

from __future__ import annotations

from typing import Any

from .objects import BtBlock


def call_block(rt: Any, block: Any, *args: Any) -> Any:
    """Evaluate a block (or anything answering value...) with these arguments."""
    if type(block) is BtBlock:
        return block.fn(*args)
    selector = {0: "value", 1: "value:", 2: "value:value:"}.get(len(args))
    if selector is None:
        selector = "value:" * len(args)
    return rt.send(block, selector, *args)


def cull(rt: Any, block: Any, arg: Any) -> Any:
    """Call a block with the argument if it takes one, else with none."""
    if type(block) is BtBlock and block.num_args == 0:
        return block.fn()
    return call_block(rt, block, arg)
