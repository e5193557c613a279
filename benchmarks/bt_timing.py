"""Timing helpers shared by the interpreter benchmarks and their plain Python baselines.

On CPython 3.11 a recursion that keeps crossing one of the interpreter's 16 KB frame-stack
chunks runs many times slower, depending on the depth it starts at (gh-142183).  Both sides
of every ratio are therefore timed from several starting depths, on the same kind of
big-stack thread, and the best is kept.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

import pyperf

from beamtalk.interp.session import Session, run_with_big_stack

# BT_BENCH_CPU=1 times with the thread's CPU clock (steadier on a machine shared with other
# jobs); pyperf's wall clock otherwise.
CLOCK = time.thread_time if os.environ.get("BT_BENCH_CPU") else pyperf.perf_counter

# Extra frames below the timed code: together they span more than one 16 KB chunk.
START_DEPTHS = (0, 23, 47, 71, 97, 131, 163, 199)


def at_depth(depth: int, fn: Callable[[], float]) -> float:
    """Call fn with `depth` extra Python frames below it."""
    if depth == 0:
        return fn()
    return at_depth(depth - 1, fn)


def best_time(run_once: Callable[[], Any], loops: int, expected: Any) -> float:
    """Seconds for `loops` runs, from the best starting depth (each result checked)."""

    def timed() -> float:
        start = CLOCK()
        for _ in range(loops):
            if run_once() != expected:
                raise AssertionError("benchmark computed a wrong result")
        return CLOCK() - start

    return min(at_depth(d, timed) for d in START_DEPTHS) * 1.0


def beamtalk_timer(source: str, statement: str, expected: Any) -> Callable[[int], float]:
    """A pyperf time function: `statement` in a session that has run `source`."""

    def time_loops(loops: int) -> float:
        def go() -> float:
            session = Session()
            session.run_source(source, "bench.bt")
            stmt = session.parse(statement, "bench.bt")[0]
            thunk = session.rt.compiler.compile_top(stmt, "bench.bt")
            session.rt.local.process = session.top
            return best_time(thunk, loops, expected)

        return run_with_big_stack(go)

    return time_loops


def python_timer(fn: Callable[..., Any], *args: Any, expected: Any) -> Callable[[int], float]:
    """A pyperf time function for the plain Python baseline, timed the same way."""

    def time_loops(loops: int) -> float:
        return run_with_big_stack(lambda: best_time(lambda: fn(*args), loops, expected))

    return time_loops
