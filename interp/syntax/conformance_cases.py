"""Reads conformance case files (CONFORMANCE.md): statements, their expectations, directives.

A case file is split into chunks before any parsing, so that a syntax error cannot swallow
the rest of the file: an expectation comment, and any code line starting at column 0 (but
not a closing bracket, a line inside a multi-line string or block comment, or a
comment-only line), ends the chunk before it.  A chunk holds one or more statements;
its expectations belong to its last statement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexer import tokenize

VALUE = re.compile(r"^//\s?=>\s?(.*)$")
OUTPUT = re.compile(r"^//\s?out:\s?(.*)$")
DIRECTIVE = re.compile(r"^//\s?@(load-error|load|backend|timeout|pending)\b\s*(.*)$")


@dataclass(slots=True)
class Expectation:
    """`// => text` (kind "value"), `// => ERROR: ...` (kind "error") or `// out: text`."""

    kind: str
    text: str
    line: int


@dataclass(slots=True)
class Chunk:
    """Source lines run as one or more statements; the last one's result is checked."""

    source: str
    line: int  # the 1-based line of the chunk's first line
    expectations: list[Expectation] = field(default_factory=list)

    @property
    def values(self) -> list[Expectation]:
        """The `// =>` expectations (value or error)."""
        return [e for e in self.expectations if e.kind in ("value", "error")]

    @property
    def outputs(self) -> list[Expectation]:
        """The `// out:` lines, in order."""
        return [e for e in self.expectations if e.kind == "out"]

    def expects_error(self, kind: str) -> bool:
        """Does a `// => ERROR: kind` expectation follow this chunk?"""
        return any(e.kind == "error" and error_kind(e.text) == kind for e in self.expectations)


@dataclass(slots=True)
class Case:
    """A whole case file."""

    path: str
    chunks: list[Chunk]
    directives: list[tuple[str, str, int]]  # (name, argument, line)

    def directive(self, name: str) -> list[str]:
        """The arguments of every directive with this name, in file order."""
        return [arg for n, arg, _ in self.directives if n == name]


def error_kind(text: str) -> str:
    """`ERROR: zero_divide: text` -> `zero_divide`."""
    return text[len("ERROR:"):].strip().split(":", 1)[0].strip()


def read_case(text: str, path: str = "<case>") -> Case:
    """Split a case file into chunks with their expectations, and collect its directives."""
    lexed = tokenize(text, path)
    lines = text.splitlines()
    expectation_lines: dict[int, Expectation] = {}
    directives: list[tuple[str, str, int]] = []
    for line, col, comment in lexed.comments:
        if not lines[line - 1][:col].strip() == "":
            continue  # a trailing comment after code
        if m := DIRECTIVE.match(comment):
            directives.append((m.group(1), m.group(2).strip(), line))
        elif m := VALUE.match(comment):
            body = m.group(1).rstrip()
            kind = "error" if body.startswith("ERROR:") else "value"
            expectation_lines[line] = Expectation(kind, body, line)
        elif m := OUTPUT.match(comment):
            expectation_lines[line] = Expectation("out", m.group(1).rstrip("\r"), line)

    # Lines inside a multi-line string or block comment never start a chunk.
    inside: set[int] = set()
    for tok in lexed.tokens:
        inside.update(range(tok.lineno + 1, tok.end_line + 1))
    for line, _, comment in lexed.comments:
        inside.update(range(line + 1, line + comment.count("\n") + 1))
    code = {tok.lineno for tok in lexed.tokens} | {e.line for e in lexed.errors}

    chunks: list[Chunk] = []
    current: list[str] = []
    current_line = 0
    carry: list[tuple[int, str]] = []  # blank and comment-only lines not yet placed
    last: Chunk | None = None

    def close() -> None:
        nonlocal current, last
        if current:
            last = Chunk("\n".join(current), current_line)
            chunks.append(last)
        current = []

    for number, raw in enumerate(lines, start=1):
        if number in expectation_lines:
            close()
            carry = []
            if last is not None:
                last.expectations.append(expectation_lines[number])
            continue
        if number not in code and number not in inside:
            carry.append((number, raw))  # comments above a statement go with it (doc comments)
            continue
        starts = (number not in inside and raw[:1] not in ("", " ", "\t", ")", "]", "}"))
        if starts or not current:
            close()
            blank = [i for i, (_, text) in enumerate(carry) if not text.strip()]
            carry = carry[blank[-1] + 1:] if blank else carry  # only comments directly above
            current_line = carry[0][0] if carry else number
            current = [text for _, text in carry]
        else:
            current.extend(text for _, text in carry)
        carry = []
        current.append(raw)
    close()
    return Case(path, chunks, directives)
