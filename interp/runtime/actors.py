"""Actors (LANGUAGE.md 3.1-3.2): one process each, a mailbox, one message at a time.

An actor owns no thread.  A message to an idle actor puts it on the runtime's run queue
(scheduler.py), where a pool worker serves a batch of its messages, so any number of
actors costs a bounded number of threads.  A message from outside answers a Future at
once; a message from the actor's own process runs synchronously.  If an error escapes a
message, the future is rejected and the fields are restored to their values at the
start of that message.
"""

from __future__ import annotations

import collections
import itertools
import threading
from typing import Any

from .control_flow import (
    ActorKilled,
    BeamtalkError,
    ExceptionInstance,
    HandlerUnwind,
    NonLocalReturn,
)
from .futures import Future, await_args, resolved_value
from .objects import ActorRef, BtClass
from .printing import print_string
from .process import Process
from .values import Symbol

BATCH = 64  # messages a worker serves from one actor before letting others run
STOP_POLL_S = 0.05  # how often a `stop` waiting for the actor's end looks at its caller
_serials = itertools.count(1)


class Actor:
    """An actor's state: class, fields, mailbox, process and life cycle."""

    def __init__(self, rt: Any, cls: BtClass, fields: dict):
        self.rt = rt
        self.cls = cls
        self.fields = fields
        self.version = cls_version(cls)
        self.generation = rt.generation
        self.tables = method_tables(cls)
        self.serial = next(_serials)
        self.mailbox: collections.deque = collections.deque()
        self.lock = threading.Lock()  # guards mailbox, running, status and waiter
        self.running = False  # queued for a worker, or being served by one
        self.busy = False  # a message is being handled (by its thread, or inline by a waiter)
        self.pending_start = False  # a sender will start its thread at its next wait
        self.status = "alive"  # alive, stopping, dead
        self.ending = False  # `end` has begun (it runs once)
        self.process = Process(f"{cls.name}-{self.serial}")
        self.process.actor = self
        self.current: Future | None = None
        self.ended = threading.Event()
        self.exit_reason: str | None = None
        self.watchers: list[Any] = []  # callables(actor, reason) run when it ends
        self.ref = ActorRef(self)
        rt.scheduler.track(self)

    # ---------------------------------------------------------------- mailbox

    def enqueue(self, message: tuple, sender: Any = None) -> None:
        """Queue a message.  An idle actor is scheduled at the sender's next wait.

        Deferring the start lets a sender that awaits with no deadline run the message
        itself (`run_inline`), which saves two thread hand-offs per request/response.
        An actor that is stopping or has ended takes no message: its future is rejected
        with ActorDead (decided under the lock, so no message is left behind in the
        mailbox of an actor that has ended).
        """
        with self.lock:
            alive = self.status == "alive"
            if alive:
                self.mailbox.append(message)
                if self.running or self.pending_start:
                    return
                self.pending_start = True
        if not alive:
            message[2].reject(dead_error(self.rt, self))
        elif sender is None:
            self.start()
        else:
            sender.starts.append(self)

    def start(self) -> None:
        """Put the actor on the run queue if it has work and is not queued or busy."""
        with self.lock:
            self.pending_start = False
            if self.running or self.busy or not self.mailbox or self.status != "alive":
                return
            self.running = True
        self.rt.scheduler.submit(self)

    def take(self) -> tuple | None:
        """The next message (now busy), or None (and off the run queue) if there is none.

        An actor that is stopping serves nothing more: what is queued is rejected when
        it ends (LANGUAGE.md 3.2).
        """
        with self.lock:
            if self.busy or not self.mailbox or self.status != "alive":
                self.running = False
                return None
            self.busy = True
            return self.mailbox.popleft()

    def done_with_message(self) -> None:
        with self.lock:
            self.busy = False

    def run_inline(self, rt: Any, fut: Future) -> bool:
        """Run the message behind `fut` on the waiting thread, if it is next and the actor idle.

        The message runs as the actor's process, one at a time as always; the waiter was
        going to block until it finished anyway (it waits with no deadline).
        """
        with self.lock:
            if (self.busy or self.running or self.status != "alive" or not self.mailbox
                    or self.mailbox[0][2] is not fut):
                return False
            message = self.mailbox.popleft()
            self.busy = True
            self.pending_start = False
        caller = rt.local.process
        rt.local.process = self.process
        try:
            try:
                settled = self.handle(message)
            except ActorKilled:
                settled = None
            if settled is not None:
                settled.wake()
            proc = self.process
            if proc.ready:
                proc.run_callbacks(rt)
            if proc.starts:
                proc.start_pending()
        finally:
            rt.local.process = caller
            self.done_with_message()
        if self.status == "stopping":
            self.end("normal")
        elif self.mailbox:
            self.start()
        return True

    def serve(self) -> Future | None:
        """On a pool worker: a batch of messages, then back to the run queue if more wait.

        Answers the future of the last message, settled but its waiter not yet woken:
        the worker wakes it when it has nothing left to do but sleep (Scheduler.work),
        so the waiter does not wake up only to wait for the GIL.  Before anything else
        runs here (the next message, callbacks, the actor's end), the waiter is woken.
        """
        rt = self.rt
        proc = self.process
        rt.local.process = proc
        settled = None
        for _ in range(BATCH):
            message = self.take()
            if message is None:
                if self.status == "stopping" and not self.busy:
                    if settled is not None:
                        settled.wake()
                        settled = None
                    self.end("normal")
                return settled
            if settled is not None:
                settled.wake()
            try:
                settled = self.handle(message)
            except ActorKilled:
                settled = None
            finally:
                # A plain store: `busy` is only tested together with `running`, which
                # stays true while this worker serves the actor (see run_inline, start).
                self.busy = False
            if proc.ready or proc.starts:
                if settled is not None:
                    settled.wake()
                    settled = None
                if proc.ready:
                    proc.run_callbacks(rt)
                if proc.starts:
                    proc.start_pending()
        with self.lock:  # the batch is used up: let other actors run first
            self.running = False
        if self.status == "stopping" and not self.busy:
            if settled is not None:
                settled.wake()
                settled = None
            self.end("normal")
        else:
            self.start()
        return settled

    def handle(self, message: tuple) -> Future | None:
        """Run one message; answers its future, settled without waking its waiter (or None).

        The caller wakes the waiter (`Future.wake`).
        """
        rt = self.rt
        selector, args, fut = message
        if self.status == "dead":
            fut.reject(dead_error(rt, self))
            return None
        if self.generation != rt.generation:  # something was (re)defined since last time
            self.generation = rt.generation
            self.migrate()
            self.tables = method_tables(self.cls)
        snapshot = dict(self.fields)
        self.current = fut
        tables = self.process.methods = self.tables
        error = None
        try:
            method = None
            if selector not in REFERENCE_SELECTORS:
                for table in tables:  # what run_here does, without the detour through send
                    if selector in table:
                        method = table[selector]
                        break
            if method is not None:
                value = method.fn(rt, self.ref, *args)
            else:
                value = rt.send(self.ref, selector, *args)
            if type(value) is Future:
                value = resolved_value(rt, value)
        except BeamtalkError as err:
            self.restore(snapshot)
            error = err.exc
        except (NonLocalReturn, HandlerUnwind):
            self.restore(snapshot)
            error = rt.make_error_from("block_cannot_return")
        except RecursionError:
            self.restore(snapshot)
            error = rt.make_error_from("stack_overflow")
        except ActorKilled:
            fut.reject(dead_error(rt, self))
            raise
        except Exception as exc:  # an interpreter bug: reject instead of losing the thread
            self.restore(snapshot)
            error = rt.make_error_from("internal_error", detail=f"{type(exc).__name__}: {exc}")
        finally:
            self.current = None
            self.process.methods = None
            if self.process.killed:
                rt.kill_stopped(self.process)
        if error is None:
            settled = fut.settle_quietly("resolved", value)
        else:
            settled = fut.settle_quietly("rejected", error=error)
        return fut if settled else None

    def restore(self, snapshot: dict) -> None:
        self.fields.clear()
        self.fields.update(snapshot)

    def migrate(self) -> None:
        """After a class redefinition: keep kept fields, default new ones, drop removed ones."""
        version = cls_version(self.cls)
        if version == self.version:
            return
        self.version = version
        specs = self.cls.all_fields()
        names = {s.name for s in specs}
        for name in [n for n in self.fields if n not in names]:
            del self.fields[name]
        for spec in specs:
            if spec.name not in self.fields:
                self.fields[spec.name] = spec.default() if spec.default else None

    # ---------------------------------------------------------------- life cycle

    def end(self, reason: str) -> None:
        """The actor has ended: reject what is queued and tell its watchers."""
        with self.lock:
            if self.ending:  # ended already, or another thread is ending it now
                return
            self.ending = True
            self.status = "dead"
            queued = list(self.mailbox)
            self.mailbox.clear()
        for _, _, fut in queued:
            fut.reject(dead_error(self.rt, self))
        self.exit_reason = reason
        for watcher in list(self.watchers):  # before `ended`: a stop returns after them
            watcher(self, reason)
        self.ended.set()

    def stop(self) -> None:
        """End after the current message; wait for that from outside."""
        rt = self.rt
        if self.status == "dead":
            return
        inside = rt.process is self.process
        with self.lock:
            if self.status == "alive":
                self.status = "stopping"
            busy = self.current is not None or self.running or self.busy
        if inside:
            return
        if not busy:
            self.end("normal")
        caller = rt.process
        with rt.scheduler.blocking():
            # In slices, so that a killed (or interrupted) caller stops waiting.
            while not self.ended.wait(STOP_POLL_S):
                caller.check_killed(rt)

    def kill(self) -> None:
        """End abnormally at once: the running message is abandoned."""
        if self.status == "dead":
            return
        current = self.current
        self.process.killed = True
        self.process.depth += 10**9  # its next activation takes the slow path and stops
        if current is not None:  # generated code checks at its next send or loop iteration
            self.rt.kill_running(self.process)
        if current is not None:
            current.reject(dead_error(self.rt, self))
        self.end("killed")


