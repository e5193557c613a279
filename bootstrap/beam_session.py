"""A BEAM session: a node running compiled statements, and the compiler making them: the native
compiler inside the node when the bootstrap has built it, else stage 0 (compiler_bt on the
interpreter).

`BeamSession` starts a node with the stdlib loaded once; `reset` gives a fresh runtime for
the next program (CONFORMANCE.md: each case file starts fresh) without reloading the stdlib.
`run_source` compiles a list of statements in one call, so that later statements see the
classes and variables of earlier ones, and runs them in order. See docs/native-backend.md.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

from beamtalk.bootstrap import erlang, native_compiler, stage0
from beamtalk.bootstrap.beam_node import BeamNode, NodeFailed, Reply, close_all
from beamtalk.bootstrap.erlang import ErlangUnavailable
from beamtalk.interp.outcome import Outcome


class BeamOutcome(Outcome):
    """What one statement did on the BEAM: the interpreter's Outcome, its value being the
    printString the node answered."""

    def show(self) -> str:
        """The text the REPL shows for this outcome."""
        return self.error_line() if self.failed else (self.value or "")


def from_reply(reply: Reply, line: int) -> BeamOutcome:
    """The outcome of a node's answer."""
    if reply.ok:
        return BeamOutcome(value=reply.value, line=line)
    return BeamOutcome(error_kind=reply.kind, error_text=reply.text or None, line=line)


def stdlib_cores() -> list[str]:
    """The Core Erlang of every stdlib class (stage 0, cached)."""
    cores: list[str] = []
    for path in sorted(erlang.STDLIB_DIR.glob("*.bt")):
        entry = stage0.compile_file(str(path), path.read_text(encoding="utf-8"))
        if entry.error is not None:
            raise stage0.compiler_bt.CompilerBtError(f"the stdlib did not compile:\n{entry.error}")
        cores += [unit.core for unit in entry.units if unit.kind == "class"]
    return cores


def string_value(printed: str) -> str | None:
    """The String whose printString is `printed` (a printString re-parses: LANGUAGE.md 4);
    None when it is not a String's."""
    # lazy: `run --backend beam` never reads a printString back (start-up time)
    from beamtalk.interp.syntax import DiagnosticError, parse_module
    from beamtalk.interp.syntax import ast as bt_ast

    try:
        body = parse_module(printed, "<printString>").body
    except DiagnosticError:
        return None
    if len(body) != 1 or not isinstance(body[0], bt_ast.StringLit):
        return None
    return body[0].value


