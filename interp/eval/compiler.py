"""AST to Python closures: each node becomes a function of the current frame.

Statements answer their value, or RETURNED after `^` stored the method's answer in
`frame.retval` (a cheap flag instead of an exception on the common path).  A `^` buried
inside an expression, or inside a block run by another method, raises NonLocalReturn
to the home activation instead.  Literal blocks of the control messages that every
Boolean and Integer answers (`ifTrue:`, `whileTrue:`, `to:do:` ...) are compiled inline,
with a real send as the fallback when the receiver is not a Boolean/Integer.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from beamtalk.interp.analysis.scopes import (
    CONTROL_SELECTORS,
    RESERVED,
    Layout,
    Resolver,
    Scope,
)
from beamtalk.interp.runtime.errors import NonLocalReturn
from beamtalk.interp.runtime.futures import Future, await_future
from beamtalk.interp.runtime.objects import Behavior, Block, BtClass, Instance, Method
from beamtalk.interp.runtime.primitives.support import kind_name
from beamtalk.interp.runtime.values import BtDict, BtList, BtTuple, Character, Symbol
from beamtalk.interp.syntax import ast

RETURNED = object()
Code = Callable[["Frame"], Any]


class Frame:
    """One activation: local slots, the receiver, and the home activation for `^`."""

    __slots__ = ("vars", "receiver", "home", "active", "retval")

    def __init__(self, vars: list, receiver: Any, home: Frame | None = None):
        self.vars = vars
        self.receiver = receiver
        self.home = home if home is not None else self
        self.active = True
        self.retval = None


class Context:
    """Where code is being compiled: scope, class, side, and what `self`/fields mean."""

    def __init__(self, resolver: Resolver, scope: Scope, cls: BtClass | None = None,
                 class_side: bool = False):
        self.resolver = resolver
        self.scope = scope
        self.cls = cls
        self.class_side = class_side

    def inner(self, scope: Scope) -> Context:
        return Context(self.resolver, scope, self.cls, self.class_side)


class CompiledBlock:
    """A literal block compiled once; used inline or turned into Block objects."""

    def __init__(self, params: list[int], temps: list[int], body: Code, stored: bool,
                 layout: Layout | None, mutating: bool, has_return: bool):
        self.params = params
        self.temps = temps
        self.body = body
        self.stored = stored
        self.layout = layout
        self.mutating = mutating
        self.has_return = has_return


def contains_return(node: Any, memo: dict[int, tuple[Any, bool]] | None = None) -> bool:
    """Does a `^` appear anywhere inside this node?

    `memo` (id -> (node, answer)) makes repeated questions about nested blocks linear.
    """
    if isinstance(node, ast.Return):
        return True
    if isinstance(node, (list, tuple)):
        return any(contains_return(n, memo) for n in node)
    if hasattr(node, "__dataclass_fields__"):
        if memo is not None and id(node) in memo:
            return memo[id(node)][1]
        found = any(contains_return(getattr(node, name), memo)
                    for name in node.__dataclass_fields__ if name != "span")
        if memo is not None:
            memo[id(node)] = (node, found)  # holding the node keeps its id unique
        return found
    return False


class Compiler:
    """Compiles statements, methods and field defaults for one runtime."""

    def __init__(self, rt: Any):
        self.rt = rt
        self.expr_table: dict[type, Callable[[Any, Context], Code]] = {
            ast.IntegerLit: self.literal, ast.FloatLit: self.literal,
            ast.StringLit: self.literal, ast.CharLit: self.char,
            ast.SymbolLit: self.symbol, ast.InterpolatedString: self.interpolated,
            ast.ListLit: self.list_lit, ast.TupleLit: self.tuple_lit, ast.DictLit: self.dict_lit,
            ast.Name: self.name, ast.FieldRef: self.field_read, ast.Assign: self.assign,
            ast.Send: self.send, ast.Cascade: self.cascade, ast.Block: self.block,
            ast.Instantiation: self.instantiation,
        }
        self.returns_memo: dict[int, tuple[Any, bool]] = {}  # emptied per compiled unit


    # ================================================================ entry points

    def compile_top(self, stmt: Any, filename: str) -> Callable[[], Any]:
        """A top-level statement as a thunk (the workspace holds top-level variables)."""
        self.returns_memo.clear()
        rt = self.rt
        resolver = Resolver(filename, rt.workspace)
        layout = Layout("top")
        ctx = Context(resolver, Scope(layout))
        if isinstance(stmt, ast.ClassDef):
            return lambda: rt.define_class(stmt, filename)
        if isinstance(stmt, ast.DefineMethod):
            return lambda: rt.define_method(stmt, filename)
        if isinstance(stmt, ast.Temporaries):
            names = stmt.names

            def declare():
                for n in names:
                    rt.workspace.setdefault(n, None)

            return declare
        if isinstance(stmt, ast.Primitive):
            raise resolver.error(stmt, "`@primitive` is only allowed in the standard library")
        code = self.statement(stmt, ctx)

        def run():
            frame = Frame([None] * layout.size, None)
            try:
                value = code(frame)
                return frame.retval if value is RETURNED else value
            except NonLocalReturn as nlr:
                if nlr.home is frame:
                    return nlr.value
                raise
            finally:
                frame.active = False

        return run

    def compile_method(self, owner: Behavior, cls: BtClass, node: ast.MethodDef,
                       filename: str, primitive: Callable | None = None) -> Method:
        """A method of `cls` (instance side, or class side when owner is the metaclass)."""
        self.returns_memo.clear()
        class_side = owner is not cls
        resolver = Resolver(filename, None)
        layout = Layout("method", in_class_side=class_side,
                        value_class=cls.kind == "value" and not class_side)
        scope = Scope(layout, params=frozenset(node.params))
        ctx = Context(resolver, scope, cls, class_side)
        for p in node.params:
            if p in RESERVED or p[0].isupper():
                raise resolver.error(node, f"`{p}` cannot be a parameter name")
            if p in scope.names:
                raise resolver.error(node, f"parameter `{p}` is declared twice")
            scope.declare(p)
        for t in node.temps:
            if t in node.params:
                raise resolver.error(node, f"temporary `{t}` shadows a parameter",
                                     "rename the temporary")
            scope.declare(t)
        if primitive is not None:
            return Method(node.selector, primitive, owner, node.source, node.doc, node.sealed,
                          primitive=getattr(primitive, "__name__", node.selector), node=node)
        stmts = node.body
        if stmts and isinstance(stmts[-1], ast.Return):  # a final `^x` is just x
            stmts = stmts[:-1] + (stmts[-1].value,)
        body = self.body(stmts, ctx)
        fn = self.method_invoker(body, layout, len(node.params), bool(node.body))
        return Method(node.selector, fn, owner, node.source, node.doc, node.sealed, node=node)

    def compile_default(self, expr: Any, filename: str) -> Callable[[], Any]:
        """A field default: evaluated at instantiation, without `self`."""
        self.returns_memo.clear()
        resolver = Resolver(filename, None)
        layout = Layout("method")
        ctx = Context(resolver, Scope(layout))
        code = self.expr(expr, ctx)
        return lambda: code(Frame([None] * layout.size, None))

    def method_invoker(self, body: Code, layout: Layout, nparams: int, has_body: bool):
        """The Python callable that runs one activation of a compiled method."""
        rt = self.rt
        limit = rt.max_depth
        local = rt.local
        extra = layout.size - nparams

        def invoke(rt_: Any, receiver: Any, *args: Any) -> Any:
            frame = Frame([*args, *[None] * extra] if extra else list(args), receiver)
            try:
                proc = local.process
            except AttributeError:
                proc = rt.process
            proc.depth += 1
            try:
                if proc.depth > limit:  # also how a killed actor's code is stopped
                    proc.check_killed(rt)
                    raise rt.error_from("stack_overflow")
                value = body(frame)
                if value is RETURNED:
                    return frame.retval
                return value if has_body else receiver
            except NonLocalReturn as nlr:
                if nlr.home is frame:
                    return nlr.value
                raise
            finally:
                frame.active = False
                proc.depth -= 1

        return invoke

    # ================================================================ statements

    def body(self, stmts: tuple, ctx: Context) -> Code:
        """A statement sequence: answers the last value, or RETURNED."""
        codes = [self.statement(s, ctx) for s in stmts]
        if not codes:
            return lambda f: None
        if len(codes) == 1:
            return codes[0]
        if len(codes) == 2:
            first, second = codes

            def run2(f: Frame) -> Any:
                value = first(f)
                return value if value is RETURNED else second(f)

            return run2

        def run(f: Frame) -> Any:
            value = None
            for code in codes:
                value = code(f)
                if value is RETURNED:
                    return value
            return value

        return run

    def statement(self, node: Any, ctx: Context) -> Code:
        if isinstance(node, ast.Return):
            value = self.expr(node.value, ctx)

            def ret(f: Frame) -> Any:
                f.retval = value(f)
                return RETURNED

            return ret
        if isinstance(node, ast.Send):
            inline = self.inline(node, ctx)
            if inline is not None:
                return inline
        if isinstance(node, (ast.ClassDef, ast.DefineMethod, ast.Temporaries)):
            raise ctx.resolver.error(node, "definitions belong at the top level")
        if isinstance(node, ast.Primitive):
            raise ctx.resolver.error(node, "`@primitive` is only allowed as a whole method body"
                                     " in the standard library")
        return self.expr(node, ctx)

    # ================================================================ expressions

    def expr(self, node: Any, ctx: Context) -> Code:
        return self.expr_table[type(node)](node, ctx)

    def literal(self, node: Any, ctx: Context) -> Code:
        value = node.value
        code = lambda f: value  # noqa: E731
        code.const = value  # type: ignore[attr-defined]  # lets sends specialize on it
        return code

    def char(self, node: ast.CharLit, ctx: Context) -> Code:
        value = Character(node.value)
        return lambda f: value

    def symbol(self, node: ast.SymbolLit, ctx: Context) -> Code:
        if node.value in ("true", "false", "nil"):
            raise ctx.resolver.error(node, f"`#{node.value}` is not a symbol",
                                     f"use `{node.value}`")
        if node.value.startswith("$"):
            raise ctx.resolver.error(node, "symbols starting with `$` are reserved to the runtime")
        value = Symbol(node.value)
        return lambda f: value

    def interpolated(self, node: ast.InterpolatedString, ctx: Context) -> Code:
        send = self.rt.send
        parts = [(part if isinstance(part, str) else self.expr(part, ctx))
                 for part in node.parts]

        def run(f: Frame) -> str:
            out = []
            for part in parts:
                if type(part) is str:
                    out.append(part)
                else:
                    out.append(send(part(f), "displayString"))
            return "".join(out)

        return run

    def list_lit(self, node: ast.ListLit, ctx: Context) -> Code:
        elements = [self.expr(e, ctx) for e in node.elements]
        return lambda f: BtList(tuple(e(f) for e in elements))

    def tuple_lit(self, node: ast.TupleLit, ctx: Context) -> Code:
        elements = [self.expr(e, ctx) for e in node.elements]
        return lambda f: BtTuple(tuple(e(f) for e in elements))

    def dict_lit(self, node: ast.DictLit, ctx: Context) -> Code:
        entries = [(self.expr(k, ctx), self.expr(v, ctx)) for k, v in node.entries]
        return lambda f: BtDict.of((k(f), v(f)) for k, v in entries)

    # ---------------------------------------------------------------- names

    def name(self, node: ast.Name, ctx: Context) -> Code:
        name = node.name
        if name == "self":
            return lambda f: f.receiver
        if name in ("nil", "true", "false"):
            value = {"nil": None, "true": True, "false": False}[name]
            return lambda f: value
        if name == "super":
            raise ctx.resolver.error(node, "`super` can only receive a message",
                                     "write `super foo`")
        if name == "thisContext":
            raise ctx.resolver.error(node, "`thisContext` is not supported")
        if name[0].isupper():
            return self.global_read(name)
        return self.read_variable(ctx, name, node)

    def global_read(self, name: str) -> Code:
        rt = self.rt
        classes = rt.classes

        def read(f: Frame) -> Any:
            value = classes.get(name)
            if value is None:
                raise rt.error_from("undefined_global", name=name)
            return value

        return read

    def read_variable(self, ctx: Context, name: str, node: Any) -> Code:
        found = ctx.resolver.find_local(ctx.scope, name)
        layout = ctx.scope.layout
        if found is not None:
            return slot_reader(found[1])
        if layout.kind == "block":
            slot = self.capture(ctx, name, lambda outer: self.read_variable(outer, name, node))
            return slot_reader(slot)
        if ctx.resolver.is_workspace(ctx.scope, name):
            workspace = self.rt.workspace
            return lambda f: workspace.get(name)
        raise ctx.resolver.error(node, f"undefined variable '{name}'",
                                 f"assign `{name}` before reading it")

    def capture(self, ctx: Context, key: str, outer_code: Callable[[Context], Code]) -> int:
        """A slot of a stored block holding a value copied from outside when it is created."""
        layout = ctx.scope.layout
        if key in layout.captures:
            return layout.captures[key][0]
        outer = ctx.inner(layout.parent)
        getter = outer_code(outer)
        slot = layout.new_slot()
        layout.captures[key] = (slot, getter)
        return slot

    def visible_outside(self, ctx: Context, name: str) -> bool:
        """Is `name` a variable of some layout enclosing this stored block?"""
        scope = ctx.scope.layout.parent
        while scope is not None:
            if ctx.resolver.find_local(scope, name) is not None:
                return True
            if scope.layout.kind == "top" and ctx.resolver.is_workspace(scope, name):
                return True
            scope = scope.layout.parent
        return False

    def assign(self, node: ast.Assign, ctx: Context) -> Code:
        value = self.expr(node.value, ctx)
        if isinstance(node.target, ast.FieldRef):
            return self.field_write(node, ctx, value)
        name = node.target.name
        resolver = ctx.resolver
        if name in RESERVED:
            raise resolver.error(node.target, f"cannot assign to `{name}`")
        if name[0].isupper():
            raise resolver.error(node.target, f"cannot assign to the global `{name}`",
                                 "variables start with a lowercase letter")
        found = resolver.find_local(ctx.scope, name)
        if found is not None:
            owner, slot = found
            if name in owner.params:
                raise resolver.error(node.target, f"cannot assign to the parameter `{name}`",
                                     "use a temporary: `| t | t := ...`")
            self.mark_outer_assignment(ctx.scope, owner)
        else:
            layout = ctx.scope.layout
            if layout.kind == "block" and self.visible_outside(ctx, name):
                raise resolver.error(
                    node.target, f"a stored block cannot assign the outer variable '{name}'",
                    "use a method, or a control message such as do: or inject:into:")
            if layout.kind == "top":
                resolver.top_assigned.add(name)
                self.mark_outer_assignment(ctx.scope, None)
                workspace = self.rt.workspace

                def assign_top(f: Frame) -> Any:
                    workspace.setdefault(name, None)  # a failed assignment still declares it
                    v = value(f)
                    workspace[name] = v
                    return v

                return assign_top
            root = ctx.scope.root()
            slot = root.declare(name)
            self.mark_outer_assignment(ctx.scope, root)

        def assign_local(f: Frame) -> Any:
            v = f.vars[slot] = value(f)
            return v

        return assign_local

    def mark_outer_assignment(self, scope: Scope, owner: Scope | None) -> None:
        """Control blocks between an assignment and its variable's scope become mutating."""
        s: Scope | None = scope
        while s is not None and s is not owner:
            if s.control:
                s.assigns_outer = True
            s = s.parent

    # ---------------------------------------------------------------- fields

    def field_names(self, ctx: Context) -> list[str]:
        cls = ctx.cls
        if cls is None:
            return []
        if ctx.class_side:
            names = []
            c: BtClass | None = cls
            while c is not None:
                names += [f.name for f in c.class_fields]
                c = c.superclass
            return names
        return cls.all_field_names()

    def check_field(self, node: Any, ctx: Context, name: str) -> None:
        if ctx.cls is None:
            raise ctx.resolver.error(node, f"`self.{name}` outside a method",
                                     "fields exist only inside methods")
        if name not in self.field_names(ctx):
            where = "class variable" if ctx.class_side else "field"
            hint = None
            if not ctx.class_side and ctx.cls.class_state_owner(name) is not None:
                hint = "class state is read in class-side methods; send a class-side message"
            raise ctx.resolver.error(node, f"{ctx.cls.name} has no {where} `{name}`", hint)

    def field_read(self, node: ast.FieldRef, ctx: Context) -> Code:
        name = node.name
        self.check_field(node, ctx, name)
        if ctx.scope.layout.kind == "block":
            slot = self.capture(ctx, "self." + name, lambda outer: self.field_read(node, outer))
            return lambda f: f.vars[slot]
        if ctx.class_side:
            owner = ctx.cls.class_state_owner(name)
            values = owner.class_values
            return lambda f: values.get(name)
        return lambda f: f.receiver.fields.get(name)

    def field_write(self, node: ast.Assign, ctx: Context, value: Code) -> Code:
        name = node.target.name
        self.check_field(node.target, ctx, name)
        if ctx.scope.layout.kind == "block":
            raise ctx.resolver.error(
                node.target, f"a stored block cannot assign the field `self.{name}`",
                "use a method, or a control message such as do: or inject:into:")
        if not ctx.class_side and ctx.cls.kind == "value":
            raise ctx.resolver.error(node.target, f"{ctx.cls.name} instances are immutable",
                                     f"answer a copy: `self withX: v` or `{ctx.cls.name} new: ...`")
        self.mark_outer_assignment(ctx.scope, None)
        if ctx.class_side:
            owner = ctx.cls.class_state_owner(name)
            values = owner.class_values
            lock = self.rt.lock

            def write_class_state(f: Frame) -> Any:
                v = value(f)
                with lock:
                    values[name] = v
                return v

            return write_class_state

        def write_field(f: Frame) -> Any:
            v = f.receiver.fields[name] = value(f)
            return v

        return write_field

    # ---------------------------------------------------------------- sends

    def send(self, node: ast.Send, ctx: Context) -> Code:
        inline = self.inline(node, ctx)
        if inline is not None:
            if contains_return(node, self.returns_memo):
                def guarded(f: Frame, inline=inline) -> Any:
                    value = inline(f)
                    if value is RETURNED:
                        raise NonLocalReturn(f.home, f.retval)
                    return value

                return guarded
            return inline
        selector = node.selector
        if isinstance(node.receiver, ast.Name) and node.receiver.name == "super":
            return self.super_send(node, ctx)
        control = selector in CONTROL_SELECTORS
        receiver = self.argument(node.receiver, ctx, control)
        args = [self.argument(a, ctx, control) for a in node.args]
        return self.dispatch(receiver, selector, args, mutating(args))

    def argument(self, node: Any, ctx: Context, control: bool) -> Code:
        if control and isinstance(node, ast.Block):
            return self.control_block_object(node, ctx)
        return self.expr(node, ctx)

    def dispatch(self, receiver: Code, selector: str, args: list[Code], guard: bool) -> Code:
        rt = self.rt
        send = rt.send
        n = len(args)
        if guard:
            return self.builtin_receiver_check(receiver, args, selector)
        fast = FAST_BINARY.get(selector) if n == 1 else None
        if fast is not None and hasattr(receiver, "slot") and type(
                getattr(args[0], "const", None)) is int:
            slot, b = receiver.slot, args[0].const

            def variable_op_constant(f: Frame) -> Any:  # `n - 1`: the commonest arithmetic
                a = f.vars[slot]
                if type(a) is int:
                    return fast(a, b)
                return send(a, selector, b)

            return variable_op_constant
        if fast is not None:
            a0 = args[0]

            def binary(f: Frame) -> Any:
                a = receiver(f)
                b = a0(f)
                if type(a) is int and type(b) is int:
                    return fast(a, b)
                return send(a, selector, b)

            return binary
        type_classes = rt.type_classes
        # Both send sites below inline the receiver's class lookup (Instances first).
        if n == 0:
            def send0(f: Frame) -> Any:
                r = receiver(f)
                kind = type(r)
                if kind is Instance:
                    behavior = r.cls
                else:
                    behavior = type_classes.get(kind)
                    if behavior is None:  # booleans, classes, actors, futures...
                        return send(r, selector)
                method = behavior.cache.get(selector)
                if method is None:
                    return send(r, selector)
                return method.fn(rt, r)

            return send0
        if n == 1:
            a0 = args[0]

            def send1(f: Frame) -> Any:
                r = receiver(f)
                kind = type(r)
                if kind is Instance:
                    behavior = r.cls
                else:
                    behavior = type_classes.get(kind)
                    if behavior is None:  # booleans, classes, actors, futures...
                        return send(r, selector, a0(f))
                method = behavior.cache.get(selector)
                if method is None:
                    return send(r, selector, a0(f))
                return method.fn(rt, r, a0(f))

            return send1
        if n == 2:
            a0, a1 = args
            return lambda f: send(receiver(f), selector, a0(f), a1(f))
        return lambda f: send(receiver(f), selector, *[a(f) for a in args])

    def builtin_receiver_check(self, receiver: Code, args: list[Code], selector: str) -> Code:
        """A send carrying a mutating literal block: only built-in receivers may take it."""
        rt = self.rt
        check = self.check_builtin_receiver

        def run(f: Frame) -> Any:
            r = receiver(f)
            check(r)
            return rt.send(r, selector, *[a(f) for a in args])

        return run

    def check_builtin_receiver(self, receiver: Any) -> None:
        """Signal ArgumentError if a mutating literal block would go to a user object."""
        behavior = self.rt.class_of(receiver)
        if isinstance(behavior, BtClass) and not behavior.builtin:
            raise self.rt.error_from("block_assigns_outer")

    def super_send(self, node: ast.Send, ctx: Context) -> Code:
        if ctx.cls is None:
            raise ctx.resolver.error(node.receiver, "`super` outside a method")
        owner = ctx.cls.meta if ctx.class_side else ctx.cls
        rt = self.rt
        selector = node.selector
        control = selector in CONTROL_SELECTORS
        args = [self.argument(a, ctx, control) for a in node.args]

        def run(f: Frame) -> Any:
            return rt.send_super(owner.superclass, f.receiver, selector, *[a(f) for a in args])

        return run

    def cascade(self, node: ast.Cascade, ctx: Context) -> Code:
        send = self.rt.send
        if isinstance(node.receiver, ast.Name) and node.receiver.name == "super":
            raise ctx.resolver.error(node.receiver, "cascades to `super` are not supported")
        control = any(m.selector in CONTROL_SELECTORS for m in node.messages)
        receiver = self.argument(node.receiver, ctx, control)
        messages = []
        for m in node.messages:
            control = m.selector in CONTROL_SELECTORS
            args = [self.argument(a, ctx, control) for a in m.args]
            messages.append((m.selector, args, mutating(args)))
        check = self.check_builtin_receiver

        def run(f: Frame) -> Any:
            r = receiver(f)
            value = None
            for selector, args, guarded in messages:
                if guarded:
                    check(r)
                value = send(r, selector, *[a(f) for a in args])
            return value

        return run

    def instantiation(self, node: ast.Instantiation, ctx: Context) -> Code:
        """`Cls new k: v ...` / `Cls spawn k: v ...`: field sugar when every keyword is a field."""
        rt = self.rt
        send = rt.send
        receiver = self.expr(node.receiver, ctx)
        verb, selector = node.verb, node.selector
        control = selector in CONTROL_SELECTORS
        args = [self.argument(a, ctx, control) for a in node.args]
        guarded = mutating(args)
        check = self.check_builtin_receiver
        keys = [Symbol(k) for k in selector.split(":")[:-1]]
        names = [k.name for k in keys]
        with_fields = "new:" if verb == "new" else "spawnWith:"

        def run(f: Frame) -> Any:
            r = receiver(f)
            if (isinstance(r, BtClass) and all(n in r.all_field_names() for n in names)
                    and rt.lookup(r, selector) is None):
                values = [a(f) for a in args]
                return send(r, with_fields, BtDict.of(zip(keys, values)))
            made = send(r, verb)
            if guarded:
                check(made)
            return send(made, selector, *[a(f) for a in args])

        return run

    # ---------------------------------------------------------------- blocks

    def block(self, node: ast.Block, ctx: Context) -> Code:
        """A block in a stored position: its own layout, capturing outer values."""
        compiled = self.compile_block(node, ctx, stored=True)
        return self.block_maker(compiled, node)

    def control_block_object(self, node: ast.Block, ctx: Context) -> Code:
        """A literal block given to a control message: shares the enclosing frame."""
        compiled = self.compile_block(node, ctx, stored=False)
        maker = self.block_maker(compiled, node)
        if compiled.mutating:
            maker.mutating_block = True  # type: ignore[attr-defined]
        return maker

    def compile_block(self, node: ast.Block, ctx: Context, stored: bool) -> CompiledBlock:
        resolver = ctx.resolver
        if stored:
            layout = Layout("block", parent=ctx.scope)
            scope = Scope(layout, params=frozenset(node.params))
        else:
            layout = ctx.scope.layout
            scope = Scope(layout, parent=ctx.scope, params=frozenset(node.params), control=True)
        params = []
        for p in node.params:
            if p in RESERVED or p[0].isupper():
                raise resolver.error(node, f"`{p}` cannot be a block parameter name")
            if p in scope.names:
                raise resolver.error(node, f"block parameter `{p}` is declared twice")
            params.append(scope.declare(p))
        temps = []
        for t in node.temps:
            if t in node.params:
                raise resolver.error(node, f"temporary `{t}` shadows a parameter",
                                     "rename the temporary")
            temps.append(scope.declare(t))
        inner = ctx.inner(scope)
        body = self.body(node.body, inner)
        return CompiledBlock(params, temps, body, stored, layout if stored else None,
                             scope.assigns_outer, contains_return(node.body, self.returns_memo))

    def block_maker(self, cb: CompiledBlock, node: ast.Block) -> Code:
        rt = self.rt
        nparams = len(cb.params)
        params, temps, body = cb.params, cb.temps, cb.body

        def arity_error(got: int) -> Exception:
            if nparams == 1:
                return rt.error_from("block_arity_one", count=got)
            return rt.error_from("block_arity", expected=nparams, count=got)

        if cb.stored:
            layout = cb.layout
            captures = list(layout.captures.values())

            def make_stored(f: Frame) -> Block:
                captured = [(slot, getter(f)) for slot, getter in captures]
                receiver, home = f.receiver, f.home

                def run(*args: Any) -> Any:
                    if len(args) != nparams:
                        raise arity_error(len(args))
                    vars = [None] * layout.size
                    for slot, arg in zip(params, args):
                        vars[slot] = arg
                    for slot, value in captured:
                        vars[slot] = value
                    bf = Frame(vars, receiver, home)
                    value = body(bf)
                    if value is RETURNED:
                        return_from(rt, home, bf.retval)
                    return value

                return Block(run, nparams)

            return make_stored
        mutating = cb.mutating

        def make_shared(f: Frame) -> Block:
            def run(*args: Any) -> Any:
                if len(args) != nparams:
                    raise arity_error(len(args))
                vars = f.vars
                for slot, arg in zip(params, args):
                    vars[slot] = arg
                for slot in temps:
                    vars[slot] = None
                value = body(f)
                if value is RETURNED:
                    return_from(rt, f.home, f.retval)
                return value

            return Block(run, nparams, mutating)

        return make_shared

    # ---------------------------------------------------------------- inlining

    def inline(self, node: ast.Send, ctx: Context) -> Code | None:
        """Inline code for a control message with literal blocks, or None."""
        handler = INLINERS.get(node.selector)
        if handler is None:
            return None
        return handler(self, node, ctx)

    def inline_block(self, node: Any, ctx: Context, nparams: int = 0) -> CompiledBlock | None:
        if not isinstance(node, ast.Block) or len(node.params) != nparams:
            return None
        return self.compile_block(node, ctx, stored=False)

    def fallback(self, node: ast.Send, blocks: list[CompiledBlock | None]):
        """The real send for when an inlined message's receiver is not a Boolean etc.

        Answers `slow(f, receiver, *plain)`, where `plain` are the already evaluated
        arguments that are not literal blocks.
        """
        send = self.rt.send
        selector = node.selector
        makers = [self.block_maker(cb, a) if cb is not None else None
                  for a, cb in zip(node.args, blocks)]

        def slow(f: Frame, receiver: Any, *plain: Any) -> Any:
            values = iter(plain)
            args = [m(f) if m is not None else next(values) for m in makers]
            return send(receiver, selector, *args)

        return slow


