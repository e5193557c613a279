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
