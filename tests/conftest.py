"""Test hygiene: a test stops the actors it started.

`close_runtimes` closes each Runtime made during a test when the test ends, which kills
its actors: a test that leaves an actor spinning (say, after its await timed out) would
otherwise burn CPU for the rest of its pytest worker.  The modules that run actors use it
(`pytestmark`); it is not automatic, since some runtimes are made once and kept on
purpose for later tests (the compiler_bt session of bootstrap/compiler_bt.py).
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator

import pytest

from beamtalk.interp.runtime.runtime import Runtime


@pytest.fixture
def close_runtimes(monkeypatch: pytest.MonkeyPatch) -> Iterator[weakref.WeakSet]:
    """Close (kill the actors of) every Runtime the test made, once it is over."""
    made: weakref.WeakSet = weakref.WeakSet()  # weak: a hypothesis test may make thousands
    original = Runtime.__init__

    def recording_init(self: Runtime, *args, **kwargs) -> None:
        made.add(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(Runtime, "__init__", recording_init)
    yield made
    for rt in list(made):
        rt.close()
