"""pyperf: the interpreter computing `fib: 25`; baseline: the same function in plain Python."""

from __future__ import annotations

import pyperf
from bt_timing import beamtalk_timer, python_timer

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


if __name__ == "__main__":
    runner = pyperf.Runner()
    runner.bench_time_func("beamtalk_fib_25", beamtalk_timer(SOURCE, "Bench new fib: 25", 75025))
    runner.bench_time_func("python_fib_25", python_timer(python_fib, 25, expected=75025))
