"""The runtime: the one object that holds all mutable interpreter state.

Classes, workspace (top-level) variables, the Transcript stream, the method caches
and the per-process state (handler stacks, activation depth) all hang off a Runtime,
so every test and every conformance case can start from a fresh one.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Any, TextIO

from .accessors import generated_accessor
from .actors import actor_send
from .control_flow import BeamtalkError, ExceptionInstance
from .definitions import define_class, define_method
from .erlang_node import ErlangNode
from .error_texts import error_text
from .futures import DEFAULT_TIMEOUT_MS, Future, future_send
from .objects import ActorRef, Behavior, BtClass, Instance, Metaclass, Method
from .process import Process
from .pyclasses import root_pyclass
from .scheduler import Scheduler
from .signalling import signal
from .stdlib_loader import load_stdlib
from .values import (
    BtList,
    BtMessage,
    Symbol,
)

MISSING = object()

MAX_DEPTH = 12_000  # nested activations before StackOverflow (the spec wants >= 10,000)
# The top-level thread gets this much stack, so MAX_DEPTH activations fit even when they
# recurse through primitives (C frames); pool workers get scheduler.WORKER_STACK_BYTES.
# It is address space: only the pages a thread touches are used.
THREAD_STACK_BYTES = 256 * 1024 * 1024


class Runtime:
    """Everything one interpreter session owns."""

    def __init__(self, make_compiler: Callable[[Runtime], Any], out: TextIO | None = None,
                 err: TextIO | None = None, arguments: list[str] | None = None):
        self.out = out if out is not None else sys.stdout
        self.err = err if err is not None else sys.stderr
        self.arguments = list(arguments or [])
        self.classes: dict[str, BtClass] = {}
        self.workspace: dict[str, Any] = {}  # top-level variables
        self.beamtalk_globals: dict[str, Any] = {}  # `Beamtalk at:put:`
        self.type_classes: dict[type, BtClass] = {}
        self.class_root: BtClass | None = None  # `Class`: where every class side ends
        self.metaclass_class: BtClass | None = None
        self.true_class: BtClass | None = None
        self.false_class: BtClass | None = None
        self.behaviors: list[Behavior] = []
        self.caches: dict[int, dict[str, Any]] = {}
        self.local = threading.local()
        self.scheduler = Scheduler(self)  # the worker pool that runs actors' messages
        self.await_timeout_ms: float = DEFAULT_TIMEOUT_MS  # plain `await`; tests may lower it
        self.lock = threading.RLock()
        self.max_depth = MAX_DEPTH
        self.generation = 0  # counts definitions: actors re-check their class when it moves
        self.py_root = root_pyclass()  # base of every class's pyclass (runtime/pyclasses.py)
        self.killed_running: set[Process] = set()  # killed actors whose code may still run
        self.evaluate_class_state = True  # `beamtalk check` compiles without running code
        self.erlang_node = ErlangNode(self)  # `Erlang` calls; the node starts on first use
        # The evaluator sits a layer above the runtime, so the session hands its compiler in.
        self.compiler = make_compiler(self)
        load_stdlib(self)

    def close(self) -> None:
        """End the runtime's actors; release what it started outside Python (an Erlang node)."""
        self.scheduler.close()
        self.erlang_node.close()

    # ------------------------------------------------------------------ processes

    @property
    def process(self) -> Process:
        """The state of the calling thread's process (created on first use)."""
        try:
            return self.local.process
        except AttributeError:
            proc = self.local.process = Process(threading.current_thread().name)
            return proc

    def kill_running(self, proc: Process) -> None:
        """A busy actor was killed: running code checks for that until it has stopped."""
        with self.lock:
            self.killed_running.add(proc)
            self.compiler.py_globals["_killing"] = True

    def kill_stopped(self, proc: Process) -> None:
        """A killed actor's message has unwound."""
        with self.lock:
            self.killed_running.discard(proc)
            self.compiler.py_globals["_killing"] = bool(self.killed_running)

    # ------------------------------------------------------------------ classes

    def class_named(self, name: str) -> BtClass | None:
        """The global class with this name, if any."""
        return self.classes.get(name)

    def class_of(self, value: Any) -> Behavior:
        """The behavior that answers messages sent to `value`."""
        kind = type(value)
        cls = self.type_classes.get(kind)
        if cls is not None:
            return cls
        if kind is bool:
            return self.true_class if value else self.false_class
        if isinstance(value, Instance):
            return value.cls
        if kind is BtClass:
            return value.meta
        if kind is Metaclass:
            return self.metaclass_class
        if kind is ActorRef:
            return value.actor.cls
        if kind is Future:
            return self.classes["Future"]
        raise TypeError(f"no Beamtalk class for {kind.__name__}")

    def register(self, behavior: Behavior) -> None:
        """Track a behavior so method caches can be flushed when methods change."""
        self.behaviors.append(behavior)

    def methods_changed(self) -> None:
        """Forget every cached lookup (a method or class was (re)defined)."""
        self.generation += 1
        for behavior in self.behaviors:
            behavior.cache = {}

    # ------------------------------------------------------------------ sending

    def lookup(self, behavior: Behavior, selector: str) -> Method | None:
        """Cached method lookup (including the generated accessors of value classes)."""
        cache = behavior.cache
        method = cache.get(selector, MISSING)
        if method is MISSING:
            method = behavior.lookup(selector)
            if method is None and type(behavior) is BtClass and behavior.kind == "value":
                method = generated_accessor(behavior, selector)
            cache[selector] = method
        return method

    def send(self, receiver: Any, selector: str, *args: Any) -> Any:
        """Send a message: look up the receiver's method and run it."""
        kind = type(receiver)
        if kind is Instance:
            behavior = receiver.cls
        else:
            behavior = self.type_classes.get(kind)
            if behavior is None:
                if kind is ActorRef:
                    return actor_send(self, receiver, selector, args)
                if kind is Future:
                    return future_send(self, receiver, selector, args)
                behavior = self.class_of(receiver)
        method = behavior.cache.get(selector)
        if method is None:
            method = self.lookup(behavior, selector)
            if method is None:
                return self.does_not_understand(receiver, selector, args)
        return method.fn(self, receiver, *args)

    def send_super(self, start: Behavior, receiver: Any, selector: str, *args: Any) -> Any:
        """`super foo`: lookup starts at `start` (the defining class's superclass)."""
        method = start.lookup(selector) if start is not None else None
        if method is None:
            return self.does_not_understand(receiver, selector, args)
        return method.fn(self, receiver, *args)

    def does_not_understand(self, receiver: Any, selector: str, args: tuple) -> Any:
        """Send `doesNotUnderstand:` with a Message describing the failed send."""
        message = BtMessage(Symbol(selector), BtList(args))
        handler = self.lookup(self.class_of(receiver), "doesNotUnderstand:")
        return handler.fn(self, receiver, message)

    # ------------------------------------------------------------------ definitions

    def define_class(self, node: Any, filename: str) -> BtClass:
        """A top-level class definition (answers the class)."""
        return define_class(self, node, filename)

    def define_method(self, node: Any, filename: str) -> Method:
        """A top-level `Cls >> pattern => body` (answers the CompiledMethod)."""
        return define_method(self, node, filename)

    # ------------------------------------------------------------------ errors

    def make_error(self, class_name: str, text: str | None = None) -> ExceptionInstance:
        """A new exception instance of a built-in exception class."""
        return ExceptionInstance(self.classes[class_name], text)

    def error(self, class_name: str, text: str | None = None, **attrs: Any) -> BeamtalkError:
        """Signal a built-in exception (raise what this answers... or let signal raise)."""
        exc = self.make_error(class_name, text)
        for key, value in attrs.items():
            setattr(exc, key, value)
        return signal(self, exc)

    def error_from(self, error_id: str, /, attrs: dict[str, Any] | None = None,
                   **args: Any) -> BeamtalkError:
        """Signal the built-in error `error_id` of stdlib/errors.tsv, its placeholders filled."""
        class_name, text = error_text(error_id, **args)
        return self.error(class_name, text, **(attrs or {}))

    def make_error_from(self, error_id: str, /, **args: Any) -> ExceptionInstance:
        """A new (unsignalled) exception for the entry `error_id` of stdlib/errors.tsv."""
        class_name, text = error_text(error_id, **args)
        return self.make_error(class_name, text)

