"""Integer and Float arithmetic, comparison, conversion and loops (LANGUAGE.md 3.6).

Integers are Python ints (arbitrary precision), Floats are Python floats that are kept
finite: the pure arithmetic functions below raise the Python exceptions
OverflowError (a result or an int->float conversion out of range), ZeroDivisionError
and ValueError (an undefined result such as `-1 sqrt`), and `compute` maps them to
`ArithmeticError` / `ZeroDivide` signals.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from beamtalk.interp.syntax.literals import MAX_RADIX, MIN_RADIX, float_text, radix_digits

from ..calls import call_block, cull
from ..kinds import kind_name
from ..limits import TooLarge, check_bits, check_elements, check_factorial, too_large_error
from ..values import Character, Interval
from .support import expect_integer, expect_number

EXACT_FLOAT_LIMIT = 2 ** 53  # ints up to this size convert to float exactly
EXACT_POWER_BITS = 1_000_000  # beyond this, `a ** -n` is computed with floats


def compute(rt: Any, op: Callable[..., Any], *args: Any) -> Any:
    """Run a pure numeric function, turning Python's numeric failures into signals."""
    try:
        result = op(*args)
    except TooLarge as exc:
        raise too_large_error(rt, exc) from None
    except OverflowError:
        raise rt.error_from("float_overflow") from None
    except ZeroDivisionError:
        raise rt.error_from("division_by_zero") from None
    except ValueError:  # math domain errors: `-1 sqrt`, `-8 ** 0.5`
        raise rt.error_from("undefined_result") from None
    if type(result) is float and not math.isfinite(result):
        raise rt.error_from("float_overflow")
    return result


def both_int(a: Any, b: Any) -> bool:
    """True if both are Integers (bool is not)."""
    return type(a) is int and type(b) is int


def exact_in_float(x: Any) -> bool:
    """True if Python's float arithmetic on x loses nothing (a float, or a small int)."""
    return type(x) is float or -EXACT_FLOAT_LIMIT <= x <= EXACT_FLOAT_LIMIT


def nonzero(b: Any) -> None:
    """Division by zero (also -0.0) is a ZeroDivide."""
    if b == 0:
        raise ZeroDivisionError


# ---------------------------------------------------------------- pure arithmetic


def true_div(a: Any, b: Any) -> float:
    """`/`: the Float nearest the exact quotient."""
    nonzero(b)
    if both_int(a, b) or (exact_in_float(a) and exact_in_float(b)):
        return a / b  # int / int is correctly rounded in Python
    return float(Fraction(a) / Fraction(b))


def rem(a: Any, b: Any) -> Any:
    """`rem:` and `%`: the remainder of truncated division (the dividend's sign)."""
    nonzero(b)
    if both_int(a, b):
        r = abs(a) % abs(b)
        return -r if a < 0 else r
    return math.fmod(a, b)


def quo(a: Any, b: Any) -> int:
    """`div:`: the quotient truncated toward zero (an Integer)."""
    nonzero(b)
    if both_int(a, b):
        q = abs(a) // abs(b)
        return -q if (a < 0) != (b < 0) else q
    return math.trunc(Fraction(a) / Fraction(b))


def mod(a: Any, b: Any) -> Any:
    """`mod:`: the remainder of floored division (the divisor's sign)."""
    nonzero(b)
    if both_int(a, b):
        return a % b
    return float(a) % float(b)


def power(a: Any, b: Any) -> Any:
    """`**`/`raisedTo:`: an Integer for Integer ** non-negative Integer, else a Float."""
    if both_int(a, b):
        if b >= 0:
            if abs(a) > 1:
                check_bits((abs(a).bit_length() - 1) * b)
            return a ** b
        nonzero(a)
        if a.bit_length() * -b <= EXACT_POWER_BITS:
            return 1 / a ** -b  # correctly rounded
        return math.pow(a, b) if exact_in_float(a) else math.copysign(0.0, a if b % 2 else 1)
    if a == 0 and b < 0:
        raise ZeroDivisionError
    return math.pow(a, b)  # ValueError for a negative base with a fractional exponent


