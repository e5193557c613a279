"""The worker pool that runs actors' messages (LANGUAGE.md 3.2; ARCHITECTURE.md budgets).

Actors own no threads.  An actor with work is put on the run queue; a pool of worker
threads takes actors from it and serves a batch of each one's messages.  At most
`max_running` workers run at once, so a fan-out to 100,000 actors uses a handful of
threads.  A worker that blocks (an await, a `Delay wait`, a `stop`) no longer counts as
running, and a new worker is started if work is queued, so actors waiting on each
other never starve the queue.  Idle workers linger briefly for more work, then end.

Thread stacks are sized per thread (`start_thread`), not process-wide: workers get
`WORKER_STACK_BYTES`, which fits the spec's 10,000 nested activations, and the one
top-level thread gets more (see session.py).

A runtime's workers, and any other thread once it sleeps waiting for them, share one CPU
(`colocate_here`): with one thread running Python at a time nothing runs in parallel
anyway, and a hand-off on one CPU is a context switch where one between CPUs wakes an idle
CPU, which costs most of a round trip on a virtual machine.
"""

from __future__ import annotations

import collections
import contextlib
import os
import threading
import weakref
from collections.abc import Callable, Iterator
from typing import Any

from .wakers import AnyWaker, thread_waker

WORKER_STACK_BYTES = 64 * 1024 * 1024
MAX_RUNNING = 8  # workers running messages at once (blocked ones are not counted)
LINGER_S = 0.5  # an idle worker waits this long for more work before ending
# `threading.stack_size` is process-wide: setting it and starting the thread is one step.
STACK_SIZE_LOCK = threading.Lock()
# The CPUs the process may use, read at import (on the main thread, which is never pinned).
PROCESS_CPUS = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
# Whether a runtime's threads share one CPU (Scheduler.colocate_here); a runtime's
# `scheduler.colocate` can be set False (benchmarks/paired_actors.py --free).
COLOCATE = (hasattr(os, "sched_setaffinity") and PROCESS_CPUS is not None
            and len(PROCESS_CPUS) > 1)
# The CPU each thread is pinned to.  Module-wide because it is OS state per thread (a
# thread may run code of several runtimes, one after the other).
PINNED = threading.local()


@contextlib.contextmanager
def unpinned() -> Iterator[None]:
    """Let the calling thread run on every CPU meanwhile: a process started from a pinned
    thread would inherit its one CPU (the Erlang node of `Erlang` calls, erlang_node.py)."""
    cpu = getattr(PINNED, "cpu", None)
    if cpu is None or PROCESS_CPUS is None:
        yield
        return
    os.sched_setaffinity(0, PROCESS_CPUS)
    try:
        yield
    finally:
        os.sched_setaffinity(0, {cpu})


def current_cpu() -> int | None:
    """The CPU the calling thread runs on now (None where Linux's /proc does not say)."""
    try:
        with open("/proc/thread-self/stat", "rb") as stat:
            # Field 39; the fields after the command name (field 2, in parentheses) are plain.
            return int(stat.read().rsplit(b")", 1)[1].split()[36])
    except (OSError, ValueError, IndexError):
        return None


def start_thread(target: Callable[[], Any], name: str, stack_bytes: int) -> threading.Thread:
    """Start a daemon thread with its own stack size (raises RuntimeError if none can start)."""
    with STACK_SIZE_LOCK:
        old = threading.stack_size(stack_bytes)
        try:
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
        finally:
            threading.stack_size(old)
    return thread


