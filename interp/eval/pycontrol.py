"""Control messages with literal blocks, generated as Python control flow.

`ifTrue:` and friends, `and:`/`or:`, the `while` family, `repeat`, `timesRepeat:` and
`to:do:` run inline when the receiver (and bounds) are what the message expects
(Booleans, Integers); otherwise the real message is sent with real blocks.  Every
inlined loop iteration checks whether the process was killed.  Each inliner answers
the atom of the message's value, or None when the arguments are not literal blocks of
the right shape (then it is an ordinary send).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from beamtalk.interp.syntax import ast

from .pyscope import is_block
from .pysupport import KILL_CHECK

if TYPE_CHECKING:
    from .pygen import Generator


def branch(gen: Generator, result: str, block: ast.Block | None) -> None:
    """`result = <block inlined>` (or nil when the branch has no block)."""
    gen.indent += 1
    value = gen.inline(block) if block is not None else "None"
    gen.emit(f"{result} = {value}")
    gen.indent -= 1


def fallback(gen: Generator, result: str, receiver: str, node: ast.Send,
             plain: list[str]) -> None:
    """`else:` the real send, literal blocks made into block objects (a block that assigns
    outer variables only for a built-in receiver, LANGUAGE.md 2.3, as any control message)."""
    gen.emit("else:")
    gen.indent += 1
    values = iter(plain)
    args: list[str] = []
    mutating = False
    gen.no_inline += 1  # (this path is rare; see Generator.no_inline)
    try:
        for i, a in enumerate(node.args):
            if isinstance(a, ast.Block) and i >= len(plain):
                atom, mut = gen.shared_block(a)
                args.append(atom)
                mutating = mutating or mut
            else:
                args.append(next(values))
    finally:
        gen.no_inline -= 1
    if mutating:
        gen.emit(f"_guard({receiver})")
    args_text = "".join(", " + a for a in args)
    gen.emit(f"{result} = _send({receiver}, {node.selector!r}{args_text})")
    gen.indent -= 1


def inline_if(gen: Generator, node: ast.Send) -> str | None:
    """`ifTrue:`, `ifFalse:`, `ifTrue:ifFalse:`, `ifFalse:ifTrue:`."""
    if not all(is_block(a) for a in node.args):
        return None
    receiver = gen.named(gen.expr(node.receiver))
    parts = node.selector.split(":")[:-1]
    on_true = node.args[parts.index("ifTrue")] if "ifTrue" in parts else None
    on_false = node.args[parts.index("ifFalse")] if "ifFalse" in parts else None
    result = gen.new("_t")
    if receiver in gen.known_bool:  # an Integer comparison: no other value to fall back for
        gen.emit(f"if {receiver}:")
        branch(gen, result, on_true)
        gen.emit("else:")
        branch(gen, result, on_false)
        return result
    gen.emit(f"if {receiver} is True:")
    branch(gen, result, on_true)
    gen.emit(f"elif {receiver} is False:")
    branch(gen, result, on_false)
    fallback(gen, result, receiver, node, [])
    return result


def inline_and_or(gen: Generator, node: ast.Send) -> str | None:
    """`and:` / `or:` with a literal block."""
    if not is_block(node.args[0]):
        return None
    receiver = gen.named(gen.expr(node.receiver))
    result = gen.new("_t")
    is_and = node.selector == "and:"
    gen.emit(f"if {receiver} is True:")
    if is_and:
        branch(gen, result, node.args[0])
    else:
        gen.emit(f"    {result} = True")
    gen.emit(f"elif {receiver} is False:")
    if is_and:
        gen.emit(f"    {result} = False")
    else:
        branch(gen, result, node.args[0])
    fallback(gen, result, receiver, node, [])
    return result


def inline_while(gen: Generator, node: ast.Send) -> str | None:
    """`[cond] whileTrue: [body]`, `whileFalse:`, and the unary forms."""
    if not is_block(node.receiver) or (node.args and not is_block(node.args[0])):
        return None
    want = node.selector.startswith("whileTrue")
    gen.emit("while True:")
    gen.indent += 1
    gen.emit(KILL_CHECK)
    cond = gen.temp(gen.inline(node.receiver))
    gen.emit(f"if type({cond}) is _Future: {cond} = _await({cond})")
    gen.emit(f"if {cond} is not {want}:")
    gen.emit(f"    if {cond} is {not want}: break")
    gen.emit(f"    _loop_type({node.selector!r}, {cond})")
    if node.args:
        gen.inline(node.args[0])
    gen.indent -= 1
    return "None"


def inline_repeat(gen: Generator, node: ast.Send) -> str | None:
    """`[body] repeat` (left by `^` or an exception)."""
    if not is_block(node.receiver):
        return None
    gen.emit("while True:")
    gen.indent += 1
    gen.emit(KILL_CHECK)
    gen.inline(node.receiver)
    gen.indent -= 1
    return "None"


def inline_times_repeat(gen: Generator, node: ast.Send) -> str | None:
    """`n timesRepeat: [body]`."""
    if not is_block(node.args[0]):
        return None
    count = gen.fixed(gen.expr(node.receiver))
    result = gen.new("_t")
    gen.emit(f"if type({count}) is int:")
    gen.indent += 1
    gen.emit(f"for _ in range({count}):")
    gen.indent += 1
    gen.emit(KILL_CHECK)
    gen.inline(node.args[0])
    gen.indent -= 1
    gen.emit(f"{result} = {count}")
    gen.indent -= 1
    fallback(gen, result, count, node, [])
    return result


def inline_to_do(gen: Generator, node: ast.Send) -> str | None:
    """`a to: b do: [:i | ...]` and `a to: b by: s do: [:i | ...]` over Integers."""
    block = node.args[-1]
    if not is_block(block, 1):
        return None
    atoms, _ = gen.operands([node.receiver, *node.args[:-1]])
    start, *bounds = [gen.fixed(a) for a in atoms]
    checks = [f"type({a}) is int" for a in [start, *bounds]]
    if len(bounds) == 2:
        checks.append(f"{bounds[1]} != 0")
        stop = f"{bounds[0]} + (1 if {bounds[1]} > 0 else -1), {bounds[1]}"
    else:
        stop = f"{bounds[0]} + 1"
    result = gen.new("_t")
    gen.emit(f"if {' and '.join(checks)}:")
    gen.indent += 1
    params, temps = gen.open_inline(block)
    gen.emit(f"for {params[0]} in range({start}, {stop}):")
    gen.indent += 1
    gen.emit(KILL_CHECK)
    gen.inline_body(block, temps)
    gen.indent -= 1
    gen.emit(f"{result} = {start}")
    gen.indent -= 1
    fallback(gen, result, start, node, bounds)
    return result


INLINERS: dict[str, Callable[[Generator, ast.Send], str | None]] = {
    "ifTrue:": inline_if, "ifFalse:": inline_if, "ifTrue:ifFalse:": inline_if,
    "ifFalse:ifTrue:": inline_if, "and:": inline_and_or, "or:": inline_and_or,
    "whileTrue:": inline_while, "whileFalse:": inline_while, "whileTrue": inline_while,
    "whileFalse": inline_while, "repeat": inline_repeat, "timesRepeat:": inline_times_repeat,
    "to:do:": inline_to_do, "to:by:do:": inline_to_do,
}
