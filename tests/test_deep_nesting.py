"""Deep nesting (issue 10 item 4): `beamtalk parse`, `check` and `run` on deeply nested
input print the tree or run, or give a diagnostic; never a host traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from beamtalk.interp.syntax import DiagnosticError, parse_module
from beamtalk.interp.syntax.astdump import to_json, to_sexp
from beamtalk.interp.syntax.parser import MAX_NESTING


def beamtalk(tmp_path: Path, source: str, *command: str) -> subprocess.CompletedProcess:
    path = tmp_path / "deep.bt"
    path.write_text(source, encoding="utf-8")
    exe = Path(sys.executable).with_name("beamtalk")
    return subprocess.run([str(exe), *command, str(path)], capture_output=True, text=True)


@pytest.mark.parametrize("source, formats", [
    ("x := " + "[" * 200 + "]" * 200, ("sexp", "json")),
    ("x := " + "#(" * 200 + ")" * 200, ("sexp", "json")),
    ("x := " + "(" * 2000 + "3" + ")" * 2000, ("sexp", "json")),
    ("1" + " + 1" * 9999, ("sexp",)),  # indented JSON of 10,000 levels is quadratic in size
])
def test_parse_prints_deeply_nested_trees(tmp_path, source, formats):
    for fmt in formats:
        done = beamtalk(tmp_path, source, "parse", "--format", fmt)
        assert done.returncode == 0, done.stderr[-500:]
        assert "Traceback" not in done.stderr
        assert done.stdout.startswith("(Module" if fmt == "sexp" else "{")


@pytest.mark.slow
@pytest.mark.parametrize("source", [
    "3" + " abs" * 50_000,
    "".join(f"a{i} := " for i in range(50_000)) + "1",
])
def test_parse_check_and_run_take_50000_chained_sends_or_assignments(tmp_path, source):
    for command in ("parse", "check", "run"):
        done = beamtalk(tmp_path, source, command)
        assert done.returncode == 0, (command, done.stderr[-500:])
        assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_a_250000_term_line_is_a_diagnostic_for_check_and_run(tmp_path):
    source = "1" + " + 1" * 250_000
    for command in ("check", "run"):
        done = beamtalk(tmp_path, source, command)
        assert done.returncode == 1
        assert "Traceback" not in done.stdout + done.stderr
        assert "error: expression nested too deeply (more than 100,000 levels)" in (
            done.stdout + done.stderr)
        assert len(done.stdout + done.stderr) < 2_000  # an excerpt of the 1 MB line


def test_nesting_beyond_the_limit_is_a_diagnostic_with_a_position():
    source = "x := 0\ny := " + "(" * 10 + "1" + " abs" * (MAX_NESTING + 5) + ")" * 10
    with pytest.raises(DiagnosticError) as info:
        parse_module(source, "deep.bt")
    diag = info.value.diagnostics[0]
    assert diag.message == f"expression nested too deeply (more than {MAX_NESTING:,} levels)"
    assert (diag.filename, diag.line, diag.hint) == ("deep.bt", 2,
                                                     "split it into smaller statements")


def test_the_dumps_are_iterative():
    module = parse_module("1" + " negated" * 20_000, "deep.bt")
    assert to_sexp(module).count('"negated"') == 20_000
    module = parse_module("1" + " negated" * 1_500, "deep.bt")
    assert to_json(module).count('"negated"') == 1_500