def cls_version(cls: BtClass) -> tuple:
    """Changes when the class or a superclass is redefined (so fields are recomputed)."""
    return tuple(getattr(c, "version", 0) for c in cls.chain())


def method_tables(cls: BtClass) -> list[dict]:
    """The method dictionaries along the superclass chain, as they are now.

    Definitions replace a class's dictionary rather than changing it, so this snapshot
    keeps a running message on the methods it started with.
    """
    return [c.methods for c in cls.chain()]


def dead_error(rt: Any, actor: Actor) -> ExceptionInstance:
    return rt.make_error_from("actor_dead", class_name=actor.cls.name)


# ---------------------------------------------------------------- messages to references


def reference_selectors(rt: Any, ref: ActorRef, selector: str, args: tuple) -> Any:
    """The messages an actor reference answers itself, at once (never queued)."""
    actor = ref.actor
    if args and type(args[0]) is Future:  # a comparison needs the value
        args = await_args(rt, args)
    if selector == "class":
        return actor.cls
    if selector in ("printString", "displayString"):
        return print_string(rt, ref)
    if selector in ("=", "=="):
        return args[0] is ref
    if selector in ("~=", "~~"):
        return args[0] is not ref
    if selector == "hash":
        return actor.serial
    if selector == "isNil":
        return False
    if selector == "notNil":
        return True
    if selector in ("yourself", "await", "await:", "awaitForever"):
        return ref
    if selector == "isFuture":
        return False
    if selector == "isAlive":
        return actor.status == "alive"
    if selector == "node":
        return Symbol(SINGLE_NODE)
    if selector == "stop":
        actor.stop()
        return Symbol("ok")
    if selector == "kill":
        actor.kill()
        return Symbol("ok")
    raise KeyError(selector)


