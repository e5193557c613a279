"""A fast path for simple top-level lines: the grammar's AST without the PLY parser.

Most lines of a script are one short statement: `x := 1`, `total := total + (n)`...
A *simple line* starts at column 0, ends its statement on the same line (the next line
starts at column 0 too, so it cannot continue it), and is made only of names, fields,
literals, unary, binary and keyword sends, assignments and a leading `^`.  Such a line
is parsed here by precedence climbing into exactly the nodes (and spans) the grammar in
`grammar.py` builds; anything else, including every line this parser would reject, is
left to PLY, which owns the diagnostics.  The driver (`parser.py`) falls back to the
plain PLY parse from the first range that fails, so errors read the same either way.
"""

from __future__ import annotations

from . import ast
from .grammar import LITERALS, token_span
from .layout import DEFAULT_LEVEL, OPERATOR_LEVELS
from .lexer import CLOSERS, Token

# The raw token types a simple line may hold (no brackets, cascades, separators, ...).
SIMPLE = frozenset({"IDENT", "FIELD", "INTEGER", "FLOAT", "STRING", "CHAR", "SYMBOL",
                    "ASSIGN", "BINOP", "KEYWORD", "CARET"})
LOWEST = 8  # OP8 (`>>`) binds least


class _Reject(Exception):
    """The line is not simple after all: PLY parses it."""


def plan(tokens: list[Token]) -> list[tuple[int, int] | ast.Stmt]:
    """The file as a sequence of simple statements and (start, end) token ranges for PLY."""
    items: list[tuple[int, int] | ast.Stmt] = []
    n = len(tokens)
    pending = 0  # start of the token range not yet planned
    i = 0
    while i < n:
        tok = tokens[i]
        j = line_end(tokens, i)
        if tok.col == 0 and tok.first and j > i:
            stmt = simple_statement(tokens, i, j)
            if stmt is not None:
                if pending < i:
                    items.append((pending, i))
                items.append(stmt)
                pending = j
                i = j
                continue
        i = next_line(tokens, i)
    if pending < n:
        items.append((pending, n))
    return items


def line_end(tokens: list[Token], i: int) -> int:
    """Past the last token of the one-line run at i, or i if the line cannot be simple."""
    n = len(tokens)
    line = tokens[i].lineno
    j = i
    while j < n and tokens[j].lineno == line:
        tok = tokens[j]
        if tok.type not in SIMPLE or tok.end_line != line or tok.value == "subclass:":
            return i
        j += 1
    if j < n:  # the next line must start a statement of its own
        nxt = tokens[j]
        if nxt.col != 0 or nxt.type in CLOSERS:
            return i
    return j


def next_line(tokens: list[Token], i: int) -> int:
    """The index of the first token that starts a later line than the token at i."""
    n = len(tokens)
    last = tokens[i].end_line
    i += 1
    while i < n and (tokens[i].lineno <= last or not tokens[i].first):
        last = max(last, tokens[i].end_line)
        i += 1
    return i


def simple_statement(tokens: list[Token], i: int, j: int) -> ast.Stmt | None:
    """The statement of tokens[i:j], or None if it is not a simple one."""
    try:
        return _LineParser(tokens[i:j]).statement()
    except (_Reject, RecursionError):
        return None


_END = Token("END", None, 0, 0, 0, 0, 0, 0, 0)  # after a line's last token


class _LineParser:
    """Recursive descent with precedence climbing over one simple line's tokens."""

    def __init__(self, toks: list[Token]):
        self.toks = toks
        self.size = len(toks)
        toks += (_END, _END)  # so that looking two past the end needs no bounds check
        self.k = 0

    def statement(self) -> ast.Stmt:
        first = self.toks[0]
        if first.type == "CARET":
            self.k = 1
            value = self.expression()
            stmt: ast.Stmt = ast.Return(value, span=token_span(first).to(value.span))
        else:
            stmt = self.expression()
        if self.k != self.size:
            raise _Reject
        return stmt

    def expression(self) -> ast.Expr:
        toks = self.toks
        targets = []
        while toks[self.k + 1].type == "ASSIGN":  # `a := b := ...` without recursion
            tok = toks[self.k]
            if tok.type == "IDENT":
                targets.append(ast.Name(tok.value, span=token_span(tok)))
            elif tok.type == "FIELD":
                targets.append(ast.FieldRef(tok.value, span=token_span(tok)))
            else:
                raise _Reject
            self.k += 2
        value = self.keyword_expr()
        for target in reversed(targets):
            value = ast.Assign(target, value, span=target.span.to(value.span))
        return value

    def keyword_expr(self) -> ast.Expr:
        receiver = self.binary_expr(LOWEST)
        tok = self.toks[self.k]
        if tok.type != "KEYWORD":
            return receiver
        selector = ""
        args = []
        start = token_span(tok)
        while tok.type == "KEYWORD":
            self.k += 1
            selector += tok.value
            args.append(self.binary_expr(LOWEST))
            tok = self.toks[self.k]
        span = receiver.span.to(start.to(args[-1].span))
        if type(receiver) is ast.Send and receiver.selector in ("new", "spawn") \
                and not receiver.args:
            return ast.Instantiation(receiver.receiver, receiver.selector, selector,
                                     tuple(args), span=span)
        return ast.Send(receiver, selector, tuple(args), span=span)

    def binary_expr(self, max_level: int) -> ast.Expr:
        left = self.unary_expr()
        toks = self.toks
        while True:
            tok = toks[self.k]
            if tok.type != "BINOP":
                return left
            level = OPERATOR_LEVELS.get(tok.value, DEFAULT_LEVEL)
            if level > max_level:
                return left
            self.k += 1
            # `**` (level 1) is right-associative; every other level is left-associative.
            right = self.binary_expr(1 if level == 1 else level - 1)
            left = ast.Send(left, tok.value, (right,), span=left.span.to(right.span))

    def unary_expr(self) -> ast.Expr:
        node = self.primary()
        toks = self.toks
        while True:
            tok = toks[self.k]
            if tok.type != "IDENT" or toks[self.k + 1].type == "ASSIGN":
                return node
            if tok.value[0].isupper():  # an error the grammar reports
                raise _Reject
            self.k += 1
            node = ast.Send(node, tok.value, (), span=node.span.to(token_span(tok)))

    def primary(self) -> ast.Expr:
        toks = self.toks
        tok = toks[self.k]
        self.k += 1
        kind = tok.type
        if kind == "IDENT":
            return ast.Name(tok.value, span=token_span(tok))
        if kind in LITERALS:
            return LITERALS[kind](tok.value, span=token_span(tok))
        if kind == "FIELD":
            return ast.FieldRef(tok.value, span=token_span(tok))
        number = toks[self.k]
        if (kind == "BINOP" and tok.value == "-" and number.type in ("INTEGER", "FLOAT")
                and number.lexpos == tok.end):
            # A negative number, as the layout pass glues it: a `-` right before digits
            # where an operand is expected (here, always: an operand never ends before it).
            self.k += 1
            span = ast.Span(tok.lineno, tok.col + 1, number.end_line, number.end_col + 1,
                            tok.lexpos, number.end)
            return LITERALS[number.type](-number.value, span=span)
        raise _Reject
