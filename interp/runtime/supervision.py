"""Supervision (LANGUAGE.md 3.3): OTP's supervisor, for the interpreter.

A supervisor is an actor with a `Supervision` attached (as `actor.supervision`).  Its
children are spawned in order when it is spawned; each child has a watcher that runs
when the child ends.  Watchers run in whatever thread ends the child, so they only
queue the exit and wake the supervisor with a message (`restartCount`, whose answer is
dropped); every supervisor message first handles the queued exits (and any child found
ended whose watcher has not run yet), inside the supervisor's own process.  So restarts
are serialised with `children`, `childNamed:` and `restartCount`, and a query sent after
a child's `kill` or `stop` returned sees the restart.  The children are spawned from the
process that spawns the supervisor, before its reference is handed out.

When the supervisor itself ends (stop, kill, or too many restarts), its children are
killed, last first.  `lock` guards the child list against that end, which may run in
another thread while the supervisor is starting a child.
"""

from __future__ import annotations

import collections
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from .actors import Actor
from .control_flow import BeamtalkError
from .futures import Future
from .instances import spawn
from .kinds import kind_name
from .objects import ActorRef, BtClass
from .printing import print_string
from .values import Association, BtDict, BtList, Symbol

STRATEGIES = ("oneForOne", "oneForAll", "restForOne")
RESTART_TYPES = ("permanent", "transient", "temporary")
NORMAL = "normal"  # the only exit reason that is not abnormal
SHUTDOWN = "shutdown"  # a supervisor that exceeded its restart intensity (abnormal)
FAILED_START = "failed to start"  # a supervisor whose children could not all be spawned
WAKE = "restartCount"  # the message that makes an idle supervisor handle queued exits


@dataclass(frozen=True)
class ChildSpec:
    """One entry of `class children`: the class, its field values, its restart type."""

    name: str
    cls: BtClass
    fields: BtDict | None
    restart: str


@dataclass
class Child:
    """A child spec and its current actor (None while it is not running)."""

    spec: ChildSpec
    actor: Actor | None = None


@dataclass(frozen=True)
class Config:
    """A supervisor class's configuration, read once when it is spawned (as OTP does)."""

    strategy: str
    max_restarts: int
    window: float
    specs: tuple[ChildSpec, ...]


