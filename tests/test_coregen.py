"""compiler_bt's Core Erlang generator (docs/native-backend.md): shapes, determinism, stage 0
and `beamtalk build`; the slow tier checks that the stdlib and the conformance statements
compile to Core that `compile:forms(..., [from_core, clint])` accepts, and runs statements on a
node, comparing each printString with the interpreter's."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from beamtalk.bootstrap import compiler_bt, stage0
from beamtalk.interp.runtime.values import BtList, BtTuple
from beamtalk.interp.session import Session
from beamtalk.interp.syntax.conformance_cases import read_case

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    shutil.which("erl") is None, reason="erl not installed (apt-get install erlang-nox erlang-dev)")

# Scan, parse and compile (with Core lint) every Core file named on the command line; print
# `ok` or the error per file, in order.
CHECK = r"""
Check = fun(F) ->
    {ok, Bin} = file:read_file(F),
    R = case core_scan:string(binary_to_list(Bin)) of
        {ok, Toks, _} -> case core_parse:parse(Toks) of
            {ok, Mod} -> case compile:forms(Mod, [from_core, clint, return_errors]) of
                {ok, _, _} -> ok; E -> E end;
            E -> E end;
        E -> E end,
    io:format("~s~n", [case R of ok -> "ok"; _ -> io_lib:format("~0tp", [R]) end])
end,
lists:foreach(Check, init:get_plain_arguments()),
halt().
"""


def core_results(texts: list[str], tmp: Path) -> list[str]:
    """`ok` or compile:forms' error for each Core text (one erl for all of them)."""
    files = []
    for i, text in enumerate(texts):
        path = tmp / f"unit{i}.core"
        path.write_text(text, encoding="utf-8")
        files.append(str(path))
    out = subprocess.run(["erl", "-noshell", "-eval", CHECK, "-extra", *files],
                         capture_output=True, text=True, check=True)
    return out.stdout.splitlines()


def compile_texts(texts: list[str]) -> list[tuple]:
    """BtCompiler compileStatements:path: on texts (first line 1), as Python tuples."""
    arg = BtList([BtTuple((t, 1)) for t in texts])
    return stage0.to_entries(compiler_bt.shared().call("compileStatements:path:", arg, "t.bt"))


def core_text(node_source: str) -> str:
    """The Core text of an expression building a BtCore node (evaluated in compiler_bt)."""
    session = compiler_bt.shared().session
    outcomes = list(session.run_source("BtCore text: (" + node_source + ")", "<test>"))
    assert not outcomes[-1].failed, outcomes[-1].error_line()
    return outcomes[-1].value


def test_printer_writes_literals_core_scan_accepts(tmp_path):
    body = ("BtCoreTuple new: #{#elements => {BtCoreBinary new: #{#text => 'hé€😀'''},"
            " BtCoreFloat new: #{#value => 1.0e16}, BtCoreFloat new: #{#value => 0.1},"
            " BtCoreAtom new: #{#name => 'a''b\\c'}, BtCoreAtom new: #{#name => 'ök'},"
            " BtCoreList new: #{#elements => {BtCoreInt new: #{#value => 10 ** 30}}},"
            " BtCoreMap new: #{#pairs => {{BtCoreAtom new: #{#name => 'k'},"
            " BtCoreInt new: #{#value => -1}}}}}}")
    module = core_text("BtCoreModule new: #{#name => 'm', #exports => {{'f', 0}}, #defs => {{'f',"
                       " BtCoreFun new: #{#params => #(), #body => " + body + "}}}}")
    # the text's UTF-8 bytes (up to 32 a segment) as one big-endian integer
    raw = "hé€😀'".encode()
    segment = int.from_bytes(raw, "big")
    assert f"#{{#<{segment}>({len(raw) * 8},1,'integer',['unsigned'|['big']])}}#" in module
    assert "1.0e16" in module and "'a\\'b\\\\c'" in module
    assert "binary_to_atom" in module  # core_scan rejects non-ASCII quoted atoms
    assert core_results([module], tmp_path) == ["ok"]


def test_statement_module_inlines_integer_arithmetic(tmp_path):
    [entry, later] = compile_texts(["x := 3 + 4", "y := x + 4"])
    assert entry.error is None
    [unit] = entry.units
    assert (unit.kind, unit.name) == ("statement", "stmt")
    assert "module 'bt@stmt' ['run'/1" in unit.core
    assert "call 'erlang':'+'(3,4)" in unit.core  # two Integer literals: the BIF alone
    assert "'send'" not in unit.core
    assert "call 'maps':'put'('x'," in unit.core  # the assignment reaches Env2
    [unit2] = later.units
    assert "call 'erlang':'is_integer'(V" in unit2.core
    assert "call 'bt@sel@+':'send'(V" in unit2.core  # the fallback for other receivers
    assert core_results([unit.core], tmp_path) == ["ok"]


