"""The interactive session: read a complete input, run it, print each value (LANGUAGE.md 2.2).

A line runs as soon as it is complete.  After a class header, a line ending with `=>`,
or an incomplete line (open bracket, trailing operator or keyword, unterminated
string), more lines are read until an empty line.  `:paste` reads lines up to one
holding only `.`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from beamtalk.interp.session import Session, run_with_big_stack
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
    """One interactive session on the interpreter."""

    def __init__(self, stdin: TextIO | None = None, stdout: TextIO | None = None,
                 prompt: bool = True):
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.interactive = prompt and self.stdin.isatty()
        self.session = Session(out=self.stdout, err=sys.stderr)
        self.commands: dict[str, Callable[[str], bool]] = {
            ":quit": lambda arg: False, ":q": lambda arg: False, ":help": self.help,
            ":load": self.load, ":paste": self.paste,
        }

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
            self.stdout.write("Beamtalk (interpreter). :help for help, :quit to leave.\n")
        try:
            while True:
                text = self.read_input()
                if text is None:
                    break
                if not text.strip():
                    continue
                word, _, arg = text.strip().partition(" ")
                if word in self.commands:
                    if self.commands[word](arg.strip()) is False:
                        break
                    continue
                self.evaluate(text)
        finally:
            if history:
                history()
        return 0

    def read_input(self) -> str | None:
        line = self.read_line("bt> ")
        if line is None:
            return None
        if line.strip().startswith(":") or not needs_more(line):
            return line
        lines = [line]
        while True:
            more = self.read_line("..> ")
            if more is None or (not more.strip() and not incomplete("\n".join(lines))):
                return "\n".join(lines)
            lines.append(more)

    def evaluate(self, text: str, filename: str = "<repl>") -> None:
        """Run the statements of an input and print each value or error."""
        session = self.session

        def each(stmt, outcome) -> bool:
            shown = outcome.error_line() if outcome.failed else session.print_string(
                outcome.value)
            self.stdout.write(shown + "\n")
            self.stdout.flush()
            return True

        run_with_big_stack(lambda: session.run_source(text, filename, each=each))

    def help(self, arg: str) -> bool:
        self.stdout.write(HELP + "\n")
        return True

    def load(self, arg: str) -> bool:
        try:
            text = Path(arg).read_text(encoding="utf-8")
        except OSError as exc:
            self.stdout.write(f"ERROR: io_error: cannot read {arg}: {exc.strerror}\n")
            return True
        self.evaluate(text, arg)
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
