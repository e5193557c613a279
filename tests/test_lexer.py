"""The scanner against LANGUAGE.md section 1 (lexical structure).

`tokenize` answers raw tokens: operators are still `BINOP` runs (their precedence class and
the sign of `-` before a digit are settled by the layout pass), double-quoted strings are
`ISTRING` tokens whose value is a list of text pieces and interpolations.  Errors are
collected in `.errors`, never raised.
"""

from __future__ import annotations

import pytest

from beamtalk.interp.syntax.lexer import Interpolation, tokenize


def toks(source: str) -> list[tuple[str, object]]:
    """(type, value) of every token; asserts the source scans without errors."""
    result = tokenize(source)
    assert result.errors == [], result.errors
    return [(t.type, t.value) for t in result.tokens]


def one(source: str) -> tuple[str, object]:
    """The single token of an error-free source."""
    found = toks(source)
    assert len(found) == 1, found
    return found[0]


def errors(source: str):
    """The scanner's diagnostics (there must be at least one)."""
    result = tokenize(source)
    assert result.errors, f"expected a lexical error in {source!r}"
    return result.errors


# ---------------------------------------------------------------- integers


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("0", 0),
        ("42", 42),
        ("007", 7),
        ("16rFF", 255),
        ("16rff", 255),
        ("16rFf", 255),
        ("2r1010", 10),
        ("8r777", 511),
        ("36rZZ", 35 * 36 + 35),
        ("36rzz", 35 * 36 + 35),
        ("10r99", 99),
    ],
)
def test_integer_forms(source, value):
    assert one(source) == ("INTEGER", value)


def test_integers_are_never_limited_to_64_bits():
    big = "123456789012345678901234567890123456789"
    assert one(big) == ("INTEGER", int(big))
    assert one("16r" + "F" * 40) == ("INTEGER", 16**40 - 1)
    assert one(str(2**64)) == ("INTEGER", 2**64)


@pytest.mark.parametrize("radix", [2, 3, 10, 16, 35, 36])
def test_every_radix_between_2_and_36_is_allowed(radix):
    assert one(f"{radix}r10") == ("INTEGER", radix)


@pytest.mark.parametrize("source", ["1r0", "0r0", "37r1", "99r1"])
def test_radix_out_of_range_is_an_error(source):
    (diag,) = errors(source)
    assert diag.line == 1 and diag.col == 1
    assert "radix" in diag.message


@pytest.mark.parametrize(("source", "col"), [("2r102", 1), ("x := 16rG", 6), ("8r9", 1)])
def test_digit_outside_the_radix_is_an_error(source, col):
    (diag,) = errors(source)
    assert (diag.line, diag.col) == (1, col)


# ---------------------------------------------------------------- floats


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("3.14", 3.14),
        ("2e3", 2000.0),
        ("1.5e-3", 0.0015),
        ("0.5", 0.5),
        ("1e0", 1.0),
        ("1.7976931348623157e308", 1.7976931348623157e308),
    ],
)
def test_float_forms(source, value):
    kind, got = one(source)
    assert kind == "FLOAT"
    assert got == value
    assert isinstance(got, float)


def test_a_digit_must_follow_the_dot():
    # `3.` is the integer 3 and a statement-ending dot; `1.e5` is 1, `.`, e5.
    assert toks("3.") == [("INTEGER", 3), ("DOT", ".")]
    assert toks("x := 1.y") == [("IDENT", "x"), ("ASSIGN", ":="), ("INTEGER", 1), ("DOT", "."),
                                ("IDENT", "y")]
    assert toks("1.e5") == [("INTEGER", 1), ("DOT", "."), ("IDENT", "e5")]


@pytest.mark.parametrize(("source", "col"),
                         [("1e999", 1), ("1.5e400", 1), ("2e309", 1), ("x := 1e999", 6)])
def test_float_out_of_double_range_is_an_error(source, col):
    (diag,) = errors(source)
    assert (diag.line, diag.col) == (1, col)
    assert "range" in diag.message


def test_float_out_of_range_position():
    (diag,) = errors("y := 1.5e400")
    assert (diag.line, diag.col) == (1, 6)
    assert diag.length == len("1.5e400")


# ---------------------------------------------------------------- strings


def test_single_quoted_strings():
    assert one("'single quoted'") == ("STRING", "single quoted")
    assert one("''") == ("STRING", "")
    assert one("'it''s'") == ("STRING", "it's")
    assert one("''''") == ("STRING", "'")


def test_single_quoted_strings_have_no_escapes():
    assert one(r"'a\nb'") == ("STRING", "a\\nb")
    assert one(r"'\q'") == ("STRING", "\\q")


