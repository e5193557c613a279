"""Runs every pyperf benchmark script here and prints each result beside its baseline."""

from __future__ import annotations

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
    "beamtalk_actor_send_await": "python_queue_round_trip",
    "beamtalk_actor_send_await_forever": "python_queue_round_trip",
}


def run_script(script: Path, fast: bool) -> Path:
    """Run one pyperf script; answer the path of its JSON results."""
    OUT.mkdir(parents=True, exist_ok=True)
    result = OUT / f"{script.stem}.json"
    result.unlink(missing_ok=True)
    args = [sys.executable, str(script), "--quiet", "-o", str(result)]
    if fast:
        args.append("--fast")
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
    """`python benchmarks/run.py [--fast]`."""
    fast = "--fast" in sys.argv
    report([run_script(s, fast) for s in sorted(HERE.glob("bench_*.py"))])


if __name__ == "__main__":
    main()
