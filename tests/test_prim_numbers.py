"""Integer and Float primitives: the tricky parts of LANGUAGE.md 3.6."""

from __future__ import annotations

import io

import pytest

from beamtalk.interp.session import Session, evaluate, run_with_big_stack

SHARED: list[Session] = []  # one session for the side-effect-free cases (loading is slow)


def run(source: str, fresh: bool = True) -> list[str]:
    """printString of each statement's value, or its `ERROR: kind: text`."""

    if fresh or not SHARED:
        SHARED[:] = [Session(out=io.StringIO())]
    return evaluate(source, session=SHARED[0])


def value(source: str) -> str:
    """The printString (or error line) of a single statement."""
    (result,) = run(source, fresh=False)
    return result


@pytest.mark.parametrize("source, expected", [
    # `/` answers the Float nearest the exact quotient, also for huge or mixed operands.
    ("(2 ** 53 + 1) / 3", "3002399751580331.0"),
    ("(10 ** 400) / (10 ** 399)", "10.0"),
    ("(10 ** 400) / 1.0e300", "1.0e100"),
    ("1 / 3.0e-308", "3.333333333333333e307"),
    # div: truncates, rem: and % follow the dividend, mod: the divisor.
    ("-7 div: 2", "-3"), ("-7 rem: 2", "-1"), ("-7 % 2", "-1"), ("-7 mod: 2", "1"),
    ("7 mod: -2", "-1"), ("-7.5 div: 2", "-3"), ("-7.5 % 2", "-1.5"), ("-7.5 mod: 2", "0.5"),
    ("(10 ** 20) rem: -7", "2"),
    # ** and raisedTo: answer Integers only for non-negative Integer exponents.
    ("2 ** 3 ** 2", "512"), ("-2 ** 3", "-8"), ("2 ** -2", "0.25"), ("10 ** -1", "0.1"),
    ("2 ** -1074", "5.0e-324"), ("-2 ** -3", "-0.125"), ("2 ** 1.0", "2.0"),
    ("(2 raisedTo: 100) class", "Integer"), ("(2 ** -1) class", "Float"),
    # sqrt is a Float, even beyond the float range of the receiver.
    ("16 sqrt", "4.0"), ("(10 ** 400) sqrt", "1.0e200"), ("-0.0 sqrt", "-0.0"),
    # rounding: half away from zero, exactly.
    ("2.5 rounded", "3"), ("-2.5 rounded", "-3"), ("0.49999999999999994 rounded", "0"),
    ("-3.7 truncated", "-3"), ("-3.2 floor", "-4"), ("-3.7 ceiling", "-3"),
    ("(3.7 rounded) class", "Integer"), ("7.3 roundTo: 0.5", "7.5"), ("7 roundTo: 5", "5"),
    ("1.0e20 asInteger", "100000000000000000000"),
    # signs and zeros
    ("-2.5 sign", "-1"), ("-0.0 sign", "0"), ("0.0 negated", "-0.0"), ("-0.0 abs", "0.0"),
    ("-0.0 = 0.0", "true"), ("0.0 isZero", "true"), ("1 < 1.5", "true"),
    ("(2 ** 64) < ((2 ** 64) + 0.5)", "false"),
    # comparisons built on < and >
    ("2.5 max: 3", "3"), ("2.5 min: 3", "2.5"), ("3 max: 3.0", "3"),
    ("5 between: 5 and: 5", "true"),
    # integer protocol
    ("25 factorial", "15511210043330985984000000"), ("-3 isOdd", "true"),
    ("(2 ** 89 - 1) isPrime", "true"), ("3825123056546413051 isPrime", "false"),
    ("1 isPrime", "false"), ("-7 isPrime", "false"),
    ("12 gcd: -18", "6"), ("-4 lcm: 6", "12"), ("0 gcd: 0", "0"),
    ("-5 bitAnd: 3", "3"), ("-1 bitShift: -1", "-1"), ("1 bitShift: 70", "1180591620717411303424"),
    ("-255 printString: 16", "'-FF'"), ("35 printString: 36", "'Z'"),
    ("(2 ** 64) printString: 36", "'3W5E11264SGSG'"),
    ("255.5 printString: 16", "'FF.8'"), ("0.1 printString: 10", "'0.1'"),
    ("-5 printPaddedWith: $0 to: 3", "'-05'"), ("1234 printPaddedWith: $0 to: 3", "'1234'"),
    ("(2 ** 100000) printString size", "30103"),
    ("1.0e16 asString", "'1.0e16'"), ("3 asFloat", "3.0"), ("1.5 isNaN", "false"),
    ("Float pi", "3.141592653589793"),
    # intervals are constructed, not iterated, by to: and to:by:
    ("1 to: 5", "(1 to: 5)"), ("10 to: 1 by: -1", "(10 to: 1 by: -1)"),
])
def test_values(source: str, expected: str) -> None:
    assert value(source) == expected


