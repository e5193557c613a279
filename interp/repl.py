"""The interactive session: read a complete input, run it, print each value (LANGUAGE.md 2.2).

A line runs as soon as it is complete.  After a class header, a line ending with `=>`,
or an incomplete line (open bracket, trailing operator or keyword, unterminated
string), more lines are read until an empty line (an unterminated string ends there
too, as a syntax error; two empty lines end any input).  `:paste` reads lines up to one
holding only `.`.

Ctrl-C interrupts: the running statement stops at its next send, loop or wait (as a
killed actor's code does), pending input is dropped, and the prompt returns with every
binding kept.  ctrl_c.py makes every press reach the main thread at once, even one that
lands just as readline starts waiting for a key, and raise only where it is caught here.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TextIO

from beamtalk.interp.ctrl_c import CtrlC
from beamtalk.interp.runtime.control_flow import ActorKilled
from beamtalk.interp.runtime.runtime import THREAD_STACK_BYTES
from beamtalk.interp.runtime.scheduler import start_thread
from beamtalk.interp.session import Session, run_with_big_stack
from beamtalk.interp.syntax import ast
from beamtalk.interp.syntax.layout import OPENERS
from beamtalk.interp.syntax.lexer import CLOSERS, tokenize

HELP = """Beamtalk REPL.  Type an expression and press Enter; its printString is shown.
  :load FILE   run a file in this session
  :paste       read lines until a line holding only `.`, then run them
  :help        this text
  :quit        leave (also Ctrl-D)
