"""`beamtalk check`: every diagnostic of a file without running it.

Syntax errors, then compile errors of each statement and definition (compiled in a
scratch runtime whose top-level variables are declared but never assigned), dropped
collection answers, and unknown capitalized names (warnings: a method may mention a
class defined later, so only names defined nowhere are reported).
"""

from __future__ import annotations

import io
from typing import Any

from beamtalk.interp.syntax import DiagnosticError, ast, parse_module
from beamtalk.interp.syntax.diagnostics import Diagnostic

from .scopes import CompileError
from .warnings import dropped_results, walk


def check_source(source: str, filename: str) -> list[Diagnostic]:
    """All diagnostics of a source file, errors and warnings, in source order."""
    try:
        module = parse_module(source, filename)
    except DiagnosticError as err:
        return err.diagnostics
    from beamtalk.interp.runtime.runtime import Runtime

    rt = Runtime(out=io.StringIO(), err=io.StringIO())
    rt.evaluate_class_state = False
    diagnostics = compile_all(rt, module, filename)
    diagnostics += dropped_results(module, filename)
    diagnostics += unknown_globals(rt, module, filename)
    return sorted(diagnostics, key=lambda d: (d.line, d.col))


def compile_all(rt: Any, module: ast.Module, filename: str) -> list[Diagnostic]:
    """Compile every statement without running any (definitions are installed)."""
    found = []
    for stmt in module.body:
        try:
            if isinstance(stmt, ast.ClassDef):
                rt.define_class(stmt, filename)
            elif isinstance(stmt, ast.DefineMethod):
                if stmt.class_name in rt.classes:
                    rt.define_method(stmt, filename)
            else:
                rt.compiler.compile_top(stmt, filename)
                for node in walk(stmt):
                    if isinstance(node, ast.Assign) and isinstance(node.target, ast.Name):
                        rt.workspace.setdefault(node.target.name, None)
                if isinstance(stmt, ast.Temporaries):
                    for name in stmt.names:
                        rt.workspace.setdefault(name, None)
        except CompileError as err:
            found.append(err.diagnostic)
    return found


def unknown_globals(rt: Any, module: ast.Module, filename: str) -> list[Diagnostic]:
    """Capitalized names that no class (built-in or in this file) answers to."""
    found = []
    for node in walk(module):
        if isinstance(node, ast.Name) and node.name[:1].isupper() and node.name not in rt.classes:
            span = node.span
            found.append(Diagnostic(f"unknown global `{node.name}`", filename,
                                    span.line if span else 0, span.col if span else 0,
                                    len(node.name), "define the class, or check the spelling",
                                    severity="warning"))
    return found
