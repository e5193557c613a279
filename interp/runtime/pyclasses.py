"""A Python class for each Beamtalk class, so that generated code sends by attribute.

Instances of user value classes are made from their class's `pyclass`, a subclass of
Instance whose Python bases mirror the Beamtalk superclass chain.  Each method a class
defines is an attribute of its pyclass (named by `attribute_name`), so a send compiled
as `receiver.bt_foo(...)` is an ordinary Python method call, kept fast by CPython's
method cache; redefinition is a `setattr`.  The runtime's root pyclass holds one stub per
selector that generated code sends, which takes the full send (doesNotUnderstand,
generated accessors), instead of a `__getattr__` that would defeat that cache.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .accessors import generated_accessor
from .objects import BtClass, Instance, Method

PREFIX = "bt_"


def attribute_name(selector: str) -> str:
    """The Python attribute of a selector (injective: `_` and symbols are escaped)."""
    return PREFIX + "".join(c if c.isalnum() else f"_{ord(c):02x}" for c in selector)


def root_pyclass() -> type:
    """A runtime's root pyclass (stubs are added as generated code needs them)."""
    return type("BtObject", (Instance,), {"__slots__": ()})


def ensure_pyclass(rt: Any, cls: BtClass) -> type:
    """Create cls's pyclass, or move it under its (new) superclass's pyclass."""
    base = cls.superclass.pyclass if cls.superclass is not None else rt.py_root
    if cls.pyclass is None:
        cls.pyclass = type(cls.name, (base,), {"__slots__": ()})
    elif cls.pyclass.__bases__ != (base,):
        cls.pyclass.__bases__ = (base,)
    return cls.pyclass


def sync_pyclass(rt: Any, cls: BtClass) -> None:
    """Make the attributes of cls's pyclass (and its subclasses') exactly their instance-side
    methods, plus the generated accessors of value classes that nothing else defines."""
    pyclass = ensure_pyclass(rt, cls)
    wanted = {attribute_name(sel): self_first(rt, m) for sel, m in cls.methods.items()}
    if cls.kind == "value":
        for name in cls.all_field_names():
            for selector in (name, f"with{name[:1].upper()}{name[1:]}:"):
                if cls.lookup(selector) is None:
                    accessor = generated_accessor(cls, selector)
                    if accessor is not None:
                        wanted[attribute_name(selector)] = self_first(rt, accessor)
    for name in [n for n in vars(pyclass) if n.startswith(PREFIX) and n not in wanted]:
        delattr(pyclass, name)
    for name, fn in sorted(wanted.items()):
        if vars(pyclass).get(name) is not fn:
            setattr(pyclass, name, fn)
    for sub in cls.subclasses:
        sync_pyclass(rt, sub)


def self_first(rt: Any, method: Method) -> Callable[..., Any]:
    """The method as a function of (receiver, *args), bound as a Python method."""
    if method.self_first is not None:
        return method.self_first
    fn = method.fn

    def call(receiver: Any, *args: Any) -> Any:
        return fn(rt, receiver, *args)

    method.self_first = call
    return call


def install_stubs(rt: Any, selectors: list[str]) -> None:
    """Root stubs for selectors that generated code sends by attribute."""
    root = rt.py_root
    for selector in selectors:
        name = attribute_name(selector)
        if name not in vars(root):
            setattr(root, name, full_send(rt, selector))


def full_send(rt: Any, selector: str) -> Callable[..., Any]:
    send = rt.send

    def stub(receiver: Any, *args: Any) -> Any:
        return send(receiver, selector, *args)

    return stub
