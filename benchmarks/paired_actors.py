"""Paired timing of an interpreter actor round trip against a `queue.Queue` round trip.

`python benchmarks/paired_actors.py [BLOCK] [ROUNDS] [STATEMENT]` alternates blocks of
BLOCK round trips of each kind in one process, ROUNDS times, and prints the best and the
median time per round trip of each and their ratios.  On a machine shared with other
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


def paired(block: int, rounds: int, text: str) -> tuple[list[float], list[float]]:
    """Per-round-trip microseconds of each block: (Beamtalk, queue.Queue)."""
    session = session_with(SOURCE)
    thunk = compiled(session, text)
    thunk()
    requests, replies, server = queue_echo_server()
    ours, theirs = [], []
    clock = time.perf_counter
    for _ in range(rounds):
        start = clock()
        for _ in range(block):
            thunk()
        ours.append((clock() - start) / block * 1e6)
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
    block = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    text = sys.argv[3] if len(sys.argv) > 3 else "(echo ping: 7) await"
    ours, theirs = run_with_big_stack(lambda: paired(block, rounds, text))
    ours.sort()
    theirs.sort()
    mid = rounds // 2
    print(f"{text}: best {ours[0]:.2f} us, median {ours[mid]:.2f} us")
    print(f"queue.Queue round trip: best {theirs[0]:.2f} us, median {theirs[mid]:.2f} us")
    print(f"ratio: best {ours[0] / theirs[0]:.2f}x, median {ours[mid] / theirs[mid]:.2f}x"
          f" (load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
