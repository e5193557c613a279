"""Differential tests of compiler_bt's resolver on snippets: it prints the same `--format
resolved` text and the same compile errors (file, line, column, text, hint) as
interp/analysis, and `beamtalk check`'s warnings. The whole-repository sweeps (every `.bt`
file, each conformance case statement by statement) are in test_compiler_bt_files.py, where
one parse serves the sexp, resolved and check comparisons.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from compiler_bt_support import (
    assert_same_check,
    assert_same_resolved,
    python_check,
    python_resolved,
    python_resolved_statements,
)

from beamtalk.bootstrap import compiler_bt
from beamtalk.interp.session import run_with_big_stack

ROOT = Path(__file__).resolve().parent.parent


# Each reaches a different answer or compile error of the resolver.
SNIPPETS = [
    # names, frames, captures, declarations
    "x := 1\nb := [:k | x + k]\n\"a {x} b\"",
    "| a b |\na := b\nc := a",
    "x := 1. y := [[x] value] value. z := [:p | [p + x]]",
    "(x := true) ifTrue: [x]",
    "x := 0. #(1, 2) do: [:e | x := x + e]. 5 timesRepeat: [y := 1]. y",
    "[:a | | t | t := a. [t + a]] value: 1",
    "v := 3. w := [:q | | u | u := q. u + v]",
    "nil foo. true & false. self printString. Object new",
    "#{#a => 1, 'b' => [:z | z]} at: #a",
    "{1, [2]} size. #(1, [3]) size",
    "p := Object new. p foo; bar: [:k | k]; baz",
    "3 ifTrue: [^1] ifFalse: [[^2]]",
    "x := 1. r := #(1) inject: 0 into: [:acc :e | x := acc + e]",
    "Object subclass: Box\n  state: v = 0, w = [:k | k]\n  classState: count = 0\n"
    "  v => self.v\n  get => [self.v + self.w]\n  class bump => self.count := self.count + 1\n"
    "  class peek => [self.count]\n  sum: a with: b =>\n    | t |\n    t := a + b\n"
    "    #(1) do: [:e | t := t + e]\n    ^[:z | t + z + a]\n  also => super printString\n",
    "Actor subclass: Ctr\n  state: n = 0\n  inc => self.n := self.n + 1\n"
    "  incAll: xs => xs do: [:e | self.n := self.n + e]\nCtr >> dec => self.n := self.n - 1\n"
    "Ctr class >> make => self new\nNope >> foo => 1\n",
    "Object subclass: A\n  foo => 1\nA subclass: B\n  foo => super foo + 1\n"
    "Integer >> tripled => self * 3\n",
    "Object subclass: A\n  foo => 1\nA subclass: B\n  foo => super foo; bar: [:k | k]; yourself\n",
    "Object subclass: P\n  state: x = 0\n  withX => [:v | [v + self.x]]\n",
    # scope and mutation errors
    "y := z", "super foo", "x := super", "thisContext", "self := 1", "Foo := 1",
    "nil := 3", "b := [:k | k := 1]", "x := 1. b := [x := 2]",
    "x := 1. b := [:k | k > 0 ifTrue: [x := 2]]", "#true", "#nil printString", "#$foo",
    "[:self | 1]", "[:Foo | 1]", "[:a :a | 1]", "[:a | | a | 1]", "self.x", "self.x := 1",
    "super foo; bar", "@primitive",
    "Object subclass: A\n  foo: self => 1\n", "Object subclass: A\n  foo: a bar: a => 1\n",
    "Object subclass: A\n  foo: a =>\n    | a |\n    a\n",
    "Object subclass: A\n  foo: a => a := 1\n",
    "Object subclass: A\n  foo => @primitive\n", "Object subclass: A\n  foo => self.nope\n",
    "Object subclass: A\n  state: x\n  foo => self.x := 1\n",
    "Object subclass: A\n  classState: c\n  foo => self.c\n",
    "Object subclass: A\n  class foo => self.nope\n",
    "Actor subclass: A\n  state: x\n  foo => [self.x := 1]\n",
    "Object subclass: A\n  foo => [:k | y := 1. [y := 2]]\n",
    "Object subclass: A\n  foo => [:k | thisContext]\n",
    "Object subclass: A\n  foo => x\n", "Object subclass: A\n  state: d = self foo\n",
    "Object subclass: A\n  state: d = [:k | y]\n",
    # definition errors
    "Zork subclass: A\n", "Boolean subclass: A\n  foo => 1\n", "Integer subclass: A\n",
    "Object subclass: Integer\n", "Object subclass: A\nActor subclass: A\n",
    "Object subclass: A\n  state: x, x\n",
    "Object subclass: A\n  state: x\nA subclass: B\n  state: x\n",
    "Object subclass: A\n  classState: x, x\n", "Object subclass: A\n  foo => 1\n  foo => 2\n",
    "Object subclass: A\n  sealed foo => 1\nA subclass: B\n  foo => 2\n",
    "Object subclass: A\n  class sealed foo => 1\nA subclass: B\n  class foo => 2\n",
    "Integer >> + other => 1\n", "Integer class >> new => 1\n",
    "Object subclass: A\n  sealed foo => 1\nA subclass: B\nB >> foo => 2\n",
    "Object subclass: A\nA >> foo => @primitive\n", "Object subclass: A\nA >> foo => zz\n",
    "Object subclass: A\n  foo => [ ^1 ]\nA >> bar: k => k := 2\nx := 1\ny := q\nz := x\n",
    "Object subclass: A\n  foo => [:k |\n    k +\n      zz]\n",
    "nil subclass: A\n", "#'$foo'", "Object subclass: A\n  foo =>\n    [:k | @primitive]\n",
    "x := [Object subclass: B]",
    # the target of `>>` names a class (issue 12)
    "nil >> foo => 3\n", "true >> foo => 1\n", "self >> foo => 1\n", "x >> foo => 1\n",
    "nil class >> foo => 3\n", "thisContext >> foo => 1\n",
]


@pytest.mark.parametrize("source", SNIPPETS)
def test_snippet(source):
    assert_same_resolved(source, "snippet.bt")


def test_snippets_reach_compile_errors():
    """The snippets are not all accepted: most of the error ones are compile errors."""
    outcomes = run_with_big_stack(lambda: [python_resolved(s, "snippet.bt") for s in SNIPPETS])
    errors = [d for text, d in outcomes if text is None and ": error: " in d]
    assert len(errors) >= 50


@pytest.mark.parametrize("path", ["examples/tour.bt", "examples/counter.bt",
                                  "compiler_bt/BtClassTable.bt", "stdlib/Integer.bt"])
def test_some_files(path):
    assert_same_resolved((ROOT / path).read_text(encoding="utf-8"), path)


def test_statements_thread_the_session():
    """Later statements see earlier top-level names and classes; failed ones define nothing."""
    items = [("x := 1", 1), ("y := x + 1", 2), ("Object subclass: A\n  foo => 1\n", 3),
             ("A subclass: B\n  bar => self foo\n", 5), ("z := w", 7), ("w := z", 8),
             ("Zork subclass: C\n", 9), ("C >> foo => q\n", 10), ("A >> baz => q\n", 11),
             ("x := (1 +", 12), ("[:k | x := k]", 13)]
    expected = run_with_big_stack(lambda: python_resolved_statements(items, "s.bt"))
    assert compiler_bt.resolved_statements(items, "s.bt") == expected
    assert [text is None for text, _ in expected].count(True) == 6


WARNING_SNIPPETS = [
    "l := List new\nl add: 3\nx := #(1)\nx add: 2\n#(1) do: [:e | x add: e]\nFoo bar\n"
    "Object subclass: A\n  state: s = #()\n  foo =>\n    self.s add: 1\n    t := Set new\n"
    "    t add: 2\n    ^t\n",
    "d := #{}\nd := d at: 1 put: 2\nd at: 3 put: 4\ny := 0\ny add: 1\n"
    "3 timesRepeat: [d removeKey: 1]\n"
    "e := List new\ne := e foo\ne add: 1\n[:k | #(1) add: k. 2] value: 1\nZork new. Zork := 1\n",
    "Object subclass: B\n  state: s\n  foo => self.s add: 1. 2\nB >> bar =>\n  | u |\n"
    "  u := List new. u add: 3. self.s addAll: u. Nope new\nC >> baz => 1\n",
]


@pytest.mark.parametrize("source", WARNING_SNIPPETS)
def test_check_snippet(source):
    """`BtCompiler check:` reports what `beamtalk check` does: errors and warnings, in order."""
    assert_same_check(source, "snippet.bt")


def test_check_snippets_warn():
    outcomes = run_with_big_stack(lambda: [python_check(s, "w.bt") for s in WARNING_SNIPPETS])
    assert sum(o.count(": warning: ") for o in outcomes) >= 10


def test_command_line():
    """`beamtalk parse --compiler bt FILE --format resolved` prints what the Python one does."""
    path = ROOT / "examples" / "counter.bt"
    run = [sys.executable, "-m", "beamtalk.bootstrap.cli", "parse"]
    bt = subprocess.run(run + ["--compiler", "bt", str(path), "--format", "resolved"],
                        capture_output=True, text=True, check=False)
    py = subprocess.run(run + [str(path), "--format", "resolved"],
                        capture_output=True, text=True, check=False)
    assert (bt.returncode, bt.stdout, bt.stderr) == (py.returncode, py.stdout, py.stderr)
    assert "(ref " in bt.stdout


def test_command_line_compile_errors(tmp_path):
    """On compile errors both print the same diagnostics to stderr, nothing else, and exit 1."""
    path = tmp_path / "bad.bt"
    path.write_text("x := 1\ny := zz\nObject subclass: A\n  foo: a => a := 1\n",
                    encoding="utf-8")
    run = [sys.executable, "-m", "beamtalk.bootstrap.cli", "parse"]
    bt = subprocess.run(run + ["--compiler", "bt", str(path), "--format", "resolved"],
                        capture_output=True, text=True, check=False)
    py = subprocess.run(run + [str(path), "--format", "resolved"],
                        capture_output=True, text=True, check=False)
    assert (bt.returncode, bt.stdout, bt.stderr) == (py.returncode, py.stdout, py.stderr)
    assert bt.returncode == 1 and bt.stderr.count(": error: ") == 2
