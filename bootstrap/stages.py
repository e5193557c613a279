"""`beamtalk bootstrap [--check]`: compiler_bt compiles itself to a fixpoint (issue 13).

The sources are compiler_bt's files (compiler_bt/LOAD_ORDER, one session) and the stdlib's
(each file alone, unresolved, as the built-in classes' declarations), named relative to the
checkout so the output does not depend on where it lives.

- stage 0: the interpreter runs compiler_bt on the sources -> Core Erlang C0, compiled to
  `.beam` files B0: the stage-1 compiler;
- stage 1: a node with B0 registered compiles the same sources -> C1, B1;
- stage 2: a node with B1 -> C2, B2;  stage 3: a node with B2 -> C3, B3.

Checked: C0 == C1 (the interpreter and the BEAM run the compiler alike), C1 == C2, and
B2 == B3 byte for byte (deterministic compilation). Each stage is kept under
`_build/bootstrap/<key>/stageN/` (`core/`, `beam/`, `stage.json` written last), so a second run
with the same sources compiles nothing (stage 0 also has stage0.py's cache).
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from beamtalk.bootstrap import compiler_bt, erlang, native_compiler, stage0, stage0_parallel
from beamtalk.bootstrap.beam_node import BeamNode, NodeFailed, close_all

ROOT = erlang.ROOT
STAGES = 4  # 0, 1, 2, 3


class StageFailed(RuntimeError):
    """A stage could not compile the sources (a compiler or runtime bug)."""


@dataclass(frozen=True)
class Job:
    """One compileStatements call: statements (text, first line, file) of one session."""

    path: str
    items: tuple[tuple[str, int, str], ...]
    resolve: bool


@dataclass
class Stage:
    """A stage's output: Core text per module, its `.beam` directory, and its timings."""

    number: int
    core: dict[str, str]
    beam_dir: Path
    compile_seconds: float
    build_seconds: float
    cached: bool


def jobs() -> list[Job]:
    """The compilations every stage performs, in order: the stdlib's files, then compiler_bt."""
    out = []
    for path in sorted(erlang.STDLIB_DIR.glob("*.bt")):
        rel = f"stdlib/{path.name}"
        out.append(Job(rel, ((path.read_text(encoding="utf-8"), 1, rel),), False))
    items = tuple((p.read_text(encoding="utf-8"), 1, f"compiler_bt/{p.name}")
                  for p in compiler_bt.source_files())
    out.append(Job(items[-1][2], items, True))
    return out


def module_name(unit: stage0.CoreUnit, methods: dict[str, int]) -> str:
    """The module a class or `>>` unit is built as (the sources hold no other statements)."""
    if unit.kind == "statement":
        raise StageFailed(f"a top-level statement in the compiler's sources (line {unit.line})")
    return stage0.module_file_name(unit, 0, methods)


def modules_of(job_entries: list[tuple[Job, list[stage0.Entry]]]) -> dict[str, str]:
    """Core text per module name; StageFailed with the diagnostics if anything failed."""
    core: dict[str, str] = {}
    methods: dict[str, int] = {}
    for job, entries in job_entries:
        for entry in entries:
            if entry.error is not None:
                raise StageFailed(f"{job.path} did not compile:\n{entry.error}")
            for unit in entry.units:
                name = module_name(unit, methods)
                if name in core:
                    raise StageFailed(f"two units build module {name} ({job.path})")
                try:
                    core[name] = stage0.renamed(unit, name)
                except compiler_bt.CompilerBtError as exc:
                    raise StageFailed(f"{job.path}: {exc}") from exc
    return core


