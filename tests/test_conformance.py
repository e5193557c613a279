"""The conformance corpus: it never silently shrinks, and the interpreter passes it."""

from __future__ import annotations

import io
from pathlib import Path

from beamtalk.bootstrap.conform import case_files, conform, count_expectations, matches

CORPUS = Path(__file__).resolve().parent.parent / "conformance"


def test_corpus_never_shrinks():
    counts = {path: count_expectations(path) for path in case_files([str(CORPUS)])}
    recorded = int((CORPUS / "MINIMUM_EXPECTATIONS").read_text().strip())
    assert all(n > 0 for n in counts.values()), [p for p, n in counts.items() if n == 0]
    assert sum(counts.values()) >= recorded, "conformance expectations were removed"


def test_interpreter_passes_the_corpus():
    out = io.StringIO()
    status = conform([str(CORPUS)], "interp", verbose=False, out=out)
    assert status == 0, out.getvalue()[-4000:]
    assert out.getvalue().splitlines()[-1].endswith(" 0 failed")


def test_wildcards():
    assert matches("#Actor<Counter,_>", "#Actor<Counter,<0.84.0>>")
    assert matches("_", "anything at all")
    assert matches("ERROR: zero_divide", "ERROR: zero_divide")
    assert not matches("zero_divide", "zero-divide")
    assert not matches("#Actor<Counter,_>", "#Actor<Timer,1>")
