"""compiler_bt's scanner gives the same tokens and scanner errors as interp/syntax/lexer.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from beamtalk.bootstrap import compiler_bt
from beamtalk.interp.syntax.lexer import Interpolation, Token, tokenize

ROOT = Path(__file__).resolve().parent.parent


def value_text(v: object) -> str:
    """A token value as BtDump writes it."""
    if v is None:
        return "nil"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, Interpolation):
        inner = " ; ".join(token_text(t) for t in v.tokens)
        return f"<{token_text(v.open_token)} ; {inner} ; {token_text(v.close_token)}>"
    if isinstance(v, list):
        return "[" + " ".join(value_text(x) for x in v) + "]"
    raise AssertionError(f"unexpected token value {v!r}")


def token_text(t: Token) -> str:
    """One token as BtDump writes it."""
    first = "true" if t.first else "false"
    return (f"{t.type} {value_text(t.value)} {t.lineno}:{t.col}/{t.col1} "
            f"{t.end_line}:{t.end_col} {t.lexpos}-{t.end} {first} {t.index}")


def python_tokens(source: str, path: str) -> str:
    """The Python scanner's tokens and errors in BtDump's format."""
    lexed = tokenize(source, path)
    out = [token_text(t) for t in lexed.tokens]
    for d in lexed.errors:
        hint = "nil" if d.hint is None else "'" + d.hint.replace("'", "''") + "'"
        out.append(f"error {d.header()} | {hint}")
    return "\n".join(out)


SNIPPETS = [
    "x := 3 + 4",
    "a:=b. c:d e: #at:put: #+ #, #'it''s' #foo:bar",
    "x*-1 y - -2 3-1 16rFF 2r102 37r1 1e999 1.5e-3 2e3 3.14 1.5e",
    "'open",
    "\"a {x + 1} b \\n {\"in {y}\"} \\q }\"",
    "\"{\" \"{}\" \"unterminated",
    "$a $  $' $\\n $\\q $",
    "self.x p.x self.y: 1 myself.z",
    "/// doc\nfoo // c\n/* block */ bar /* open",
    "@primitive 'name' @primitivex ` € ! #",
    "\tx\n  \ty\r\nz\r w",
    "a //c\n+/b /*x*/ -// c\n",
    "x := 'a''b\ny := 2\nz := 'c'' d\n#'s''",
    "x := \u0663\u0664.\u0665e\u0661 + \u0662r101 + 1.\u0660 - x*-\u0663 "
    "@primitive\u0663 \U0001d7ce",
]


@pytest.mark.parametrize("source", SNIPPETS)
def test_snippet_tokens(source):
    assert compiler_bt.shared().tokens(source, "s.bt") == python_tokens(source, "s.bt")


@pytest.mark.slow
@pytest.mark.parametrize("path", sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("stdlib/*.bt")))
def test_stdlib_tokens(path):
    source = (ROOT / path).read_text(encoding="utf-8")
    assert compiler_bt.shared().tokens(source, path) == python_tokens(source, path)