@pytest.mark.parametrize("source, expected", [
    ("1 + 'a'", "ERROR: type_error: #+ expects a Number, got a String"),
    ("1 < #a", "ERROR: type_error: #< expects a Number, got a Symbol"),
    ("2 raisedTo: 'x'", "ERROR: type_error: #raisedTo: expects a Number, got a String"),
    ("12 gcd: 1.5", "ERROR: type_error: #gcd: expects an Integer, got a Float"),
    ("5 printString: 'x'", "ERROR: type_error: #printString: expects an Integer, got a String"),
    ("5 printPaddedWith: 'x' to: 3",
     "ERROR: type_error: #printPaddedWith:to: expects a Character, got a String"),
    ("1 to: 'a' do: [:i | i]", "ERROR: type_error: #to:do: expects a Number, got a String"),
    ("3 min: nil", "ERROR: type_error"),
    ("1 / -0.0", "ERROR: zero_divide: Division by zero"),
    ("0.0 / 0.0", "ERROR: zero_divide: Division by zero"),
    ("1.5 mod: 0", "ERROR: zero_divide: Division by zero"),
    ("0 ** -1", "ERROR: zero_divide: Division by zero"),
    ("0.0 ** -1", "ERROR: zero_divide: Division by zero"),
    ("1.0e308 * 10", "ERROR: arithmetic_error: Float overflow"),
    ("1.0e308 / 0.1", "ERROR: arithmetic_error: Float overflow"),
    ("10.0 ** 400", "ERROR: arithmetic_error: Float overflow"),
    ("(10 ** 400) * 1.0", "ERROR: arithmetic_error: Float overflow"),
    ("(10 ** 400) asFloat", "ERROR: arithmetic_error: Float overflow"),
    ("(10 ** 700) sqrt", "ERROR: arithmetic_error: Float overflow"),
    ("-1 sqrt", "ERROR: arithmetic_error: Undefined result"),
    ("-8 ** 0.5", "ERROR: arithmetic_error: Undefined result"),
    ("-1 factorial", "ERROR: argument_error"),
    ("5 printString: 37", "ERROR: argument_error"),
    ("1 to: 5 by: 0", "ERROR: argument_error"),
    ("1 to: 5 by: 0 do: [:i | i]", "ERROR: argument_error"),
    ("1.5 gcd: 2", "ERROR: does_not_understand: 1.5 does not understand #gcd:"),
])
def test_errors(source: str, expected: str) -> None:
    assert value(source).startswith(expected)


def test_loops_answer_the_receiver_inlined_or_not() -> None:
    src = ("3 perform: #timesRepeat: with: [Transcript show: 'q']\n"
           "2 perform: #to:do: with: 4 with: [:i | Transcript show: i printString]\n"
           "blk := [:i | Transcript show: i printString]\n"
           "1 to: 3 do: blk\n"
           "5 to: 1 by: -2 do: blk\n"
           "1 to: 2 by: 0.5 do: blk\n"
           "1 to: 2 do: [Transcript show: 'z']\n"
           "3 to: 1 do: blk\n")
    out = io.StringIO()

    def go() -> list[str]:
        session = Session(out=out)
        return [o.error_line() if o.failed else session.print_string(o.value)
                for o in session.run_source(src, "t.bt")]

    assert run_with_big_stack(go) == ["3", "2", "a Block/1", "1", "5", "1", "1", "3"]
    assert out.getvalue() == "qqq234123531" + "11.52.0" + "zz"


def test_mutating_literal_blocks_work_when_not_inlined() -> None:
    src = "sum := 0\n1 to: 10 by: 2.5 do: [:i | sum := sum + i]\nsum"
    assert run(src) == ["0", "1", "19.0"]  # 1 + 3.5 + 6 + 8.5