A class header, a line ending with `=>`, or an unfinished line reads more lines until an
empty line."""

CONTINUE_AFTER = {"BINOP", "KEYWORD", "ASSIGN", "CARET"}


def unterminated(text: str) -> bool:
    """Does the text end inside a string literal?"""
    return any("unterminated" in e.message for e in tokenize(text, "<repl>").errors)


def incomplete(text: str) -> bool:
    """Open bracket, trailing operator/keyword/`:=`/`^`/`=>`, or an unterminated string."""
    lexed = tokenize(text, "<repl>")
    if any("unterminated" in e.message for e in lexed.errors):
        return True
    tokens = lexed.tokens
    if not tokens:
        return False
    depth = 0
    for tok in tokens:
        if tok.type in OPENERS:
            depth += 1
        elif tok.type in CLOSERS:
            depth -= 1
    return depth > 0 or tokens[-1].type in CONTINUE_AFTER or tokens[-1].type == "ARROW"


def opens_body(line: str) -> bool:
    """A class header: its members follow on the next lines."""
    tokens = tokenize(line, "<repl>").tokens
    words = [t.value for t in tokens]
    return 3 <= len(words) <= 4 and words[-2] == "subclass:"


def needs_more(line: str) -> bool:
    """Does this first line wait for more lines before it can run?"""
    return incomplete(line) or opens_body(line)


class Repl:
    """One interactive session on the interpreter (the reading, the commands and the history
    serve the BEAM's REPL too: bootstrap/beam_repl.py overrides what runs an input)."""

    banner = "Beamtalk (interpreter). :help for help, :quit to leave."

    def __init__(self, stdin: TextIO | None = None, stdout: TextIO | None = None,
                 prompt: bool = True):
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.interactive = prompt and self.stdin.isatty()
        self.session = self.make_session()
        self.ctrl_c = CtrlC()  # installed by `run` when interactive
        self.commands: dict[str, Callable[[str], bool]] = {
            ":quit": lambda arg: False, ":q": lambda arg: False, ":help": self.help,
            ":load": self.load, ":paste": self.paste,
        }

    def make_session(self) -> Session:
        """The session inputs run in."""
        return Session(out=self.stdout, err=sys.stderr)

    def read_line(self, prompt: str) -> str | None:
        if self.interactive:
            try:
                return input(prompt)
            except EOFError:
                return None
        line = self.stdin.readline()
        return None if line == "" else line.rstrip("\n")

    def run(self) -> int:
        """The read-eval-print loop; answers the exit status."""
        history = setup_history() if self.interactive else None
        if self.interactive:
            self.stdout.write(self.banner + "\n")
            self.ctrl_c.install()
        try:
            while self.step():
                pass
        finally:
            self.ctrl_c.uninstall()
            if history:
                history()
        return 0

    def step(self) -> bool:
        """Read one input and run it; False when the session ends.

        A Ctrl-C is raised as KeyboardInterrupt only inside the `try` (ctrl_c.py), so it
        can never end the session: it drops the pending input and the prompt comes back.
        """
        try:
            self.ctrl_c.begin_raising()
            text = self.read_input()
            if text is None:
                return False
            if not text.strip():
                return True
            if text.strip().startswith(":"):
                return self.command(text.strip()) is not False
            self.evaluate(text)
            return True
        except KeyboardInterrupt:
            # First, and not by a call (a handler may run as a function is entered):
            # from here a press no longer raises (ctrl_c.py).
            self.ctrl_c.unwinding = False
            self.ctrl_c.caught()
            self.stdout.write("\n")
            self.stdout.flush()
            return True
        finally:
            self.ctrl_c.raising = False
            self.ctrl_c.caught()

    def read_input(self) -> str | None:
        line = self.read_line("bt> ")
        if line is None:
            return None
        if line.strip().startswith(":") or not needs_more(line):
            return line
        lines = [line]
        while True:
            more = self.read_line("..> ")
            if more is None:
                return "\n".join(lines)
            if not more.strip():
                text = "\n".join(lines)
                # An empty line ends the input unless a bracket is still open; a second
                # one, or one after an unterminated string, ends it anyway (the parser
                # then reports what is missing).
                if not incomplete(text) or unterminated(text) or not lines[-1].strip():
                    return text
            lines.append(more)

    def command(self, text: str) -> bool:
        """Run a `:command`; False ends the session."""
        word, _, arg = text.partition(" ")
        action = self.commands.get(word)
        if action is None:
            self.stdout.write(f"unknown command {word}, :help lists them\n")
            return True
        return action(arg.strip())

    def evaluate(self, text: str, filename: str = "<repl>") -> None:
        """Run the statements of an input and print each value or error."""
        session = self.session

        def each(stmt, outcome) -> bool:
            if outcome.failed:
                shown = outcome.error_line()
            elif is_inspect(stmt) and type(outcome.value) is str:
                shown = outcome.value  # the lines of `x inspect`, not one escaped string
            else:
                shown = session.print_string(outcome.value)
            self.stdout.write(shown + "\n")
            self.stdout.flush()
            return True

        self.interruptible(lambda: session.run_source(text, filename, each=each))

    def interruptible(self, fn: Callable[[], object]) -> None:
        """Run fn on a big-stack thread; Ctrl-C stops it and returns to the prompt."""
        top = self.session.top
        failure: list[BaseException] = []

        def target() -> None:
            try:
                fn()
            except ActorKilled:  # the interrupt unwound the statement
                pass
            except BaseException as exc:  # handed back to the REPL's thread
                failure.append(exc)

        if not self.interactive:  # no Ctrl-C to expect: run as `beamtalk run` does
            run_with_big_stack(fn)
            return
        interrupted = []

        def stop() -> None:  # Ctrl-C, in the main thread: the statement's checks unwind it
            top.killed = True  # its next send, loop or wait raises ActorKilled
            top.depth += 10**9  # sends take the slow path that checks `killed`
            if interrupted:  # the rest once per statement (it takes the runtime's lock)
                return
            interrupted.append(True)
            rt.kill_running(top)  # inlined loops check too

        rt = self.session.rt
        # Its waits run no actor's message on this thread: a Ctrl-C stops this statement only.
        top.interruptible = True
        self.ctrl_c.action = stop
        try:
            thread = start_thread(target, "beamtalk-repl", THREAD_STACK_BYTES)
            thread.join()
        finally:
            self.ctrl_c.action = None
        if interrupted:
            top.killed = False
            rt.kill_stopped(top)
            top.depth = 0
            top.handlers.clear()
            top.waiting_for = None
            top.start_pending()  # messages it sent before the interrupt still go
            self.stdout.write("Interrupted.\n")
            self.stdout.flush()
        if failure:
            raise failure[0]

    def help(self, arg: str) -> bool:
        self.stdout.write(HELP + "\n")
        return True

    def load(self, arg: str) -> bool:
        """`:load FILE`: read it as File readAll: does (same errors), then run it."""
        if not arg:
            self.stdout.write("ERROR: :load needs a file name: :load FILE\n")
            return True
        session = self.session
        rt = session.rt
        outcome = run_with_big_stack(
            lambda: session.guard(lambda: rt.send(rt.classes["File"], "readAll:", arg)))
        if outcome.failed:
            self.stdout.write(outcome.error_line() + "\n")
            return True
        self.evaluate(outcome.value, arg)
        return True

    def paste(self, arg: str) -> bool:
        lines = []
        while True:
            line = self.read_line("")
            if line is None or line.strip() == ".":
                break
            lines.append(line)
        self.evaluate("\n".join(lines))
        return True


def is_inspect(stmt: object) -> bool:
    """Is the statement `expr inspect` (whose String answer the REPL shows as lines)?"""
    return type(stmt) is ast.Send and stmt.selector == "inspect"


def setup_history() -> Callable[[], None] | None:
    """Line editing and a history file, when readline is available."""
    try:
        import readline
    except ImportError:
        return None
    path = os.path.join(os.path.expanduser("~"), ".beamtalk_history")
    try:
        readline.read_history_file(path)
    except OSError:
        pass
    readline.set_history_length(1000)

    def save() -> None:
        try:
            readline.write_history_file(path)
        except OSError:
            pass

    return save
