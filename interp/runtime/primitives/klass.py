"""Class: the protocol every class answers (instantiation and reflection)."""

from __future__ import annotations

from typing import Any

from ..instances import check_instantiable, given_fields, instantiate, spawn
from ..objects import BtClass, Metaclass
from ..pyclasses import sync_pyclass
from ..values import BtDict, BtList, BtSet, BtTuple, Symbol
from .obj import selector_name, selectors

EMPTY_VALUES = {"List": BtList, "Dictionary": BtDict, "Set": BtSet, "Tuple": BtTuple,
                "String": str}


def the_class(r: Any) -> BtClass:
    return r.instance_class if isinstance(r, Metaclass) else r


def new(rt: Any, cls: BtClass) -> Any:
    if cls.name in EMPTY_VALUES:
        return EMPTY_VALUES[cls.name]()
    return instantiate(rt, cls, {})


def new_with(rt: Any, cls: BtClass, values: Any) -> Any:
    if cls.name == "Dictionary" and isinstance(values, BtDict):
        return values
    check_instantiable(rt, cls, "new")
    return instantiate(rt, cls, given_fields(rt, cls, values, "new:"), checked=True)


def name(rt: Any, r: Any) -> str:
    return r.name


def superclass(rt: Any, r: Any) -> Any:
    return r.superclass


def subclasses(rt: Any, r: Any) -> BtList:
    return BtList(sorted(the_class(r).subclasses, key=lambda c: c.name))


def all_methods(rt: Any, r: Any) -> BtList:
    names: set[str] = set()
    behavior = r
    while behavior is not None:
        names |= set(behavior.methods)
        behavior = behavior.next_in_lookup()
    return BtList(Symbol(s) for s in sorted(names))


def includes_selector(rt: Any, r: Any, selector: Any) -> bool:
    return selector_name(rt, selector, "includesSelector:") in r.methods


def instance_variable_names(rt: Any, r: Any) -> BtList:
    return BtList(Symbol(n) for n in the_class(r).all_field_names())


def class_variable_names(rt: Any, r: Any) -> BtList:
    return BtList(Symbol(f.name) for f in the_class(r).class_fields)


def doc(rt: Any, r: Any) -> Any:
    return the_class(r).doc


def compiled_method(rt: Any, r: Any, selector: Any) -> Any:
    return r.methods.get(selector_name(rt, selector, ">>"))


def remove_selector(rt: Any, r: Any, selector: Any) -> Any:
    name = selector_name(rt, selector, "removeSelector:")
    existing = r.methods.get(name)
    if existing is not None and getattr(existing, "builtin", False):
        # refused like replacing one (definitions.define_method): every later send needs it
        raise rt.error_from("builtin_selector_removal", selector=name, **{"class": r.name})
    methods = dict(r.methods)  # replaced, not changed: see definitions.define_method
    method = methods.pop(name, None)
    r.methods = methods
    if isinstance(r, BtClass):
        sync_pyclass(rt, r)
    rt.methods_changed()
    return method


# What classes and metaclasses both answer about their methods.
BEHAVIOR = {
    "name": name,
    "superclass": superclass,
    "methods": lambda rt, r: selectors(r),
    "allMethods": all_methods,
    "includesSelector:": includes_selector,
    ">>": compiled_method,
    "removeSelector:": remove_selector,
}

PRIMITIVES = {
    "Class": {
        **BEHAVIOR,
        "new": new,
        "new:": new_with,
        "spawn": spawn,
        "spawnWith:": spawn,
        "subclasses": subclasses,
        "instanceVariableNames": instance_variable_names,
        "classVariableNames": class_variable_names,
        "doc": doc,
    },
    "CompiledMethod": {
        "selector": lambda rt, m: Symbol(m.selector),
        "source": lambda rt, m: m.source,
        "argumentCount": lambda rt, m: m.num_args,
        "methodClass": lambda rt, m: m.owner,
        "doc": lambda rt, m: m.doc,
    },
    "Message": {
        "selector": lambda rt, m: m.selector,
        "arguments": lambda rt, m: m.arguments,
    },
    "Metaclass": {
        **BEHAVIOR,
        "instanceClass": lambda rt, r: r.instance_class,
    },
}
