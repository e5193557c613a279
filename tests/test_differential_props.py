"""The differential property (issue 12): generated well-formed programs
(tests/differential_programs.py) print the same results, errors and Transcript text on the
interpreter and on the BEAM, statement by statement.

One node serves the module (reset before each example); the interpreter runs in-process.
CI runs a bounded number of examples (BEAMTALK_DIFF_EXAMPLES, default 12); every
disagreement found so far is a conformance case (conformance/library/differential_found.bt).
"""

from __future__ import annotations

import io
import os
import shutil

import pytest
from differential_programs import programs
from hypothesis import HealthCheck, Phase, given, settings

from beamtalk.interp.session import Outcome, Session, run_with_big_stack

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("erl") is None, reason="needs Erlang/OTP")]

EXAMPLES = int(os.environ.get("BEAMTALK_DIFF_EXAMPLES", "12"))
PATH = "differential.bt"


@pytest.fixture(scope="module")
def beam():
    # lazy: only this module needs a node and stage 0
    from beamtalk.bootstrap.beam_session import BeamSession

    with BeamSession() as session:
        yield session


def on_interpreter(statements: list[str]) -> list[tuple[str, str]]:
    """(shown text, Transcript text) of each statement, in a fresh session."""

    def go() -> list[tuple[str, str]]:
        out = io.StringIO()
        session = Session(out=out, err=io.StringIO())
        shown = []

        def each(_stmt: object, outcome: Outcome) -> bool:  # Transcript text as it ran
            text = outcome.error_line() if outcome.failed else session.print_string(
                outcome.value)
            shown.append((text, out.getvalue()))
            out.seek(0)
            out.truncate()
            return True

        session.run_source("\n".join(statements), PATH, each=each)
        return shown

    return run_with_big_stack(go)


def on_beam(session, statements: list[str]) -> list[tuple[str, str]]:
    """The same on the module's node, reset first; each statement compiled by stage 0."""
    session.reset()
    items, line = [], 1
    for text in statements:
        items.append((text, line, PATH))
        line += text.count("\n") + 1
    shown = []
    for entry, (_, first, _) in zip(session.compile(items), items):
        pieces: list[str] = []
        outcome = session.run_entry(entry, first, pieces.append)
        shown.append((outcome.show(), "".join(pieces)))
    return shown


# No shrinking: each example costs a stage-0 compilation, and the generated failure (every
# statement with both answers) is readable as it is.
@settings(max_examples=EXAMPLES, deadline=None, database=None,
          phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(programs())
def test_both_backends_print_the_same(beam, statements):
    interp = on_interpreter(statements)
    native = on_beam(beam, statements)
    assert len(native) == len(interp)
    for text, a, b in zip(statements, interp, native):
        assert b == a, f"statement: {text}"
