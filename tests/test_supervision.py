"""Supervision (LANGUAGE.md 3.3): strategies, restart types, intensity, nesting, failures.

A supervisor handles its children's exits before answering any message, so a query
sent after a child's `kill` or `stop` has returned already sees the restart; only a
restart two levels up (a nested supervisor giving up) needs polling.
"""

from __future__ import annotations

import io

import pytest

from beamtalk.interp.session import evaluate

pytestmark = pytest.mark.usefixtures("close_runtimes")  # tests/conftest.py

WORKERS = """Actor subclass: Worker
  state: count = 0
  bump => self.count := self.count + 1
Actor subclass: Helper
  state: label = 'helper'
  label => ^self.label
Actor subclass: Scout
  ping => ^#pong
Actor subclass: Temp
  class restart => #temporary
Actor subclass: Trans
  class restart => #transient
Actor subclass: Broken
  initialize => self error: 'no start'
"""


def run(source: str) -> list[str]:
    """printString of each statement's value, or its `ERROR: kind: text`."""

    return evaluate(WORKERS + source, err=io.StringIO())


def last(source: str) -> str:
    return run(source)[-1]


def test_defaults_and_reflection():
    out = run("Supervisor subclass: T\nT strategy\nT maxRestarts\nT restartWindow\n"
              "T children\nSupervisor methods")
    assert out[-5:] == ["#oneForOne", "1", "5", "#()",
                        "#(#childNamed:, #children, #restartCount)"]


def test_supervisor_itself_cannot_be_spawned():
    assert last("Supervisor spawn").startswith("ERROR: instantiation_error")


def test_children_in_order_with_spawn_with():
    src = ("Supervisor subclass: T\n  class children => #(Worker, Helper -> #{#label => 'x'})\n"
           "t := T spawn\n(t children collect: [:c | c class]) await\n"
           "(t childNamed: #Helper) label\n(t childNamed: 'Worker') class\n"
           "t childNamed: #Nobody\nt restartCount")
    assert run(src)[-5:] == ["#(Worker, Helper)", "'x'", "Worker", "nil", "0"]


def test_child_named_needs_a_symbol():
    src = "Supervisor subclass: T\nt := T spawn\nt childNamed: 3"
    assert last(src) == "ERROR: type_error: #childNamed: expects a Symbol, got an Integer"


def test_duplicate_children_are_an_argument_error():
    src = "Supervisor subclass: T\n  class children => #(Worker, Worker -> #{})\nT spawn"
    assert last(src) == "ERROR: argument_error: T has two children of class Worker"


def test_bad_configuration_is_reported_at_spawn():
    cases = {
        "class strategy => #simpleOneForOne": "ERROR: argument_error",
        "class maxRestarts => -1": "ERROR: argument_error",
        "class restartWindow => 0": "ERROR: argument_error",
        "class children => #(3)": "ERROR: type_error",
        "class children => #(Worker -> 3)": "ERROR: type_error",
    }
    for line, expected in cases.items():
        assert last(f"Supervisor subclass: T\n  {line}\nT spawn").startswith(expected), line


def test_one_for_one_restarts_only_the_ended_child():
    src = ("Supervisor subclass: T\n  class children => #(Worker, Helper)\n"
           "t := T spawn\nold := t children await\n(old at: 1) bump\n(old at: 1) kill\n"
           "t restartCount\nold with: t children await collect: [:a :b | a = b]\n"
           "(t childNamed: #Worker) bump")
    assert run(src)[-3:] == ["1", "#(false, true)", "1"]


def test_one_for_all_and_rest_for_one_count_once():
    src = ("Supervisor subclass: A\n  class strategy => #oneForAll\n  class maxRestarts => 5\n"
           "  class children => #(Worker, Helper, Scout)\n"
           "Supervisor subclass: R\n  class strategy => #restForOne\n  class maxRestarts => 5\n"
           "  class children => #(Worker, Helper, Scout)\n"
           "a := A spawn\nold := a children await\n(old at: 2) kill\na restartCount\n"
           "(old with: a children await collect: [:x :y | x = y])\n"
           "(old collect: [:x | x isAlive])\n"
           "r := R spawn\nold := r children await\n(old at: 2) kill\nr restartCount\n"
           "(old with: r children await collect: [:x :y | x = y])")
    out = run(src)
    assert out[-8:-5] == ["1", "#(false, false, false)", "#(false, false, false)"]
    assert out[-2:] == ["1", "#(true, false, false)"]


