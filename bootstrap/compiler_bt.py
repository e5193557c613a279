"""Runs compiler_bt (the native compiler, written in Beamtalk) on the interpreter.

compiler_bt's sources are loaded once into one interpreter Session (in the order of
compiler_bt/LOAD_ORDER); its driver, the class `BtCompiler`, is then called with source text
and answers text.  `parse_many` parses many sources in the same session, for the tests.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path
from typing import Any

from beamtalk.interp.session import Session, run_with_big_stack

ROOT = Path(__file__).resolve().parent.parent / "compiler_bt"


class CompilerBtError(Exception):
    """compiler_bt could not be loaded or failed while running (a bug, not a user error)."""


def source_files() -> list[Path]:
    """compiler_bt's source files in load order."""
    names = [ln.strip() for ln in (ROOT / "LOAD_ORDER").read_text(encoding="utf-8").splitlines()]
    return [ROOT / name for name in names if name and not name.startswith("#")]


class CompilerBt:
    """One interpreter session with compiler_bt loaded."""

    def __init__(self) -> None:
        self.session = Session(out=io.StringIO(), err=io.StringIO())
        for path in source_files():
            text = path.read_text(encoding="utf-8")
            for outcome in self.session.run_source(text, str(path)):
                if outcome.failed:
                    raise CompilerBtError(f"{path}:{outcome.line}: {outcome.error_line()}")
        self.driver = self.session.rt.class_named("BtCompiler")

    def call(self, selector: str, *args: Any) -> Any:
        """Send a class-side message to BtCompiler (on the interpreter's big stack)."""

        def go() -> Any:
            result: dict[str, Any] = {}

            def send() -> None:
                result["value"] = self.session.rt.send(self.driver, selector, *args)

            outcome = self.session.guard(send)
            if outcome.failed:
                raise CompilerBtError(f"BtCompiler {selector}: {outcome.error_line()}")
            return result["value"]

        return run_with_big_stack(go)

    def tokens(self, source: str, path: str) -> str:
        """The scanner's token dump (one token per line, then the errors)."""
        return self.call("tokens:path:", source, path)


@functools.lru_cache(maxsize=1)
def shared() -> CompilerBt:
    """The process-wide compiler_bt session (loading it costs a few seconds)."""
    return CompilerBt()


def parse(source: str, path: str) -> tuple[str | None, str]:
    """(sexp text or None, rendered diagnostics) of one source text, from compiler_bt."""
    sexp, diagnostics = shared().call("parse:path:", source, path).items
    return sexp, diagnostics
