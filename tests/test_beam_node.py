"""bootstrap/beam_node.py and beamtalk_runner: a node driven with hand-written Core modules."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from beamtalk.bootstrap import beam_node, erlang

pytestmark = pytest.mark.skipif(
    shutil.which("erl") is None or shutil.which("erlc") is None,
    reason="erl/erlc not installed (apt-get install erlang-nox erlang-dev)")


def core_binary(text: str) -> str:
    """A Core Erlang binary literal holding text as UTF-8."""
    seg = "#<{}>(8,1,'integer',['unsigned'|['big']])"
    return "#{" + ",".join(seg.format(b) for b in text.encode("utf-8")) + "}#"


def method_info(selector: str, source: str) -> str:
    return (f"~{{'selector'=>'{selector}','function'=>'{selector}','arity'=>1,"
            f"'source'=>{core_binary(source)},'doc'=>'nil','sealed'=>'false',"
            f"'primitive'=>'none','fallback'=>'none'}}~")


def module_info(name: str) -> str:
    return (f"'module_info'/0 = fun () -> call 'erlang':'get_module_info'('{name}')\n"
            f"'module_info'/1 = fun (_0) -> call 'erlang':'get_module_info'('{name}', _0)\n")


POINT = f"""module 'bt@Point' ['$class_info'/0, '$default'/1, 'sum'/1,
                     'module_info'/0, 'module_info'/1]
    attributes []
'$class_info'/0 = fun () ->
    ~{{'name'=>'Point','superclass'=>'Object','kind'=>'value','modifier'=>'none',
      'doc'=>'nil','fields'=>['x'|['y']],'defaults'=>['x'],'class_vars'=>[],
      'class_var_defaults'=>[],'methods'=>[{method_info('sum', 'sum => self.x + self.y')}],
      'class_methods'=>[]}}~
'$default'/1 = fun (_0) ->
    case _0 of
      <'x'> when 'true' -> 0
      <_1> when 'true' -> primop 'match_fail'({{'function_clause', _1}})
    end
'sum'/1 = fun (Self) ->
    let <X> = call 'beamtalk_object':'field'(Self, 'x') in
    let <Y> = call 'beamtalk_object':'field'(Self, 'y') in
    call 'erlang':'+'(X, Y)
{module_info('bt@Point')}end
"""

DOUBLE = f"""module 'bt@Point@>>' ['$method_info'/0, 'double'/1, 'module_info'/0, 'module_info'/1]
    attributes []
'$method_info'/0 = fun () ->
    ~{{'class'=>'Point','side'=>'instance','info'=>{method_info('double', 'double => 2')}}}~
