"""pyperf: string building, 100,000 interpolated pieces joined with a separator.

Baseline: the same with f-strings and str.join in plain Python.
"""

from __future__ import annotations

import pyperf
from bt_timing import beamtalk_timer, python_timer

SOURCE = """Object subclass: Bench
  build: n => ((1 to: n) asList collect: [:i | "item {i} of {n}"]) join: ', '
"""

N = 100_000
EXPECTED_LENGTH = len(", ".join(f"item {i} of {N}" for i in range(1, N + 1)))


def python_build(n: int) -> int:
    """The hand-written baseline (answers the length, as the Beamtalk statement does)."""
    return len(", ".join([f"item {i} of {n}" for i in range(1, n + 1)]))


if __name__ == "__main__":
    runner = pyperf.Runner()
    runner.bench_time_func("beamtalk_strings_100k",
                           beamtalk_timer(SOURCE, f"(Bench new build: {N}) size", EXPECTED_LENGTH))
    runner.bench_time_func("python_strings_100k",
                           python_timer(python_build, N, expected=EXPECTED_LENGTH))
