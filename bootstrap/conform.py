"""`beamtalk conform`: runs transcript cases (CONFORMANCE.md) on a backend and compares.

Each case file runs in a fresh session.  Every `// =>` and `// out:` line is one
expectation; a statement that raises without an `ERROR:` expectation fails too.
"""

from __future__ import annotations

import io
import os
import re
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from beamtalk.bootstrap.beam_session import BeamSession
from beamtalk.bootstrap.source_files import source_text
from beamtalk.interp.session import Outcome, Session, diagnostic_text, run_with_big_stack
from beamtalk.interp.syntax import DiagnosticError
from beamtalk.interp.syntax.conformance_cases import Case, Chunk, Expectation, error_kind, read_case

DEFAULT_TIMEOUT = 30.0
# Compiling a case (stage 0 runs the compiler on the interpreter) is not part of its run: it
# has a limit of its own, so a loaded machine or a cold cache does not time a case out.
COMPILE_TIMEOUT = 600.0


@dataclass
class Report:
    """Counts and failure lines of a run."""

    passed: int = 0
    failed: int = 0
    pending: int = 0
    lines: list[str] = field(default_factory=list)
    # What each statement showed, by its line (for comparing backends with each other), and
    # the lines whose expectation allows the backends to differ (a `_` wildcard).
    shown: dict[int, str] = field(default_factory=dict)
    wildcard: set[int] = field(default_factory=set)
    marked_pending: bool = False  # the case has `// @pending`: its differences are pending too

    def add(self, other: Report) -> None:
        self.passed += other.passed
        self.failed += other.failed
        self.pending += other.pending
        self.lines += other.lines


def case_files(paths: Iterable[str]) -> list[Path]:
    """Every `.bt` case under the given paths, sorted; `fixtures/` folders are not cases."""
    files: list[Path] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            files += [f for f in path.rglob("*.bt") if "fixtures" not in f.parts]
        else:
            files.append(path)
    return sorted(files)


WILDCARD = re.compile(r"(?<![A-Za-z0-9])_(?![A-Za-z0-9])")


def has_wildcard(pattern: str) -> bool:
    """Does an expectation hold a `_` that matches any text?"""
    return WILDCARD.search(pattern.rstrip()) is not None


def matches(pattern: str, actual: str) -> bool:
    """`_` alone matches anything; a `_` not next to a letter or digit matches any run."""
    pattern, actual = pattern.rstrip(), actual.rstrip()
    if pattern == "_":
        return True
    parts = WILDCARD.split(pattern)
    regex = ".*".join(re.escape(part) for part in parts)
    return re.fullmatch(regex, actual, re.S) is not None


def error_matches(expected: str, kind: str | None, text: str | None) -> bool:
    """`ERROR: kind` / `ERROR: kind: text` against an outcome."""
    if kind is None:
        return False
    body = expected[len("ERROR:"):].strip()
    want_kind, _, want_text = body.partition(":")
    if want_kind.strip() != kind:
        return False
    want_text = want_text.strip()
    return not want_text or want_text in (text or "")


def output_lines(text: str) -> list[str]:
    """Transcript text as the lines `// out:` compares (a last line without LF counts)."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


class InterpBackend:
    """Runs chunks on the reference interpreter."""

    name = "interp"

    def __init__(self, case_path: Path, shared: SharedResources | None = None):
        self.out = io.StringIO()
        self.err = io.StringIO()
        self.session = Session(out=self.out, err=self.err)
        self.case_path = case_path

    def prepare(self, case: Case, fixtures: list[Path]) -> None:
        """Nothing to do ahead: the interpreter parses each chunk as it runs."""

    def close(self) -> None:
        """Stop the case's runtime: an actor the case left busy must not run on through
        the cases after it."""
        self.session.rt.close()

    def load(self, path: Path) -> str | None:
        """Run a file of definitions; answer an error text, or None when it loaded."""
        try:
            source = source_text(path)
        except OSError as exc:
            return f"cannot read {path}: {exc.strerror}"
        try:
            stmts = self.session.parse(source, str(path))
        except DiagnosticError as err:
            return err.render()
        for stmt in stmts:
            outcome = self.session.execute(stmt, str(path))
            if outcome.failed:
                return f"{path}:{outcome.line}: {outcome.error_line()}"
        return None

    def run_chunk(self, chunk: Chunk, filename: str) -> tuple[Any, list[str]]:
        """Run a chunk's statements; answer (last outcome, output lines)."""
        self.out.seek(0)
        self.out.truncate()
        try:
            stmts = self.session.parse(chunk.source, filename, chunk.line)
        except DiagnosticError as err:
            first = err.diagnostics[0]
            return Outcome(error_kind="syntax_error", error_text=diagnostic_text(first),
                           line=first.line), []
        outcome = Outcome(value=None, line=chunk.line)
        for stmt in stmts:
            outcome = self.session.execute(stmt, filename)
            if outcome.failed:
                break
        return outcome, output_lines(self.out.getvalue())

    def show(self, outcome: Any) -> str:
        return outcome.error_line() if outcome.failed else self.session.print_string(
            outcome.value)


