"""The BEAM runtime's result limits (runtime_erl/src/beamtalk_limits.erl) are the
interpreter's (interp/runtime/limits.py): the same numbers, so the same programs signal
`result_too_large` on both backends (conformance/library/differential_found.bt runs them)."""

from __future__ import annotations

import re
from pathlib import Path

from beamtalk.interp.runtime import limits

ERL = Path(__file__).resolve().parent.parent / "runtime_erl" / "src" / "beamtalk_limits.erl"


def erlang_defines() -> dict[str, int]:
    """The `-define(NAME, Integer).` lines of beamtalk_limits.erl."""
    text = ERL.read_text(encoding="utf-8")
    return {m.group(1): int(m.group(2))
            for m in re.finditer(r"^-define\((\w+),\s*(\d+)\)\.", text, re.MULTILINE)}


def test_the_limits_are_the_interpreters():
    assert erlang_defines() == {"MAX_RESULT_BITS": limits.MAX_RESULT_BITS,
                                "MAX_ELEMENTS": limits.MAX_ELEMENTS,
                                "MAX_FACTORIAL": limits.MAX_FACTORIAL}
