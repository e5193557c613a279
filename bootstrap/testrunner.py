"""`beamtalk test PATH...`: runs the `test...` methods of TestCase subclasses.

What a test run means lives in stdlib/TestCase.bt, shared by both backends: `TestCase
testClasses` finds the concrete TestCase subclasses, `testSelectors` their tests, `runTest:`
runs one (setUp, the test, tearDown) and answers the exception that escaped, and
`errorLine:` is the line reported for it.  This module only handles files and printing: each
file is loaded fresh (a new interpreter session, or the BEAM node reset: bootstrap/beam_tests.py),
one line is printed per failing test (`file:line: Class>>#selector: ERROR: kind: text`, the line
of the test method), then `N passed, N failed`.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TextIO

from beamtalk.bootstrap.source_files import SourceUnreadable, read_source
from beamtalk.interp.runtime.values import Symbol
from beamtalk.interp.session import Outcome, Session, run_with_big_stack
from beamtalk.interp.syntax import DiagnosticError


class LineStart:
    """Wraps the output stream to know whether Transcript left a line unfinished."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.at_line_start = True

    def write(self, text: str) -> int:
        if text:
            self.at_line_start = text.endswith("\n")
        return self.stream.write(text)

    def report(self, line: str) -> None:
        """Write a runner line, on a line of its own."""
        self.write(("" if self.at_line_start else "\n") + line + "\n")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


@dataclass
class Tally:
    """Counts of a run."""

    passed: int = 0
    failed: int = 0


class TestFile(Protocol):
    """One file's tests on one backend, driven by `run_file`."""

    def load(self) -> str | None:
        """Run the file's statements; None when it loaded, else the text to report."""

    def test_classes(self) -> list[str]:
        """`TestCase testClasses`: the names of the classes to run, in order."""

    def test_selectors(self, cls: str) -> list[str]:
        """The class's `testSelectors`."""

    def run_test(self, cls: str, selector: str) -> str | None:
        """`runTest:`: None when the test passed, else its `ERROR: kind: text` line."""

    def line_of(self, cls: str, selector: str) -> int:
        """The line of the method the test runs (0 when unknown)."""


def find_files(paths: list[str]) -> list[Path]:
    """The files named, and every `.bt` file under the directories named (sorted)."""
    files: list[Path] = []
    for p in paths:
        path = Path(p)
        files += sorted(path.rglob("*.bt")) if path.is_dir() else [path]
    return files


def run_tests(paths: list[str], out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the tests in these files; print failures and `N passed, N failed`; 1 on failures.

    The interpreter's run; bootstrap/beam_tests.py `run_beam_tests` is the BEAM's.
    """
    line_out = LineStart(out if out is not None else sys.stdout)
    err = err if err is not None else sys.stderr

    def go() -> int:
        # SystemExit from `System exit:` passes through: the program asked to end.
        return run_all(find_files(paths), lambda path: InterpFile(path, line_out, err), line_out)

    return run_with_big_stack(go)


def run_all(files: list[Path], open_file: Any, out: LineStart) -> int:
    """Run every file's tests (`open_file(path)` gives its TestFile); print the summary."""
    tally = Tally()
    for path in files:
        run_file(path, open_file(path), tally, out)
        out.flush()
    out.report(f"{tally.passed} passed, {tally.failed} failed")
    out.flush()
    return 1 if tally.failed else 0


def run_file(path: Path, tests: TestFile, tally: Tally, out: LineStart) -> None:
    """Load one file and run its test classes; a file that does not load is one failure."""
    failure = tests.load()
    if failure is not None:
        tally.failed += 1
        out.report(failure)
        return
    for cls in tests.test_classes():
        for selector in tests.test_selectors(cls):
            line = tests.run_test(cls, selector)
            if line is None:
                tally.passed += 1
                continue
            tally.failed += 1
            out.report(f"{path}:{tests.line_of(cls, selector)}: {cls}>>#{selector}: {line}")


class InterpFile:
    """A file's tests in a fresh interpreter session."""

    def __init__(self, path: Path, out: LineStart, err: TextIO):
        self.path = path
        self.session = Session(out=out, err=err)  # LineStart stands in for the stream
        self.rt = self.session.rt

    def load(self) -> str | None:
        """Run the file's statements, stopping at the first error."""
        try:
            stmts = self.session.parse(read_source(str(self.path)), str(self.path))
        except SourceUnreadable as exc:
            return f"{exc}"
        except DiagnosticError as exc:
            return exc.render()
        for stmt in stmts:
            outcome = self.session.execute(stmt, str(self.path))
            if outcome.failed:
                return f"{self.path}:{outcome.line}: {outcome.error_line()}"
        return None

    def send(self, receiver: Any, selector: str, *args: Any) -> Any:
        """A message sent from the runner: its answer, or the Outcome of the error escaping it."""
        outcome = self.session.guard(lambda: self.rt.send(receiver, selector, *args))
        return outcome if outcome.failed else outcome.value

    def test_classes(self) -> list[str]:
        """`TestCase testClasses`, by name."""
        found = self.rt.send(self.rt.classes["TestCase"], "testClasses")
        return [cls.name for cls in found.items]

    def test_selectors(self, cls: str) -> list[str]:
        """`Cls testSelectors`, by name."""
        return [symbol.name for symbol in self.rt.send(self.rt.classes[cls], "testSelectors").items]

    def run_test(self, cls: str, selector: str) -> str | None:
        """`Cls runTest: #selector`; what escapes even that (System exit: aside) fails too."""
        failure = self.send(self.rt.classes[cls], "runTest:", Symbol(selector))
        if failure is None:
            return None
        if isinstance(failure, Outcome):  # escaped runTest: itself
            return failure.error_line()
        return self.rt.send(self.rt.classes["TestCase"], "errorLine:", failure)

    def line_of(self, cls: str, selector: str) -> int:
        """The line of the method `Cls` runs for the selector (an inherited one's own)."""
        method = self.rt.classes[cls].lookup(selector)
        node = method.node if method else None
        return node.span.line if node and node.span else 0


__all__ = ["run_tests", "find_files", "run_all", "run_file", "LineStart", "TestFile"]