class BeamBackend:
    """Runs chunks on the BEAM: the whole case compiled by stage 0 first, then statement by
    statement on the run's node (reset for each case)."""

    name = "beam"

    def __init__(self, case_path: Path, shared: SharedResources):
        self.case_path = case_path
        self.session = shared.beam_session()
        self.session.reset()
        self.entries: dict[tuple[str, int], Any] = {}

    def close(self) -> None:
        """Nothing: the run's node is shared, and reset before the next case."""

    def prepare(self, case: Case, fixtures: list[Path]) -> None:
        """Compile the fixtures and every chunk in one stage-0 call (later see earlier)."""
        items: list[tuple[str, int, str]] = []
        for path in fixtures:
            try:
                items.append((source_text(path), 1, str(path)))
            except OSError:
                pass  # load() reports it
        items += [(chunk.source, chunk.line, str(self.case_path)) for chunk in case.chunks]
        for (_, line, file), entry in zip(items, self.session.compile(items)):
            self.entries[(file, line)] = entry

    def load(self, path: Path) -> str | None:
        """Run a file of definitions; answer an error text, or None when it loaded."""
        entry = self.entries.get((str(path), 1))
        if entry is None:
            try:
                source = source_text(path)
            except OSError as exc:
                return f"cannot read {path}: {exc.strerror}"
            entry = self.session.compile([(source, 1, str(path))])[0]
        if entry.error is not None:
            return entry.error
        outcome = self.session.run_entry(entry, 1)
        return f"{path}:{outcome.line}: {outcome.error_line()}" if outcome.failed else None

    def run_chunk(self, chunk: Chunk, filename: str) -> tuple[Any, list[str]]:
        """Run a chunk's statements; answer (last outcome, output lines)."""
        pieces: list[str] = []
        entry = self.entries[(str(self.case_path), chunk.line)]
        outcome = self.session.run_entry(entry, chunk.line, pieces.append)
        return outcome, output_lines("".join(pieces))

    def show(self, outcome: Any) -> str:
        return outcome.show()


class SharedResources:
    """What the case files of one run share: the BEAM node (started on first use)."""

    def __init__(self, note: Any = None) -> None:
        self._beam: Any = None
        self.note = note  # called with a line saying which compiler the BEAM session uses

    def beam_session(self) -> Any:
        """The run's BEAM session, started once."""
        if self._beam is None:
            self._beam = BeamSession()
            if self.note is not None:
                self.note(f"beam backend: compiling with {self._beam.describe()}")
        return self._beam

    def close(self) -> None:
        """Stop what was started."""
        if self._beam is not None:
            self._beam.close()
            self._beam = None


BACKENDS = {"interp": InterpBackend, "beam": BeamBackend}


