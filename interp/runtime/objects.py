"""The object model: classes, metaclasses, instances and methods.

A class's instance-side methods live in `BtClass.methods`; its class-side methods in
its metaclass's `methods`.  Lookup walks superclasses; the class side ends in the
instance side of `Class` (then `Object`), as in Smalltalk, so every class answers the
class protocol (`name`, `new`, `methods`...).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from beamtalk.interp.syntax import ast


@dataclass(eq=False)
class Method:
    """A method: a Python callable `fn(rt, receiver, *args)` plus what reflection shows."""

    selector: str
    fn: Callable[..., Any]
    owner: Behavior
    source: str = ""
    doc: str | None = None
    sealed: bool = False
    primitive: str | None = None  # the primitive's name when the body is `@primitive`
    node: ast.MethodDef | None = None
    builtin: bool = False  # declared in stdlib/ (`>>` may not replace it)
    python: str | None = None  # the generated Python unit, when the method runs as one
    self_first: Callable[..., Any] | None = None  # fn without `rt`: the pyclass attribute

    @property
    def num_args(self) -> int:
        """How many arguments the selector takes."""
        return selector_arity(self.selector)


def selector_arity(selector: str) -> int:
    """0 for unary, 1 for binary, the number of colons for keyword selectors (and 0 for the
    empty name `perform: ''` may give, as `'' asSymbol numArgs` answers)."""
    if not selector or selector[0].isalpha() or selector[0] == "_":
        return selector.count(":")
    return 1


@dataclass(eq=False)
class FieldSpec:
    """A `state:` field: its name and default (a compiled thunk, or None for nil)."""

    name: str
    default: Callable[[], Any] | None = None


class Behavior:
    """What classes and metaclasses share: a method dictionary and a superclass."""

    name: str
    superclass: Behavior | None
    methods: dict[str, Method]

    def lookup(self, selector: str) -> Method | None:
        """The method for `selector`, searching up the superclass chain."""
        behavior: Behavior | None = self
        while behavior is not None:
            method = behavior.methods.get(selector)
            if method is not None:
                return method
            behavior = behavior.next_in_lookup()
        return None

    def next_in_lookup(self) -> Behavior | None:
        return self.superclass

    def includes_behavior(self, other: Behavior) -> bool:
        """Is `other` this behavior or one of its superclasses?"""
        behavior: Behavior | None = self
        while behavior is not None:
            if behavior is other:
                return True
            behavior = behavior.next_in_lookup()
        return False


class BtClass(Behavior):
    """A Beamtalk class.  Redefinition mutates it in place so that it keeps its identity."""

    def __init__(self, name: str, superclass: BtClass | None, kind: str = "value",
                 builtin: bool = False):
        self.name = name
        self.superclass = superclass
        self.kind = kind  # "value" or "actor"
        self.builtin = builtin
        self.modifier: str | None = None  # "abstract" or "sealed"
        self.methods: dict[str, Method] = {}
        self.fields: list[FieldSpec] = []
        self.class_fields: list[FieldSpec] = []
        self.class_values: dict[str, Any] = {}  # classState storage, survives redefinition
        self.doc: str | None = None
        self.subclasses: list[BtClass] = []
        self.cache: dict[str, Any] = {}
        self.pyclass: type | None = None  # Python class of its instances (runtime/pyclasses.py)
        self.meta = Metaclass(self)
        if superclass is not None:
            superclass.subclasses.append(self)

    def chain(self) -> list[BtClass]:
        """This class and its superclasses, this one first."""
        classes = []
        cls: BtClass | None = self
        while cls is not None:
            classes.append(cls)
            cls = cls.superclass
        return classes

    def all_fields(self) -> list[FieldSpec]:
        """Field specs, inherited first, in declaration order."""
        return [f for c in reversed(self.chain()) for f in c.fields]

    def all_field_names(self) -> list[str]:
        """Field names, inherited first, in declaration order."""
        return [f.name for f in self.all_fields()]

    def class_state_owner(self, name: str) -> BtClass | None:
        """The class (this or a superclass) that declares class variable `name`."""
        cls: BtClass | None = self
        while cls is not None:
            if any(f.name == name for f in cls.class_fields):
                return cls
            cls = cls.superclass
        return None

    def new_instance(self, fields: dict[str, Any] | None = None) -> Instance:
        """A bare instance (no checks, no defaults): of `pyclass` once the class has one."""
        return (self.pyclass or Instance)(self, {} if fields is None else fields)

    def __repr__(self) -> str:
        return f"<class {self.name}>"


class Metaclass(Behavior):
    """`Counter class`: holds the class-side methods."""

    def __init__(self, instance_class: BtClass):
        self.instance_class = instance_class
        self.methods: dict[str, Method] = {}
        self.cache: dict[str, Any] = {}
        self.root: BtClass | None = None  # `Class`, where the class side ends

    @property
    def name(self) -> str:  # type: ignore[override]
        return f"{self.instance_class.name} class"

    @property
    def superclass(self) -> Behavior | None:  # type: ignore[override]
        sup = self.instance_class.superclass
        return sup.meta if sup is not None else self.root

    def __repr__(self) -> str:
        return f"<metaclass {self.name}>"


@dataclass(eq=False)
class Instance:
    """An instance of a user (or exception) class; its fields by name."""

    cls: BtClass
    fields: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"<{self.cls.name} {self.fields}>"


@dataclass(eq=False)
class BtBlock:
    """A block closure: `fn(*args)` runs it; `num_args` is its parameter count."""

    fn: Callable[..., Any]
    num_args: int
    mutating: bool = False  # assigns outer variables (may only go to built-in receivers)


class ActorRef:
    """The value that refers to an actor: what `spawn` answers and `self` is inside it."""

    __slots__ = ("actor", "fields")

    def __init__(self, actor: Any):
        self.actor = actor
        self.fields = actor.fields  # compiled `self.x` reads this dict

    @property
    def serial(self) -> int:
        return self.actor.serial
