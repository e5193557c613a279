"""Paired timing of an interpreter actor round trip against a `queue.Queue` round trip.

`python benchmarks/paired_actors.py [--colocate] [BLOCK] [ROUNDS] [STATEMENT]` alternates
blocks of BLOCK round trips of each kind in one process, ROUNDS times, and prints the best
and the median time per round trip of each and their ratios (`--colocate`: the Beamtalk
side's threads share one CPU, see `paired`).  On a machine shared with other
jobs the two pyperf benchmarks of bench_actors.py run minutes apart under different
loads; blocks a few milliseconds apart see the same load.  (Not a pyperf script: run.py
does not pick it up.)
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_actors import SOURCE, compiled, queue_echo_server, session_with  # noqa: E402

from beamtalk.interp.session import run_with_big_stack  # noqa: E402


def current_cpu() -> int:
    """The CPU the calling thread runs on now (field 39 of /proc/thread-self/stat)."""
    with open("/proc/thread-self/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[36])


def paired(block: int, rounds: int, text: str, colocate: bool = False
           ) -> tuple[list[float], list[float]]:
    """Per-round-trip microseconds of each block: (Beamtalk, queue.Queue).

    With `colocate`, the Beamtalk blocks run with the waiting thread and the actors' workers
    on one CPU (hand-offs without waking another CPU); the queue blocks stay free.
    """
    requests, replies, server = queue_echo_server()  # started first: never pinned
    session = session_with(SOURCE)
    every_cpu = os.sched_getaffinity(0)
    cpu = current_cpu()
    if colocate:
        session.rt.scheduler.cpu = cpu
    thunk = compiled(session, text)
    ours, theirs = [], []
    clock = time.perf_counter
    for _ in range(rounds):
        if colocate:
            os.sched_setaffinity(0, {cpu})
        thunk()  # (a worker that lingered out is started again outside the timing)
        start = clock()
        for _ in range(block):
            thunk()
        ours.append((clock() - start) / block * 1e6)
        if colocate:
            os.sched_setaffinity(0, every_cpu)
        start = clock()
        for _ in range(block):
            requests.put(7)
            replies.get()
        theirs.append((clock() - start) / block * 1e6)
    requests.put(None)
    server.join()
    session.rt.close()
    return ours, theirs


def main() -> None:
    """Print best and median of both, and their ratios."""
    colocate = "--colocate" in sys.argv
    args = [a for a in sys.argv[1:] if a != "--colocate"]
    block = int(args[0]) if len(args) > 0 else 2000
    rounds = int(args[1]) if len(args) > 1 else 30
    text = args[2] if len(args) > 2 else "(echo ping: 7) await"
    ours, theirs = run_with_big_stack(lambda: paired(block, rounds, text, colocate))
    ours.sort()
    theirs.sort()
    mid = rounds // 2
    label = f"{text} (colocated)" if colocate else text
    print(f"{label}: best {ours[0]:.2f} us, median {ours[mid]:.2f} us")
    print(f"queue.Queue round trip: best {theirs[0]:.2f} us, median {theirs[mid]:.2f} us")
    print(f"ratio: best {ours[0] / theirs[0]:.2f}x, median {ours[mid] / theirs[mid]:.2f}x"
          f" (load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
