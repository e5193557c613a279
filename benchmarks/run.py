"""Runs every pyperf benchmark script here and prints each result beside its baseline."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyperf

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "_build" / "bench"

# benchmark name -> the hand-written baseline measured in the same run
BASELINES = {
    "beamtalk_parse_5000_lines": "python_compile_5000_lines",
    "beamtalk_fib_25": "python_fib_25",
    "native_fib_30": "erlang_fib_30",
    "native_actor_send_await": "erlang_gen_server_call",
    "beamtalk_pipeline_100k": "python_pipeline_100k",
    "beamtalk_strings_100k": "python_strings_100k",
    "beamtalk_scheduler": "python_scheduler",
    "beamtalk_actor_send_await": "python_queue_round_trip",
    "beamtalk_actor_send_await_forever": "python_queue_round_trip",
    # linear analysis: the cost per line (per level) at 2N is about the cost at N
    "check_analysis_per_1000_lines_at_20000": "check_analysis_per_1000_lines_at_10000",
    "check_analysis_per_level_at_depth_400": "check_analysis_per_level_at_depth_200",
}


def run_script(script: Path, fast: bool) -> Path:
    """Run one pyperf script; answer the path of its JSON results."""
    OUT.mkdir(parents=True, exist_ok=True)
    result = OUT / f"{script.stem}.json"
    result.unlink(missing_ok=True)
    args = [sys.executable, str(script), "--quiet", "-o", str(result)]
    if fast:
        args.append("--fast")
    if os.environ.get("BT_BENCH_CPU"):  # CPU-clock timing (bt_timing.py) in the workers too
        args += ["--inherit-environ", "BT_BENCH_CPU"]
    subprocess.run(args, check=True, cwd=HERE)
    return result


def format_time(seconds: float) -> str:
    """A duration in ms, or in us when under a millisecond (round trips are microseconds)."""
    if seconds < 1e-3:
        return f"{seconds * 1e6:10.2f} us"
    return f"{seconds * 1000:10.2f} ms"


def report(results: list[Path]) -> None:
    """Mean of each benchmark, and the ratio to its baseline."""
    means = {}
    for path in results:
        for bench in pyperf.BenchmarkSuite.load(str(path)).get_benchmarks():
            means[bench.get_name()] = bench.mean()
    for name, mean in sorted(means.items()):
        line = f"{name:40s} {format_time(mean)}"
        base = BASELINES.get(name)
        if base in means:
            line += f"   {mean / means[base]:6.1f}x {base}"
        print(line)


def main() -> None:
    """`python benchmarks/run.py [--fast] [NAME...]` (NAME: fib, pipeline, strings, ...)."""
    fast = "--fast" in sys.argv
    only = [a for a in sys.argv[1:] if not a.startswith("--")]  # e.g. `run.py fib strings`
    scripts = [s for s in sorted(HERE.glob("bench_*.py"))
               if not only or any(s.stem == f"bench_{name}" for name in only)]
    report([run_script(s, fast) for s in scripts])


if __name__ == "__main__":
    main()
