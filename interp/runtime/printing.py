"""printString and displayString of every built-in kind of value (LANGUAGE.md 4).

Elements of collections are printed by sending them `printString`/`displayString`, so
a class that overrides those is printed its way inside collections too.
"""

from __future__ import annotations

from typing import Any

from beamtalk.interp.syntax.literals import (
    char_literal,
    float_text,
    string_literal,
    symbol_literal,
)

from .control_flow import ExceptionInstance
from .futures import Future
from .kinds import article
from .objects import ActorRef, BtBlock, BtClass, Instance, Metaclass, Method
from .order import sorted_elements, sorted_pairs
from .text_answers import sent_text
from .values import (
    Association,
    BtDict,
    BtList,
    BtMessage,
    BtSet,
    BtTuple,
    Character,
    Interval,
    Symbol,
)


def print_string(rt: Any, v: Any) -> str:
    """The developer-facing text of a value."""
    return _render(rt, v, "printString")


def display_string(rt: Any, v: Any) -> str:
    """The user-facing text of a value."""
    kind = type(v)
    if kind is str:
        return v
    if kind is Symbol:
        return v.name
    if kind is Character:
        return v.char
    if isinstance(v, ExceptionInstance):
        return description(rt, v)
    return _render(rt, v, "displayString")


def description(rt: Any, exc: ExceptionInstance) -> str:
    """messageText (its displayString when it is no String), or the class name with its
    article."""
    text = exc.message_text
    if text is None:
        return article(exc.cls.name)
    return text if type(text) is str else sent_text(rt, text, "displayString")


CONTAINERS = frozenset({BtList, BtTuple, BtDict, BtSet, Interval, Association})


def _render(rt: Any, v: Any, how: str) -> str:
    kind = type(v)
    if kind in CONTAINERS or isinstance(v, Instance):
        # Printing nested values recurses: count it like activations, so a 100,000-deep
        # List is the catchable StackOverflow rather than a host RecursionError.
        proc = rt.process
        proc.depth += 1
        try:
            if proc.depth > rt.max_depth:
                raise rt.error_from("stack_overflow")
            return _render_inner(rt, v, how)
        finally:
            proc.depth -= 1
    return _render_inner(rt, v, how)


def _each(rt: Any, items: Any, how: str) -> str:
    """The elements printed and joined (a plain loop: no C frame per nesting level)."""
    parts = []
    for e in items:
        parts.append(sent_text(rt, e, how))
    return ", ".join(parts)


def _render_inner(rt: Any, v: Any, how: str) -> str:
    send = rt.send
    kind = type(v)
    if v is None:
        return "nil"
    if kind is bool:
        return "true" if v else "false"
    if kind is int:
        return str(v)
    if kind is float:
        return float_text(v)
    if kind is str:
        return string_literal(v)
    if kind is Symbol:
        return symbol_literal(v.name)
    if kind is Character:
        return char_literal(v.char)
    if kind is BtList:
        return "#(" + _each(rt, v.items, how) + ")"
    if kind is BtTuple:
        return "{" + _each(rt, v.items, how) + "}"
    if kind is BtDict:
        parts = []
        for k, x in sorted_pairs(rt, v):
            parts.append(f"{sent_text(rt, k, how)} => {sent_text(rt, x, how)}")
        return "#{" + ", ".join(parts) + "}"
    if kind is BtSet:
        return "Set(" + _each(rt, sorted_elements(rt, v), how) + ")"
    if kind is Interval:
        by = "" if v.step == 1 else f" by: {send(v.step, 'printString')}"
        return f"({send(v.start, 'printString')} to: {send(v.stop, 'printString')}{by})"
    if kind is Association:
        return f"{sent_text(rt, v.key, how)} -> {sent_text(rt, v.value, how)}"
    if kind is BtBlock:
        return f"a Block/{v.num_args}"
    if kind is BtClass or kind is Metaclass:
        return v.name
    if kind is Method:
        return f"{v.owner.name}>>#{v.selector}"
    if kind is BtMessage:
        return f"a Message({symbol_literal(v.selector.name)})"
    if kind is ActorRef:
        return f"#Actor<{v.actor.cls.name},{v.actor.serial}>"
    if kind is Future:
        return f"a Future({v.state})"
    if isinstance(v, ExceptionInstance):
        name = article(v.cls.name)
        # an empty text is no text, as in the REPL's `ERROR: kind` line
        return name if v.message_text is None or v.message_text == "" else \
            f"{name}: {description(rt, v)}"
    if isinstance(v, Instance):
        names = v.cls.all_field_names()
        if not names:
            return article(v.cls.name)
        fields = ", ".join(f"{n}: {sent_text(rt, v.fields.get(n), 'printString')}"
                           for n in names)
        return f"{article(v.cls.name)}({fields})"
    return article(rt.class_of(v).name)
