"""Collections: List, Tuple, Interval, Dictionary, Set, Association (LANGUAGE.md 5, 3.4, 3.5)."""

from __future__ import annotations

import io

import pytest

from beamtalk.interp.session import Session, evaluate, run_with_big_stack


def run(source: str) -> list[str]:
    """printString of each statement's value, or its `ERROR: kind: text`."""
    return evaluate(source)


def one(source: str) -> str:
    """The result of the last statement."""
    return run(source)[-1]


@pytest.mark.parametrize("source, expected", [
    ("#(1, 2) at: 5", "ERROR: index_out_of_bounds: Index 5 out of bounds 1..2"),
    ("#(1, 2) at: 'x'", "ERROR: type_error: #at: expects an Integer, got a String"),
    ("{1, 2} at: 0", "ERROR: index_out_of_bounds: Index 0 out of bounds 1..2"),
    ("#{#a => 1} at: #b", "ERROR: key_not_found: Key not found: #b"),
    ("#() first", "ERROR: empty_collection: Collection is empty"),
    ("(1 to: 0) last", "ERROR: empty_collection: Collection is empty"),
    ("#(1) detect: [:x | x > 1]", "ERROR: empty_collection: Collection is empty"),
    ("#(1, 2) take: -1", "ERROR: argument_error: #take: expects a non-negative count, got -1"),
    ("#(1, 2) select: [:x | 3]",
     "ERROR: type_error: #select: expects a block answering a Boolean, got an Integer"),
    ("#(1, 2) join: ', '", "ERROR: type_error: #join: expects String elements, got an Integer"),
    ("Set withAll: 3", "ERROR: type_error: #withAll: expects a collection, got an Integer"),
    ("#(1, 2) copyFrom: 0 to: 1", "ERROR: index_out_of_bounds: Index 0 out of bounds 1..2"),
])
def test_error_texts(source: str, expected: str) -> None:
    assert one(source) == expected


def test_modifying_messages_answer_new_collections() -> None:
    src = ("l := #(1, 2)\nl add: 3\nl at: 1 put: 9\nl remove: 1\nl\n"
           "d := #{#a => 1}\nd at: #b put: 2\nd removeKey: #a\nd\n"
           "s := Set withAll: #(1)\ns add: 2\ns\n")
    assert run(src) == ["#(1, 2)", "#(1, 2, 3)", "#(9, 2)", "#(2)", "#(1, 2)",
                        "#{#a => 1}", "#{#a => 1, #b => 2}", "#{}", "#{#a => 1}",
                        "Set(1)", "Set(1, 2)", "Set(1)"]


def test_sorting_is_stable_and_uses_the_standard_order() -> None:
    assert one("#(#(2, 'a'), #(1, 'b'), #(2, 'c'), #(1, 'd')) sortBy: [:p | p first]") == \
        "#(#(1, 'b'), #(1, 'd'), #(2, 'a'), #(2, 'c'))"
    assert one("#('bb', 'a', 'cc', 'd') sort: [:a :b | a size <= b size]") == \
        "#('a', 'd', 'bb', 'cc')"
    assert one("#(2.0, 'x', #y, 2, nil) sort") == "#(nil, 2, 2.0, #y, 'x')"
    assert one("#('b', 1, #a) sortBy: [:e | e]") == "#(1, #a, 'b')"


def test_blocks_may_ignore_the_offered_argument() -> None:
    assert one("#(1, 2) collect: [0]") == "#(0, 0)"
    assert one("#(1, 2) count: [true]") == "2"
    assert one("#(1, 2) do: [:a :b | a]") == \
        "ERROR: arity_mismatch: Block expects 2 arguments, got 1"


def test_literal_blocks_may_assign_outer_variables() -> None:
    src = ("n := 0\n#(1, 2, 3) do: [:x | n := n + x]\n"
           "#{#a => 1, #b => 2} keysAndValuesDo: [:k :v | n := n + v]\n"
           "(Set withAll: #(5)) do: [:x | n := n + x]\nn")
    assert run(src)[-1] == "14"


def test_non_local_return_leaves_the_iteration() -> None:
    src = ("Object subclass: Finder\n  find: l => l do: [:x | x > 1 ifTrue: [^x]]. ^nil\n"
           "Finder new find: #(1, 5, 7)")
    assert one(src) == "5"


def test_iteration_follows_the_standard_order() -> None:
    src = ("Transcript show: 'x'\n"
           "#{'b' => 1, #a => 2, 3 => 4} keysDo: [:k | Transcript show: k printString]")

    def go() -> str:
        out = io.StringIO()
        Session(out=out).run_source(src, "t.bt")
        return out.getvalue()

    assert run_with_big_stack(go) == "x3#a'b'"
    assert one("#{#b => 2, #a => 1} collect: [:v | v * 10]") == "#{#a => 10, #b => 20}"
    assert one("(Set withAll: #('b', #a, 1)) asList") == "#(1, #a, 'b')"