def slot_reader(slot: int) -> Code:
    """Code reading a local slot (tagged so sends can read the slot directly)."""
    code = lambda f: f.vars[slot]  # noqa: E731
    code.slot = slot  # type: ignore[attr-defined]
    return code


def mutating(args: list[Code]) -> bool:
    """Does any argument make a literal block that assigns outer variables?"""
    return any(getattr(a, "mutating_block", False) for a in args)


def return_from(rt: Any, home: Frame, value: Any) -> None:
    """`^value` from a block: unwind to the home activation, if it is still running."""
    if not home.active:
        raise rt.error_from("block_cannot_return")
    raise NonLocalReturn(home, value)


def run_block(cb: CompiledBlock, f: Frame) -> Any:
    """Run an inlined zero-parameter control block in the enclosing frame."""
    for slot in cb.temps:
        f.vars[slot] = None
    return cb.body(f)


def is_block(node: Any, nparams: int) -> bool:
    """Is this argument a literal block taking `nparams` parameters (so it can be inlined)?"""
    return isinstance(node, ast.Block) and len(node.params) == nparams


def inline_body(cb: CompiledBlock | None) -> Code | None:
    """The code that runs an inlined block: its body itself when it has no temporaries."""
    if cb is None or not cb.temps:
        return cb.body if cb is not None else None
    return lambda f: run_block(cb, f)


