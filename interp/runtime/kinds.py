"""How error texts name a value's kind: `a String`, `an Integer`, `nil`."""

from __future__ import annotations

from typing import Any


def article(name: str) -> str:
    """`a Point`, `an Error`."""
    return ("an " if name[:1] in "AEIOUaeiou" else "a ") + name


def kind_name(rt: Any, value: Any) -> str:
    """`a String`, `an Integer` (and `nil`, `true`, `false`): an argument's kind in TypeErrors."""
    if value is None or type(value) is bool:
        return {None: "nil", True: "true", False: "false"}[value]
    return article(rt.class_of(value).name)