def test_single_quoted_string_spans_lines_and_keeps_line_numbers():
    result = tokenize("'a\nb' x")
    assert result.errors == []
    (s, x) = result.tokens
    assert (s.type, s.value, s.lineno, s.col) == ("STRING", "a\nb", 1, 0)
    assert (x.type, x.value, x.lineno, x.col) == ("IDENT", "x", 2, 3)


def test_single_quoted_string_keeps_unicode():
    assert one("'héllo ✓ 日本'") == ("STRING", "héllo ✓ 日本")


def test_unterminated_single_quoted_string_is_an_error():
    (diag,) = errors("x := 'abc")
    assert (diag.line, diag.col) == (1, 6)
    assert "unterminated" in diag.message


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ('"double quoted"', "double quoted"),
        ('""', ""),
        (r'"a\nb"', "a\nb"),
        (r'"a\tb"', "a\tb"),
        (r'"a\rb"', "a\rb"),
        (r'"a\\b"', "a\\b"),
        (r'"a\"b"', 'a"b'),
        (r'"\{x\}"', "{x}"),
        ('"it\'s"', "it's"),
        ('"multi\nline"', "multi\nline"),
    ],
)
def test_double_quoted_strings_and_their_escapes(source, text):
    kind, parts = one(source)
    assert kind == "ISTRING"
    assert "".join(parts) == text
    assert all(isinstance(p, str) for p in parts)


@pytest.mark.parametrize(("source", "col"), [(r'"bad \z escape"', 6), (r'"\x"', 2),
                                               (r'x := "ok\q"', 9), ('"\\\'"', 2)])
def test_other_escapes_are_errors(source, col):
    diags = errors(source)
    assert (diags[0].line, diags[0].col) == (1, col)
    assert "escape" in diags[0].message


def test_double_quoted_string_with_interpolation():
    result = tokenize('"Hello, {name}! {1 + 2}"')
    assert result.errors == []
    (tok,) = result.tokens
    assert tok.type == "ISTRING"
    parts = tok.value
    assert parts[0] == "Hello, "
    assert isinstance(parts[1], Interpolation)
    assert [(t.type, t.value) for t in parts[1].tokens] == [("IDENT", "name")]
    assert parts[2] == "! "
    assert isinstance(parts[3], Interpolation)
    assert [(t.type, t.value) for t in parts[3].tokens] == [
        ("INTEGER", 1), ("BINOP", "+"), ("INTEGER", 2)]
    assert len(parts) == 4


def test_interpolation_may_contain_strings_and_braces():
    result = tokenize('"a {"in {y}"} b {#{1 => 2} size}"')
    assert result.errors == []
    (tok,) = result.tokens
    assert tok.value[0] == "a "
    inner = tok.value[1]
    assert [t.type for t in inner.tokens] == ["ISTRING"]
    assert tok.value[2] == " b "
    assert [t.type for t in tok.value[3].tokens] == [
        "DICTOPEN", "INTEGER", "ARROW", "INTEGER", "RBRACE", "IDENT"]


def test_unterminated_double_quoted_string_is_an_error():
    diags = errors('x := "abc')
    assert (diags[0].line, diags[0].col) == (1, 6)
    assert "unterminated" in diags[0].message


def test_unmatched_closing_brace_in_string_is_an_error():
    (diag,) = errors('"a }"')
    assert (diag.line, diag.col) == (1, 4)


def test_empty_interpolation_is_an_error():
    diags = errors('"a {}"')
    assert (diags[0].line, diags[0].col) == (1, 4)


def test_token_after_multiline_double_quoted_string_has_the_right_line():
    result = tokenize('"a\nbc" y')
    assert result.errors == []
    assert [(t.type, t.lineno, t.col) for t in result.tokens] == [("ISTRING", 1, 0),
                                                                 ("IDENT", 2, 4)]


# ---------------------------------------------------------------- characters


@pytest.mark.parametrize(
    ("source", "char"),
    [
        ("$a", "a"),
        ("$Z", "Z"),
        ("$ ", " "),
        ("$'", "'"),
        ('$"', '"'),
        ("$$", "$"),
        ("$\\n", "\n"),
        ("$\\t", "\t"),
        ("$\\r", "\r"),
        ("$\\\\", "\\"),
        ("$é", "é"),
        ("$(", "("),
    ],
)
def test_character_literals(source, char):
    assert one(source) == ("CHAR", char)


def test_space_character_followed_by_more_tokens():
    assert toks("$  x") == [("CHAR", " "), ("IDENT", "x")]
    assert toks("#($ , $')") == [("LISTOPEN", "#("), ("CHAR", " "), ("COMMA", ","),
                                 ("CHAR", "'"), ("RPAREN", ")")]


