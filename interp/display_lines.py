"""The lines the REPL and the runners show for an uncaught error and for a failed display
(LANGUAGE.md 3.4, 4), on either backend."""

from __future__ import annotations


def error_line(kind: str, text: str | None) -> str:
    """`ERROR: kind: text`, or `ERROR: kind` when there is no text (None or empty)."""
    return f"ERROR: {kind}: {text}" if text else f"ERROR: {kind}"


def print_failure(kind: str, text: str | None) -> str:
    """What the REPL and the runner show for a value whose printString failed or answered no
    String: the statement itself succeeded (its assignments stand), only its display did not."""
    return f"<printString failed: {error_line(kind, text)}>"
