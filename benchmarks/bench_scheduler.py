"""pyperf: a method-heavy object program, a priority task scheduler over value objects.

In the style of the Richards benchmark: 20 immutable tasks; each round picks the task of
highest priority, runs it (a new task with its work counted and its priority reset) and
ages the others (new tasks with a higher priority).  Baseline: the same classes and
methods in plain Python (immutable by convention, new objects for every change).
"""

from __future__ import annotations

import pyperf
from bt_timing import beamtalk_timer, python_timer

SOURCE = """Object subclass: Task
  state: id = 0
  state: priority = 0
  state: work = 0
  run => Task new id: self.id priority: 0 work: self.work + 1
  age => self withPriority: self.priority + self.id
  outranks: other => self.priority > other priority

Object subclass: Scheduler
  state: tasks = #()
  pick =>
    | best |
    best := self.tasks first
    self.tasks do: [:t | (t outranks: best) ifTrue: [best := t]]
    ^best
  step =>
    | chosen |
    chosen := self pick
    ^Scheduler new tasks: (self.tasks collect: [:t |
      t id = chosen id ifTrue: [t run] ifFalse: [t age]])
  totalAfter: rounds =>
    | s |
    s := self
    rounds timesRepeat: [s := s step]
    ^s tasks inject: 0 into: [:sum :t | sum + (t work * t id)]
  class start: n =>
    ^Scheduler new tasks: ((1 to: n) asList collect: [:i | Task new id: i priority: 0 work: 0])
"""

TASKS = 20
ROUNDS = 2000


class Task:
    """An immutable task."""

    __slots__ = ("id", "priority", "work")

    def __init__(self, id: int, priority: int, work: int):
        self.id, self.priority, self.work = id, priority, work

    def run(self) -> Task:
        return Task(self.id, 0, self.work + 1)

    def age(self) -> Task:
        return self.with_priority(self.priority + self.id)

    def with_priority(self, priority: int) -> Task:
        return Task(self.id, priority, self.work)

    def outranks(self, other: Task) -> bool:
        return self.priority > other.priority


class Scheduler:
    """An immutable scheduler state."""

    __slots__ = ("tasks",)

    def __init__(self, tasks: list[Task]):
        self.tasks = tasks

    def pick(self) -> Task:
        best = self.tasks[0]
        for t in self.tasks:
            if t.outranks(best):
                best = t
        return best

    def step(self) -> Scheduler:
        chosen = self.pick()
        return Scheduler([t.run() if t.id == chosen.id else t.age() for t in self.tasks])

    def total_after(self, rounds: int) -> int:
        s = self
        for _ in range(rounds):
            s = s.step()
        total = 0
        for t in s.tasks:
            total = total + t.work * t.id
        return total


def python_scheduler(n: int, rounds: int) -> int:
    """The hand-written baseline."""
    return Scheduler([Task(i, 0, 0) for i in range(1, n + 1)]).total_after(rounds)


EXPECTED = python_scheduler(TASKS, ROUNDS)

if __name__ == "__main__":
    runner = pyperf.Runner()
    runner.bench_time_func(
        "beamtalk_scheduler",
        beamtalk_timer(SOURCE, f"(Scheduler start: {TASKS}) totalAfter: {ROUNDS}", EXPECTED))
    runner.bench_time_func("python_scheduler",
                           python_timer(python_scheduler, TASKS, ROUNDS, expected=EXPECTED))
