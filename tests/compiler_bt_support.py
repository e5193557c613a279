"""Shared helpers of the compiler_bt differential tests: both front ends on one text."""

from __future__ import annotations

from beamtalk.bootstrap import compiler_bt
from beamtalk.interp.syntax import DiagnosticError, parse_module
from beamtalk.interp.syntax.astdump import to_sexp


def python_front_end(source: str, path: str, first_line: int = 1) -> tuple[str | None, str]:
    """What `beamtalk parse FILE --format sexp` prints: (sexp or None, rendered diagnostics)."""
    try:
        return to_sexp(parse_module(source, path, first_line)), ""
    except DiagnosticError as err:
        return None, err.render()


def assert_same(source: str, path: str = "<input>", first_line: int = 1) -> None:
    """Both front ends print the same s-expression and the same diagnostics."""
    expected = python_front_end(source, path, first_line)
    actual = compiler_bt.parse(source, path, first_line)
    assert actual == expected, f"front ends differ on {path}:\n{source}"


def assert_same_first_diagnostic(source: str, path: str = "<input>") -> None:
    """Both accept (with the same tree) or both report the same first diagnostic."""
    sexp, diags = python_front_end(source, path)
    bt_sexp, bt_diags = compiler_bt.parse(source, path)
    if sexp is not None or bt_sexp is not None:
        assert (bt_sexp, bt_diags) == (sexp, diags), source
    else:
        assert first_block(bt_diags) == first_block(diags), source


def first_block(rendered: str) -> str:
    """The first diagnostic of a rendering (its header line, excerpt and hint)."""
    lines = rendered.splitlines()
    out = lines[:1]
    for line in lines[1:]:
        if ": error: " in line or ": warning: " in line:
            break
        out.append(line)
    return "\n".join(out)


def python_resolved(source: str, path: str) -> tuple[str | None, str]:
    """What `beamtalk parse FILE --format resolved` prints: (text or None, diagnostics)."""
    from beamtalk.interp.analysis.resolved_form import resolved_sexp
    from beamtalk.interp.analysis.source_file import resolve_file

    try:
        module = parse_module(source, path)
    except DiagnosticError as err:
        return None, err.render()
    result = resolve_file(module, path)
    if result.diagnostics:
        return None, "\n".join(d.render(source) for d in result.diagnostics)
    return "\n".join(resolved_sexp(s, result.resolution) for s in module.body), ""


def assert_same_resolved(source: str, path: str = "<input>") -> None:
    """Both resolvers print the same resolved form and the same diagnostics."""
    expected = python_resolved(source, path)
    actual = compiler_bt.resolved(source, path)
    assert actual == expected, f"resolvers differ on {path}:\n{source}"


def python_resolved_statements(items: list[tuple[str, int]], path: str,
                               ) -> list[tuple[str | None, str]]:
    """The Python resolver on a session's statements: what `resolved_statements` answers."""
    from beamtalk.interp.analysis.classtable import stdlib_table
    from beamtalk.interp.analysis.declarations import check_class, check_define_method
    from beamtalk.interp.analysis.resolve import Resolution, resolve_statement
    from beamtalk.interp.analysis.resolved_form import resolved_sexp
    from beamtalk.interp.analysis.scopes import CompileError
    from beamtalk.interp.syntax import ast

    table = stdlib_table().copy()
    toplevel: dict[str, None] = {}
    out: list[tuple[str | None, str]] = []
    for text, first_line in items:
        source = "\n" * (first_line - 1) + text  # excerpts come from the text at its line
        try:
            module = parse_module(text, path, first_line)
        except DiagnosticError as err:
            out.append((None, "\n".join(d.render(source) for d in err.diagnostics)))
            continue
        res = Resolution()
        errors = []
        for stmt in module.body:
            try:
                if isinstance(stmt, ast.ClassDef):
                    check_class(stmt, table, path, res)
                elif isinstance(stmt, ast.DefineMethod):
                    check_define_method(stmt, table, path, res)
                else:
                    resolve_statement(stmt, path, toplevel, res)
                    toplevel.update(dict.fromkeys(res.toplevel_assigned))
            except CompileError as err:
                errors.append(err.diagnostic.render(source))
        if errors:
            out.append((None, "\n".join(errors)))
        else:
            out.append(("\n".join(resolved_sexp(s, res) for s in module.body), ""))
    return out


def python_check(source: str, path: str) -> str:
    """What `beamtalk check FILE` prints (without the final newline)."""
    from beamtalk.interp.analysis.check import check_source

    return "\n".join(d.render(source) for d in check_source(source, path))


def assert_same_check(source: str, path: str = "<input>") -> None:
    """Both report the same errors and warnings, in the same order, rendered alike."""
    assert compiler_bt.check(source, path) == python_check(source, path), path
