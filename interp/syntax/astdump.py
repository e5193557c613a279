"""Renders an AST as an S-expression or as JSON, for `beamtalk parse` and tooling.

Both renderings walk the tree with an explicit stack, so arbitrarily deep input (a
50,000-term chain of sends) prints without recursion.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Callable

from . import ast
from .literals import float_text


def to_sexp(node: object, annotate: Callable[[object], str | None] | None = None) -> str:
    """`(Send (Name "x") "foo" [])`: node type, then its fields in declaration order.

    With `annotate`, a node for which it answers text gets that text as its last element
    (the resolved form: docs/syntax-trees.md; the analysis layer supplies `annotate`).
    """
    out: list[str] = []
    # Work items: a node to render, or a literal piece of text (wrapped in a 1-tuple).
    stack: list[object] = [node]
    while stack:
        item = stack.pop()
        if type(item) is _Text:
            out.append(item.text)
            continue
        if dataclasses.is_dataclass(item):
            children = [getattr(item, name) for name in _field_names(type(item))]
            todo: list[object] = [_Text("(" + type(item).__name__)]
            for child in children:
                todo += [_Text(" "), child]
            extra = annotate(item) if annotate is not None else None
            if extra is not None:
                todo.append(_Text(" " + extra))
            todo.append(_Text(")"))
            stack.extend(reversed(todo))
        elif isinstance(item, (tuple, list)):
            todo = [_Text("[")]
            for i, child in enumerate(item):
                todo += [_Text(" "), child] if i else [child]
            todo.append(_Text("]"))
            stack.extend(reversed(todo))
        else:
            out.append(_scalar(item))
    return "".join(out)


def to_json_data(node: object) -> object:
    """JSON-ready data: objects with a `node` type and `span` [line, col, end_line, end_col]."""
    root: list[object] = [None]
    stack: list[tuple[object, object, object]] = [(node, root, 0)]  # (node, parent, key)
    while stack:
        item, parent, key = stack.pop()
        if dataclasses.is_dataclass(item):
            data: dict[str, object] = {"node": type(item).__name__}
            span = getattr(item, "span", None)
            if span is not None:
                data["span"] = [span.line, span.col, span.end_line, span.end_col]
            for name in _field_names(type(item)):
                data[name] = None
                stack.append((getattr(item, name), data, name))
            parent[key] = data  # type: ignore[index]
        elif isinstance(item, (tuple, list)):
            items: list[object] = [None] * len(item)
            for i, child in enumerate(item):
                stack.append((child, items, i))
            parent[key] = items  # type: ignore[index]
        else:
            parent[key] = item  # type: ignore[index]
    return root[0]


def to_json(node: object) -> str:
    """The AST as indented JSON text (as `json.dumps(..., indent=2)` writes it)."""
    out: list[str] = []
    stack: list[tuple[object, int]] = [(to_json_data(node), 0)]
    while stack:
        item, level = stack.pop()
        if type(item) is _Text:
            out.append(item.text)
            continue
        pad = "\n" + "  " * (level + 1)
        if isinstance(item, dict) and item:
            todo: list[tuple[object, int]] = [(_Text("{"), 0)]
            for i, (k, v) in enumerate(item.items()):
                todo += [(_Text(("," if i else "") + pad + json.dumps(k, ensure_ascii=False)
                                + ": "), 0), (v, level + 1)]
            todo.append((_Text("\n" + "  " * level + "}"), 0))
            stack.extend(reversed(todo))
        elif isinstance(item, list) and item:
            todo = [(_Text("["), 0)]
            for i, v in enumerate(item):
                todo += [(_Text(("," if i else "") + pad), 0), (v, level + 1)]
            todo.append((_Text("\n" + "  " * level + "]"), 0))
            stack.extend(reversed(todo))
        else:
            out.append(json.dumps(item, ensure_ascii=False))
    return "".join(out)


@dataclasses.dataclass(frozen=True, slots=True)
class _Text:
    """A piece of output text on the work stack (as opposed to a node still to render)."""

    text: str


def _scalar(node: object) -> str:
    if node is None:
        return "nil"
    if isinstance(node, bool):
        return "true" if node else "false"
    if isinstance(node, float):
        return float_text(node)  # as Beamtalk prints it (`1.0e16`), not Python's repr
    if isinstance(node, int):
        return repr(node)
    return json.dumps(node, ensure_ascii=False)


@functools.cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(kind) if f.name not in ("span", "source"))


def to_annotated_sexp(node: object, annotate: Callable[[object], str | None]) -> str:
    """`to_sexp` with `annotate(node)` (when not None) as a node's last element."""
    return to_sexp(node, annotate)


__all__ = ["to_sexp", "to_annotated_sexp", "to_json", "to_json_data", "ast"]