@pytest.mark.parametrize("source", ["$", "x := $", "$\nx"])
def test_dollar_without_character_is_an_error(source):
    diags = errors(source)
    assert diags[0].line == 1
    assert diags[0].col == source.index("$") + 1


def test_unknown_character_escape_is_an_error():
    (diag,) = errors("$\\q")
    assert (diag.line, diag.col) == (1, 1)


# ---------------------------------------------------------------- symbols


@pytest.mark.parametrize(
    ("source", "name"),
    [
        ("#foo", "foo"),
        ("#Foo_bar9", "Foo_bar9"),
        ("#at:", "at:"),
        ("#at:put:", "at:put:"),
        ("#+", "+"),
        ("#->", "->"),
        ("#**", "**"),
        ("#<=", "<="),
        ("#~~", "~~"),
        ("#'any text'", "any text"),
        ("#'it''s'", "it's"),
        ("#''", ""),
        ("#'$reserved'", "$reserved"),
        ("#true", "true"),
    ],
)
def test_symbol_forms(source, name):
    assert one(source) == ("SYMBOL", name)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("#+,", [("SYMBOL", "+"), ("COMMA", ",")]),
        ("#+ x", [("SYMBOL", "+"), ("IDENT", "x")]),
        ("#+)", [("SYMBOL", "+"), ("RPAREN", ")")]),
        ("#+]", [("SYMBOL", "+"), ("RBRACKET", "]")]),
        ("#+}", [("SYMBOL", "+"), ("RBRACE", "}")]),
        ("#(#+, #-)", [("LISTOPEN", "#("), ("SYMBOL", "+"), ("COMMA", ","), ("SYMBOL", "-"),
                       ("RPAREN", ")")]),
    ],
)
def test_operator_symbol_stops_before_comma_whitespace_and_brackets(source, expected):
    assert toks(source) == expected


def test_list_and_dictionary_openers():
    assert toks("#( #{ { ( [") == [("LISTOPEN", "#("), ("DICTOPEN", "#{"), ("LBRACE", "{"),
                                   ("LPAREN", "("), ("LBRACKET", "[")]
    assert toks("#()") == [("LISTOPEN", "#("), ("RPAREN", ")")]
    assert toks("#{}") == [("DICTOPEN", "#{"), ("RBRACE", "}")]


def test_lone_hash_is_an_error():
    diags = errors("x := # y")
    assert (diags[0].line, diags[0].col) == (1, 6)


# ---------------------------------------------------------------- reserved tokens


def test_reserved_tokens():
    assert toks(":= ^ | . ; => [ ] ( ) { } #( #{ ,") == [
        ("ASSIGN", ":="), ("CARET", "^"), ("BAR", "|"), ("DOT", "."), ("SEMI", ";"),
        ("ARROW", "=>"), ("LBRACKET", "["), ("RBRACKET", "]"), ("LPAREN", "("),
        ("RPAREN", ")"), ("LBRACE", "{"), ("RBRACE", "}"), ("LISTOPEN", "#("),
        ("DICTOPEN", "#{"), ("COMMA", ","),
    ]


def test_bars_are_separate_tokens():
    assert toks("||") == [("BAR", "|"), ("BAR", "|")]
    assert toks("[:x||t|t]") == [
        ("LBRACKET", "["), ("COLON", ":"), ("IDENT", "x"), ("BAR", "|"), ("BAR", "|"),
        ("IDENT", "t"), ("BAR", "|"), ("IDENT", "t"), ("RBRACKET", "]")]


# ---------------------------------------------------------------- identifiers and keywords


def test_identifiers():
    assert toks("x _y Foo9 a_b_c self super nil true false thisContext") == [
        ("IDENT", "x"), ("IDENT", "_y"), ("IDENT", "Foo9"), ("IDENT", "a_b_c"),
        ("IDENT", "self"), ("IDENT", "super"), ("IDENT", "nil"), ("IDENT", "true"),
        ("IDENT", "false"), ("IDENT", "thisContext"),
    ]


def test_keyword_is_an_identifier_immediately_followed_by_colon():
    assert toks("at: 1 put: 2") == [("KEYWORD", "at:"), ("INTEGER", 1), ("KEYWORD", "put:"),
                                    ("INTEGER", 2)]
    assert toks("at:put:") == [("KEYWORD", "at:"), ("KEYWORD", "put:")]
    assert toks("subclass:") == [("KEYWORD", "subclass:")]


