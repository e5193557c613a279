"""The resolver: decides once what every name and block means (LANGUAGE.md 2.3-2.5).

In the manner of Crafting Interpreters' Resolver, one walk over a *unit* (a top-level
statement, a method, or a field default) between parsing and code generation.  It
raises every scope and mutation compile error (`CompileError`, the first one of the
unit, as the compiler always has) and records its answers in a side table keyed by
node identity, so that a code generator asks about a node in O(1):

    res = resolve_method(method_node, ClassView(...), class_side=False, filename="f.bt")
    res.ref(name_node)     # a Name, FieldRef, or Assign (or its target)  -> Ref
    res.block(block_node)  # an ast.Block                                -> BlockInfo
    res.frame              # the unit's FrameShape: its variables in slot order

A `Ref` says what a name is: `kind` is one of

    "local"     a parameter, temporary, or variable of the current frame (`ref.variable`)
    "captured"  a value a stored block copied when it was created (`ref.capture`)
    "toplevel"  a top-level (workspace) variable, read from the session by name
    "global"    a capitalized name: a class, looked up by name at run time
    "field"     `self.x` on the instance side
    "classvar"  `self.x` in a class-side method: class state
    "self"      `self`;  "super": `super` receiving a message;  "pseudo": `nil`, `true`, `false`

and, for an assignment, `declares` is true when it is the assignment that declares the
variable (a variable's first assignment in its method, block, or statement).

A *frame* is one run-time activation: a method, a stored block, a top-level statement,
or a field default.  Literal blocks of control messages (`CONTROL_SELECTORS`) do not
get one: their parameters and temporaries are variables of the enclosing frame, and a
variable first assigned inside them belongs to the enclosing frame too.  Every other
block is *stored*: it gets its own frame and *captures* the values of the outer
variables and fields it reads when it is created (`BlockInfo.captures`, in first-read
order; each capture's `source` is what the name means where the block is created).
A control block that assigns a variable or field declared outside it is *mutating*
(only built-in receivers may take it); a stored block may not assign outside itself.

Slots: every Variable and Capture of a frame has a distinct `index` (0 .. frame.size-1);
method parameters come first, in order.  A control block's `params`/`temps` are slots
of the enclosing frame (temporaries start as nil on each run of the block).

Using it from a live session: `resolve_statement(stmt, filename, rt.workspace)`, and for
a method of a runtime class `resolve_method(node, ClassView(cls.name, cls.kind,
frozenset(cls.all_field_names()), frozenset(<class-state names up the chain>)), ...)`.
The Resolution keeps the resolved roots alive, so the node ids it is keyed by stay valid.

For a file, `source_file.resolve_file` resolves every statement and definition
(`declarations` checks class and `>>` definitions against a static `ClassTable`), and
`resolved_form` prints the table (docs/syntax-trees.md).

Names are resolved in evaluation order (receiver, then arguments; an assignment's
value, then its target), so `(x := true) ifTrue: [x]` reads the `x` assigned before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from beamtalk.interp.syntax import ast

from .scopes import CONTROL_SELECTORS, RESERVED, CompileError, node_error


@dataclass(eq=False, slots=True)
class Variable:
    """A parameter, temporary or assigned variable of one frame."""

    name: str
    kind: str  # "param", "temp" or "var" (declared by its first assignment)
    index: int  # its slot in the frame, in declaration order


@dataclass(eq=False, slots=True)
class Capture:
    """A value a stored block copies from where it is created (`key` is `x` or `self.x`)."""

    key: str
    source: Ref  # what the name means in the enclosing frame
    index: int  # the block frame's slot holding the copy

    @property
    def depth(self) -> int:
        """How many stored blocks out the original variable or field lives (1 = just out)."""
        return 1 + (self.source.capture.depth if self.source.capture is not None else 0)


@dataclass(slots=True, unsafe_hash=True)  # immutable; not `frozen`, which is slow to build
class Ref:
    """What one Name, FieldRef or assignment target means (see the module docstring)."""

    kind: str
    name: str
    variable: Variable | None = None
    capture: Capture | None = None
    declares: bool = False


@dataclass(eq=False, slots=True)
class FrameShape:
    """One run-time activation's variables (slots) and, for stored blocks, captures."""

    kind: str  # "method", "block", "top" or "default"
    variables: list[Variable] = field(default_factory=list)
    captures: list[Capture] = field(default_factory=list)
    capture_keys: dict[str, Capture] = field(default_factory=dict)
    parent: NameScope | None = None  # where a stored block is written

    @property
    def size(self) -> int:
        """How many slots an activation needs (variables and captures)."""
        return len(self.variables) + len(self.captures)

    def new_variable(self, name: str, kind: str) -> Variable:
        variable = Variable(name, kind, self.size)
        self.variables.append(variable)
        return variable


