"""A Beamtalk process: the top level or one actor, with its handlers, depth and waits."""

from __future__ import annotations

import collections
from typing import Any

from .calls import cull
from .control_flow import ActorKilled, BeamtalkError
from .futures import copy_error


class Process:
    """A Beamtalk process (the top level, or one actor): handlers, depth, waits, callbacks."""

    def __init__(self, name: str = "top"):
        self.name = name
        self.handlers: list[Any] = []
        self.depth = 0
        self.actor: Any = None  # the Actor whose process this is (None: top level)
        self.waiting_for: Any = None  # the Actor this process awaits (deadlock detection)
        self.killed = False
        self.ready: collections.deque = collections.deque()  # settled futures' callbacks
        self.methods: list[dict] | None = None  # an actor's method tables for this message
        self.starts: list[Any] = []  # actors this process sent to, to start at its next wait
        # Its thread may be interrupted from outside (the REPL's Ctrl-C): its waits then never
        # run another actor's message on that thread, so an interrupt stops this process only.
        self.interruptible = False

    def start_pending(self) -> None:
        """Start the actors this process has sent work to (it is about to wait or finish)."""
        while self.starts:
            self.starts.pop().start()

    def queue_callback(self, fut: Any, kind: str, block: Any) -> None:
        """A callback to run in this process at its next wait (or between messages)."""
        self.ready.append((fut, kind, block))

    def run_callbacks(self, rt: Any) -> None:
        """Run the callbacks whose futures have settled the way they wait for."""
        while self.ready:
            fut, kind, block = self.ready.popleft()
            if fut.state != kind:
                continue
            value = fut.value if kind == "resolved" else copy_error(fut.error)
            try:
                cull(rt, block, value)
            except BeamtalkError as err:
                rt.err.write(f"ERROR in a callback: {err.exc.message_text}\n")

    def check_killed(self, rt: Any) -> None:
        """A killed actor's running code stops at its next send, loop or wait."""
        if self.killed:
            raise ActorKilled()
