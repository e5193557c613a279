"""Warnings for dropped answers of collection "modifiers" (LANGUAGE.md 5).

Collections are immutable, so `list add: x` whose answer is dropped does nothing.  A
statement drops its answer when it is not the last of its method, block or file, or
when it is the last statement of a block given to a `do:`-style message.  We warn only
when the receiver is statically a collection: a literal, `List new`/`Dictionary new`/
`Set new`, or a variable or field whose every assignment (and default) is one of those.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from beamtalk.interp.syntax import ast
from beamtalk.interp.syntax.diagnostics import Diagnostic

MODIFIERS = frozenset({"add:", "addFirst:", "addAll:", "at:put:", "remove:", "removeKey:",
                       "union:"})
DO_STYLE = frozenset({"do:", "doWithIndex:", "reverseDo:", "keysAndValuesDo:", "keysDo:",
                      "valuesDo:", "timesRepeat:", "to:do:", "to:by:do:"})
COLLECTION_CLASSES = frozenset({"List", "Dictionary", "Set"})


# Field annotations (ast.py's, as text) that never hold a node: walks need not look there.
SCALAR_FIELDS = frozenset({"str", "int", "float", "bool", "str | None", "tuple[str, ...]"})


@functools.cache
def child_fields(kind: type) -> tuple[str, ...]:
    """The fields of an AST node class that may hold sub-nodes (computed once per class)."""
    fields = getattr(kind, "__dataclass_fields__", {})
    return tuple(name for name, f in fields.items()
                 if name not in ("span", "source") and f.type not in SCALAR_FIELDS)


# Every AST node class, each with the fields that may hold sub-nodes: walks look a node's
# class up here once instead of asking whether it is a dataclass and then for its fields.
NODE_FIELDS: dict[type, tuple[str, ...]] = {
    kind: child_fields(kind) for kind in vars(ast).values()
    if isinstance(kind, type) and hasattr(kind, "__dataclass_fields__") and kind is not ast.Span
}


def children(node: Any) -> Iterator[Any]:
    """The direct sub-nodes of an AST node."""
    for name in child_fields(type(node)):
        value = getattr(node, name)
        if type(value) is tuple:
            for item in value:
                if type(item) is tuple:
                    yield from item
                else:
                    yield item
        else:
            yield value


def push_children(node: Any, names: tuple[str, ...], stack: list[Any]) -> None:
    """Push a node's sub-nodes (and stray scalars, which walks skip) onto `stack`."""
    for name in names:
        value = getattr(node, name)
        if type(value) is tuple:
            for item in value:
                if type(item) is tuple:
                    stack.extend(item)
                else:
                    stack.append(item)
        elif value is not None:
            stack.append(value)


def walk(node: Any) -> Iterator[Any]:
    """Every node under (and including) `node`, in the order `children` gives them."""
    stack = [node]
    pop = stack.pop
    fields_of = NODE_FIELDS.get
    while stack:
        current = pop()
        names = fields_of(type(current))
        if names is None:  # not a node: a string part, a parameter name...
            continue
        yield current
        if names:
            push_children(current, names, stack)


def is_collection_expr(node: Any) -> bool:
    """A literal collection or `List new` / `Dictionary new` / `Set new`."""
    if isinstance(node, (ast.ListLit, ast.DictLit, ast.TupleLit)):
        return True
    return (isinstance(node, ast.Send) and node.selector == "new" and not node.args
            and isinstance(node.receiver, ast.Name) and node.receiver.name in COLLECTION_CLASSES)


def assigned_values(scope_nodes: list[Any]) -> dict[tuple[str, str], list[Any]]:
    """(kind, name) -> every value assigned to it, kind "var" or "field"."""
    values: dict[tuple[str, str], list[Any]] = {}
    for root in scope_nodes:
        for node in walk(root):
            if isinstance(node, ast.Assign):
                kind = "field" if isinstance(node.target, ast.FieldRef) else "var"
                values.setdefault((kind, node.target.name), []).append(node.value)
    return values


def field_values(module: ast.Module) -> dict[str, dict]:
    """Class name -> (field, name) -> every default and value assigned, over all its methods."""
    methods: dict[str, list[Any]] = {}
    defaults: dict[str, dict[tuple[str, str], list[Any]]] = {}
    for stmt in module.body:
        if isinstance(stmt, ast.ClassDef):
            own = defaults.setdefault(stmt.name, {})
            for member in stmt.members:
                if isinstance(member, ast.MethodDef):
                    methods.setdefault(stmt.name, []).append(member)
                else:
                    for decl in member.fields:
                        own.setdefault(("field", decl.name), []).append(decl.default)
        elif isinstance(stmt, ast.DefineMethod):
            methods.setdefault(stmt.class_name, []).append(stmt.method)
    found = {}
    for name in sorted(set(methods) | set(defaults)):
        values = {k: v for k, v in assigned_values(methods.get(name, [])).items()
                  if k[0] == "field"}
        for key, items in defaults.get(name, {}).items():
            values.setdefault(key, []).extend(items)
        found[name] = values
    return found