def test_entries_per_statement_kind(tmp_path):
    entries = compile_texts([
        "Object subclass: P\n  state: x = 1\n  double => self.x * 2\n  class make => self new",
        "P >> triple => self.x * 3",
        "p := P new",
        "p double +",
    ])
    assert [u.kind for u in entries[0].units] == ["class"]
    assert entries[0].units[0].name == "P"
    assert "'$class_info'/0" in entries[0].units[0].core
    assert "'class make'/1" in entries[0].units[0].core
    assert "'kind'=>'value'" in entries[0].units[0].core
    assert [u.kind for u in entries[1].units] == ["method"]
    assert "module 'bt@P@>>'" in entries[1].units[0].core
    assert "'$method_info'/0" in entries[1].units[0].core
    assert [u.kind for u in entries[2].units] == ["statement"]
    assert entries[3].error is not None and "t.bt:1:" in entries[3].error
    assert entries[3].error_kind == "syntax_error"
    assert entries[3].error_text == "unexpected end of input (an operand is missing after `+`)"
    texts = [u.core for e in entries[:3] for u in e.units]
    assert core_results(texts, tmp_path) == ["ok"] * 3


def test_variables_assigned_in_inlined_blocks_are_threaded(tmp_path):
    [entry] = compile_texts(["i := 0. s := 0. [i < 5] whileTrue: [i := i + 1. s := s + i]. s"])
    cores = entries_core(entry)
    core = "\n".join(cores)
    assert "letrec 'while$" in core
    assert "erlang':'get'" not in core  # no boxes: inlined loops thread the variables
    assert core_results(cores, tmp_path) == ["ok"] * len(cores)


def test_a_loop_journals_its_last_assigned_variable_only_when_an_iteration_fails(tmp_path):
    [entry] = compile_texts(["s := 0. 1 to: 30 do: [:i | s := s + i]. s"])
    core = "\n".join(entries_core(entry))
    loop = core[core.index("letrec 'to$"):core.index("in apply 'to$")]
    # no journal write per iteration: the iteration's catch writes the value it started with
    assert loop.count("call 'erlang':'put'({'$bt_top','s'}") == 1
    assert "catch <" in loop and "do call 'erlang':'put'({'$bt_top','s'},V" in loop
    assert "{'$bt_again'," in loop
    # the next iteration is called from the try's `of` clause (a tail call)
    assert re.search(r"<\{'\$bt_again',(V\w+),(V\w+)\}> when 'true' ->\s*apply 'to\$\d+'/2", loop)
    # a variable the body assigns twice is journaled at each assignment
    [other] = compile_texts(["s := 0. 1 to: 30 do: [:i | s := s + i. s := s * 2]. s"])
    core2 = "\n".join(entries_core(other))
    assert "'$bt_again'" not in core2
    loop2 = core2[core2.index("letrec 'to$"):core2.index("in apply 'to$")]
    assert loop2.count("call 'erlang':'put'({'$bt_top','s'}") == 2
    cores = entries_core(entry) + entries_core(other)
    assert core_results(cores, tmp_path) == ["ok"] * len(cores)


def test_a_loop_journals_a_variable_assigned_before_the_last_statement_in_a_catch(tmp_path):
    [entry] = compile_texts(["s := 0. i := 0. [i < 30] whileTrue: [s := s + i. i := i + 1]. s"])
    cores = entries_core(entry)
    core = "\n".join(cores)
    loop = core[core.index("letrec 'while$"):core.index("in apply 'while$")]
    # the statements after `s := ...` run in a try whose catch journals s and marks it; the
    # iteration's catch journals s with its starting value only when it is not marked
    assert "do call 'erlang':'put'({'$bt_jdone','s'},'true')" in loop
    assert "call 'erlang':'erase'({'$bt_jdone','s'})" in loop
    assert loop.count("call 'erlang':'put'({'$bt_top','s'}") == 2  # both in catches
    assert loop.count("call 'erlang':'put'({'$bt_top','i'}") == 1
    assert core_results(cores, tmp_path) == ["ok"] * len(cores)


def test_is_nil_is_inlined_with_a_send_for_tuples(tmp_path):
    [entry] = compile_texts(["x := 3. x isNil. x notNil"])
    cores = entries_core(entry)
    core = "\n".join(cores)
    assert "call 'erlang':'is_tuple'(V" in core
    assert core.count("call 'bt@sel@isNil':'send'(") == 1
    assert core.count("call 'bt@sel@notNil':'send'(") == 1
    assert core_results(cores, tmp_path) == ["ok"] * len(cores)