def run_case(path: Path, backend_name: str, verbose: bool,
             shared: SharedResources | None = None) -> Report:
    """Run one case file on one backend."""
    report = Report()
    rel = str(path)
    try:
        case = read_case(source_text(path), rel)
    except (OSError, UnicodeDecodeError) as exc:
        report.failed += 1
        report.lines.append(f"{rel}:1: cannot read the case ({exc})")
        return report
    wanted = case.directive("backend")
    if wanted and wanted[-1] not in ("both", backend_name):
        return report
    pending = bool(case.directive("pending"))
    timeout = float(case.directive("timeout")[-1]) if case.directive("timeout") else \
        DEFAULT_TIMEOUT
    result = Report()
    prepared, done = threading.Event(), threading.Event()

    def work() -> None:
        try:
            run_case_body(case, path, backend_name, result, verbose,
                          shared or SharedResources(), prepared)
        except BaseException as exc:  # a runner bug must not end the whole run
            result.failed += 1
            result.lines.append(f"{rel}:1: internal error: {exc!r} ({backend_name})")
        finally:
            prepared.set()
            done.set()

    thread = threading.Thread(target=lambda: run_with_big_stack(work), daemon=True)
    thread.start()
    stuck = None
    if not prepared.wait(COMPILE_TIMEOUT):
        stuck = f"compiling took over {COMPILE_TIMEOUT:g} s"
    elif not done.wait(timeout):
        stuck = f"timed out after {timeout:g} s"
    if stuck is not None:
        result.failed += 1
        result.lines.append(f"{rel}:1: {stuck} ({backend_name})")
        if shared is not None and backend_name == "beam":
            shared.close()  # the node is stuck in the case: the next case starts a new one
    if pending:
        report.pending += result.failed
        report.passed += result.passed
        report.lines += [f"{line} [pending]" for line in result.lines] if verbose else []
    else:
        report.add(result)
    report.shown, report.wildcard = result.shown, result.wildcard
    report.marked_pending = pending
    return report


# The ID inside an actor's printString is backend-specific (LANGUAGE.md 8).
ACTOR_ID = re.compile(r"#Actor<([^,<>]+),[^<>]*>")


def comparable(shown: str) -> str:
    """A statement's text with what may differ between the backends made equal."""
    return ACTOR_ID.sub(r"#Actor<\1,_>", shown)


def compare_backends(rel: str, first: Report, second: Report, names: list[str]) -> Report:
    """Each statement both backends ran must show the same text, wildcards and actor IDs
    aside."""
    differ = Report()
    for line in sorted(first.shown.keys() & second.shown.keys()):
        a, b = first.shown[line], second.shown[line]
        if comparable(a) != comparable(b) and line not in first.wildcard:
            differ.failed += 1
            differ.lines.append(f"{rel}:{line}: backends differ: {a} ({names[0]}), "
                                f"{b} ({names[1]})")
    return differ


def run_case_body(case: Case, path: Path, backend_name: str, report: Report,
                  verbose: bool, shared: SharedResources, prepared: threading.Event) -> None:
    """Compile a case, set `prepared`, then run its loads and chunks into `report`."""
    rel = str(path)
    backend = BACKENDS[backend_name](path, shared)
    base = path.parent
    backend.prepare(case, [resolve(base, arg) for name, arg, _ in case.directives
                           if name == "load"])
    prepared.set()
    try:
        run_directives_and_chunks(case, backend, backend_name, report, rel, verbose)
    finally:
        backend.close()


def run_directives_and_chunks(case: Case, backend: Any, backend_name: str, report: Report,
                              rel: str, verbose: bool) -> None:
    """The case's `@load` directives, then its chunks, checked into `report`."""
    base = Path(rel).parent
    for name, arg, line in case.directives:
        if name == "load":
            error = backend.load(resolve(base, arg))
            if error is not None:
                report.failed += 1
                report.lines.append(f"{rel}:{line}: @load {arg} failed: {error} ({backend_name})")
        elif name == "load-error":
            target, _, text = arg.partition(":")
            error = backend.load(resolve(base, target.strip()))
            if error is None or text.strip() not in error:
                report.failed += 1
                report.lines.append(f"{rel}:{line}: expected loading {target.strip()} to fail "
                                    f"with {text.strip()!r}, got {error!r} ({backend_name})")
            else:
                report.passed += 1
    for chunk in case.chunks:
        outcome, output = backend.run_chunk(chunk, rel)
        check_chunk(chunk, outcome, output, backend, report, rel, verbose)
        report.shown[chunk.line] = backend.show(outcome)
        if any(has_wildcard(exp.text) for exp in chunk.values):
            report.wildcard.add(chunk.line)