REFERENCE_SELECTORS = frozenset({
    "class", "printString", "displayString", "=", "~=", "==", "~~", "hash", "isNil", "notNil",
    "yourself", "isAlive", "stop", "kill", "await", "await:", "awaitForever", "isFuture", "node",
})

# The interpreter is always this one node (LANGUAGE.md 3.8, 8).
SINGLE_NODE = "nonode@nohost"


def actor_send(rt: Any, ref: ActorRef, selector: str, args: tuple) -> Any:
    """A message to an actor: answered by the reference, run at once (self), or queued."""
    if selector in REFERENCE_SELECTORS:
        return reference_selectors(rt, ref, selector, args)
    actor = ref.actor
    proc = rt.process
    if proc is actor.process:
        return run_here(rt, actor, selector, args)
    for arg in args:
        if type(arg) is Future:
            args = await_args(rt, args)
            break
    fut = Future(proc, actor)
    actor.enqueue((selector, args, fut), proc)
    return fut


def run_here(rt: Any, actor: Actor, selector: str, args: tuple) -> Any:
    """A synchronous self-send inside the actor's own process, on the message's methods."""
    tables = actor.process.methods
    method = None
    if tables is not None:
        method = next((t[selector] for t in tables if selector in t), None)
    if method is None:
        method = rt.lookup(actor.cls, selector)
    if method is None:
        return rt.does_not_understand(actor.ref, selector, args)
    return method.fn(rt, actor.ref, *args)


