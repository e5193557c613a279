"""Primitives: collections (filled in by the library work)."""

from __future__ import annotations

PRIMITIVES: dict = {}
