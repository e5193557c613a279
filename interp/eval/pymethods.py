"""Generated methods: from a method's AST to the Python functions a Method runs.

`generated_unit` runs the generator (interp/eval/pygen.py) and compiles the unit;
`bind_unit` runs a compiled unit for its owner and sets the Method's functions (the
stdlib's units come from the cache in interp/eval/pycache.py).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from types import CodeType
from typing import Any

from beamtalk.interp.runtime.objects import Method
from beamtalk.interp.runtime.pyclasses import install_stubs
from beamtalk.interp.syntax import ast

from .pygen import generate


@dataclass
class Unit:
    """A method's generated Python: source, code, and what binding it needs."""

    source: str
    code: CodeType
    class_values: list[str]  # class variables (their dicts are passed in)
    selectors: list[str]  # sent by attribute (the root pyclass gets stubs)

    def as_tuple(self) -> tuple:
        """The marshallable form (for the stdlib cache)."""
        return (self.source, self.code, self.class_values, self.selectors)


def compile_unit(source: str, selector: str) -> CodeType:
    """The code object of a unit's source."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return compile(source, f"<beamtalk {selector}>", "exec")


def generated_unit(owner: Any, cls: Any, node: ast.MethodDef) -> Unit:
    """Generate and compile a method's unit (raises Unsupported)."""
    source, class_values, selectors = generate(cls, owner is not cls, node)
    return Unit(source, compile_unit(source, node.selector), class_values, selectors)


def bind_unit(rt: Any, py_globals: dict, unit: Unit, method: Method, owner: Any,
              cls: Any) -> None:
    """Run a unit's code for `owner`; the method then runs its functions."""
    space: dict[str, Any] = {}
    exec(unit.code, py_globals, space)  # noqa: S102 - our own generated code
    values = {name: cls.class_state_owner(name).class_values for name in unit.class_values}
    install_stubs(rt, unit.selectors)
    method.fn, method.self_first = space["_unit"](owner, values)
    method.python = unit.source
