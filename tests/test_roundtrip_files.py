"""Every `.bt` file in the repository is stable under parse -> print -> parse.

Conformance cases are checked statement by statement (as the runner splits them),
skipping statements that expect a syntax error.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from beamtalk.interp.syntax import DiagnosticError, parse_module
from beamtalk.interp.syntax.conformance_cases import read_case
from beamtalk.interp.syntax.printer import to_source

REPO = Path(__file__).resolve().parent.parent
FILES = sorted(p for p in REPO.rglob("*.bt")
               if not {".venv", "_build", "build"} & set(p.relative_to(REPO).parts))
CASES = [p for p in FILES if "conformance" in p.parts and "fixtures" not in p.parts]
WHOLE = [p for p in FILES if p not in CASES and p.name != "lang_bad_syntax.bt"]


def rel(path: Path) -> str:
    return str(path.relative_to(REPO))


def assert_stable(source: str, where: str, first_line: int = 1) -> None:
    module = parse_module(source, where, first_line)
    printed = to_source(module)
    try:
        again = parse_module(printed, where + " (printed)")
    except DiagnosticError as err:
        raise AssertionError(f"{where}: printed source does not parse:\n{printed}\n"
                             f"{err.render()}") from None
    assert again == module, f"{where}: printing changed the tree:\n{printed}"


@pytest.mark.parametrize("path", WHOLE, ids=rel)
def test_file_round_trips(path):
    assert_stable(path.read_text(encoding="utf-8"), rel(path))


@pytest.mark.parametrize("path", CASES, ids=rel)
def test_case_statements_round_trip(path):
    case = read_case(path.read_text(encoding="utf-8"), rel(path))
    for chunk in case.chunks:
        if chunk.expects_error("syntax_error"):
            continue
        assert_stable(chunk.source, f"{rel(path)}:{chunk.line}", chunk.line)
