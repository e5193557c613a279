"""Scopes: which name is which variable, and the block mutation rule (LANGUAGE.md 2.3, 2.4).

A *layout* is one run-time frame: a method activation, a stored block's activation, or
a top-level statement.  Literal blocks of control messages do not get a layout of their
own: their parameters and temporaries are slots of the enclosing layout, which is what
lets them assign the enclosing method's variables.  A stored block gets its own layout
and *captures* the values of outer variables (and of `self.x` fields) it reads when it
is created; assigning anything outside it is a compile error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
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


@dataclass(eq=False)
class Layout:
    """One run-time frame's slots."""

    kind: str  # "method", "block" (stored) or "top"
    parent: Scope | None = None  # the scope a stored block was written in
    size: int = 0
    captures: dict[str, tuple[int, Callable[[Any], Any]]] = field(default_factory=dict)
    in_class_side: bool = False
    value_class: bool = False

    def new_slot(self) -> int:
        self.size += 1
        return self.size - 1


@dataclass(eq=False)
class Scope:
    """Names declared in one method, block or top-level statement."""

    layout: Layout
    parent: Scope | None = None  # enclosing scope in the same layout (control blocks)
    names: dict[str, int] = field(default_factory=dict)
    params: frozenset[str] = frozenset()
    control: bool = False  # a literal control block sharing the enclosing layout
    assigns_outer: bool = False

    def root(self) -> Scope:
        """The outermost scope of this layout (where new variables are declared)."""
        scope = self
        while scope.parent is not None:
            scope = scope.parent
        return scope

    def declare(self, name: str) -> int:
        slot = self.layout.new_slot()
        self.names[name] = slot
        return slot


class Resolver:
    """Answers compile-time questions about names; raises CompileError for misuse."""

    def __init__(self, filename: str, workspace: dict[str, Any] | None):
        self.filename = filename
        self.workspace = workspace  # top-level variables (None inside methods)
        self.top_assigned: set[str] = set()

    def error(self, node: Any, message: str, hint: str | None = None) -> CompileError:
        return node_error(self.filename, node, message, hint)

    def find_local(self, scope: Scope, name: str) -> tuple[Scope, int] | None:
        """The slot of `name` within this layout, searching enclosing control scopes."""
        s: Scope | None = scope
        while s is not None:
            if name in s.names:
                return s, s.names[name]
            s = s.parent
        return None

    def is_workspace(self, scope: Scope, name: str) -> bool:
        """Is `name` a top-level variable visible from this top-level layout?"""
        return (scope.layout.kind == "top" and self.workspace is not None
                and (name in self.workspace or name in self.top_assigned))
