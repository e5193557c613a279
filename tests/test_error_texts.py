"""The run-time error table stdlib/errors.tsv: its format, its loader and its use."""

from __future__ import annotations

import io

import pytest

from beamtalk.interp.runtime.error_texts import (
    ErrorTableInvalid,
    error_table,
    error_text,
    parse_table,
)
from beamtalk.interp.session import Session, evaluate


def test_format_comments_blank_lines_and_columns() -> None:
    table = parse_table("# a comment\n\nsome_id\tTypeError\t#{selector} got {kind}\n")
    assert list(table) == ["some_id"]
    entry = table["some_id"]
    assert (entry.class_name, entry.placeholders) == ("TypeError", ("selector", "kind"))
    assert entry.render({"selector": "+", "kind": "a String"}) == "#+ got a String"


def test_literal_braces_are_doubled() -> None:
    entry = parse_table("braces\tError\tuse {{x}} for {what}\n")["braces"]
    assert entry.placeholders == ("what",)
    assert entry.render({"what": "it"}) == "use {x} for it"


@pytest.mark.parametrize("line, problem", [
    ("only_two\tError\n", "3 TAB-separated columns"),
    ("a\tError\tx\textra\n", "3 TAB-separated columns"),
    ("CamelId\tError\tx\n", "snake_case"),
    ("bad__id\tError\tx\n", "snake_case"),
    ("an_id\ttype_error\tx\n", "not a class name"),
    ("an_id\tError\tone { brace\n", "literal brace"),
    ("an_id\tError\t{x!r}\n", "plain name"),
    ("an_id\tError\t{x:>4}\n", "plain name"),
    ("an_id\tError\t{x.y}\n", "plain name"),
    ("an_id\tError\tx\nan_id\tError\ty\n", "defined twice"),
])
def test_malformed_lines_are_rejected_with_their_line(line: str, problem: str) -> None:
    with pytest.raises(ErrorTableInvalid, match=problem) as info:
        parse_table("# header\n" + line, "t.tsv")
    assert "t.tsv:" in str(info.value)


def test_render_needs_exactly_the_placeholders() -> None:
    with pytest.raises(KeyError, match="missing kind"):
        error_text("expects_number", selector="+")
    with pytest.raises(KeyError, match="unexpected extra"):
        error_text("division_by_zero", extra=1)


def test_shipped_table_is_loaded_once_and_immutable() -> None:
    table = error_table()
    assert error_table() is table
    with pytest.raises(TypeError):
        table["new_id"] = table["division_by_zero"]  # type: ignore[index]


def test_every_class_in_the_table_is_a_built_in_exception_class() -> None:
    session = Session(out=io.StringIO())
    rt = session.rt
    exception = rt.classes["Exception"]
    for entry in error_table().values():
        cls = rt.classes.get(entry.class_name)
        assert cls is not None, f"{entry.id}: no class {entry.class_name}"
        assert exception in list(cls.chain()), f"{entry.id}: {entry.class_name} is no Exception"


def test_spec_wording_of_the_table() -> None:
    # LANGUAGE.md 3.4 gives these texts word for word.
    assert error_text("division_by_zero") == ("ZeroDivide", "Division by zero")
    assert error_text("expects_number", selector="+", kind="a String") == (
        "TypeError", "#+ expects a Number, got a String")
    assert error_text("index_out_of_bounds", index=5, size=2)[1] == "Index 5 out of bounds 1..2"
    assert error_text("key_not_found", key="#b")[1] == "Key not found: #b"
    assert error_text("block_arity_one", count=2)[1] == "Block expects 1 argument, got 2"
    assert error_text("actor_dead", class_name="Counter")[1] == "Counter actor is not alive"


def test_signalled_through_the_runtime() -> None:
    (line,) = evaluate("1 / 0", session=Session(out=io.StringIO()))
    assert line == "ERROR: zero_divide: Division by zero"