@dataclass(eq=False, slots=True)
class BlockInfo:
    """What a block literal is: control (shares the frame) or stored (own frame)."""

    kind: str  # "control" or "stored"
    params: list[Variable] = field(default_factory=list)
    temps: list[Variable] = field(default_factory=list)
    frame: FrameShape | None = None  # stored blocks only
    mutating: bool = False  # a control block assigning a variable or field declared outside
    returns: bool = False  # a `^` somewhere inside (so it may return non-locally)

    @property
    def captures(self) -> list[Capture]:
        """The values a stored block copies when created (none for control blocks)."""
        return self.frame.captures if self.frame is not None else []


@dataclass(eq=False, slots=True)
class NameScope:
    """The names one method, block or statement declares (a chain within a frame)."""

    frame: FrameShape
    parent: NameScope | None = None  # the enclosing scope in the same frame (control blocks)
    names: dict[str, Variable] = field(default_factory=dict)
    block: BlockInfo | None = None  # the control block this scope is, if any

    def root(self) -> NameScope:
        """The frame's outermost scope (where assigned variables are declared)."""
        scope = self
        while scope.parent is not None:
            scope = scope.parent
        return scope


@dataclass(frozen=True, slots=True)
class ClassView:
    """What a method sees of its class: kind, instance fields and class-state names."""

    name: str
    kind: str = "value"  # "value" or "actor"
    fields: frozenset[str] = frozenset()  # all instance fields, inherited included
    class_state: frozenset[str] = frozenset()  # all class-state names up the chain


class Resolution:
    """The resolver's answers for one or more units, keyed by node identity."""

    def __init__(self) -> None:
        self.refs: dict[int, Ref] = {}
        self.blocks: dict[int, BlockInfo] = {}
        self.frames: dict[int, FrameShape] = {}  # unit node -> its frame
        self.keep: list[Any] = []  # the resolved roots: keeps node ids valid
        self.frame: FrameShape | None = None  # the last unit's frame
        self.toplevel_assigned: list[str] = []  # top-level names the last statement assigns

    def ref(self, node: Any) -> Ref:
        """What a Name, FieldRef, Assign, or an Assign's target means."""
        return self.refs[id(node)]

    def block(self, node: ast.Block) -> BlockInfo:
        """What a block literal is."""
        return self.blocks[id(node)]

    def frame_of(self, unit: Any) -> FrameShape:
        """The frame of a resolved statement, method or field default."""
        return self.frames[id(unit)]


