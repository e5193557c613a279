"""The PLY scanner: source text to raw tokens with positions (LANGUAGE.md section 1).

Layout (NEWLINE/INDENT/DEDENT), operator precedence classes and the sign of negative
literals are decided later, in `layout.py`, which sees whole lines.  The scanner records
comments (for doc comments and the conformance transcript reader) and collects errors
instead of stopping at the first one.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from dataclasses import dataclass, field

import ply.lex as lex
from ply.lex import TOKEN

from .diagnostics import Diagnostic
from .literals import (
    CHAR_ESCAPES,
    FLOAT_PATTERN,
    IDENTIFIER_PATTERN,
    INTEGER_PATTERN,
    KEYWORD_SELECTOR_PATTERN,
    MAX_RADIX,
    MIN_RADIX,
    OPERATOR_CLASS,
    RADIX_PATTERN,
    STRING_ESCAPES,
    operator_run,
)

# Tokens after which an operand has just ended (so a following `-` is a binary minus).
OPERAND_END = frozenset(
    {"IDENT", "FIELD", "INTEGER", "FLOAT", "STRING", "ISTRING", "CHAR", "SYMBOL",
     "RPAREN", "RBRACKET", "RBRACE"}
)
CLOSERS = frozenset({"RPAREN", "RBRACKET", "RBRACE"})
MAX_INTERPOLATION_DEPTH = 32


class Token:
    """A token with its position; PLY's parser reads `type`, `value`, `lineno`, `lexpos`."""

    __slots__ = ("type", "value", "lineno", "lexpos", "end", "col", "col1",
                 "end_line", "end_col", "first", "index", "lexer")

    def __init__(self, type: str, value: object, lineno: int, lexpos: int, end: int,
                 col: int, col1: int, end_line: int, end_col: int):
        self.type = type
        self.value = value
        self.lineno = lineno
        self.lexpos = lexpos
        self.end = end
        self.col = col  # 0-based visual column (tabs to multiples of 8)
        self.col1 = col1  # 0-based column counting a tab as one (for tab-ambiguity checks)
        self.end_line = end_line
        self.end_col = end_col
        self.first = False  # first token on its line
        self.index = 0

    def retyped(self, type: str, value: object = None) -> Token:
        """A copy of this token with another type (and value)."""
        t = Token(type, self.value if value is None else value, self.lineno, self.lexpos,
                  self.end, self.col, self.col1, self.end_line, self.end_col)
        t.first, t.index = self.first, self.index
        return t

    def __repr__(self) -> str:
        return f"Token({self.type}, {self.value!r}, {self.lineno}:{self.col})"


@dataclass(slots=True)
class Interpolation:
    """One `{expr}` of a double-quoted string: its raw tokens and where the braces are."""

    tokens: list[Token]
    open_token: Token
    close_token: Token


@dataclass
class LexResult:
    """Everything the scanner learned about a source text."""

    tokens: list[Token]
    errors: list[Diagnostic]
    comments: list[tuple[int, int, str]]  # (line, col, text including the slashes)
    doc_lines: dict[int, str]  # line -> text of a `///` comment on that line
    source: str
    filename: str
    positions: SourcePositions = field(repr=False, default=None)  # type: ignore[assignment]


class SourcePositions:
    """Maps character offsets to (line, visual column) pairs."""

    def __init__(self, source: str, first_line: int = 1):
        self.source = source
        self.first_line = first_line
        self.starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", source)]
        self.tabs = [m.start() for m in re.finditer("\t", source)]  # (columns stay linear)

    def line_of(self, pos: int) -> int:
        """The 1-based line holding offset `pos`."""
        return bisect.bisect_right(self.starts, pos) - 1 + self.first_line

    def columns(self, pos: int) -> tuple[int, int]:
        """(visual column with tabs of 8, raw column) of offset `pos`, both 0-based."""
        start = self.starts[self.line_of(pos) - self.first_line]
        first_tab = bisect.bisect_left(self.tabs, start)
        if first_tab == len(self.tabs) or self.tabs[first_tab] >= pos:
            return pos - start, pos - start
        prefix = self.source[start:pos]
        return len(prefix.expandtabs(8)), len(prefix)


