"""pyperf: native actors (issue 14). A future send + await to a compiled Beamtalk actor
against a raw `gen_server:call` to a hand-written Erlang gen_server, both timed inside the
same node in the same run; and the time to spawn 1,000,000 idle actors, with the process
memory each one takes (`erlang:memory(processes)` before and after, printed at the end); as
the floor for that on the same machine in the same run, 1,000,000 bare Erlang processes that
hibernate at once (`erlang_spawn_1m_hibernated`, no Beamtalk: what any actor costs at least).

The native side is compiled Beamtalk: `(e ping: i) await` in an inlined `to:do:` loop, timed
with the node's microsecond clock through `Erlang` (LANGUAGE.md 7). The baseline and the
measurements that need Erlang run as hand-written statement modules (Core Erlang made by
`erlc +to_core`), loaded through the runner like any statement.

The two round-trip benchmarks are measured the same way: every worker of either one runs
both sides back to back in its node, in an order that alternates from one value to the next,
and reports its own side. (Until 2026-12 the native workers ran native then baseline and the
baseline workers ran the baseline alone: the baseline was always second in a pair, and the
two means came from workers with different histories, minutes apart on a shared machine.)
Each pair's ratio is logged twice: wall clock, and the node's CPU time
(`erlang:statistics(runtime)`, every scheduler: the caller and the server; less sensitive to
other jobs on a shared machine than the wall clock).
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

import pyperf

from beamtalk.bootstrap.beam_session import BeamSession
from beamtalk.bootstrap.erlang import find_tools

BUILD = Path(__file__).resolve().parent.parent / "_build"
MEMORY_LOG = BUILD / "bench" / "native_actor_memory.jsonl"
PAIRS_LOG = BUILD / "bench" / "native_actor_pairs.jsonl"
SPAWNS = 1_000_000

SOURCE = """Actor subclass: Echo
  ping: x => ^x

Actor subclass: Idle
  state: n = 0
