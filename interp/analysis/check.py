"""`beamtalk check`: every diagnostic of a file without running it (and without a runtime).

Syntax errors, then the first compile error of each top-level statement and definition
(from the resolver, against the stdlib's classes and the file's own), dropped
collection answers, and unknown capitalized names (warnings: a method may mention a
class defined later, so only names defined nowhere in the file are reported).
"""

from __future__ import annotations

from beamtalk.interp.syntax import DiagnosticError, ast, parse_module
from beamtalk.interp.syntax.diagnostics import Diagnostic
from beamtalk.interp.syntax.parser import gc_paused

from .classtable import ClassTable
from .source_file import resolve_file
from .warnings import dropped_results, walk


def check_source(source: str, filename: str) -> list[Diagnostic]:
    """All diagnostics of a source file, errors and warnings, in source order."""
    with gc_paused():  # the passes build acyclic tables: no need to collect meanwhile
        return _check_source(source, filename)


def _check_source(source: str, filename: str) -> list[Diagnostic]:
    try:
        module = parse_module(source, filename)
    except DiagnosticError as err:
        return err.diagnostics
    resolved = resolve_file(module, filename)
    diagnostics = list(resolved.diagnostics)
    diagnostics += dropped_results(module, filename)
    diagnostics += unknown_globals(resolved.table, module, filename)
    return sorted(diagnostics, key=lambda d: (d.line, d.col))


def unknown_globals(table: ClassTable, module: ast.Module, filename: str) -> list[Diagnostic]:
    """Capitalized names that no class (built-in or in this file) answers to."""
    found = []
    for node in walk(module):
        if isinstance(node, ast.Name) and node.name[:1].isupper() and node.name not in table:
            span = node.span
            found.append(Diagnostic(f"unknown global `{node.name}`", filename,
                                    span.line if span else 0, span.col if span else 0,
                                    len(node.name), "define the class, or check the spelling",
                                    severity="warning"))
    return found
