"""Class: the protocol every class answers (instantiation and reflection)."""

from __future__ import annotations

from typing import Any

from ..control_flow import ExceptionInstance
from ..objects import BtClass, Instance, Metaclass
from ..pyclasses import sync_pyclass
from ..values import BtDict, BtList, BtSet, BtTuple, Symbol
from .obj import selector_name, selectors
from .support import kind_name

EMPTY_VALUES = {"List": BtList, "Dictionary": BtDict, "Set": BtSet, "Tuple": BtTuple,
                "String": str}


def the_class(r: Any) -> BtClass:
    return r.instance_class if isinstance(r, Metaclass) else r


def is_exception_class(rt: Any, cls: BtClass) -> bool:
    return cls.includes_behavior(rt.classes["Exception"])


def new(rt: Any, cls: BtClass) -> Any:
    if cls.name in EMPTY_VALUES:
        return EMPTY_VALUES[cls.name]()
    check_instantiable(rt, cls, "new")
    if is_exception_class(rt, cls):
        exc = ExceptionInstance(cls)
        fill_defaults(cls, exc.fields, {})
        return exc
    inst = (cls.pyclass or Instance)(cls)
    fill_defaults(cls, inst.fields, {})
    return inst


def check_instantiable(rt: Any, cls: BtClass, verb: str) -> None:
    if cls.kind == "actor" and verb == "new":
        raise rt.error_from("actor_class_new", class_name=cls.name)
    if cls.kind == "value" and verb == "spawn":
        raise rt.error_from("value_class_spawn", class_name=cls.name)
    if cls.modifier == "abstract":
        raise rt.error_from("abstract_class", class_name=cls.name)
    if cls.builtin and not is_exception_class(rt, cls):
        raise rt.error_from("builtin_instantiation", class_name=cls.name, selector=verb)


def fill_defaults(cls: BtClass, fields: dict, given: dict) -> None:
    """Field values: given ones, else defaults evaluated in declaration order."""
    for spec in cls.all_fields():
        if spec.name in given:
            fields[spec.name] = given[spec.name]
        else:
            fields[spec.name] = spec.default() if spec.default else None


def given_fields(rt: Any, cls: BtClass, values: Any, selector: str) -> dict:
    if not isinstance(values, BtDict):
        raise rt.error_from("expects_dictionary", selector=selector, kind=kind_name(rt, values))
    names = cls.all_field_names()
    given = {}
    for key, value in values.pairs():
        name = key.name if isinstance(key, Symbol) else key
        if name not in names:
            raise rt.error_from("no_such_field", class_name=cls.name, field=name)
        given[name] = value
    return given


def new_with(rt: Any, cls: BtClass, values: Any) -> Any:
    if cls.name == "Dictionary" and isinstance(values, BtDict):
        return values
    check_instantiable(rt, cls, "new")
    given = given_fields(rt, cls, values, "new:")
    if is_exception_class(rt, cls):
        inst = ExceptionInstance(cls)
    else:
        inst = (cls.pyclass or Instance)(cls)
    fill_defaults(cls, inst.fields, given)
    return inst


def spawn(rt: Any, cls: BtClass, values: Any = None) -> Any:
    check_instantiable(rt, cls, "spawn")
    if cls.kind != "actor":
        raise rt.error_from("cannot_spawn", class_name=cls.name)
    given = given_fields(rt, cls, values, "spawnWith:") if values is not None else {}
    from ..actors import spawn as spawn_actor

    return spawn_actor(rt, cls, given)


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
    return selector_name(rt, selector) in r.methods


def instance_variable_names(rt: Any, r: Any) -> BtList:
    return BtList(Symbol(n) for n in the_class(r).all_field_names())


def class_variable_names(rt: Any, r: Any) -> BtList:
    return BtList(Symbol(f.name) for f in the_class(r).class_fields)


def doc(rt: Any, r: Any) -> Any:
    return the_class(r).doc


def compiled_method(rt: Any, r: Any, selector: Any) -> Any:
    return r.methods.get(selector_name(rt, selector))


def remove_selector(rt: Any, r: Any, selector: Any) -> Any:
    name = selector_name(rt, selector)
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
