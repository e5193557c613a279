"""`beamtalk run --dump-python FILE`: the Python generated for a file's methods.

Only the file's definitions are run (classes and `>>`), so nothing else it would do
happens; each method's unit is printed under a comment naming it.  Top-level statements
still run on the closure compiler and are listed as such.
"""

from __future__ import annotations

from typing import Any

from beamtalk.interp.syntax import ast


def method_text(label: str, method: Any) -> str:
    """One method's unit, or why it has none."""
    if method.primitive is not None:
        return f"# {label}: @primitive {method.primitive}\n"
    if method.python is None:
        return f"# {label}: runs on the closure compiler\n"
    return f"# {label}\n{method.python}"


def dump_python(session: Any, module: ast.Module, filename: str) -> tuple[str, str | None]:
    """The generated Python of every method the file defines; and the first error, if any."""
    out: list[str] = []
    for stmt in module.body:
        line = stmt.span.line if stmt.span else 0
        if not isinstance(stmt, (ast.ClassDef, ast.DefineMethod)):
            out.append(f"# {filename}:{line}: top-level statement (closure compiler)\n")
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