@pytest.mark.parametrize("source, expected", [
    ("#(1, #(2, #(3, {4})), 5) flatten", "#(1, 2, 3, {4}, 5)"),
    ("#(1, 2, 3) zip: {'a', 'b'}", "#({1, 'a'}, {2, 'b'})"),
    ("#(1, 2, 3) with: #(10, 20) collect: [:a :b | a + b]", "#(11, 22)"),
    ("#(1, 2, 3, 4) groupBy: [:x | x isEven]", "#{false => #(1, 3), true => #(2, 4)}"),
    ("#(1, 1.0, 1, 2) unique", "#(1, 1.0, 2)"),
    ("#(1, 2, 1) remove: 1", "#(2, 1)"),
    ("#(1, 2) first: 9", "#(1, 2)"),
    ("#(1, 2, 3) last: 0", "#()"),
    ("#(1, 2) drop: 9", "#()"),
    ("#(1, 2) copyFrom: 3 to: 2", "#()"),
    ("#(1.5, 2) sum", "3.5"),
    ("#(1, 'a') sum", "ERROR: type_error: #+ expects a Number, got a String"),
    ("#('pear', 'apple') min", "'apple'"),
    ("#(1, 'a') max", "ERROR: type_error"),
    ("#() join", "''"),
    ("List withAll: 'ab'", "#($a, $b)"),
    ("List withAll: (1 to: 3)", "#(1, 2, 3)"),
    ("#(1) , {2}", "#(1, 2)"),
])
def test_list_protocol(source: str, expected: str) -> None:
    assert one(source).startswith(expected)


@pytest.mark.parametrize("source, expected", [
    ("{#ok, 1} unwrap", "1"),
    ("{#error, #timeout} unwrap", "ERROR: error: timeout"),
    ("{#error, 1} unwrapOr: 0", "0"),
    ("{1, 2} isOk", "false"),
    ("{1, 2} unwrap", "ERROR: argument_error"),
    ("{1, 2, 3} reject: [:x | x = 2]", "#(1, 3)"),
])
def test_tuple_protocol(source: str, expected: str) -> None:
    assert one(source).startswith(expected)


@pytest.mark.parametrize("source, expected", [
    ("(10 to: 1 by: -3) asList", "#(10, 7, 4, 1)"),
    ("(1 to: 10000000000) size", "10000000000"),
    ("(1 to: 5) includes: 3.0", "false"),
    ("(1 to: 2 by: 0.5) asList", "#(1, 1.5, 2.0)"),
    ("(0 to: 1 by: 0.1) size", "11"),
    ("(1 to: 4) inject: 0 into: [:a :b | a + b]", "10"),
    ("(1 to: 3) reverseDo: [:x | x]", "(1 to: 3)"),
    ("(1 to: 5) max", "5"),
])
def test_interval_protocol(source: str, expected: str) -> None:
    assert one(source) == expected


@pytest.mark.parametrize("source, expected", [
    ("#{1 => #int} at: 1.0 ifAbsent: [#none]", "#none"),
    ("#{#a => 1} merge: #{#a => 2, #b => 3}", "#{#a => 2, #b => 3}"),
    ("#{#a => 1} merge: #(1)", "ERROR: type_error: #merge: expects a Dictionary, got a List"),
    ("#{#a => 1, #b => 2} associations", "#(#a -> 1, #b -> 2)"),
    ("#{#a => 1, #b => 2} reject: [:v | v = 1]", "#{#b => 2}"),
    ("#{#a => 1, #b => 2} inject: 0 into: [:s :v | s + v]", "3"),
    ("#{#a => 1} removeKey: #zz", "#{#a => 1}"),
    ("(Set withAll: #(1, 2, 3)) intersection: #(2, 3, 4)", "Set(2, 3)"),
    ("(Set withAll: #(1, 2, 3)) difference: (Set withAll: #(2))", "Set(1, 3)"),
    ("(Set withAll: #(1, 2)) collect: [:x | x isOdd]", "Set(false, true)"),
    ("(#a -> 1) key", "#a"),
])
def test_keyed_protocol(source: str, expected: str) -> None:
    assert one(source) == expected


def test_a_list_built_with_add_first_is_a_cons_list_until_read():
    """addFirst: is O(1) (ARCHITECTURE.md: Lists cost as cons lists); reading gives a tuple."""
    from beamtalk.interp.runtime.values import BtList

    built = BtList()
    for i in range(5):
        built = BtList.with_first(i, built)
    assert built._items is None  # nothing materialized while building
    assert len(built) == 5
    assert built == BtList((4, 3, 2, 1, 0))
    assert hash(built) == hash(BtList((4, 3, 2, 1, 0)))
    assert BtList.with_first(9, built).items == (9, 4, 3, 2, 1, 0)
    assert built.items == (4, 3, 2, 1, 0)  # the earlier list is unchanged