def test_keyword_versus_assignment():
    assert toks("x:=1") == [("IDENT", "x"), ("ASSIGN", ":="), ("INTEGER", 1)]
    assert toks("x := 1") == [("IDENT", "x"), ("ASSIGN", ":="), ("INTEGER", 1)]
    assert toks("x: =1") == [("KEYWORD", "x:"), ("BINOP", "="), ("INTEGER", 1)]
    # a colon separated from the name is a block-parameter colon
    assert toks("x :y") == [("IDENT", "x"), ("COLON", ":"), ("IDENT", "y")]


# ---------------------------------------------------------------- fields


def test_self_field_is_one_token():
    assert toks("self.name") == [("FIELD", "name")]
    assert toks("self.x := self.x + 1") == [("FIELD", "x"), ("ASSIGN", ":="), ("FIELD", "x"),
                                            ("BINOP", "+"), ("INTEGER", 1)]


def test_self_with_spaces_around_the_dot_is_not_a_field():
    assert toks("self .x") == [("IDENT", "self"), ("DOT", "."), ("IDENT", "x")]
    assert toks("self. x") == [("IDENT", "self"), ("DOT", "."), ("IDENT", "x")]


@pytest.mark.parametrize(("source", "obj", "name", "col"),
                         [("p.x", "p", "x", 1), ("y := point.x", "point", "x", 6),
                          ("Foo.bar", "Foo", "bar", 1)])
def test_field_access_on_anything_but_self_is_an_error(source, obj, name, col):
    (diag,) = errors(source)
    assert (diag.line, diag.col) == (1, col)
    assert diag.hint == f"fields are private; send `{obj} {name}`"


# ---------------------------------------------------------------- operators


@pytest.mark.parametrize(
    "op",
    ["+", "-", "*", "/", "\\", "<", ">", "=", "~", "%", "&", "@", "?", "**", "++", "<=", ">=",
     "==", "~=", "~~", "->", ">>", "==>", "<=>", "\\\\", "+-", "-+", "@?"],
)
def test_operator_runs_are_maximal(op):
    assert toks(f"a {op} b") == [("IDENT", "a"), ("BINOP", op), ("IDENT", "b")]
    assert toks(f"a{op}b") == [("IDENT", "a"), ("BINOP", op), ("IDENT", "b")]


def test_run_ending_in_minus_before_a_digit_gives_up_the_minus():
    assert toks("x*-1") == [("IDENT", "x"), ("BINOP", "*"), ("BINOP", "-"), ("INTEGER", 1)]
    assert toks("x--1") == [("IDENT", "x"), ("BINOP", "-"), ("BINOP", "-"), ("INTEGER", 1)]
    assert toks("a->-1") == [("IDENT", "a"), ("BINOP", "->"), ("BINOP", "-"), ("INTEGER", 1)]
    assert toks("a<=-2.5") == [("IDENT", "a"), ("BINOP", "<="), ("BINOP", "-"),
                               ("FLOAT", 2.5)]


def test_run_ending_in_minus_not_before_a_digit_is_kept():
    assert toks("a+-b") == [("IDENT", "a"), ("BINOP", "+-"), ("IDENT", "b")]
    assert toks("a +- 1") == [("IDENT", "a"), ("BINOP", "+-"), ("INTEGER", 1)]


def test_minus_before_a_digit_is_a_separate_token():
    # the sign is decided by the layout pass, which knows whether an operand just ended
    assert toks("-1") == [("BINOP", "-"), ("INTEGER", 1)]
    assert toks("x-1") == [("IDENT", "x"), ("BINOP", "-"), ("INTEGER", 1)]


def test_comma_is_always_a_one_character_token():
    assert toks("a +, b") == [("IDENT", "a"), ("BINOP", "+"), ("COMMA", ","), ("IDENT", "b")]
    assert toks("a,,b") == [("IDENT", "a"), ("COMMA", ","), ("COMMA", ","), ("IDENT", "b")]
    assert toks("a ,= b") == [("IDENT", "a"), ("COMMA", ","), ("BINOP", "="), ("IDENT", "b")]


def test_arrow_is_reserved_but_longer_runs_are_operators():
    assert toks("=>") == [("ARROW", "=>")]
    assert toks("a ==> b") == [("IDENT", "a"), ("BINOP", "==>"), ("IDENT", "b")]
    assert toks("a =>= b") == [("IDENT", "a"), ("BINOP", "=>="), ("IDENT", "b")]


# ---------------------------------------------------------------- comments


def test_line_comment_runs_to_end_of_line():
    result = tokenize("a // comment := ] ) 'x\nb")
    assert result.errors == []
    assert [(t.type, t.value, t.lineno) for t in result.tokens] == [("IDENT", "a", 1),
                                                                   ("IDENT", "b", 2)]


