"""The front end's two fast paths give exactly what the PLY rules give (issue 10).

- The scanner matches the commonest lexemes with one pattern and leaves the rest to PLY's
  rules: the tokens (types, values, every position), errors and comments must equal a
  scan by PLY's rules alone.
- The parser builds simple top-level lines itself (`simple_lines.py`) and runs PLY on the
  ranges between them: the tree, spans included, and every diagnostic must equal the
  plain PLY parse's.

Both are checked on every Beamtalk file of the checkout and on random token soup.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from beamtalk.interp.syntax import DiagnosticError
from beamtalk.interp.syntax.lexer import SourcePositions, _Context, _template, tokenize
from beamtalk.interp.syntax.parser import _parse_module

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted(p for folder in ("conformance", "stdlib", "compiler_bt", "examples")
               for p in (ROOT / folder).rglob("*.bt"))


def ply_tokens(source: str) -> tuple[list[tuple], list, list]:
    """Tokens, errors and comments of a scan by PLY's rules alone (the reference)."""
    positions = SourcePositions(source)
    ctx = _Context(source, "t.bt", positions)
    lexer = _template().clone()
    lexer.ctx = ctx
    lexer.input(source)
    found = []
    while (raw := lexer.token()) is not None:
        found.append(ctx.make(raw, lexer.lexpos))
    return [token_tuple(t) for t in found], ctx.errors, ctx.comments


def token_tuple(tok) -> tuple:
    value = tok.value
    if isinstance(value, list):  # an interpolated string: its parts, sub-tokens as tuples
        value = tuple(p if isinstance(p, str) else tuple(token_tuple(t) for t in p.tokens)
                      for p in value)
    return (tok.type, value, tok.lineno, tok.lexpos, tok.end, tok.col, tok.col1,
            tok.end_line, tok.end_col)


def scanned(source: str) -> tuple[list[tuple], list, list]:
    result = tokenize(source, "t.bt")
    return [token_tuple(t) for t in result.tokens], result.errors, result.comments


def shape(node: object) -> object:
    """A node with every field, spans included (spans take no part in AST equality)."""
    if dataclasses.is_dataclass(node):
        return (type(node).__name__,
                tuple(shape(getattr(node, f.name)) for f in dataclasses.fields(node)))
    if isinstance(node, tuple | list):
        return tuple(shape(v) for v in node)
    return node


def parsed(source: str, fast: bool) -> object:
    try:
        return shape(_parse_module(source, "t.bt", 1, fast_lines=fast))
    except DiagnosticError as err:
        return ("diagnostics", tuple(err.diagnostics))


def test_the_files_of_the_checkout_scan_and_parse_the_same_on_both_paths():
    assert len(FILES) > 100
    for path in FILES:
        source = path.read_text(encoding="utf-8")
        assert scanned(source) == ply_tokens(source), path
        assert parsed(source, True) == parsed(source, False), path


PIECES = ["x", "y1", "Foo", "self.f", "a.b", ":=", ":", "+", "-", "*", "**", ">>", "=>", "->",
          "3", "-2", "07", "2.5", "1e3", "16rFF", "3r", "at:", "put:", "new", "spawn",
          "subclass:", "^", "'s'", "'it''s'", "#sym", "#at:put:", "$a", "\"i{x}\"", "(", ")",
          "[", "]", "{", "}", "#(", ".", ";", ",", "|", "@primitive", "//c\n", "/* c */",
          "\n", "\n  ", "\t", "`", "state:"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(["", " ", "\n"])),
                max_size=30))
def test_random_token_soup_scans_and_parses_the_same_on_both_paths(parts):
    source = "".join(piece + gap for piece, gap in parts)
    assert scanned(source) == ply_tokens(source)
    assert parsed(source, True) == parsed(source, False)


def test_simple_lines_between_other_statements_keep_their_spans_and_values():
    source = ("x := -3 + 4 * 2 ** 3 ** 2\nFoo new at: 1 put: -2.5\n"
              "Object subclass: Foo\n  bar => 1\ny := x foo bar: 2 baz: 'q'\n^ y\n"
              "z := 1 +\n2\nw := Foo spawn k: 1\n")
    fast = parsed(source, True)
    assert fast == parsed(source, False)
    assert fast[0] == "Module"
