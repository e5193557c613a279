"""Class definitions and live method definitions (LANGUAGE.md 2.5, 2.6, 6).

A definition is compiled completely before anything changes, so a definition with a
compile error leaves the runtime as it was.  Which definitions are errors is decided in
one place, interp/analysis/declarations.py (what `beamtalk check` runs), against a
ClassTable built from the live classes; the standard library's declarations are trusted.
Redefining a class updates the existing class object in place: references and running
code see the new definition, methods added since with `>>` are dropped, and class state
keeps its values.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from beamtalk.interp.analysis.classtable import ClassInfo, ClassTable, MethodFlags
from beamtalk.interp.analysis.declarations import (
    check_class,
    check_define_method,
    check_define_target,
)
from beamtalk.interp.analysis.resolve import is_primitive_body
from beamtalk.interp.analysis.scopes import CompileError
from beamtalk.interp.syntax import ast
from beamtalk.interp.syntax.diagnostics import Diagnostic

from .objects import Behavior, BtClass, FieldSpec, Method
from .pyclasses import sync_pyclass


def compile_error(filename: str, node: Any, message: str, hint: str | None = None):
    span = getattr(node, "span", None)
    line, col = (span.line, span.col) if span else (0, 0)
    return CompileError(Diagnostic(message, filename, line, col, 1, hint))


def class_table(rt: Any) -> ClassTable:
    """The live classes as the analysis layer sees them (for its definition checks)."""

    def flags(methods: dict[str, Method]) -> dict[str, MethodFlags]:
        return {name: MethodFlags(m.sealed, m.builtin) for name, m in methods.items()}

    return ClassTable({
        name: ClassInfo(name, cls.superclass.name if cls.superclass else None, cls.kind,
                        cls.modifier, cls.builtin, tuple(f.name for f in cls.fields),
                        tuple(f.name for f in cls.class_fields), flags(cls.methods),
                        flags(cls.meta.methods))
        for name, cls in sorted(rt.classes.items())})


def define_class(rt: Any, node: ast.ClassDef, filename: str, builtin: bool = False,
                 primitives: dict[str, Any] | None = None) -> BtClass:
    """Create or redefine a class from its definition; answer the class."""
    if not builtin:
        check_class(node, class_table(rt), filename)
    superclass = None if node.superclass == "nil" else rt.classes[node.superclass]
    existing = rt.classes.get(node.name)
    kind = "actor" if superclass is not None and (
        superclass.kind == "actor" or superclass.name == "Actor") else "value"
    draft = BtClass.__new__(BtClass)
    BtClass.__init__(draft, node.name, None, kind, builtin)
    draft.superclass = superclass
    draft.modifier = node.modifier
    draft.doc = node.doc
    draft.meta.root = rt.class_root
    if existing is not None:
        draft.class_values = existing.class_values
    fill_members(rt, draft, node, filename, primitives)

    cls = existing if existing is not None else draft
    if existing is not None:
        adopt(existing, draft)
    else:
        if superclass is not None:
            superclass.subclasses.append(cls)
        rt.register(cls)
        rt.register(cls.meta)
    sync_pyclass(rt, cls)
    for spec in cls.class_fields:
        if spec.name not in cls.class_values:
            evaluate = spec.default is not None and rt.evaluate_class_state
            cls.class_values[spec.name] = spec.default() if evaluate else None
    rt.classes[node.name] = cls
    rt.methods_changed()
    return cls


def adopt(existing: BtClass, draft: BtClass) -> None:
    """Move a compiled draft's definition into the existing class object."""
    if existing.superclass is not draft.superclass:
        if existing.superclass is not None and existing in existing.superclass.subclasses:
            existing.superclass.subclasses.remove(existing)
        if draft.superclass is not None:
            draft.superclass.subclasses.append(existing)
    existing.version = getattr(existing, "version", 0) + 1  # live actors migrate fields
    existing.superclass = draft.superclass
    existing.modifier = draft.modifier
    existing.doc = draft.doc
    existing.fields = draft.fields
    existing.class_fields = draft.class_fields
    existing.methods = draft.methods
    existing.meta.methods = draft.meta.methods
    for method in existing.methods.values():
        method.owner = existing
    for method in existing.meta.methods.values():
        method.owner = existing.meta


def fill_members(rt: Any, cls: BtClass, node: ast.ClassDef, filename: str,
                 primitives: dict[str, Any] | None) -> None:
    """Compile the fields, class state and methods of a definition into `cls`."""
    compiler = rt.compiler
    for member in node.members:
        if isinstance(member, ast.StateDecl):
            for decl in member.fields:
                default = compiler.compile_default(decl.default, filename) \
                    if decl.default is not None else None
                spec = FieldSpec(decl.name, default)
                (cls.class_fields if member.class_side else cls.fields).append(spec)
    for member in node.members:
        if isinstance(member, ast.MethodDef):
            owner = cls.meta if member.class_side else cls
            primitive = primitive_for(cls, member, primitives, filename)
            if primitive is None and is_primitive_body(member):
                member = dataclasses.replace(member, body=member.body[1:])  # run the fallback
            method = compiler.compile_method(owner, cls, member, filename, primitive)
            method.builtin = cls.builtin
            owner.methods[member.selector] = method


def primitive_for(cls: BtClass, member: ast.MethodDef, primitives: dict[str, Any] | None,
                  filename: str):
    """The backend function for an `@primitive` body (stdlib only); None: not a primitive,
    or one this backend lacks whose Beamtalk fallback body is to run instead."""
    body = member.body
    if not is_primitive_body(member):
        return None
    if primitives is None:
        raise compile_error(filename, member, "`@primitive` is only allowed in the standard "
                            "library")
    name = body[0].name or member.selector
    table = primitives.get(cls.name + (" class" if member.class_side else ""), {})
    fn = table.get(name)
    if fn is None and len(body) == 1:
        raise compile_error(filename, member,
                            f"no interpreter primitive `{name}` for {cls.name}"
                            f"{' class' if member.class_side else ''}")
    return fn


def define_method(rt: Any, node: ast.DefineMethod, filename: str) -> Method:
    """`Cls >> pattern => body` at top level: add or replace one method."""
    check_define_target(node, filename)  # `nil >> ...` is a compile error, not UndefinedGlobal
    cls = rt.classes.get(node.class_name)
    if cls is None:
        raise rt.error_from("undefined_global", name=node.class_name)
    check_define_method(node, class_table(rt), filename)
    method_node = node.method
    owner: Behavior = cls.meta if method_node.class_side else cls
    method = rt.compiler.compile_method(owner, cls, method_node, filename)
    # A new dictionary, not an update: running actor messages keep the table they began with.
    owner.methods = {**owner.methods, method_node.selector: method}
    if owner is cls:
        sync_pyclass(rt, cls)
    rt.methods_changed()
    return method