class _Rules:
    """PLY rule set.  Function rules are tried in definition order."""

    tokens = (
        "IDENT", "KEYWORD", "FIELD", "INTEGER", "FLOAT", "STRING", "ISTRING", "CHAR",
        "SYMBOL", "LISTOPEN", "DICTOPEN", "LPAREN", "RPAREN", "LBRACKET", "RBRACKET",
        "LBRACE", "RBRACE", "ASSIGN", "CARET", "BAR", "DOT", "SEMI", "ARROW", "COMMA",
        "COLON", "BINOP", "PRIMITIVE",
    )

    t_ignore = " \t\f\v"

    def t_newline(self, t):
        r"\r\n|\r|\n"
        return None

    def t_doc_or_comment(self, t):
        r"//[^\r\n]*"
        t.lexer.ctx.comment(t.lexpos, t.value)
        return None

    def t_block_comment(self, t):
        r"/\*"
        end = t.lexer.lexdata.find("*/", t.lexpos + 2)
        t.lexer.ctx.comment(t.lexpos, t.lexer.lexdata[t.lexpos:end + 2 if end >= 0 else None])
        if end < 0:
            t.lexer.ctx.error(t.lexpos, 2, "unterminated block comment",
                              "close it with `*/`")
            t.lexer.lexpos = len(t.lexer.lexdata)
        else:
            t.lexer.lexpos = end + 2
        return None

    def t_PRIMITIVE(self, t):
        r"@primitive\b"
        return t

    def t_FIELD(self, t):
        r"self\.[A-Za-z_][A-Za-z0-9_]*"
        t.value = t.value[5:]
        return t

    def t_bad_field(self, t):
        r"[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*"
        obj, name = t.value.split(".", 1)
        if obj == "self":  # `self.name:` keyword-looking: let the parser complain
            hint = "a field is read as `self.name`; keywords cannot follow it directly"
        else:
            hint = f"fields are private; send `{obj} {name}`"
        t.lexer.ctx.error(t.lexpos, len(t.value), f"field access on `{obj}`", hint)
        return None

    def t_IDENT(self, t):
        r"[A-Za-z_][A-Za-z0-9_]*(:(?!=))?"
        if t.value.endswith(":"):
            t.type = "KEYWORD"
        return t

    @TOKEN(FLOAT_PATTERN)
    def t_FLOAT(self, t):
        value = float(t.value)
        if math.isinf(value):
            t.lexer.ctx.error(t.lexpos, len(t.value), "float literal out of range",
                              "the largest Float is about 1.8e308")
            value = 0.0
        t.value = value
        return t

    @TOKEN(RADIX_PATTERN)
    def t_radix_integer(self, t):
        base_text, digits = t.value.split("r", 1)
        base = int(base_text)
        t.type = "INTEGER"
        if not MIN_RADIX <= base <= MAX_RADIX:
            t.lexer.ctx.error(t.lexpos, len(t.value), f"radix {base} is out of range",
                              "a radix is between 2 and 36")
            t.value = 0
            return t
        try:
            t.value = int(digits, base)
        except ValueError:
            t.lexer.ctx.error(t.lexpos, len(t.value), f"`{digits}` is not a base-{base} number")
            t.value = 0
        return t

    @TOKEN(INTEGER_PATTERN)
    def t_INTEGER(self, t):
        t.value = int(t.value)
        return t

    def t_STRING(self, t):
        r"'([^']|'')*'"
        t.value = t.value[1:-1].replace("''", "'")
        return t

    def t_unterminated_string(self, t):
        r"'"
        t.lexer.ctx.error(t.lexpos, 1, "unterminated string", "close it with `'`")
        _skip_line(t.lexer)
        return None

    def t_ISTRING(self, t):
        r'"'
        return _scan_interpolated(t)

    def t_CHAR(self, t):
        r"\$(\\.|[^\r\n])"
        text = t.value[1:]
        if text.startswith("\\") and len(text) == 2:
            if text[1] not in CHAR_ESCAPES:
                t.lexer.ctx.error(t.lexpos, 3, f"unknown character escape `{t.value}`",
                                  "escapes are $\\n $\\t $\\r $\\\\")
                return None
            t.value = CHAR_ESCAPES[text[1]]
        else:
            t.value = text
        return t

    def t_bad_char(self, t):
        r"\$"
        t.lexer.ctx.error(t.lexpos, 1, "`$` must be followed by a character",
                          "write $\\n for a line break")
        return None

    def t_LISTOPEN(self, t):
        r"\#\("
        return t

    def t_DICTOPEN(self, t):
        r"\#\{"
        return t

    def t_quoted_symbol(self, t):
        r"\#'([^']|'')*'"
        t.type = "SYMBOL"
        t.value = t.value[2:-1].replace("''", "'")
        return t

    @TOKEN(rf"\#({KEYWORD_SELECTOR_PATTERN}|{IDENTIFIER_PATTERN}|{OPERATOR_CLASS}+|,)")
    def t_SYMBOL(self, t):
        name = operator_run(t.value[1:])  # `#+// note`: the comment is not part of the symbol
        if not name:
            t.lexer.lexpos = t.lexpos + 1
            return self.t_bad_symbol(t)
        t.lexer.lexpos = t.lexpos + 1 + len(name)
        t.value = name
        return t

    def t_bad_symbol(self, t):
        r"\#"
        t.lexer.ctx.error(t.lexpos, 1, "`#` must start a symbol, `#(` or `#{`",
                          "symbols look like #name, #at:put:, #+ or #'any text'")
        return None

    def t_ASSIGN(self, t):
        r":="
        return t

    def t_COLON(self, t):
        r":"
        return t

    @TOKEN(OPERATOR_CLASS + "+")
    def t_BINOP(self, t):
        text = operator_run(t.value)
        if not text:  # cannot happen: comment rules come first; keep PLY honest
            return None
        data = t.lexer.lexdata
        after = t.lexpos + len(text)
        # `x*-1`: a run ending in `-` before a digit gives up the `-` (layout decides its sign).
        if len(text) > 1 and text.endswith("-") and after < len(data) and data[after].isdigit():
            text = text[:-1]
        t.lexer.lexpos = t.lexpos + len(text)
        t.value = text
        if text == "=>":
            t.type = "ARROW"
        return t

    def t_LPAREN(self, t):
        r"\("
        return t

    def t_RPAREN(self, t):
        r"\)"
        return t

    def t_LBRACKET(self, t):
        r"\["
        return t

    def t_RBRACKET(self, t):
        r"\]"
        return t

    def t_LBRACE(self, t):
        r"\{"
        return t

    def t_RBRACE(self, t):
        r"\}"
        return t

    def t_CARET(self, t):
        r"\^"
        return t

    def t_BAR(self, t):
        r"\|"
        return t

    def t_DOT(self, t):
        r"\."
        return t

    def t_SEMI(self, t):
        r";"
        return t

    def t_COMMA(self, t):
        r","
        return t

    def t_error(self, t):
        ch = t.value[0]
        hint = None
        if ch == "`":
            hint = "use ' or \" for strings"
        t.lexer.ctx.error(t.lexpos, 1, f"unexpected character {ch!r}", hint)
        t.lexer.skip(1)


