"""Render AST nodes back to canonical Beamtalk source.

`to_source(node)` is the inverse of the parser: for any tree it produces, parsing the text
again gives an equal tree (spans and `MethodDef.source` never take part in equality).  The
style is canonical: single spaces around binary operators, parentheses only where the
precedence rules of LANGUAGE.md 2.1 need them, blocks, cascades, literals and method bodies
on one line, class members indented by two spaces.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .ast import (
    Assign,
    Block,
    Cascade,
    CharLit,
    ClassDef,
    DefineMethod,
    DictLit,
    FieldDecl,
    FieldRef,
    FloatLit,
    Instantiation,
    IntegerLit,
    InterpolatedString,
    ListLit,
    Message,
    MethodDef,
    Module,
    Name,
    Primitive,
    Return,
    Send,
    StateDecl,
    StringLit,
    SymbolLit,
    Temporaries,
    TupleLit,
)
from .literals import (
    char_source,
    double_quoted_body,
    float_text,
    integer_source,
    is_binary_selector,
    single_quoted,
    symbol_literal,
)

__all__ = ["binary_level", "selector_kind", "to_source"]

# ---------------------------------------------------------------- precedence

# How loosely an expression binds; an operand slot accepts anything up to a maximum.
_PRIMARY = 0  # literals, names, blocks, anything in parentheses
_UNARY = 1
_BINARY = 10  # binary level L (1..8 in the LANGUAGE.md 2.1 table) binds as _BINARY + L
_KEYWORD = 20
_CASCADE = 30
_ASSIGN = 40

_BINARY_LEVELS: dict[str, int] = {
    "**": 1,
    "*": 2, "/": 2, "%": 2,
    "+": 3, "-": 3, "++": 3, ",": 3,
    "<": 4, ">": 4, "<=": 4, ">=": 4,
    "=": 5, "==": 5, "~=": 5, "~~": 5,
    "&": 6,
    "->": 7,
    ">>": 8,
}
_DEFAULT_BINARY_LEVEL = 3
_RIGHT_ASSOCIATIVE = frozenset({"**"})



def binary_level(selector: str) -> int:
    """The precedence level (1 binds tightest, 8 loosest) of a binary selector."""
    return _BINARY_LEVELS.get(selector, _DEFAULT_BINARY_LEVEL)


def selector_kind(selector: str) -> str:
    """`"unary"`, `"binary"` or `"keyword"`: the message shape a selector implies."""
    if selector.endswith(":"):
        return "keyword"
    if is_binary_selector(selector):
        return "binary"
    return "unary"


def _binds(node: Any) -> int:
    """How loosely `node` binds when printed without parentheses."""
    if isinstance(node, Send):
        kind = selector_kind(node.selector)
        if kind == "unary":
            return _UNARY
        if kind == "binary":
            return _BINARY + binary_level(node.selector)
        return _KEYWORD
    if isinstance(node, Instantiation):
        return _KEYWORD
    if isinstance(node, Cascade):
        return _CASCADE
    if isinstance(node, Assign):
        return _ASSIGN
    return _PRIMARY


def _operand(node: Any, loosest: int, separated: bool) -> str:
    """Render `node` in a slot accepting expressions up to `loosest`, parenthesized if needed.

    `separated` is true where `,` separates items (inside `#( )`, `#{ }`, `{ }` and state
    declarations); a comma send printed there without parentheses would split the item.
    """
    if _binds(node) > loosest or (separated and _prints_bare_comma(node)):
        return "(" + _expr(node, False) + ")"
    return _expr(node, separated)


def _prints_bare_comma(node: Any) -> bool:
    """Does `node` itself print a `,` message (a comma send or a cascade with one)?"""
    if isinstance(node, Send):
        return node.selector == ","
    if isinstance(node, Cascade):
        return any(m.selector == "," for m in node.messages)
    return False


def _expr(node: Any, separated: bool = False) -> str:
    """Render an expression node (its own precedence is the caller's concern)."""
    render = _EXPRESSIONS.get(type(node))
    if render is None:
        raise TypeError(f"not an expression node: {type(node).__name__}")
    return render(node, separated)


# ---------------------------------------------------------------- literals


def _integer(node: IntegerLit, separated: bool) -> str:
    return integer_source(node.value)


def _float(node: FloatLit, separated: bool) -> str:
    return float_text(node.value)


def _string(node: StringLit, separated: bool) -> str:
    return single_quoted(node.value)


def _interpolated(node: InterpolatedString, separated: bool) -> str:
    pieces = []
    for part in node.parts:
        if isinstance(part, str):
            pieces.append(double_quoted_body(part))
        else:
            pieces.append("{" + _expr(part) + "}")
    return '"' + "".join(pieces) + '"'


def _char(node: CharLit, separated: bool) -> str:
    return char_source(node.value)


def _symbol(node: SymbolLit, separated: bool) -> str:
    return symbol_literal(node.value)


def _items(elements: tuple[Any, ...]) -> str:
    return ", ".join(_operand(e, _ASSIGN, True) for e in elements)


def _list(node: ListLit, separated: bool) -> str:
    return "#(" + _items(node.elements) + ")"


def _tuple(node: TupleLit, separated: bool) -> str:
    return "{" + _items(node.elements) + "}"


def _dict(node: DictLit, separated: bool) -> str:
    entries = (
        _operand(k, _ASSIGN, True) + " => " + _operand(v, _ASSIGN, True)
        for k, v in node.entries
    )
    return "#{" + ", ".join(entries) + "}"


# ---------------------------------------------------------------- names and sends


def _name(node: Name, separated: bool) -> str:
    return node.name


def _field_ref(node: FieldRef, separated: bool) -> str:
    return "self." + node.name


def _assign(node: Assign, separated: bool) -> str:
    return _expr(node.target) + " := " + _operand(node.value, _ASSIGN, separated)


def _message(
    selector: str, args: tuple[Any, ...], separated: bool, cascade_part: bool = False
) -> str:
    """The message part `foo`, `+ arg` or `at: a put: b` (without its receiver).

    After `;` a binary message takes a unary expression as its argument (`x foo; + (a * b)`).
    """
    kind = selector_kind(selector)
    if kind == "unary":
        return selector
    if kind == "binary":
        level = binary_level(selector)
        loosest = _BINARY + level - (0 if selector in _RIGHT_ASSOCIATIVE else 1)
        if cascade_part:
            loosest = _UNARY
        return f"{selector} {_operand(args[0], loosest, separated)}"
    keywords = selector[:-1].split(":")
    return " ".join(
        f"{k}: {_operand(a, _KEYWORD - 1, separated)}"
        for k, a in zip(keywords, args, strict=True)
    )


def _receiver_slot(selector: str) -> int:
    """The loosest receiver a message with `selector` takes without parentheses."""
    kind = selector_kind(selector)
    if kind == "unary":
        return _UNARY
    if kind == "binary":
        level = binary_level(selector)
        return _BINARY + level - (1 if selector in _RIGHT_ASSOCIATIVE else 0)
    return _KEYWORD - 1


_INSTANTIATION_VERBS = frozenset({"new", "spawn"})


def _send(node: Send, separated: bool, in_cascade: bool = False) -> str:
    loosest = _receiver_slot(node.selector)
    receiver = node.receiver
    if (
        not in_cascade
        and selector_kind(node.selector) == "keyword"
        and isinstance(receiver, Send)
        and receiver.selector in _INSTANTIATION_VERBS
    ):
        loosest = _PRIMARY  # `(x new) k: a` is a send; `x new k: a` would be the 2.7 sugar
    text = _operand(receiver, loosest, separated)
    space = "" if node.selector == "," else " "  # `a, b` like the spec's examples
    return text + space + _message(node.selector, node.args, separated)


def _instantiation(node: Instantiation, separated: bool) -> str:
    receiver = _operand(node.receiver, _UNARY, separated)
    return f"{receiver} {node.verb} {_message(node.selector, node.args, separated)}"


def _cascade(node: Cascade, separated: bool) -> str:
    # The first part is an ordinary send to the receiver; the parser takes the cascade's
    # receiver from the last message of that send, so the same parenthesization applies
    # (except that `x new k: a; m` is never the instantiation sugar).
    first, *rest = node.messages
    text = _send(Send(node.receiver, first.selector, first.args), separated, in_cascade=True)
    return "; ".join([text, *(_message(m.selector, m.args, separated, True) for m in rest)])


def _block(node: Block, separated: bool) -> str:
    head = "".join(f":{p} " for p in node.params)
    if node.params:
        head += "| "
    if node.temps:
        head += "| " + " ".join(node.temps) + " | "
    body = _statements(node.body)
    return "[" + (head + body if body else head.rstrip()) + "]"


_EXPRESSIONS: dict[type, Callable[[Any, bool], str]] = {
    IntegerLit: _integer,
    FloatLit: _float,
    StringLit: _string,
    InterpolatedString: _interpolated,
    CharLit: _char,
    SymbolLit: _symbol,
    ListLit: _list,
    TupleLit: _tuple,
    DictLit: _dict,
    Name: _name,
    FieldRef: _field_ref,
    Assign: _assign,
    Send: _send,
    Cascade: _cascade,
    Block: _block,
    Instantiation: _instantiation,
}


# ---------------------------------------------------------------- statements and definitions


def _return(node: Return, indent: str) -> str:
    return "^" + _expr(node.value)


def _primitive(node: Primitive, indent: str) -> str:
    return "@primitive" if node.name is None else "@primitive " + single_quoted(node.name)


def _temporaries(node: Temporaries, indent: str) -> str:
    return "| " + " ".join(node.names) + " |"


def _doc_lines(doc: str | None, indent: str) -> list[str]:
    if doc is None:
        return []
    return [indent + "///" + (" " + line if line else "") for line in doc.split("\n")]


def _pattern(node: MethodDef) -> str:
    kind = selector_kind(node.selector)
    if kind == "unary":
        return node.selector
    if kind == "binary":
        return f"{node.selector} {node.params[0]}"
    keywords = node.selector[:-1].split(":")
    return " ".join(f"{k}: {p}" for k, p in zip(keywords, node.params, strict=True))


def _method_line(node: MethodDef, indent: str = "") -> str:
    """`pattern => | temps | body` on one line (without modifiers or doc).

    A primitive with a Beamtalk fallback body prints `pattern => @primitive` and the
    fallback on the next line, indented (LANGUAGE.md 5).
    """
    head = [_pattern(node), "=>"]
    body = node.body
    fallback = len(body) > 1 and isinstance(body[0], Primitive)
    if fallback:
        head.append(_statement(body[0]))
        body = body[1:]
    rest = []
    if node.temps:
        rest.append("| " + " ".join(node.temps) + " |")
    if body:
        rest.append(_statements(body))
    if fallback:
        return " ".join(head) + "\n" + indent + "    " + " ".join(rest)
    return " ".join(head + rest)


def _method(node: MethodDef, indent: str) -> str:
    modifiers = ("class " if node.class_side else "") + ("sealed " if node.sealed else "")
    return "\n".join([*_doc_lines(node.doc, indent),
                      indent + modifiers + _method_line(node, indent)])


def _field(node: FieldDecl, indent: str) -> str:
    if node.default is None:
        return node.name
    return node.name + " = " + _operand(node.default, _ASSIGN, True)


def _state(node: StateDecl, indent: str) -> str:
    keyword = "classState: " if node.class_side else "state: "
    return indent + keyword + ", ".join(_field(f, indent) for f in node.fields)


def _class(node: ClassDef, indent: str) -> str:
    header = f"{node.modifier} " if node.modifier else ""
    header += f"{node.superclass} subclass: {node.name}"
    lines = [*_doc_lines(node.doc, indent), indent + header]
    lines.extend(_statement(m, indent + "  ") for m in node.members)
    return "\n".join(lines)


def _define_method(node: DefineMethod, indent: str) -> str:
    method = node.method
    target = node.class_name + (" class" if method.class_side else "")
    modifiers = "sealed " if method.sealed else ""
    line = f"{indent}{target} >> {modifiers}{_method_line(method)}"
    return "\n".join([*_doc_lines(method.doc, indent), line])


def _module(node: Module, indent: str) -> str:
    return "".join(_statement(s, indent) + "\n" for s in node.body)


def _message_node(node: Message, indent: str) -> str:
    return _message(node.selector, node.args, False, True)


_STATEMENTS: dict[type, Callable[[Any, str], str]] = {
    Return: _return,
    Primitive: _primitive,
    Temporaries: _temporaries,
    ClassDef: _class,
    DefineMethod: _define_method,
    MethodDef: _method,
    StateDecl: _state,
    FieldDecl: _field,
    Module: _module,
    Message: _message_node,
}


def _statement(node: Any, indent: str = "") -> str:
    render = _STATEMENTS.get(type(node))
    if render is not None:
        return render(node, indent)
    return indent + _expr(node)


def _statements(body: tuple[Any, ...]) -> str:
    """Statements of a block or method body on one line, separated by `. `."""
    return ". ".join(_statement(s) for s in body)


def to_source(node: Any) -> str:
    """Render any AST node (module, statement, expression or member) as Beamtalk source."""
    return _statement(node)