@dataclass
class Supervision:
    """The state of one supervisor actor: its children, restarts and queued exits."""

    rt: Any
    actor: Actor
    config: Config
    children: list[Child] = field(default_factory=list)
    exits: collections.deque = field(default_factory=collections.deque)
    restart_times: collections.deque = field(default_factory=collections.deque)
    restart_count: int = 0
    terminated: bool = False
    lock: threading.RLock = field(default_factory=threading.RLock)

    # ------------------------------------------------------------ starting children

    def start_all(self) -> None:
        """Spawn every child in order (from the spawning process: nobody else sees us yet)."""
        self.children = [Child(spec) for spec in self.config.specs]
        for child in self.children:
            self.start(child)

    def start(self, child: Child) -> None:
        """Spawn one child and watch it; signals what its spawn signals."""
        rt, spec = self.rt, child.spec
        if spec.fields is None:
            ref = rt.send(spec.cls, "spawn")
        else:
            ref = rt.send(spec.cls, "spawnWith:", spec.fields)
        if type(ref) is not ActorRef:
            raise rt.error_from("spawn_not_actor", class_name=spec.name, kind=kind_name(rt, ref))
        actor = ref.actor
        with self.lock:
            orphan = self.terminated
            if not orphan:
                child.actor = actor
                actor.watchers.append(self.child_ended)
        if orphan:  # the supervisor ended while this child was starting
            actor.kill()
        elif actor.ended.is_set():  # it ended before the watcher was in place
            self.child_ended(actor, actor.exit_reason or NORMAL)

    # ------------------------------------------------------------ exits (any thread)

    def child_ended(self, actor: Actor, reason: str) -> None:
        """A child's watcher: queue its exit and wake the supervisor to handle it."""
        self.exits.append((actor, reason))
        supervisor = self.actor
        if supervisor.status == "alive":
            supervisor.enqueue((WAKE, (), Future(supervisor.process)))  # starts it at once

    def supervisor_ended(self, actor: Actor, reason: str) -> None:
        """The supervisor's own watcher: its children end with it, last first."""
        with self.lock:
            self.terminated = True
            children = list(self.children)
        for child in reversed(children):
            self.terminate(child)

    def terminate(self, child: Child) -> None:
        """End a running child without reacting to its end (OTP's shutdown of a worker)."""
        with self.lock:
            actor, child.actor = child.actor, None
        if actor is None:
            return
        try:
            actor.watchers.remove(self.child_ended)
        except ValueError:
            pass
        actor.kill()

    # ------------------------------------------------------------ exits (the supervisor)

    def handle_exits(self) -> None:
        """Handle the queued exits; runs in the supervisor's process before each message."""
        if self.rt.process is not self.actor.process:
            return
        while self.exits and self.actor.status != "dead":
            actor, reason = self.exits.popleft()
            self.handle_exit(actor, reason)
        # A child stopped from outside may have ended before its watcher ran: handle it
        # now, so any query made after `stop` or `kill` returned sees the restart.
        for child in list(self.children):
            actor = child.actor
            if actor is not None and actor.ended.is_set() and self.actor.status != "dead":
                self.handle_exit(actor, actor.exit_reason or NORMAL)

    def handle_exit(self, actor: Actor, reason: str) -> None:
        child = next((c for c in self.children if c.actor is actor), None)
        if child is None:  # already handled, or ended by the supervisor itself
            return
        with self.lock:
            child.actor = None
        restart = child.spec.restart
        if restart == "temporary":
            with self.lock:
                self.children.remove(child)
            return
        if restart == "transient" and reason == NORMAL:
            return
        self.restart(child)

    def restart(self, child: Child) -> None:
        """One restart event by the strategy; a failed start tries again (and counts)."""
        while True:
            if not self.within_intensity():
                self.shutdown()
                return
            self.restart_count += 1
            try:
                self.restart_group(self.group(child))
                return
            except BeamtalkError as err:
                self.rt.err.write(f"{self.actor.cls.name}: a child failed to restart: "
                                  f"{err.exc.message_text}\n")

    def group(self, child: Child) -> list[Child]:
        """The children a restart of `child` concerns, in start order."""
        strategy = self.config.strategy
        if strategy == "oneForOne":
            return [child]
        if strategy == "oneForAll":
            return list(self.children)
        return self.children[self.children.index(child):]

    def restart_group(self, group: list[Child]) -> None:
        """Kill the group's running children (last first), then spawn it again in order."""
        for member in reversed(group):
            self.terminate(member)
        temporary = [c for c in group if c.spec.restart == "temporary"]
        if temporary:  # OTP drops temporary children instead of restarting them
            with self.lock:
                self.children = [c for c in self.children if c not in temporary]
        for member in group:
            if member not in temporary:
                self.start(member)

    def within_intensity(self) -> bool:
        """Record a restart; false when more than maxRestarts fall within restartWindow."""
        now = time.monotonic()
        times = self.restart_times
        times.append(now)
        while times and now - times[0] >= self.config.window:
            times.popleft()
        return len(times) <= self.config.max_restarts

    def shutdown(self) -> None:
        """Too many restarts: kill the children, then end the supervisor abnormally."""
        for child in reversed(list(self.children)):
            self.terminate(child)
        self.actor.end(SHUTDOWN)

    # ------------------------------------------------------------ queries

    def settle(self) -> None:
        """Handle queued exits before answering; a supervisor that ended meanwhile does not."""
        self.handle_exits()
        if self.actor.status == "dead":
            raise self.rt.error_from("actor_dead", class_name=self.actor.cls.name)

    def current_children(self) -> BtList:
        self.settle()
        with self.lock:
            return BtList(c.actor.ref for c in self.children if c.actor is not None)

    def child_named(self, name: str) -> Any:
        self.settle()
        with self.lock:
            for child in self.children:
                if child.spec.name == name:
                    return child.actor.ref if child.actor is not None else None
        return None

    def restarts(self) -> int:
        self.settle()
        return self.restart_count