def _skip_line(lexer) -> None:
    """Recovery: continue scanning at the next line."""
    data = lexer.lexdata
    m = re.compile(r"\r\n|\r|\n").search(data, lexer.lexpos)
    lexer.lexpos = m.start() if m else len(data)


def _scan_interpolated(t):
    """Scan a double-quoted string from its opening quote; `{expr}` parts are sub-scanned."""
    lexer = t.lexer
    ctx = lexer.ctx
    data = lexer.lexdata
    pos = t.lexpos + 1
    parts: list[str | Interpolation] = []
    text: list[str] = []
    while True:
        if pos >= len(data):
            ctx.error(t.lexpos, 1, "unterminated string", 'close it with `"`')
            lexer.lexpos = t.lexpos + 1
            _skip_line(lexer)
            return None
        ch = data[pos]
        if ch == '"':
            pos += 1
            break
        if ch == "\\":
            esc = data[pos + 1] if pos + 1 < len(data) else ""
            if esc not in STRING_ESCAPES:
                ctx.error(pos, 2, f"unknown escape `\\{esc}` in a string",
                          'escapes are \\n \\t \\r \\\\ \\" \\{ \\}')
                pos += 2
                continue
            text.append(STRING_ESCAPES[esc])
            pos += 2
            continue
        if ch == "}":
            ctx.error(pos, 1, "unmatched `}` in a string", "write \\} for a literal brace")
            pos += 1
            continue
        if ch == "{":
            if text:
                parts.append("".join(text))
                text = []
            interp, pos = _scan_interpolation(lexer, pos)
            if interp is None:
                return None
            parts.append(interp)
            continue
        text.append(ch)
        pos += 1
    if text:
        parts.append("".join(text))
    lexer.lexpos = pos
    t.value = parts
    return t