class UnitResolver:
    """Walks one unit; see the module docstring."""

    def __init__(self, filename: str, out: Resolution, cls: ClassView | None = None,
                 class_side: bool = False, toplevel: Iterable[str] | None = None):
        self.filename = filename
        self.out = out
        self.cls = cls
        self.class_side = class_side
        self.toplevel = toplevel  # names the session already has (None: not at top level)
        self.assigned: dict[str, None] = {}  # top-level names assigned so far, in order
        self.returns = 0  # `^` seen so far (a block returns if the count grows inside it)

    def error(self, node: Any, message: str, hint: str | None = None) -> CompileError:
        return node_error(self.filename, node, message, hint)

    # ---------------------------------------------------------------- units

    def method(self, node: ast.MethodDef) -> FrameShape:
        frame = FrameShape("method")
        scope = NameScope(frame)
        for p in node.params:
            if p in RESERVED or p[0].isupper():
                raise self.error(node, f"`{p}` cannot be a parameter name")
            if p in scope.names:
                raise self.error(node, f"parameter `{p}` is declared twice")
            scope.names[p] = frame.new_variable(p, "param")
        for t in node.temps:
            if t in node.params:
                raise self.error(node, f"temporary `{t}` shadows a parameter",
                                 "rename the temporary")
            scope.names[t] = frame.new_variable(t, "temp")
        # `@primitive` first: the backend's function, or else the Beamtalk fallback below it
        self.body(node.body[1:] if is_primitive_body(node) else node.body, scope)
        return frame

    def top(self, stmt: Any) -> FrameShape:
        frame = FrameShape("top")
        if isinstance(stmt, ast.Primitive):
            raise self.error(stmt, "`@primitive` is only allowed in the standard library")
        if isinstance(stmt, ast.Temporaries):
            for name in stmt.names:
                self.assigned.setdefault(name)
            return frame
        if isinstance(stmt, (ast.ClassDef, ast.DefineMethod)):
            raise TypeError("definitions are checked by interp.analysis.declarations")
        self.statement(stmt, NameScope(frame))
        return frame

    def default(self, expr: Any) -> FrameShape:
        frame = FrameShape("default")
        self.expr(expr, NameScope(frame))
        return frame

    # ---------------------------------------------------------------- statements

    def body(self, stmts: Iterable[Any], scope: NameScope) -> None:
        for stmt in stmts:
            self.statement(stmt, scope)

    def statement(self, node: Any, scope: NameScope) -> None:
        if isinstance(node, ast.Return):
            self.returns += 1
            self.expr(node.value, scope)
        elif isinstance(node, (ast.ClassDef, ast.DefineMethod, ast.Temporaries)):
            raise self.error(node, "definitions belong at the top level")
        elif isinstance(node, ast.Primitive):
            raise self.error(node, "`@primitive` is only allowed as a whole method body"
                             " in the standard library")
        else:
            self.expr(node, scope)

    # ---------------------------------------------------------------- expressions

    def expr(self, node: Any, scope: NameScope) -> None:
        handler = EXPRESSIONS.get(type(node))
        if handler is not None:
            handler(self, node, scope)

    def symbol(self, node: ast.SymbolLit, scope: NameScope) -> None:
        if node.value in ("true", "false", "nil"):
            raise self.error(node, f"`#{node.value}` is not a symbol", f"use `{node.value}`")
        if node.value.startswith("$"):
            raise self.error(node, "symbols starting with `$` are reserved to the runtime")

    def interpolated(self, node: ast.InterpolatedString, scope: NameScope) -> None:
        for part in node.parts:
            if not isinstance(part, str):
                self.expr(part, scope)

    def elements(self, node: ast.ListLit | ast.TupleLit, scope: NameScope) -> None:
        for element in node.elements:
            self.expr(element, scope)

    def dict_lit(self, node: ast.DictLit, scope: NameScope) -> None:
        for key, value in node.entries:
            self.expr(key, scope)
            self.expr(value, scope)

    def super_receiver(self, receiver: ast.Node) -> bool:
        """Resolve a `super` receiver (an error outside a method); False for any other."""
        if not (isinstance(receiver, ast.Name) and receiver.name == "super"):
            return False
        if self.cls is None:
            raise self.error(receiver, "`super` outside a method")
        self.out.refs[id(receiver)] = Ref("super", "super")
        return True

    def send(self, node: ast.Send, scope: NameScope) -> None:
        control = node.selector in CONTROL_SELECTORS
        if not self.super_receiver(node.receiver):
            self.argument(node.receiver, scope, control)
        for arg in node.args:
            self.argument(arg, scope, control)

    def cascade(self, node: ast.Cascade, scope: NameScope) -> None:
        receiver = node.receiver
        # to `super`, every message of the cascade is a super send (as in Smalltalk)
        if not self.super_receiver(receiver):
            control = any(m.selector in CONTROL_SELECTORS for m in node.messages)
            self.argument(receiver, scope, control)
        for message in node.messages:
            control = message.selector in CONTROL_SELECTORS
            for arg in message.args:
                self.argument(arg, scope, control)

    def instantiation(self, node: ast.Instantiation, scope: NameScope) -> None:
        self.expr(node.receiver, scope)
        control = node.selector in CONTROL_SELECTORS
        for arg in node.args:
            self.argument(arg, scope, control)

    def argument(self, node: Any, scope: NameScope, control: bool) -> None:
        if control and isinstance(node, ast.Block):
            self.block(node, scope, stored=False)
        else:
            self.expr(node, scope)

    # ---------------------------------------------------------------- names

    def name(self, node: ast.Name, scope: NameScope) -> None:
        name = node.name
        if name == "self":
            ref = Ref("self", name)
        elif name in ("nil", "true", "false"):
            ref = Ref("pseudo", name)
        elif name == "super":
            raise self.error(node, "`super` can only receive a message", "write `super foo`")
        elif name == "thisContext":
            raise self.error(node, "`thisContext` is not supported")
        elif name[0].isupper():
            ref = Ref("global", name)
        else:
            ref = self.lookup(scope, name, node)
        self.out.refs[id(node)] = ref

    def lookup(self, scope: NameScope, name: str, node: Any) -> Ref:
        """What reading `name` in this scope means (capturing it into stored blocks)."""
        found = find_local(scope, name)
        if found is not None:
            return Ref("local", name, variable=found[1])
        frame = scope.frame
        if frame.kind == "block":
            return self.capture(frame, name, lambda outer: self.lookup(outer, name, node))
        if frame.kind == "top" and self.is_toplevel(name):
            return Ref("toplevel", name)
        raise self.error(node, f"undefined variable '{name}'",
                         f"assign `{name}` before reading it")

    def is_toplevel(self, name: str) -> bool:
        return self.toplevel is not None and (name in self.toplevel or name in self.assigned)

    def capture(self, frame: FrameShape, key: str, outer: Callable[[NameScope], Ref]) -> Ref:
        """The stored block's copy of an outer value, made on first use."""
        capture = frame.capture_keys.get(key)
        if capture is None:
            assert frame.parent is not None
            source = outer(frame.parent)
            capture = Capture(key, source, frame.size)
            frame.captures.append(capture)
            frame.capture_keys[key] = capture
        name = key[5:] if key.startswith("self.") else key
        return Ref("captured", name, capture=capture)

    def visible_outside(self, frame: FrameShape, name: str) -> bool:
        """Is `name` a variable of some frame enclosing this stored block?"""
        scope = frame.parent
        while scope is not None:
            if find_local(scope, name) is not None:
                return True
            if scope.frame.kind == "top" and self.is_toplevel(name):
                return True
            scope = scope.frame.parent
        return False

    def assign(self, node: ast.Assign, scope: NameScope) -> None:
        self.expr(node.value, scope)
        target = node.target
        if isinstance(target, ast.FieldRef):
            ref = self.field_write(target, scope)
        else:
            ref = self.assign_name(target, scope)
        self.out.refs[id(node)] = ref
        self.out.refs[id(target)] = ref

    def assign_name(self, target: ast.Name, scope: NameScope) -> Ref:
        name = target.name
        if name in RESERVED:
            raise self.error(target, f"cannot assign to `{name}`")
        if name[0].isupper():
            raise self.error(target, f"cannot assign to the global `{name}`",
                             "variables start with a lowercase letter")
        found = find_local(scope, name)
        if found is not None:
            owner, variable = found
            if variable.kind == "param":
                raise self.error(target, f"cannot assign to the parameter `{name}`",
                                 "use a temporary: `| t | t := ...`")
            mark_mutating(scope, owner)
            return Ref("local", name, variable=variable)
        frame = scope.frame
        if frame.kind == "block" and self.visible_outside(frame, name):
            raise self.error(
                target, f"a stored block cannot assign the outer variable '{name}'",
                "use a method, or a control message such as do: or inject:into:")
        if frame.kind == "top":
            declares = not self.is_toplevel(name)
            self.assigned.setdefault(name)
            mark_mutating(scope, None)
            return Ref("toplevel", name, declares=declares)
        root = scope.root()
        variable = root.names[name] = frame.new_variable(name, "var")
        mark_mutating(scope, root)
        return Ref("local", name, variable=variable, declares=True)

    # ---------------------------------------------------------------- fields

    def check_field(self, node: Any, name: str) -> None:
        cls = self.cls
        if cls is None:
            raise self.error(node, f"`self.{name}` outside a method",
                             "fields exist only inside methods")
        names = cls.class_state if self.class_side else cls.fields
        if name not in names:
            where = "class variable" if self.class_side else "field"
            hint = None
            if not self.class_side and name in cls.class_state:
                hint = "class state is read in class-side methods; send a class-side message"
            raise self.error(node, f"{cls.name} has no {where} `{name}`", hint)

    def field_ref(self, name: str) -> Ref:
        return Ref("classvar" if self.class_side else "field", name)

    def field_read(self, node: ast.FieldRef, scope: NameScope) -> None:
        self.check_field(node, node.name)
        self.out.refs[id(node)] = self.field_lookup(scope, node.name)

    def field_lookup(self, scope: NameScope, name: str) -> Ref:
        frame = scope.frame
        if frame.kind == "block":
            return self.capture(frame, "self." + name,
                                lambda outer: self.field_lookup(outer, name))
        return self.field_ref(name)

    def field_write(self, target: ast.FieldRef, scope: NameScope) -> Ref:
        name = target.name
        self.check_field(target, name)
        if scope.frame.kind == "block":
            raise self.error(target, f"a stored block cannot assign the field `self.{name}`",
                             "use a method, or a control message such as do: or inject:into:")
        assert self.cls is not None
        if not self.class_side and self.cls.kind == "value":
            raise self.error(target, f"{self.cls.name} instances are immutable",
                             f"answer a copy: `self withX: v` or `{self.cls.name} new: ...`")
        mark_mutating(scope, None)
        return self.field_ref(name)

    # ---------------------------------------------------------------- blocks

    def stored_block(self, node: ast.Block, scope: NameScope) -> None:
        self.block(node, scope, stored=True)

    def block(self, node: ast.Block, scope: NameScope, stored: bool) -> None:
        if stored:
            frame = FrameShape("block", parent=scope)
            info = BlockInfo("stored", frame=frame)
            inner = NameScope(frame)
        else:
            frame = scope.frame
            info = BlockInfo("control")
            inner = NameScope(frame, parent=scope, block=info)
        self.out.blocks[id(node)] = info
        for p in node.params:
            if p in RESERVED or p[0].isupper():
                raise self.error(node, f"`{p}` cannot be a block parameter name")
            if p in inner.names:
                raise self.error(node, f"block parameter `{p}` is declared twice")
            variable = inner.names[p] = frame.new_variable(p, "param")
            info.params.append(variable)
        for t in node.temps:
            if t in node.params:
                raise self.error(node, f"temporary `{t}` shadows a parameter",
                                 "rename the temporary")
            variable = inner.names[t] = frame.new_variable(t, "temp")
            info.temps.append(variable)
        returns_before = self.returns
        self.body(node.body, inner)
        info.returns = self.returns > returns_before


