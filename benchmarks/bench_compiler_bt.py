"""pyperf: compiler_bt's front end on the interpreter.

Parses compiler_bt's own sources, and a generated file at N and 2N lines (time per 1,000
lines; doubling the input should at most double the time, +25%); resolves them (the parsed
trees, so that resolving alone is timed). The baselines measured in the same run are the
Python front end and the Python resolver on the same generated text.
"""

from __future__ import annotations

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


def resolver(source_text: str, path: str):
    """A function resolving the compiler_bt tree of one source (parsed once, beforehand)."""
    bt = compiler_bt.shared()
    module = bt.call("moduleOf:path:", source_text, path)
    session = bt.stdlib_session

    def run() -> None:
        bt.call("resolve:path:session:", module, path, session)

    return run


def own_trees() -> list:
    """compiler_bt's own sources, parsed by compiler_bt."""
    bt = compiler_bt.shared()
    return [(bt.call("moduleOf:path:", p.read_text(encoding="utf-8"), str(p)), str(p))
            for p in compiler_bt.source_files()]


if __name__ == "__main__":
    runner = pyperf.Runner(values=1, processes=1, warmups=0)
    compiler_bt.shared()  # loading compiler_bt is not what is measured
    small, large = source(N), source(2 * N)
    runner.bench_func("compiler_bt_own_sources", own_sources)
    runner.bench_func(f"compiler_bt_parse_{N}_lines", compiler_bt.parse, small, "gen.bt")
    runner.bench_func(f"compiler_bt_parse_{2 * N}_lines", compiler_bt.parse, large, "gen.bt")
    runner.bench_func(f"python_parse_{2 * N}_lines", parse_module, large)
    trees = own_trees()
    session = compiler_bt.shared().stdlib_session

    def resolve_own() -> None:
        """Resolve every compiler_bt source file once (parsed beforehand)."""
        for tree, path in trees:
            compiler_bt.shared().call("resolve:path:session:", tree, path, session)

    runner.bench_func("compiler_bt_resolve_own_sources", resolve_own)
    runner.bench_func(f"compiler_bt_resolve_{N}_lines", resolver(small, "gen.bt"))
    runner.bench_func(f"compiler_bt_resolve_{2 * N}_lines", resolver(large, "gen.bt"))
    large_tree = parse_module(large, "gen.bt")
    resolve_file(large_tree, "gen.bt")  # the stdlib's class table is built once, not timed
    runner.bench_func(f"python_resolve_{2 * N}_lines", resolve_file, large_tree, "gen.bt")
