"""How large a result the interpreter builds (issue 10): past these, a typed ArgumentError
says so at once instead of exhausting memory or running for ever.

Primitives without the runtime at hand raise `TooLarge`; `number.compute` and the
collection primitives turn it into the `result_too_large` error of stdlib/errors.tsv.
"""

from __future__ import annotations

from typing import Any

MAX_RESULT_BITS = 1 << 26  # an Integer of about 20 million decimal digits
MAX_ELEMENTS = 10_000_000  # elements of a collection, characters of a String
MAX_FACTORIAL = 100_000  # n factorial (about 1.5 million bits, computed in a blink)


class TooLarge(Exception):
    """A result past one of the limits; `limit` names it for the error text."""

    def __init__(self, limit: str):
        super().__init__(limit)
        self.limit = limit


def check_bits(bits: int) -> None:
    """An Integer result of about `bits` bits is allowed."""
    if bits > MAX_RESULT_BITS:
        raise TooLarge(f"{MAX_RESULT_BITS:,}-bit Integers")


def check_elements(count: int, what: str = "elements") -> None:
    """A collection (or String) of `count` elements (characters) is allowed."""
    if count > MAX_ELEMENTS:
        raise TooLarge(f"{MAX_ELEMENTS:,} {what}")


def check_factorial(n: int) -> None:
    if n > MAX_FACTORIAL:
        raise TooLarge(f"{MAX_FACTORIAL:,} factorial")


def too_large_error(rt: Any, exc: TooLarge) -> Any:
    """The Beamtalk error for a TooLarge (to raise)."""
    return rt.error_from("result_too_large", limit=exc.limit)


__all__ = ["TooLarge", "check_bits", "check_elements", "check_factorial", "too_large_error",
           "MAX_RESULT_BITS", "MAX_ELEMENTS", "MAX_FACTORIAL"]
