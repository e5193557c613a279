"""Control messages with literal blocks inlined into closure-compiled code.

Literal blocks of the control messages that every Boolean and Integer answers
(`ifTrue:`, `whileTrue:`, `to:do:` ...) run in the enclosing frame, with a real send as
the fallback when the receiver is not a Boolean/Integer.  Inlined loops stop when their
actor has been killed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from beamtalk.interp.runtime.futures import Future, await_future
from beamtalk.interp.runtime.kinds import kind_name
from beamtalk.interp.syntax import ast

from .closure_frames import RETURNED, Code, Context, Frame, inline_body, run_block
from .pyscope import is_block

if TYPE_CHECKING:
    from .compiler import Compiler

def inline_if(compiler: Compiler, node: ast.Send, ctx: Context) -> Code | None:
    """`ifTrue:`, `ifFalse:`, `ifTrue:ifFalse:`, `ifFalse:ifTrue:`."""
    if not all(is_block(a, 0) for a in node.args):
        return None
    receiver = compiler.expr(node.receiver, ctx)  # evaluation order: receiver first
    blocks = [compiler.inline_block(a, ctx) for a in node.args]
    parts = node.selector.split(":")[:-1]
    on_true = blocks[parts.index("ifTrue")] if "ifTrue" in parts else None
    on_false = blocks[parts.index("ifFalse")] if "ifFalse" in parts else None
    slow = compiler.fallback(node, blocks)
    then, otherwise = inline_body(on_true), inline_body(on_false)

    def run(f: Frame) -> Any:
        value = receiver(f)
        if value is True:
            return then(f) if then is not None else None
        if value is False:
            return otherwise(f) if otherwise is not None else None
        return slow(f, value)

    return run


def inline_and_or(compiler: Compiler, node: ast.Send, ctx: Context) -> Code | None:
    """`and:` / `or:` with a literal block."""
    if not is_block(node.args[0], 0):
        return None
    receiver = compiler.expr(node.receiver, ctx)  # evaluation order: receiver first
    block = compiler.inline_block(node.args[0], ctx)
    slow = compiler.fallback(node, [block])
    is_and = node.selector == "and:"

    def run(f: Frame) -> Any:
        value = receiver(f)
        if value is True:
            return run_block(block, f) if is_and else True
        if value is False:
            return False if is_and else run_block(block, f)
        return slow(f, value)

    return run


def inline_while(compiler: Compiler, node: ast.Send, ctx: Context) -> Code | None:
    """`[cond] whileTrue: [body]`, `whileFalse:`, and the unary forms."""
    if not is_block(node.receiver, 0) or (node.args and not is_block(node.args[0], 0)):
        return None
    cond = compiler.inline_block(node.receiver, ctx)
    body = compiler.inline_block(node.args[0], ctx) if node.args else None
    rt = compiler.rt
    want = node.selector.startswith("whileTrue")
    flags = compiler.py_globals  # `_killing`: some killed actor may still be running

    def run(f: Frame) -> Any:
        while True:
            if flags["_killing"]:
                rt.process.check_killed(rt)
            value = run_block(cond, f)
            if value is RETURNED:
                return value
            if type(value) is Future:
                value = await_future(rt, value)
            if value is not want:
                if value is (not want):
                    return None
                raise rt.error_from("expects_boolean", selector=node.selector,
                                    kind=kind_name(rt, value))
            if body is not None and run_block(body, f) is RETURNED:
                return RETURNED

    return run


def inline_repeat(compiler: Compiler, node: ast.Send, ctx: Context) -> Code | None:
    """`[body] repeat` (left by `^` or an exception)."""
    body = compiler.inline_block(node.receiver, ctx)
    if body is None:
        return None

    rt = compiler.rt
    flags = compiler.py_globals

    def run(f: Frame) -> Any:
        while True:
            if flags["_killing"]:
                rt.process.check_killed(rt)
            if run_block(body, f) is RETURNED:
                return RETURNED

    return run


def inline_times_repeat(compiler: Compiler, node: ast.Send, ctx: Context) -> Code | None:
    """`n timesRepeat: [body]`."""
    if not is_block(node.args[0], 0):
        return None
    receiver = compiler.expr(node.receiver, ctx)  # evaluation order: receiver first
    body = compiler.inline_block(node.args[0], ctx)
    slow = compiler.fallback(node, [body])
    rt = compiler.rt
    flags = compiler.py_globals

    def run(f: Frame) -> Any:
        n = receiver(f)
        if type(n) is not int:
            return slow(f, n)
        for _ in range(n):
            if flags["_killing"]:
                rt.process.check_killed(rt)
            if run_block(body, f) is RETURNED:
                return RETURNED
        return n

    return run


def inline_to_do(compiler: Compiler, node: ast.Send, ctx: Context) -> Code | None:
    """`a to: b do: [:i | ...]` and `a to: b by: s do: [:i | ...]` over Integers."""
    if not is_block(node.args[-1], 1):
        return None
    receiver = compiler.expr(node.receiver, ctx)  # evaluation order: receiver first
    bounds = [compiler.expr(a, ctx) for a in node.args[:-1]]
    body = compiler.inline_block(node.args[-1], ctx, nparams=1)
    blocks = [None] * len(bounds) + [body]
    slow = compiler.fallback(node, blocks)
    slot = body.params[0]
    rt = compiler.rt
    flags = compiler.py_globals

    def run(f: Frame) -> Any:
        start = receiver(f)
        values = [b(f) for b in bounds]
        step = values[1] if len(values) == 2 else 1
        if type(start) is not int or type(values[0]) is not int or type(step) is not int \
                or step == 0:
            return slow(f, start, *values)
        stop = values[0] + (1 if step > 0 else -1)
        vars = f.vars
        for i in range(start, stop, step):
            if flags["_killing"]:
                rt.process.check_killed(rt)
            vars[slot] = i
            for t in body.temps:
                vars[t] = None
            if body.body(f) is RETURNED:
                return RETURNED
        return start

    return run


INLINERS: dict[str, Callable[[Compiler, ast.Send, Context], Code | None]] = {
    "ifTrue:": inline_if, "ifFalse:": inline_if, "ifTrue:ifFalse:": inline_if,
    "ifFalse:ifTrue:": inline_if, "and:": inline_and_or, "or:": inline_and_or,
    "whileTrue:": inline_while, "whileFalse:": inline_while, "whileTrue": inline_while,
    "whileFalse": inline_while, "repeat": inline_repeat, "timesRepeat:": inline_times_repeat,
    "to:do:": inline_to_do, "to:by:do:": inline_to_do,
}
