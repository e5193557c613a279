"""Resolving a whole source file statically: each top-level statement in order.

Each statement is a unit: a class definition, a `>>` definition, or a statement (whose
top-level variables later statements see).  A unit with a compile error contributes
its diagnostic and nothing else (a class that does not compile is not defined), as
when the file runs.  No runtime is needed: classes come from a ClassTable.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from beamtalk.interp.syntax import ast
from beamtalk.interp.syntax.diagnostics import Diagnostic

from .classtable import ClassTable, stdlib_table
from .declarations import check_class, check_define_method
from .resolve import Resolution, resolve_statement
from .scopes import CompileError


@dataclass
class FileResolution:
    """The resolver's table for a file, its compile errors, and the classes it ends with."""

    resolution: Resolution
    diagnostics: list[Diagnostic] = field(default_factory=list)
    table: ClassTable = field(default_factory=ClassTable)
    failed: set[int] = field(default_factory=set)  # ids of statements with a compile error


def resolve_file(module: ast.Module, filename: str,
                 table: ClassTable | None = None) -> FileResolution:
    """Resolve every top-level statement of a parsed file (classes: the stdlib's by default)."""
    table = (table if table is not None else stdlib_table()).copy()
    out = Resolution()
    result = FileResolution(out, table=table)
    toplevel: dict[str, None] = {}
    for stmt in module.body:
        try:
            if isinstance(stmt, ast.ClassDef):
                check_class(stmt, table, filename, out)
            elif isinstance(stmt, ast.DefineMethod):
                check_define_method(stmt, table, filename, out)
            else:
                resolve_statement(stmt, filename, toplevel, out)
                toplevel.update(dict.fromkeys(out.toplevel_assigned))
        except CompileError as err:
            result.diagnostics.append(err.diagnostic)
            result.failed.add(id(stmt))
    return result
