"""Mutated conformance statements never break the interpreter (issue 10): statements of the
corpus with tokens deleted, duplicated or swapped, or literals changed, run to a value or
a typed Beamtalk error: never an internal_error, never a Python traceback, never a hang
(a run still going after a generous bound must stop when interrupted, as Ctrl-C does).

Cases that spawn actors, touch files or the system are left out: a mutation there could
leave a spinning actor behind or write anywhere.  The fast tier draws a few examples;
the slow tier draws 2,000.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beamtalk.interp.runtime.control_flow import ActorKilled
from beamtalk.interp.runtime.runtime import THREAD_STACK_BYTES
from beamtalk.interp.runtime.scheduler import start_thread
from beamtalk.interp.session import Session
from beamtalk.interp.syntax.conformance_cases import read_case
from beamtalk.interp.syntax.lexer import tokenize

CORPUS = Path(__file__).resolve().parent.parent / "conformance"
UNSAFE = ("spawn", "Actor", "Supervisor", "File", "System", "Erlang", "Delay", "Beamtalk at:",
          "Model", "Tool", "complete:", "@load")
RUN_BOUND_S = 20.0  # a run still going after this is interrupted (loops may be endless)
STOP_BOUND_S = 30.0  # an interrupted run must have stopped by then, or it hangs
FAST = settings(deadline=None, max_examples=25, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SLOW = settings(deadline=None, max_examples=2000,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@cache
def cases() -> tuple[tuple[tuple[str, ...], str], ...]:
    """(definition chunks before it, statement chunk) for every safe chunk of the corpus."""
    found = []
    for path in sorted(CORPUS.rglob("*.bt")):
        text = path.read_text(encoding="utf-8")
        if "fixtures" in path.parts or any(word in text for word in UNSAFE):
            continue
        definitions: list[str] = []
        for chunk in read_case(text, str(path)).chunks:
            source = chunk.source
            if " subclass: " in source.split("\n", 1)[0] or " >> " in source.split("\n", 1)[0]:
                definitions.append(source)
            else:
                found.append((tuple(definitions), source))
    return tuple(found)


LITERALS = st.one_of(
    st.sampled_from(["0", "-1", "1", "2 ** 64", "10 ** 30", "0.0", "-0.5", "1.0e308", "nil",
                     "true", "''", "'x'", "#()", "#{}", "$a", "#foo", "[]", "[:x | x]",
                     "(1 to: 0)", "3", "1000000"]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)


@st.composite
def mutated(draw) -> tuple[tuple[str, ...], str]:
    """A corpus statement with one to three token edits."""
    definitions, source = draw(st.sampled_from(cases()))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        tokens = [t for t in tokenize(source, "<m>").tokens if t.end > t.lexpos]
        if not tokens:
            break
        i = draw(st.integers(min_value=0, max_value=len(tokens) - 1))
        tok = tokens[i]
        text = source[tok.lexpos:tok.end]
        edit = draw(st.sampled_from(["delete", "duplicate", "swap", "literal"]))
        if edit == "delete":
            source = source[:tok.lexpos] + source[tok.end:]
        elif edit == "duplicate":
            source = source[:tok.end] + " " + text + source[tok.end:]
        elif edit == "swap":
            other = tokens[draw(st.integers(min_value=0, max_value=len(tokens) - 1))]
            first, second = sorted((tok, other), key=lambda t: t.lexpos)
            if first is not second and first.end <= second.lexpos:
                a = source[first.lexpos:first.end]
                b = source[second.lexpos:second.end]
                source = (source[:first.lexpos] + b + source[first.end:second.lexpos] + a
                          + source[second.end:])
        else:
            source = source[:tok.lexpos] + draw(LITERALS) + source[tok.end:]
    return definitions, source


def run_guarded(definitions: tuple[str, ...], source: str) -> list[str]:
    """Run the definitions and the statement; each outcome's error line or value text."""
    session = Session(out=io.StringIO(), err=io.StringIO())
    session.rt.await_timeout_ms = 500
    lines: list[str] = []
    failure: list[BaseException] = []

    def work() -> None:
        try:
            for text in (*definitions, source):
                for outcome in session.run_source(text, "mutant.bt"):
                    lines.append(outcome.error_line() if outcome.failed
                                 else session.print_string(outcome.value))
        except ActorKilled:
            lines.append("interrupted")
        except BaseException as exc:  # a Python exception escaping the session: a failure
            failure.append(exc)

    thread = start_thread(work, "mutant", THREAD_STACK_BYTES)
    thread.join(RUN_BOUND_S)
    if thread.is_alive():  # an endless loop is legal; stopping it must work
        session.top.killed = True
        session.top.depth += 10**9
        thread.join(STOP_BOUND_S)
    assert not thread.is_alive(), f"hang: {source!r}"
    if failure:
        raise AssertionError(f"{type(failure[0]).__name__} escaped for {source!r}") \
            from failure[0]
    return lines


def check(example: tuple[tuple[str, ...], str]) -> None:
    definitions, source = example
    for line in run_guarded(definitions, source):
        assert "internal_error" not in line, f"{line} for {source!r}"
        assert "Traceback" not in line, f"{line} for {source!r}"


def test_the_corpus_offers_statements_to_mutate():
    assert len(cases()) > 500


@FAST
@given(mutated())
def test_mutated_statements_give_values_or_typed_errors(example):
    check(example)


@pytest.mark.slow
@SLOW
@given(mutated())
def test_mutated_statements_give_values_or_typed_errors_2000_examples(example):
    check(example)
