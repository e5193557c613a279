"""String, Symbol and Character primitives: the tricky corners of LANGUAGE.md 3.7 and 5."""

from __future__ import annotations

import pytest

from beamtalk.interp.session import evaluate


def run(source: str) -> list[str]:
    """printString of each statement's value, or its `ERROR: kind: text`."""
    return evaluate(source)


def one(source: str) -> str:
    (result,) = run(source)
    return result


@pytest.mark.parametrize(("source", "expected"), [
    ("'straße' asUppercase", "'STRASSE'"),
    ("'ﬁx' asUppercase", "'FIX'"),
    # per code point: no final-sigma context, so the result never depends on neighbours
    ("'ΣΑΣ' asLowercase", "'σασ'"),
    ("'İ' asLowercase size", "2"),
    # Characters map one-to-one (simple mappings)
    ("$ß asUppercase", "$ß"),
    ("$İ asLowercase", "$i"),
    ("$ᾳ asUppercase", "$ᾼ"),
    ("$ǆ asUppercase", "$Ǆ"),
    ("'😀a' size", "2"),
    ("'a😀b' reversed", "'b😀a'"),
])
def test_unicode_case_and_code_points(source: str, expected: str) -> None:
    assert one(source) == expected


@pytest.mark.parametrize(("source", "expected"), [
    ("(Character value: 160) isWhitespace", "true"),
    ("(Character value: 133) isWhitespace", "false"),
    ("(Character value: 28) isWhitespace", "false"),
    ("$٣ isDigit", "false"),
    ("$中 isLetter", "true"),
    ("$_ isLetter", "false"),
    ("$E isVowel", "true"),
    # trimmed uses the same whitespace: U+0085 and U+001C stay
    ("((Character value: 160) asString , 'a' , (Character value: 12288) asString) trimmed",
     "'a'"),
    ("((Character value: 133) asString , 'a') trimmed size", "2"),
])
def test_whitespace_and_classes(source: str, expected: str) -> None:
    assert one(source) == expected


@pytest.mark.parametrize(("source", "expected"), [
    ("'' lines", "#()"),
    ('"a\\n" lines', "#('a')"),
    ('"a\\r\\n\\rb\\n\\nc" lines', "#('a', '', 'b', '', 'c')"),
    ("'  a  b ' subStrings", "#('a', 'b')"),
    ("'a b' subStrings: $ ", "#('a', 'b')"),
    ("',a,' split: ','", "#('', 'a', '')"),
    ("'abc' split: ''", "ERROR: argument_error: #split: expects a non-empty String"),
])
def test_splitting(source: str, expected: str) -> None:
    assert one(source) == expected


@pytest.mark.parametrize(("source", "expected"), [
    ("'16rFF' asNumber", "255"),
    ("'-16rff' asInteger", "-255"),
    ("'2e3' asNumber", "2000.0"),
    ("'-0.5' asNumber", "-0.5"),
    ("'1e400' asNumber", "nil"),
    ("' 42' asNumber", "nil"),
    ("'٣' asInteger", "nil"),
    ("'3.5' asInteger", "nil"),
    ("'1_000' asInteger", "nil"),
])
def test_number_parsing(source: str, expected: str) -> None:
    assert one(source) == expected


@pytest.mark.parametrize(("source", "expected"), [
    ("'{1} {x} {}' format: #(7)", "'7 {x} {}'"),
    ("'{1}' format: {#ok}", "'ok'"),
    ("'{2}' format: #(7)", "ERROR: index_out_of_bounds: Index 2 out of bounds 1..1"),
    ("'{a}' format: #{'a' => 1}", "'1'"),
    ("'{b}' format: #{#a => 1}", "ERROR: key_not_found: Key not found: #b"),
    ("'x' format: 3", "ERROR: type_error: #format: expects a List or a Dictionary, got an Integer"),
])
def test_format(source: str, expected: str) -> None:
    assert one(source) == expected


@pytest.mark.parametrize(("source", "expected"), [
    ("'abc' + 1", "ERROR: type_error: String has no +; use , to concatenate"),
    ("'abc' , #d", "ERROR: type_error: #, expects a String, got a Symbol"),
    ("'abc' ++ 1", "ERROR: type_error: #++ expects a String, got an Integer"),
    ("'' at: 1", "ERROR: index_out_of_bounds: Index 1 out of bounds 1..0"),
    ("'abc' at: 1.0", "ERROR: type_error: #at: expects an Integer, got a Float"),
    ("'abc' copyFrom: 2 to: 5", "ERROR: index_out_of_bounds: Index 5 out of bounds 1..3"),
    ("'abc' copyFrom: 3 to: 2", "''"),
    ("'abc' last: -1", "ERROR: argument_error"),
    ("'abc' last: 5", "'abc'"),
    ("'abc' last: 0", "''"),
    ("'' first", "ERROR: empty_collection: Collection is empty"),
    ("'' last", "ERROR: empty_collection: Collection is empty"),
    ("'abc' occurrencesOf: 'a'",
     "ERROR: type_error: #occurrencesOf: expects a Character, got a String"),
    ("'abc' select: [:c | 3]", "ERROR: type_error"),
    ("'a' < #a", "ERROR: type_error: #< expects a String, got a Symbol"),
    ("#a < 'a'", "ERROR: type_error: #< expects a Symbol, got a String"),
    ("$a >= 1", "ERROR: type_error: #>= expects a Character, got an Integer"),
    ("Character value: 55296", "ERROR: argument_error: 55296 is not a Unicode code point"),
    ("Character value: 1114112", "ERROR: argument_error"),
    ("Character value: $a", "ERROR: type_error"),
])
def test_errors(source: str, expected: str) -> None:
    result = one(source)
    assert result == expected or (expected.count(":") == 1 and result.startswith(expected + ":"))


def test_collect_answers_string_only_for_characters() -> None:
    assert run("'ab' collect: [:c | c asUppercase]\n'ab' collect: [:c | c value]\n"
               "'' collect: [:c | 1]") == ["'AB'", "#(97, 98)", "''"]


def test_blocks_may_mutate_outer_variables_and_take_no_parameter() -> None:
    src = ("n := 0\n'abc' do: [:c | n := n + 1]\n'abc' do: [n := n + 10]\n"
           "'abc' reject: [:c | n := n + 100. false]\nn")
    assert run(src) == ["0", "'abc'", "'abc'", "'abc'", "333"]


def test_detect_returns_from_inside_do() -> None:
    assert run("'xaeb' detect: [:c | c isVowel]\n'xyz' detect: [:c | c isVowel] ifNone: [0]") == [
        "$a", "0"]


def test_symbols() -> None:
    assert run("#foo keywords\n#+ keywords\n#at:put: keywords\n#'' numArgs\n"
               "'nil' asSymbol\n$a asSymbol\n#a asSymbol") == [
        "#('foo')", "#('+')", "#('at:', 'put:')", "0", "nil", "#a", "#a"]


def test_kind_predicates() -> None:
    assert run("'' isString\n#a isString\n#a isSymbol\n$a isCharacter\n'a' isCharacter") == [
        "true", "false", "true", "true", "false"]