def test_variables_assigned_in_do_blocks_are_boxed(tmp_path):
    [entry] = compile_texts(["s := 0. #(1, 2) do: [:e | s := s + e]. s"])
    cores = entries_core(entry)
    core = "\n".join(cores)
    # a top-level statement's box key is the journal's ('$bt_top'): a failed statement keeps
    # what it assigned (docs/native-backend.md, "A statement module")
    assert "'$bt_top'" in core and "call 'erlang':'make_ref'()" not in core
    assert "call 'erlang':'put'({Box,'s'}" in core
    assert "call 'beamtalk_dispatch':'require_builtin'" in core
    assert core_results(cores, tmp_path) == ["ok"] * len(cores)


def test_non_local_return_uses_a_home(tmp_path):
    [entry] = compile_texts(
        ["Object subclass: Q\n  find: l =>\n    l do: [:e | e > 1 ifTrue: [^e]]\n    ^nil"])
    cores = entries_core(entry)
    core = "\n".join(cores)
    assert "call 'beamtalk_nlr':'enter'()" in core
    assert "call 'beamtalk_nlr':'return'(Home," in core
    assert "call 'beamtalk_nlr':'leave'(Home)" in core
    assert core_results(cores, tmp_path) == ["ok"] * len(cores)


def test_primitive_with_fallback_body(tmp_path):
    [entry] = compile_texts(
        ["Object subclass: R\n  size => @primitive\n    ^0\n  tally => @primitive 'count'"])
    cores = entries_core(entry)
    core = "\n".join(cores)
    assert "call 'beamtalk_r':'size'(Self)" in core
    assert "'size$fallback'/1" in core
    assert "'primitive'=>{'beamtalk_r','size'}" in core
    assert "'fallback'=>'size$fallback'" in core
    assert "call 'beamtalk_r':'count'(Self)" in core
    assert core_results(cores, tmp_path) == ["ok"] * len(cores)


def test_undefined_variable_is_a_compile_error():
    [entry] = compile_texts(["y + 1"])
    assert entry.error is not None
    assert "t.bt:1:1: error: undefined variable 'y'" in entry.error
    assert (entry.error_kind, entry.error_text) == ("compile_error", "undefined variable 'y'")


def test_output_is_deterministic():
    texts = ["Object subclass: D\n  state: a = 1\n  f: x => #(1, 2) collect: [:e | e + x + self.a]",
             "n := 0. 1 to: 3 do: [:k | n := n + k]. n"]
    assert compile_texts(texts) == compile_texts(texts)


def entries_core(entry: stage0.Entry) -> list[str]:
    """The Core texts of an entry that compiled (one per statement or definition)."""
    assert entry.error is None, entry.error
    return [unit.core for unit in entry.units]


def test_stage0_cache_compiles_nothing_the_second_time(tmp_path):
    items = [("1 + 2", 1), ("'cached' size", 2)]
    first, ran = stage0.compile_statements(items, "c.bt", cache_dir=tmp_path)
    assert ran
    second, ran_again = stage0.compile_statements(items, "c.bt", cache_dir=tmp_path)
    assert not ran_again
    assert first == second
    _, ran_other = stage0.compile_statements([("1 + 3", 1)], "c.bt", cache_dir=tmp_path)
    assert ran_other


def test_beamtalk_build_writes_one_beam_per_unit(tmp_path, capsys):
    from beamtalk.bootstrap.cli import main

    src = tmp_path / "p.bt"
    src.write_text("Object subclass: Pt\n  state: x = 0\n  inc => self withX: self.x + 1\n"
                   "Pt >> twice => self inc inc\nPt >> thrice => self twice inc\n"
                   "p := Pt new\np thrice\n", encoding="utf-8")
    out = tmp_path / "ebin"
    assert main(["build", str(src), "-o", str(out)]) == 0
    # two `>>` methods of one class: two modules, numbered as the bootstrap numbers them
    assert sorted(p.name for p in out.iterdir()) == [
        "bt@Pt.beam", "bt@Pt@>>@0001.beam", "bt@Pt@>>@0002.beam", "bt@stmt@0.beam",
        "bt@stmt@1.beam"]
    bad = tmp_path / "bad.bt"
    bad.write_text("x := (1 +\n", encoding="utf-8")
    assert main(["build", str(bad), "-o", str(out)]) == 1
    assert "bad.bt:" in capsys.readouterr().err


# ---------------------------------------------------------------- slow tier

