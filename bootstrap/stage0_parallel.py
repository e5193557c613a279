"""Stage 0 on two cores: the bootstrap's compilations split between two worker processes
(when BEAMTALK_STAGE0_WORKERS=2; by default stage 0 runs in one process, see default_workers).

The interpreter runs one thread of Python at a time, so stage 0 (compiler_bt compiling the
stdlib and itself) uses two processes, each loading compiler_bt. The compilations are
independent except the statements of one session (compiler_bt's files), which follow each
other; that session is cut in two. The first worker compiles its head. The second compiles
every other job, then the tail, starting from the state the head leaves, which it finds by
parsing and resolving the head without generating its Core (BtCompiler
stateAfter:path:state:, about half the cost of compiling it). The entries are exactly the
ones of compiling each job whole, in one process (each unit's Core depends only on its
statement and that state; tests/test_stage0_parallel.py compares them, and the bootstrap's
stage 0 == stage 1 comparison would show any difference), and are cached as stage0.py
caches them.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from beamtalk.bootstrap import compiler_bt, stage0

# Parsing and resolving statements costs about this share of compiling them (measured on
# compiler_bt's sources): what skipping the head costs the second worker, per character.
HEAD_SHARE = 0.45


@dataclass(frozen=True)
class Work:
    """A compilation for a worker: items of job number `job` (a whole job, or a part of
    its session, following the statements `head`), `path` and `resolve` as for
    stage0.compile_statements."""

    job: int
    path: str
    items: tuple
    resolve: bool
    head: tuple = ()


def size(items: tuple) -> int:
    """The work a compilation takes, in source characters (its cost is about linear)."""
    return sum(len(item[0]) for item in items)


def split(items: tuple, others: int) -> int:
    """Where to cut a session so both workers get about the same work: the first worker
    takes items[:k]; the second the `others` characters, re-reads the head, and the rest."""
    best, best_k = None, 0
    head = 0
    total = size(items)
    for k in range(len(items) + 1):
        cost = max(head, others + HEAD_SHARE * head + (total - head))
        if best is None or cost < best:
            best, best_k = cost, k
        if k < len(items):
            head += len(items[k][0])
    return best_k


def plan(jobs: list) -> tuple[list[Work], list[Work]]:
    """The work of each worker: the largest session's head; everything else."""
    whole = [Work(i, j.path, tuple(j.items), j.resolve) for i, j in enumerate(jobs)]
    session = max(whole, key=lambda w: (size(w.items), len(w.items)))
    others = [w for w in whole if w is not session]
    k = split(session.items, sum(size(w.items) for w in others))
    if k in (0, len(session.items)):
        return ([session] if k else []), others + ([] if k else [session])
    head, tail = session.items[:k], session.items[k:]
    return ([Work(session.job, session.path, head, session.resolve)],
            others + [Work(session.job, session.path, tail, session.resolve, head)])


def run_work(works: list[Work]) -> list[list[stage0.Entry] | None]:
    """In a worker process: the entries of each Work (None: its head could not be skipped)."""
    out: list[list[stage0.Entry] | None] = []
    for w in works:
        if w.head:
            out.append(stage0.compile_after(list(w.head), list(w.items), w.path, w.resolve))
        else:
            out.append(stage0.compile_uncached(list(w.items), w.path, w.resolve))
    return out


def start_worker(works: list[Work]) -> subprocess.Popen:
    """A worker process (this module run as a program: a fresh interpreter, so nothing of
    this one's threads or main module comes along) given its work on stdin."""
    proc = subprocess.Popen([sys.executable, "-m", "beamtalk.bootstrap.stage0_parallel"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert proc.stdin is not None
    # From a thread: the pipe holds less than the work, and the other worker should start
    # while this one is still importing.
    data = pickle.dumps(works)

    def feed() -> None:
        assert proc.stdin is not None
        with proc.stdin:
            proc.stdin.write(data)

    threading.Thread(target=feed, daemon=True).start()
    return proc


def worker_answer(proc: subprocess.Popen) -> list[list[stage0.Entry] | None]:
    """What a worker answered; CompilerBtError if it failed."""
    assert proc.stdout is not None
    data = proc.stdout.read()
    proc.stdout.close()
    code = proc.wait()
    try:
        status, value = pickle.loads(data)
    except (pickle.UnpicklingError, EOFError, ValueError):
        status, value = "error", f"the stage-0 worker ended with status {code}"
    if status != "ok":
        raise compiler_bt.CompilerBtError(value)
    return value


def worker_main() -> None:
    """The worker program: Works on stdin, ("ok", entries per Work) or ("error", text) out."""
    works = pickle.loads(sys.stdin.buffer.read())
    try:
        answer: tuple = ("ok", run_work(works))
    except compiler_bt.CompilerBtError as exc:
        answer = ("error", str(exc))
    sys.stdout.buffer.write(pickle.dumps(answer))
    sys.stdout.flush()


def default_workers() -> int:
    """How many processes stage 0 uses: BEAMTALK_STAGE0_WORKERS (1 or 2), else 1.

    Two workers do about 1.3 times the work of one (each loads compiler_bt; the second
    re-reads the session's head), so they only pay where two cores are really free: on
    the shared 2-core machine they measured slower than one process (see README)."""
    return 2 if os.environ.get("BEAMTALK_STAGE0_WORKERS", "1").strip() == "2" else 1


def compile_jobs(jobs: list, cache_dir: Path | None = None, workers: int | None = None,
                 ) -> list[list[stage0.Entry]]:
    """The entries of each job (path, items, resolve), as stage0.compile_statements answers
    them, unless cached: computed by two worker processes (`workers` 2), or in this process
    (1); None: default_workers()."""
    found = [stage0.cached_entries(list(j.items), j.path, j.resolve, cache_dir) for j in jobs]
    if all(f is not None for f in found):
        return found  # type: ignore[return-value]
    if workers is None:
        workers = default_workers()
    if workers < 2 or len(jobs) < 2:
        return [f if f is not None else
                stage0.compile_statements(list(j.items), j.path, cache_dir, j.resolve)[0]
                for f, j in zip(found, jobs)]
    first, second = plan(jobs)
    runs = [(works, start_worker(works)) for works in (first, second) if works]
    parts = sorted(((w.job, len(w.head), entries) for works, proc in runs
                    for w, entries in zip(works, worker_answer(proc))), key=lambda p: p[:2])
    results: list[list[stage0.Entry]] = [[] for _ in jobs]
    for job, skipped, entries in parts:
        if entries is None:  # the head's errors (already in results) say why, if it has any
            errors = [e.error for e in results[job] if e.error is not None]
            raise compiler_bt.CompilerBtError(errors[0] if errors else (
                f"{jobs[job].path}: the session could not be continued after its first "
                f"{skipped} statements"))
        results[job] += entries
    for job, entries in zip(jobs, results):
        stage0.remember(list(job.items), job.path, job.resolve, entries, cache_dir)
    return results


if __name__ == "__main__":
    worker_main()
