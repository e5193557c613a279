"""Sends in closure-compiled code: Integer fast paths and inline method-cache lookups."""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from beamtalk.interp.runtime.objects import BtClass, Instance

from .closure_frames import Code, Frame

FAST_BINARY: dict[str, Callable[[int, int], Any]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "<": operator.lt,
    ">": operator.gt, "<=": operator.le, ">=": operator.ge, "=": operator.eq,
    "~=": operator.ne,
}


def mutating(args: list[Code]) -> bool:
    """Does any argument make a literal block that assigns outer variables?"""
    return any(getattr(a, "mutating_block", False) for a in args)


def dispatch(rt: Any, receiver: Code, selector: str, args: list[Code], guard: bool) -> Code:
    """Code sending `selector`: Integer fast paths, inline cache lookups, the full send."""
    send = rt.send
    n = len(args)
    if guard:
        return builtin_receiver_check(rt, receiver, args, selector)
    fast = FAST_BINARY.get(selector) if n == 1 else None
    if fast is not None and hasattr(receiver, "slot") and type(
            getattr(args[0], "const", None)) is int:
        slot, b = receiver.slot, args[0].const

        def variable_op_constant(f: Frame) -> Any:  # `n - 1`: the commonest arithmetic
            a = f.vars[slot]
            if type(a) is int:
                return fast(a, b)
            return send(a, selector, b)

        return variable_op_constant
    if fast is not None:
        a0 = args[0]

        def binary(f: Frame) -> Any:
            a = receiver(f)
            b = a0(f)
            if type(a) is int and type(b) is int:
                return fast(a, b)
            return send(a, selector, b)

        return binary
    type_classes = rt.type_classes
    # Both send sites below inline the receiver's class lookup (Instances first).
    if n == 0:
        def send0(f: Frame) -> Any:
            r = receiver(f)
            kind = type(r)
            if kind is Instance:
                behavior = r.cls
            else:
                behavior = type_classes.get(kind)
                if behavior is None:  # booleans, classes, actors, futures...
                    return send(r, selector)
            method = behavior.cache.get(selector)
            if method is None:
                return send(r, selector)
            return method.fn(rt, r)

        return send0
    if n == 1:
        a0 = args[0]

        def send1(f: Frame) -> Any:
            r = receiver(f)
            kind = type(r)
            if kind is Instance:
                behavior = r.cls
            else:
                behavior = type_classes.get(kind)
                if behavior is None:  # booleans, classes, actors, futures...
                    return send(r, selector, a0(f))
            method = behavior.cache.get(selector)
            if method is None:
                return send(r, selector, a0(f))
            return method.fn(rt, r, a0(f))

        return send1
    if n == 2:
        a0, a1 = args
        return lambda f: send(receiver(f), selector, a0(f), a1(f))
    return lambda f: send(receiver(f), selector, *[a(f) for a in args])

def builtin_receiver_check(rt: Any, receiver: Code, args: list[Code], selector: str) -> Code:
    """A send carrying a mutating literal block: only built-in receivers may take it."""

    def run(f: Frame) -> Any:
        r = receiver(f)
        check_builtin_receiver(rt, r)
        return rt.send(r, selector, *[a(f) for a in args])

    return run

def check_builtin_receiver(rt: Any, receiver: Any) -> None:
    """Signal ArgumentError if a mutating literal block would go to a user object."""
    behavior = rt.class_of(receiver)
    if isinstance(behavior, BtClass) and not behavior.builtin:
        raise rt.error_from("block_assigns_outer")
