"""Signalling and handling (LANGUAGE.md 3.4).

`on:do:` pushes a handler entry on the process's handler stack.  `signal` searches that
stack from the innermost entry whose classes match:
- an Error unwinds first (Python `finally` blocks run the `ensure:` blocks on the way),
  then the chosen `on:do:` runs its handler;
- a resumable exception runs the handler right at the signal point; `resume:` makes
  `signal` answer, any other end of the handler unwinds to the `on:do:`.
While a handler runs, only the entries outside its `on:do:` are searched, so an error
raised inside a handler goes to the handlers outside.
"""

from __future__ import annotations

from typing import Any

from .control_flow import BeamtalkError, ExceptionInstance, HandlerUnwind
from .objects import BtBlock, BtClass, Instance


class HandlerEntry:
    """One active `on:do:`: what it catches, its handler block, and where it sits."""

    __slots__ = ("catches", "handler", "depth", "active")

    def __init__(self, catches: Any, handler: BtBlock, depth: int):
        self.catches = catches  # a class or an ExceptionSet instance
        self.handler = handler
        self.depth = depth  # index in the handler stack
        self.active = True


class Resumed(Exception):
    """Raised inside a handler by `resume:`; caught at the signal point."""

    def __init__(self, exc: ExceptionInstance, value: Any):
        super().__init__()
        self.exc = exc
        self.value = value


def is_resumable(rt, cls: BtClass) -> bool:
    """Exceptions that are not Errors are resumable."""
    return not cls.includes_behavior(rt.classes["Error"])


def handles(rt, catches: Any, exc: ExceptionInstance) -> bool:
    """Does an `on:` argument (class or ExceptionSet) catch this exception?"""
    if isinstance(catches, BtClass):
        return exc.cls.includes_behavior(catches)
    if isinstance(catches, Instance) and catches.cls.name == "ExceptionSet":
        return any(handles(rt, c, exc) for c in catches.fields["classes"])
    return False


def find_handler(rt, exc: ExceptionInstance, below: int | None = None) -> HandlerEntry | None:
    """The innermost active handler for exc, searching entries under index `below`."""
    stack = rt.process.handlers
    top = len(stack) if below is None else below
    for i in range(top - 1, -1, -1):
        entry = stack[i]
        if entry.active and handles(rt, entry.catches, exc):
            return entry
    return None


def signal(rt, exc: ExceptionInstance, below: int | None = None) -> Any:
    """Signal exc; answer the resumption value (resumable) or raise."""
    exc.signalled = True
    exc.resumable = is_resumable(rt, exc.cls)
    entry = find_handler(rt, exc, below)
    if not exc.resumable:
        raise BeamtalkError(exc, entry)
    if entry is None:
        if exc.cls.includes_behavior(rt.classes["Warning"]):
            rt.err.write(f"WARNING: {exc.message_text or ''}\n")
            rt.err.flush()
            return None
        raise BeamtalkError(exc, None)
    return run_handler_at_signal(rt, entry, exc)


def run_handler_at_signal(rt, entry: HandlerEntry, exc: ExceptionInstance) -> Any:
    """Run a resumable exception's handler before unwinding."""
    stack = rt.process.handlers
    saved = stack[entry.depth:]
    del stack[entry.depth:]  # the handler sees only outer handlers
    previous = exc.handler
    exc.handler = entry
    try:
        value = call_handler(rt, entry.handler, exc)
    except Resumed as resumed:
        if resumed.exc is not exc:
            raise
        return resumed.value
    finally:
        exc.handler = previous
        stack.extend(saved)
    raise HandlerUnwind(entry, value)


def call_handler(rt, handler: Any, exc: ExceptionInstance) -> Any:
    """Call a handler block with the exception (0 or 1 parameters)."""
    if isinstance(handler, BtBlock):
        # one argument is offered: a 2-parameter handler is told "got 1", not "got 0"
        return handler.fn() if handler.num_args == 0 else handler.fn(exc)
    return rt.send(handler, "value:", exc)


def on_do(rt, protected: BtBlock, catches: Any, handler: Any) -> Any:
    """`[...] on: ExceptionClass do: [:e | ...]`."""
    stack = rt.process.handlers
    while True:
        entry = HandlerEntry(catches, handler, len(stack))
        stack.append(entry)
        try:
            try:
                try:
                    return protected.fn()
                except RecursionError:  # runaway recursion in generated code
                    raise rt.error_from("stack_overflow") from None
            except BeamtalkError as err:  # an Error: unwound to here, now run the handler
                if err.target is not entry:
                    raise
                del stack[entry.depth:]
                exc = err.exc
                previous, exc.handler = exc.handler, entry
                try:
                    return call_handler(rt, handler, exc)
                finally:
                    exc.handler = previous
        except HandlerUnwind as unwind:  # return:, retry, or a resumable handler's end
            if unwind.entry is not entry:
                raise
            if unwind.retry:
                continue
            return unwind.value
        finally:
            del stack[entry.depth:]
