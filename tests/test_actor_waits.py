"""Waiting on actors (LANGUAGE.md 3.2, issue 10 item 2): plain `await` keeps its default
timeout whichever thread runs the awaited message, and a waiter sees ActorDead as soon as
another actor kills the target.  The default timeout is the runtime's `await_timeout_ms`
(30 s, as the spec says); these tests lower it so that they stay fast."""

from __future__ import annotations

import io
import os
import subprocess
import threading
import time

import pytest

from beamtalk.interp.runtime.futures import DEFAULT_TIMEOUT_MS
from beamtalk.interp.runtime.scheduler import COLOCATE, PINNED, unpinned
from beamtalk.interp.session import Session, run_with_big_stack

pytestmark = pytest.mark.usefixtures("close_runtimes")  # tests/conftest.py

SPIN = """Actor subclass: Spin
  spin => [true] whileTrue: [nil]
  nap: ms => (Delay forMilliseconds: ms) wait. #rested
  ping => #pong
Actor subclass: Killer
  kill: target after: ms => (Delay forMilliseconds: ms) wait. target kill
"""


def run(source: str, timeout_ms: float | None = None) -> list[str]:
    """Each statement's printString or `ERROR: ...`, in a session with a lowered timeout."""

    def go() -> list[str]:
        session = Session(out=io.StringIO(), err=io.StringIO())
        if timeout_ms is not None:
            session.rt.await_timeout_ms = timeout_ms
        return [o.error_line() if o.failed else session.print_string(o.value)
                for o in session.run_source(source, "t.bt")]

    return run_with_big_stack(go)


def test_the_default_timeout_is_the_spec_s_30_seconds():
    assert DEFAULT_TIMEOUT_MS == 30_000
    assert run_with_big_stack(lambda: Session(out=io.StringIO()).rt.await_timeout_ms) == 30_000


def test_plain_await_of_a_spinning_message_times_out_and_the_handler_runs():
    out = run(SPIN + "s := Spin spawn\n[s spin await] on: TimeoutError do: [:e | e messageText]"
              "\ns isAlive", timeout_ms=200)
    assert out[-2:] == ["'No reply within 200 ms'", "true"]


def test_a_top_level_statement_whose_value_is_a_spinning_future_times_out():
    out = run(SPIN + "s := Spin spawn\ns spin\n1 + 1", timeout_ms=200)
    assert out[-2:] == ["ERROR: timeout: No reply within 200 ms", "2"]


def test_a_long_message_gives_timeout_error_at_the_deadline_and_goes_on_in_its_actor():
    # The message outlives the waiter's deadline; it is not cut short: a later await sees it.
    out = run(SPIN + "s := Spin spawn\nf := s nap: 600\n[f await] on: TimeoutError do: [:e | #late]"
              "\nf awaitForever", timeout_ms=100)
    assert out[-2:] == ["#late", "#rested"]


def test_a_plain_await_inside_an_actor_times_out_too():
    src = SPIN + ("Actor subclass: Asker\n"
                  "  ask: s => [s spin await] on: TimeoutError do: [:e | #gave_up]\n"
                  "a := Asker spawn\n(a ask: Spin spawn) awaitForever")
    assert run(src, timeout_ms=200)[-1] == "#gave_up"


def test_a_waiter_sees_actor_dead_at_once_when_another_actor_kills_the_target():
    # The timeout (60 s) is far away: only the kill can end this wait.
    src = SPIN + ("s := Spin spawn\nk := Killer spawn\nk kill: s after: 100\n"
                  "[s spin await] on: ActorDead do: [:e | e messageText]\ns isAlive")
    assert run(src, timeout_ms=60_000)[-2:] == ["'Spin actor is not alive'", "false"]


def test_await_forever_run_on_the_waiting_thread_is_still_ended_by_a_kill():
    src = SPIN + ("s := Spin spawn\nk := Killer spawn\nk kill: s after: 100\n"
                  "[s spin awaitForever] on: ActorDead do: [:e | e kind]")
    assert run(src)[-1] == "#actor_dead"


def test_await_colon_needs_a_number():
    out = run(SPIN + "s := Spin spawn\n(s ping) await: nil\n(s ping) await: 'x'\n"
              "(s ping) await: 10 ** 400\n(s ping) await: 1000")
    assert out[-4:] == ["ERROR: type_error: #await: expects a Number, got nil",
                        "ERROR: type_error: #await: expects a Number, got a String",
                        "#pong", "#pong"]


