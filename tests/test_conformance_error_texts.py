"""Every conformance expectation of a built-in error checks its text (`ERROR: kind: text`)."""

from __future__ import annotations

import io
import re
from pathlib import Path

from beamtalk.interp.session import Session

CORPUS = Path(__file__).resolve().parent.parent / "conformance"
KIND_ONLY = re.compile(r"\s*// => ERROR: ([a-z_]+)\s*\Z")
# Statements whose built-in error has no text to check: signalled without one (or with an
# empty one, which is no text), or an Erlang reason that only the BEAM backend knows.
NO_TEXT = {"Error signal", "Error new signal", "Erlang lists no_such_function: 1",
           "nil error: ''", "Error signal: ''", "Error new signal: ''",
           "ZeroDivide new signal: ''"}


def built_in_kinds() -> set[str]:
    """The kinds of the exception classes declared in stdlib/."""
    rt = Session(out=io.StringIO()).rt
    exception = rt.classes["Exception"]
    kinds = set()
    for name, cls in rt.classes.items():
        if cls.builtin and exception in cls.chain():
            kinds.add(rt.send(rt.make_error(name), "kind").name)
    return kinds


def test_built_in_error_expectations_check_their_text() -> None:
    kinds = built_in_kinds()
    assert {"zero_divide", "type_error", "timeout", "arity_mismatch"} <= kinds
    missing = []
    for path in sorted(CORPUS.rglob("*.bt")):
        lines = path.read_text(encoding="utf-8").split("\n")
        for number, line in enumerate(lines, 1):
            match = KIND_ONLY.match(line)
            if match is None or match.group(1) not in kinds:
                continue
            statement = lines[number - 2].strip() if number > 1 else ""
            if statement not in NO_TEXT:
                missing.append(f"{path.relative_to(CORPUS)}:{number}")
    assert missing == [], "write `// => ERROR: kind: text` with the spec's wording"
