"""The REPL's and runner's text for a failed display and for errors without text (issue 12):
`<printString failed: ERROR: kind: text>`, `ERROR: kind` for an empty text, and the
TypeError print_not_string where the runtime builds text from a printString."""

from __future__ import annotations

from beamtalk.bootstrap.beam_node import Reply
from beamtalk.interp.display_lines import error_line, print_failure
from beamtalk.interp.session import evaluate

CLASSES = """Object subclass: BadPrint
  printString => 1 / 0
Object subclass: OddPrint
  printString => 42
"""


def test_error_line_without_text():
    assert error_line("error", None) == "ERROR: error"
    assert error_line("error", "") == "ERROR: error"
    assert error_line("zero_divide", "Division by zero") == "ERROR: zero_divide: Division by zero"


def test_node_reply_uses_the_same_error_line():
    assert Reply(ok=False, kind="error", text="").error_line() == "ERROR: error"
    assert Reply(ok=False, kind="error", text="x").error_line() == "ERROR: error: x"


def test_print_failure_text():
    assert print_failure("type_error", "t") == "<printString failed: ERROR: type_error: t>"
    assert print_failure("error", "") == "<printString failed: ERROR: error>"


def test_a_failed_display_keeps_the_statement():
    shown = evaluate(CLASSES + "b := BadPrint new\nb class\nOddPrint new\nnil error: ''\n")
    assert shown[-4:] == [
        "<printString failed: ERROR: zero_divide: Division by zero>",
        "BadPrint",
        "<printString failed: ERROR: type_error: OddPrint>>#printString answered an Integer, "
        "not a String>",
        "ERROR: error",
    ]


def test_text_built_from_a_non_string_printString_is_a_type_error():
    shown = evaluate(CLASSES + "OddPrint new displayString\n\"a{OddPrint new}\"\n"
                     "OddPrint new inspect\nTranscript show: OddPrint new\nOddPrint new foo\n")
    wanted = "ERROR: type_error: OddPrint>>#printString answered an Integer, not a String"
    assert shown[-5:-1] == [wanted] * 4
    assert shown[-1] == "ERROR: does_not_understand: an OddPrint does not understand #foo"
