"""Activations of closure-compiled code: frames, compile contexts, compiled blocks.

Statements answer their value, or RETURNED after `^` stored the method's answer in
`frame.retval` (a cheap flag instead of an exception on the common path).  A `^` buried
inside an expression, or inside a block run by another method, raises NonLocalReturn
to the home activation instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from beamtalk.interp.analysis.scopes import Layout, Resolver, Scope
from beamtalk.interp.runtime.control_flow import NonLocalReturn
from beamtalk.interp.runtime.objects import BtClass

RETURNED = object()
Code = Callable[["Frame"], Any]


class Frame:
    """One activation: local slots, the receiver, and the home activation for `^`."""

    __slots__ = ("vars", "receiver", "home", "active", "retval")

    def __init__(self, vars: list, receiver: Any, home: Frame | None = None):
        self.vars = vars
        self.receiver = receiver
        self.home = home if home is not None else self
        self.active = True
        self.retval = None


class Context:
    """Where code is being compiled: scope, class, side, and what `self`/fields mean."""

    def __init__(self, resolver: Resolver, scope: Scope, cls: BtClass | None = None,
                 class_side: bool = False):
        self.resolver = resolver
        self.scope = scope
        self.cls = cls
        self.class_side = class_side

    def inner(self, scope: Scope) -> Context:
        return Context(self.resolver, scope, self.cls, self.class_side)


class CompiledBlock:
    """A literal block compiled once; used inline or turned into Block objects."""

    def __init__(self, params: list[int], temps: list[int], body: Code, stored: bool,
                 layout: Layout | None, mutating: bool, has_return: bool):
        self.params = params
        self.temps = temps
        self.body = body
        self.stored = stored
        self.layout = layout
        self.mutating = mutating
        self.has_return = has_return


def method_invoker(rt: Any, body: Code, layout: Layout, nparams: int, has_body: bool):
    """The Python callable that runs one activation of a compiled method."""
    limit = rt.max_depth
    local = rt.local
    extra = layout.size - nparams

    def invoke(rt_: Any, receiver: Any, *args: Any) -> Any:
        frame = Frame([*args, *[None] * extra] if extra else list(args), receiver)
        try:
            proc = local.process
        except AttributeError:
            proc = rt.process
        proc.depth += 1
        try:
            if proc.depth > limit:  # also how a killed actor's code is stopped
                proc.check_killed(rt)
                raise rt.error_from("stack_overflow")
            value = body(frame)
            if value is RETURNED:
                return frame.retval
            return value if has_body else receiver
        except NonLocalReturn as nlr:
            if nlr.home is frame:
                return nlr.value
            raise
        finally:
            frame.active = False
            proc.depth -= 1

    return invoke


def slot_reader(slot: int) -> Code:
    """Code reading a local slot (tagged so sends can read the slot directly)."""
    code = lambda f: f.vars[slot]  # noqa: E731
    code.slot = slot  # type: ignore[attr-defined]
    return code


def return_from(rt: Any, home: Frame, value: Any) -> None:
    """`^value` from a block: unwind to the home activation, if it is still running."""
    if not home.active:
        raise rt.error_from("block_cannot_return")
    raise NonLocalReturn(home, value)


def run_block(cb: CompiledBlock, f: Frame) -> Any:
    """Run an inlined zero-parameter control block in the enclosing frame."""
    for slot in cb.temps:
        f.vars[slot] = None
    return cb.body(f)


def inline_body(cb: CompiledBlock | None) -> Code | None:
    """The code that runs an inlined block: its body itself when it has no temporaries."""
    if cb is None or not cb.temps:
        return cb.body if cb is not None else None
    return lambda f: run_block(cb, f)
