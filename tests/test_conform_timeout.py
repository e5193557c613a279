"""A case's time limit covers running it, not compiling it: stage 0 compiling on a loaded
machine or with a cold cache must not time a case out (CONFORMANCE.md `@timeout`)."""

import time

from conform_support import conform_case

from beamtalk.bootstrap import conform as conform_mod

CASE = "// @timeout 2\n\n3 + 4\n// => 7\n"


class SlowCompile(conform_mod.InterpBackend):
    """The interpreter, with a compile step slower than the case's time limit."""

    def prepare(self, case, fixtures):
        time.sleep(2.5)


class SlowRun(conform_mod.InterpBackend):
    """The interpreter, with a chunk that runs longer than the case's time limit."""

    def run_chunk(self, chunk, filename):
        time.sleep(2.5)
        return super().run_chunk(chunk, filename)


def run_with(backend, tmp_path, monkeypatch):
    return conform_case(tmp_path, monkeypatch, CASE, "interp", "interp", backend)


def test_compiling_does_not_count_against_the_limit(tmp_path, monkeypatch):
    status, text = run_with(SlowCompile, tmp_path, monkeypatch)
    assert status == 0, text
    assert "1 passed, 0 failed" in text


def test_running_longer_than_the_limit_times_out(tmp_path, monkeypatch):
    status, text = run_with(SlowRun, tmp_path, monkeypatch)
    assert status == 1
    assert "timed out after 2 s (interp)" in text
