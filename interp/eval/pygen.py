"""Methods to Python source: statements, expressions, sends and blocks.

A method becomes `def _m(_rt, self, a1_x, ...)`, wrapped in a unit function that binds
what the method refers to (`_unit(_owner, _cv)` answers the method's function).  Every
subexpression with an effect is evaluated into a fresh temporary in source order, so
Python evaluates exactly what the language evaluates, in the same order.  Sends check
the receiver's class's method cache inline; Integer arithmetic and comparisons run
directly behind `type(x) is int` (Booleans are not Integers), falling back to a full
send (which awaits futures and signals the spec's errors).  Control messages with
literal blocks become Python control flow (interp/eval/pycontrol.py).  Stored blocks are
nested functions made by a factory that receives the values they capture; literal
blocks given to other control messages are nested functions sharing the method's
variables through `nonlocal`.  `^` inside a block raises NonLocalReturn to a Home
object that only methods with such a block ever create.

What every name means comes from the resolver's table (interp/analysis/resolve.py): the
generator only chooses each variable's Python spelling, once per Variable.  A unit is a
method, a top-level statement (its top-level variables live in the session's workspace,
`_ws`) or a field default; the last two run with `self` nil.
"""

from __future__ import annotations

import math
import re
from typing import Any

from beamtalk.interp.analysis.resolve import BlockInfo, Ref, Resolution, Variable
from beamtalk.interp.runtime.actors import REFERENCE_SELECTORS
from beamtalk.interp.runtime.pyclasses import attribute_name
from beamtalk.interp.syntax import ast

from .pycontrol import INLINERS
from .pyscope import CONTROL_SELECTORS, PyFunction, Unsupported
from .pysupport import KILL_CHECK

# Integer selectors whose meaning is fixed (Integer's built-in selectors cannot be replaced,
# and no other class's values are ints): Python's operator when both operands are ints.
FAST_BINARY = {"+": "+", "-": "-", "*": "*", "<": "<", ">": ">", "<=": "<=", ">=": ">=",
               "=": "==", "~=": "!=", "bitAnd:": "&", "bitOr:": "|", "bitXor:": "^"}
# Block>>value... are built-in primitives that call the block's function (arity checked there).
BLOCK_VALUE = frozenset({"value", "value:", "value:value:", "value:value:value:",
                         "value:value:value:value:"})
COMPARISONS = frozenset({"<", ">", "<=", ">=", "=", "~="})
# A method whose body is at most this many lines, with Integer parameters tested, gets a
# second copy of its body for when those parameters are Integers (no tests in that copy).
SPECIALIZE_MAX_LINES = 80


