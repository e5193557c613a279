"""Generated units: from a resolved AST to the Python functions that run it.

`generated_unit` runs the generator (interp/eval/pygen.py) on a method and compiles the
unit; `bind_unit` runs a compiled unit for its owner and sets the Method's functions (the
stdlib's units come from the cache in interp/eval/pycache.py).  `statement_function`
does the same for a top-level statement or a field default: a function of no arguments.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from types import CodeType
from typing import Any

from beamtalk.interp.analysis.resolve import Resolution
from beamtalk.interp.runtime.objects import Method
from beamtalk.interp.runtime.pyclasses import install_stubs
from beamtalk.interp.syntax import ast

from .pygen import generate, generate_top


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


def generated_unit(owner: Any, cls: Any, node: ast.MethodDef, res: Resolution) -> Unit:
    """Generate and compile a resolved method's unit."""
    source, class_values, selectors = generate(res, cls, owner is not cls, node)
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


def statement_function(rt: Any, py_globals: dict, node: Any, res: Resolution,
                       label: str) -> tuple[Any, str]:
    """A resolved top-level statement or field default as a function of no arguments that
    answers its value; and the unit's source."""
    source, selectors = generate_top(res, node)
    space: dict[str, Any] = {}
    exec(compile_unit(source, label), py_globals, space)  # noqa: S102 - our own generated code
    install_stubs(rt, selectors)
    return space["_m"], source
