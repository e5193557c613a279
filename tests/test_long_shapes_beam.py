"""Long expressions on the native backend (issue 12): one statement holding a long chain of
sends, a long cascade, a long literal, or a class whose method has thousands of statements,
compiled by the native compiler (stage 0 when no bootstrap is built) and run in a node; each
answer is checked. How the compile time grows with the length is measured by hand and in
benchmarks, never asserted here."""

from __future__ import annotations

import shutil

import pytest

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("erl") is None, reason="needs Erlang/OTP")]


def chain(n: int, op: str) -> str:
    """`1 op 1 op ... op 1` with n terms."""
    return f" {op} ".join(["1"] * n)


def method_body(n: int) -> str:
    """A class whose method runs n assignment statements, and a send of it."""
    lines = ["Object subclass: LongBody", "  run =>", "    | x |", "    x := 0"]
    lines += ["    x := x + 1"] * n
    lines += ["    ^x", ""]
    return "\n".join(lines)


SHAPES = {
    # name: (statements, the printString of the last one)
    "sum": ([f"({chain(4000, '+')}) printString"], "'4000'"),
    "unary chain": (["-3" + " abs" * 4000], "3"),
    "nested parentheses": (["(" * 2000 + "3" + ")" * 2000 + " + 1"], "4"),
    "nested blocks": (["x := " + "[" * 200 + "5" + "] value" * 200, "x + 1"], "6"),
    "keyword chain": (["(" * 2000 + "0" + "".join(f" max: {i})" for i in range(2000))], "1999"),
    "cascade": (["3 + 1" + "; + 1" * 3000 + "; + 7"], "10"),
    "literal array": ([f"#({', '.join(str(i) for i in range(1, 5001))}) inject: 0 into: "
                       "[:a :b | a + b]"], str(5000 * 5001 // 2)),
    "brace tuple": (["{" + ", ".join(str(i) for i in range(5000)) + "} size"], "5000"),
    "brace tuple of sends": (["({" + ", ".join(f"{i} + 1" for i in range(1000)) + "} at: 1000)"],
                             "1000"),
    "string concatenation": (["(" + ", ".join(["'ab'"] * 3000) + ") size"], "6000"),
    "method of many statements": ([method_body(2000), "LongBody new run"], "2000"),
}


@pytest.fixture(scope="module")
def beam():
    """One node (and native compiler) for every shape."""
    from beamtalk.bootstrap.beam_session import BeamSession

    with BeamSession() as session:
        yield session


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_long_shapes_compile_and_run_on_the_beam(beam, name):
    statements, expected = SHAPES[name]
    beam.reset()
    entries = beam.compile([(text, 1, "long.bt") for text in statements])
    assert len(entries) == len(statements)
    outcome = None
    for entry in entries:
        assert entry.error is None, (name, entry.error[:500])
        outcome = beam.run_entry(entry, 1)
        assert not outcome.failed, (name, outcome.show()[:500])
    assert outcome.value == expected


def test_a_statement_too_large_for_the_native_compiler_is_one_clean_error(beam):
    # Some 16,000 chained sends fill a compiler actor's heap (the limit every actor has): the
    # answer names the cause and the remedy, without the compiler's Erlang frames.
    from beamtalk.bootstrap import stage0

    if beam.compiler is None:
        pytest.skip("stage 0 (no bootstrap built) takes minutes on this input")
    with pytest.raises(stage0.compiler_bt.CompilerBtError) as err:
        beam.compile([(f"({chain(24000, '+')}) printString", 1, "long.bt")])
    text = str(err.value)
    assert "too large for the native compiler" in text and "split long statements" in text
    assert "beamtalk_" not in text and "bt@" not in text