def stdlib_units() -> list[tuple[str, stage0.CoreUnit]]:
    """Every unit of every stdlib file, compiled by stage 0."""
    units = []
    for path in sorted((ROOT / "stdlib").glob("*.bt")):
        entry = stage0.compile_file(str(path), path.read_text(encoding="utf-8"))
        assert entry.error is None, entry.error
        units += [(path.name, u) for u in entry.units]
    return units


@pytest.mark.slow
def test_every_stdlib_file_compiles_to_valid_core(tmp_path):
    units = stdlib_units()
    assert len(units) >= 60
    results = core_results([u.core for _, u in units], tmp_path)
    failures = [(name, r) for (name, _), r in zip(units, results) if r != "ok"]
    assert failures == []


CASE_DIRS = ("language", "library")


def case_files() -> list[Path]:
    """Conformance case files about the sequential language (no actors, no interp-only)."""
    return [p for d in CASE_DIRS for p in sorted((ROOT / "conformance" / d).glob("*.bt"))
            if "interp" not in p.stem]


@pytest.mark.slow
def test_conformance_statements_compile_to_valid_core(tmp_path):
    texts = []
    compiled = 0
    for path in case_files():
        case = read_case(path.read_text(encoding="utf-8"), str(path))
        entries, _ = stage0.compile_statements([(c.source, c.line) for c in case.chunks], str(path))
        for entry in entries:
            if entry.error is None:
                compiled += 1
                texts += [u.core for u in entry.units]
    assert compiled > 500
    results = core_results(texts, tmp_path)
    assert [r for r in results if r != "ok"] == []


E2E_STATEMENTS = [
    "x := 3 + 4", "x * 2 - 1", "sum := 0", "#(1, 2, 3) do: [:e | sum := sum + e]. sum",
    "1 to: 10 do: [:k | sum := sum + k]", "sum", "1 to: 10 by: 3 do: [:k | sum := sum - k]. sum",
    "i := 0. [i < 10] whileTrue: [i := i + 1]. i", "3 timesRepeat: [i := i * 2]. i",
    "\"a{sum}b{i + 1}\"", "#(1, 2) , #(3)", "$a", "#sym", "2 ** 100", "1.5e300 * 2", "0.1 + 0.2",
    "(1 to: 5) collect: [:e | e * e]", "#(3, 1, 2) inject: 0 into: [:a :b | a + b]",
    "q := 7. #(1, 2) detect: [:e | e > 5] ifNone: [q := 0]. q",
    "[:e | ^e] value: 5", "3 ifTrue: [1]", "nil ifTrue: [1] ifFalse: [2]", "1/0",
    "(3 > 2) and: [2 > 1]", "(3 > 2) or: [1/0]", "#{#a => 1, #b => 2}", "{1, #two, 'three'}",
    "Object subclass: Point\n  state: x = 0, y = 0\n"
    "  + other => Point new x: self.x + other x y: self.y + other y\n"
    "  fib: n =>\n    n < 2 ifTrue: [^n]\n    ^(self fib: n - 1) + (self fib: n - 2)\n"
    "  sign: n =>\n    n > 0 ifTrue: [^1]\n    n < 0 ifTrue: [^-1]\n    ^0",
    "p := Point new x: 1 y: 2", "p + p", "p fib: 20", "(p sign: -4) + (p sign: 0)",
    "Point >> double => self + self", "p double", "p withX: 5", "p x",
    "Point class >> origin => self new", "Point origin", "Point superclass",
    "Transcript show: 'hi'; cr", "[1/0] on: ZeroDivide do: [:e | e return: 5]",
    "[#() first] on: Error do: [:e | e class]",
    "Object subclass: Finder\n  find: l =>\n    l do: [:e | e > 1 ifTrue: [^e]]\n    ^nil",
    "Finder new find: #(1, 5, 7)", "Finder new find: #(0)",
    "total := [:list | | acc | acc := 0. list do: [:e | acc := acc + e]. acc]",
    "total value: #(1, 2, 3)", "b := [:a :c | a + c]. b value: 1 value: 2",
    "k := 0. [k := k + 1. k >= 3 ifTrue: [^k]] repeat",
]


@pytest.mark.slow
def test_statements_print_as_on_the_interpreter():
    from beamtalk.bootstrap import beam_node

    std = [u.core for _, u in stdlib_units()]
    entries, _ = stage0.compile_statements([(s, 1) for s in E2E_STATEMENTS], "e2e.bt")
    session = Session(out=io.StringIO(), err=io.StringIO())
    mismatches = []
    with beam_node.BeamNode() as node:
        loaded = node.load_many(std)
        assert loaded.ok, loaded.error_line()
        node.mark_base()
        for text, entry in zip(E2E_STATEMENTS, entries):
            outcomes = list(session.run_source(text, "e2e.bt"))
            want = [o.error_line() if o.failed else session.print_string(o.value)
                    for o in outcomes]
            assert entry.error is None, entry.error
            got = []
            for unit in entry.units:
                reply = node.eval(unit.core) if unit.kind == "statement" else node.load(unit.core)
                got.append(reply.value if reply.ok else reply.error_line())
            if want != got:
                mismatches.append((text, want, got))
    assert mismatches == []


