"""`beamtalk repl --backend beam`: the interpreter REPL's reading, commands and history, with
each input compiled and run in a BEAM node.

Inputs are compiled one after another in one compiler session (top-level names and classes
carry over): by the native compiler inside the node when `beamtalk bootstrap` has built it,
else by stage 0. Each statement's value is printed as the node's printString, an error as
`ERROR: kind: text`, as the interpreter's REPL does; the node keeps the bindings.
"""

from __future__ import annotations

import sys
from typing import Any

from beamtalk.bootstrap.beam_session import BeamOutcome, BeamSession, string_value
from beamtalk.bootstrap.compiler_bt import CompilerBtError
from beamtalk.interp.repl import Repl, is_inspect
from beamtalk.interp.syntax import DiagnosticError, parse_module
from beamtalk.interp.syntax.literals import single_quoted


def inspect_lines(text: str, filename: str) -> set[int]:
    """The lines of the input's `expr inspect` statements (shown as lines, not quoted)."""
    try:
        module = parse_module(text, filename)
    except DiagnosticError:
        return set()
    return {stmt.span.line for stmt in module.body if is_inspect(stmt) and stmt.span}


class BeamRepl(Repl):
    """The REPL with a BeamSession in place of the interpreter's Session."""

    banner = "Beamtalk (BEAM). :help for help, :quit to leave."

    def __init__(self, *args: Any, node_name: str | None = None, **kwargs: Any) -> None:
        """The interpreter REPL's arguments; `node_name`: the node is distributed under it
        (`--node`)."""
        self.node_name = node_name
        super().__init__(*args, **kwargs)

    def make_session(self) -> BeamSession:  # type: ignore[override]
        """A node with the stdlib (and the native compiler when built)."""
        return BeamSession(node_name=self.node_name)

    def run(self) -> int:
        """The read-eval-print loop; the node stops at the end."""
        try:
            return super().run()
        finally:
            self.session.close()

    def write(self, text: str) -> None:
        """Transcript text, as it comes."""
        self.stdout.write(text)
        self.stdout.flush()

    def evaluate(self, text: str, filename: str = "<repl>") -> None:
        """Compile the input after the earlier ones, run each statement, print each value.

        Ctrl-C while the node runs a statement restarts the node: the protocol has no way
        to stop one statement, so the bindings are lost (the interpreter keeps them).
        """
        try:
            self.run_input(text, filename)
        except KeyboardInterrupt:
            self.session.close()
            self.session = self.make_session()
            self.stdout.write("Interrupted: the node was restarted, bindings are lost.\n")
            self.stdout.flush()

    def run_input(self, text: str, filename: str) -> None:
        """evaluate's work."""
        session: BeamSession = self.session  # type: ignore[assignment]
        try:
            entry = session.compile_more([(text, 1, filename)])[0]
        except CompilerBtError as exc:
            self.stdout.write(f"ERROR: internal_error: {exc}\n")
            return
        if entry.error is not None:
            outcome = BeamOutcome(error_kind=entry.error_kind, error_text=entry.error_text)
            self.stdout.write(outcome.error_line() + "\n")
            return
        inspects = inspect_lines(text, filename)
        for unit in entry.units:
            outcome = session.run_unit(unit, unit.line, self.write, self.warn)
            shown = outcome.show()
            if not outcome.failed and unit.kind == "statement" and unit.line in inspects:
                shown = string_value(shown) or shown  # `x inspect`: its lines
            self.stdout.write(shown + "\n")
            self.stdout.flush()

    def warn(self, text: str) -> None:
        """Warnings go to standard error, as on the interpreter."""
        sys.stderr.write(text)
        sys.stderr.flush()

    def load(self, arg: str) -> bool:
        """`:load FILE`: read it as `File readAll:` does in the node (same errors), then run
        it."""
        if not arg:
            self.stdout.write("ERROR: :load needs a file name: :load FILE\n")
            return True
        session: BeamSession = self.session  # type: ignore[assignment]
        entry = session.compile_more([(f"File readAll: {single_quoted(arg)}", 1, "<repl>")])[0]
        outcome = session.run_entry(entry, 1)
        if outcome.failed:
            self.stdout.write(outcome.error_line() + "\n")
            return True
        source = string_value(outcome.show())
        if source is None:
            self.stdout.write(f"ERROR: internal_error: File readAll: answered {outcome.show()}\n")
            return True
        self.evaluate(source, arg)
        return True
