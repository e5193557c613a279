"""The stdlib's declarations obey the definition rules (LANGUAGE.md 2.5, 2.6, 5): the runtime
loads them unchecked (interp/runtime/stdlib_loader.py, for start-up time), so this test runs
the same checks as `beamtalk check` (interp/analysis/declarations.py) over every stdlib file,
superclass first, allowing only what the declaration form allows (`@primitive` bodies, Object
without a superclass)."""

from __future__ import annotations

from pathlib import Path

import pytest

from beamtalk.interp.analysis.classtable import ClassTable
from beamtalk.interp.analysis.declarations import check_class
from beamtalk.interp.analysis.scopes import CompileError
from beamtalk.interp.runtime.stdlib_loader import stdlib_definitions
from beamtalk.interp.syntax import ast, parse_module

STDLIB = Path(__file__).resolve().parent.parent / "stdlib"


def check_all(definitions) -> ClassTable:
    """Check each (filename, node) in order against the table the earlier ones built."""
    table = ClassTable()
    for filename, node in definitions:
        assert isinstance(node, ast.ClassDef), f"{filename}: only class definitions"
        check_class(node, table, filename, stdlib=True)
    return table


def test_every_stdlib_declaration_passes_the_definition_rules():
    table = check_all(stdlib_definitions())
    names = sorted(path.stem for path in STDLIB.glob("*.bt"))
    assert sorted(table.infos) == names


def test_one_class_per_file_named_after_it():
    for path in sorted(STDLIB.glob("*.bt")):
        body = parse_module(path.read_text(encoding="utf-8"), str(path)).body
        assert [type(stmt) for stmt in body] == [ast.ClassDef], path
        assert body[0].name == path.stem, path


@pytest.mark.parametrize("source, message", [
    ("Object subclass: Dup\n  a => 1\n  a => 2\n", "method `a` is defined twice"),
    ("Object subclass: Dup\n  state: x = 1\n  state: x = 2\n", "`x` is declared twice"),
    ("Integer subclass: Big\n", "Integer is sealed"),
    ("Nowhere subclass: Lost\n", "unknown superclass `Nowhere`"),
    ("nil subclass: Root\n", "only Object has no superclass"),
    ("Object subclass: Bad\n  a => undefinedThing\n", "undefined variable 'undefinedThing'"),
])
def test_a_broken_declaration_is_reported(source, message):
    # The check finds errors in a stdlib-style declaration (not a check that cannot fail).
    node = parse_module(source, "stdlib/Bad.bt").body[0]
    with pytest.raises(CompileError) as info:
        check_all([*stdlib_definitions(), ("stdlib/Bad.bt", node)])
    assert message in info.value.diagnostic.message
