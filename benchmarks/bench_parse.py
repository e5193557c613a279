"""pyperf: parse a 5,000-line Beamtalk file; baseline: CPython compiling 5,000 lines of Python."""

from __future__ import annotations

import pyperf
from parse_corpus import python_source, source

from beamtalk.interp.syntax import parse_module

LINES = 5000

if __name__ == "__main__":
    runner = pyperf.Runner()
    beamtalk_text = source(LINES)
    python_text = python_source(LINES)
    runner.bench_func("beamtalk_parse_5000_lines", parse_module, beamtalk_text)
    runner.bench_func("python_compile_5000_lines", compile, python_text, "<bench>", "exec")
