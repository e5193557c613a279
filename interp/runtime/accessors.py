"""The getters and `withX:` copies that value classes answer for their fields."""

from __future__ import annotations

from typing import Any

from .objects import BtClass, Method


def generated_accessor(cls: BtClass, selector: str) -> Method | None:
    """`p x` and `p withX: 3` for a value class's field x, when nothing else defines them."""
    names = cls.all_field_names()
    if selector in names:
        def get(receiver: Any) -> Any:
            return receiver.fields.get(selector)

        def getter(rt: Any, receiver: Any) -> Any:
            return receiver.fields.get(selector)

        return Method(selector, getter, cls, primitive="getter", self_first=get)
    if selector.startswith("with") and selector.endswith(":") and selector.count(":") == 1:
        stem = selector[4:-1]
        name = stem[:1].lower() + stem[1:]
        if name in names and stem[:1].isupper():
            def copy_with(receiver: Any, value: Any) -> Any:
                copy = type(receiver).__new__(type(receiver))
                copy.__dict__.update(receiver.__dict__)
                copy.fields = dict(receiver.fields)
                copy.fields[name] = value
                return copy

            def setter(rt: Any, receiver: Any, value: Any) -> Any:
                return copy_with(receiver, value)

            return Method(selector, setter, cls, primitive="setter", self_first=copy_with)
    return None