FIB = """Object subclass: CgFib
  fib: n =>
    n < 2 ifTrue: [^n].
    ^(self fib: n - 1) + (self fib: n - 2)
  other => self fib: 3
  prim => @primitive
"""


def test_returning_if_on_a_comparison_guards_the_integer_path(tmp_path):
    [entry] = compile_texts([FIB])
    [unit] = entry.units
    # the comparison is the case guard of the Integer path, the branches local functions
    assert ("when call 'erlang':'and'(call 'erlang':'and'(call 'erlang':'is_integer'(V"
            in unit.core)
    assert "'then$" in unit.core and "'else$" in unit.core
    assert "call 'bt@sel@<':'send'(" in unit.core  # other receivers still send `<`
    assert core_results([unit.core], tmp_path) == ["ok"]


def test_self_sends_to_own_methods_go_to_the_exact_variant_through_the_dispatch_module():
    down = "CgFib >> down: n => n = 0 ifTrue: [^0]. ^self down: n - 1"
    [entry, method, rec] = compile_texts([FIB, "CgFib >> again => self fib: 2", down])
    cls = entry.units[0]
    # the exported function tests the receiver once: exactly a CgFib (no fields: the one
    # instance term) enters the exact variant, anything else runs the sending body
    assert "'fib:$exact'/2" in cls.core and "'other$exact'/1" in cls.core
    assert "when call 'erlang':'=:='(Self,{'$inst','CgFib',~{}~})" in cls.core
    assert "apply 'fib:$exact'/2(Self," in cls.core
    assert "call 'bt@sel@fib:':'send'(Self," in cls.core  # subclass instances
    # the exact variant's self-sends: the dispatch module's '$local <module>', no Self kept
    assert "call 'bt@sel@fib:':'$local bt@CgFib'({'$inst','CgFib',~{}~}," in cls.core
    # on the Integer path the rest is in place: `n - 1` is the bare BIF, and the first
    # self-send (nothing ran since the variant was entered for fib:) a local call
    start = cls.core.index("'fib:$exact'/2 =\n")
    exact = cls.core[start:start + re.search(r"\n'[^'\n]*'/\d+ =\n", cls.core[start:]).start()]
    assert "let <V" in exact and "> = call 'erlang':'-'(V" in exact
    # (passing the Self parameter, which the variant's never-taken `'$bt_never'` clause
    # answers, so that the Erlang compiler cannot prove a self-recursive variant never
    # returns and make its send a tail call: errors_recursion.bt)
    assert exact.count("apply 'fib:$exact'/2(Self,") == 1
    assert exact.startswith("'fib:$exact'/2 =\nfun (Self,V")
    assert "<'$bt_never'> when 'true' ->\nSelf" in exact
    assert "'$cur'" not in cls.core and "'prim$exact'" not in cls.core
    assert "'$local" not in method.units[0].core  # fib: is not this >> module's method
    assert "call 'bt@sel@down:':'$local bt@CgFib@>>'(Self," in rec.units[0].core
    [prim] = compile_texts(["Object subclass: CgP\n  p => @primitive\n  q => self p\n"])
    assert "'$local" not in prim.units[0].core  # a primitive's method is not the function


def test_exact_variants_with_fields_on_the_class_side_and_in_actors():
    [boxed, actor] = compile_texts([
        "Object subclass: CgBox\n  state: v = 1\n"
        "  get: k => k = 0 ifTrue: [^self.v]. ^self get: k - 1\n"
        "  class f: n => n = 0 ifTrue: [^0]. ^self f: n - 1\n",
        "Actor subclass: CgAct\n  a: n => n = 0 ifTrue: [^0]. ^self a: n - 1\n"])
    core = boxed.units[0].core
    assert "<{'$inst','CgBox',V" in core  # fields: the tag test, and Self is passed on
    assert "call 'bt@sel@get:':'$local bt@CgBox'(Self," in core
    assert "<{'$class','CgBox'}> when 'true' ->" in core
    assert "call 'bt@sel@f:':'$local class bt@CgBox'({'$class','CgBox'}," in core
    # an actor's own process keeps its methods' local calls behind the current check
    assert "call 'bt@sel@a:':'$cur'('bt@CgAct')" in actor.units[0].core
    assert "'a:$exact'" not in actor.units[0].core


