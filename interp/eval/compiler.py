"""The compiler's entry points, and AST to Python closures with names resolved.

Methods run as generated Python (interp/eval/pygen.py) wherever the generator covers
them; this closure compiler checks every method first (its Resolver raises the compile
errors), and compiles top-level statements and field defaults: each node becomes a
function of the current frame (activations: closure_frames.py; sends:
closure_dispatch.py; inlined control messages: closure_inline.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from beamtalk.interp.analysis.scopes import (
    CONTROL_SELECTORS,
    RESERVED,
    Layout,
    Resolver,
    Scope,
)
from beamtalk.interp.runtime.control_flow import NonLocalReturn
from beamtalk.interp.runtime.objects import Behavior, BtBlock, BtClass, Method
from beamtalk.interp.runtime.values import BtDict, BtList, BtTuple, Character, Symbol
from beamtalk.interp.syntax import ast

from . import pycache
from .closure_dispatch import check_builtin_receiver, dispatch, mutating
from .closure_frames import (
    RETURNED,
    Code,
    CompiledBlock,
    Context,
    Frame,
    method_invoker,
    return_from,
    slot_reader,
)
from .closure_inline import INLINERS
from .pymethods import Unit, bind_unit, generated_unit
from .pyscope import Unsupported, contains_return
from .pysupport import support_globals


class Compiler:
    """Compiles statements, methods and field defaults for one runtime."""

    def __init__(self, rt: Any):
        self.rt = rt
        self.generate = True  # methods run as generated Python where the generator covers them
        self.py_globals = support_globals(rt)
        self.new_units: dict = {}  # stdlib units generated here, not yet in the cache
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
        fn = method_invoker(self.rt, body, layout, len(node.params), bool(node.body))
        method = Method(node.selector, fn, owner, node.source, node.doc, node.sealed, node=node)
        if self.generate:
            self.use_generated(method, owner, cls, node, filename)
        return method

    def use_generated(self, method: Method, owner: Behavior, cls: BtClass,
                      node: ast.MethodDef, filename: str) -> None:
        """Run `method` as generated Python when the generator covers it (stdlib: cached)."""
        key = (cls.name, owner is not cls, node.selector)
        stdlib = cls.builtin and filename.startswith("stdlib/")
        hit = pycache.stdlib_units().get(key) if stdlib else None
        if hit is not None:
            unit = Unit(*hit)
        else:
            try:
                unit = generated_unit(owner, cls, node)
            except Unsupported:
                return  # the closure-compiled body runs it
            if stdlib:
                self.new_units[key] = unit.as_tuple()
        bind_unit(self.rt, self.py_globals, unit, method, owner, cls)

    def stdlib_loaded(self) -> None:
        """The stdlib is defined: cache the units generated for it this time, if any."""
        if self.new_units:
            pycache.save({**pycache.stdlib_units(), **self.new_units})
            pycache.stdlib_units.cache_clear()  # the next Runtime reads the complete table
            self.new_units = {}

    def compile_default(self, expr: Any, filename: str) -> Callable[[], Any]:
        """A field default: evaluated at instantiation, without `self`."""
        self.returns_memo.clear()
        resolver = Resolver(filename, None)
        layout = Layout("method")
        ctx = Context(resolver, Scope(layout))
        code = self.expr(expr, ctx)
        return lambda: code(Frame([None] * layout.size, None))

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
        return dispatch(self.rt, receiver, selector, args, mutating(args))

    def argument(self, node: Any, ctx: Context, control: bool) -> Code:
        if control and isinstance(node, ast.Block):
            return self.control_block_object(node, ctx)
        return self.expr(node, ctx)

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
        rt_ = self.rt

        def check(r: Any) -> None:
            check_builtin_receiver(rt_, r)


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
        rt_ = self.rt

        def check(r: Any) -> None:
            check_builtin_receiver(rt_, r)

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

            def make_stored(f: Frame) -> BtBlock:
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

                return BtBlock(run, nparams)

            return make_stored
        mutating = cb.mutating

        def make_shared(f: Frame) -> BtBlock:
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

            return BtBlock(run, nparams, mutating)

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


