"""Transcript: text to standard output (class-side messages)."""

from __future__ import annotations

from typing import Any

from ..text_answers import sent_text


def write(rt: Any, text: str) -> None:
    rt.out.write(text)


def show(rt: Any, r: Any, value: Any) -> Any:
    write(rt, sent_text(rt, value, "displayString"))
    return r


def print_(rt: Any, r: Any, value: Any) -> Any:
    write(rt, sent_text(rt, value, "printString"))
    return r


def literal(text: str):
    def emit(rt: Any, r: Any) -> Any:
        write(rt, text)
        return r

    return emit


PRIMITIVES = {
    "Transcript class": {
        "show:": show,
        "display:": show,
        "showCr:": lambda rt, r, v: literal("\n")(rt, show(rt, r, v)),
        "print:": print_,
        "cr": literal("\n"),
        "tab": literal("\t"),
        "space": literal(" "),
    },
}
