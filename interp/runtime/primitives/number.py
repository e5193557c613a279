"""Integer and Float arithmetic and comparison (LANGUAGE.md 3.6)."""

from __future__ import annotations

import math
from typing import Any

from .support import expect_number


def checked(rt: Any, value: Any) -> Any:
    """Floats are finite: overflow is an ArithmeticError."""
    if type(value) is float and not math.isfinite(value):
        raise rt.error("ArithmeticError", "Float overflow")
    return value


def arith(selector: str, op):
    def run(rt: Any, a: Any, b: Any) -> Any:
        expect_number(rt, selector, b)
        try:
            return checked(rt, op(a, b))
        except OverflowError:
            raise rt.error("ArithmeticError", "Float overflow") from None

    run.__name__ = selector
    return run


def compare(selector: str, op):
    def run(rt: Any, a: Any, b: Any) -> bool:
        expect_number(rt, selector, b)
        return op(a, b)

    run.__name__ = selector
    return run


def divide(rt: Any, a: Any, b: Any) -> float:
    expect_number(rt, "/", b)
    if b == 0:
        raise rt.error("ZeroDivide", "Division by zero")
    try:
        return checked(rt, a / b)
    except OverflowError:
        raise rt.error("ArithmeticError", "Float overflow") from None


TABLE = {
    "+": arith("+", lambda a, b: a + b),
    "-": arith("-", lambda a, b: a - b),
    "*": arith("*", lambda a, b: a * b),
    "/": divide,
    "<": compare("<", lambda a, b: a < b),
    ">": compare(">", lambda a, b: a > b),
    "<=": compare("<=", lambda a, b: a <= b),
    ">=": compare(">=", lambda a, b: a >= b),
    "negated": lambda rt, a: -a,
}

PRIMITIVES = {"Number": TABLE}
