"""The generated functions: one per method, stored block or shared control block.

What each Beamtalk name means is decided once by the resolver (interp/analysis/resolve.py,
which also raises every compile error before code generation starts); the generator
(interp/eval/pygen.py) only records here, per Python function, the lines and names it has
emitted.  A method, top-level statement or field default is one function; a stored block
is a function of its own, made by a factory that receives the values it captures; literal
blocks of control messages share their enclosing function's variables, whether inlined or
made into a nested function that assigns through `nonlocal`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from beamtalk.interp.analysis.scopes import CONTROL_SELECTORS
from beamtalk.interp.syntax import ast

__all__ = ["CONTROL_SELECTORS", "PyFunction", "Unsupported", "is_block"]


def is_block(node: Any, nparams: int = 0) -> bool:
    """A literal block with this many parameters (what the control inliners take)."""
    return isinstance(node, ast.Block) and len(node.params) == nparams


class Unsupported(Exception):
    """Code the generator cannot translate (an interpreter bug: the resolver accepted it)."""


@dataclass(eq=False)
class PyFunction:
    """One generated Python function: a unit's own function, a stored or shared block."""

    kind: str  # "method" (the unit's function, whatever the unit), "stored" or "shared"
    name: str
    lines: list[str] = field(default_factory=list)
    inits: list[str] = field(default_factory=list)  # locals set to nil on entry
    nonlocals: set[str] = field(default_factory=set)
    own: set[str] = field(default_factory=set)  # Python names bound in this function
    free: list[str] = field(default_factory=list)  # outer unassignable names it reads