# ---------------------------------------------------------------- configuration


def read_config(rt: Any, cls: BtClass) -> Config:
    """The class-side configuration, checked (ArgumentError for two children of one class)."""
    strategy = rt.send(cls, "strategy")
    if not isinstance(strategy, Symbol) or strategy.name not in STRATEGIES:
        raise rt.error_from("bad_strategy", class_name=cls.name)
    max_restarts = rt.send(cls, "maxRestarts")
    if type(max_restarts) is not int or max_restarts < 0:
        raise rt.error_from("bad_max_restarts", class_name=cls.name)
    window = rt.send(cls, "restartWindow")
    if type(window) not in (int, float) or window <= 0:
        raise rt.error_from("bad_restart_window", class_name=cls.name)
    return Config(strategy.name, max_restarts, float(window), child_specs(rt, cls))


def child_specs(rt: Any, cls: BtClass) -> tuple[ChildSpec, ...]:
    entries = rt.send(cls, "children")
    if not isinstance(entries, BtList):
        raise rt.error_from("children_not_list", class_name=cls.name, kind=kind_name(rt, entries))
    specs: list[ChildSpec] = []
    for entry in entries.items:
        spec = child_spec(rt, cls, entry)
        if any(s.name == spec.name for s in specs):
            raise rt.error_from("duplicate_child", class_name=cls.name, child=spec.name)
        specs.append(spec)
    return tuple(specs)


def child_spec(rt: Any, cls: BtClass, entry: Any) -> ChildSpec:
    """A class, or `Class -> aDictionary` (the fields to spawn it with)."""
    child_cls, fields = entry, None
    if isinstance(entry, Association):
        child_cls, fields = entry.key, entry.value
        if not isinstance(fields, BtDict):
            raise rt.error_from("child_spec_fields", class_name=cls.name, spec=print_of(rt, entry))
    if type(child_cls) is not BtClass:
        raise rt.error_from("bad_child_spec", class_name=cls.name, kind=kind_name(rt, entry))
    return ChildSpec(child_cls.name, child_cls, fields, restart_type(rt, child_cls))


def restart_type(rt: Any, cls: BtClass) -> str:
    """The class-side `restart` if the class answers it, else #permanent."""
    if rt.lookup(rt.class_of(cls), "restart") is None:
        return "permanent"
    restart = rt.send(cls, "restart")
    if not isinstance(restart, Symbol) or restart.name not in RESTART_TYPES:
        raise rt.error_from("bad_restart", class_name=cls.name)
    return restart.name


def print_of(rt: Any, value: Any) -> str:
    return print_string(rt, value)


# ---------------------------------------------------------------- entry points


def spawn_supervisor(rt: Any, cls: BtClass, values: Any = None) -> ActorRef:
    """`Team spawn`: the supervisor actor (its initialize done), then its children."""
    config = read_config(rt, cls)
    ref = spawn(rt, cls, values)
    actor = ref.actor
    supervision = Supervision(rt, actor, config)
    actor.supervision = supervision
    actor.watchers.append(supervision.supervisor_ended)
    try:
        supervision.start_all()
    except BaseException:
        actor.end(FAILED_START)  # its watcher kills the children already started
        raise
    return ref


def supervision_of(ref: ActorRef) -> Supervision | None:
    """The supervisor state of this actor (None for one not spawned as a supervisor)."""
    return getattr(ref.actor, "supervision", None)