class Generator:
    """Generates the Python unit of one resolved method, top-level statement or default.

    `cls` is the method's class (class side if `class_side`); None for the other units.
    """

    def __init__(self, res: Resolution, cls: Any = None, class_side: bool = False):
        self.res = res
        self.cls = cls
        self.class_side = class_side
        self.counter = 0
        self.consts: list[str] = []
        self.class_values: list[str] = []  # class variables the method reads or writes
        self.selectors: list[str] = []  # sent by attribute: the root pyclass needs stubs
        # Instance side of a user class that is not an exception: `self` is always made from
        # the class's pyclass (interp/runtime/pyclasses.py), so sends to it need no guard.
        self.self_from_pyclass = (cls is not None and not class_side and not cls.builtin
                                  and cls.kind == "value"
                                  and not any(c.name == "Exception" and c.builtin
                                              for c in cls.chain()))
        # Instance side of an actor class: `self` is the actor's reference, and sends to it
        # (bar the ones the reference answers itself) are the actor's own synchronous sends.
        self.self_is_actor = cls is not None and not class_side and cls.kind == "actor"
        self.int_flags: dict[str, str] = {}  # method parameter -> `type(p) is int`, computed
        self.assume_int: frozenset[str] = frozenset()  # parameters known to be ints here
        self.known_bool: set[str] = set()  # temporaries that surely hold True or False
        self.home = False  # does some block's `^` need a Home?
        self.int_copy: list[str] = []  # specialize's copy when it runs before the Home's try
        self.int_temps: set[str] = set()  # temporaries holding Integer arithmetic on ints
        # The unit's own function is kind "method" whatever the unit: `^` returns from it.
        self.fn: PyFunction = PyFunction("method", "_m")
        self.frame_fn: PyFunction = self.fn  # the function of the current resolver frame
        # id(Variable) -> its Python name and the function binding it (the Resolution keeps
        # the Variables alive); a block generated twice (inlined, then as a fallback's
        # block object) declares its parameters and temporaries again where it is put.
        self.idents: dict[int, tuple[str, PyFunction]] = {}
        self.capture_idents: dict[int, str] = {}  # id(Capture) -> the stored function's name
        self.indent = 0
        self.runs_once = cls is None  # a top-level statement or a field default
        # Inside a fallback's block objects nothing is inlined: each literal block is then
        # generated at most once more per enclosing inlined message, not twice per level.
        self.no_inline = 0

    # ------------------------------------------------------------ output

    def new(self, prefix: str, name: str = "") -> str:
        """A fresh Python name."""
        self.counter += 1
        return f"{prefix}{self.counter}" + (f"_{name}" if name else "")

    def emit(self, line: str) -> None:
        self.fn.lines.append("    " * self.indent + line)

    def const(self, expr: str) -> str:
        """A constant made once per unit (symbols, characters)."""
        name = self.new("_k")
        self.consts.append(f"{name} = {expr}")
        return name

    def temp(self, expr: str) -> str:
        """Evaluate `expr` now into a fresh temporary; answer the temporary."""
        name = self.new("_t")
        self.emit(f"{name} = {expr}")
        return name

    # ------------------------------------------------------------ units

    def method(self, node: ast.MethodDef) -> str:
        """The unit's source text."""
        fn = self.fn
        fn.own |= {"self", "_home"}
        variables = self.res.frame_of(node).variables
        params = [self.declare(variables[i], "a", fn) for i in range(len(node.params))]
        fn.own.update(params)
        for i in range(len(node.temps)):
            fn.inits.append(self.declare(variables[len(params) + i], "v", fn))
        stmts = node.body
        if stmts and isinstance(stmts[-1], ast.Return):  # a final `^x` is just x
            stmts = stmts[:-1] + (stmts[-1].value,)
        if not stmts:
            self.emit("return self")
        else:
            self.emit(f"return {self.statements(stmts)}")
            self.specialize(stmts, params)
        body = [KILL_CHECK] + self.root_body()
        unit = ["def _unit(_owner, _cv):"]
        unit += indent(self.consts)
        unit += indent([f"_cv_{n} = _cv[{n!r}]" for n in self.class_values])
        # The same body twice: as Method.fn, called with the runtime first, and as the
        # pyclass attribute, called as a Python method (see interp/runtime/pyclasses.py).
        unit += indent([f"def _m({', '.join(['_rt_', 'self', *params])}):"] + indent(body))
        unit += indent([f"def _a({', '.join(['self', *params])}):"] + indent(body))
        unit += ["    return _m, _a"]
        return "\n".join(unit) + "\n"

    def top(self, node: Any) -> str:
        """The unit of a top-level statement or a field default: `_m()` answers its value
        (`self` is nil there; top-level variables are read and written in `_ws`).  It is
        one flat function, its constants made on entry: compiling it is most of its cost."""
        self.fn.own |= {"self", "_home"}
        self.emit(f"return {self.statements((node,))}")
        body = self.consts + ["self = None"] + self.root_body()
        return "\n".join(["def _m():"] + indent(body)) + "\n"

    def root_body(self) -> list[str]:
        """The unit function's body after its entry: variables set to nil, and the Home
        that a block's `^` unwinds to when some block has one."""
        fn = self.fn
        body = [f"{v} = None" for v in dict.fromkeys(fn.inits)] + self.int_copy
        if self.home:
            return body + ["_home = None", "try:"] + indent(fn.lines) + [
                "except _NLR as _e:", "    if _e.home is _home:", "        return _e.value",
                "    raise", "finally:", "    if _home is not None:",
                "        _home.active = False"]
        return body + fn.lines

    def specialize(self, stmts: tuple, params: list[str]) -> None:
        """Put before the body a copy for when its tested parameters are Integers.

        Parameters cannot be assigned, so in that copy their arithmetic and comparisons
        need no type test, and a comparison's result is surely a Boolean; the copy ends
        in `return`, so the general body after it runs only when a test fails.
        """
        flagged = [p for p in params if p in self.int_flags]
        if not flagged or len(self.fn.lines) > SPECIALIZE_MAX_LINES:
            return
        general, home = self.fn.lines, self.home
        self.fn.lines, self.home = [], False
        self.assume_int, self.int_flags = frozenset(flagged), {}
        try:
            self.emit(f"return {self.statements(stmts)}")
        finally:
            self.assume_int = frozenset()
        test = " and ".join(f"type({p}) is int" for p in flagged)
        pure = self.int_temps | self.known_bool  # both only hold arithmetic on ints
        copy = [f"if {test}:"] + indent(fold_pure_temps(self.fn.lines, pure))
        if self.home:
            self.fn.lines = copy + general
        else:
            # No `^` in a block here: the copy runs before the Home's try (cheaper calls).
            self.fn.lines, self.int_copy, self.home = general, copy, home

    # ------------------------------------------------------------ statements

    def statements(self, stmts: tuple) -> str:
        """Emit a statement sequence; answer the atom holding the last value."""
        value = "None"
        for stmt in stmts:
            value = self.statement(stmt)
        return value

    def statement(self, node: Any) -> str:
        if isinstance(node, ast.Return):
            value = self.expr(node.value)
            if self.fn.kind == "method":
                self.emit(f"return {value}")
            else:
                self.emit(f"_nlr({self.use('_home')}, {value})")
            return "None"
        return self.expr(node)

    def need_home(self, info: BlockInfo) -> None:
        """A block with `^` is about to be made: the unit's Home must exist."""
        if info.returns:
            self.home = True
            if self.fn.kind == "method":
                self.emit("if _home is None: _home = _Home()")

    # ------------------------------------------------------------ expressions

    def expr(self, node: Any) -> str:
        """Emit what evaluating `node` needs; answer an atom (a name or a literal)."""
        handler = getattr(self, "x_" + type(node).__name__, None)
        if handler is None:
            raise Unsupported(type(node).__name__)
        return handler(node)

    def x_IntegerLit(self, node: ast.IntegerLit) -> str:
        return repr(node.value) if node.value >= 0 else f"({node.value!r})"

    def x_FloatLit(self, node: ast.FloatLit) -> str:
        if not math.isfinite(node.value):
            return self.const(f"float({str(node.value)!r})")
        return repr(node.value) if node.value >= 0 else f"({node.value!r})"

    def x_StringLit(self, node: ast.StringLit) -> str:
        return repr(node.value)

    def x_CharLit(self, node: ast.CharLit) -> str:
        return self.const(f"_Character({node.value!r})")

    def x_SymbolLit(self, node: ast.SymbolLit) -> str:
        return self.const(f"_Symbol({node.value!r})")

    def x_InterpolatedString(self, node: ast.InterpolatedString) -> str:
        parts = []
        for part in node.parts:
            if isinstance(part, str):
                parts.append(repr(part))
            else:
                # Object>>displayString is a built-in primitive that no class can replace
                # for Strings and Integers: itself, and the decimal digits.
                value = self.named(self.expr(part))
                parts.append(self.temp(
                    f"{value} if type({value}) is str else str({value}) if type({value}) is "
                    f"int else _dtext({value})"))
        return self.temp(f"''.join(({', '.join(parts)},))" if parts else "''")

    def x_ListLit(self, node: ast.ListLit) -> str:
        atoms, _ = self.operands(node.elements)
        return self.temp(f"_BtList({tuple_text(atoms)})")

    def x_TupleLit(self, node: ast.TupleLit) -> str:
        atoms, _ = self.operands(node.elements)
        return self.temp(f"_BtTuple({tuple_text(atoms)})")

    def x_DictLit(self, node: ast.DictLit) -> str:
        atoms, _ = self.operands([x for pair in node.entries for x in pair])
        pairs = [f"({atoms[i]}, {atoms[i + 1]})" for i in range(0, len(atoms), 2)]
        return self.temp(f"_BtDict.of({tuple_text(pairs)})")

    # ------------------------------------------------------------ names

    def declare(self, variable: Variable, prefix: str, fn: PyFunction) -> str:
        """A fresh Python name for a parameter or temporary bound by `fn`."""
        ident = self.new(prefix, variable.name)
        self.idents[id(variable)] = (ident, fn)
        return ident

    def local(self, variable: Variable) -> tuple[str, PyFunction]:
        """A variable's Python name and binding function; a variable declared by its first
        assignment is a local of its frame's function, nil on entry."""
        found = self.idents.get(id(variable))
        if found is None:
            ident = self.new("v", variable.name)
            found = self.idents[id(variable)] = (ident, self.frame_fn)
            self.frame_fn.inits.append(ident)
        return found

    def x_Name(self, node: ast.Name) -> str:
        ref = self.res.ref(node)
        kind = ref.kind
        if kind == "pseudo":
            return {"nil": "None", "true": "True", "false": "False"}[ref.name]
        if kind == "global":
            value = self.temp(f"_classes.get({ref.name!r})")
            self.emit(f"if {value} is None: _undef({ref.name!r})")
            return value
        return self.ref_value(ref)

    def ref_value(self, ref: Ref) -> str:
        """The atom reading a variable, captured value, field or `self` here."""
        kind = ref.kind
        if kind == "local":
            assert ref.variable is not None
            return self.use(self.local(ref.variable)[0])
        if kind == "captured":
            return self.use(self.capture_idents[id(ref.capture)])
        if kind == "self":
            return self.use("self")
        if kind == "toplevel":
            return self.temp(f"_ws.get({ref.name!r})")
        if kind == "field":
            return self.temp(f"{self.use('self')}.fields.get({ref.name!r})")
        if kind == "classvar":
            return self.temp(f"{self.class_value(ref.name)}.get({ref.name!r})")
        raise Unsupported(f"reading a {kind}")

    def use(self, ident: str) -> str:
        """`ident` is read here: an unassignable name from an enclosing function is passed
        in by value when this block function is made (so the enclosing function's local
        does not become a closure cell, which would slow every access to it)."""
        fn = self.fn
        if ident not in fn.own and not is_variable(ident) and ident not in fn.free:
            fn.free.append(ident)
        return ident

    def x_Assign(self, node: ast.Assign) -> str:
        ref = self.res.ref(node)
        if ref.kind == "toplevel" and ref.declares:
            self.emit(f"_ws.setdefault({ref.name!r}, None)")  # a failed assignment declares it
        value = self.expr(node.value)
        if ref.kind in ("field", "classvar"):
            return self.field_write(ref.name, value)
        if ref.kind == "toplevel":
            value = self.fixed(value)
            self.emit(f"_ws[{ref.name!r}] = {value}")
            return value
        assert ref.variable is not None
        ident, owner = self.local(ref.variable)
        if owner is not self.fn:
            self.fn.nonlocals.add(ident)
        self.emit(f"{ident} = {value}")
        return ident

    # ------------------------------------------------------------ fields

    def x_FieldRef(self, node: ast.FieldRef) -> str:
        return self.ref_value(self.res.ref(node))

    def class_value(self, name: str) -> str:
        if self.cls.class_state_owner(name) is None:
            raise Unsupported("unknown class variable")
        if name not in self.class_values:
            self.class_values.append(name)
        return f"_cv_{name}"

    def field_write(self, name: str, value: str) -> str:
        if self.class_side:
            return self.temp(f"_cvset({self.class_value(name)}, {name!r}, {value})")
        value = self.fixed(value)
        self.emit(f"{self.use('self')}.fields[{name!r}] = {value}")
        return value

    def fixed(self, atom: str) -> str:
        """An atom whose value cannot change later (a variable is copied)."""
        return self.temp(atom) if is_variable(atom) else atom

    def named(self, atom: str) -> str:
        """An atom that is a Python name (literals are put into a temporary)."""
        return atom if atom.isidentifier() else self.temp(atom)

    # ------------------------------------------------------------ operands

    def operands(self, nodes: Any, control: bool = False) -> tuple[list[str], list[bool]]:
        """Atoms for `nodes` evaluated left to right (a variable read before a later operand's
        effects is spilled first), and whether each is a mutating block."""
        atoms: list[str] = []
        mutating: list[bool] = []
        for node in nodes:
            start = len(self.fn.lines)
            if control and isinstance(node, ast.Block):
                atom, mut = self.shared_block(node)
            else:
                atom, mut = self.expr(node), False
            if len(self.fn.lines) > start:  # effects: earlier variables are read before them
                spills = []
                for i, a in enumerate(atoms):
                    if is_variable(a):
                        t = self.new("_t")
                        spills.append("    " * self.indent + f"{t} = {a}")
                        atoms[i] = t
                self.fn.lines[start:start] = spills
            atoms.append(atom)
            mutating.append(mut)
        return atoms, mutating

    # ------------------------------------------------------------ sends

    def x_Send(self, node: ast.Send) -> str:
        to_super = isinstance(node.receiver, ast.Name) and node.receiver.name == "super"
        # (a control message to super is a super send: its lookup starts above the method)
        inliner = INLINERS.get(node.selector) if not self.no_inline and not to_super else None
        if inliner is not None:
            atom = inliner(self, node)
            if atom is not None:
                return atom
        if to_super:
            return self.super_send(node)
        names = literal_field_names(node)
        if names is not None:
            atoms, _ = self.operands([node.receiver, *(v for _, v in node.args[0].entries)])
            return self.temp(f"_newlit({atoms[0]}, {names!r}, {tuple_text(atoms[1:])})")
        control = node.selector in CONTROL_SELECTORS
        atoms, mutating = self.operands([node.receiver, *node.args], control)
        if any(mutating):  # the send checks its receiver, after the arguments (LANGUAGE.md 2.3)
            self.emit(f"_guard({atoms[0]})")
        return self.send_atoms(atoms[0], node.selector, atoms[1:])

    def send_atoms(self, receiver: str, selector: str, args: list[str]) -> str:
        """Emit a send of evaluated operands; answer the temporary holding its value."""
        call_args = "".join(", " + a for a in args)
        slow = f"_send({receiver}, {selector!r}{call_args})"
        op = FAST_BINARY.get(selector) if len(args) == 1 else None
        if op is not None:
            checks = [c for x in (receiver, args[0])
                      if not is_int_literal(x) and (c := self.int_check(x))]
            if not checks:
                result = self.temp(f"{receiver} {op} {args[0]}")
                (self.known_bool if selector in COMPARISONS else self.int_temps).add(result)
                return result
            return self.temp(f"{receiver} {op} {args[0]} if {' and '.join(checks)} else {slow}")
        if selector == "await" and receiver.isidentifier():  # the usual receiver: a Future
            return self.temp(f"_await({receiver}) if type({receiver}) is _Future else {slow}")
        if (not receiver.isidentifier() or receiver in ("None", "True", "False")
                or (self.runs_once and self.indent == 0 and self.fn.kind == "method")):
            # (a top-level statement's straight-line code runs once: the inline cache
            # lookup below would cost more to compile than it saves)
            return self.temp(slow)
        if receiver == "self" and self.self_is_actor and selector not in REFERENCE_SELECTORS:
            return self.temp(f"_self(self, {selector!r}{call_args})")
        # The receiver's class, as rt.send finds it, for instances, classes and the values of
        # built-in classes; anything else (Booleans, actors, futures) takes the full send.
        behavior = (f"({receiver}.cls if (_ty := type({receiver})) is _Instance else "
                    f"{receiver}.meta if _ty is _BtClass else _TC.get(_ty, _NOC))")
        cached = (f"_c.fn(_rt, {receiver}{call_args}) if (_c := {behavior}.cache.get("
                  f"{selector!r})) is not None else {slow}")
        if selector in BLOCK_VALUE:
            return self.temp(f"{receiver}.fn({', '.join(args)}) if type({receiver}) is _Block "
                             f"else {cached}")
        if selector not in self.selectors:
            self.selectors.append(selector)
        by_attribute = f"{receiver}.{attribute_name(selector)}({', '.join(args)})"
        if receiver == "self" and self.self_from_pyclass:
            return self.temp(by_attribute)
        return self.temp(f"{by_attribute} if isinstance({receiver}, _Root) else {cached}")

    def int_check(self, atom: str) -> str:
        """`type(atom) is int`; for a method parameter tested in the method's straight-line
        code (which runs before anything after it), a flag computed once and reused; ""
        for a parameter known to be an int (see `specialize`) or Integer arithmetic on ints."""
        if atom in self.assume_int or atom in self.int_temps:
            return ""
        flag = self.int_flags.get(atom)
        if flag is not None and self.fn.kind == "method":
            return flag
        if (self.fn.kind == "method" and self.indent == 0 and atom[:1] == "a"
                and atom in self.fn.own):
            flag = self.int_flags[atom] = self.new("_i")
            self.emit(f"{flag} = type({atom}) is int")
            return flag
        return f"type({atom}) is int"

    def super_send(self, node: ast.Send) -> str:
        control = node.selector in CONTROL_SELECTORS
        atoms, mutating = self.operands(node.args, control)
        if any(mutating):  # the receiver is self: the built-in-receiver rule (LANGUAGE.md 2.3)
            self.emit(f"_guard({self.use('self')})")
        args = "".join(", " + a for a in atoms)
        return self.temp(f"_super(_owner.superclass, {self.use('self')}, {node.selector!r}"
                         f"{args})")

    def x_Cascade(self, node: ast.Cascade) -> str:
        if isinstance(node.receiver, ast.Name) and node.receiver.name == "super":
            # Smalltalk's meaning: every message is a super send (to self, looked up above
            # the method's class); the value is the last one's
            value = "None"
            for message in node.messages:
                value = self.super_send(ast.Send(node.receiver, message.selector, message.args,
                                                 span=node.span))
            return value
        control = any(m.selector in CONTROL_SELECTORS for m in node.messages)
        atoms, _ = self.operands([node.receiver], control)
        receiver = self.fixed(atoms[0])
        value = "None"
        for message in node.messages:
            args, mutating = self.operands(message.args, message.selector in CONTROL_SELECTORS)
            if any(mutating):
                self.emit(f"_guard({receiver})")
            value = self.send_atoms(receiver, message.selector, args)
        return value

    def x_Instantiation(self, node: ast.Instantiation) -> str:
        """`Cls new k: v ...`: field sugar when every keyword is a field (decided at run time)."""
        receiver = self.fixed(self.expr(node.receiver))
        names = tuple(node.selector.split(":")[:-1])
        control = node.selector in CONTROL_SELECTORS
        result = self.new("_t")
        self.emit(f"if _sugar({receiver}, {node.selector!r}, {names!r}):")
        self.indent += 1
        atoms, _ = self.operands(node.args, control)
        keys = [self.const(f"_Symbol({n!r})") for n in names]
        pairs = tuple_text([f"({k}, {a})" for k, a in zip(keys, atoms)])
        with_fields = "new:" if node.verb == "new" else "spawnWith:"
        self.emit(f"{result} = _send({receiver}, {with_fields!r}, _BtDict.of({pairs}))")
        self.indent -= 1
        self.emit("else:")
        self.indent += 1
        made = self.temp(f"_send({receiver}, {node.verb!r})")
        atoms, mutating = self.operands(node.args, control)
        if any(mutating):
            self.emit(f"_guard({made})")
        self.emit(f"{result} = {self.send_atoms(made, node.selector, atoms)}")
        self.indent -= 1
        return result

    # ------------------------------------------------------------ blocks

    def x_Block(self, node: ast.Block) -> str:
        return self.stored_block(node)

    def block_function(self, node: ast.Block, info: BlockInfo, fn: PyFunction) -> list[str]:
        """The `def` of a block object's function (arity checked like Block>>value:)."""
        params = [self.declare(v, "a", fn) for v in info.params]
        for v in info.temps:
            fn.inits.append(self.declare(v, "v", fn))
        fn.own.update(params)
        fn.own.update(fn.inits)
        saved = self.enter(fn)
        if fn.kind == "stored":
            self.frame_fn = fn
        try:
            self.emit(f"return {self.statements(node.body)}")
        finally:
            self.fn, self.frame_fn, self.indent = saved
        n = len(params)
        if n == 0:
            header = [f"def {fn.name}(*_x):", "    if _x: _arity(0, *_x)"]
        else:
            header = [f"def {fn.name}({', '.join(p + '=_NA' for p in params)}, *_x):",
                      f"    if _x or {params[-1]} is _NA: _arity({n}, {', '.join(params)}, *_x)"]
        body = [KILL_CHECK]
        if fn.nonlocals:
            body.append(f"nonlocal {', '.join(sorted(fn.nonlocals))}")
        body += [f"{v} = None" for v in dict.fromkeys(fn.inits)] + fn.lines
        return header + indent(body)

    def enter(self, fn: PyFunction) -> tuple:
        saved = (self.fn, self.frame_fn, self.indent)
        self.fn, self.indent = fn, 0
        return saved

    def factory(self, fn: PyFunction, lines: list[str], params: list[str],
                values: list[str]) -> str:
        """Emit `def` of a factory making the block function from `params`; answer the call
        making one from `values` here."""
        name = "_f" + fn.name[2:]
        self.emit(f"def {name}({', '.join(params)}):")
        self.indent += 1
        for line in lines:
            self.emit(line)
        self.emit(f"return {fn.name}")
        self.indent -= 1
        return f"{name}({', '.join(values)})"

    def shared_block(self, node: ast.Block) -> tuple[str, bool]:
        """A literal block given to a control message: shares the enclosing variables."""
        info = self.res.block(node)
        self.need_home(info)
        fn = PyFunction("shared", self.new("_b"))
        lines = self.block_function(node, info, fn)
        call = self.factory(fn, lines, fn.free, [self.use(v) for v in fn.free])
        return f"_Block({call}, {len(node.params)}, {info.mutating})", info.mutating

    def stored_block(self, node: ast.Block) -> str:
        """A block in a stored position: copies the outer values it reads when made."""
        info = self.res.block(node)
        self.need_home(info)
        fn = PyFunction("stored", self.new("_s"))
        captured = []
        for capture in info.captures:
            ident = self.capture_idents[id(capture)] = self.new(
                "c", capture.key.replace(".", "_"))
            fn.own.add(ident)
            captured.append(ident)
        lines = self.block_function(node, info, fn)
        values = [self.ref_value(capture.source) for capture in info.captures]
        params = captured + fn.free
        call = self.factory(fn, lines, params, values + [self.use(v) for v in fn.free])
        return self.temp(f"_Block({call}, {len(node.params)})")

    def open_inline(self, node: ast.Block) -> tuple[list[str], list[str]]:
        """The parameters and temporaries of a block inlined into the current function."""
        info = self.res.block(node)
        params = [self.declare(v, "a", self.fn) for v in info.params]
        self.fn.own.update(params)
        temps = [self.declare(v, "v", self.fn) for v in info.temps]
        return params, temps

    def inline_body(self, node: ast.Block, temps: list[str]) -> str:
        """Emit an inlined block's statements; answer its value's atom."""
        for t in temps:
            self.emit(f"{t} = None")
        return self.statements(node.body)

    def inline(self, node: ast.Block) -> str:
        """Inline a zero-parameter block here; answer its value's atom."""
        _, temps = self.open_inline(node)
        return self.inline_body(node, temps)


