"""Paired timing of native `fib: 30` against the hand-written Erlang fib, in ONE node.

`python benchmarks/paired_native_fib.py [ROUNDS] [CALLS]` loads bench_native_fib.py's
Beamtalk class and Erlang module into one runner node and alternates, ROUNDS times, CALLS
calls of each, timed inside the node in wall-clock time and in the node's CPU time
(`erlang:statistics(runtime)`); it prints each round and the median ratios. On a machine
shared with other jobs the two pyperf benchmarks of bench_native_fib.py run in separate
nodes minutes apart under different loads; rounds a few milliseconds apart see the same
load, and CPU time leaves out the time the node waits for a core. (Not a pyperf script:
run.py does not pick it up.)
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_native_fib import ERLANG, SOURCE  # noqa: E402

from beamtalk.bootstrap.beam_session import BeamSession  # noqa: E402
from beamtalk.bootstrap.erlang import find_tools  # noqa: E402

PATH = "paired_native_fib.bt"


def run(session: BeamSession, lines: list[str]) -> str:
    """Compile and run statements in the node; the last one's printString."""
    value = ""
    entries = session.compile([(text, i + 1, PATH) for i, text in enumerate(lines)])
    for i, entry in enumerate(entries):
        outcome = session.run_entry(entry, i + 1)
        assert not outcome.failed, outcome.error_line()
        value = outcome.value
    return value


def node_with_both() -> BeamSession:
    """A node holding the Beamtalk class and the Erlang module `bench_fib`."""
    tools = find_tools()
    work = Path(tempfile.mkdtemp(prefix="paired_fib_"))
    (work / "bench_fib.erl").write_text(ERLANG, encoding="utf-8")
    subprocess.run([tools.erlc, "-o", str(work), str(work / "bench_fib.erl")], check=True)
    session = BeamSession()
    [entry] = session.compile([(SOURCE, 1, PATH)])
    assert not session.run_entry(entry, 1).failed
    run(session, [f"Erlang code add_patha: ('{work}' characters collect: [:c | c value]) asList",
                  "Erlang code load_file: #bench_fib"])
    return session


def rounds(count: int, calls: int) -> list[tuple[float, float, float, float]]:
    """Per round, ms per call: (native wall, Erlang wall, native CPU, Erlang CPU)."""
    session = node_with_both()
    cpu = "((Erlang erlang statistics: #runtime) at: 1)"
    out = []
    for _ in range(count):
        native_wall = int(run(session, ["b := Bench new", "t := Time millisecondClock",
                                        f"1 to: {calls} do: [:i | b fib: 30]",
                                        "Time millisecondClock - t"]))
        erlang_wall = int(run(session, [f"Erlang bench_fib time: {calls}"])) / 1000
        native_cpu = int(run(session, ["b := Bench new", f"c := {cpu}",
                                       f"1 to: {calls} do: [:i | b fib: 30]", f"{cpu} - c"]))
        erlang_cpu = int(run(session, [f"c := {cpu}", f"Erlang bench_fib time: {calls}",
                                       f"{cpu} - c"]))
        out.append((native_wall / calls, erlang_wall / calls, native_cpu / calls,
                    erlang_cpu / calls))
    return out


def main() -> None:
    """Print each round and the median ratios."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    calls = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    results = rounds(count, calls)
    for nw, ew, nc, ec in results:
        print(f"wall: native {nw:.1f} ms, Erlang {ew:.1f} ms, {nw / ew:.2f}x; "
              f"CPU: native {nc:.1f} ms, Erlang {ec:.1f} ms, {nc / ec:.2f}x")
    print(f"median ratio: wall {statistics.median(r[0] / r[1] for r in results):.2f}x, "
          f"CPU {statistics.median(r[2] / r[3] for r in results):.2f}x")


if __name__ == "__main__":
    main()