class BeamSession:
    """A node with the stdlib loaded; `close` (or `with`) stops it.

    Statements are compiled by the native compiler in a node of its own when `beamtalk
    bootstrap` has built it for the current sources (the program's node then registers the
    same build's stdlib from `.beam` files), else by stage 0 (`native=False` forces it).
    """

    def __init__(self, native: bool = True, node_name: str | None = None) -> None:
        """`node_name`: the program's node is distributed under it (`--node`)."""
        self.continuing = False  # compile_more has compiled something (its session goes on)
        self.stage0_state: object = None  # compile_more's state on stage 0
        # The compiler's node and the program's start at once.
        started = native_compiler.start_with_program(node_name) if native else None
        self.compiler: native_compiler.NativeCompiler | None = None
        if started is not None:
            self.compiler, self.node = started
        else:
            cores = stdlib_cores()
            self.node = BeamNode(node_name=node_name)
        try:
            if self.compiler is None:
                reply = self.node.load_many(cores)
                if not reply.ok:
                    raise stage0.compiler_bt.CompilerBtError(
                        f"the stdlib did not load: {reply.error_line()}")
            self.node.mark_base()
        except BaseException:
            self.close()
            raise

    def describe(self) -> str:
        """Which compiler the session uses (`-v`)."""
        if self.compiler is not None:
            return self.compiler.describe()
        return native_compiler.STAGE0_DESCRIPTION

    def __enter__(self) -> BeamSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the node (and the native compiler's), both at once."""
        close_all([self.node] + ([self.compiler.node] if self.compiler is not None else []))

    def reset(self) -> None:
        """A fresh runtime: user classes, `>>` additions and variables dropped."""
        self.node.reset()

    def compile(self, items: Sequence[tuple[str, int, str]]) -> list[stage0.Entry]:
        """Compile statements given as (text, first line, file), in order (one session)."""
        if not items:
            return []
        if self.compiler is not None:
            return self.compile_native(items, continuing=False)
        entries, _ = stage0.compile_statements(list(items), items[-1][2])
        return entries

    def compile_more(self, items: Sequence[tuple[str, int, str]]) -> list[stage0.Entry]:
        """Compile statements after those of earlier compile_more calls, which they see (the
        inputs of a REPL): top-level names and classes carry over."""
        if self.compiler is not None:
            entries = self.compile_native(items, self.continuing)
        else:
            entries, self.stage0_state = stage0.compile_continuing(
                list(items), items[-1][2], self.stage0_state)
        self.continuing = True
        return entries

    def compile_native(self, items: Sequence[tuple[str, int, str]],
                       continuing: bool) -> list[stage0.Entry]:
        """The native compiler's entries; its node failing is a compiler failure."""
        try:
            return self.compiler.compile(list(items), items[-1][2], continuing)
        except NodeFailed as exc:
            raise stage0.compiler_bt.CompilerBtError(
                f"the native compiler failed: {exc}") from exc

    def run_entry(self, entry: stage0.Entry, line: int,
                  output: Callable[[str], None] | None = None) -> BeamOutcome:
        """Load or run the units of one statement; stop at the first failure."""
        if entry.error is not None:
            return BeamOutcome(error_kind=entry.error_kind, error_text=entry.error_text,
                               line=line)
        outcome = BeamOutcome(value="nil", line=line)
        for unit in entry.units:
            outcome = self.run_unit(unit, line, output)
            if outcome.failed:
                break
        return outcome

    def run_unit(self, unit: stage0.CoreUnit, line: int,
                 output: Callable[[str], None] | None = None,
                 warn: Callable[[str], None] | None = None,
                 quiet: bool = False) -> BeamOutcome:
        """Load a class or method unit, or run a statement unit (quiet: its value is not
        printed); its Transcript text goes to `output` and its warnings to `warn` (each in the
        order written). `System exit:` halts the node: what the statement wrote first is
        delivered, then SystemExit with the status, as on the interpreter."""
        try:
            if unit.kind != "statement":
                reply = self.node.load(unit.core)
            else:
                reply = self.node.execute(unit.core) if quiet else self.node.eval(unit.core)
        except NodeFailed as err:
            if err.partial is not None:
                deliver(err.partial, output, warn)
            status = self.node.exit_status()
            if status is None:
                raise
            raise SystemExit(status) from None
        deliver(reply, output, warn)
        return from_reply(reply, line)


def deliver(reply: Reply, output: Callable[[str], None] | None,
            warn: Callable[[str], None] | None) -> None:
    """A reply's Transcript text to `output` and warnings to `warn`, in the order written."""
    for kind, text in reply.events:
        sink = output if kind == "out" else warn
        if sink is not None:
            sink(text)


def warn_on_stderr(text: str) -> None:
    """A warning the node wrote (e.g. an error inside a callback), after the output so far."""
    sys.stdout.flush()
    print(text, end="", file=sys.stderr, flush=True)


def run_file(path: str, source: str, arguments: Sequence[str],
             node_name: str | None = None) -> int:
    """`beamtalk run --backend beam [--node NAME] FILE`: the script statement by statement;
    exit 1 on the first uncaught error (`file:line: ERROR: kind: text` on standard error)."""
    try:
        session = BeamSession(node_name=node_name)
    except ErlangUnavailable as exc:
        print(f"beamtalk run: {exc}", file=sys.stderr)
        return 2
    except NodeFailed as exc:  # e.g. `--node` with a name another node already has
        print(f"beamtalk run: the node did not start: {exc}", file=sys.stderr)
        return 2
    with session:
        try:
            entry = session.compile([(source, 1, path)])[0]
        except stage0.compiler_bt.CompilerBtError as exc:
            print(f"beamtalk run: compiler_bt failed on {path}: {exc}", file=sys.stderr)
            return 2
        if entry.error is not None:
            print(entry.error, file=sys.stderr)
            return 1
        session.node.set_arguments(arguments)
        for unit in entry.units:
            try:
                outcome = session.run_unit(unit, unit.line, lambda text: print(text, end=""),
                                           warn_on_stderr, quiet=True)
            except NodeFailed as exc:
                sys.stdout.flush()
                print(f"beamtalk run: the node failed: {exc}", file=sys.stderr)
                return 2
            if outcome.failed:
                sys.stdout.flush()
                print(f"{path}:{unit.line}: {outcome.error_line()}", file=sys.stderr)
                return 1
    sys.stdout.flush()
    return 0
