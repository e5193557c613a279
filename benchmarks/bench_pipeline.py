"""pyperf: a collection pipeline (select, collect, inject over 100,000 Integers).

Baseline: the same pipeline in plain Python (comprehensions and a summing loop).
"""

from __future__ import annotations

import pyperf
from bt_timing import beamtalk_timer, python_timer

SOURCE = """Object subclass: Bench
  pipeline: list =>
    ^((list select: [:x | x isOdd]) collect: [:x | x * x]) inject: 0 into: [:a :b | a + b]
data := (1 to: 100000) asList
"""

EXPECTED = sum(x * x for x in range(1, 100001) if x % 2 == 1)


def python_pipeline(data: list[int]) -> int:
    """The hand-written baseline."""
    odds = [x for x in data if x & 1 == 1]
    squares = [x * x for x in odds]
    total = 0
    for x in squares:
        total = total + x
    return total


if __name__ == "__main__":
    runner = pyperf.Runner()
    runner.bench_time_func("beamtalk_pipeline_100k",
                           beamtalk_timer(SOURCE, "Bench new pipeline: data", EXPECTED))
    runner.bench_time_func("python_pipeline_100k",
                           python_timer(python_pipeline, list(range(1, 100001)),
                                        expected=EXPECTED))
