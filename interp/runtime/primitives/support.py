"""Helpers shared by primitive tables: argument checks, forwarding tables, merging."""

from __future__ import annotations

from typing import Any

from ..futures import Future, await_future
from ..kinds import kind_name


def is_number(value: Any) -> bool:
    kind = type(value)
    return kind is int or kind is float


def awaited(rt: Any, value: Any) -> Any:
    """A primitive's argument: a future is awaited first (LANGUAGE.md 3.2)."""
    return await_future(rt, value) if type(value) is Future else value


def expect_number(rt: Any, selector: str, value: Any) -> Any:
    """The value, or a TypeError `#+ expects a Number, got a String`."""
    value = awaited(rt, value)
    if not is_number(value):
        raise rt.error_from("expects_number", selector=selector, kind=kind_name(rt, value))
    return value


def expect_integer(rt: Any, selector: str, value: Any) -> int:
    value = awaited(rt, value)
    if type(value) is not int:
        raise rt.error_from("expects_integer", selector=selector, kind=kind_name(rt, value))
    return value


def expect_string(rt: Any, selector: str, value: Any) -> str:
    value = awaited(rt, value)
    if type(value) is not str:
        raise rt.error_from("expects_string", selector=selector, kind=kind_name(rt, value))
    return value


def forwarding(selectors: Any, answer: Any) -> dict[str, Any]:
    """A primitive table whose entries all call `answer(rt, receiver, selector, args)`.

    For protocols the runtime answers before lookup (actor references, futures): the
    entries make them visible to reflection and `perform:`.
    """

    def entry(selector: str):
        def run(rt: Any, receiver: Any, *args: Any) -> Any:
            return answer(rt, receiver, selector, args)

        run.__name__ = selector
        return run

    return {selector: entry(selector) for selector in sorted(selectors)}


def merge_tables(*tables: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Primitive tables merged by class; a primitive defined twice is an error."""
    merged: dict[str, dict[str, Any]] = {}
    for table in tables:
        for cls, entries in table.items():
            target = merged.setdefault(cls, {})
            overlap = set(target) & set(entries)
            if overlap:
                raise RuntimeError(f"primitives defined twice for {cls}: {sorted(overlap)}")
            target.update(entries)
    return merged