def write_core(core: dict[str, str], folder: Path) -> None:
    """One `<module>.core` per module (what the comparisons read)."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name, text in sorted(core.items()):
        (folder / f"{name}.core").write_text(text, encoding="utf-8")


def read_core(folder: Path) -> dict[str, str]:
    """The Core texts written by write_core."""
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.core"))}


class Bootstrap:
    """The stages of one build directory; `run` prints as it goes."""

    def __init__(self, out: TextIO, tools: erlang.Tools, runtime: erlang.Build) -> None:
        self.out = out
        self.tools = tools
        self.runtime = runtime
        self.base = native_compiler.build_dir(tools.release)
        self.jobs = jobs()

    def say(self, text: str) -> None:
        """One line of the report."""
        print(text, file=self.out, flush=True)

    def stage(self, number: int, compile_all: Callable[[], tuple[dict[str, str], BeamNode]],
              ) -> Stage:
        """Run (or reuse) one stage: compile the sources, write Core, build the beams."""
        folder = self.base / f"stage{number}"
        marker = folder / "stage.json"
        if marker.exists():
            info = json.loads(marker.read_text(encoding="utf-8"))
            return Stage(number, read_core(folder / "core"), folder / "beam",
                         info["compile_seconds"], info["build_seconds"], True)
        if folder.exists():
            shutil.rmtree(folder)
        start = time.perf_counter()
        core, node = compile_all()
        try:
            compiled = time.perf_counter()
            write_core(core, folder / "core")
            built = native_compiler.build_on(node, [core[n] for n in sorted(core)],
                                             folder / "beam")
        finally:
            node.close()
        if sorted(built) != sorted(core):
            raise StageFailed(f"stage {number}: the beams built are not the modules compiled")
        done = time.perf_counter()
        info = {"compile_seconds": round(compiled - start, 3),
                "build_seconds": round(done - compiled, 3), "modules": sorted(core)}
        marker.write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
        return Stage(number, core, folder / "beam", info["compile_seconds"],
                     info["build_seconds"], False)

    def stage0(self) -> Stage:
        """The interpreter runs compiler_bt (stage0_parallel.py: in one process, or two with
        BEAMTALK_STAGE0_WORKERS=2; cached by content as stage0.py caches)."""

        def compile_all() -> tuple[dict[str, str], BeamNode]:
            try:
                entries = stage0_parallel.compile_jobs(self.jobs)
            except compiler_bt.CompilerBtError as exc:
                raise StageFailed(f"stage 0 failed: {exc}") from exc
            # A bare node (no stdlib) compiles the Core to beams.
            return (modules_of(list(zip(self.jobs, entries))),
                    BeamNode(build=self.runtime, tools=self.tools))

        return self.stage(0, compile_all)

    def native_stage(self, number: int, compiler: Stage) -> Stage:
        """A node running the previous stage's build compiles the sources."""

        def compile_all() -> tuple[dict[str, str], BeamNode]:
            node = native_compiler.start_node(compiler.beam_dir, self.runtime, self.tools)
            try:
                results = []
                for job in self.jobs:
                    try:
                        results.append((job, native_compiler.compile_on(
                            node, job.items, job.path, job.resolve)))
                    except NodeFailed as exc:
                        raise StageFailed(f"stage {number} failed on {job.path}: {exc}") from exc
                return modules_of(results), node
            except BaseException:
                node.close()
                raise

        return self.stage(number, compile_all)

    def report_stage(self, stage: Stage) -> None:
        """The stage's timing line."""
        how = "interpreter" if stage.number == 0 else f"native compiler of stage {stage.number - 1}"
        cached = " (cached: timings of the run that built it)" if stage.cached else ""
        self.say(f"stage {stage.number}: {how}: compile {stage.compile_seconds:.1f} s, "
                 f"{len(stage.core)} modules to .beam {stage.build_seconds:.1f} s{cached}")

    def run(self, check: bool) -> int:
        """All stages and the three comparisons; 1 on a mismatch with --check."""
        self.say(f"bootstrap: {len(self.jobs)} compilations, "
                 f"build {self.base.relative_to(ROOT)}")
        stages = [self.stage0()]
        self.report_stage(stages[0])
        for number in range(1, STAGES):
            stages.append(self.native_stage(number, stages[-1]))
            self.report_stage(stages[-1])
        mismatches = [
            self.compare_core(stages[0], stages[1], "the interpreter and the BEAM"),
            self.compare_core(stages[1], stages[2], "stage 1 and stage 2"),
            self.compare_beams(stages[2], stages[3]),
        ]
        prune(self.base)
        if any(mismatches):
            return 1 if check else 0
        self.prepare_images()
        self.say("fixpoint reached")
        return 0

    def prepare_images(self) -> None:
        """Start the native compiler's node and a program node once, so each saves its image
        (beamtalk_image) and the first `run --backend beam` starts as fast as the next; then
        start them again from the images, compile and run SAMPLE, and have each node note
        the modules it loaded, which later nodes load in the background."""
        beam_dir = self.base / "stage0" / "beam"
        images = [native_compiler.image_file(beam_dir, self.runtime, stdlib_only)
                 for stdlib_only in (False, True)]
        if all(image.with_name(image.name + ".preload").exists() for image in images):
            self.say("node images: cached")
            return
        start = time.perf_counter()
        for noting in (False, True):
            started = native_compiler.start_with_program()
            if started is None:
                raise StageFailed("the native compiler is missing after stage 1")
            compiler, program = started
            try:
                if noting:
                    run_sample(compiler, program)
                    compiler.node.note_use()
                    program.note_use()
            finally:
                close_all([compiler.node, program])
        self.say(f"node images: {time.perf_counter() - start:.1f} s")

    def compare_core(self, a: Stage, b: Stage, what: str) -> bool:
        """Print whether two stages' Core is identical; True on a mismatch."""
        label = f"stage {a.number} == stage {b.number} Core Erlang ({what})"
        first = first_difference(a.core, b.core)
        if first is None:
            self.say(f"{label}: identical, {len(a.core)} modules")
            return False
        module, line = first
        path = (self.base / f"stage{b.number}" / "core" / f"{module}.core").relative_to(ROOT)
        self.say(f"{label}: DIFFERENT, first at {path}:{line}")
        return True

    def compare_beams(self, a: Stage, b: Stage) -> bool:
        """Print whether two stages' .beam files are byte-identical; True on a mismatch."""
        label = f"stage {a.number} == stage {b.number} .beam files"
        names_a = native_compiler.modules_in(a.beam_dir)
        names_b = native_compiler.modules_in(b.beam_dir)
        for name in sorted(set(names_a) | set(names_b)):
            pa, pb = a.beam_dir / f"{name}.beam", b.beam_dir / f"{name}.beam"
            if not pa.exists() or not pb.exists():
                self.say(f"{label}: DIFFERENT, {name}.beam only in stage "
                         f"{a.number if pa.exists() else b.number}")
                return True
            da, db = pa.read_bytes(), pb.read_bytes()
            if da != db:
                offset = next((i for i, (x, y) in enumerate(zip(da, db)) if x != y),
                              min(len(da), len(db)))
                self.say(f"{label}: DIFFERENT, first at {pb.relative_to(ROOT)} byte {offset}")
                return True
        self.say(f"{label}: identical, {len(names_a)} files")
        return False