def _scan_interpolation(lexer, brace: int) -> tuple[Interpolation | None, int]:
    """Scan the tokens of `{expr}` starting at the brace; answer them and the offset after `}`."""
    ctx = lexer.ctx
    if ctx.depth >= MAX_INTERPOLATION_DEPTH:
        ctx.error(brace, 1, "interpolations nested too deeply",
                  "compute the inner string in a variable first")
        return None, len(lexer.lexdata)
    ctx.depth += 1
    try:
        return _scan_interpolation_body(lexer, brace)
    finally:
        ctx.depth -= 1


def _scan_interpolation_body(lexer, brace: int) -> tuple[Interpolation | None, int]:
    ctx = lexer.ctx
    sub = lexer.clone()
    sub.ctx = ctx
    sub.lexpos = brace + 1
    open_token = ctx.make(_raw("LBRACE", "{", brace), brace + 1)
    tokens: list[Token] = []
    depth = 0
    while True:
        raw = sub.token()
        if raw is None:
            ctx.error(brace, 1, "unterminated interpolation", "close it with `}`")
            lexer.lexpos = len(lexer.lexdata)
            return None, len(lexer.lexdata)
        if raw.type in ("LBRACE", "DICTOPEN"):
            depth += 1
        elif raw.type == "RBRACE":
            if depth == 0:
                close = ctx.make(raw, sub.lexpos)
                if not tokens:
                    ctx.error(brace, 2, "empty interpolation `{}`",
                              "put an expression inside, or write \\{\\} for braces")
                return Interpolation(tokens, open_token, close), sub.lexpos
            depth -= 1
        tokens.append(ctx.make(raw, sub.lexpos))


def _raw(type: str, value: object, pos: int):
    tok = lex.LexToken()
    tok.type, tok.value, tok.lexpos, tok.lineno = type, value, pos, 0
    return tok


class _Context:
    """Per-scan state reachable from PLY rules as `t.lexer.ctx`."""

    def __init__(self, source: str, filename: str, positions: SourcePositions):
        self.source = source
        self.filename = filename
        self.positions = positions
        self.errors: list[Diagnostic] = []
        self.comments: list[tuple[int, int, str]] = []
        self.doc_lines: dict[int, str] = {}
        self.depth = 0  # nesting of interpolations being scanned

    def error(self, pos: int, length: int, message: str, hint: str | None = None) -> None:
        line = self.positions.line_of(pos)
        col, _ = self.positions.columns(pos)
        self.errors.append(Diagnostic(message, self.filename, line, col + 1, length, hint))

    def comment(self, pos: int, text: str) -> None:
        line = self.positions.line_of(pos)
        col, _ = self.positions.columns(pos)
        self.comments.append((line, col, text))
        if text.startswith("///"):
            body = text[3:]
            self.doc_lines[line] = body[1:] if body.startswith(" ") else body

    def make(self, raw, end: int) -> Token:
        """Wrap a PLY token with line and column information."""
        return self.make_at(raw.type, raw.value, raw.lexpos, end)

    def make_at(self, type: str, value: object, pos: int, end: int) -> Token:
        """A token of source[pos:end] with line and column information."""
        p = self.positions
        if not p.tabs:  # the usual case: one search finds the line, columns are offsets
            starts = p.starts
            index = bisect.bisect_right(starts, pos) - 1
            start = starts[index]
            last = end - 1 if end - 1 > pos else pos
            if index + 1 == len(starts) or last < starts[index + 1]:  # on a single line
                line = index + p.first_line
                return Token(type, value, line, pos, end, pos - start, pos - start,
                             line, last - start + 1)
        line = p.line_of(pos)
        col, col1 = p.columns(pos)
        last = max(pos, end - 1)
        end_line = p.line_of(last)
        end_col = p.columns(last)[0] + 1
        return Token(type, value, line, pos, end, col, col1, end_line, end_col)


