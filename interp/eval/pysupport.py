"""What generated Python code calls: the names its functions see as globals.

Every generated method runs with one runtime's `support_globals(rt)` dict as its
globals, so sends, error raising and the kill check are one global lookup away.  The
run-time errors generated code raises are all made here (one place to point at the
shared error table later).
"""

from __future__ import annotations

import functools
from typing import Any

from beamtalk.interp.runtime.actors import run_here
from beamtalk.interp.runtime.control_flow import NonLocalReturn
from beamtalk.interp.runtime.futures import Future, await_future
from beamtalk.interp.runtime.instances import new_from_literal
from beamtalk.interp.runtime.kinds import kind_name
from beamtalk.interp.runtime.objects import ActorRef, BtBlock, BtClass, Instance
from beamtalk.interp.runtime.primitives.klass import new_with
from beamtalk.interp.runtime.text_answers import sent_text
from beamtalk.interp.runtime.values import BtDict, BtList, BtTuple, Character, Symbol

# The line generated code runs at every loop iteration and method entry (`_kc`, `_killing`).
KILL_CHECK = "if _killing: _kc()"


class Home:
    """A method activation that a block's `^` returns to (made only when one may)."""

    __slots__ = ("active",)

    def __init__(self) -> None:
        self.active = True


class NoClass:
    """Stands for the class of receivers whose sends take the full path: caches nothing."""

    cache: dict = {}  # always empty: never written


class NoArg:
    """The default of a block parameter that was not given (detects too few arguments)."""

    def __repr__(self) -> str:
        return "<no argument>"


def check_builtin_receiver(rt: Any, receiver: Any) -> None:
    """Signal ArgumentError if a mutating literal block would go to a user object."""
    behavior = rt.class_of(receiver)
    if isinstance(behavior, BtClass) and not behavior.builtin:
        raise rt.error_from("block_assigns_outer")


def support_globals(rt: Any) -> dict[str, Any]:
    """The globals dict of every function generated for `rt`."""
    no_arg = NoArg()
    classes = rt.classes

    def arity(expected: int, *given: Any) -> None:
        """Signal ArityError for a block called with the wrong number of arguments."""
        got = sum(1 for g in given[:expected] if g is not no_arg) + len(given[expected:])
        if expected == 1:
            raise rt.error_from("block_arity_one", count=got)
        raise rt.error_from("block_arity", expected=expected, count=got)

    def undefined_global(name: str) -> None:
        raise rt.error_from("undefined_global", name=name)

    def loop_type_error(selector: str, value: Any) -> None:
        raise rt.error_from("expects_boolean", selector=selector, kind=kind_name(rt, value))

    def non_local_return(home: Home, value: Any) -> None:
        """`^value` inside a block: unwind to the home method, if it is still running."""
        if not home.active:
            raise rt.error_from("block_cannot_return")
        raise NonLocalReturn(home, value)

    def builtin_receiver(receiver: Any) -> None:
        """A literal block that assigns outer variables may only go to a built-in receiver."""
        check_builtin_receiver(rt, receiver)

    def kill_check() -> None:
        """Some actor was killed while busy: stop here if it is this process."""
        proc = rt.process
        proc.check_killed(rt)

    def field_sugar(receiver: Any, selector: str, names: tuple[str, ...]) -> bool:
        """Is `Cls new x: 1 y: 2` field sugar (every keyword a field, no such method)?"""
        if not isinstance(receiver, BtClass):
            return False
        fields = receiver.cache.get(" fields")  # not a selector; flushed with the methods
        if fields is None:
            fields = receiver.cache[" fields"] = frozenset(receiver.all_field_names())
        return all(n in fields for n in names) and rt.lookup(receiver, selector) is None

    local = rt.local
    send = rt.send

    def self_send(receiver: Any, selector: str, *args: Any) -> Any:
        """A send to `self` in an actor's method (never one of REFERENCE_SELECTORS): in the
        actor's own process, where its messages run, straight to the synchronous self-send
        that rt.send would reach through actor_send; anywhere else, the full send."""
        if type(receiver) is ActorRef:
            actor = receiver.actor
            if getattr(local, "process", None) is actor.process:
                return run_here(rt, actor, selector, args)
        return send(receiver, selector, *args)

    def new_literal(receiver: Any, names: tuple[str, ...], values: tuple) -> Any:
        """`X new: #{#a => 1, ...}` with distinct literal Symbol keys: when `new:` is Class's
        own primitive, the instance is made from the names and values directly (the same
        checks and errors, an unknown field named in source order); else the full send."""
        if type(receiver) is BtClass and receiver.name != "Dictionary":
            method = rt.lookup(receiver.meta, "new:")
            if method is not None and method.fn is new_with:
                return new_from_literal(rt, receiver, names, values)
        return send(receiver, "new:", BtDict.of(tuple(zip(map(Symbol, names), values))))

    def set_class_value(values: dict, name: str, value: Any) -> Any:
        with rt.lock:
            values[name] = value
        return value

    return {
        "__builtins__": {"type": type, "int": int, "str": str, "range": range, "len": len,
                         "isinstance": isinstance, "float": float},
        "_rt": rt, "_ws": rt.workspace, "_send": rt.send, "_super": rt.send_super,
        "_classes": classes,
        "_Root": rt.py_root,
        "_TC": rt.type_classes, "_NOC": NoClass, "_BtClass": BtClass,
        "_Instance": Instance, "_Block": BtBlock, "_Future": Future, "_NLR": NonLocalReturn,
        "_Home": Home, "_NA": no_arg, "_BtList": BtList, "_BtTuple": BtTuple,
        "_BtDict": BtDict, "_Symbol": Symbol, "_Character": Character,
        "_await": functools.partial(await_future, rt),
        "_arity": arity, "_undef": undefined_global, "_loop_type": loop_type_error,
        "_nlr": non_local_return, "_guard": builtin_receiver, "_kc": kill_check,
        "_sugar": field_sugar, "_cvset": set_class_value, "_self": self_send,
        "_newlit": new_literal,
        # an interpolated value's displayString, which must be a String (LANGUAGE.md 4)
        "_dtext": lambda value: sent_text(rt, value, "displayString"),
        "_killing": False,  # set while a killed actor may still be running code
    }
