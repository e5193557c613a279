"""Generated methods: from a method's AST to the Python function a Method runs.

`generated_function` runs the generator (interp/eval/pygen.py), compiles the unit and
binds it to its owner; `unit_function` does the binding for a unit compiled earlier
(the stdlib's units come from the cache in interp/eval/pycache.py).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from types import CodeType
from typing import Any

from beamtalk.interp.syntax import ast

from .pygen import generate


def compile_unit(source: str, selector: str) -> CodeType:
    """The code object of a unit's source."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return compile(source, f"<beamtalk {selector}>", "exec")


def unit_function(py_globals: dict, code: CodeType, owner: Any, cls: Any,
                  class_values: list[str]) -> Callable[..., Any]:
    """Run a unit's code: answer the method function bound to `owner`."""
    space: dict[str, Any] = {}
    exec(code, py_globals, space)  # noqa: S102 - our own generated code
    values = {name: cls.class_state_owner(name).class_values for name in class_values}
    return space["_unit"](owner, values)


def generated_function(py_globals: dict, owner: Any, cls: Any, node: ast.MethodDef,
                       ) -> tuple[Callable[..., Any], str, CodeType, list[str]]:
    """The Python function for a method (raises Unsupported), its source and code."""
    source, class_values = generate(cls, owner is not cls, node)
    code = compile_unit(source, node.selector)
    return unit_function(py_globals, code, owner, cls, class_values), source, code, class_values
