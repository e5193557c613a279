"""Literal syntax lives in interp/syntax/literals.py: lexer, AST printer and printString agree."""

from __future__ import annotations

import io
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from beamtalk.interp.runtime.printing import print_string
from beamtalk.interp.runtime.values import Character, Symbol
from beamtalk.interp.session import Session
from beamtalk.interp.syntax import parse_module
from beamtalk.interp.syntax.ast import CharLit, FloatLit, Module, SymbolLit
from beamtalk.interp.syntax.astdump import to_sexp
from beamtalk.interp.syntax.literals import (
    OPERATOR_CHARS,
    char_literal,
    float_text,
    is_operator,
    string_literal,
    symbol_literal,
)
from beamtalk.interp.syntax.printer import to_source

RT = Session(out=io.StringIO()).rt  # printString needs a runtime; nothing here changes it

symbol_texts = st.one_of(
    st.text(),
    st.text(alphabet=OPERATOR_CHARS + ",'#$: ", min_size=1, max_size=4),
    st.from_regex(r"([a-z_][A-Za-z0-9_]{0,4}:){1,3}", fullmatch=True),
    st.sampled_from(["=>", "//", "/*", "+//", "->", ",", "a:b", ":", "", "at:put:", "x1"]),
)


def parses_to(source: str) -> object:
    (statement,) = parse_module(source + "\n").body
    return statement


@given(symbol_texts)
def test_print_string_and_ast_printer_agree_on_every_symbol(name: str) -> None:
    printed = print_string(RT, Symbol(name))
    assert to_source(SymbolLit(name)) == printed
    assert printed == symbol_literal(name)


@given(symbol_texts)
def test_a_printed_symbol_reads_back(name: str) -> None:
    assert parses_to(symbol_literal(name)) == SymbolLit(name)


@pytest.mark.parametrize("name, text", [
    ("foo", "#foo"), ("at:put:", "#at:put:"), ("+", "#+"), ("=>", "#=>"), ("->", "#->"),
    ("hello world", "#'hello world'"), ("it's", "#'it''s'"), ("//", "#'//'"),
    ("+/*", "#'+/*'"), (",", "#','"), ("a:b", "#'a:b'"), ("", "#''"),
])
def test_symbol_quoting(name: str, text: str) -> None:
    assert symbol_literal(name) == text


def test_operator_symbol_stops_before_a_comment() -> None:
    assert parses_to("#+// a comment") == SymbolLit("+")
    assert not is_operator("+//") and is_operator("=>")


@pytest.mark.parametrize("value, text", [
    (0.0, "0.0"), (-0.0, "-0.0"), (5.0, "5.0"), (0.1, "0.1"), (1000.0, "1000.0"),
    (1 / 3, "0.3333333333333333"), (1e16, "1.0e16"), (1.5e-5, "1.5e-5"), (-2e20, "-2.0e20"),
    (1e-4, "0.0001"), (9999999999999998.0, "9999999999999998.0"), (1.7976931348623157e308,
                                                                   "1.7976931348623157e308"),
])
def test_float_text_follows_language_md_4(value: float, text: str) -> None:
    assert float_text(value) == text
    assert print_string(RT, value) == text


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_float_text_reads_back_exactly(value: float) -> None:
    text = float_text(value)
    literal = parses_to(text.lstrip("-"))
    assert isinstance(literal, FloatLit)
    assert math.copysign(literal.value, -1.0 if text.startswith("-") else 1.0) == value


def test_float_text_has_no_form_for_infinity() -> None:
    with pytest.raises(ValueError):
        float_text(math.inf)


def test_sexp_prints_floats_as_beamtalk_does() -> None:
    assert to_sexp(Module((FloatLit(1e16),))) == "(Module [(FloatLit 1.0e16)])"
    assert to_sexp(FloatLit(1.5e-5)) == "(FloatLit 1.5e-5)"


@given(st.characters(blacklist_categories=("Cs",)).filter(lambda c: c not in "\r\n"))
def test_character_literals_read_back_and_print_alike(ch: str) -> None:
    source = to_source(CharLit(ch))
    assert parses_to(source) == CharLit(ch)
    assert print_string(RT, Character(ch)) == char_literal(ch)
    if not char_literal(ch).startswith("("):
        assert char_literal(ch) == source


@pytest.mark.parametrize("text, printed", [
    ("it's", "'it''s'"), ("a\nb", '"a\\nb"'), ('q"{x}\\\t', '"q\\"\\{x\\}\\\\\\t"'),
])
def test_string_literal(text: str, printed: str) -> None:
    assert string_literal(text) == printed
    assert print_string(RT, text) == printed
