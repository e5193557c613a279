"""Ctrl-C for the REPL: every press reaches the main thread at once, and acts once.

CPython runs a Python signal handler only when its main thread looks: between bytecodes, or
when a blocking call it sleeps in fails with EINTR.  readline waits for a key in select(); a
SIGINT that lands after the prompt is printed but before that select() starts (or one the
kernel hands to another thread while the main thread sleeps) interrupts nothing, and the
handler would run only at the next key.  So the C-level handler's wake-up byte
(`signal.set_wakeup_fd`) goes to a watcher thread: until the handler has run (for at most
a quarter of a second), it interrupts the main thread now and then with a second signal,
WAKE, whose handler does nothing, so whatever the main thread sleeps in returns EINTR and
the pending SIGINT handler runs.  WAKE is never SIGINT itself, so forcing a delivery can
never make a second interrupt.

What a handled press does depends on where the main thread is (`CtrlC.handle`): in a region
that raises (`raising`, e.g. around `input()`) it raises KeyboardInterrupt once; while
`action` is set it calls that (the REPL stops the running statement); anywhere else it is
remembered and raised when the next raising region begins.  So a KeyboardInterrupt is only
ever raised where the REPL catches it.
"""

from __future__ import annotations

import os
import select
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

WAKE = signal.SIGUSR2  # the do-nothing signal that interrupts the main thread's sleep
FIRST_WAKE_S = 0.002  # how long a press may wait for the main thread before it is forced
LAST_WAKE_S = 0.1  # the longest gap between two forced wakes
WAKES = 7  # forced wakes per press at most (over about a quarter of a second)


class CtrlC:
    """The REPL's SIGINT handling: install() in the main thread, uninstall() at the end."""

    def __init__(self) -> None:
        self.raising = False  # a press now raises KeyboardInterrupt (one press, then off)
        self.action: Callable[[], None] | None = None  # or: a press now calls this
        self.deferred = False  # a press came outside both: raised when `raising` begins
        self.handled = 0  # runs of the handler (the watcher and tests read it)
        self.in_handler = False  # the handler is running (see `handle`)
        self.unwinding = False  # a KeyboardInterrupt raised here is not caught yet
        self.closing = False  # uninstall has begun
        # Raised as it is: making one calls C code, which the handlers must not (`handle`).
        self.interrupt = KeyboardInterrupt()
        self.main_id = threading.main_thread().ident
        self.read_fd = self.write_fd = -1
        self.saved: tuple[Any, Any, int] | None = None
        self.saved_hook: Callable[[Any], Any] = sys.unraisablehook
        self.watcher: threading.Thread | None = None

    def install(self) -> None:
        """Handle SIGINT here and start the watcher (only the main thread can; elsewhere
        this does nothing and a press raises KeyboardInterrupt as usual)."""
        if threading.current_thread() is not threading.main_thread():
            return
        self.read_fd, self.write_fd = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
        old_fd = signal.set_wakeup_fd(self.write_fd, warn_on_full_buffer=False)
        self.saved = (signal.signal(signal.SIGINT, self.handle),
                      signal.signal(WAKE, self.wake), old_fd)
        self.saved_hook = sys.unraisablehook
        sys.unraisablehook = self.unraisable
        self.watcher = threading.Thread(target=self.watch, name="beamtalk-ctrl-c", daemon=True)
        self.watcher.start()

    def uninstall(self) -> None:
        """Put back the handlers and the wake-up descriptor; the watcher ends."""
        if self.saved is None:
            return
        old_int, old_wake, old_fd = self.saved
        self.saved = None
        self.closing = True  # the watcher sends no more WAKEs ...
        signal.set_wakeup_fd(old_fd)
        os.close(self.write_fd)  # ... reads the end of the pipe and stops
        if self.watcher is not None:
            self.watcher.join()
        signal.signal(signal.SIGINT, old_int)  # (only now: a WAKE would end the process)
        signal.signal(WAKE, old_wake)
        sys.unraisablehook = self.saved_hook

    def begin_raising(self) -> None:
        """From now a press raises KeyboardInterrupt; one that came meanwhile raises now."""
        self.unwinding = False
        self.raising = True
        if self.deferred:
            self.deferred = False
            self.raising = False
            raise self.interrupt

    def handle(self, signum: int, frame: Any) -> None:
        """The Python-level SIGINT handler (runs in the main thread).

        It calls nothing written in C: CPython may run it while an exception from its last
        run is still set (builtin input() checks for signals once more after readline
        returned one), and a C function that succeeds then fails with SystemError.  A press
        that lands while it runs joins that run.
        """
        if self.unwinding:  # (see `wake`)
            raise self.interrupt
        if self.in_handler:
            return
        self.in_handler = True
        try:
            self.handled += 1
            action = self.action
            if action is not None:
                action()
            elif self.raising:
                self.raising = False  # a second press while this one unwinds waits its turn
                self.unwinding = True
                raise self.interrupt
            else:
                self.deferred = True
        finally:
            self.in_handler = False

    def unraisable(self, args: Any) -> None:
        """sys.unraisablehook: the interrupt raised where Python cannot pass it on (a weakref
        callback or finalizer that the garbage collector ran inside a raising region) would
        be printed with a traceback and the press lost; it is raised again instead."""
        if args.exc_value is not self.interrupt:
            self.saved_hook(args)
            return
        self.caught()
        self.raising = True
        signal.pthread_kill(self.main_id, signal.SIGINT)  # handled at the next check

    def wake(self, signum: int, frame: Any) -> None:
        """WAKE's handler: nothing, since being delivered is its whole purpose; except while
        a KeyboardInterrupt is on its way out of `input()`, which runs the handlers once more
        with it set: returning then would be a SystemError, so it raises another."""
        if self.unwinding:
            raise self.interrupt

    def caught(self) -> None:
        """The KeyboardInterrupt has been caught: handlers may return normally again (the
        catcher sets `unwinding` itself first; this also drops the traceback the one
        KeyboardInterrupt instance collected)."""
        self.unwinding = False
        self.interrupt.__traceback__ = None
        self.interrupt.__context__ = self.interrupt.__cause__ = None

    def watch(self) -> None:
        """The watcher thread: for each press, make sure the main thread ran the handler.

        It cannot tell a press whose handler ran before it read the byte from one whose
        handler has not run, so after each it sends a few WAKEs (a do-nothing signal) over
        a quarter of a second, or until the handler runs."""
        try:
            while True:
                select.select([self.read_fd], [], [])
                try:
                    got = os.read(self.read_fd, 512)
                except BlockingIOError:
                    continue
                if not got:  # the write end is closed: uninstall
                    return
                if signal.SIGINT in got:
                    self.force(self.handled)
        finally:
            os.close(self.read_fd)

    def force(self, handled: int) -> None:
        """Until the handler runs again, interrupt the main thread with WAKE now and then."""
        delay = FIRST_WAKE_S
        for _ in range(WAKES):
            time.sleep(delay)
            if self.handled != handled or self.unwinding or self.closing:
                return
            signal.pthread_kill(self.main_id, WAKE)
            delay = min(delay * 2, LAST_WAKE_S)


__all__ = ["CtrlC", "WAKE"]
