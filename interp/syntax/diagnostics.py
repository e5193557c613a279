"""Diagnostics: positioned errors and warnings, rendered with the source line and a caret."""

from __future__ import annotations

import functools
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem in a source file, at a 1-based line and column."""

    message: str
    filename: str
    line: int
    col: int
    length: int = 1
    hint: str | None = None
    severity: str = "error"  # "error" or "warning"

    def header(self) -> str:
        """The one-line form `file:line:col: error: message`."""
        return f"{self.filename}:{self.line}:{self.col}: {self.severity}: {self.message}"

    def render(self, source: str | None = None) -> str:
        """The header, then the source line with the span underlined, then the hint."""
        out = [self.header()]
        text = source_line(source, self.line) if source is not None else None
        if text is not None:
            text, col = excerpt(text.expandtabs(8), self.col)
            gutter = f"{self.line} | "
            width = max(1, min(self.length, len(text) - col + 1))
            out.append(gutter + text)
            out.append(" " * (len(gutter) + col - 1) + "^" * width)
        if self.hint:
            out.append(f"hint: {self.hint}")
        return "\n".join(out)


# A line longer than EXCERPT_LIMIT is shown as the EXCERPT_CONTEXT characters on each side
# of the column, with `...` for what is cut (a generated line can be megabytes long).
# compiler_bt/BtDiagnostic.bt renders the same way: `check` prints alike on both.
EXCERPT_LIMIT = 200
EXCERPT_CONTEXT = 80


def excerpt(text: str, col: int) -> tuple[str, int]:
    """The part of a (tab-expanded) line to show around 1-based `col`, and col within it."""
    if len(text) <= EXCERPT_LIMIT:
        return text, col
    start = max(0, col - 1 - EXCERPT_CONTEXT)
    end = min(len(text), col - 1 + EXCERPT_CONTEXT)
    prefix = "..." if start > 0 else ""
    suffix = "..." if end < len(text) else ""
    return prefix + text[start:end] + suffix, col - start + len(prefix)


def source_line(source: str, line: int) -> str | None:
    """The text of a 1-based line (as `splitlines` counts them), or None past the end."""
    lines = _lines(source)
    return lines[line - 1] if 1 <= line <= len(lines) else None


@functools.lru_cache(maxsize=2)
def _lines(source: str) -> tuple[str, ...]:
    # Cached: a file with many diagnostics renders each against the same text.
    return tuple(source.splitlines())


class DiagnosticError(Exception):
    """Raised when source cannot be parsed (or compiled); carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic], source: str | None = None):
        self.diagnostics = list(diagnostics)
        self.source = source
        super().__init__(self.diagnostics[0].header() if self.diagnostics else "error")

    @property
    def first(self) -> Diagnostic:
        """The earliest diagnostic (what a one-line report shows)."""
        return self.diagnostics[0]

    def render(self) -> str:
        """All diagnostics, each with its source excerpt."""
        return "\n".join(d.render(self.source) for d in self.diagnostics)
