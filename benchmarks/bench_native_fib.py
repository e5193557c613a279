"""pyperf: native `fib: 30` (compiler_bt's Core Erlang on a BEAM node); baseline: the same
function hand-written in Erlang, on a node started for it in the same run.

Each side times `loops` calls inside its node with the monotonic clock, so neither the pipe
to the node nor process start-up is counted.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import pyperf

from beamtalk.bootstrap.beam_session import BeamSession
from beamtalk.bootstrap.erlang import find_tools

SOURCE = """Object subclass: Bench
  fib: n =>
    n < 2 ifTrue: [^n].
    ^(self fib: n - 1) + (self fib: n - 2)
"""

ERLANG = """-module(bench_fib).
-export([fib/1, time/1]).
fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).
time(Loops) ->
    T0 = erlang:monotonic_time(),
    lists:foreach(fun(_) -> 832040 = fib(30) end, lists:seq(1, Loops)),
    erlang:convert_time_unit(erlang:monotonic_time() - T0, native, microsecond).
"""

BT_TIMING = """b := Bench new
t := Time millisecondClock
1 to: {loops} do: [:i | b fib: 30]
(b fib: 30) = 832040 ifFalse: [Error signal: 'wrong answer']
Time millisecondClock - t
"""


def native_timer():
    """A pyperf time function for the native fib (one node for the worker's life)."""
    session = BeamSession()
    path = "bench_native_fib.bt"
    [entry] = session.compile([(SOURCE, 1, path)])
    assert not session.run_entry(entry, 1).failed

    def time_func(loops: int) -> float:
        lines = BT_TIMING.format(loops=loops).splitlines()
        entries = session.compile([(text, i + 1, path) for i, text in enumerate(lines)])
        outcome = None
        for i, entry in enumerate(entries):
            outcome = session.run_entry(entry, i + 1)
            assert not outcome.failed, outcome.error_line()
        return int(outcome.value) / 1000.0

    return time_func


def erlang_timer():
    """A pyperf time function for the hand-written Erlang fib."""
    tools = find_tools()
    work = Path(tempfile.mkdtemp(prefix="bench_fib_"))
    (work / "bench_fib.erl").write_text(ERLANG, encoding="utf-8")
    subprocess.run([tools.erlc, "-o", str(work), str(work / "bench_fib.erl")], check=True)

    def time_func(loops: int) -> float:
        done = subprocess.run([tools.erl, "-noshell", "-pa", str(work), "-eval",
                               f"io:format(\"~p\", [bench_fib:time({loops})]), halt()."],
                              capture_output=True, text=True, check=True)
        return int(done.stdout) / 1e6

    return time_func


if __name__ == "__main__":
    runner = pyperf.Runner()
    runner.bench_time_func("native_fib_30", native_timer())
    runner.bench_time_func("erlang_fib_30", erlang_timer())
