"""Making instances: `new`, `new:`, `spawn`, `spawnWith:` (LANGUAGE.md 2.1, 3.1).

The checks every backend makes before instantiating (actor vs value class, abstract,
built-in), field defaults in declaration order, and spawning an actor whose
`initialize` runs inside it before `spawn` answers.
"""

from __future__ import annotations

from typing import Any

from .actors import Actor
from .control_flow import BeamtalkError, ExceptionInstance
from .futures import Future, await_future
from .kinds import kind_name
from .objects import ActorRef, BtClass, FieldSpec, Instance
from .values import BtDict, Symbol


def is_exception_class(rt: Any, cls: BtClass) -> bool:
    """Does `cls` inherit from Exception (its instances are ExceptionInstances)?"""
    return cls.includes_behavior(rt.classes["Exception"])


def check_instantiable(rt: Any, cls: BtClass, verb: str) -> None:
    """Signal the error `verb` (`new` or `spawn`) gets for a class that cannot do it."""
    if cls.kind == "actor" and verb == "new":
        raise rt.error_from("actor_class_new", class_name=cls.name)
    if cls.kind == "value" and verb == "spawn":
        raise rt.error_from("value_class_spawn", class_name=cls.name)
    if cls.modifier == "abstract":
        raise rt.error_from("abstract_class", class_name=cls.name)
    if cls.builtin and not is_exception_class(rt, cls):
        raise rt.error_from("builtin_instantiation", class_name=cls.name, selector=verb)


def instance_plan(rt: Any, cls: BtClass) -> tuple[bool, tuple[FieldSpec, ...], frozenset[str]]:
    """What making an instance of `cls` needs: whether it is an exception class, its field
    specs in order, their names. Kept in the class's lookup cache (a key no selector has),
    so a definition flushes it with the methods."""
    plan = cls.cache.get(" new")
    if plan is None:
        specs = tuple(cls.all_fields())
        plan = cls.cache[" new"] = (is_exception_class(rt, cls), specs,
                                    frozenset(s.name for s in specs))
    return plan


def fill_defaults(specs: tuple[FieldSpec, ...], fields: dict, given: dict) -> None:
    """Field values: given ones, else defaults evaluated in declaration order."""
    for spec in specs:
        name = spec.name
        if name in given:
            fields[name] = given[name]
        else:
            fields[name] = spec.default() if spec.default else None


def given_fields(rt: Any, cls: BtClass, values: Any, selector: str) -> dict:
    """The fields a `new:`/`spawnWith:` Dictionary sets (each must be a field of `cls`)."""
    if type(values) is not BtDict:
        raise rt.error_from("expects_dictionary", selector=selector, kind=kind_name(rt, values))
    given = {key.name if type(key) is Symbol else key: value for key, value in values.pairs()}
    check_field_names(rt, cls, given)
    return given


def check_field_names(rt: Any, cls: BtClass, names: Any) -> None:
    """Signal ArgumentError for the first name (in sorted order, as the BEAM's maps iterate
    atoms) that is not a field of `cls`."""
    known = instance_plan(rt, cls)[2]
    unknown = [name for name in names if name not in known]
    if unknown:
        raise rt.error_from("no_such_field", class_name=cls.name, field=min(unknown, key=str))


def instantiate(rt: Any, cls: BtClass, given: dict, checked: bool = False) -> Instance:
    """A new instance of a value or exception class, `given` fields set (`checked`: the
    caller has already made check_instantiable's checks)."""
    if not checked:
        check_instantiable(rt, cls, "new")
    exception, specs, _ = instance_plan(rt, cls)
    inst = ExceptionInstance(cls) if exception else cls.new_instance()
    fill_defaults(specs, inst.fields, given)
    return inst


def new_from_literal(rt: Any, cls: BtClass, names: tuple[str, ...], values: tuple) -> Instance:
    """`cls new: #{#a => 1, ...}` (Class>>new:) from the literal's distinct names and values,
    without making the Dictionary: the checks of new:, then the instance."""
    check_instantiable(rt, cls, "new")
    check_field_names(rt, cls, names)
    return instantiate(rt, cls, dict(zip(names, values)), checked=True)


def spawn(rt: Any, cls: BtClass, values: Any = None) -> ActorRef:
    """`spawn`/`spawnWith:`: a new actor; `initialize` runs inside it before this answers."""
    check_instantiable(rt, cls, "spawn")
    if cls.kind != "actor":
        raise rt.error_from("cannot_spawn", class_name=cls.name)
    given = given_fields(rt, cls, values, "spawnWith:") if values is not None else {}
    fields: dict = {}
    fill_defaults(instance_plan(rt, cls)[1], fields, given)
    actor = Actor(rt, cls, fields)
    if rt.lookup(cls, "initialize") is not None:
        fut = Future(rt.process, actor)
        actor.enqueue(("initialize", (), fut), rt.process)
        try:
            await_future(rt, fut, None)
        except BeamtalkError:
            actor.end("initialize failed")
            raise
    return actor.ref
