"""Diagnostics on very long lines show an excerpt around the column (issue 10), alike in
both front ends: a 250,000-term line must not print a megabyte of source."""

from __future__ import annotations

import pytest
from compiler_bt_support import assert_same_check, python_check

from beamtalk.interp.syntax.diagnostics import (
    EXCERPT_CONTEXT,
    EXCERPT_LIMIT,
    Diagnostic,
    excerpt,
)

LONG = "x := " + "a + " * 100 + "Foo" + " + b" * 100  # `Foo` far from both ends


def shown_lines(rendered: str) -> tuple[str, str]:
    """The excerpt line (after the gutter) and the caret line of a rendering."""
    lines = rendered.splitlines()
    gutter = lines[1].index(" | ") + 3
    return lines[1][gutter:], lines[2][gutter:]


def test_a_line_within_the_limit_is_shown_whole():
    text = "y" * EXCERPT_LIMIT
    assert excerpt(text, 50) == (text, 50)


def test_a_long_line_shows_the_characters_around_the_column_with_the_underline_on_them():
    col = LONG.index("Foo") + 1
    rendered = Diagnostic("unknown global `Foo`", "f.bt", 1, col, 3).render(LONG)
    text, carets = shown_lines(rendered)
    assert text.startswith("...") and text.endswith("...")
    assert len(text) == 2 * EXCERPT_CONTEXT + 6
    start = carets.index("^")
    assert text[start:start + 3] == "Foo" and carets[start:] == "^^^"


@pytest.mark.parametrize("col, cut_left, cut_right", [(1, False, True), (6, False, True)])
def test_a_column_near_the_start_cuts_only_the_end(col, cut_left, cut_right):
    text, carets = shown_lines(Diagnostic("m", "f.bt", 1, col, 1).render(LONG))
    assert text.startswith("...") is cut_left and text.endswith("...") is cut_right
    assert text[carets.index("^")] == LONG[col - 1]


def test_a_column_past_the_end_of_a_long_line_keeps_its_caret_after_the_text():
    text, carets = shown_lines(Diagnostic("m", "f.bt", 1, len(LONG) + 1, 4).render(LONG))
    assert text.startswith("...") and not text.endswith("...")
    assert carets == " " * len(text) + "^"


def test_the_rendering_of_a_huge_line_is_small():
    source = "1" + " + 1" * 250_000
    rendered = Diagnostic("m", "f.bt", 1, 500_000, 1, "h").render(source)
    assert len(rendered) < 400


@pytest.mark.parametrize("source", [
    LONG,
    "x := Foo" + " + b" * 100,
    "x := " + "a + " * 100 + "Foo",
    "x := " + "a + " * 100 + ") + b" * 60,  # a syntax error mid-line
    "x := \t" + "a + " * 60 + "\tFoo" + " + b" * 60,  # tabs expand before the cut
])
def test_compiler_bt_renders_long_lines_as_beamtalk_check_does(source):
    assert "..." in python_check(source, "long.bt")
    assert_same_check(source, "long.bt")
