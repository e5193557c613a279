"""pyperf: the interpreter computing `fib: 25`; baseline: the same function in plain Python."""

from __future__ import annotations

import pyperf

from beamtalk.interp.session import Session, run_with_big_stack

SOURCE = """Object subclass: Bench
  fib: n =>
    n < 2 ifTrue: [^n].
    ^(self fib: n - 1) + (self fib: n - 2)
"""


def python_fib(n: int) -> int:
    """The hand-written baseline."""
    if n < 2:
        return n
    return python_fib(n - 1) + python_fib(n - 2)


def beamtalk_fib(loops: int) -> float:
    """Time `loops` runs of `Bench new fib: 25` in one session."""

    def go() -> float:
        session = Session()
        session.run_source(SOURCE, "bench.bt")
        stmt = session.parse("Bench new fib: 25", "bench.bt")[0]
        thunk = session.rt.compiler.compile_top(stmt, "bench.bt")
        start = pyperf.perf_counter()
        for _ in range(loops):
            assert thunk() == 75025
        return pyperf.perf_counter() - start

    return run_with_big_stack(go)


if __name__ == "__main__":
    runner = pyperf.Runner()
    runner.bench_time_func("beamtalk_fib_25", beamtalk_fib)
    runner.bench_func("python_fib_25", python_fib, 25)