@pytest.mark.parametrize(("source", "expected"), [
    ("a // b", [("IDENT", "a")]),
    ("a//b", [("IDENT", "a")]),
    ("a +// b", [("IDENT", "a"), ("BINOP", "+")]),
    ("a *//b", [("IDENT", "a"), ("BINOP", "*")]),
    ("a <//b", [("IDENT", "a"), ("BINOP", "<")]),
])
def test_double_slash_is_never_an_operator(source, expected):
    assert toks(source) == expected


def test_block_comment():
    assert toks("a /* x := ] */ b") == [("IDENT", "a"), ("IDENT", "b")]
    assert toks("a/*x*/b") == [("IDENT", "a"), ("IDENT", "b")]
    assert toks("a +/* c */ b") == [("IDENT", "a"), ("BINOP", "+"), ("IDENT", "b")]


def test_block_comment_spans_lines():
    result = tokenize("a /* one\ntwo\nthree */ b\nc")
    assert result.errors == []
    assert [(t.value, t.lineno) for t in result.tokens] == [("a", 1), ("b", 3), ("c", 4)]


def test_block_comments_do_not_nest():
    # the first `*/` ends the comment; ` c */` is then code
    assert toks("/* a /* b */ c") == [("IDENT", "c")]


def test_unterminated_block_comment_is_an_error():
    diags = errors("a /* never closed")
    assert (diags[0].line, diags[0].col) == (1, 3)


def test_comment_text_inside_strings_is_string_text():
    assert toks("'a // b'") == [("STRING", "a // b")]
    assert toks("'/* x */'") == [("STRING", "/* x */")]


# ---------------------------------------------------------------- doc comments


def test_doc_lines_strip_three_slashes_and_one_space():
    result = tokenize("/// A counter.\n///  Two spaces.\n///No space.\n///\nObject")
    assert result.errors == []
    assert result.doc_lines == {1: "A counter.", 2: " Two spaces.", 3: "No space.", 4: ""}
    assert [(t.value, t.lineno) for t in result.tokens] == [("Object", 5)]


def test_plain_comments_are_not_doc_lines():
    result = tokenize("// plain\n  // indented plain\nx")
    assert result.doc_lines == {}


def test_indented_doc_lines_are_recorded():
    result = tokenize("Object subclass: A\n  /// Answers 1.\n  one => 1")
    assert result.doc_lines == {2: "Answers 1."}


# ---------------------------------------------------------------- positions and line breaks


def test_positions_are_zero_based_columns_and_one_based_lines():
    result = tokenize("x := 1\n  foo: bar")
    assert [(t.type, t.lineno, t.col) for t in result.tokens] == [
        ("IDENT", 1, 0), ("ASSIGN", 1, 2), ("INTEGER", 1, 5), ("KEYWORD", 2, 2),
        ("IDENT", 2, 7)]


def test_crlf_counts_as_one_line_break():
    result = tokenize("a\r\nb\r\n\r\nc")
    assert [(t.value, t.lineno, t.col) for t in result.tokens] == [("a", 1, 0), ("b", 2, 0),
                                                                  ("c", 4, 0)]


def test_tab_advances_to_next_multiple_of_eight():
    result = tokenize("\tx\n  \ty\n\t\tz")
    assert [(t.value, t.col) for t in result.tokens] == [("x", 8), ("y", 8), ("z", 16)]


# ---------------------------------------------------------------- primitive marker


def test_primitive_marker():
    assert toks("@primitive") == [("PRIMITIVE", "@primitive")]
    assert toks("@primitive 'name'") == [("PRIMITIVE", "@primitive"), ("STRING", "name")]


# ---------------------------------------------------------------- unknown characters


@pytest.mark.parametrize(("source", "col"), [("!", 1), ("x := 1 ! 2", 8), ("`x`", 1),
                                              ("€", 1), ("café", 4), ("\x00", 1),
                                              ("x := 日本", 6)])
def test_unknown_characters_are_errors_not_exceptions(source, col):
    diags = errors(source)
    assert (diags[0].line, diags[0].col) == (1, col)


def test_scanning_continues_after_an_error():
    result = tokenize("a ! b\n`\nc")
    assert len(result.errors) == 2
    assert [t.value for t in result.tokens] == ["a", "b", "c"]
    assert [d.line for d in result.errors] == [1, 2]


def test_errors_carry_the_filename():
    result = tokenize("!", filename="demo.bt")
    assert result.errors[0].filename == "demo.bt"
