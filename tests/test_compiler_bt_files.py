"""Differential tests: compiler_bt's front end (run on the interpreter) prints the same
s-expression, the same resolved form and the same diagnostics (and `beamtalk check`'s
warnings) as the Python front end, for every `.bt` file in the repository and for each
conformance case statement by statement (as `beamtalk conform` reads them). compiler_bt
runs slowly on the interpreter today, so the whole-repo sweep is
marked `slow`; a few files and snippets run in the fast tier.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from compiler_bt_support import (
    assert_same,
    assert_same_check,
    assert_same_resolved,
    python_resolved_statements,
)

from beamtalk.bootstrap import compiler_bt
from beamtalk.interp.session import run_with_big_stack
from beamtalk.interp.syntax import ast, parse_module
from beamtalk.interp.syntax.conformance_cases import read_case

ROOT = Path(__file__).resolve().parent.parent


def repo_files(*patterns: str) -> list[str]:
    """Repository-relative paths of the .bt files matching the glob patterns, sorted."""
    return sorted({str(p.relative_to(ROOT)) for pat in patterns for p in ROOT.glob(pat)})


ALL_FILES = repo_files("stdlib/*.bt", "examples/*.bt", "compiler_bt/*.bt", "conformance/**/*.bt")
FAST_FILES = ["stdlib/Integer.bt", "stdlib/Object.bt", "examples/tour.bt",
              "conformance/language/lang_layout.bt"]


CASES = repo_files("conformance/**/*.bt")

SNIPPETS = [
    "x := 3 + 4 * 2 ** 3 ** 2",
    "a foo; bar: 1; + 2; baz",
    "(p new) x: 1. p new x: 1 y: 2. p spawn model: #m; start",
    "[:a :b | | t | t := a + b. t * 2] value: 1 value: 2",
    "#(1, 'a', #b, $c, 2.5, -3, #(), #{}, {}) size",
    "#{#a => 1, 'b' => 2,} at: #a",
    "\"Hello {name}! {1 + 2} \\{x\\}\"",
    "| a b |\na := 1\nb := a\n  + 2",
    "/// A point.\nObject subclass: P\n  state: x = 0, y\n  classState: n = 0\n\n"
    "  /// Adds.\n  + other => P new x: self.x + other x\n  class make =>\n    | t |\n"
    "    t := 1\n    ^self new\n  sealed foo => @primitive 'foo'\n",
    "Integer >> double => self * 2\nInteger class >> zero =>\n  ^0\n",
    "x := 3 )", "foo: 1 bar", "3 + ", "Object subclass: 3", "x := [:a b]",
    "#(1 2 3)", "a - b. - 1", "-x", "Object subclass: Foo bar", "p.x := 1",
    "x := (1 + 2", "x := 1 ] y", "Foo bar Baz", "\"{1 +}\"", "\"{)}\"",
    "Object subclass: A\n  foo bar => 1\n", "Object subclass: A\n  at: i x => 1\n",
    "Object subclass: A\n  state: a + 1\n", "Object subclass: a\n",
    "Actor subclass:ctor subclass: Counter\n  state: value = 0\n",
    "Object subclass: A\n  foo =>\n      1\n    2\n",
    "Object subclass: A\n  foo => @primitive. 1\n",
    "x := 1\n  y := 2\nz := 3 +\n4",
    "if x\n\tfoo\n        bar",
    "x := 'a''b\ny := 2\nz := 'c'' d\n", "s := #'ab''\n",
    "Object subclass: A\n  +: other => 1\n", "Object subclass: A\n  - => 1\n",
    "Object subclass: A\n  class + 3 => 1\n", "Foo >> + 3 => 1\n", "[:a : 3]",
    "#a ; ~= value := 1", "#a ; foo := 1", "a foo; + 1 * 2", "3; 4",
    # decimal digits of other scripts are digits to the scanner (`\\d`)
    "x := \u0663\u0664.\u0665e\u0661 + \u0662r101 + 1.\u0660 - x*-\u0663\n@primitive\u0663\n",
    # characters Python's repr escapes in "unexpected character" messages
    *[f"x {ch} y" for ch in ["\x00", "\x7f", "\xa0", "\u200b", "\u2028", "\ufeff", "\ue000",
                               "\U000f0000", "\u00e9", "\U0001F600", "`"]],
]


@pytest.mark.parametrize("source", SNIPPETS)
def test_snippet(source):
    assert_same(source, "snippet.bt")


@pytest.mark.parametrize("path", FAST_FILES)
def test_some_files(path):
    assert_same((ROOT / path).read_text(encoding="utf-8"), path)


@pytest.mark.slow
@pytest.mark.parametrize("path", ALL_FILES)
def test_every_file(path):
    """The same sexp, resolved form and `beamtalk check` report (compiler_bt parses once)."""
    source = (ROOT / path).read_text(encoding="utf-8")
    assert_same(source, path)
    assert_same_resolved(source, path)
    assert_same_check(source, path)


@pytest.mark.slow
@pytest.mark.parametrize("path", CASES)
def test_conformance_statements(path):
    """Each chunk of a case: the same sexp; then, resolved in order as one session (earlier
    chunks' top-level names and classes visible), the same resolved forms and errors."""
    case = read_case((ROOT / path).read_text(encoding="utf-8"), path)
    items = [(chunk.source, chunk.line) for chunk in case.chunks]
    for text, line in items:
        assert_same(text, path, line)
    expected = run_with_big_stack(lambda: python_resolved_statements(items, path))
    assert compiler_bt.resolved_statements(items, path) == expected


def test_command_line():
    """`beamtalk parse --compiler bt FILE --format sexp` prints what the Python front end does."""
    path = ROOT / "examples" / "counter.bt"
    run = [sys.executable, "-m", "beamtalk.bootstrap.cli", "parse"]
    bt = subprocess.run(run + ["--compiler", "bt", str(path), "--format", "sexp"],
                        capture_output=True, text=True, check=False)
    py = subprocess.run(run + [str(path), "--format", "sexp"],
                        capture_output=True, text=True, check=False)
    assert (bt.returncode, bt.stdout, bt.stderr) == (py.returncode, py.stdout, py.stderr)
    assert bt.stdout.startswith("(Module [")


def test_command_line_diagnostics(tmp_path):
    """On a broken file both print the same diagnostics to stderr and exit 1."""
    path = tmp_path / "broken.bt"
    path.write_text("x := 1\ny := (2 +\nObject subclass: foo\n", encoding="utf-8")
    run = [sys.executable, "-m", "beamtalk.bootstrap.cli", "parse"]
    bt = subprocess.run(run + ["--compiler", "bt", str(path), "--format", "sexp"],
                        capture_output=True, text=True, check=False)
    py = subprocess.run(run + [str(path)], capture_output=True, text=True, check=False)
    assert (bt.returncode, bt.stdout, bt.stderr) == (py.returncode, py.stdout, py.stderr)
    assert bt.returncode == 1 and "error:" in bt.stderr


def python_method_sources(source: str, path: str) -> list[str]:
    """MethodDef.source of every method of a file, in order (Python front end)."""
    out = []
    for stmt in parse_module(source, path).body:
        if isinstance(stmt, ast.ClassDef):
            out += [m.source for m in stmt.members if isinstance(m, ast.MethodDef)]
        elif isinstance(stmt, ast.DefineMethod):
            out.append(stmt.method.source)
    return out


METHOD_SOURCE_TEXT = (
    "Object subclass: A\n  foo => 1\n  bar: x =>\n    | t |\n    t := x\n\n    ^t   \n"
    "  class baz =>\n      1 +\n        2\nA >> qux => 3\nA class >> quux: y =>\n  y\n"
)


def test_method_sources_snippet():
    assert compiler_bt.method_sources(METHOD_SOURCE_TEXT, "m.bt") == \
        python_method_sources(METHOD_SOURCE_TEXT, "m.bt")


@pytest.mark.slow
@pytest.mark.parametrize("path", repo_files("stdlib/*.bt", "examples/*.bt"))
def test_method_sources(path):
    source = (ROOT / path).read_text(encoding="utf-8")
    assert compiler_bt.method_sources(source, path) == python_method_sources(source, path)
