"""The compiler's entry points: resolve a unit, then run it as generated Python.

Every unit (a method, a top-level statement, a field default) is resolved first
(interp/analysis/resolve.py decides what every name and block is and raises the unit's
compile error), then translated to Python source from the resolver's table
(interp/eval/pygen.py) and compiled.  The stdlib's method units come from a cache of
their compiled code (interp/eval/pycache.py), so they are neither resolved nor
generated again on start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from beamtalk.interp.analysis.resolve import (
    ClassView,
    resolve_default,
    resolve_method,
    resolve_statement,
)
from beamtalk.interp.analysis.scopes import node_error
from beamtalk.interp.runtime.objects import Behavior, BtClass, Method
from beamtalk.interp.syntax import ast

from . import pycache
from .pymethods import Unit, bind_unit, generated_unit, statement_function
from .pysupport import support_globals

# What compile() says about code nested deeper than CPython's own limits (loops and
# handlers nest 20 deep, indentation 100 levels): the unit is too deep, not broken.
TOO_DEEP = (SyntaxError, RecursionError, MemoryError)

T = TypeVar("T")


class Compiler:
    """Compiles statements, methods and field defaults for one runtime."""

    def __init__(self, rt: Any):
        self.rt = rt
        self.py_globals = support_globals(rt)
        self.new_units: dict = {}  # stdlib units generated here, not yet in the cache

    def compile_top(self, stmt: Any, filename: str) -> Callable[[], Any]:
        """A top-level statement as a thunk (the workspace holds top-level variables)."""
        rt = self.rt
        if isinstance(stmt, ast.ClassDef):
            return lambda: rt.define_class(stmt, filename)
        if isinstance(stmt, ast.DefineMethod):
            return lambda: rt.define_method(stmt, filename)
        res = resolve_statement(stmt, filename, rt.workspace)
        if isinstance(stmt, ast.Temporaries):
            names = stmt.names

            def declare() -> None:
                for n in names:
                    rt.workspace.setdefault(n, None)

            return declare
        fn, _ = translated(filename, stmt, lambda: statement_function(
            rt, self.py_globals, stmt, res, "top-level"))
        return fn

    def compile_method(self, owner: Behavior, cls: BtClass, node: ast.MethodDef,
                       filename: str, primitive: Callable | None = None) -> Method:
        """A method of `cls` (instance side, or class side when owner is the metaclass)."""
        class_side = owner is not cls
        key = (cls.name, class_side, node.selector)
        stdlib = cls.builtin and filename.startswith("stdlib/")
        hit = pycache.stdlib_units().get(key) if stdlib and primitive is None else None
        # The stdlib's methods resolve (tests/test_resolve.py): its primitives and cached
        # units are bound without another walk.
        res = None if stdlib and (hit is not None or primitive is not None) else \
            resolve_method(node, class_view(cls), class_side, filename)
        if primitive is not None:
            return Method(node.selector, primitive, owner, node.source, node.doc, node.sealed,
                          primitive=getattr(primitive, "__name__", node.selector), node=node)
        if hit is not None:
            unit = Unit(*hit)
        else:
            unit = translated(filename, node, lambda: generated_unit(owner, cls, node, res))
            if stdlib:
                self.new_units[key] = unit.as_tuple()
        method = Method(node.selector, None, owner, node.source, node.doc,  # type: ignore
                        node.sealed, node=node)
        bind_unit(self.rt, self.py_globals, unit, method, owner, cls)
        return method

    def stdlib_loaded(self) -> None:
        """The stdlib is defined: cache the units generated for it this time, if any."""
        if self.new_units:
            pycache.save({**pycache.stdlib_units(), **self.new_units})
            pycache.stdlib_units.cache_clear()  # the next Runtime reads the complete table
            self.new_units = {}

    def compile_default(self, expr: Any, filename: str) -> Callable[[], Any]:
        """A field default: evaluated at instantiation, without `self`."""
        res = resolve_default(expr, filename)
        fn, _ = translated(filename, expr, lambda: statement_function(
            self.rt, self.py_globals, expr, res, "default"))
        return fn


def class_view(cls: BtClass) -> ClassView:
    """What the resolver sees of a runtime class: kind, fields and class-state names."""
    return ClassView(cls.name, cls.kind, frozenset(cls.all_field_names()),
                     frozenset(f.name for c in cls.chain() for f in c.class_fields))


def translated(filename: str, node: Any, generate: Callable[[], T]) -> T:
    """generate()'s answer; a unit nested deeper than the host compiler allows is a compile
    error of `node`."""
    try:
        return generate()
    except TOO_DEEP:
        raise node_error(filename, node, "expression nested too deeply to compile",
                         "split it into smaller statements or methods", underline=False) from None
