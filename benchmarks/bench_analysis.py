"""pyperf: static analysis (`beamtalk check` minus parsing) must take linear time.

Each benchmark reports the time per 1,000 lines (pyperf's inner_loops divides it out) at
N and at 2N lines of the parse corpus, so linear analysis shows a ratio near 1.0 between
them; likewise the time per nesting level of `true ifTrue: [...]` nested D and 2D deep
(once exponential: warnings re-walked nested blocks from every ancestor).
"""

from __future__ import annotations

import sys

import pyperf
from parse_corpus import source

from beamtalk.interp.analysis.check import unknown_globals
from beamtalk.interp.analysis.source_file import resolve_file
from beamtalk.interp.analysis.warnings import dropped_results
from beamtalk.interp.syntax import parse_module

LINES = 10_000
DEPTH = 200


def analyse(module) -> None:
    """Everything `check` does after parsing."""
    resolved = resolve_file(module, "bench.bt")
    dropped_results(module, "bench.bt")
    unknown_globals(resolved.table, module, "bench.bt")


def nested_ifs(depth: int) -> str:
    """`x := true ifTrue: [true ifTrue: [... l add: 1. 2]]`, `depth` levels deep."""
    expr = "l add: 1. 2"
    for _ in range(depth):
        expr = f"true ifTrue: [{expr}]"
    return f"l := List new\nx := {expr}\n"


if __name__ == "__main__":
    sys.setrecursionlimit(100_000)
    runner = pyperf.Runner()
    for lines in (LINES, 2 * LINES):
        module = parse_module(source(lines), "bench.bt")
        runner.bench_func(f"check_analysis_per_1000_lines_at_{lines}", analyse, module,
                          inner_loops=lines // 1000)
    for depth in (DEPTH, 2 * DEPTH):
        module = parse_module(nested_ifs(depth), "bench.bt")
        runner.bench_func(f"check_analysis_per_level_at_depth_{depth}", analyse, module,
                          inner_loops=depth)