class Scheduler:
    """A runtime's run queue of actors and the worker threads that serve it."""

    def __init__(self, rt: Any, max_running: int = MAX_RUNNING,
                 stack_bytes: int = WORKER_STACK_BYTES):
        self.rt = rt
        self.max_running = max_running
        self.stack_bytes = stack_bytes
        self.lock = threading.Lock()  # guards everything below
        self.queue: collections.deque = collections.deque()  # actors waiting for a worker
        self.idle: list[AnyWaker] = []  # what the idle workers sleep on
        self.workers = 0  # live worker threads
        self.blocked = 0  # workers blocked in a wait
        self.peak_workers = 0  # the most workers alive at once (for tests and reports)
        self.local = threading.local()  # `worker` is true on a pool thread
        # Every actor of the runtime, for `close`; weak, so an unreachable actor is freed.
        self.actors: weakref.WeakSet = weakref.WeakSet()
        self.closed = False  # after `close`, no actor is served again
        # The CPU its threads share (see `colocate_here`), chosen at the first need.
        self.colocate = COLOCATE
        self.cpu: int | None = None

    def track(self, actor: Any) -> None:
        """Remember a new actor, so that `close` can end it (one made after `close` ends now)."""
        with self.lock:
            self.actors.add(actor)
            closed = self.closed
        if closed:
            actor.kill()

    def close(self) -> None:
        """End the runtime's actors: kill every live one, and serve no queued message again.

        A spinning actor stops at its next send or loop iteration; supervisors restart
        nothing, since a restarted child would be killed at its spawn.
        """
        with self.lock:
            self.closed = True
            self.queue.clear()
            live = sorted(self.actors, key=lambda a: a.serial)
        for actor in live:
            actor.kill()

    def submit(self, actor: Any) -> None:
        """Queue an actor that has work (it is not queued or being served already).

        An idle worker is handed the actor directly (`Waker.task`), past the run queue.
        """
        with self.lock:
            if self.closed:
                return
            if self.idle:
                idle = self.idle.pop()
                idle.task = actor
            else:
                self.queue.append(actor)
                if self.workers - self.blocked >= self.max_running:
                    return  # a running worker takes it when its batch is done
                self.workers += 1
                idle = None
        if idle is not None:
            idle.wake()  # outside the lock, which the woken worker may need next
            return
        self.spawn()

    def spawn(self) -> None:
        """Start one worker (already counted in `workers`)."""
        with self.lock:
            self.peak_workers = max(self.peak_workers, self.workers)
        try:
            start_thread(self.work, "beamtalk-worker", self.stack_bytes)
        except RuntimeError:  # no memory for another thread: the others serve the queue
            with self.lock:
                self.workers -= 1
                stranded = self.workers == 0 and self.queue
            if stranded:
                raise

    def work(self) -> None:
        """A worker thread: serve queued actors; end after lingering idle."""
        self.local.worker = True
        self.colocate_here()
        waker = thread_waker()
        settled = None  # the last future served, whose waiter is woken just before sleeping
        actor = None
        while True:
            if actor is None:
                with self.lock:
                    if self.queue:
                        actor = self.queue.popleft()
                    else:
                        self.idle.append(waker)
            if settled is not None:
                settled.wake()
                settled = None
            if actor is None:
                actor = self.idle_sleep(waker)
                if actor is None:
                    return
                continue
            try:
                settled = actor.serve()
            except Exception as exc:  # an interpreter bug: keep the worker and the actor
                self.rt.err.write(f"internal error in {actor.process.name}: {exc!r}\n")
                with actor.lock:
                    actor.busy = actor.running = False
            actor = None

    def idle_sleep(self, waker: AnyWaker) -> Any:
        """Sleep on `idle` until a submit hands this worker an actor (answered), or linger
        and end: off `idle`, no longer counted, None answered."""
        while True:
            if waker.sleep(LINGER_S):
                actor, waker.task = waker.task, None
                if actor is not None:
                    return actor
                continue  # a wake left over from an earlier wait: still on `idle`
            with self.lock:
                if waker in self.idle:  # nobody came: end
                    self.idle.remove(waker)
                    self.workers -= 1
                    return None
                # A submit took us off `idle` just as the wait timed out: its actor is
                # ours (its wake stays pending, and some later sleep returns at once).
                actor, waker.task = waker.task, None
                if actor is None:  # (every submit hands one over; stay a counted worker)
                    self.idle.append(waker)
                    continue
            return actor

    def colocate_here(self) -> None:
        """Run the calling thread on the CPU this runtime's threads share, if they do.

        Only one thread runs Python at a time, so the threads that hand messages to each
        other (the pool's workers, and a thread while it waits for one of them) lose
        nothing by sharing a CPU, and a hand-off between them becomes a context switch
        instead of waking an idle CPU, which on a virtual machine costs tens of
        microseconds (ARCHITECTURE.md's send + await budget).  The CPU is the one the first
        thread to need it runs on.  The main thread is never pinned: it outlives the
        runtime and starts the processes a program runs, which would inherit the pin.
        """
        if not self.colocate or threading.current_thread() is threading.main_thread():
            return
        cpu = self.cpu
        if cpu is None:
            here = current_cpu()
            if here is None:
                self.colocate = False
                return
            with self.lock:  # the first thread's choice, whichever thread comes first
                if self.cpu is None:
                    self.cpu = here
                cpu = self.cpu
        if getattr(PINNED, "cpu", None) == cpu:
            return
        try:
            os.sched_setaffinity(0, {cpu})
        except OSError:  # the CPU went away, or pinning is not allowed here: run anywhere
            self.colocate = False
            return
        PINNED.cpu = cpu

    def block(self) -> bool:
        """A wait begins: on a worker, let another serve the queue meanwhile (see `unblock`)."""
        if not getattr(self.local, "worker", False):
            return False
        with self.lock:
            self.blocked += 1
            needed = bool(self.queue) and not self.idle and (
                self.workers - self.blocked < self.max_running)
            if needed:
                self.workers += 1
        if needed:
            self.spawn()
        return True

    def unblock(self, blocked: bool) -> None:
        """The wait that `block` answered `blocked` for has ended."""
        if blocked:
            with self.lock:
                self.blocked -= 1

    @contextlib.contextmanager
    def blocking(self) -> Iterator[None]:
        """`block` and `unblock` around a wait."""
        blocked = self.block()
        try:
            yield
        finally:
            self.unblock(blocked)


__all__ = ["Scheduler", "start_thread", "WORKER_STACK_BYTES"]
