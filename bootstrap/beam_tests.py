"""`beamtalk test --backend beam`: the TestCase runner (bootstrap/testrunner.py) on the BEAM.

One node serves every file (reset before each, as conformance cases are).  A file is split
into statements as a conformance case is (interp/syntax/conformance_cases.py), compiled in one
call (by the native compiler when `beamtalk bootstrap` has built it, else stage 0) and run
statement by statement; then `TestCase testClasses` and each
`Cls runTest: #selector` run as statements of their own, so Transcript text and warnings come
out test by test, in the order the interpreter writes them.  The failure line of a test is
the line of its method in the file (found with the Python front end: the node does not know
source lines).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, TextIO

from beamtalk.bootstrap import stage0
from beamtalk.bootstrap.beam_node import NodeFailed
from beamtalk.bootstrap.beam_session import BeamOutcome, BeamSession, string_value
from beamtalk.bootstrap.erlang import ErlangUnavailable
from beamtalk.bootstrap.source_files import SourceUnreadable, read_source
from beamtalk.bootstrap.testrunner import LineStart, find_files, run_all
from beamtalk.interp.session import run_with_big_stack
from beamtalk.interp.syntax import DiagnosticError, parse_module
from beamtalk.interp.syntax import ast as bt_ast
from beamtalk.interp.syntax.conformance_cases import read_case

# The runner's own statements are compiled under this name (their cache entries are shared
# by every file with the same class and selector names).
RUNNER_PATH = "<beamtalk test>"
DISCOVER = ("(TestCase testClasses collect: [:c |\n"
            "  ((c testSelectors collect: [:s | s asString]) addFirst: c name) join: ' '])\n"
            "  join: ';'")


def run_beam_tests(paths: list[str], out: TextIO | None = None,
                   err: TextIO | None = None) -> int:
    """`run_tests` on the BEAM: the same output and exit status (2 when the node or the
    compiler cannot run)."""
    line_out = LineStart(out if out is not None else sys.stdout)
    err = err if err is not None else sys.stderr
    try:
        session = BeamSession()
    except (ErlangUnavailable, stage0.compiler_bt.CompilerBtError) as exc:
        print(f"beamtalk test: {exc}", file=err)
        return 2
    with session:
        def go() -> int:
            return run_all(find_files(paths), lambda path: BeamFile(path, session, line_out, err),
                           line_out)

        try:
            return run_with_big_stack(go)
        except stage0.compiler_bt.CompilerBtError as exc:
            line_out.flush()
            print(f"beamtalk test: compiler_bt failed: {exc}", file=err)
            return 2
        except SystemExit:  # `System exit:` halted the node (BeamSession.run_unit)
            line_out.flush()
            raise
        except NodeFailed as exc:
            line_out.flush()
            print(f"beamtalk test: the node failed: {exc}", file=err)
            return 2


class BeamFile:
    """A file's tests on the session's node (reset first)."""

    def __init__(self, path: Path, session: BeamSession, out: LineStart, err: TextIO):
        self.path = path
        self.session = session
        self.out = out
        self.err = err
        self.plan: dict[str, list[str]] = {}
        self.methods: dict[str, tuple[str, dict[str, int]]] = {}  # class: (superclass, lines)
        session.reset()

    def load(self) -> str | None:
        """Parse (the interpreter's diagnostics), compile, run each statement."""
        try:
            source = read_source(str(self.path))
        except SourceUnreadable as exc:
            return f"{exc}"
        try:
            module = parse_module(source, str(self.path))
        except DiagnosticError as exc:
            return exc.render()
        self.note_methods(module)
        chunks = read_case(source, str(self.path)).chunks
        starts = [stmt.span.line for stmt in module.body if stmt.span]
        items = [(chunk.source, chunk.line, str(self.path)) for chunk in chunks]
        entries = self.session.compile(items)
        for chunk, entry in zip(chunks, entries):
            if entry.error is not None:
                if entry.error_kind == "syntax_error":
                    return entry.error
                line = min((n for n in starts if n >= chunk.line), default=chunk.line)
                return f"{self.path}:{line}: ERROR: {entry.error_kind}: {entry.error_text}"
            for unit in entry.units:
                outcome = self.run(unit)
                if outcome.failed:
                    return f"{self.path}:{unit.line}: {outcome.error_line()}"
        return None

    def note_methods(self, module: bt_ast.Module) -> None:
        """Where each instance method of the file's classes is defined (the last definition)."""
        for stmt in module.body:
            if isinstance(stmt, bt_ast.ClassDef):
                lines = {m.selector: m.span.line for m in stmt.members
                         if isinstance(m, bt_ast.MethodDef) and not m.class_side and m.span}
                self.methods[stmt.name] = (stmt.superclass, lines)
            elif isinstance(stmt, bt_ast.DefineMethod) and not stmt.method.class_side:
                span = stmt.method.span or stmt.span
                self.methods.setdefault(stmt.class_name, ("", {}))[1][stmt.method.selector] = \
                    span.line if span else 0

    def run(self, unit: stage0.CoreUnit) -> BeamOutcome:
        """Load or run one unit; its Transcript text and warnings written as they came."""
        return self.session.run_unit(unit, unit.line, self.out.write, self.err.write)

    def run_statement(self, text: str) -> Any:
        """Compile and run one of the runner's statements: (ok, printString or error line)."""
        entry = self.session.compile([(text, 1, RUNNER_PATH)])[0]
        if entry.error is not None:
            raise stage0.compiler_bt.CompilerBtError(entry.error)
        outcome = self.run(entry.units[-1])
        return (False, outcome.error_line()) if outcome.failed else (True, outcome.value)

    def test_classes(self) -> list[str]:
        """`TestCase testClasses` with each class's `testSelectors`, in one statement."""
        ok, printed = self.run_statement(DISCOVER)
        if not ok:
            raise stage0.compiler_bt.CompilerBtError(f"test discovery failed: {printed}")
        for line in string_of(printed).split(";"):
            if line:
                name, *selectors = line.split(" ")
                self.plan[name] = selectors
        return list(self.plan)

    def test_selectors(self, cls: str) -> list[str]:
        """What discovery found for the class."""
        return self.plan[cls]

    def run_test(self, cls: str, selector: str) -> str | None:
        """`Cls runTest: #selector`, the failure as `TestCase errorLine:` gives it."""
        ok, printed = self.run_statement(
            f"({cls} runTest: #{selector}) ifNotNil: [:e | TestCase errorLine: e]")
        if not ok:  # escaped runTest: itself (the statement's process ran out of heap)
            return printed
        return None if printed == "nil" else string_of(printed)

    def line_of(self, cls: str, selector: str) -> int:
        """The line of the method the class runs for the selector, inherited ones included."""
        seen: set[str] = set()
        while cls in self.methods and cls not in seen:
            seen.add(cls)
            superclass, lines = self.methods[cls]
            if selector in lines:
                return lines[selector]
            cls = superclass
        return 0


def string_of(printed: str) -> str:
    """The String whose printString this is; anything else is a runner bug."""
    text = string_value(printed)
    if text is None:
        raise stage0.compiler_bt.CompilerBtError(f"expected a String, got {printed}")
    return text


__all__ = ["run_beam_tests", "BeamFile"]