def sqrt(x: Any) -> float:
    """`sqrt`: a Float; undefined for negative numbers."""
    if x < 0:
        raise ValueError
    try:
        return math.sqrt(x)
    except OverflowError:  # an int beyond the float range: its square root may still fit
        return float(math.isqrt(x))


def sign(x: Any) -> int:
    """-1, 0 or 1, an Integer also for Floats (-0.0 sign is 0)."""
    return (x > 0) - (x < 0)


def rounded(x: Any) -> int:
    """Round half away from zero (exactly: modf splits a float without rounding)."""
    if type(x) is int:
        return x
    fraction, whole = math.modf(x)
    n = int(whole)
    if abs(fraction) >= 0.5:
        n += 1 if x > 0 else -1
    return n


def as_float(x: Any) -> float:
    """`asFloat`: the nearest Float."""
    return float(x)  # OverflowError for ints beyond the float range


# ---------------------------------------------------------------- integers only


def factorial(rt: Any, n: int) -> int:
    """`factorial`: an ArgumentError for negative receivers."""
    if n < 0:
        raise rt.error_from("negative_receiver", selector="factorial", value=n)
    try:
        check_factorial(n)
    except TooLarge as exc:
        raise too_large_error(rt, exc) from None
    return math.factorial(n)


SMALL_PRIMES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71)


def is_prime(rt: Any, n: int) -> bool:
    """Miller-Rabin with the first 20 primes as bases: exact far beyond 2**64."""
    if n < 2:
        return False
    for p in SMALL_PRIMES:
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for a in SMALL_PRIMES:
        x = pow(a, d, n)
        if x == 1 or x == n - 1:
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def bit_shift(a: int, n: int) -> int:
    """Shift left for positive n, arithmetic shift right for negative n."""
    if n >= 0 and a:
        check_bits(a.bit_length() + n)
    return a << n if n >= 0 else a >> -n


# ---------------------------------------------------------------- printing

def float_radix(x: float, base: int) -> str:
    """A Float in another base: the fewest fractional digits that read back as x."""
    if base == 10:
        return float_text(x)
    sign_text = "-" if math.copysign(1.0, x) < 0 else ""
    exact = Fraction(abs(x))
    places = 0
    while True:
        scale = base ** places
        n = round(exact * scale)
        if float(Fraction(n, scale)) == abs(x):
            break
        places += 1
    whole, fraction = divmod(n, scale)
    fraction_text = radix_digits(fraction, base).rjust(places, "0").rstrip("0") if places else ""
    return f"{sign_text}{radix_digits(whole, base)}.{fraction_text or '0'}"


def print_radix(rt: Any, x: Any, base: Any) -> str:
    """`printString: base` (bases 2..36, no radix prefix: `255 printString: 16` is 'FF')."""
    base = expect_integer(rt, "printString:", base)
    if not MIN_RADIX <= base <= MAX_RADIX:
        raise rt.error_from("bad_radix", selector="printString:", value=base)
    if type(x) is float:
        return float_radix(x, base)
    return ("-" if x < 0 else "") + radix_digits(abs(x), base)


def print_padded(rt: Any, n: int, pad: Any, width: Any) -> str:
    """`printPaddedWith: $0 to: 3`: the sign first, then padding up to `width` characters."""
    if type(pad) is not Character:
        raise rt.error_from("expects_character", selector="printPaddedWith:to:",
                            kind=kind_name(rt, pad))
    width = expect_integer(rt, "printPaddedWith:to:", width)
    try:
        check_elements(width, "characters")
    except TooLarge as exc:
        raise too_large_error(rt, exc) from None
    sign_text = "-" if n < 0 else ""
    return sign_text + str(abs(n)).rjust(width - len(sign_text), pad.char)


# ---------------------------------------------------------------- loops and intervals


def times_repeat(rt: Any, n: int, block: Any) -> int:
    """`timesRepeat:` when not inlined; answers the receiver."""
    for _ in range(n):
        call_block(rt, block)
    return n