class DroppedResults:
    """Finds dropped modifier answers in one file."""

    def __init__(self, filename: str):
        self.filename = filename
        self.warnings: list[Diagnostic] = []

    def module(self, module: ast.Module) -> list[Diagnostic]:
        top_level = [s for s in module.body if not isinstance(s, (ast.ClassDef, ast.DefineMethod))]
        top_values = assigned_values(top_level)
        self.body(top_level, top_values, drop_last=False)
        fields = field_values(module)
        for stmt in module.body:
            if isinstance(stmt, ast.ClassDef):
                for member in stmt.members:
                    if isinstance(member, ast.MethodDef):
                        self.method(member, fields[stmt.name])
            elif isinstance(stmt, ast.DefineMethod):
                self.method(stmt.method, fields[stmt.class_name])
        return sorted(self.warnings, key=lambda d: (d.line, d.col))

    def method(self, node: ast.MethodDef, fields: dict) -> None:
        values = dict(fields)
        values.update({k: v for k, v in assigned_values([node]).items() if k[0] == "var"})
        self.body(list(node.body), values, drop_last=False)

    def body(self, stmts: list[Any], values: dict, drop_last: bool) -> None:
        for i, stmt in enumerate(stmts):
            if i < len(stmts) - 1 or drop_last:
                self.check_dropped(stmt, values)
            self.scan(stmt, values)

    def scan(self, root: Any, values: dict) -> None:
        """Check the block bodies under a statement, visiting each node once."""
        stack = [root]
        fields_of = NODE_FIELDS.get
        while stack:
            node = stack.pop()
            kind = type(node)
            if kind is ast.Send:
                stack.append(node.receiver)
                self.arguments(node.selector, node.args, values, stack)
            elif kind is ast.Cascade:
                stack.append(node.receiver)
                for message in node.messages:
                    self.arguments(message.selector, message.args, values, stack)
            else:
                names = fields_of(kind)
                if names:
                    push_children(node, names, stack)

    def arguments(self, selector: str, args: tuple, values: dict, stack: list[Any]) -> None:
        """A block argument's statements are a body of their own; other arguments are scanned."""
        for arg in args:
            if isinstance(arg, ast.Block):
                self.body(list(arg.body), values, selector in DO_STYLE)
            else:
                stack.append(arg)

    def check_dropped(self, stmt: Any, values: dict) -> None:
        if not (isinstance(stmt, ast.Send) and stmt.selector in MODIFIERS):
            return
        if not self.static_collection(stmt.receiver, values):
            return
        span = stmt.span
        self.warnings.append(Diagnostic(
            f"the answer of `{stmt.selector}` is dropped: collections are immutable",
            self.filename, span.line if span else 0, span.col if span else 0,
            max(1, span.end_col - span.col) if span and span.end_line == span.line else 1,
            "keep the new collection, e.g. `list := list add: x`", severity="warning"))

    def static_collection(self, node: Any, values: dict) -> bool:
        if is_collection_expr(node):
            return True
        if isinstance(node, ast.Name):
            key = ("var", node.name)
        elif isinstance(node, ast.FieldRef):
            key = ("field", node.name)
        else:
            return False
        assigned = values.get(key)
        return bool(assigned) and all(keeps_collection(v, key) for v in assigned)


def keeps_collection(value: Any, key: tuple[str, str]) -> bool:
    """A collection expression, or `x := x add: e` (a modifier on the same collection)."""
    if value is None:
        return False
    if is_collection_expr(value):
        return True
    if not (isinstance(value, ast.Send) and value.selector in MODIFIERS):
        return False
    receiver = value.receiver
    same = (isinstance(receiver, ast.Name) and key == ("var", receiver.name)) or (
        isinstance(receiver, ast.FieldRef) and key == ("field", receiver.name))
    return same or is_collection_expr(receiver)


def dropped_results(module: ast.Module, filename: str) -> list[Diagnostic]:
    """Warnings for every dropped answer of a collection modifier in a file."""
    return DroppedResults(filename).module(module)
