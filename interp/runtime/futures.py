"""Futures (LANGUAGE.md 3.2): transparent, owned by the process that made the send.

A future answers its own protocol (`await`, `isResolved`, `whenResolved:` ...); any
other message awaits it and goes to its value.  Only the owner may use it.  Awaiting
records who waits for which actor, so an await that closes a cycle signals
DeadlockError instead of waiting forever.  Callbacks run in the owner's process: for an
actor between two of its messages, for the top level at its next wait.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from .control_flow import BeamtalkError, ExceptionInstance
from .kinds import kind_name
from .signalling import signal
from .wakers import AnyWaker, thread_waker

DEFAULT_TIMEOUT_MS = 30_000  # plain `await` (the runtime's `await_timeout_ms` starts here)
DEFAULT = "default"  # as a timeout: the runtime's `await_timeout_ms`
# Guards registering a callback against the future settling at the same moment.  Held
# only for a few instructions and shared by every runtime, like the GIL it stands beside.
CALLBACKS = threading.Lock()
DEADLOCK_POLL_S = 0.05


class Future:
    """The eventual answer of a message sent to an actor.

    `waiter` is the Waker (wakers.py) of the thread sleeping until it settles, if any.
    """

    __slots__ = ("owner", "target", "state", "value", "error", "waiter", "callbacks")

    def __init__(self, owner: Any, target: Any = None):
        self.owner = owner  # the Process that made the send
        self.target = target  # the Actor that will answer (for deadlock detection)
        self.state = "pending"
        self.value: Any = None
        self.error: ExceptionInstance | None = None
        self.waiter: AnyWaker | None = None
        self.callbacks: list[tuple[str, Any]] | None = None  # made by the first `when`

    def settle(self, state: str, value: Any = None, error: ExceptionInstance | None = None):
        """Resolve or reject once; queue the owner's callbacks and wake its waiter."""
        if self.settle_quietly(state, value, error):
            waiter = self.waiter
            if waiter is not None:
                waiter.wake()

    def settle_quietly(self, state: str, value: Any = None,
                       error: ExceptionInstance | None = None) -> bool:
        """Resolve or reject once and queue the owner's callbacks, leaving a waiter asleep.

        Answers whether it settled; the caller then wakes the waiter (`wake`).  A pool
        worker wakes it only once it has nothing left to do but sleep, so the waiter
        does not wake up to find the worker still holding the GIL.
        """
        with CALLBACKS:
            if self.state != "pending":
                return False
            self.value, self.error = value, error
            self.state = state
            callbacks, self.callbacks = self.callbacks, None
        if callbacks:
            for kind, block in callbacks:
                self.owner.queue_callback(self, kind, block)
        return True

    def wake(self) -> None:
        """Wake the thread waiting for this (settled) future, if one is."""
        waiter = self.waiter
        if waiter is not None:
            waiter.wake()

    def resolve(self, value: Any) -> None:
        self.settle("resolved", value=value)

    def reject(self, error: ExceptionInstance) -> None:
        self.settle("rejected", error=error)

    @property
    def serial(self) -> int:
        return id(self)


def check_owner(rt: Any, fut: Future) -> None:
    """Only the process that made the send may use its future."""
    if fut.owner is not rt.process:
        raise rt.error_from("future_not_owned")


def copy_error(exc: ExceptionInstance) -> ExceptionInstance:
    """A fresh copy of a rejected future's error, to signal in the awaiting process."""
    copy = ExceptionInstance(exc.cls, exc.message_text)
    copy.fields = dict(exc.fields)
    copy.selector, copy.receiver, copy.arguments = exc.selector, exc.receiver, exc.arguments
    return copy


def waits_cycle(proc: Any, actor: Any) -> list[str] | None:
    """The names along a wait cycle if `proc` waiting for `actor` closes one."""
    names = []
    seen = set()
    while actor is not None and id(actor) not in seen:
        seen.add(id(actor))
        names.append(actor.cls.name)
        if actor.process is proc:
            return names
        actor = actor.process.waiting_for
    return None


def await_future(rt: Any, fut: Future, timeout_ms: float | str | None = DEFAULT) -> Any:
    """Wait for the future; answer its value or signal (a copy of) its error.

    `timeout_ms` None waits for ever; DEFAULT is the runtime's `await_timeout_ms`.
    """
    proc = rt.process
    if fut.owner is not proc:
        raise rt.error_from("future_not_owned")
    if fut.state == "pending":
        if timeout_ms == DEFAULT:
            timeout_ms = rt.await_timeout_ms
        wait(rt, proc, fut, timeout_ms)
    if proc.ready:
        proc.run_callbacks(rt)
    if fut.state == "resolved":
        return fut.value
    return signal(rt, copy_error(fut.error))


MAX_INLINE = 16  # how deeply waits may run other actors' messages on one thread


