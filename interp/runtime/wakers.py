"""How a thread sleeps until another wakes it: one file descriptor per thread.

A waiter on a future and an idle pool worker sleep in `Waker.sleep`; whoever has work for
them calls `wake`.  The wake-up is a write to an eventfd (a pipe where there is none),
which CPython makes with the GIL released: the woken thread can take the GIL at once
instead of waking only to wait for the waker to let go of it, as it does after a
`threading.Lock` release.  That halves the cost of a thread hand-off, which is what an
actor round trip is made of (ARCHITECTURE.md's budget: a `queue.Queue` round trip).

Wakes are counted, not queued: a wake that comes when nobody sleeps makes the next sleep
return at once, so every sleeper re-checks what it waits for in a loop.
"""

from __future__ import annotations

import os
import select
import threading
from typing import Any

EVENTFD = hasattr(os, "eventfd")
# Each thread's Waker.  Module-wide because it is an OS resource per thread, like the
# thread itself (runtimes come and go on a thread; the descriptor should not): it is
# closed when its thread ends and nothing else refers to it.
THREADS = threading.local()


class Waker:
    """A thread's wake-up descriptor: `sleep(seconds)` until `wake()` or the timeout."""

    __slots__ = ("fd", "write_fd", "poller", "task")

    def __init__(self) -> None:
        self.task: Any = None  # for an idle pool worker: the actor it is woken to serve
        if EVENTFD:
            self.fd = self.write_fd = os.eventfd(0, os.EFD_NONBLOCK | os.EFD_CLOEXEC)
        else:
            self.fd, self.write_fd = os.pipe()
            os.set_blocking(self.fd, False)
            os.set_blocking(self.write_fd, False)
        self.poller = select.poll()
        self.poller.register(self.fd, select.POLLIN)

    def wake(self) -> None:
        """Wake the thread sleeping on this (or make its next sleep return at once)."""
        try:
            if EVENTFD:
                os.eventfd_write(self.write_fd, 1)
            else:
                os.write(self.write_fd, b"\0")
        except BlockingIOError:  # the count or the pipe is full: a wake is pending anyway
            pass

    def sleep(self, seconds: float) -> bool:
        """Sleep until woken (True) or until `seconds` have passed (False)."""
        if not self.poller.poll(seconds * 1000):
            return False
        try:
            if EVENTFD:
                os.eventfd_read(self.fd)
            else:
                os.read(self.fd, 4096)
        except BlockingIOError:
            pass
        return True

    def __del__(self, close: Any = os.close) -> None:
        # Only here, when no future or idle list refers to it any more: a wake can never
        # reach a closed (or reused) descriptor.  (`close` is bound early: this may run
        # at interpreter exit, after the module's globals are gone.)
        fd, write_fd = getattr(self, "fd", None), getattr(self, "write_fd", None)
        if fd is not None:
            close(fd)
        if write_fd is not None and write_fd != fd:
            close(write_fd)


class LockWaker:
    """The same with a semaphore, for a thread that cannot have a descriptor (the process
    has used up its open-file limit): slower hand-offs, but the thread still runs."""

    __slots__ = ("semaphore", "task")

    def __init__(self) -> None:
        self.semaphore = threading.Semaphore(0)
        self.task: Any = None

    def wake(self) -> None:
        """Wake the sleeping thread (or make its next sleep return at once)."""
        self.semaphore.release()

    def sleep(self, seconds: float) -> bool:
        """Sleep until woken (True) or until `seconds` have passed (False)."""
        return self.semaphore.acquire(timeout=seconds)


AnyWaker = Waker | LockWaker


def _forget_after_fork() -> None:
    # A forked child must not share its parent's eventfd: wakes meant for one process
    # would end the other's sleeps.  The child makes its own on first use.
    THREADS.__dict__.pop("waker", None)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)


def thread_waker() -> AnyWaker:
    """The calling thread's Waker (made on first use)."""
    try:
        return THREADS.waker
    except AttributeError:
        try:
            waker: AnyWaker = Waker()
        except OSError:  # no descriptor left (EMFILE): degrade, do not fail the wait
            waker = LockWaker()
        THREADS.waker = waker
        return waker


__all__ = ["AnyWaker", "LockWaker", "Waker", "thread_waker"]