def test_restart_types():
    src = ("Supervisor subclass: T\n  class maxRestarts => 10\n"
           "  class children => #(Worker, Trans, Temp)\n"
           "t := T spawn\n(t childNamed: #Worker) stop\nt restartCount\n"
           "(t childNamed: #Trans) kill\nt restartCount\n"
           "(t childNamed: #Trans) stop\nt restartCount\nt childNamed: #Trans\n"
           "(t childNamed: #Temp) kill\nt restartCount\n"
           "(t children collect: [:c | c class]) await")
    assert run(src)[-10:] == ["#ok", "1", "#ok", "2", "#ok", "2", "nil", "#ok", "2", "#(Worker)"]


def test_intensity_stops_the_supervisor_and_its_children_abnormally():
    src = ("Supervisor subclass: T\n  class children => #(Worker, Helper)\n"
           "t := T spawn\nh := t childNamed: #Helper\n(t childNamed: #Worker) kill\n"
           "t restartCount\n(t childNamed: #Worker) kill\nt restartCount\n"
           "t isAlive\nh isAlive")
    assert run(src)[-5:] == ["1", "#ok", "ERROR: actor_dead: T actor is not alive", "false",
                             "false"]


def test_stopping_or_killing_a_supervisor_ends_its_children():
    src = ("Supervisor subclass: T\n  class children => #(Worker)\n"
           "t := T spawn\nw := t childNamed: #Worker\nt stop\nw isAlive\n"
           "t := T spawn\nw := t childNamed: #Worker\nt kill\nw isAlive")
    out = run(src)
    assert [out[-5], out[-1]] == ["false", "false"]


def test_a_child_that_cannot_start_fails_the_spawn():
    src = ("Supervisor subclass: T\n  class children => #(Worker, Broken)\n"
           "Actor subclass: Probe\n  state: seen = nil\n"
           "  try => [T spawn] on: Error do: [:e | ^e messageText]\n"
           "T spawn\n(Probe spawn try) await")
    out = run(src)
    assert out[-2] == "ERROR: error: no start"
    assert out[-1] == "'no start'"


def test_nested_supervisor_restarted_by_its_parent():
    src = ("Supervisor subclass: Inner\n  class children => #(Worker)\n"
           "Supervisor subclass: Outer\n  class maxRestarts => 5\n"
           "  class children => #(Inner, Scout)\n"
           "o := Outer spawn\ni := o childNamed: #Inner\nw := i childNamed: #Worker\n"
           "w kill\ni restartCount\n(i childNamed: #Worker) kill\n"
           "[(o restartCount) await < 1] whileTrue: [(Delay forMilliseconds: 5) wait]\n"
           "o restartCount\ni isAlive\n(o childNamed: #Inner) = i\n"
           "(o childNamed: #Inner) restartCount\n((o childNamed: #Inner) childNamed: #Worker) bump")
    assert run(src)[-8:] == ["1", "#ok", "nil", "1", "false", "false", "0", "1"]


def test_one_for_all_parent_ends_a_child_supervisors_children():
    src = ("Supervisor subclass: Inner\n  class children => #(Worker)\n"
           "Supervisor subclass: Outer\n  class strategy => #oneForAll\n"
           "  class children => #(Inner, Scout)\n"
           "o := Outer spawn\nw := (o childNamed: #Inner) childNamed: #Worker\n"
           "(o childNamed: #Scout) kill\no restartCount\nw isAlive\n"
           "((o childNamed: #Inner) childNamed: #Worker) isAlive")
    assert run(src)[-3:] == ["1", "false", "true"]
