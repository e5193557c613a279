"""Robustness properties of the front end: whatever the input, `parse_module` answers an
`ast.Module` or raises `DiagnosticError`, and never lets another exception escape
(no RecursionError, IndexError, KeyError, AttributeError, ...).

The default tier runs in well under 20 s; the `slow` tier draws many more examples.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beamtalk.interp.syntax import DiagnosticError, ast, parse_module
from beamtalk.interp.syntax.lexer import tokenize

FAST = settings(deadline=5000, max_examples=150,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SLOW = settings(deadline=5000, max_examples=5000,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def check(source: str) -> None:
    """The property itself: a Module, or a DiagnosticError with positioned diagnostics."""
    try:
        module = parse_module(source)
    except DiagnosticError as err:
        assert err.diagnostics, "a DiagnosticError must carry at least one diagnostic"
        for diag in err.diagnostics:
            assert isinstance(diag.message, str) and diag.message
            assert diag.line >= 1 and diag.col >= 1
        err.render()  # rendering a report must not fail either
        return
    assert isinstance(module, ast.Module)
    for stmt in module.body:
        assert stmt is not None


def check_lexer(source: str) -> None:
    """The scanner collects errors and never raises."""
    result = tokenize(source)
    assert isinstance(result.tokens, list)
    assert isinstance(result.errors, list)


# ---------------------------------------------------------------- random text

SPECIAL = list("'\"$#()[]{}<>:=^|.;,+-*/\\~%&@?!`_\t\r\n ") + [
    "\r\n", "//", "///", "/*", "*/", "=>", ":=", "#(", "#{", "{", "}", "\\{", "\\n", "\\q",
    "é", "日", "€", "\x00", "\u200b", "\U0001f600",
]

any_text = st.text(max_size=200)
code_like_text = st.lists(
    st.one_of(st.sampled_from(SPECIAL), st.characters(), st.text(alphabet="abcXYZ019 ",
                                                                  max_size=4)),
    max_size=80,
).map("".join)


@FAST
@given(any_text)
def test_random_text(source):
    check(source)


@FAST
@given(code_like_text)
def test_random_code_like_text(source):
    check(source)
    check_lexer(source)


# ---------------------------------------------------------------- token soups

POOL = [
    # names, pseudo-variables, structural words
    "x", "y", "value", "Foo", "Object", "Transcript", "self", "super", "nil", "true", "false",
    "thisContext", "class", "sealed", "abstract", "subclass:", "state:", "classState:",
    "self.x", "self.value", "p.x", "foo:", "at:", "put:", "value:", "ifTrue:", "do:",
    # literals
    "0", "1", "42", "-1", "-2", "3.14", "2e3", "1.5e-3", "1e999", "16rFF", "37r1", "2r102",
    "'s'", "''", "'it''s'", "'open", '"d"', '"a {x} b"', '"{', '}"', '"\\q"', '"{}"',
    "$a", "$ ", "$'", "$\\n", "$", "#foo", "#at:put:", "#+", "#'any text'", "#",
    # brackets and reserved tokens
    "#(", "#{", "(", ")", "[", "]", "{", "}", ":", ":=", "^", "|", ".", ";", "=>", ",",
    ":x", ":each", "| t |", "[:x |", "[]",
    # operators
    "+", "-", "*", "**", "/", "%", "++", "<", ">", "<=", ">=", "=", "==", "~=", "~~", "&",
    "->", ">>", "@", "\\\\", "==>",
    # comments and others
    "//", "// c", "///", "/// doc", "/*", "*/", "/* c */", "@primitive", "`", "€", "!",
]
WHITESPACE = ["", " ", " ", "  ", "\n", "\n", "\n  ", "\n    ", "\n\t", "\t", "\r\n", "\n\n",
              "\n        ", "\n \t"]


@st.composite
def token_soups(draw, max_tokens: int = 40) -> str:
    words = draw(st.lists(st.sampled_from(POOL), min_size=1, max_size=max_tokens))
    gaps = draw(st.lists(st.sampled_from(WHITESPACE), min_size=len(words),
                         max_size=len(words)))
    lead = draw(st.sampled_from(["", "", "  ", "\t", "\n"]))
    return lead + "".join(w + g for w, g in zip(words, gaps, strict=True))


@FAST
@given(token_soups())
def test_token_soup(source):
    check(source)


# A soup that starts like real code gets deeper into the grammar and the layout pass.
PREFIXES = [
    "Object subclass: A\n  ",
    "Actor subclass: Counter\n  state: value = 0\n\n  ",
    "abstract Object subclass: B\n  state:\n    a = 1,\n    ",
    "Foo >> bar =>\n  ",
    "Foo class >> at: i put: v => ",
    "x := [:e | ",
    "x := #(",
    "x := #{",
    'x := "a {',
    "Transcript show: 1; ",
    "| a b |\n",
]


@FAST
@given(st.sampled_from(PREFIXES), token_soups(max_tokens=25))
def test_token_soup_after_real_code(prefix, soup):
    check(prefix + soup)


# ---------------------------------------------------------------- mutated programs

PROGRAM = '''/// A counter.
Actor subclass: Counter
  state: value = 0
  state: step = 1
  classState: instances = 0

  increment => self.value := self.value + self.step
  incrementBy: n =>
    | t |
    t := self.value + n
    self.value := t
    ^self.value
  + other => self.value + other
  class named: aName => ^self spawnWith: #{#value => 0}
  items => #(1, 2, 3) inject: 0 into: [:acc :e | acc + e]

c := Counter spawn
c increment; increment
Counter >> double =>
  self.value := self.value * 2
r := #('a', 'b') collect: [:s | "{s} and {s size * -1}"]
x > 0
  ifTrue: [Transcript show: 'pos'; cr]
  ifFalse: [-1]
'''


@st.composite
def mutated_programs(draw) -> str:
    text = PROGRAM
    for _ in range(draw(st.integers(1, 6))):
        pos = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "duplicate"]))
        if action == "insert":
            piece = draw(st.sampled_from(POOL + WHITESPACE + SPECIAL))
            text = text[:pos] + piece + text[pos:]
        elif action == "delete":
            end = min(len(text), pos + draw(st.integers(1, 12)))
            text = text[:pos] + text[end:]
        elif action == "replace":
            end = min(len(text), pos + draw(st.integers(1, 4)))
            text = text[:pos] + draw(st.sampled_from(SPECIAL)) + text[end:]
        else:
            end = min(len(text), pos + draw(st.integers(1, 40)))
            text = text[:pos] + text[pos:end] + text[pos:]
    return text


def test_unmutated_program_parses():
    assert isinstance(parse_module(PROGRAM), ast.Module)


@FAST
@given(mutated_programs())
def test_mutated_program(source):
    check(source)


@FAST
@given(mutated_programs(), st.sampled_from(["\n", "\r\n"]), st.sampled_from(["  ", "\t"]))
def test_mutated_program_with_other_line_breaks_and_tabs(source, newline, indent):
    check(source.replace("\n", newline).replace("  ", indent))


# ---------------------------------------------------------------- deep nesting

NESTINGS = {
    "parens": ("(", "1", ")"),
    "brackets": ("[", "1", "]"),
    "blocks with params": ("[:x | ", "x", "]"),
    "lists": ("#(", "1", ")"),
    "tuples": ("{", "1", "}"),
    "dictionaries": ("#{1 => ", "1", "}"),
    "interpolations": ('"{', "1", '}"'),
    "keyword args": ("x foo: (", "1", ")"),
    "unary minus parens": ("(1 - ", "1", ")"),
}


def deep(kind: str, depth: int) -> str:
    opener, middle, closer = NESTINGS[kind]
    return opener * depth + middle + closer * depth


@pytest.mark.parametrize("kind", sorted(NESTINGS))
def test_deep_nesting_2000(kind):
    check(deep(kind, 2000))


@pytest.mark.parametrize("kind", sorted(NESTINGS))
def test_deep_nesting_unclosed(kind):
    opener, middle, _ = NESTINGS[kind]
    check(opener * 2000 + middle)


@pytest.mark.parametrize(
    "source",
    [
        "x := " * 2000 + "1",
        "1" + " + 1" * 2000,
        "2" + " ** 2" * 2000,
        "a" + " foo" * 2000,
        "a" + " foo: b" * 2000,
        "x foo" + "; bar" * 2000,
        "^" * 2000 + "1",
        "-" * 2000 + "1",
        "[" * 2000,
        "]" * 2000,
        ")" * 2000,
        "(" * 1000 + "]" * 1000,
        "Object subclass: A\n" + "".join(f"  m{i} => {i}\n" for i in range(2000)),
        "".join(" " * i + "a\n" for i in range(2000)),
        "x := 1\n" + "  foo\n" * 2000,
        "x := 1 +\n" * 2000 + "1",
        "\n" * 5000 + "x",
        "/// d\n" * 2000 + "Object subclass: A",
    ],
    ids=lambda s: repr(s[:16]),
)
def test_long_and_deep_inputs(source):
    check(source)


@FAST
@given(st.lists(st.sampled_from(sorted(NESTINGS)), min_size=1, max_size=2500))
def test_mixed_deep_nesting(kinds):
    opening = "".join(NESTINGS[k][0] for k in kinds)
    closing = "".join(NESTINGS[k][2] for k in reversed(kinds))
    check(opening + "1" + closing)


# ---------------------------------------------------------------- slow tier


@pytest.mark.slow
@SLOW
@given(any_text)
def test_random_text_slow(source):
    check(source)


@pytest.mark.slow
@SLOW
@given(code_like_text)
def test_random_code_like_text_slow(source):
    check(source)


@pytest.mark.slow
@SLOW
@given(token_soups(max_tokens=120))
def test_token_soup_slow(source):
    check(source)


@pytest.mark.slow
@SLOW
@given(st.sampled_from(PREFIXES), token_soups(max_tokens=60))
def test_token_soup_after_real_code_slow(prefix, soup):
    check(prefix + soup)


@pytest.mark.slow
@SLOW
@given(mutated_programs())
def test_mutated_program_slow(source):
    check(source)


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(NESTINGS))
@pytest.mark.parametrize("depth", [5000, 20000])
def test_very_deep_nesting_slow(kind, depth):
    check(deep(kind, depth))
