"""Definition errors have one home (analysis/declarations.py): running a definition and
`beamtalk check` report the same first error, and the runtime really asks that module."""

from __future__ import annotations

import pytest

from beamtalk.interp.analysis import declarations
from beamtalk.interp.analysis.check import check_source
from beamtalk.interp.session import Session

WRONG = [
    "Object subclass: A\n  state: x = 1\n  state: x = 2\n",
    "Object subclass: A\n  state: x = 1\nA subclass: B\n  state: x = 2\n",
    "Object subclass: A\n  foo => 1\n  foo => 2\n",
    "Nope subclass: A\n",
    "Object subclass: Integer\n",
    "Object subclass: A\n  sealed foo => 1\nA subclass: B\n  foo => 2\n",
    "Integer >> + other => 0\n",
    "Object subclass: A\n  foo => @primitive\n",
    "sealed Object subclass: A\nA subclass: B\n",
    "Object subclass: A\nActor subclass: A\n",
]


def run_errors(source: str) -> list[str]:
    session = Session()
    texts = []
    for stmt in session.parse(source, "t.bt"):
        outcome = session.execute(stmt, "t.bt")
        if outcome.failed:
            texts.append(outcome.error_text)
    return texts


@pytest.mark.parametrize("source", WRONG)
def test_running_a_definition_reports_what_check_reports(source):
    checked = [d.message for d in check_source(source, "t.bt") if d.severity == "error"]
    assert checked, "the case must be a definition error"
    assert run_errors(source)[:1] == checked[:1]


def test_the_runtime_asks_the_analysis_module(monkeypatch):
    seen = []
    original = declarations.check_class

    def spy(node, table, filename, into=None):
        seen.append(node.name)
        return original(node, table, filename, into)

    from beamtalk.interp.runtime import definitions

    monkeypatch.setattr(definitions, "check_class", spy)
    assert run_errors("Object subclass: Fresh\n  foo => 1\n") == []
    assert seen == ["Fresh"]