def test_an_exact_variant_module_loads(tmp_path):
    [entry] = compile_texts([FIB])
    cls = entry.units[0]
    assert core_results([cls.core], tmp_path) == ["ok"]


def nested_and(depth: int) -> str:
    """`(x > 0) and: [y := y + 1. (x > 1) and: [...]]`, `depth` levels deep."""
    expr = "x > 0"
    for i in range(depth):
        expr = f"(x > {i}) and: [y := y + 1. {expr}]"
    return f"x := 5. y := 0. {expr}"


def test_nested_control_fallbacks_do_not_double_the_core():
    # Each level's fallback send compiles its block without inlining inside it, so the Core
    # grows about quadratically with the depth; it doubled per level (64x for 6 more levels).
    sizes = {}
    for depth in (6, 12):
        [entry] = compile_texts([nested_and(depth)])
        sizes[depth] = sum(len(core) for core in entries_core(entry))
    assert sizes[12] < 5 * sizes[6], sizes


def function_core(core: str, name: str) -> str:
    """The text of one function definition `name` (e.g. `'fib:$int'/1`) of a module."""
    start = core.index(name + " =\n")
    end = re.search(r"\n'[^'\n]*'/\d+ =\n", core[start + 1:])
    return core[start:start + 1 + end.start()] if end else core[start:]


def test_pure_integer_self_recursion_gets_an_int_function(tmp_path):
    [entry] = compile_texts([FIB])
    core = entry.units[0].core
    assert "'fib:$int'/1" in core  # exported: arguments only, no Self
    exact = function_core(core, "'fib:$exact'/2")
    # the exact variant enters it when the argument is an Integer
    assert "when call 'erlang':'is_integer'(V" in exact
    assert re.search(r"apply 'fib:\$int'/1\(V\d+_n\)", exact)
    fint = function_core(core, "'fib:$int'/1")
    # self-sends are local calls of itself, arithmetic bare BIFs, no type test anywhere
    assert fint.count("apply 'fib:$int'/1(") == 2
    assert "bt@sel@" not in fint and "is_integer" not in fint and "Self" not in fint
    assert "call 'erlang':'+'(V" in fint and "call 'erlang':'<'(V" in fint
    # `n < 2 ifTrue: [^n]` answers without a self-call for any argument: no never-taken
    # clause (its test cost every call), no frame test (no self-call ends it)
    assert "is_float" not in fint and "'$bt_never'" not in fint
    assert "'other$int'" not in core  # no arguments: nothing to specialise
    assert core_results([core], tmp_path) == ["ok"]


NEVER = r"case V\d+_n of\n<(V\d+_never)> when call 'erlang':'is_float'\(\1\) ->\n\1\n"


@pytest.mark.parametrize("body", [
    "(self p: n + 1) + 1",  # every path calls itself
    "n < 0 ifTrue: [^0]. ^(self p: n + 1) * 2",  # a known answer (0) on the other path
    "n = 0 ifTrue: [^0]. ^self p: n - 1",  # the same
    "1 > 2 ifTrue: [^n]. ^self p: n + 1",  # a test Erlang decides
    "n < n ifTrue: [^n]. ^self p: n + 1",  # the same
    "n > 0 ifTrue: [n < 0 ifTrue: [^n]]. ^self p: n + 1",  # two tests on the path
    "n > 0 ifTrue: [^self p: n - 1]. ^n",  # the answer comes after a self-call
])
def test_an_int_function_keeps_its_never_taken_clause_unless_a_path_surely_answers(body):
    # The Erlang compiler computes a call's answer type from the callee's: were it proven
    # never to return, or its answer known exactly, the code after a self-call would go and
    # the call become a jump, a runaway recursion a loop for ever (errors_recursion.bt).
    # The clause answering a Float argument keeps both from happening.
    [entry] = compile_texts([f"Object subclass: CgNever\n  p: n => {body}\n"])
    fint = function_core(entry.units[0].core, "'p:$int'/1")
    assert re.search(NEVER, fint)


@pytest.mark.parametrize("body", [
    "n < 2 ifTrue: [^n]. ^(self p: n - 1) + 1",
    "2 > n ifTrue: [^n + 1]. ^self p: n - 1",
    "n ~= 0 ifFalse: [^n max: 3]. ^self p: n - 1",
    "^n = 0 ifTrue: [n] ifFalse: [self p: n - 1]",
    "n > 9 ifTrue: [self p: n - 1] ifFalse: [n * 2]",
])
def test_an_int_function_whose_first_test_may_answer_an_argument_has_no_never_clause(body):
    [entry] = compile_texts([f"Object subclass: CgBase\n  p: n => {body}\n"])
    fint = function_core(entry.units[0].core, "'p:$int'/1")
    assert not re.search(NEVER, fint)