def wait(rt: Any, proc: Any, fut: Future, timeout_ms: float | None) -> None:
    """Block until the future settles, the timeout passes, or a deadlock shows.

    A wait with no deadline whose target actor is idle, with this message next in its
    mailbox, runs the message on this thread, as the actor's process: the waiter would
    block until it was done anyway, and this saves two thread hand-offs.  A wait with a
    deadline never does: the message may outlast it, and must then go on in its actor
    while the waiter gets its TimeoutError.
    """
    target = fut.target
    # A cycle needs the target to be this process or to wait itself: the usual case is
    # decided without the walk.
    if target is not None and (target.process is proc or target.process.waiting_for
                               is not None):
        cycle = waits_cycle(proc, target)
        if cycle:
            me = proc.actor.cls.name if proc.actor is not None else "the top level"
            raise rt.error_from("deadlock", cycle=" waits for ".join([me] + cycle))
    proc.waiting_for = target
    scheduler = rt.scheduler
    blocked = False
    try:
        if timeout_ms is None:
            deadline = None
            nesting = getattr(rt.local, "inline", 0)
            if (target is not None and nesting < MAX_INLINE and target in proc.starts
                    and not proc.interruptible):
                proc.starts.remove(target)  # everything else starts first: it may be awaited
                proc.start_pending()
                rt.local.inline = nesting + 1
                try:
                    ran = target.run_inline(rt, fut)
                finally:
                    rt.local.inline = nesting
                if not ran:
                    target.start()
        else:
            deadline = time.monotonic() + timeout_ms / 1000
        if proc.starts:
            proc.start_pending()
        if fut.state == "pending":
            scheduler.colocate_here()  # (once per thread: sleeps on the workers' CPU)
            blocked = scheduler.block()
            waker = thread_waker()
            # Published before the state is read again, as a settle writes the state and
            # then reads the waiter: either it wakes this thread or this loop sees it.
            # (Published only now, a reply that came meanwhile costs no wake-up.)
            fut.waiter = waker
            # The first sleep is the whole wait when the answer comes within the poll
            # interval (the usual request/response): no clock reads.
            seconds = DEADLOCK_POLL_S if deadline is None else min(timeout_ms / 1000,
                                                                    DEADLOCK_POLL_S)
            while fut.state == "pending":
                if seconds is None:  # woken early, or a poll interval has passed
                    remaining = None if deadline is None else deadline - time.monotonic()
                    if remaining is not None and remaining <= 0:
                        break
                    seconds = DEADLOCK_POLL_S if remaining is None else min(remaining,
                                                                            DEADLOCK_POLL_S)
                waker.sleep(seconds)
                seconds = None
                if proc.killed:
                    proc.check_killed(rt)
    finally:
        fut.waiter = None
        if blocked:
            scheduler.unblock(blocked)
        proc.waiting_for = None
    if fut.state == "pending":
        raise rt.error_from("no_reply", ms=format_ms(timeout_ms))


def format_ms(ms: float | None) -> str:
    return str(int(ms)) if ms is not None and float(ms).is_integer() else str(ms)


def resolved_value(rt: Any, value: Any) -> Any:
    """`value`, awaited first if it is a future (a future never settles to a future)."""
    while type(value) is Future:
        value = await_future(rt, value)
    return value


def when(rt: Any, fut: Future, kind: str, block: Any) -> Future:
    """Register a callback; it runs in the owner's process once the future settles."""
    check_owner(rt, fut)
    with CALLBACKS:
        if fut.state == "pending":
            if fut.callbacks is None:
                fut.callbacks = []
            fut.callbacks.append((kind, block))
            return fut
    fut.owner.queue_callback(fut, kind, block)
    fut.owner.run_callbacks(rt)
    return fut


def protocol(rt: Any, fut: Future, selector: str, args: tuple) -> Any:
    """The messages a future answers itself."""
    check_owner(rt, fut)
    if selector == "await":
        return await_future(rt, fut)
    if selector == "await:":
        return await_future(rt, fut, timeout_argument(rt, args[0]))
    if selector == "awaitForever":
        return await_future(rt, fut, None)
    if selector == "isResolved":
        return fut.state == "resolved"
    if selector == "isRejected":
        return fut.state == "rejected"
    if selector == "isPending":
        return fut.state == "pending"
    if selector == "isFuture":
        return True
    if selector == "whenResolved:":
        return when(rt, fut, "resolved", args[0])
    if selector == "whenRejected:":
        return when(rt, fut, "rejected", args[0])
    raise KeyError(selector)


PROTOCOL = frozenset({"await", "await:", "awaitForever", "isResolved", "isRejected",
                      "isPending", "isFuture", "whenResolved:", "whenRejected:"})


def timeout_argument(rt: Any, ms: Any) -> float:
    """The milliseconds of `await: ms`: a non-negative Number (TypeError otherwise)."""
    if type(ms) is Future:
        ms = await_future(rt, ms)
    if type(ms) not in (int, float):
        raise rt.error_from("expects_number", selector="await:", kind=kind_name(rt, ms))
    return float(min(ms, 10**12))  # beyond 30 years is for ever, and no OverflowError


def future_send(rt: Any, fut: Future, selector: str, args: tuple) -> Any:
    """A message to a future: its own protocol, or await and send to the value."""
    if selector == "await":  # the usual one first (await_future checks the owner)
        return await_future(rt, fut)
    if selector in PROTOCOL:
        return protocol(rt, fut, selector, args)
    return rt.send(await_future(rt, fut), selector, *args)


def await_args(rt: Any, args: tuple) -> tuple:
    """Arguments with futures awaited (before a message leaves for another actor)."""
    for a in args:
        if type(a) is Future:
            return tuple(await_future(rt, a) if type(a) is Future else a for a in args)
    return args


__all__ = ["Future", "BeamtalkError", "await_future", "future_send", "await_args",
           "resolved_value"]
