"""Actor resources (LANGUAGE.md 3.1-3.2): threads are given back, many actors can live at
once, and concurrent sends to one actor are serialized by its mailbox."""

from __future__ import annotations

import io
import threading
import time

import pytest

from beamtalk.interp.session import Session, evaluate, run_with_big_stack

pytestmark = pytest.mark.usefixtures("close_runtimes")  # tests/conftest.py

# Idle actor threads linger briefly for more work before ending.  The wait below ends as
# soon as they have; the bound is only there so that a real leak fails instead of hanging,
# and is far above the linger time so that a loaded machine cannot turn it red.
LINGER_WAIT_S = 120.0


def run(source: str) -> list[str]:
    """printString of each statement's value, or its `ERROR: kind: text`."""
    return evaluate(source)


def settled_thread_count(limit: int, wait_s: float = LINGER_WAIT_S) -> int:
    """The live thread count once it is at most `limit`, or after `wait_s` seconds."""
    deadline = time.monotonic() + wait_s
    while threading.active_count() > limit and time.monotonic() < deadline:
        time.sleep(0.02)
    return threading.active_count()


CELL = """Actor subclass: Cell
  state: n = 0
  double => self.n * 2
"""


def test_no_thread_leak_across_1000_spawned_and_stopped_actors():
    source = CELL + """cells := (1 to: 1000) collect: [:i | Cell spawn n: i]
answers := (cells collect: [:c | c double]) collect: [:f | f await]
answers = ((1 to: 1000) collect: [:i | i * 2])
(cells collect: [:c | c stop]) asSet
cells anySatisfy: [:c | c isAlive]
"""

    def go() -> tuple[int, list[str], int]:
        before = threading.active_count()
        session = Session(out=io.StringIO())
        values = [o.error_line() if o.failed else session.print_string(o.value)
                  for o in session.run_source(source, "t.bt")]
        return before, values, settled_thread_count(before)

    before, values, after = run_with_big_stack(go)
    assert values[-3:] == ["true", "Set(#ok)", "false"]
    assert after <= before


def test_idle_actors_give_their_threads_back():
    """Actors that are alive but idle hold no thread once their linger time has passed."""
    source = CELL + """cells := (1 to: 200) collect: [:i | Cell spawn n: i]
((cells collect: [:c | c double]) collect: [:f | f await]) size
"""

    def go() -> tuple[int, list[str], int, bool]:
        before = threading.active_count()
        session = Session(out=io.StringIO())
        values = [o.error_line() if o.failed else session.print_string(o.value)
                  for o in session.run_source(source, "t.bt")]
        after = settled_thread_count(before)
        alive = session.print_string(session.run_source(
            "(cells select: [:c | c isAlive]) size", "t.bt")[0].value)
        return before, values, after, alive

    before, values, after, alive = run_with_big_stack(go)
    assert values[-1] == "200"
    assert after <= before
    assert alive == "200"


def test_10000_live_actors_at_once():
    # awaitForever: the default await timeout would make the answer depend on the speed of
    # the machine (10,000 replies on a loaded machine may take longer than 30 s).
    out = run(CELL + """cells := (1 to: 10000) collect: [:i | Cell spawn n: i]
futures := cells collect: [:c | c double]
answers := futures collect: [:f | f awaitForever]
answers = ((1 to: 10000) collect: [:i | i * 2])
(cells select: [:c | c isAlive]) size
(cells collect: [:c | c double]) last awaitForever
""")
    assert out[-3:] == ["true", "10000", "20000"]


COUNTER = """Actor subclass: Counter
  state: value = 0
  increment => self.value := self.value + 1
  value => self.value

Actor subclass: Incrementer
  bump: counter times: n =>
    | sent |
    sent := (1 to: n) collect: [:i | counter increment]
    sent do: [:f | f await]
    ^n

counter := Counter spawn
"""


def test_100_concurrent_increments_from_10_actors():
    out = run(COUNTER + """workers := (1 to: 10) collect: [:i | Incrementer spawn]
jobs := workers collect: [:w | w bump: counter times: 10]
(jobs collect: [:f | f await]) sum
counter value
""")
    assert out[-2:] == ["100", "100"]


def test_100_increments_sent_before_any_is_awaited():
    out = run(COUNTER + """sent := (1 to: 100) collect: [:i | counter increment]
(sent collect: [:f | f await]) last
counter value
""")
    assert out[-2:] == ["100", "100"]


def test_runaway_recursion_inside_an_actor_is_a_stack_overflow_not_a_crash():
    src = ("Actor subclass: Deep\n"
           "  down: n => ^n = 0 ifTrue: [0] ifFalse: [#(1) inject: 0 into: [:a :e | "
           "1 + (self down: n - 1)]]\n"
           "  forever: n => ^1 + (self forever: n + 1)\n"
           # awaitForever: how long the runaway takes depends on the machine, not the answer.
           "d := Deep spawn\n(d down: 5000) awaitForever\n(d forever: 1) awaitForever\n"
           "(d down: 10) awaitForever")
    assert run(src)[-3:] == ["5000", "ERROR: stack_overflow: Stack depth limit exceeded", "10"]


def test_a_long_chain_of_awaiting_actors_answers():
    # Each link awaits the next: the first links run on the waiting thread, the rest
    # (past the inline nesting bound) on threads of their own.
    src = ("Actor subclass: Link\n  state: next = nil\n"
           "  relay: n => ^self.next isNil ifTrue: [n] ifFalse: [(self.next relay: n + 1) await]\n"
           "chain := nil\n"
           "1 to: 60 do: [:i | chain := Link spawn next: chain]\n"
           "(chain relay: 0) await")
    assert run(src)[-1] == "59"


def test_explicit_await_timeout_is_kept_while_the_target_is_busy():
    src = ("Actor subclass: Slow\n  nap => (Delay forMilliseconds: 300) wait. #late\n"
           "s := Slow spawn\n[(s nap) await: 20] on: TimeoutError do: [:e | e messageText]")
    assert run(src)[-1] == "'No reply within 20 ms'"
