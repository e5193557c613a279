"""PLY's tables: no conflicts, cached outside the source tree, never rebuilt per start."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import ply.yacc as yacc

from beamtalk.interp.syntax import grammar
from beamtalk.interp.syntax.parser import grammar_hash

REPO = Path(__file__).resolve().parent.parent


def test_grammar_has_no_conflicts(tmp_path):
    log = io.StringIO()
    yacc.yacc(module=grammar, debug=True, debugfile="parser.out", outputdir=str(tmp_path),
              write_tables=False, errorlog=yacc.PlyLogger(log))
    assert "conflict" not in log.getvalue()
    assert "conflict" not in (tmp_path / "parser.out").read_text()


def run_parse(cache: Path) -> None:
    code = "from beamtalk.interp.syntax import parse_module; parse_module('x := 1')"
    env = {"XDG_CACHE_HOME": str(cache), "HOME": str(cache), "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=cache)


def test_tables_are_cached_in_the_user_cache(tmp_path):
    run_parse(tmp_path)
    table = tmp_path / "beamtalk" / f"parsetab-{grammar_hash()}.pickle"
    assert table.exists()
    stamp = table.stat().st_mtime_ns
    run_parse(tmp_path)
    assert table.stat().st_mtime_ns == stamp, "tables were rebuilt on the second start"


def test_no_ply_litter_in_the_tree():
    for name in ("parser.out", "parsetab.py", "lextab.py"):
        assert not list((REPO / "interp").rglob(name))
        assert not (REPO / name).exists()
