"""Actor: the messages an actor reference answers itself (LANGUAGE.md 3.2).

Sends to a reference are intercepted before lookup; these entries make the protocol
visible to reflection and keep it sealed against overriding.
"""

from __future__ import annotations

from typing import Any

from ..actors import REFERENCE_SELECTORS, reference_selectors


def entry(selector: str):
    def run(rt: Any, ref: Any, *args: Any) -> Any:
        return reference_selectors(rt, ref, selector, args)

    run.__name__ = selector
    return run


PRIMITIVES = {"Actor": {selector: entry(selector) for selector in sorted(REFERENCE_SELECTORS)}}
