"""What the scope rules share (LANGUAGE.md 2.3, 2.4): control selectors, reserved names,
and the compile error they raise (the rules themselves are interp/analysis/resolve.py)."""

from __future__ import annotations

from typing import Any

from beamtalk.interp.syntax.diagnostics import Diagnostic

# Selectors whose literal block arguments (and receivers) may assign outer variables.
CONTROL_SELECTORS = frozenset("""
ifTrue: ifFalse: ifTrue:ifFalse: ifFalse:ifTrue: and: or: ifNil: ifNotNil: ifNil:ifNotNil:
ifNotNil:ifNil: ifEmpty: ifNotEmpty: whileTrue: whileFalse: whileTrue whileFalse repeat
timesRepeat: to:do: to:by:do: do: doWithIndex: keysAndValuesDo: keysDo: valuesDo: reverseDo:
collect: select: reject: detect: detect:ifNone: inject:into: count: anySatisfy: allSatisfy:
flatMap: groupBy: sort: sortBy: with:collect: at:ifAbsent: on:do: ensure: ifCurtailed: value
value: value:value:
""".split())

RESERVED = frozenset({"self", "super", "nil", "true", "false", "thisContext"})


class CompileError(Exception):
    """A semantic error found while compiling; carries a diagnostic."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def node_error(filename: str, node: Any, message: str, hint: str | None = None,
               underline: bool = True) -> CompileError:
    """A compile error at a node: its whole span underlined when on one line, else a caret.

    Definition errors (duplicate names, sealed, superclass) point at one character
    (`underline=False`).
    """
    span = getattr(node, "span", None)
    if span is None:
        return CompileError(Diagnostic(message, filename, 0, 0, 1, hint))
    length = max(1, span.end_col - span.col) if underline and span.end_line == span.line else 1
    return CompileError(Diagnostic(message, filename, span.line, span.col, length, hint))
