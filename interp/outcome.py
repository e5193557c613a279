"""What one statement did (Outcome): shared by the interpreter's session and the BEAM
backend's, which imports it without loading the interpreter."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .display_lines import error_line


@dataclass
class Outcome:
    """What one statement did: its value, or the kind and text of its uncaught error."""

    value: Any = None
    error_kind: str | None = None
    error_text: str | None = None
    line: int = 0

    @property
    def failed(self) -> bool:
        return self.error_kind is not None

    def error_line(self) -> str:
        """`ERROR: kind: text` (or `ERROR: kind`)."""
        return error_line(str(self.error_kind), self.error_text)
