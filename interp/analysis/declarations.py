"""Definition compile errors, checked statically against a ClassTable (LANGUAGE.md 2.5, 2.6).

`check_class` finds the first error of a class definition in the order the runtime
meets them when it defines the class (header, then fields and class state with their
defaults, then methods), resolving every default and method; `check_define_method`
does the same for a top-level `Cls >> pattern => body`.  Both add what they define to
the table, so later statements of a file see it.
"""

from __future__ import annotations

from beamtalk.interp.syntax import ast

from .classtable import ClassInfo, ClassTable, class_kind, info_from_definition
from .resolve import ClassView, Resolution, is_primitive_body, resolve_default, resolve_method
from .scopes import CompileError, node_error


def definition_error(filename: str, node: object, message: str,
                     hint: str | None = None) -> CompileError:
    """A definition error: points at the first character of the node."""
    return node_error(filename, node, message, hint, underline=False)


def class_view(table: ClassTable, name: str) -> ClassView:
    """What the methods of class `name` see of it."""
    info = table.get(name)
    return ClassView(name, info.kind if info else "value", frozenset(table.field_names(name)),
                     frozenset(table.class_state_names(name)))


def check_class(node: ast.ClassDef, table: ClassTable, filename: str,
                into: Resolution | None = None, stdlib: bool = False) -> Resolution:
    """Check and resolve a class definition, then add the class to `table`.

    `stdlib`: a declaration of stdlib/ (LANGUAGE.md 5), where `@primitive` bodies are allowed,
    Object has no superclass and built-in classes may override sealed methods of built-in
    classes (Actor's `=`); the runtime loads those unchecked, a test checks them.
    """
    out = into if into is not None else Resolution()
    superclass: ClassInfo | None = None
    if node.superclass == "nil" and not (stdlib and node.name == "Object"):
        raise definition_error(filename, node, "only Object has no superclass")
    superclass = table.get(node.superclass)
    if superclass is None and node.superclass != "nil":
        raise definition_error(filename, node, f"unknown superclass `{node.superclass}`",
                               "define the superclass first")
    if superclass is not None and superclass.modifier == "sealed":
        raise definition_error(filename, node, f"{superclass.name} is sealed",
                               "sealed classes cannot be subclassed")
    existing = table.get(node.name)
    kind = class_kind(superclass)
    if existing is not None:
        if existing.builtin:
            raise definition_error(filename, node, f"{node.name} is a built-in class",
                                   "built-in classes cannot be redefined; add methods with `>>`")
        if existing.kind != kind:
            raise definition_error(filename, node,
                                   f"{node.name} cannot change between value and actor class")
    inherited = set(table.field_names(superclass.name)) if superclass is not None else set()
    seen: dict[bool, set[str]] = {False: set(), True: set()}
    for member in node.members:
        if isinstance(member, ast.StateDecl):
            for decl in member.fields:
                if decl.name in seen[member.class_side]:
                    raise definition_error(filename, decl, f"`{decl.name}` is declared twice")
                if not member.class_side and decl.name in inherited:
                    raise definition_error(filename, decl,
                                           f"`{decl.name}` repeats an inherited field")
                seen[member.class_side].add(decl.name)
                if decl.default is not None:
                    resolve_default(decl.default, filename, out)
    draft = table.copy()  # methods see the class's own fields; the table changes only if valid
    draft.define(info_from_definition(node, superclass, builtin=stdlib))
    view = class_view(draft, node.name)
    seen_methods: set[tuple[bool, str]] = set()
    for member in node.members:
        if isinstance(member, ast.MethodDef):
            key = (member.class_side, member.selector)
            if key in seen_methods:
                raise definition_error(filename, member,
                                       f"method `{member.selector}` is defined twice")
            seen_methods.add(key)
            if not stdlib:  # sealed binds user code; built-in classes refine their own
                check_not_sealed(draft, node.name, member, filename)
            if is_primitive_body(member) and not stdlib:
                raise definition_error(filename, member, "`@primitive` is only allowed in the "
                                       "standard library")
            resolve_method(member, view, member.class_side, filename, out)
    table.define(draft.infos[node.name])
    return out


def check_not_sealed(table: ClassTable, name: str, member: ast.MethodDef,
                     filename: str) -> None:
    """Overriding a sealed method is a compile error."""
    sealed = table.find_sealed(name, member.class_side, member.selector)
    if sealed is not None:
        raise definition_error(filename, member,
                               f"`{member.selector}` is sealed in {sealed}",
                               "sealed methods cannot be overridden")


# The class to name instead of a literal before `>>` (the hint of check_define_target).
LITERAL_CLASSES = {"nil": "UndefinedObject", "true": "True", "false": "False"}


def check_define_target(node: ast.DefineMethod, filename: str) -> None:
    """The target of `Cls >> pattern => body` names a class (LANGUAGE.md 2.6): a reserved word
    or a variable there is a compile error (an unknown class name is UndefinedGlobal)."""
    name = node.class_name
    if name[:1].isupper():
        return
    cls = LITERAL_CLASSES.get(name, "ClassName")
    raise definition_error(filename, node,
                           f"`{name}` is not a class name: `>>` adds a method to a class",
                           f"write the class's name: `{cls} >> pattern => body`")


def check_define_method(node: ast.DefineMethod, table: ClassTable, filename: str,
                        into: Resolution | None = None) -> Resolution | None:
    """Check and resolve `Cls >> pattern => body`; None when `Cls` is not (yet) defined.

    An unknown class is a run-time error (UndefinedGlobal), not a compile error.
    """
    check_define_target(node, filename)
    info = table.get(node.class_name)
    if info is None:
        return None
    method = node.method
    side = method.class_side
    found = table.lookup(info.name, side, method.selector)
    if info.builtin and found is not None and found[1].builtin:
        owner = info.name + (" class" if side else "")  # the class it is added to
        raise definition_error(filename, method,
                               f"{owner} already defines `{method.selector}`",
                               "built-in selectors cannot be replaced; choose a new selector")
    check_not_sealed(table, info.name, method, filename)
    if is_primitive_body(method):
        raise definition_error(filename, method, "`@primitive` is only allowed in the "
                               "standard library")
    out = resolve_method(method, class_view(table, info.name), side, filename, into)
    table.add_method(info.name, side, method.selector, method.sealed)
    return out