SAMPLE = ROOT / "examples" / "tour.bt"  # the program whose start-up later nodes prepare for


def run_sample(compiler: native_compiler.NativeCompiler, program: BeamNode) -> None:
    """Compile SAMPLE and load or run its units in `program` (what it prints is dropped;
    a failing statement does not stop the others: only the code it loads matters)."""
    path = str(SAMPLE.relative_to(ROOT))
    for entry in compiler.compile([(SAMPLE.read_text(encoding="utf-8"), 1, path)], path):
        for unit in entry.units:
            if unit.kind == "statement":
                program.execute(unit.core)
            else:
                program.load(unit.core)


def first_difference(a: dict[str, str], b: dict[str, str]) -> tuple[str, int] | None:
    """(module, 1-based line) of the first difference between two sets of Core texts."""
    for name in sorted(set(a) | set(b)):
        la = a.get(name, "").splitlines()
        lb = b.get(name, "").splitlines()
        if la == lb and a.get(name) == b.get(name):
            continue
        for i, (x, y) in enumerate(zip(la, lb)):
            if x != y:
                return name, i + 1
        return name, min(len(la), len(lb)) + 1
    return None


def prune(keep: Path) -> None:
    """Drop the build directories of other sources (only the current one is ever used)."""
    for other in keep.parent.iterdir():
        if other != keep and other.is_dir():
            shutil.rmtree(other, ignore_errors=True)


def run_bootstrap(check: bool, out: TextIO | None = None) -> int:
    """`beamtalk bootstrap [--check]`."""
    out = out or sys.stdout
    try:
        tools = erlang.find_tools()
        runtime = erlang.build_runtime(tools)
    except erlang.ErlangUnavailable as exc:
        print(f"beamtalk bootstrap: {exc}", file=sys.stderr)
        return 2
    try:
        return Bootstrap(out, tools, runtime).run(check)
    except (StageFailed, NodeFailed) as exc:
        out.flush()
        print(f"beamtalk bootstrap: {exc}", file=sys.stderr)
        return 1
