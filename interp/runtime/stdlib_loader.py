"""Loading the standard library: `stdlib/*.bt` declarations bound to this backend's primitives.

The files are parsed once per process (ASTs are immutable) and compiled into each new
Runtime.  Classes are defined superclass-first, whatever the file order.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

from beamtalk.interp.syntax import ast, parse_module

from .definitions import define_class
from .objects import BtBlock, Method
from .primitives import PRIMITIVES
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

# Python type -> the name of the built-in class of its values.
TYPE_CLASSES = {
    type(None): "UndefinedObject", int: "Integer", float: "Float", str: "String",
    Symbol: "Symbol", Character: "Character", BtList: "List", BtTuple: "Tuple",
    BtDict: "Dictionary", BtSet: "Set", Interval: "Interval", Association: "Association",
    BtBlock: "Block", BtMessage: "Message", Method: "CompiledMethod",
}


@functools.lru_cache(maxsize=1)
def stdlib_definitions() -> tuple[tuple[str, ast.ClassDef | ast.DefineMethod], ...]:
    """Every definition in stdlib/, as (filename, node), classes ordered superclass-first."""
    folder = resources.files("beamtalk.stdlib")
    classes: dict[str, tuple[str, ast.ClassDef]] = {}
    extras: list[tuple[str, Any]] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".bt"):
            continue
        filename = f"stdlib/{entry.name}"
        module = parse_module(entry.read_text(encoding="utf-8"), filename)
        for stmt in module.body:
            if isinstance(stmt, ast.ClassDef):
                classes[stmt.name] = (filename, stmt)
            else:
                extras.append((filename, stmt))
    ordered: list[tuple[str, Any]] = []
    done: set[str] = set()

    def visit(name: str) -> None:
        if name in done or name not in classes:
            return
        done.add(name)
        visit(classes[name][1].superclass)
        ordered.append(classes[name])

    for name in sorted(classes):
        visit(name)
    return tuple(ordered + extras)


def load_stdlib(rt: Any) -> None:
    """Define every built-in class in a fresh runtime."""
    for filename, node in stdlib_definitions():
        if isinstance(node, ast.ClassDef):
            cls = define_class(rt, node, filename, builtin=True, primitives=PRIMITIVES)
            if node.name == "Class":
                rt.class_root = cls
                for behavior in rt.behaviors:
                    if hasattr(behavior, "instance_class"):
                        behavior.root = cls
        else:
            raise TypeError(f"{filename}: only class definitions belong in stdlib/")
    classes = rt.classes
    rt.type_classes.update({kind: classes[name] for kind, name in TYPE_CLASSES.items()})
    rt.true_class = classes["True"]
    rt.false_class = classes["False"]
    rt.metaclass_class = classes["Metaclass"]
    for behavior in rt.behaviors:
        if hasattr(behavior, "instance_class"):
            behavior.root = rt.class_root
    rt.compiler.stdlib_loaded()
