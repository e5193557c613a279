"""`beamtalk run --dump-python FILE`: the Python generated for a file's methods.

Only the file's definitions are run (classes and `>>`), so nothing else it would do
happens; each method's unit is printed under a comment naming it, and so is each
top-level statement's unit (resolved against the top-level variables the statements
before it assign, without running it).
"""

from __future__ import annotations

from typing import Any

from beamtalk.interp.analysis.resolve import resolve_statement
from beamtalk.interp.analysis.scopes import CompileError
from beamtalk.interp.syntax import ast

from .pygen import generate_top


def method_text(label: str, method: Any) -> str:
    """One method's unit, or why it has none."""
    if method.primitive is not None:
        return f"# {label}: @primitive {method.primitive}\n"
    return f"# {label}\n{method.python}"


def dump_python(session: Any, module: ast.Module, filename: str) -> tuple[str, str | None]:
    """The generated Python of every method the file defines; and the first error, if any."""
    out: list[str] = []
    toplevel = dict.fromkeys(session.rt.workspace)
    for stmt in module.body:
        line = stmt.span.line if stmt.span else 0
        if isinstance(stmt, ast.Temporaries):
            toplevel.update(dict.fromkeys(stmt.names))
            continue
        if not isinstance(stmt, (ast.ClassDef, ast.DefineMethod)):
            try:
                res = resolve_statement(stmt, filename, toplevel)
            except CompileError as err:
                return "\n".join(out), f"{filename}:{line}: ERROR: compile_error: {err}"
            toplevel.update(dict.fromkeys(res.toplevel_assigned))
            out.append(f"# {filename}:{line}: top-level statement\n"
                       f"{generate_top(res, stmt)[0]}")
            continue
        outcome = session.execute(stmt, filename)
        if outcome.failed:
            return "".join(out), f"{filename}:{line}: {outcome.error_line()}"
        if isinstance(stmt, ast.DefineMethod):
            method = outcome.value
            out.append(method_text(f"{filename}:{line}: {method.owner.name}>>{method.selector}",
                                   method))
            continue
        cls = outcome.value
        for member in stmt.members:
            if isinstance(member, ast.MethodDef):
                owner = cls.meta if member.class_side else cls
                where = f"{filename}:{member.span.line if member.span else line}"
                out.append(method_text(f"{where}: {owner.name}>>{member.selector}",
                                       owner.methods[member.selector]))
    return "\n".join(out), None
