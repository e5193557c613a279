"""pyperf: actor message round trips; baseline: a queue.Queue round trip between two threads.

- `beamtalk_actor_send_await`: one send to an actor and the await of its future, from the
  top level (the budget is 50 us per round trip).  Plain `await` has a deadline, so a pool
  worker runs the message: two thread hand-offs, between threads that share a CPU
  (Scheduler.colocate_here).  (benchmarks/paired_actors.py times it against the queue.Queue
  round trip in alternating blocks, for a machine under load.)
- `beamtalk_actor_send_await_forever`: the same with `awaitForever`, which has no deadline,
  so the waiting thread runs the message of the idle actor itself (no hand-off).
- `python_queue_round_trip`: a request put on one `queue.Queue` and the reply taken from
  another, served by a second Python thread: the floor any thread-based actor pays.

Spawning 10,000 live actors takes seconds per run, too slow for pyperf's many worker
processes: tests/test_actor_resources.py checks it instead.
"""

from __future__ import annotations

import queue
import threading

import pyperf

from beamtalk.interp.session import Session, run_with_big_stack

SOURCE = """Actor subclass: Echo
  ping: x => x
echo := Echo spawn
"""


def session_with(source: str) -> Session:
    """A session that has run `source` (so the top level's process is the session's)."""
    session = Session()
    outcomes = session.run_source(source, "bench.bt")
    assert not any(o.failed for o in outcomes), [o.error_line() for o in outcomes]
    return session


def compiled(session: Session, text: str):
    """One top-level statement compiled to a thunk."""
    stmt = session.parse(text, "bench.bt")[0]
    return session.rt.compiler.compile_top(stmt, "bench.bt")


def beamtalk_actor_send_await(loops: int, text: str = "(echo ping: 7) await") -> float:
    """Time `loops` runs of `(echo ping: 7) await` from the top level of one session."""

    def go() -> float:
        session = session_with(SOURCE)
        thunk = compiled(session, text)
        thunk()  # the actor's thread is started and then kept busy by the loop
        start = pyperf.perf_counter()
        for _ in range(loops):
            thunk()
        elapsed = pyperf.perf_counter() - start
        assert thunk() == 7
        return elapsed

    return run_with_big_stack(go)


def beamtalk_actor_send_await_forever(loops: int) -> float:
    """Time `loops` runs of `(echo ping: 7) awaitForever` from the top level."""
    return beamtalk_actor_send_await(loops, "(echo ping: 7) awaitForever")


def queue_echo_server() -> tuple[queue.Queue, queue.Queue, threading.Thread]:
    """(requests, replies, server): a thread answering each request with itself until None."""
    requests: queue.Queue = queue.Queue()
    replies: queue.Queue = queue.Queue()

    def serve() -> None:
        while (item := requests.get()) is not None:
            replies.put(item)

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    return requests, replies, server


def python_queue_round_trip(loops: int) -> float:
    """Time `loops` request/response round trips through two queues and a server thread."""
    requests, replies, server = queue_echo_server()
    start = pyperf.perf_counter()
    for _ in range(loops):
        requests.put(7)
        replies.get()
    elapsed = pyperf.perf_counter() - start
    requests.put(None)
    server.join()
    return elapsed


if __name__ == "__main__":
    runner = pyperf.Runner()
    runner.bench_time_func("beamtalk_actor_send_await", beamtalk_actor_send_await)
    runner.bench_time_func("beamtalk_actor_send_await_forever",
                           beamtalk_actor_send_await_forever)
    runner.bench_time_func("python_queue_round_trip", python_queue_round_trip)
