"""Paired timing of an interpreter actor round trip against a `queue.Queue` round trip.

`python benchmarks/paired_actors.py [--free] [BLOCK] [ROUNDS] [STATEMENT]` alternates
blocks of BLOCK round trips of each kind in one process, ROUNDS times, and prints the best
and the median time per round trip of each and their ratios (`--free`: the runtime's threads
do not share a CPU, as they do by default; the queue's threads never do).  On a machine
shared with other jobs the two pyperf benchmarks of bench_actors.py run minutes apart under
different loads; blocks a few milliseconds apart see the same load.  (Not a pyperf script: run.py
does not pick it up.)
"""

from __future__ import annotations

import os
import queue
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_actors import SOURCE, compiled, queue_echo_server, session_with  # noqa: E402

from beamtalk.interp.session import run_with_big_stack  # noqa: E402


def queue_blocks(block: int) -> tuple[queue.Queue, queue.Queue, list[threading.Thread]]:
    """(go, times, threads): each item put on `go` runs one timed block of BLOCK queue.Queue
    round trips, on threads of their own (never pinned with the Beamtalk side); its time per
    round trip in microseconds comes back on `times`.  None ends them."""
    requests, replies, server = queue_echo_server()
    go: queue.Queue = queue.Queue()
    times: queue.Queue = queue.Queue()

    def client() -> None:
        clock = time.perf_counter
        while go.get() is not None:
            start = clock()
            for _ in range(block):
                requests.put(7)
                replies.get()
            times.put((clock() - start) / block * 1e6)
        requests.put(None)

    driver = threading.Thread(target=client, daemon=True)
    driver.start()
    return go, times, [driver, server]


def paired(block: int, rounds: int, text: str, free: bool = False
           ) -> tuple[list[float], list[float]]:
    """Per-round-trip microseconds of each block: (Beamtalk, queue.Queue).

    With `free`, the runtime's threads do not share a CPU (Scheduler.colocate_here).
    """
    go, times, threads = queue_blocks(block)  # started first: never pinned
    session = session_with(SOURCE)
    session.rt.scheduler.colocate = not free
    thunk = compiled(session, text)
    ours, theirs = [], []
    clock = time.perf_counter
    for _ in range(rounds):
        thunk()  # (a worker that lingered out is started again outside the timing)
        start = clock()
        for _ in range(block):
            thunk()
        ours.append((clock() - start) / block * 1e6)
        go.put(True)
        theirs.append(times.get())
    go.put(None)
    for thread in threads:
        thread.join()
    session.rt.close()
    return ours, theirs


def main() -> None:
    """Print best and median of both, and their ratios."""
    free = "--free" in sys.argv
    args = [a for a in sys.argv[1:] if a != "--free"]
    block = int(args[0]) if len(args) > 0 else 2000
    rounds = int(args[1]) if len(args) > 1 else 30
    text = args[2] if len(args) > 2 else "(echo ping: 7) await"
    ours, theirs = run_with_big_stack(lambda: paired(block, rounds, text, free))
    ours.sort()
    theirs.sort()
    mid = rounds // 2
    label = f"{text} (threads free)" if free else text
    print(f"{label}: best {ours[0]:.2f} us, median {ours[mid]:.2f} us")
    print(f"queue.Queue round trip: best {theirs[0]:.2f} us, median {theirs[mid]:.2f} us")
    print(f"ratio: best {ours[0] / theirs[0]:.2f}x, median {ours[mid] / theirs[mid]:.2f}x"
          f" (load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
