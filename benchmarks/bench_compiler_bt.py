"""pyperf: compiler_bt's front end on the interpreter.

Parses compiler_bt's own sources, and a generated file at N and 2N lines (time per 1,000
lines; doubling the input should at most double the time, +25%). The baseline measured in
the same run is the Python front end on the same generated text.
"""

from __future__ import annotations

import pyperf
from parse_corpus import source

from beamtalk.bootstrap import compiler_bt
from beamtalk.interp.syntax import parse_module

N = 500


def own_sources() -> None:
    """Parse every compiler_bt source file once."""
    for path in compiler_bt.source_files():
        compiler_bt.parse(path.read_text(encoding="utf-8"), str(path))


if __name__ == "__main__":
    runner = pyperf.Runner(values=1, processes=1, warmups=0)
    compiler_bt.shared()  # loading compiler_bt is not what is measured
    small, large = source(N), source(2 * N)
    runner.bench_func("compiler_bt_own_sources", own_sources)
    runner.bench_func(f"compiler_bt_parse_{N}_lines", compiler_bt.parse, small, "gen.bt")
    runner.bench_func(f"compiler_bt_parse_{2 * N}_lines", compiler_bt.parse, large, "gen.bt")
    runner.bench_func(f"python_parse_{2 * N}_lines", parse_module, large)