def tail_checked(core: str, call: str) -> bool:
    """Whether `call` (a Core call or apply, up to its first argument) is bound and its value
    tested before it is answered: the frame test of BtCoreGen keepFrame:int:."""
    found = re.search(r"let <(V\d+_w)> = " + re.escape(call) + r"[^\n]*\nin case \1 of\n"
                      r"<(V\d+_p)> when call 'erlang':'(?:=:=|is_float)'\(\2[^\n]*\n"
                      r"call 'lists':'last'\(\[\2\]\)\n<V\d+_o> when 'true' ->\n\1\n", core)
    return found is not None


TAILS = """Object subclass: CgTail
  loop => self loop
  ping => self pong
  pong => self ping
  other: x => ^x other: self
  branch: x => x isNil ifTrue: [self branch: 1] ifFalse: [self branch: nil]
  both: x => x and: [self both: x]
  nils: x => x ifNil: [self nils: 1] ifNotNil: [:v | self nils: nil]
  casc => self yourself; casc
  blk => ^#(1) inject: 0 into: [:a :e | self blk]
  down: n => ^n = 0 ifTrue: [0] ifFalse: [self down: n - 1]
  up: n => self up: n + 1
  class spin => self spin
"""


def test_a_send_that_ends_an_activation_keeps_its_frame(tmp_path):
    [cls, sub, ext] = compile_texts([
        TAILS, "CgTail subclass: CgSub\n  loop => super loop\n", "CgTail >> ext => self ext"])
    core = cls.units[0].core
    exact = function_core(core, "'loop$exact'/1")
    assert tail_checked(exact, "apply 'loop$exact'/1(Self")  # the local call of itself
    assert tail_checked(function_core(core, "'loop'/1"), "call 'bt@sel@loop':'send'(Self")
    assert tail_checked(function_core(core, "'ping$exact'/1"),
                        "call 'bt@sel@pong':'$local bt@CgTail'(")
    assert tail_checked(core, "call 'bt@sel@other:':'send'(V")
    for sel in ("branch:", "both:", "nils:"):
        assert tail_checked(function_core(core, f"'{sel}$exact'/2"),
                            f"call 'bt@sel@{sel}':'$local bt@CgTail'(")
    # a cascade's last message; a block's send, and the method's send of inject:into:
    assert tail_checked(function_core(core, "'casc'/1"), "call 'bt@sel@casc':'send'(Self")
    blk = function_core(core, "'blk$exact'/1")
    assert tail_checked(blk, "call 'bt@sel@blk':'$local bt@CgTail'(")
    assert tail_checked(blk, "call 'bt@sel@inject:into:':'send'(")
    # pure Integer self-calls: a Float test (the compiler types their answers as numbers)
    assert tail_checked(function_core(core, "'down:$int'/1"), "apply 'down:$int'/1(V")
    assert tail_checked(function_core(core, "'up:$int'/1"), "apply 'up:$int'/1(V")
    assert tail_checked(core, "apply 'class spin$exact'/1(Self")
    assert tail_checked(sub.units[0].core, "call 'beamtalk_dispatch':'super'('CgSub'")
    assert tail_checked(ext.units[0].core, "apply 'ext$exact'/1(Self")
    # the exported function entering its exact or `$int` variant is the same activation
    assert "apply 'loop$exact'/1(Self)\n<V" in function_core(core, "'loop'/1")
    assert re.search(r"-> ?\napply 'down:\$int'/1\(V\d+_n\)\n<V",
                     function_core(core, "'down:$exact'/2"))
    assert core_results([core, sub.units[0].core, ext.units[0].core], tmp_path) == ["ok"] * 3


def test_only_a_send_in_tail_position_gets_the_frame_test():
    [entry] = compile_texts([
        "Object subclass: CgNoTail\n  f: x => ^x size + 1\n  g: x => x foo. ^3\n"
        "  h: x => ^[:y | y foo. 7]\n  k: x => 1 to: x do: [:i | self k: i]\n"])
    core = entry.units[0].core
    assert "'lists':'last'" not in function_core(core, "'g:'/2")  # the send is no answer
    assert "'lists':'last'" not in function_core(core, "'h:'/2")  # nor the block's
    # `x size + 1`: only the send of `+` for other receivers; two Integers add and answer
    f = function_core(core, "'f:'/2")
    assert f.count("'lists':'last'") == 1 and tail_checked(f, "call 'bt@sel@+':'send'(V")
    # the inlined loop calls itself (a jump) and its body's send is no answer; the send
    # for a non-Integer receiver, and its real block's own send, are
    k = function_core(core, "'k:$exact'/2")
    loop = k[k.index("letrec 'to$"):k.index(" of\n<{V")]
    assert "'lists':'last'" not in loop and re.search(r"apply 'to\$\d+'/1\(V\d+_t\)\nend", loop)
    assert k.count("'lists':'last'") == 2 and tail_checked(k, "call 'bt@sel@to:do:':'send'(")