FAST_BINARY: dict[str, Callable[[int, int], Any]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "<": operator.lt,
    ">": operator.gt, "<=": operator.le, ">=": operator.ge, "=": operator.eq,
    "~=": operator.ne,
}


def inline_if(compiler: Compiler, node: ast.Send, ctx: Context) -> Code | None:
    """`ifTrue:`, `ifFalse:`, `ifTrue:ifFalse:`, `ifFalse:ifTrue:`."""
    if not all(is_block(a, 0) for a in node.args):
        return None
    receiver = compiler.expr(node.receiver, ctx)  # evaluation order: receiver first
    blocks = [compiler.inline_block(a, ctx) for a in node.args]
    parts = node.selector.split(":")[:-1]
    on_true = blocks[parts.index("ifTrue")] if "ifTrue" in parts else None
    on_false = blocks[parts.index("ifFalse")] if "ifFalse" in parts else None
    slow = compiler.fallback(node, blocks)
    then, otherwise = inline_body(on_true), inline_body(on_false)

    def run(f: Frame) -> Any:
        value = receiver(f)
        if value is True:
            return then(f) if then is not None else None
        if value is False:
            return otherwise(f) if otherwise is not None else None
        return slow(f, value)

    return run


def inline_and_or(compiler: Compiler, node: ast.Send, ctx: Context) -> Code | None:
    """`and:` / `or:` with a literal block."""
    if not is_block(node.args[0], 0):
        return None
    receiver = compiler.expr(node.receiver, ctx)  # evaluation order: receiver first
    block = compiler.inline_block(node.args[0], ctx)
    slow = compiler.fallback(node, [block])
    is_and = node.selector == "and:"

    def run(f: Frame) -> Any:
        value = receiver(f)
        if value is True:
            return run_block(block, f) if is_and else True
        if value is False:
            return False if is_and else run_block(block, f)
        return slow(f, value)

    return run


