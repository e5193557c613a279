"""Runs compiler_bt (the native compiler, written in Beamtalk) on the interpreter.

compiler_bt's sources are loaded once into one interpreter Session (in the order of
compiler_bt/LOAD_ORDER); its driver, the class `BtCompiler`, is then called with source text
and answers text.  `parse_many` parses many sources in the same session, for the tests.
"""

from __future__ import annotations

import collections
import functools
import io
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from beamtalk.interp.runtime.values import BtList, BtTuple

ROOT = Path(__file__).resolve().parent.parent / "compiler_bt"
TREE_CACHE_SIZE = 64


class CompilerBtError(Exception):
    """compiler_bt could not be loaded or failed while running (a bug, not a user error)."""


def source_files() -> list[Path]:
    """compiler_bt's source files in load order."""
    names = [ln.strip() for ln in (ROOT / "LOAD_ORDER").read_text(encoding="utf-8").splitlines()]
    return [ROOT / name for name in names if name and not name.startswith("#")]


class CompilerBt:
    """One interpreter session with compiler_bt loaded."""

    def __init__(self) -> None:
        # lazy: the native backend imports this module for its error class alone (start-up)
        from beamtalk.interp.session import Session

        self.session = Session(out=io.StringIO(), err=io.StringIO())
        for path in source_files():
            text = path.read_text(encoding="utf-8")
            for outcome in self.session.run_source(text, str(path)):
                if outcome.failed:
                    raise CompilerBtError(f"{path}:{outcome.line}: {outcome.error_line()}")
        self.driver = self.session.rt.class_named("BtCompiler")
        # The last few syntax trees, by (text, path, first line): the tests ask for the sexp
        # form, the resolved form and the check of one file, and parsing costs the most.
        self.trees: collections.OrderedDict[tuple[str, str, int], Any] = (
            collections.OrderedDict())

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

        # lazy: the native backend imports this module for its error class alone (start-up)
        from beamtalk.interp.session import run_with_big_stack

        return run_with_big_stack(go)

    @functools.cached_property
    def stdlib_session(self) -> Any:
        """The resolver's starting session: the stdlib's classes (parsed by compiler_bt once)."""
        folder = ROOT.parent / "stdlib"
        sources = BtList(BtTuple((p.read_text(encoding="utf-8"), f"stdlib/{p.name}"))
                         for p in sorted(folder.glob("*.bt"), key=lambda p: p.name))
        return self.call("stdlibSession:", sources)

    def tree(self, source: str, path: str, first_line: int = 1) -> Any:
        """compiler_bt's `syntaxTree:path:firstLine:` answer for a text (cached)."""
        key = (source, path, first_line)
        found = self.trees.get(key)
        if found is None:
            found = self.call("syntaxTree:path:firstLine:", source, path, first_line)
            self.trees[key] = found
            if len(self.trees) > TREE_CACHE_SIZE:
                self.trees.popitem(last=False)
        else:
            self.trees.move_to_end(key)
        return found

    def tokens(self, source: str, path: str) -> str:
        """The scanner's token dump (one token per line, then the errors)."""
        return self.call("tokens:path:", source, path)


@functools.lru_cache(maxsize=1)
def shared() -> CompilerBt:
    """The process-wide compiler_bt session (loading it costs a few seconds)."""
    return CompilerBt()


def parse(source: str, path: str, first_line: int = 1) -> tuple[str | None, str]:
    """(sexp text or None, rendered diagnostics) of one source text, from compiler_bt."""
    bt = shared()
    tree = bt.tree(source, path, first_line)
    sexp, diagnostics = bt.call("sexpOf:source:", tree, source).items
    return sexp, diagnostics


def resolved(source: str, path: str) -> tuple[str | None, str]:
    """(`--format resolved` text or None, rendered diagnostics) of a file, from compiler_bt."""
    bt = shared()
    tree = bt.tree(source, path)
    text, diagnostics = bt.call("resolvedOf:source:path:session:", tree, source, path,
                                bt.stdlib_session).items
    return text, diagnostics


def check(source: str, path: str) -> str:
    """Every diagnostic of a file rendered as `beamtalk check` prints it, from compiler_bt."""
    bt = shared()
    return bt.call("checkOf:source:path:session:", bt.tree(source, path), source, path,
                   bt.stdlib_session)


def resolved_statements(items: list[tuple[str, int]], path: str,
                        ) -> list[tuple[str | None, str]]:
    """`resolved` of the statements of one session, (text, first line) each, in order."""
    bt = shared()
    trees = BtList(BtTuple((bt.tree(text, path, line), text, line)) for text, line in items)
    answer = bt.call("resolvedStatementTrees:path:session:", trees, path, bt.stdlib_session)
    return [tuple(entry.items) for entry in answer.items]  # type: ignore[misc]


def parse_many(items: list[tuple[str, str, int]]) -> list[tuple[str | None, str]]:
    """`parse` of many (source, path, first line) triples in the one shared session."""
    return [parse(source, path, first_line) for source, path, first_line in items]


def method_sources(source: str, path: str) -> list[str]:
    """The `source` text of every method compiler_bt finds in a file, in order."""
    return list(shared().call("methodSources:path:", source, path).items)


def cmd_parse_bt(path: str, fmt: str, read_source: Callable[[str], str]) -> int:
    """`beamtalk parse --compiler bt FILE --format sexp|resolved`: print compiler_bt's result."""
    if fmt not in ("sexp", "resolved"):
        print(f"beamtalk parse --compiler bt: --format {fmt} is not implemented yet "
              "(only sexp and resolved)", file=sys.stderr)
        return 2
    source = read_source(path)
    try:
        sexp, diagnostics = (resolved if fmt == "resolved" else parse)(source, path)
    except CompilerBtError as exc:
        print(f"beamtalk parse --compiler bt: compiler_bt failed: {exc}", file=sys.stderr)
        return 2
    if diagnostics:
        print(diagnostics, file=sys.stderr)
        return 1
    print(sexp)
    return 0
