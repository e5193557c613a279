"""Renders an AST as an S-expression or as JSON, for `beamtalk parse` and tooling."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable

from . import ast
from .literals import float_text


def to_sexp(node: object) -> str:
    """`(Send (Name "x") "foo" [])`: node type, then its fields in declaration order."""
    if dataclasses.is_dataclass(node):
        parts = [type(node).__name__]
        parts += [to_sexp(getattr(node, f.name)) for f in _fields(node)]
        return "(" + " ".join(parts) + ")"
    if isinstance(node, (tuple, list)):
        return "[" + " ".join(to_sexp(item) for item in node) + "]"
    if node is None:
        return "nil"
    if isinstance(node, bool):
        return "true" if node else "false"
    if isinstance(node, float):
        return float_text(node)  # as Beamtalk prints it (`1.0e16`), not Python's repr
    if isinstance(node, int):
        return repr(node)
    return json.dumps(node, ensure_ascii=False)


def to_json_data(node: object) -> object:
    """JSON-ready data: objects with a `node` type and `span` [line, col, end_line, end_col]."""
    if dataclasses.is_dataclass(node):
        data: dict[str, object] = {"node": type(node).__name__}
        span = getattr(node, "span", None)
        if span is not None:
            data["span"] = [span.line, span.col, span.end_line, span.end_col]
        for f in _fields(node):
            data[f.name] = to_json_data(getattr(node, f.name))
        return data
    if isinstance(node, (tuple, list)):
        return [to_json_data(item) for item in node]
    return node


def to_json(node: object) -> str:
    """The AST as indented JSON text."""
    return json.dumps(to_json_data(node), indent=2, ensure_ascii=False)


def _fields(node: object) -> list[dataclasses.Field]:
    return [f for f in dataclasses.fields(node) if f.name not in ("span", "source")]




def to_annotated_sexp(node: object, annotate: Callable[[object], str | None]) -> str:
    """`to_sexp`, with `annotate(node)` (when not None) added as a node's last element.

    The analysis layer supplies `annotate` (see docs/syntax-trees.md, "resolved form").
    """
    if dataclasses.is_dataclass(node):
        parts = [type(node).__name__]
        parts += [to_annotated_sexp(getattr(node, f.name), annotate) for f in _fields(node)]
        extra = annotate(node)
        if extra is not None:
            parts.append(extra)
        return "(" + " ".join(parts) + ")"
    if isinstance(node, (tuple, list)):
        return "[" + " ".join(to_annotated_sexp(item, annotate) for item in node) + "]"
    return to_sexp(node)


__all__ = ["to_sexp", "to_annotated_sexp", "to_json", "to_json_data", "ast"]