def inline_while(compiler: Compiler, node: ast.Send, ctx: Context) -> Code | None:
    """`[cond] whileTrue: [body]`, `whileFalse:`, and the unary forms."""
    if not is_block(node.receiver, 0) or (node.args and not is_block(node.args[0], 0)):
        return None
    cond = compiler.inline_block(node.receiver, ctx)
    body = compiler.inline_block(node.args[0], ctx) if node.args else None
    rt = compiler.rt
    want = node.selector.startswith("whileTrue")

    def run(f: Frame) -> Any:
        while True:
            value = run_block(cond, f)
            if value is RETURNED:
                return value
            if type(value) is Future:
                value = await_future(rt, value)
            if value is not want:
                if value is (not want):
                    return None
                raise rt.error_from("expects_boolean", selector=node.selector,
                                    kind=kind_name(rt, value))
            if body is not None and run_block(body, f) is RETURNED:
                return RETURNED

    return run


def inline_repeat(compiler: Compiler, node: ast.Send, ctx: Context) -> Code | None:
    """`[body] repeat` (left by `^` or an exception)."""
    body = compiler.inline_block(node.receiver, ctx)
    if body is None:
        return None

    def run(f: Frame) -> Any:
        while True:
            if run_block(body, f) is RETURNED:
                return RETURNED

    return run


