"""pyperf: the bootstrap's stages (issue 13) and a native REPL line.

- `bootstrap_stage0`: the interpreter loads compiler_bt and compiles compiler_bt and the stdlib
  to Core Erlang (budget <= 60 s, goal 20 s); nothing cached (a fresh stage-0 cache folder).
  As the bootstrap runs it (bootstrap/stage0_parallel.py: one process unless
  BEAMTALK_STAGE0_WORKERS=2); `--stage0-two-workers` adds `bootstrap_stage0_two_workers`,
  the same work split between two worker processes.
- `bootstrap_stage1`: the native compiler (the stage-1 build, in a node already started)
  compiles the same sources (budget <= 5 s, goal 2 s).
- `native_repl_line`: `x := x + 1` in a BEAM REPL session, from input to printed answer:
  compiled by the native compiler inside the node, loaded and run (budget <= 20 ms, goal 10 ms).
- `native_run_startup`: `beamtalk run --backend beam` of a one-statement script, the whole
  command (Python start, both nodes booted from their images, compile, run, nodes stopped),
  against `interp_run_startup`, the same script on the interpreter, measured in the same run
  (the brief of issue 12: well under a second or two).

The stages take seconds to minutes, so each is timed once per value (`--fast` gives one
value per benchmark). `bootstrap_stage1` and the REPL line need `beamtalk bootstrap` to have
built the native compiler; without it they are skipped with a message.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyperf

from beamtalk.bootstrap import erlang, native_compiler, stage0, stage0_parallel, stages
from beamtalk.bootstrap.beam_repl import BeamRepl


def stage0_timer(workers: int | None = None):
    """A pyperf time function: stage 0 from nothing into a fresh stage-0 cache folder, as
    `beamtalk bootstrap` runs it (`workers` None), in this process (1: the compiler_bt
    session reloaded each time, not the interpreter) or on two worker processes (2)."""

    def time_func(loops: int) -> float:
        total = 0.0
        for _ in range(loops):
            with tempfile.TemporaryDirectory() as cache:
                stage0.compiler_bt.shared.cache_clear()
                jobs = stages.jobs()
                start = time.perf_counter()
                results = stage0_parallel.compile_jobs(jobs, cache_dir=Path(cache),
                                                       workers=workers)
                total += time.perf_counter() - start
                for job, entries in zip(jobs, results):
                    assert all(e.error is None for e in entries), job.path
        return total

    return time_func


def stage1_timer(beam_dir: Path):
    """A pyperf time function: the native compiler on the same sources, in one node."""
    compiler = native_compiler.NativeCompiler(beam_dir)
    jobs = stages.jobs()

    def time_func(loops: int) -> float:
        start = time.perf_counter()
        for _ in range(loops):
            for job in jobs:
                entries = native_compiler.compile_on(compiler.node, job.items, job.path,
                                                     job.resolve)
                assert all(e.error is None for e in entries), job.path
        return time.perf_counter() - start

    return time_func


REPL_INNER_LOOPS = 100  # inputs per loop (the runner times one loop of everything)


def repl_line_timer():
    """A pyperf time function: one REPL input compiled in the node and run, value printed."""
    out = io.StringIO()
    repl = BeamRepl(stdin=io.StringIO(""), stdout=out, prompt=False)
    repl.evaluate("x := 0")

    def time_func(loops: int) -> float:
        start = time.perf_counter()
        for _ in range(loops * REPL_INNER_LOOPS):
            repl.evaluate("x := x + 1")
        elapsed = time.perf_counter() - start
        assert out.getvalue().splitlines()[-1] == str(int(out.getvalue().splitlines()[-2]) + 1)
        return elapsed

    return time_func


STARTUP_INNER_LOOPS = 5  # commands per loop (one value per benchmark: a mean of five)


def run_command_timer(backend: str):
    """A pyperf time function: `beamtalk run [--backend beam]` of a one-statement script, as a
    user runs it (a process of its own each time)."""
    beamtalk = Path(sys.executable).with_name("beamtalk")

    def time_func(loops: int) -> float:
        with tempfile.TemporaryDirectory() as folder:
            script = Path(folder) / "one.bt"
            script.write_text("3 printString\n", encoding="utf-8")
            command = [str(beamtalk), "run", "--backend", backend, str(script)]
            start = time.perf_counter()
            for _ in range(loops * STARTUP_INNER_LOOPS):
                subprocess.run(command, check=True, stdout=subprocess.DEVNULL,
                               stdin=subprocess.DEVNULL)
            return time.perf_counter() - start

    return time_func


if __name__ == "__main__":
    # One loop a value: a stage takes seconds to minutes (the REPL line loops inside).
    def worker_args(cmd: list[str], args) -> None:
        """The workers pyperf spawns get the option too."""
        if args.without_stage0:
            cmd.append("--without-stage0")
        if args.stage0_two_workers:
            cmd.append("--stage0-two-workers")

    runner = pyperf.Runner(values=1, warmups=0, processes=1, loops=1,
                           add_cmdline_args=worker_args)
    runner.argparser.add_argument("--without-stage0", action="store_true",
                                  help="time only stage 1 and the REPL line")
    runner.argparser.add_argument("--stage0-two-workers", action="store_true",
                                  help="also time stage 0 on two worker processes")
    args = runner.parse_args()
    release = erlang.find_tools().release
    beam_dir = native_compiler.stage1_compiler(release)
    if not args.without_stage0:
        runner.bench_time_func("bootstrap_stage0", stage0_timer())
        if args.stage0_two_workers:
            runner.bench_time_func("bootstrap_stage0_two_workers", stage0_timer(workers=2))
    if beam_dir is None:
        print("bench_bootstrap: no native compiler (run `beamtalk bootstrap`); stage 1 and the "
              "REPL line skipped", file=sys.stderr)
    else:
        runner.bench_time_func("bootstrap_stage1", stage1_timer(beam_dir))
        runner.bench_time_func("native_repl_line", repl_line_timer(),
                               inner_loops=REPL_INNER_LOOPS)
        runner.bench_time_func("interp_run_startup", run_command_timer("interp"),
                               inner_loops=STARTUP_INNER_LOOPS)
        runner.bench_time_func("native_run_startup", run_command_timer("beam"),
                               inner_loops=STARTUP_INNER_LOOPS)