def test_int_functions_on_the_class_side_in_method_modules_and_with_several_arguments():
    [cls, method, actor] = compile_texts([
        "Object subclass: CgInt\n  state: v = 1\n"
        "  class f: n => n = 0 ifTrue: [^0]. ^n + (self f: n - 1)\n"
        "  ack: m with: n =>\n    m = 0 ifTrue: [^n + 1].\n"
        "    n = 0 ifTrue: [^self ack: m - 1 with: 1].\n"
        "    ^self ack: m - 1 with: (self ack: m with: n - 1)\n"
        "  g: n => ^(n > 1 and: [n ~= 9]) ifTrue: [(self g: n - 1) max: 3] ifFalse: [n min: 7]\n",
        "CgInt >> h: n => n < 1 ifTrue: [^1] ifFalse: [^(self h: n - 1) * 2]",
        "Actor subclass: CgIntAct\n  a: n => n = 0 ifTrue: [^0]. ^self a: n - 1\n"
        "  class b: n => n = 0 ifTrue: [^0]. ^self b: n - 1\n"])
    core = cls.units[0].core
    assert "'class f:$int'/1" in core and "'ack:with:$int'/2" in core and "'g:$int'/1" in core
    ack = function_core(core, "'ack:with:$int'/2")
    assert ack.count("apply 'ack:with:$int'/2(") == 3
    exact = function_core(core, "'ack:with:$exact'/3")
    assert ("when call 'erlang':'and'(call 'erlang':'is_integer'(V" in exact
            and "'ack:with:$int'/2(V" in exact)
    g = function_core(core, "'g:$int'/1")
    assert "call 'erlang':'max'(V" in g and "call 'erlang':'min'(V" in g
    assert "call 'erlang':'/='(V" in g  # `~=` (and `=`) never tell Erlang it is an Integer
    assert "'h:$int'/1" in method.units[0].core
    # an actor's instance side has no exact variant to enter it from; its class side has
    assert "'a:$int'" not in actor.units[0].core and "'class b:$int'/1" in actor.units[0].core


@pytest.mark.parametrize("body", [
    "n < 2 ifTrue: [^n]. ^(self p: n - 1) + (self p: n - 2) + n printString size",
    "n < 2 ifTrue: [^n]. ^(self p: n - 1) + (self p: n - 2) + self.v",  # a field
    "n < 2 ifTrue: [^n]. ^(self p: (n div: 2)) + 1",  # may fail (no division)
    "n < 2 ifTrue: [^n]. ^(self p: n - 1) + (CgRef p: n)",  # another receiver
    "n < 2 ifTrue: [^n]. ^(self p: n - 1) + (self q: n)",  # another selector of self
    "n < 2 ifTrue: [^n]. [:x | x] value: 1. ^self p: n - 1",  # a block
    "| t | t := n. n < 2 ifTrue: [^t]. ^self p: n - 1",  # an assignment
    "n < 2 ifTrue: [^#done]. ^self p: n - 1",  # not an Integer answer
    "n < 2 ifTrue: [^n]. n > 3 ifTrue: [^self p: n - 1]",  # nil when n is 2 or 3
    "n < 2 ifTrue: [^n]. n > 5 ifTrue: [CgRef removeSelector: #p:]. ^self p: n - 1",
    "n < 2 ifTrue: [^n]. ^(self p: n - 1) + (self p: 1.5)",  # a Float argument
    "n < 2 ifTrue: [^n]. ^(self p: n - 1) + (n bitAnd: 1)",  # bit operations
    # an argument known to Erlang as an Integer: no never-taken clause could stay
    "n < 2 ifTrue: [^n]. ^(self p: n - 1) + (self p: 1)",
])
def test_only_pure_integer_code_gets_an_int_function(body):
    [entry] = compile_texts([
        f"Object subclass: CgRef\n  state: v = 1\n  q: n => n\n  p: n =>\n    {body}\n"])
    core = entry.units[0].core
    assert "'p:$exact'/2" in core  # it still has its exact variant
    assert "$int" not in core