def find_local(scope: NameScope, name: str) -> tuple[NameScope, Variable] | None:
    """The variable `name` of this frame visible from `scope`, with its declaring scope."""
    s: NameScope | None = scope
    while s is not None:
        variable = s.names.get(name)
        if variable is not None:
            return s, variable
        s = s.parent
    return None


def mark_mutating(scope: NameScope, owner: NameScope | None) -> None:
    """Control blocks between an assignment and its variable's scope become mutating."""
    s: NameScope | None = scope
    while s is not None and s is not owner:
        if s.block is not None:
            s.block.mutating = True
        s = s.parent


def is_primitive_body(node: ast.MethodDef) -> bool:
    """Does the body start with `@primitive` (alone, or above a Beamtalk fallback body)?"""
    return bool(node.body) and isinstance(node.body[0], ast.Primitive)


def nothing(resolver: UnitResolver, node: Any, scope: NameScope) -> None:
    """Literals other than symbols mention no names."""


EXPRESSIONS: dict[type, Callable[[UnitResolver, Any, NameScope], None]] = {
    ast.IntegerLit: nothing, ast.FloatLit: nothing, ast.StringLit: nothing,
    ast.CharLit: nothing, ast.SymbolLit: UnitResolver.symbol,
    ast.InterpolatedString: UnitResolver.interpolated, ast.ListLit: UnitResolver.elements,
    ast.TupleLit: UnitResolver.elements, ast.DictLit: UnitResolver.dict_lit,
    ast.Name: UnitResolver.name, ast.FieldRef: UnitResolver.field_read,
    ast.Assign: UnitResolver.assign, ast.Send: UnitResolver.send,
    ast.Cascade: UnitResolver.cascade, ast.Block: UnitResolver.stored_block,
    ast.Instantiation: UnitResolver.instantiation,
}


