"""pyperf: compiler_bt's front end on the interpreter.

Parses compiler_bt's own sources, and a generated file at N and 2N lines (time per 1,000
lines; doubling the input should at most double the time, +25%); resolves them (the parsed
trees, so that resolving alone is timed). The baselines measured in the same run are the
Python front end and the Python resolver on the same generated text.
"""

from __future__ import annotations

import time

import pyperf
from parse_corpus import source

from beamtalk.bootstrap import compiler_bt
from beamtalk.interp.analysis.source_file import resolve_file
from beamtalk.interp.syntax import parse_module

N = 500


def own_sources() -> None:
    """Parse every compiler_bt source file once."""
    for path in compiler_bt.source_files():
        compiler_bt.parse(path.read_text(encoding="utf-8"), str(path))


def timed_resolve(texts: list[tuple[str, str]]):
    """A pyperf time function resolving compiler_bt's trees of (source, path) pairs.

    Parsing them (and building the stdlib's class table) happens first, untimed: only the
    resolver is measured, and only in the worker that runs this benchmark.
    """

    def run(loops: int) -> float:
        bt = compiler_bt.shared()
        session = bt.stdlib_session
        trees = [(bt.call("moduleOf:path:", text, path), path) for text, path in texts]
        start = time.perf_counter()
        for _ in range(loops):
            for tree, path in trees:
                bt.call("resolve:path:session:", tree, path, session)
        return time.perf_counter() - start

    return run


def timed_python_resolve(text: str):
    """A pyperf time function for the Python resolver on a parsed text (the baseline)."""

    def run(loops: int) -> float:
        tree = parse_module(text, "gen.bt")
        resolve_file(tree, "gen.bt")  # the stdlib's class table is built once, untimed
        start = time.perf_counter()
        for _ in range(loops):
            resolve_file(tree, "gen.bt")
        return time.perf_counter() - start

    return run


if __name__ == "__main__":
    runner = pyperf.Runner(values=1, processes=1, warmups=0)
    compiler_bt.shared()  # loading compiler_bt is not what is measured
    small, large = source(N), source(2 * N)
    runner.bench_func("compiler_bt_own_sources", own_sources)
    runner.bench_func(f"compiler_bt_parse_{N}_lines", compiler_bt.parse, small, "gen.bt")
    runner.bench_func(f"compiler_bt_parse_{2 * N}_lines", compiler_bt.parse, large, "gen.bt")
    runner.bench_func(f"python_parse_{2 * N}_lines", parse_module, large)
    own = [(p.read_text(encoding="utf-8"), str(p)) for p in compiler_bt.source_files()]
    runner.bench_time_func("compiler_bt_resolve_own_sources", timed_resolve(own))
    runner.bench_time_func(f"compiler_bt_resolve_{N}_lines", timed_resolve([(small, "gen.bt")]))
    runner.bench_time_func(f"compiler_bt_resolve_{2 * N}_lines",
                           timed_resolve([(large, "gen.bt")]))
    runner.bench_time_func(f"python_resolve_{2 * N}_lines", timed_python_resolve(large))
