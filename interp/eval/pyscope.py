"""Which Python name each Beamtalk variable becomes in generated code.

The one adapter between code generation and the name analysis (today
interp/analysis/scopes.py; the rules themselves, and every compile error, stay there:
a method reaches the generator only after the closure compiler's Resolver accepted it).
It mirrors that analysis: a *layout* is a method or a stored block (a Python function
of its own, capturing outer values when it is created); literal blocks of control
messages share their enclosing layout, whether inlined or made into a nested function
that assigns through `nonlocal`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from beamtalk.interp.analysis.scopes import CONTROL_SELECTORS, RESERVED
from beamtalk.interp.syntax import ast

__all__ = ["CONTROL_SELECTORS", "RESERVED", "PyFunction", "PyScope", "Unsupported",
           "contains_return", "is_block"]


def contains_return(node: Any, memo: dict[int, tuple[Any, bool]] | None = None) -> bool:
    """Does a `^` appear anywhere inside this node?

    `memo` (id -> (node, answer)) makes repeated questions about nested blocks linear.
    """
    if isinstance(node, ast.Return):
        return True
    if isinstance(node, (list, tuple)):
        return any(contains_return(n, memo) for n in node)
    if hasattr(node, "__dataclass_fields__"):
        if memo is not None and id(node) in memo:
            return memo[id(node)][1]
        found = any(contains_return(getattr(node, name), memo)
                    for name in node.__dataclass_fields__ if name != "span")
        if memo is not None:
            memo[id(node)] = (node, found)  # holding the node keeps its id unique
        return found
    return False


def is_block(node: Any, nparams: int = 0) -> bool:
    """A literal block with this many parameters (what the control inliners take)."""
    return isinstance(node, ast.Block) and len(node.params) == nparams


class Unsupported(Exception):
    """The generator does not handle this code (the closure compiler runs it instead)."""


@dataclass(eq=False)
class PyFunction:
    """One generated Python function: a method, a stored block or a shared control block."""

    kind: str  # "method", "stored" or "shared"
    name: str
    created_in: PyScope | None = None  # where a block function is made
    lines: list[str] = field(default_factory=list)
    inits: list[str] = field(default_factory=list)  # locals set to nil on entry
    nonlocals: set[str] = field(default_factory=set)
    captures: dict[str, str] = field(default_factory=dict)  # name or "self.x" -> parameter
    own: set[str] = field(default_factory=set)  # Python names bound in this function
    free: list[str] = field(default_factory=list)  # outer unassignable names it reads


@dataclass(eq=False)
class PyScope:
    """The names declared by one method, block or inlined block."""

    fn: PyFunction
    parent: PyScope | None = None  # lexically enclosing scope (None for a layout root)
    names: dict[str, str] = field(default_factory=dict)
    params: frozenset[str] = frozenset()
    control: bool = False
    assigns_outer: bool = False
    outer: PyScope | None = None  # for a stored block's root: the scope it was written in

    def root(self) -> PyScope:
        """The outermost scope of this layout (where assigned names are declared)."""
        scope = self
        while scope.parent is not None:
            scope = scope.parent
        return scope

    def find(self, name: str) -> tuple[PyScope, str] | None:
        """The scope in this layout declaring `name`, and its Python name."""
        scope: PyScope | None = self
        while scope is not None:
            if name in scope.names:
                return scope, scope.names[name]
            scope = scope.parent
        return None

    def mark_assignment(self, owner: PyScope | None) -> None:
        """Control blocks between an assignment and its variable's scope assign outer names."""
        scope: PyScope | None = self
        while scope is not None and scope is not owner:
            if scope.control:
                scope.assigns_outer = True
            scope = scope.parent
