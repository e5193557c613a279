"""The Beamtalk abstract syntax tree: small immutable dataclasses carrying source spans.

Nodes are never changed once made (`dataclasses.replace` makes a changed copy), and they
hash and compare by value as frozen dataclasses do (`unsafe_hash`).  They are not declared
`frozen`: a frozen dataclass sets each field through `object.__setattr__`, which makes
building a tree about twice as slow (a parse of a long file makes millions of nodes).

Spans never take part in equality, so two trees parsed from differently laid out
source compare equal when they mean the same program (the printer round-trip relies
on this).  `MethodDef.source` is likewise excluded: it is the original text.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True, unsafe_hash=True)
class Span:
    """A region of source: 1-based line and column of its first and past-its-last character."""

    line: int
    col: int
    end_line: int
    end_col: int
    start: int = 0  # character offsets into the source text
    end: int = 0

    def to(self, other: Span | None) -> Span:
        """The span from the start of self to the end of other."""
        if other is None:
            return self
        return Span(self.line, self.col, other.end_line, other.end_col, self.start, other.end)


def _span() -> Span | None:
    return field(default=None, compare=False, repr=False, kw_only=True)


# ---------------------------------------------------------------- expressions


@dataclass(slots=True, unsafe_hash=True)
class IntegerLit:
    value: int
    span: Span | None = _span()


@dataclass(slots=True, unsafe_hash=True)
class FloatLit:
    value: float
    span: Span | None = _span()


@dataclass(slots=True, unsafe_hash=True)
class StringLit:
    value: str
    span: Span | None = _span()


@dataclass(slots=True, unsafe_hash=True)
class InterpolatedString:
    """`"a {expr} b"`: literal text pieces (str) alternating with spliced expressions."""

    parts: tuple[str | Expr, ...]
    span: Span | None = _span()


@dataclass(slots=True, unsafe_hash=True)
class CharLit:
    value: str
    span: Span | None = _span()


@dataclass(slots=True, unsafe_hash=True)
class SymbolLit:
    value: str
    span: Span | None = _span()


@dataclass(slots=True, unsafe_hash=True)
class ListLit:
    elements: tuple[Expr, ...]
    span: Span | None = _span()


@dataclass(slots=True, unsafe_hash=True)
class TupleLit:
    elements: tuple[Expr, ...]
    span: Span | None = _span()


@dataclass(slots=True, unsafe_hash=True)
class DictLit:
    entries: tuple[tuple[Expr, Expr], ...]
    span: Span | None = _span()


@dataclass(slots=True, unsafe_hash=True)
class Name:
    """An identifier: variable, global, or pseudo-variable (`self`, `nil`, ...)."""

    name: str
    span: Span | None = _span()


@dataclass(slots=True, unsafe_hash=True)
class FieldRef:
    """`self.name`."""

    name: str
    span: Span | None = _span()


@dataclass(slots=True, unsafe_hash=True)
class Assign:
    target: Name | FieldRef
    value: Expr
    span: Span | None = _span()


@dataclass(slots=True, unsafe_hash=True)
class Send:
    """A unary, binary or keyword message; the selector's shape says which."""

    receiver: Expr
    selector: str
    args: tuple[Expr, ...]
    span: Span | None = _span()


@dataclass(slots=True, unsafe_hash=True)
class Instantiation:
    """`expr new k1: a1 ...` or `expr spawn k1: a1 ...` (LANGUAGE.md 2.7), decided at run time.

    The parser makes this only for that exact form: not for `(expr new) k1: a1`, and not
    inside a cascade, which stay ordinary sends.
    """

    receiver: Expr
    verb: str  # "new" or "spawn"
    selector: str
    args: tuple[Expr, ...]
    span: Span | None = _span()


@dataclass(slots=True, unsafe_hash=True)
class Message:
    """One part of a cascade."""

    selector: str
    args: tuple[Expr, ...]
    span: Span | None = _span()


@dataclass(slots=True, unsafe_hash=True)
class Cascade:
    """`r m1; m2; m3`: every message goes to `receiver`; the value is the last one's."""

    receiver: Expr
    messages: tuple[Message, ...]
    span: Span | None = _span()


@dataclass(slots=True, unsafe_hash=True)
class Block:
    params: tuple[str, ...]
    temps: tuple[str, ...]
    body: tuple[Stmt, ...]
    span: Span | None = _span()


Expr = (
    IntegerLit | FloatLit | StringLit | InterpolatedString | CharLit | SymbolLit
    | ListLit | TupleLit | DictLit | Name | FieldRef | Assign | Send | Cascade | Block
    | Instantiation
)


# ---------------------------------------------------------------- statements


@dataclass(slots=True, unsafe_hash=True)
class Return:
    """`^expr`."""

    value: Expr
    span: Span | None = _span()


@dataclass(slots=True, unsafe_hash=True)
class Primitive:
    """`@primitive` or `@primitive 'name'`: a method body supplied by the backend (stdlib only)."""

    name: str | None
    span: Span | None = _span()


@dataclass(slots=True, unsafe_hash=True)
class Temporaries:
    """`| a b |` at top level (in methods and blocks temporaries belong to the body)."""

    names: tuple[str, ...]
    span: Span | None = _span()


@dataclass(slots=True, unsafe_hash=True)
class FieldDecl:
    name: str
    default: Expr | None
    span: Span | None = _span()


@dataclass(slots=True, unsafe_hash=True)
class StateDecl:
    """`state: a = 1, b` (instance fields) or `classState: n = 0` (class_side)."""

    fields: tuple[FieldDecl, ...]
    class_side: bool = False
    span: Span | None = _span()


@dataclass(slots=True, unsafe_hash=True)
class MethodDef:
    selector: str
    params: tuple[str, ...]
    temps: tuple[str, ...]
    body: tuple[Stmt, ...]
    class_side: bool = False
    sealed: bool = False
    doc: str | None = None
    source: str = field(default="", compare=False, repr=False)
    span: Span | None = _span()


@dataclass(slots=True, unsafe_hash=True)
class ClassDef:
    """`[abstract|sealed] Super subclass: Name` with its indented members."""

    name: str
    superclass: str
    modifier: str | None  # None, "abstract" or "sealed"
    members: tuple[StateDecl | MethodDef, ...]
    doc: str | None = None
    span: Span | None = _span()


@dataclass(slots=True, unsafe_hash=True)
class DefineMethod:
    """Top-level `Cls >> pattern => body` or `Cls class >> pattern => body`."""

    class_name: str
    method: MethodDef
    span: Span | None = _span()


Stmt = Expr | Return | Primitive | Temporaries | ClassDef | DefineMethod


@dataclass(slots=True, unsafe_hash=True)
class Module:
    """A whole source file: its top-level statements in order."""

    body: tuple[Stmt, ...]
    span: Span | None = _span()


EXPRESSION_TYPES = (
    IntegerLit, FloatLit, StringLit, InterpolatedString, CharLit, SymbolLit,
    ListLit, TupleLit, DictLit, Name, FieldRef, Assign, Send, Cascade, Block, Instantiation,
)
