"""Ctrl-C for the REPL: every press reaches the main thread at once, and acts once.

CPython runs a Python signal handler only when its main thread looks: between bytecodes, or
when a blocking call it sleeps in fails with EINTR.  readline waits for a key in select(); a
SIGINT that lands after the prompt is printed but before that select() starts (or one the
kernel hands to another thread while the main thread sleeps) interrupts nothing, and the
handler would run only at the next key.  So the C-level handler's wake-up byte
(`signal.set_wakeup_fd`) goes to a watcher thread: while a SIGINT has not been handled, it
interrupts the main thread with a second signal, WAKE, whose handler does nothing, so
whatever the main thread sleeps in returns EINTR and the pending SIGINT handler runs.  WAKE
is never SIGINT itself, so forcing a delivery can never make a second interrupt.

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
import threading
import time
from collections.abc import Callable
from typing import Any

WAKE = signal.SIGUSR2  # the do-nothing signal that interrupts the main thread's sleep
FIRST_WAKE_S = 0.002  # how long a press may wait for the main thread before it is forced
LAST_WAKE_S = 0.1  # the longest gap between two forced wakes
WAKES = 40  # forced wakes per press at most (then the handler runs when the thread looks)


class CtrlC:
    """The REPL's SIGINT handling: install() in the main thread, uninstall() at the end."""

    def __init__(self) -> None:
        self.raising = False  # a press now raises KeyboardInterrupt (one press, then off)
        self.action: Callable[[], None] | None = None  # or: a press now calls this
        self.deferred = False  # a press came outside both: raised when `raising` begins
        self.handled = 0  # presses the handler has run for (tests read it)
        # Guards `pending` and reading the pipe; re-entrant, as a second press may run the
        # handler again inside the first run of it.
        self.lock = threading.RLock()
        self.pending = False  # a SIGINT has been delivered and its handler has not run
        self.main_id = threading.main_thread().ident
        self.read_fd = self.write_fd = -1
        self.saved: tuple[Any, Any, int] | None = None
        self.watcher: threading.Thread | None = None

    def install(self) -> None:
        """Handle SIGINT here and start the watcher (only the main thread can; elsewhere
        this does nothing and a press raises KeyboardInterrupt as usual)."""
        if threading.current_thread() is not threading.main_thread():
            return
        self.read_fd, self.write_fd = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
        old_fd = signal.set_wakeup_fd(self.write_fd, warn_on_full_buffer=False)
        self.saved = (signal.signal(signal.SIGINT, self.handle),
                      signal.signal(WAKE, ignore), old_fd)
        self.watcher = threading.Thread(target=self.watch, name="beamtalk-ctrl-c", daemon=True)
        self.watcher.start()

    def uninstall(self) -> None:
        """Put back the handlers and the wake-up descriptor; the watcher ends."""
        if self.saved is None:
            return
        old_int, old_wake, old_fd = self.saved
        self.saved = None
        signal.set_wakeup_fd(old_fd)
        signal.signal(signal.SIGINT, old_int)
        signal.signal(WAKE, old_wake)
        os.close(self.write_fd)  # the watcher reads the end of the pipe and stops
        if self.watcher is not None:
            self.watcher.join()

    def begin_raising(self) -> None:
        """From now a press raises KeyboardInterrupt; one that came meanwhile raises now."""
        self.raising = True
        if self.deferred:
            self.deferred = False
            self.raising = False
            raise KeyboardInterrupt

    def handle(self, signum: int, frame: Any) -> None:
        """The Python-level SIGINT handler (runs in the main thread)."""
        with self.lock:
            self.drain()  # the bytes of the deliveries this run answers
            self.pending = False
        self.handled += 1
        action = self.action
        if action is not None:
            action()
        elif self.raising:
            self.raising = False  # a second press while this one unwinds waits its turn
            raise KeyboardInterrupt
        else:
            self.deferred = True

    def drain(self) -> bytes | None:
        """What the pipe holds (under the lock); None once its write end is closed."""
        chunks = []
        while True:
            try:
                chunk = os.read(self.read_fd, 512)
            except BlockingIOError:
                break
            if not chunk:
                return None
            chunks.append(chunk)
        return b"".join(chunks)

    def watch(self) -> None:
        """The watcher thread: force the main thread to run a SIGINT handler left waiting."""
        try:
            while True:
                select.select([self.read_fd], [], [])
                with self.lock:
                    got = self.drain()
                    if got is None:
                        return
                    if signal.SIGINT in got:
                        self.pending = True
                self.force()
        finally:
            os.close(self.read_fd)

    def force(self) -> None:
        """While the SIGINT handler has not run, interrupt the main thread with WAKE."""
        delay = FIRST_WAKE_S
        for _ in range(WAKES):
            time.sleep(delay)
            with self.lock:
                if not self.pending:
                    return
                signal.pthread_kill(self.main_id, WAKE)
            delay = min(delay * 2, LAST_WAKE_S)
        with self.lock:  # the main thread is deaf for now: it runs the handler when it looks
            self.pending = False


def ignore(signum: int, frame: Any) -> None:
    """WAKE's handler: nothing (being delivered is its whole purpose)."""


__all__ = ["CtrlC", "WAKE"]