"""

# One statement (the backslash joins the lines), so the clock does not count loading the
# loop's module. It answers {wall microseconds, CPU milliseconds}.
BT_SEND_AWAIT = """e := Echo spawn
[:n | | t c | c := (Erlang erlang statistics: #runtime) at: 1. \
t := Erlang erlang monotonic_time: #microsecond. 1 to: n do: [:i | (e ping: i) await]. \
{{(Erlang erlang monotonic_time: #microsecond) - t, \
((Erlang erlang statistics: #runtime) at: 1) - c}}] value: {loops}
"""

# A statement module (run/1) that is also the baseline's gen_server. The loader renames the
# module, and of the mentions of its name only those in `erlang:get_module_info/2` calls, so
# the server's callback module is asked for that way.
BASELINE = """-module(bench_call).
-behaviour(gen_server).
-export([run/1, init/1, handle_call/3, handle_cast/2]).
run(Env) ->
    Loops = maps:get(loops, Env),
    {ok, Pid} = gen_server:start(erlang:get_module_info(bench_call, module), [], []),
    {C0, _} = erlang:statistics(runtime),
    T0 = erlang:monotonic_time(),
    loop(Pid, Loops),
    T = erlang:convert_time_unit(erlang:monotonic_time() - T0, native, microsecond),
    {C1, _} = erlang:statistics(runtime),
    gen_server:stop(Pid),
    {{T, C1 - C0}, Env}.
loop(_, 0) -> ok;
loop(Pid, N) -> N = gen_server:call(Pid, {ping, N}), loop(Pid, N - 1).
init([]) -> {ok, nil}.
handle_call({ping, X}, _From, S) -> {reply, X, S}.
handle_cast(_, S) -> {noreply, S}.
"""

# Spawning: `Idle spawn` as compiled code does it (through the dispatch module of #spawn).
SPAWN = """-module(bench_spawn).
-export([run/1]).
run(Env) ->
    N = maps:get(spawns, Env),
    Idle = beamtalk_classes:global('Idle'),
    erlang:garbage_collect(),
    M0 = erlang:memory(processes),
    T0 = erlang:monotonic_time(),
    spawn_n(Idle, N),
    T = erlang:convert_time_unit(erlang:monotonic_time() - T0, native, microsecond),
    M1 = erlang:memory(processes),
    beamtalk_actor:kill_all(),
    {{T, (M1 - M0) div N}, Env}.
spawn_n(_, 0) -> ok;
spawn_n(Idle, N) -> {'$actor', _, _, _} = 'bt@sel@spawn':send(Idle), spawn_n(Idle, N - 1).
"""

# The floor: bare processes that hibernate at once, spawned and killed the same way.
SPAWN_BASELINE = """-module(bench_spawn_bare).
-export([run/1, idle/0]).
run(Env) ->
    N = maps:get(spawns, Env),
    Mod = erlang:get_module_info(bench_spawn_bare, module),
    erlang:garbage_collect(),
    Count = erlang:system_info(process_count),
    M0 = erlang:memory(processes),
    T0 = erlang:monotonic_time(),
    Pids = spawn_n(Mod, N, []),
    T = erlang:convert_time_unit(erlang:monotonic_time() - T0, native, microsecond),
    M1 = erlang:memory(processes),
    lists:foreach(fun(P) -> exit(P, kill) end, Pids),
    gone(Count),
    {{T, (M1 - M0) div N}, Env}.
gone(Count) ->
    case erlang:system_info(process_count) > Count + 100 of
        true -> timer:sleep(10), gone(Count);
        false -> ok
    end.
spawn_n(_, 0, Acc) -> Acc;
spawn_n(Mod, N, Acc) -> spawn_n(Mod, N - 1, [erlang:spawn(Mod, idle, []) | Acc]).
idle() -> erlang:hibernate(erlang, exit, [normal]).
"""


def core_of(source: str, name: str) -> str:
    """Core Erlang text of an Erlang module (erlc +to_core)."""
    tools = find_tools()
    work = Path(tempfile.mkdtemp(prefix="bench_actors_"))
    (work / f"{name}.erl").write_text(source, encoding="utf-8")
    subprocess.run([tools.erlc, "+to_core", "-o", str(work), str(work / f"{name}.erl")],
                   check=True)
    return (work / f"{name}.core").read_text(encoding="utf-8")


class Node:
    """One node for a worker's life, with the benchmark's classes loaded."""

    def __init__(self) -> None:
        self.session = BeamSession()
        [entry] = self.session.compile([(SOURCE, 1, "bench_native_actors.bt")])
        outcome = self.session.run_entry(entry, 1)
        assert not outcome.failed, outcome.error_line()

    def beamtalk(self, text: str) -> str:
        """Run Beamtalk statements; answer the last one's printString."""
        lines = text.splitlines()
        entries = self.session.compile([(t, i + 1, "bench.bt") for i, t in enumerate(lines)])
        outcome = None
        for i, entry in enumerate(entries):
            outcome = self.session.run_entry(entry, i + 1)
            assert not outcome.failed, outcome.error_line()
        return outcome.value

    def erlang(self, core: str) -> str:
        reply = self.session.node.eval(core)
        assert reply.ok, reply.error_line()
        return reply.value


def pair(printed: str) -> tuple[int, int]:
    """The two integers of a printed `{a, b}` (a Tuple, or an Erlang tuple)."""
    first, second = printed.strip("{}").split(",")
    return int(first), int(second)


# A pair is logged only when its CPU time can be read to a few percent (the clock counts
# milliseconds); pyperf's calibration runs are shorter.
PAIR_MIN_MS = 50


def round_trips(report: str):
    """A time function for one side of the round-trip pair ("native" or "baseline"): both
    sides run in this node at the same loop count, the order alternating between calls; it
    logs the pair and answers its own side's seconds."""
    node = Node()
    core = core_of(BASELINE, "bench_call")
    count = [0]

    def native(loops: int) -> tuple[int, int]:
        return pair(node.beamtalk(BT_SEND_AWAIT.format(loops=loops)))

    def baseline(loops: int) -> tuple[int, int]:
        node.beamtalk(f"loops := {loops}")
        return pair(node.erlang(core))

    def time_func(loops: int) -> float:
        count[0] += 1
        native_first = count[0] % 2 == 1
        if native_first:
            (micros, cpu), (base_micros, base_cpu) = native(loops), baseline(loops)
        else:
            (base_micros, base_cpu), (micros, cpu) = baseline(loops), native(loops)
        if min(cpu, base_cpu) >= PAIR_MIN_MS:
            PAIRS_LOG.parent.mkdir(parents=True, exist_ok=True)
            with PAIRS_LOG.open("a", encoding="utf-8") as out:
                out.write(json.dumps({"native": micros, "baseline": base_micros,
                                      "native_cpu": cpu, "baseline_cpu": base_cpu,
                                      "first": "native" if native_first else "baseline",
                                      "worker": report}) + "\n")
        return (micros if report == "native" else base_micros) / 1e6

    return time_func


def spawn_idle(source: str = SPAWN, name: str = "bench_spawn", log: str = "native"):
    node = Node()
    core = core_of(source, name)
    node.beamtalk(f"spawns := {SPAWNS}")

    def time_func(loops: int) -> float:
        total = 0.0
        for _ in range(loops):
            micros, per_actor = node.erlang(core).strip("{}").split(", ")
            total += int(micros) / 1e6
            MEMORY_LOG.parent.mkdir(parents=True, exist_ok=True)
            with MEMORY_LOG.open("a", encoding="utf-8") as out:
                out.write(json.dumps({"kind": log, "seconds": int(micros) / 1e6,
                                      "bytes_per_actor": int(per_actor)}) + "\n")
        return total

    return time_func


def lazy(factory):
    """A time function that starts its node on first use (only pyperf's workers time)."""
    made = []

    def time_func(loops: int) -> float:
        if not made:
            made.append(factory())
        return made[0](loops)

    return time_func


if __name__ == "__main__":
    runner = pyperf.Runner(processes=4, values=3, warmups=1)
    runner.parse_args()
    if not runner.args.worker:
        MEMORY_LOG.unlink(missing_ok=True)
        PAIRS_LOG.unlink(missing_ok=True)
    runner.bench_time_func("native_actor_send_await", lazy(lambda: round_trips("native")))
    runner.bench_time_func("erlang_gen_server_call", lazy(lambda: round_trips("baseline")))
    runner.bench_time_func("native_spawn_1m_idle_actors", lazy(spawn_idle))
    runner.bench_time_func("erlang_spawn_1m_hibernated",
                           lazy(lambda: spawn_idle(SPAWN_BASELINE, "bench_spawn_bare", "bare")))
    if not runner.args.worker and PAIRS_LOG.exists():
        pairs = [json.loads(line) for line in PAIRS_LOG.read_text().splitlines()]
        for what, key in (("wall clock", ""), ("CPU time", "_cpu")):
            for first in (None, "native", "baseline"):
                ratios = sorted(p["native" + key] / p["baseline" + key] for p in pairs
                                if first is None or p.get("first") == first)
                if not ratios:
                    continue
                order = "" if first is None else f", {first} first"
                print(f"send + await / gen_server:call, each pair timed back to back in one "
                      f"node, {what}{order}: median {ratios[len(ratios) // 2]:.2f}x "
                      f"({ratios[0]:.2f}-{ratios[-1]:.2f}x, {len(ratios)} pairs)")
    if not runner.args.worker and MEMORY_LOG.exists():
        rows = [json.loads(line) for line in MEMORY_LOG.read_text().splitlines()]
        for kind, what in (("native", "idle actors"), ("bare", "bare hibernated processes")):
            per_actor = sorted(r["bytes_per_actor"] for r in rows if r.get("kind") == kind)
            if per_actor:
                print(f"spawn {SPAWNS:,} {what}: {len(per_actor)} runs, process memory each "
                      f"{per_actor[0]}-{per_actor[-1]} bytes "
                      f"(median {per_actor[len(per_actor) // 2]})")