def test_closing_the_runtime_kills_its_actors_even_a_spinning_one(close_runtimes):
    def go() -> tuple[list[str], object, object]:
        session = Session(out=io.StringIO(), err=io.StringIO())
        session.rt.await_timeout_ms = 100
        outcomes = session.run_source(SPIN + "s := Spin spawn\nidle := Spin spawn\n"
                                      "[s spin await] on: TimeoutError do: [:e | #late]", "t.bt")
        return ([session.print_string(o.value) for o in outcomes], session,
                session.rt.workspace)

    out, session, workspace = run_with_big_stack(go)
    assert out[-1] == "#late"
    assert session.rt in close_runtimes  # the fixture will close it after the test, too
    spinning, idle = workspace["s"].actor, workspace["idle"].actor
    assert spinning.busy and idle.status == "alive"
    session.rt.close()
    assert (spinning.status, idle.status) == ("dead", "dead")
    # The spinning message notices the kill at its next loop iteration and unwinds.
    assert spinning.process.killed
    for _ in range(1000):
        if not spinning.busy:
            break
        time.sleep(0.01)
    assert not spinning.busy
    assert session.rt.killed_running == set()


def spinning_worker_affinities(colocate: bool) -> tuple[set[int], list[set[int]], int | None]:
    """(the waiting thread's CPUs, each new worker's CPUs, the runtime's CPU) while a worker
    spins in `s spin` (its future sits in a List, unawaited) after `(s nap: 20) await`
    (long enough for the waiting thread to sleep)."""

    def go() -> tuple[set[int], list[set[int]], int | None]:
        before = set(threading.enumerate())  # (other tests' workers may linger a while)
        session = Session(out=io.StringIO(), err=io.StringIO())
        session.rt.scheduler.colocate = colocate
        outcomes = session.run_source(
            SPIN + "s := Spin spawn\n(s nap: 20) await\nbusy := #(1) collect: [:i | s spin]\n",
            "t.bt")
        assert session.print_string(outcomes[-2].value) == "#rested"
        workers = [t for t in threading.enumerate()
                   if t.name == "beamtalk-worker" and t not in before]
        affinities = [os.sched_getaffinity(t.native_id) for t in workers]
        session.run_source("s kill", "t.bt")
        return os.sched_getaffinity(0), affinities, session.rt.scheduler.cpu

    return run_with_big_stack(go)


@pytest.mark.skipif(not COLOCATE, reason="no CPU affinity here, or a single CPU")
def test_the_waiter_and_the_workers_share_one_cpu():
    """Hand-offs between them are context switches, not wake-ups of an idle CPU."""
    waiter, workers, cpu = spinning_worker_affinities(True)
    assert cpu is not None
    assert waiter == {cpu} and workers and all(w == {cpu} for w in workers)


def test_threads_run_anywhere_when_colocation_is_off():
    every = os.sched_getaffinity(0)
    waiter, workers, cpu = spinning_worker_affinities(False)
    assert cpu is None
    assert waiter == every and workers and all(w == every for w in workers)


def test_the_main_thread_is_never_pinned():
    """It outlives the runtime and starts the processes a program runs."""
    every = os.sched_getaffinity(0)
    session = Session(out=io.StringIO(), err=io.StringIO())
    outcomes = session.run_source(SPIN + "s := Spin spawn\n(s ping) await\n", "t.bt")
    assert session.print_string(outcomes[-1].value) == "#pong"
    assert os.sched_getaffinity(0) == every


@pytest.mark.skipif(not COLOCATE, reason="no CPU affinity here, or a single CPU")
def test_a_process_started_from_a_pinned_thread_gets_every_cpu():
    """The Erlang node of `Erlang` calls starts from whichever thread calls first."""
    every = os.sched_getaffinity(0)
    seen: list[object] = []

    def pinned_then_start() -> None:
        os.sched_setaffinity(0, {min(every)})
        PINNED.cpu = min(every)
        with unpinned():
            seen.append(os.sched_getaffinity(0))
            child = subprocess.run(["cat", "/proc/self/status"], capture_output=True,
                                   text=True, check=True)
        seen.append(os.sched_getaffinity(0))
        seen.append(next(ln for ln in child.stdout.splitlines()
                         if ln.startswith("Cpus_allowed_list")))

    thread = threading.Thread(target=pinned_then_start)
    thread.start()
    thread.join()
    assert seen[0] == every and seen[1] == {min(every)}
    wanted = {int(c) for part in seen[2].split()[1].split(",")
              for c in _cpu_range(part)}
    assert wanted == every


def _cpu_range(part: str) -> range:
    first, _, last = part.partition("-")
    return range(int(first), int(last or first) + 1)
