"""An interpreter session: runs top-level statements and reports values and errors.

Used by `beamtalk run`, the REPL and the conformance runner.  Evaluation happens on a
thread with a large stack so that deep (10,000-activation) recursion works; runaway
recursion becomes the catchable StackOverflow long before the host would crash.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from typing import Any, TextIO

from beamtalk.interp.analysis.scopes import CompileError
from beamtalk.interp.display_lines import print_failure
from beamtalk.interp.eval.compiler import Compiler
from beamtalk.interp.outcome import Outcome
from beamtalk.interp.runtime.control_flow import BeamtalkError, HandlerUnwind, NonLocalReturn
from beamtalk.interp.runtime.error_texts import error_text
from beamtalk.interp.runtime.futures import Future, await_future
from beamtalk.interp.runtime.process import Process
from beamtalk.interp.runtime.runtime import THREAD_STACK_BYTES, Runtime
from beamtalk.interp.runtime.scheduler import start_thread
from beamtalk.interp.runtime.text_answers import sent_text
from beamtalk.interp.syntax import DiagnosticError, ast, parse_module

# Generated methods count no depth: runaway recursion ends at this Python limit (RecursionError
# becomes StackOverflow), with room for 10,000 activations recursing through primitives.
RECURSION_LIMIT = 160_000


def run_with_big_stack(fn: Callable[[], Any]) -> Any:
    """Run fn on a thread with a large stack; answer its result or re-raise its exception."""
    result: dict[str, Any] = {}

    def target() -> None:
        try:
            result["value"] = fn()
        except BaseException as exc:  # handed back to the caller's thread
            result["error"] = exc

    old_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old_limit, RECURSION_LIMIT))
    thread = start_thread(target, "beamtalk-main", THREAD_STACK_BYTES)
    thread.join()
    if "error" in result:
        raise result["error"]
    return result.get("value")


class Session:
    """A runtime plus the means to run source text in it, statement by statement."""

    def __init__(self, out: TextIO | None = None, err: TextIO | None = None,
                 arguments: list[str] | None = None):
        self.rt = Runtime(Compiler, out=out, err=err, arguments=arguments)
        self.top = Process("top")  # the top level is one process, whatever thread runs it

    def parse(self, source: str, filename: str, first_line: int = 1) -> list[Any]:
        """The statements of a source text (raises DiagnosticError)."""
        return list(parse_module(source, filename, first_line).body)

    def execute(self, stmt: Any, filename: str) -> Outcome:
        """Compile and run one top-level statement."""
        line = stmt.span.line if stmt.span else 0
        try:
            thunk = self.rt.compiler.compile_top(stmt, filename)
        except CompileError as err:
            return Outcome(error_kind="compile_error", error_text=err.diagnostic.message,
                           line=line)
        return self.guard(thunk, line)

    def guard(self, fn: Callable[[], Any], line: int = 0) -> Outcome:
        """Run fn; its value (a future awaited), or the error escaping it, as an Outcome."""
        self.rt.local.process = self.top
        try:
            value = fn()
            if type(value) is Future:
                value = await_future(self.rt, value)
            self.top.start_pending()  # messages sent and not awaited start now
            return Outcome(value=value, line=line)
        except BeamtalkError as err:
            return self.error_outcome(err, line)
        except CompileError as err:
            return Outcome(error_kind="compile_error", error_text=err.diagnostic.message,
                           line=line)
        except (NonLocalReturn, HandlerUnwind):
            return Outcome(error_kind="block_cannot_return",
                           error_text=error_text("block_cannot_return")[1], line=line)
        except RecursionError:
            return Outcome(error_kind="stack_overflow",
                           error_text=error_text("stack_overflow")[1], line=line)
        except (SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:  # an interpreter bug: report it as an error, not a traceback
            return Outcome(error_kind="internal_error",
                           error_text=f"{type(exc).__name__}: {exc} (please report this)",
                           line=line)

    def error_outcome(self, err: BeamtalkError, line: int) -> Outcome:
        exc = err.exc
        rt = self.rt
        try:
            kind = rt.send(exc, "kind")
            kind_text = kind.name if hasattr(kind, "name") else sent_text(rt, kind,
                                                                          "displayString")
            text = rt.send(exc, "messageText")
            text = None if text is None else sent_text(rt, text, "displayString")
        except BeamtalkError:
            kind_text, text = "error", exc.message_text
        # an empty text is no text (`ERROR: kind`), as the BEAM's replies give it
        return Outcome(error_kind=kind_text, error_text=None if text == "" else text, line=line)

    def run_source(self, source: str, filename: str, first_line: int = 1,
                   each: Callable[[Any, Outcome], bool] | None = None) -> list[Outcome]:
        """Parse and run every statement; `each(stmt, outcome)` may stop the run (False)."""
        try:
            stmts = self.parse(source, filename, first_line)
        except DiagnosticError as err:
            first = err.diagnostics[0]
            outcome = Outcome(error_kind="syntax_error", error_text=diagnostic_text(first),
                              line=first.line)
            if each is not None:
                each(None, outcome)
            return [outcome]
        outcomes = []
        for stmt in stmts:
            outcome = self.execute(stmt, filename)
            outcomes.append(outcome)
            if each is not None and each(stmt, outcome) is False:
                break
        return outcomes

    def finish(self) -> None:
        """The end of a script: the top level's last wait runs its pending callbacks."""
        self.rt.local.process = self.top
        self.top.run_callbacks(self.rt)

    def print_string(self, value: Any) -> str:
        """The printString of a value (what the REPL and the runner show)."""
        outcome = self.guard(lambda: sent_text(self.rt, value, "printString"))
        if outcome.failed:
            return print_failure(outcome.error_kind or "", outcome.error_text)
        return outcome.value


def evaluate(source: str, session: Session | None = None, **options: Any) -> list[str]:
    """printString of each statement's value, or its `ERROR: kind: text`, on a big stack.

    Runs in `session`, or in a fresh one made with `options` (out, err, arguments).
    """

    def go() -> list[str]:
        target = session if session is not None else Session(**{"out": io.StringIO(),
                                                                **options})
        return [o.error_line() if o.failed else target.print_string(o.value)
                for o in target.run_source(source, "<eval>")]

    return run_with_big_stack(go)


def diagnostic_text(diag: Any) -> str:
    """A diagnostic as an error's messageText: the message and its hint."""
    return f"{diag.message} ({diag.hint})" if diag.hint else diag.message


__all__ = ["Session", "Outcome", "run_with_big_stack", "evaluate", "ast"]
