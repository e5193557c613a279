"""The text a printString or displayString answers, where the runtime builds text from it.

LANGUAGE.md 4: the REPL's line, collections, interpolation, inspect, Transcript and error texts
need a String; a class whose printString answers anything else is a TypeError there.
"""

from __future__ import annotations

from typing import Any

from .kinds import article, kind_name


def sent_text(rt: Any, v: Any, selector: str) -> str:
    """`v printString` (or displayString) where the runtime builds text from it: a String, or
    the TypeError print_not_string (the display needs text, whatever a class answers)."""
    text = rt.send(v, selector)
    if type(text) is not str:
        raise rt.error_from("print_not_string", class_name=rt.class_of(v).name,
                            selector=selector, kind=kind_name(rt, text))
    return text


def error_text_of(rt: Any, v: Any) -> str:
    """A value's printString inside the text of an error about it (the receiver of a
    DoesNotUnderstand, a missing key): when that printString fails or answers no String, the
    value is shown by its class (`a BadPrint`), so the real error is not hidden."""
    try:
        return sent_text(rt, v, "printString")
    except Exception:  # printing must never hide the real error (RecursionError included)
        return article(rt.class_of(v).name)
