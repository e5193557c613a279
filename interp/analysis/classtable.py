"""What the compiler may know about classes without a running runtime.

A `ClassTable` maps class names to `ClassInfo`: superclass, kind (value or actor),
modifier, fields, class state and which selectors each side defines (sealed or not,
built-in or not).  The base table comes from the parsed stdlib declarations (parsed
once per process); `beamtalk check` copies it and adds the file's own definitions in
order, so a statement sees the classes defined before it, as at run time.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from importlib import resources

from beamtalk.interp.syntax import ast, parse_module


@dataclass(frozen=True, slots=True)
class MethodFlags:
    """What a definition check needs to know about one method."""

    sealed: bool = False
    builtin: bool = False


@dataclass(frozen=True, slots=True)
class ClassInfo:
    """The static shape of one class (immutable: tables share infos)."""

    name: str
    superclass: str | None
    kind: str  # "value" or "actor"
    modifier: str | None = None  # None, "abstract" or "sealed"
    builtin: bool = False
    fields: tuple[str, ...] = ()
    class_fields: tuple[str, ...] = ()
    methods: dict[str, MethodFlags] = field(default_factory=dict)  # instance side
    class_methods: dict[str, MethodFlags] = field(default_factory=dict)

    def side(self, class_side: bool) -> dict[str, MethodFlags]:
        """The method flags of one side."""
        return self.class_methods if class_side else self.methods


def class_kind(superclass: ClassInfo | None) -> str:
    """A class is an actor class when it descends from Actor (Actor itself is not)."""
    if superclass is not None and (superclass.kind == "actor" or superclass.name == "Actor"):
        return "actor"
    return "value"


class ClassTable:
    """Class name -> ClassInfo, with the lookups that compile errors depend on."""

    def __init__(self, infos: dict[str, ClassInfo] | None = None):
        self.infos: dict[str, ClassInfo] = dict(infos or {})

    def copy(self) -> ClassTable:
        """An independent table (infos are immutable, so sharing them is safe)."""
        return ClassTable(self.infos)

    def get(self, name: str) -> ClassInfo | None:
        """The class named `name`, or None."""
        return self.infos.get(name)

    def __contains__(self, name: str) -> bool:
        return name in self.infos

    def chain(self, name: str | None) -> list[ClassInfo]:
        """The class and its superclasses, the class first (empty for an unknown name)."""
        found = []
        seen: set[str] = set()
        while name is not None and name in self.infos and name not in seen:
            seen.add(name)
            info = self.infos[name]
            found.append(info)
            name = info.superclass
        return found

    def field_names(self, name: str) -> list[str]:
        """Instance field names, inherited first, in declaration order."""
        return [f for info in reversed(self.chain(name)) for f in info.fields]

    def class_state_names(self, name: str) -> list[str]:
        """Class-state names of this class and its superclasses (nearest first)."""
        return [f for info in self.chain(name) for f in info.class_fields]

    def lookup(self, name: str | None, class_side: bool, selector: str,
               ) -> tuple[str, MethodFlags] | None:
        """The nearest definition of `selector` on one side, starting at class `name`.

        Answers the owner's name (`Counter` or `Counter class`) and the method's flags.
        The class side ends in the instance side of `Class` (and so of Object), as at run
        time: every class answers the class protocol.
        """
        for info in self.chain(name):
            flags = info.side(class_side).get(selector)
            if flags is not None:
                return info.name + (" class" if class_side else ""), flags
        if class_side:
            return self.lookup("Class", False, selector)
        return None

    def find_sealed(self, name: str, class_side: bool, selector: str) -> str | None:
        """The owner above class `name` whose method for `selector` is sealed, if any."""
        info = self.infos.get(name)
        if info is None:
            return None
        if info.superclass is None:
            found = self.lookup("Class", False, selector) if class_side else None
        else:
            found = self.lookup(info.superclass, class_side, selector)
        return found[0] if found is not None and found[1].sealed else None

    def define(self, info: ClassInfo) -> None:
        """Add or replace a class."""
        self.infos[info.name] = info

    def add_method(self, name: str, class_side: bool, selector: str, sealed: bool) -> None:
        """Record a method added with `>>` (copying the info: tables share infos)."""
        info = self.infos[name]
        methods = {**info.side(class_side), selector: MethodFlags(sealed, False)}
        self.infos[name] = replace(info, **{"class_methods" if class_side else "methods":
                                           methods})


def info_from_definition(node: ast.ClassDef, superclass: ClassInfo | None,
                         builtin: bool) -> ClassInfo:
    """The ClassInfo a (valid) class definition creates."""
    fields: list[str] = []
    class_fields: list[str] = []
    methods: dict[str, MethodFlags] = {}
    class_methods: dict[str, MethodFlags] = {}
    for member in node.members:
        if isinstance(member, ast.StateDecl):
            (class_fields if member.class_side else fields).extend(d.name for d in member.fields)
        else:
            side = class_methods if member.class_side else methods
            side[member.selector] = MethodFlags(member.sealed, builtin)
    return ClassInfo(node.name, None if node.superclass == "nil" else node.superclass,
                     class_kind(superclass), node.modifier, builtin, tuple(fields),
                     tuple(class_fields), methods, class_methods)


@functools.lru_cache(maxsize=1)
def stdlib_table() -> ClassTable:
    """The built-in classes, from the stdlib/*.bt declarations (parsed once per process)."""
    folder = resources.files("beamtalk.stdlib")
    nodes: dict[str, ast.ClassDef] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".bt"):
            module = parse_module(entry.read_text(encoding="utf-8"), f"stdlib/{entry.name}")
            for stmt in module.body:
                if isinstance(stmt, ast.ClassDef):
                    nodes[stmt.name] = stmt
    table = ClassTable()

    def visit(name: str) -> None:  # superclass first: a class's kind depends on it
        if name in table or name not in nodes:
            return
        node = nodes[name]
        visit(node.superclass)
        table.define(info_from_definition(node, table.get(node.superclass), builtin=True))

    for name in sorted(nodes):
        visit(name)
    return table