def literal_field_names(node: ast.Send) -> tuple[str, ...] | None:
    """For `X new: #{#a => .., #b => ..}` (distinct literal Symbol keys), the names; the send
    then passes the values without building the Dictionary (`_newlit`, pysupport.py)."""
    if node.selector != "new:" or not isinstance(node.args[0], ast.DictLit):
        return None
    keys = [k for k, _ in node.args[0].entries]
    if not all(isinstance(k, ast.SymbolLit) for k in keys):
        return None
    names = tuple(k.value for k in keys)
    return names if len(set(names)) == len(names) else None


def indent(lines: list[str]) -> list[str]:
    return ["    " + line for line in lines]


def tuple_text(atoms: list[str]) -> str:
    return "(" + "".join(a + ", " for a in atoms) + ")"


def is_variable(atom: str) -> bool:
    """An atom naming an assignable variable (its value may change before it is used)."""
    return atom[:1] == "v" and atom[1:2].isdigit()


def fold_pure_temps(lines: list[str], pure: set[str]) -> list[str]:
    """Put a temporary's expression where it is used, when that is once, in the next line,
    at the same depth, and nothing observable is evaluated before it there: a pure one's
    (`pure`: Integer arithmetic and comparisons on ints, which cannot fail or have effects;
    `_t1 = a - 1` / `_t2 = self.f(_t1)` gives `_t2 = self.f((a - 1))`), and any one that is
    returned."""
    uses: dict[str, int] = {}
    for line in lines:
        for name in TEMP_NAME.findall(line):
            uses[name] = uses.get(name, 0) + 1
    out: list[str] = []
    for line in lines:
        if out and (held := TEMP_ASSIGNMENT.fullmatch(out[-1])):
            margin, name, expr = held.groups()
            same_depth = line.startswith(margin) and line[len(margin):len(margin) + 1].strip() != ""
            foldable = name in pure or line == f"{margin}return {name}"
            if foldable and uses[name] == 2 and same_depth:
                folded, found = re.subn(rf"\b{name}\b", f"({expr})", line)
                if found:
                    out[-1] = folded
                    continue
        out.append(line)
    return out


TEMP_NAME = re.compile(r"\b_t\d+\b")
TEMP_ASSIGNMENT = re.compile(r"(\s*)(_t\d+) = (.*)")


def is_int_literal(atom: str) -> bool:
    return atom.strip("()-").isdigit()


def generate(res: Resolution, cls: Any, class_side: bool, node: ast.MethodDef,
             ) -> tuple[str, list[str], list[str]]:
    """The unit source of a resolved method, the class variables it binds, the selectors
    it sends by attribute."""
    gen = Generator(res, cls, class_side)
    source = gen.method(node)
    return source, gen.class_values, gen.selectors


def generate_top(res: Resolution, node: Any) -> tuple[str, list[str]]:
    """The unit source of a resolved top-level statement or field default, and the
    selectors it sends by attribute."""
    gen = Generator(res)
    source = gen.top(node)
    return source, gen.selectors
