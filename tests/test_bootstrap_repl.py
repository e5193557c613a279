"""`beamtalk repl --backend beam` (issue 13): the same inputs give the same printed lines as the
interpreter's REPL, bindings and classes carrying over from input to input."""

from __future__ import annotations

import io
import shutil

import pytest

from beamtalk.bootstrap.beam_repl import BeamRepl
from beamtalk.interp.repl import Repl

pytestmark = [pytest.mark.skipif(shutil.which("erl") is None, reason="needs Erlang/OTP"),
              pytest.mark.slow]

SCRIPT = """x := 3
x * 10
y := x + 1. y * 2
Object subclass: P
  state: a = 1
  foo => self.a + 41

P new foo
(P new a: 2) foo
P >> bar => self.a * 100
(P new a: 3) bar
Transcript showCr: 'hi'. 5
3 / 0
undefinedName + 1
x := )
#(1, 2) inspect
:load {fixture}
Fixture new answer
:load /no/such/file.bt
:paste
a := 7
a + 1
.
a
:help
"""


def transcript(repl_class, fixture) -> str:
    out = io.StringIO()
    repl = repl_class(stdin=io.StringIO(SCRIPT.format(fixture=fixture)), stdout=out,
                      prompt=False)
    assert repl.run() == 0
    return out.getvalue()


def test_beam_repl_prints_what_the_interpreter_repl_prints(tmp_path):
    fixture = tmp_path / "fixture.bt"
    fixture.write_text("Object subclass: Fixture\n  answer => 42\n", encoding="utf-8")
    expected = transcript(Repl, fixture)
    assert "42\n" in expected and "ERROR: zero_divide" in expected  # the script ran
    assert transcript(BeamRepl, fixture) == expected
