"""Future: the protocol a future answers itself (LANGUAGE.md 3.2).

Sends to a future are intercepted by the runtime before lookup; these primitives make
the same protocol visible to reflection (`Future methods`) and to `perform:`.
"""

from __future__ import annotations

from typing import Any

from ..futures import PROTOCOL, protocol


def entry(selector: str):
    def run(rt: Any, fut: Any, *args: Any) -> Any:
        return protocol(rt, fut, selector, args)

    run.__name__ = selector
    return run


PRIMITIVES = {"Future": {selector: entry(selector) for selector in sorted(PROTOCOL)}}