def check_step(rt: Any, selector: str, step: Any) -> Any:
    """The step of an interval or loop: a non-zero Number."""
    step = expect_number(rt, selector, step)
    if step == 0:
        raise rt.error_from("zero_step", selector=selector, value=rt.send(step, "printString"))
    return step


def loop(rt: Any, selector: str, start: Any, stop: Any, step: Any, block: Any) -> Any:
    """`to:do:` and `to:by:do:` when not inlined (perform:, a block in a variable, Floats)."""
    stop = expect_number(rt, selector, stop)
    step = check_step(rt, selector, step)
    if both_int(start, stop) and type(step) is int:
        for i in range(start, stop + (1 if step > 0 else -1), step):
            cull(rt, block, i)
        return start
    i = start
    while (i <= stop) if step > 0 else (i >= stop):
        cull(rt, block, i)
        i = compute(rt, operator.add, i, step)
    return start


def to(rt: Any, start: Any, stop: Any) -> Interval:
    """`1 to: 5`."""
    stop = expect_number(rt, "to:", stop)
    return Interval(start, stop, 1)


def to_by(rt: Any, start: Any, stop: Any, step: Any) -> Interval:
    """`1 to: 9 by: 2`."""
    stop = expect_number(rt, "to:by:", stop)
    return Interval(start, stop, check_step(rt, "to:by:", step))


# ---------------------------------------------------------------- tables


def binary(selector: str, op: Callable[[Any, Any], Any],
           expect: Callable[[Any, str, Any], Any] = expect_number):
    """A primitive applying `op` after checking the argument's kind."""

    def primitive(rt: Any, a: Any, b: Any) -> Any:
        return compute(rt, op, a, expect(rt, selector, b))

    primitive.__name__ = selector
    return primitive


def comparison(selector: str, op: Callable[[Any, Any], bool]):
    """Comparisons are exact between Integers and Floats (Python compares by value)."""

    def primitive(rt: Any, a: Any, b: Any) -> bool:
        return op(a, expect_number(rt, selector, b))

    primitive.__name__ = selector
    return primitive


def unary(op: Callable[[Any], Any]):
    """A primitive applying `op` to the receiver."""
    return lambda rt, a: compute(rt, op, a)


NUMBER_BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": true_div,
    "%": rem, "rem:": rem, "div:": quo, "mod:": mod, "**": power, "raisedTo:": power,
}
COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt, ">": operator.gt, "<=": operator.le, ">=": operator.ge,
}
NUMBER_UNARY: dict[str, Callable[[Any], Any]] = {
    "negated": operator.neg, "abs": abs, "sign": sign, "sqrt": sqrt, "rounded": rounded,
    "truncated": math.trunc, "floor": math.floor, "ceiling": math.ceil,
    "asInteger": math.trunc, "asFloat": as_float,
}
INTEGER_BINARY: dict[str, Callable[[int, int], int]] = {
    "gcd:": math.gcd, "lcm:": math.lcm, "bitAnd:": operator.and_, "bitOr:": operator.or_,
    "bitXor:": operator.xor, "bitShift:": bit_shift,
}

NUMBER = {
    **{sel: binary(sel, op) for sel, op in NUMBER_BINARY.items()},
    **{sel: comparison(sel, op) for sel, op in COMPARISONS.items()},
    **{sel: unary(op) for sel, op in NUMBER_UNARY.items()},
    "printString:": print_radix,
    "to:": to,
    "to:by:": to_by,
    "to:do:": lambda rt, a, stop, block: loop(rt, "to:do:", a, stop, 1, block),
    "to:by:do:": lambda rt, a, stop, step, block: loop(rt, "to:by:do:", a, stop, step, block),
}
INTEGER = {
    **{sel: binary(sel, op, expect_integer) for sel, op in INTEGER_BINARY.items()},
    "factorial": factorial,
    "isPrime": is_prime,
    "printPaddedWith:to:": print_padded,
    "timesRepeat:": times_repeat,
}

PRIMITIVES = {"Integer": {**NUMBER, **INTEGER}, "Float": dict(NUMBER)}
