"""`beamtalk test PATH...`: runs the `test...` methods of TestCase subclasses.

Each file is loaded in a fresh interpreter session; then every non-abstract TestCase
subclass it defined runs each of its unary `test...` selectors (inherited ones too) on
a new instance, SUnit style: `setUp`, the test, and `tearDown` even when the others
failed.  Instances are values, so when `setUp` answers an instance of the test's class
that configured copy is the one tested.  A test passes when nothing escapes it; one
line is printed per failing test, then `N passed, N failed`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from beamtalk.bootstrap.source_files import SourceUnreadable, read_source
from beamtalk.interp.runtime.objects import BtClass, Instance
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


def find_files(paths: list[str]) -> list[Path]:
    """The files named, and every `.bt` file under the directories named (sorted)."""
    files: list[Path] = []
    for p in paths:
        path = Path(p)
        files += sorted(path.rglob("*.bt")) if path.is_dir() else [path]
    return files


def run_tests(paths: list[str], out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the tests in these files; print failures and `N passed, N failed`; 1 on failures."""
    out = LineStart(out if out is not None else sys.stdout)
    err = err if err is not None else sys.stderr

    def go() -> int:
        tally = Tally()
        for path in find_files(paths):
            run_file(path, tally, out, err)
            out.flush()
        out.report(f"{tally.passed} passed, {tally.failed} failed")
        out.flush()
        return 1 if tally.failed else 0

    # SystemExit from `System exit:` passes through: the program asked to end.
    return run_with_big_stack(go)


def run_file(path: Path, tally: Tally, out: LineStart, err: TextIO) -> None:
    """Load one file in a fresh session and run its test classes."""
    session = Session(out=out, err=err)  # LineStart stands in for the stream
    if not load(session, path, tally, out):
        return
    for cls in find_test_classes(session):
        for selector in find_test_selectors(session, cls):
            outcome = run_test(session, cls, selector)
            if outcome is None:
                tally.passed += 1
                continue
            tally.failed += 1
            method = cls.lookup(selector)
            line = method.node.span.line if method and method.node and method.node.span else 0
            out.report(f"{path}:{line}: {cls.name}>>#{selector}: {outcome.error_line()}")


def load(session: Session, path: Path, tally: Tally, out: LineStart) -> bool:
    """Run a file's statements; a file that does not load counts as one failure."""
    try:
        stmts = session.parse(read_source(str(path)), str(path))
    except SourceUnreadable as exc:
        return load_failed(tally, out, f"{exc}")
    except DiagnosticError as exc:
        return load_failed(tally, out, exc.render())
    for stmt in stmts:
        outcome = session.execute(stmt, str(path))
        if outcome.failed:
            return load_failed(tally, out, f"{path}:{outcome.line}: {outcome.error_line()}")
    return True


def load_failed(tally: Tally, out: LineStart, text: str) -> bool:
    tally.failed += 1
    out.report(text)
    return False


def find_test_classes(session: Session) -> list[BtClass]:
    """The concrete user-defined subclasses of TestCase, by name."""
    root = session.rt.classes["TestCase"]
    found = [cls for cls in session.rt.classes.values()
             if cls is not root and not cls.builtin and cls.modifier != "abstract"
             and cls.includes_behavior(root)]
    return sorted(found, key=lambda cls: cls.name)


def find_test_selectors(session: Session, cls: BtClass) -> list[str]:
    """The class's tests: what `TestCase class>>testSelectors` answers (stdlib/TestCase.bt)."""
    return [symbol.name for symbol in session.rt.send(cls, "testSelectors").items]


def run_test(session: Session, cls: BtClass, selector: str) -> Outcome | None:
    """Run one test on a new instance; answer the first failure, or None when it passed."""
    rt = session.rt
    holder: dict[str, Any] = {}

    def set_up() -> None:
        instance = holder["instance"] = rt.send(cls, "new")
        prepared = rt.send(instance, "setUp")
        if isinstance(prepared, Instance) and prepared.cls.includes_behavior(cls):
            holder["instance"] = prepared

    failure = guarded(session, set_up)
    if "instance" not in holder:  # `new` itself failed: nothing to tear down
        return failure
    if failure is None:
        failure = guarded(session, lambda: rt.send(holder["instance"], selector))
    teardown = guarded(session, lambda: rt.send(holder["instance"], "tearDown"))
    return failure or teardown


def guarded(session: Session, fn: Callable[[], Any]) -> Outcome | None:
    """Run fn; answer the Outcome of an error escaping it, or None."""
    outcome = session.guard(fn)
    return outcome if outcome.failed else None


__all__ = ["run_tests", "find_files"]