def inline_times_repeat(compiler: Compiler, node: ast.Send, ctx: Context) -> Code | None:
    """`n timesRepeat: [body]`."""
    if not is_block(node.args[0], 0):
        return None
    receiver = compiler.expr(node.receiver, ctx)  # evaluation order: receiver first
    body = compiler.inline_block(node.args[0], ctx)
    slow = compiler.fallback(node, [body])

    def run(f: Frame) -> Any:
        n = receiver(f)
        if type(n) is not int:
            return slow(f, n)
        for _ in range(n):
            if run_block(body, f) is RETURNED:
                return RETURNED
        return n

    return run


def inline_to_do(compiler: Compiler, node: ast.Send, ctx: Context) -> Code | None:
    """`a to: b do: [:i | ...]` and `a to: b by: s do: [:i | ...]` over Integers."""
    if not is_block(node.args[-1], 1):
        return None
    receiver = compiler.expr(node.receiver, ctx)  # evaluation order: receiver first
    bounds = [compiler.expr(a, ctx) for a in node.args[:-1]]
    body = compiler.inline_block(node.args[-1], ctx, nparams=1)
    blocks = [None] * len(bounds) + [body]
    slow = compiler.fallback(node, blocks)
    slot = body.params[0]

    def run(f: Frame) -> Any:
        start = receiver(f)
        values = [b(f) for b in bounds]
        step = values[1] if len(values) == 2 else 1
        if type(start) is not int or type(values[0]) is not int or type(step) is not int \
                or step == 0:
            return slow(f, start, *values)
        stop = values[0] + (1 if step > 0 else -1)
        vars = f.vars
        for i in range(start, stop, step):
            vars[slot] = i
            for t in body.temps:
                vars[t] = None
            if body.body(f) is RETURNED:
                return RETURNED
        return start

    return run


INLINERS: dict[str, Callable[[Compiler, ast.Send, Context], Code | None]] = {
    "ifTrue:": inline_if, "ifFalse:": inline_if, "ifTrue:ifFalse:": inline_if,
    "ifFalse:ifTrue:": inline_if, "and:": inline_and_or, "or:": inline_and_or,
    "whileTrue:": inline_while, "whileFalse:": inline_while, "whileTrue": inline_while,
    "whileFalse": inline_while, "repeat": inline_repeat, "timesRepeat:": inline_times_repeat,
    "to:do:": inline_to_do, "to:by:do:": inline_to_do,
}
