"""The Beamtalk fallback bodies under `@primitive` in stdlib/ mean what the primitives do.

A backend without a primitive runs its fallback (LANGUAGE.md 5), so the whole corpus must
pass with every primitive that has a fallback taken away from the interpreter.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from beamtalk.bootstrap.conform import conform
from beamtalk.interp.runtime import stdlib_loader
from beamtalk.interp.session import Session, evaluate
from beamtalk.interp.syntax import ast

CORPUS = Path(__file__).resolve().parent.parent / "conformance"


def fallbacks() -> list[tuple[str, str]]:
    """(primitive table, primitive name) of every stdlib primitive with a fallback body."""
    found = []
    for _filename, node in stdlib_loader.stdlib_definitions():
        for member in node.members:
            body = getattr(member, "body", ())
            if len(body) > 1 and isinstance(body[0], ast.Primitive):
                table = node.name + (" class" if member.class_side else "")
                found.append((table, body[0].name or member.selector))
    return sorted(found)


@pytest.fixture
def without_fallback_primitives(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """The interpreter's primitive tables minus every primitive that has a fallback."""
    dropped = fallbacks()
    tables = {name: dict(table) for name, table in stdlib_loader.PRIMITIVES.items()}
    for table, name in dropped:
        del tables[table][name]
    monkeypatch.setattr(stdlib_loader, "PRIMITIVES", tables)
    return dropped


def test_the_stdlib_declares_fallbacks() -> None:
    assert {("Exception", "kind"), ("List", "sum"), ("List", "unique"),
            ("Object", "inspect")} <= set(fallbacks())


def test_without_the_primitives_the_fallbacks_run(without_fallback_primitives) -> None:
    session = Session(out=io.StringIO())
    for table, selector in without_fallback_primitives:
        cls = session.rt.classes[table.split()[0]]
        behavior = cls.meta if table.endswith(" class") else cls
        assert behavior.methods[selector].primitive is None
    assert evaluate("#(3, 1, 3, 2) unique\n#(1, 2.5) sum\n#(2, 7, 1) max\n(1 to: 4) sum",
                    session=session) == ["#(3, 1, 2)", "3.5", "7", "10"]


KINDS = [
    ("AgentError", "agent_error"), ("HTTPError", "http_error"), ("IOFailure", "io_failure"),
    ("XMLHttpRequestError", "xml_http_request_error"), ("Error2Go", "error2_go"),
    ("My_Error", "my_error"), ("ABC", "abc"), ("A1B", "a1_b"),
]


def kind_of(name: str) -> str:
    source = f"Error subclass: {name}\n\n[{name} signal] on: Error do: [:e | e kind]\n"
    return evaluate(source, session=Session(out=io.StringIO()))[-1]


@pytest.mark.parametrize("name, kind", KINDS)
def test_kind_fallback_is_the_snake_case_of_the_name(without_fallback_primitives, name: str,
                                                     kind: str) -> None:
    assert kind_of(name) == f"#{kind}"


@pytest.mark.parametrize("name, kind", KINDS)
def test_kind_primitive_agrees(name: str, kind: str) -> None:
    assert kind_of(name) == f"#{kind}"


@pytest.mark.slow
def test_the_corpus_passes_on_the_fallbacks(without_fallback_primitives) -> None:
    out = io.StringIO()
    status = conform([str(CORPUS)], "interp", False, out=out)
    assert status == 0, out.getvalue()[-3000:]