def resolve(base: Path, arg: str) -> Path:
    path = Path(arg)
    return path if path.is_absolute() else base / path


def check_chunk(chunk: Chunk, outcome: Any, output: list[str], backend: Any, report: Report,
                rel: str, verbose: bool) -> None:
    values = chunk.values
    outs = chunk.outputs
    name = backend.name
    if not values and not outs:
        if outcome.failed:
            report.failed += 1
            report.lines.append(f"{rel}:{chunk.line}: unexpected {outcome.error_line()} ({name})")
        return
    for exp in values:
        ok, shown = check_value(exp, outcome, backend)
        record(report, ok, rel, exp, shown, name, verbose)
    if outs:
        if not values and outcome.failed:
            report.failed += 1
            report.lines.append(f"{rel}:{chunk.line}: unexpected {outcome.error_line()} ({name})")
        for i, exp in enumerate(outs):
            got = output[i] if i < len(output) else "<no line>"
            record(report, matches(exp.text, got), rel, exp, got, name, verbose)
        if len(output) > len(outs):
            report.failed += 1
            report.lines.append(f"{rel}:{outs[-1].line}: extra output line "
                                f"{output[len(outs)]!r} ({name})")


def check_value(exp: Expectation, outcome: Any, backend: Any) -> tuple[bool, str]:
    if exp.kind == "error":
        return error_matches(exp.text, outcome.error_kind, outcome.error_text), \
            backend.show(outcome)
    shown = backend.show(outcome)
    return (not outcome.failed and matches(exp.text, shown)), shown


def record(report: Report, ok: bool, rel: str, exp: Expectation, got: str, backend: str,
           verbose: bool) -> None:
    if ok:
        report.passed += 1
        return
    report.failed += 1
    report.lines.append(f"{rel}:{exp.line}: expected {exp.text}, got {got} ({backend})")


def conform(paths: list[str], backend: str, verbose: bool, out=None) -> int:
    """Run every case; print failures, the pending count and `N passed, N failed`."""
    out = out if out is not None else sys.stdout
    for key in [k for k in os.environ if k.startswith("BEAMTALK_")]:
        del os.environ[key]
    names = ["interp", "beam"] if backend == "both" else [backend]
    total = Report()
    for name in names:
        if name not in BACKENDS:
            print(f"beamtalk conform: the {name} backend is not implemented yet", file=out)
            return 2
    shared = SharedResources(note=(lambda line: print(line, file=out)) if verbose else None)
    try:
        for path in case_files(paths):
            run_file(path, names, verbose, shared, total, out)
    finally:
        shared.close()
    if total.pending:
        print(f"{total.pending} pending", file=out)
    print(f"{total.passed} passed, {total.failed} failed", file=out)
    return 1 if total.failed else 0


def run_file(path: Path, names: list[str], verbose: bool, shared: SharedResources,
             total: Report, out: Any) -> None:
    """Run one case file on each backend, then compare the backends with each other."""
    reports = []
    for name in names:
        report = run_case(path, name, verbose, shared)
        reports.append(report)
        for line in report.lines:
            print(line, file=out)
        if verbose:
            print(f"{path}: {report.passed} passed, {report.failed} failed ({name})", file=out)
        total.add(Report(report.passed, report.failed, report.pending))
        out.flush()
    if len(reports) == 2:
        differ = compare_backends(str(path), *reports, names)
        if reports[0].marked_pending:  # a pending case's differences are pending as well
            differ = Report(pending=differ.failed,
                            lines=[f"{line} [pending]" for line in differ.lines] if verbose
                            else [])
        for line in differ.lines:
            print(line, file=out)
        total.add(differ)


def count_expectations(path: Path) -> int:
    """How many `// =>` and `// out:` expectations a case file holds."""
    case = read_case(source_text(path), str(path))
    return sum(len(c.expectations) for c in case.chunks)


__all__ = ["conform", "count_expectations", "matches", "Expectation", "error_kind"]
