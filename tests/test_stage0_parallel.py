"""Stage 0 on two cores (bootstrap/stage0_parallel.py): the plan, and the same entries."""

from __future__ import annotations

import tempfile
from collections import namedtuple
from pathlib import Path

import pytest

from beamtalk.bootstrap import compiler_bt, stage0, stage0_parallel, stages

Job = namedtuple("Job", "path items resolve")


def synthetic_jobs() -> list[Job]:
    session = tuple((f"Object subclass: C{i}\n" + "x" * (100 * i), 1, f"f{i}.bt")
                    for i in range(1, 12))
    return [Job("a.bt", (("a" * 300, 1),), False), Job("b.bt", (("b" * 50, 1),), False),
            Job("f11.bt", session, True)]


def test_plan_gives_every_statement_to_one_worker_once():
    jobs = synthetic_jobs()
    first, second = stage0_parallel.plan(jobs)
    # The session's head goes to the first worker; the rest, and its tail, to the second.
    assert [w.job for w in first] == [2]
    assert sorted(w.job for w in second) == [0, 1, 2]
    tail = next(w for w in second if w.job == 2)
    assert tail.head == first[0].items
    assert first[0].items + tail.items == jobs[2].items
    assert all(not w.head and w.items == jobs[w.job].items for w in second if w.job != 2)


def test_split_balances_the_two_workers():
    items = tuple(("x" * 100, 1) for _ in range(20))
    k = stage0_parallel.split(items, 0)
    first = 100 * k
    second = stage0_parallel.HEAD_SHARE * first + 100 * (20 - k)
    assert abs(first - second) <= 100
    # Work elsewhere on the second worker moves the cut later.
    assert stage0_parallel.split(items, 500) > k
    # A session too small to share stays whole with the first worker.
    assert stage0_parallel.split((("x", 1),), 10_000) == 1


def small_jobs() -> list:
    """Two stdlib files and compiler_bt's first files as one session."""
    jobs = stages.jobs()
    session = jobs[-1]
    picked = [j for j in jobs if j.path in ("stdlib/Integer.bt", "stdlib/Association.bt")]
    return picked + [stages.Job(session.items[5][2], session.items[:6], True)]


@pytest.mark.slow
def test_two_workers_answer_what_one_process_answers(monkeypatch):
    jobs = small_jobs()
    first, second = stage0_parallel.plan(jobs)
    assert any(w.head for w in second), "the session is cut"
    with tempfile.TemporaryDirectory() as cache:
        entries = stage0_parallel.compile_jobs(jobs, cache_dir=Path(cache), workers=2)
        expected = [stage0.compile_uncached(list(j.items), j.path, j.resolve) for j in jobs]
        assert entries == expected
        assert all(e.error is None and e.units for per_job in entries for e in per_job)

        # A second call reads the cache: no worker starts.
        def no_worker(works):
            raise AssertionError("a worker was started")

        monkeypatch.setattr(stage0_parallel, "start_worker", no_worker)
        assert stage0_parallel.compile_jobs(jobs, cache_dir=Path(cache), workers=2) == expected
        # ... and compile_statements finds the same entries there, whole job by whole job.
        for job, want in zip(jobs, expected):
            got, ran = stage0.compile_statements(list(job.items), job.path, Path(cache),
                                                 job.resolve)
            assert (got, ran) == (want, False)


@pytest.mark.slow
def test_a_head_with_errors_cannot_be_skipped(monkeypatch, tmp_path):
    head = [("Object subclass: A\n  x => ^1\n", 1, "a.bt"), ("A subclass: B\n  y => ^(\n", 1,
                                                              "b.bt")]
    tail = [("B subclass: C\n", 1, "c.bt")]
    assert stage0.compile_after(head, tail, "c.bt", True) is None
    assert stage0.compile_after(head[:1], tail, "c.bt", True) is not None
    statement = [("x := 3\n", 1, "s.bt")]
    assert stage0.compile_after(statement, tail, "c.bt", True) is None
    # Cut after the error: the first worker's diagnostics are what the bootstrap reports.
    monkeypatch.setattr(stage0_parallel, "split", lambda items, others: 2)
    with pytest.raises(compiler_bt.CompilerBtError, match="b.bt:2"):
        stage0_parallel.compile_jobs([Job("c.bt", tuple(head + tail), True),
                                      Job("d.bt", (("Object subclass: D\n", 1),), False)],
                                     cache_dir=tmp_path, workers=2)


def test_one_process_unless_two_workers_are_asked_for(monkeypatch):
    monkeypatch.delenv("BEAMTALK_STAGE0_WORKERS", raising=False)
    assert stage0_parallel.default_workers() == 1
    monkeypatch.setenv("BEAMTALK_STAGE0_WORKERS", "2")
    assert stage0_parallel.default_workers() == 2
    monkeypatch.setenv("BEAMTALK_STAGE0_WORKERS", "8")  # only 1 and 2 are known
    assert stage0_parallel.default_workers() == 1