# ---------------------------------------------------------------- entry points


def resolve_statement(stmt: Any, filename: str, toplevel: Iterable[str] = (),
                      into: Resolution | None = None) -> Resolution:
    """Resolve a top-level statement; `toplevel` holds the session's variable names.

    Class definitions and `>>` are checked by `declarations`, not here.  After it,
    `toplevel_assigned` lists the top-level variables the statement assigns.
    """
    out = into if into is not None else Resolution()
    names = toplevel if isinstance(toplevel, (set, frozenset, dict)) else set(toplevel)
    resolver = UnitResolver(filename, out, toplevel=names)
    out.keep.append(stmt)
    frame = resolver.top(stmt)
    out.frames[id(stmt)] = out.frame = frame
    out.toplevel_assigned = list(resolver.assigned)
    return out


def resolve_method(node: ast.MethodDef, cls: ClassView, class_side: bool, filename: str,
                   into: Resolution | None = None) -> Resolution:
    """Resolve a method of `cls` (class side when `class_side`)."""
    out = into if into is not None else Resolution()
    resolver = UnitResolver(filename, out, cls, class_side)
    out.keep.append(node)
    frame = resolver.method(node)
    out.frames[id(node)] = out.frame = frame
    return out


def resolve_default(expr: Any, filename: str, into: Resolution | None = None) -> Resolution:
    """Resolve a field default (evaluated at instantiation, without `self`)."""
    out = into if into is not None else Resolution()
    resolver = UnitResolver(filename, out)
    out.keep.append(expr)
    frame = resolver.default(expr)
    out.frames[id(expr)] = out.frame = frame
    return out