# The commonest lexemes, matched by one pattern before PLY's rules are consulted (a third
# of the scanning time).  Each alternative matches only where PLY's first matching rule
# would give the same token; anything else (operators, comments, strings, floats, fields,
# `@primitive`, errors) is left to PLY at that position.  Possessive quantifiers keep a
# name or number from matching a shorter prefix when its lookahead refuses it.
# White space before a lexeme is matched with it (group `space`, possibly empty).
_FAST_LEXEMES = re.compile(
    r"(?P<space>[ \t\f\v]*+)(?:"
    r"(?P<newline>\r\n|\r|\n)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*+)(?![.][A-Za-z_])(?P<colon>:(?!=))?"
    r"|(?P<integer>[0-9]{1,1000}+)(?![0-9.er])"
    r"|(?P<assign>:=)"
    r"|(?P<single>[()\[\]{}^;,|]))"
)
_SINGLES = {"(": "LPAREN", ")": "RPAREN", "[": "LBRACKET", "]": "RBRACKET", "{": "LBRACE",
            "}": "RBRACE", "^": "CARET", ";": "SEMI", ",": "COMMA", "|": "BAR"}


@functools.lru_cache(maxsize=1)
def _template():
    """The PLY lexer, built once per process and cloned for each scan."""
    return lex.lex(module=_Rules(), optimize=False, debug=False)


def tokenize(source: str, filename: str = "<input>", first_line: int = 1) -> LexResult:
    """Scan `source` into tokens; errors are collected, not raised."""
    positions = SourcePositions(source, first_line)
    ctx = _Context(source, filename, positions)
    lexer = _template().clone()
    lexer.ctx = ctx
    lexer.input(source)
    tokens: list[Token] = []
    last_line = 0
    fast = _FAST_LEXEMES.match
    make_at = ctx.make_at
    # The fast lexemes never span lines: without tabs, their line is counted here as the
    # newlines go by, and their columns are offsets from its start (what make_at finds
    # with a search per token).  After a token of PLY's, which may span lines or follow
    # skipped comments, the count is found again.
    plain_columns = not positions.tabs
    starts = positions.starts
    first_line = positions.first_line
    line_index = 0
    line_start = 0
    pos = 0
    size = len(source)
    while pos < size:
        m = fast(source, pos)
        if m is not None:
            kind = m.lastgroup
            end = m.end()
            if kind == "newline":
                pos = end
                line_index += 1
                line_start = end
                continue
            pos = m.end("space")
            text = source[pos:end]
            if kind == "name":
                kind, value = "IDENT", text
            elif kind == "colon":
                kind, value = "KEYWORD", text
            elif kind == "integer":
                kind, value = "INTEGER", int(text)
            elif kind == "assign":
                kind, value = "ASSIGN", text
            else:
                kind, value = _SINGLES[text], text
            if plain_columns:
                line = line_index + first_line
                col = pos - line_start
                tok = Token(kind, value, line, pos, end, col, col, line, end - line_start)
            else:
                tok = make_at(kind, value, pos, end)
            pos = end
        else:
            lexer.lexpos = pos
            raw = lexer.token()
            if raw is None:
                break
            pos = lexer.lexpos
            tok = ctx.make(raw, pos)
            line_index = bisect.bisect_right(starts, pos) - 1
            line_start = starts[line_index]
        tok.first = tok.lineno > last_line
        tok.index = len(tokens)
        last_line = tok.end_line
        tokens.append(tok)
    return LexResult(tokens, ctx.errors, ctx.comments, ctx.doc_lines, source, filename, positions)
