"""Splitting conformance case files into chunks, expectations and directives."""

from __future__ import annotations

from beamtalk.interp.syntax.conformance_cases import error_kind, read_case

CASE = """// A comment.
// @load fixtures/counter.bt
// @timeout 60

c := Counter spawn
// => #Actor<Counter,_>

c increment; increment; getValue
// => 2

Transcript show: 'hi'; cr; show: 'there'
// out: hi
// out: there

1 / 0
// => ERROR: zero_divide

x := 'a
b'
y := #(1,
  2)
// => #(1, 2)

#(1 2 3)
// => ERROR: syntax_error: separate
z := 1
"""


def test_chunks_and_expectations():
    case = read_case(CASE, "c.bt")
    sources = [c.source for c in case.chunks]
    assert sources == [
        "c := Counter spawn", "c increment; increment; getValue",
        "Transcript show: 'hi'; cr; show: 'there'", "1 / 0", "x := 'a\nb'",
        "y := #(1,\n  2)", "#(1 2 3)", "z := 1",
    ]
    assert [c.line for c in case.chunks] == [5, 8, 11, 15, 18, 20, 24, 26]
    assert case.chunks[0].values[0].text == "#Actor<Counter,_>"
    assert [e.text for e in case.chunks[2].outputs] == ["hi", "there"]
    assert case.chunks[3].expects_error("zero_divide")
    assert case.chunks[6].expects_error("syntax_error")
    assert case.chunks[4].expectations == []


def test_directives():
    case = read_case(CASE, "c.bt")
    assert case.directive("load") == ["fixtures/counter.bt"]
    assert case.directive("timeout") == ["60"]
    assert case.directive("pending") == []


def test_unlexable_line_still_starts_a_chunk():
    case = read_case("p := 7\n// => 7\np.x\n// => ERROR: syntax_error\np\n", "c.bt")
    assert [c.source for c in case.chunks] == ["p := 7", "p.x", "p"]
    assert case.chunks[1].expects_error("syntax_error")


def test_trailing_space_of_a_character_literal_is_kept():
    case = read_case("$ \n// => $ \n", "c.bt")
    assert case.chunks[0].source == "$ "


def test_error_kind():
    assert error_kind("ERROR: zero_divide") == "zero_divide"
    assert error_kind("ERROR: type_error: #+ expects a Number") == "type_error"


def test_block_comment_then_code_at_column_zero_is_a_statement():
    case = read_case("1\n// => 1\n/* c */ 5\n// => 5\n", "c.bt")
    assert [c.source for c in case.chunks] == ["1", "/* c */ 5"]


def test_doc_comment_goes_with_the_class_below_it():
    text = ("x := 1\n/// A point.\nObject subclass: Point\n  state: x = 0\n"
            "Point doc\n// => 'A point.'\n")
    case = read_case(text, "c.bt")
    assert [c.source for c in case.chunks] == [
        "x := 1", "/// A point.\nObject subclass: Point\n  state: x = 0", "Point doc"]
    assert case.chunks[1].line == 2