'double'/1 = fun (Self) ->
    let <S> = call 'bt@sel@sum':'send'(Self) in call 'erlang':'*'(S, 2)
{module_info('bt@Point@>>')}end
"""


def statement(body: str) -> str:
    """A statement module whose run/1 evaluates body (Core, with Env bound)."""
    return (f"module 'bt@stmt' ['run'/1, 'module_info'/0, 'module_info'/1]\n"
            f"    attributes []\n'run'/1 = fun (Env) ->\n{body}\n{module_info('bt@stmt')}end\n")


MAKE_POINT = statement("""
    let <C> = call 'beamtalk_classes':'global'('Point') in
    let <P> = call 'beamtalk_class':'new:'(C, ~{'y'=>2}~) in
    let <Env2> = call 'maps':'put'('p', P, Env) in
    {P, Env2}""")
SUM = statement("""
    let <P> = call 'maps':'get'('p', Env) in
    let <V> = call 'bt@sel@sum':'send'(P) in {V, Env}""")
DOUBLED = statement("""
    let <P> = call 'maps':'get'('p', Env) in
    let <V> = call 'bt@sel@double':'send'(P) in {V, Env}""")
UNKNOWN = statement("""
    let <P> = call 'maps':'get'('p', Env) in
    let <V> = call 'bt@sel@frobnicate:':'send'(P, 3) in {V, Env}""")
DIVIDE = statement("""
    let <V> = call 'beamtalk_integer':'/'(1, 0) in {V, Env}""")
TRANSCRIPT = statement(f"""
    let <T> = call 'beamtalk_classes':'global'('Transcript') in
    let <_1> = call 'beamtalk_transcript':'class showCr:'(T, {core_binary('héllo')}) in
    let <_2> = call 'beamtalk_transcript':'class show:'(T, 42) in
    let <W> = call 'beamtalk_classes':'global'('Warning') in
    let <_3> = call 'beamtalk_exception':'class signal:'(W, {core_binary('careful')}) in
    {{T, Env}}""")
POINT_GLOBAL = statement("""
    let <C> = call 'beamtalk_classes':'global'('Point') in {C, Env}""")


@pytest.fixture(scope="module")
def node():
    with beam_node.BeamNode() as running:
        yield running


def test_class_method_and_statements(node):
    node.reset()
    loaded = node.load(POINT)
    assert (loaded.ok, loaded.value) == (True, "Point")
    made = node.eval(MAKE_POINT)
    assert (made.ok, made.value) == (True, "a Point(x: 0, y: 2)")
    assert node.eval(SUM).value == "2"  # the top-level variable p survived
    added = node.load(DOUBLE)
    assert (added.ok, added.value) == (True, "Point>>#double")
    assert node.eval(DOUBLED).value == "4"


def test_errors_have_kind_and_text(node):
    node.reset()
    assert node.load(POINT).ok and node.eval(MAKE_POINT).ok
    failed = node.eval(DIVIDE)
    assert (failed.ok, failed.kind, failed.text) == (False, "zero_divide", "Division by zero")
    assert failed.error_line() == "ERROR: zero_divide: Division by zero"
    dnu = node.eval(UNKNOWN)
    assert (dnu.kind, dnu.text) == ("does_not_understand",
                                    "a Point(x: 0, y: 2) does not understand #frobnicate:")
    broken = node.eval("module 'bt@stmt' [ this is not Core")
    assert (broken.ok, broken.kind) == (False, "internal_error")


def test_transcript_and_warnings_come_before_the_value(node):
    node.reset()
    reply = node.eval(TRANSCRIPT)
    assert (reply.ok, reply.value) == (True, "Transcript")
    assert reply.out == "héllo\n42"
    assert reply.warnings == "WARNING: careful\n"
    assert [kind for kind, _ in reply.events] == ["out", "out", "warn"]


def test_reset_drops_user_classes_and_variables(node):
    node.reset()
    assert node.load(POINT).ok and node.eval(MAKE_POINT).ok
    node.reset()
    gone = node.eval(POINT_GLOBAL)
    assert (gone.kind, gone.text) == ("undefined_global", "Undefined global: Point")
    missing = node.eval(SUM)  # p is gone too
    assert not missing.ok


ARGUMENTS = statement("""
    let <S> = call 'beamtalk_classes':'global'('System') in
    let <V> = call 'beamtalk_system':'class arguments'(S) in {V, Env}""")


def test_batch_built_classes_register_under_their_names(tmp_path):
    tools = erlang.find_tools()
    source = tmp_path / "bt@Point.core"
    source.write_text(POINT, encoding="utf-8")
    erlang.subprocess.run([tools.erlc, "-o", str(tmp_path), str(source)], check=True)
    with beam_node.BeamNode(code_paths=[tmp_path]) as running:
        assert running.register(["bt@Point"]).value == "Point"
        running.mark_base()
        running.reset()  # the registered class is part of the base now
        assert running.eval(MAKE_POINT).value == "a Point(x: 0, y: 2)"
        running.set_arguments(["a b", "ç"])
        assert running.eval(ARGUMENTS).value == "#('a b', 'ç')"
        missing = running.register(["bt@Nowhere"])
        assert (missing.ok, missing.kind) == (False, "internal_error")


def test_dispatch_modules_are_cached_across_nodes(tmp_path):
    cache = tmp_path / "dispatch"
    with beam_node.BeamNode(dispatch_cache=cache) as first:
        assert first.load(POINT).ok
    written = sorted(p.name for p in cache.glob("*.beam"))
    assert written  # the dispatch modules of sum, x, y, withX:, withY:
    with beam_node.BeamNode(dispatch_cache=cache) as second:
        assert second.load(POINT).ok
        assert second.eval(MAKE_POINT).value == "a Point(x: 0, y: 2)"
    assert sorted(p.name for p in cache.glob("*.beam")) == written  # nothing new compiled


def test_node_is_stopped_by_its_handle():
    with beam_node.BeamNode() as running:
        assert running.running
    assert not running.running
    with pytest.raises(beam_node.NodeFailed):
        running.eval(SUM)


def test_a_node_left_running_is_stopped_at_exit():
    script = ("from beamtalk.bootstrap import beam_node\n"
              "node = beam_node.BeamNode()\n"
              "print(node.pid, flush=True)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    pid = int(done.stdout.split()[-1])
    # close() ran at exit and waited for the node, so the process is gone (and reaped).
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_missing_erlang_is_a_clean_error(monkeypatch):
    monkeypatch.setattr(erlang.shutil, "which", lambda name: None)
    with pytest.raises(erlang.ErlangUnavailable, match="erlang-nox"):
        beam_node.BeamNode()


def running(pid: int) -> bool:
    """Whether a process runs (a zombie waiting for its parent to reap it has ended)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_a_node_whose_client_is_killed_mid_statement_stops(tmp_path):
    """`run --backend beam` killed while a statement never ends: its nodes halt too (the node
    read the end of its input only between statements, and ran on, orphaned, at full speed)."""
    script = tmp_path / "endless.bt"
    script.write_text("Transcript showCr: 'started'\n[true] whileTrue: [nil]\n",
                      encoding="utf-8")
    cli = subprocess.Popen([sys.executable, "-m", "beamtalk.bootstrap.cli", "run", "--backend",
                            "beam", str(script)], stdout=subprocess.PIPE, text=True)
    nodes: list[int] = []
    try:
        assert cli.stdout.readline() == "started\n"  # the endless statement is running
        with open(f"/proc/{cli.pid}/task/{cli.pid}/children", encoding="ascii") as children:
            nodes = [int(c) for c in children.read().split()]
        assert nodes
        cli.kill()
        cli.wait()
        for _ in range(120):  # half-second polls: a bound on a hang, not a speed check
            if not any(running(n) for n in nodes):
                break
            time.sleep(0.5)
        assert not any(running(n) for n in nodes), "a node ran on after its client was killed"
    finally:
        cli.kill()
        for n in nodes:
            if running(n):
                os.kill(n, signal.SIGKILL)
