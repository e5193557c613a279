"""The parser driver: lex, lay out, run the PLY tables, recover after errors.

PLY's tables are cached outside the source tree (the user cache directory, keyed by a
hash of the grammar), so they are built once per grammar change, never per start.
After a syntax error the driver records the diagnostic and resumes at the next line
that starts at column 0, so one run reports every broken top-level statement.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import hashlib
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import ply
import ply.yacc as yacc

from . import ast, grammar, simple_lines
from .diagnostics import Diagnostic, DiagnosticError
from .layout import LayoutPass
from .lexer import CLOSERS, OPERAND_END, Interpolation, LexResult, Token, tokenize

TOKEN_WORDS = {
    "NEWLINE": "end of line", "INDENT": "indented line", "DEDENT": "end of the indented body",
    "DOT": "`.`", "SEMI": "`;`", "COMMA": "`,`", "COLON": "`:`", "BAR": "`|`", "CARET": "`^`",
    "ASSIGN": "`:=`", "ARROW": "`=>`", "LPAREN": "`(`", "RPAREN": "`)`", "LBRACKET": "`[`",
    "RBRACKET": "`]`", "LBRACE": "`{`", "RBRACE": "`}`", "LISTOPEN": "`#(`", "DICTOPEN": "`#{`",
    "IDENT": "a name", "KEYWORD": "a keyword", "FIELD": "a field", "INTEGER": "a number",
    "FLOAT": "a number", "STRING": "a string", "ISTRING": "a string", "CHAR": "a character",
    "SYMBOL": "a symbol", "PRIMITIVE": "`@primitive`", "SUBCLASS": "`subclass:`",
    "STATE": "`state:`", "CLASSSTATE": "`classState:`", "DEFINE": "`>>`",
}
OPERAND_START = frozenset(
    {"IDENT", "FIELD", "INTEGER", "FLOAT", "STRING", "ISTRING", "CHAR", "SYMBOL", "LPAREN",
     "LBRACKET", "LBRACE", "LISTOPEN", "DICTOPEN"}
)


# How deeply one statement's expressions may nest.  The parser itself is iterative, but
# the passes after it (analysis, compilation, evaluation) recurse once or a few times per
# level on a big-stack thread; deeper input is a diagnostic, never a host RecursionError.
MAX_NESTING = 100_000


def cache_dir() -> Path | None:
    """The user cache directory for generated files (None when it cannot be written)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "beamtalk"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return path if os.access(path, os.W_OK) else None


def grammar_hash() -> str:
    """A key for the table cache: the grammar's source and the PLY version."""
    text = Path(grammar.__file__).read_bytes() + ply.__version__.encode()
    return hashlib.sha256(text).hexdigest()[:16]


@functools.lru_cache(maxsize=1)
def _parser():
    """The LALR parser, from cached tables when they exist."""
    quiet = yacc.NullLogger()
    options = dict(module=grammar, debug=False, errorlog=quiet, tabmodule="_beamtalk_no_tables")
    cache = cache_dir()
    if cache is None:
        return yacc.yacc(write_tables=False, **options)
    path = cache / f"parsetab-{grammar_hash()}.pickle"
    if path.exists():
        try:
            return yacc.yacc(picklefile=str(path), **options)
        except Exception:  # a damaged cache file: rebuild it
            pass
    fd, tmp = tempfile.mkstemp(dir=cache, suffix=".tmp")
    os.close(fd)
    os.unlink(tmp)
    parser = yacc.yacc(picklefile=tmp, **options)
    try:
        os.replace(tmp, path)
    except OSError:
        pass
    return parser


class _Feed:
    """What PLY reads tokens from; also carries the per-parse context for grammar actions."""

    def __init__(self, tokens: Iterator[Token], lexed: LexResult,
                 start: Token | None = None):
        self.tokens = tokens
        self.start = start
        self.seen: list[Token] = []  # every token handed out so far
        self.filename = lexed.filename
        self.source = lexed.source
        self.doc_lines = lexed.doc_lines
        self.parenthesized: set[int] = set()  # ids of nodes written in parentheses

    def token(self) -> Token | None:
        if self.start is not None:
            tok, self.start = self.start, None
        else:
            tok = next(self.tokens, None)
        if tok is not None:
            self.seen.append(tok)
        return tok

    def peek(self) -> Token | None:
        """The token after the last one handed out (None at the end or on a layout error)."""
        tok = None
        while True:
            try:
                tok = next(self.tokens, None)
            except DiagnosticError:
                return None
            if tok is None:
                return None
            self.seen.append(tok)
            if tok.type not in ("NEWLINE", "DEDENT"):
                return tok


class _Session:
    """One parse of one source text."""

    def __init__(self, lexed: LexResult):
        self.lexed = lexed
        self.parser = _parser()

    def run(self, tokens: list[Token], mode: str = "module", start: Token | None = None):
        stream = LayoutPass(tokens, self.lexed.filename, self.interpolation, mode).stream()
        feed = _Feed(stream, self.lexed, start)
        try:
            return self.parser.parse(lexer=feed)
        except grammar.UnexpectedToken as exc:
            if exc.tok is not None:
                feed.peek()
            raise self.unexpected(exc.tok, feed.seen) from None

    def interpolation(self, interp: Interpolation) -> ast.Expr:
        start = interp.open_token.retyped("INTERP_START", "{")
        if not interp.tokens:
            return ast.Name("nil", span=grammar.token_span(interp.open_token))
        return self.run(interp.tokens, mode="interp", start=start)

    def unexpected(self, tok: Token | None, laid: list[Token]) -> DiagnosticError:
        """A diagnostic for a token the grammar cannot take, with a hint where one helps."""
        filename = self.lexed.filename
        expected = self.expected()
        if tok is None:
            last = laid[-1] if laid else None
            line, col = (last.end_line, last.end_col + 1) if last else (1, 1)
            diag = Diagnostic("unexpected end of input", filename, line, col, 1,
                              "the last statement is incomplete")
            return DiagnosticError([diag])
        where = laid.index(tok) if tok in laid else -1
        prev = laid[where - 1] if where > 0 else None
        nxt = laid[where + 1] if 0 <= where < len(laid) - 1 else None
        at_end = all(t.type in ("NEWLINE", "DEDENT") for t in laid[where:])
        message = f"unexpected {'end of input' if at_end else describe(tok, self.lexed.source)}"
        wanted = [TOKEN_WORDS[t] for t in expected if t in TOKEN_WORDS]
        if 0 < len(expected) <= 3 and len(wanted) == len(expected):
            message += f"; expected {' or '.join(sorted(set(wanted)))}"
        hint = self.hint(tok, prev, nxt, laid[:where] if where >= 0 else laid)
        if at_end and hint is None:
            hint = "the last statement is incomplete"
        if expected == ["ARROW"] and innermost_bracket(laid[:where]) is None:
            hint = "a class body holds `state:`, `classState:` and methods `pattern => body`"
        length = max(1, tok.end - tok.lexpos) if tok.type not in ("NEWLINE", "DEDENT") else 1
        line, col = tok.lineno, tok.col + 1
        if tok.type in ("NEWLINE", "DEDENT") and prev is not None:
            line, col = prev.end_line, prev.end_col + 1
        err = DiagnosticError([Diagnostic(message, filename, line, col, length, hint)])
        return err

    def expected(self) -> list[str]:
        state = getattr(self.parser, "state", None)
        return sorted(self.parser.action.get(state, {}).keys())

    def hint(self, tok: Token, prev: Token | None, nxt: Token | None,
             before: list[Token]) -> str | None:
        kind = tok.type
        operand_ended = prev is not None and prev.type in OPERAND_END
        if kind == "OP3" and tok.value == "-" and not operand_ended and nxt is not None:
            if nxt.type == "IDENT":
                return f"use `{nxt.value} negated`"
            if nxt.type in ("INTEGER", "FLOAT"):
                return "write a negative number with no space after `-`"
        if kind in OPERAND_START and operand_ended and innermost_bracket(before) == "#(":
            return "separate elements with commas"
        if kind == "ARROW":
            return ("`=>` defines a method: in a class body, or `Cls >> pattern => body` "
                    "at the start of a top-level line")
        if prev is not None and prev.type == "IDENT" and len(before) >= 2 \
                and before[-2].type == "SUBCLASS":
            return "a class header stands alone on its line"
        if kind == "ASSIGN":
            return "only variables and `self.field` can be assigned"
        if kind in CLOSERS | {"NEWLINE", "DEDENT", "DOT"} and prev is not None \
                and prev.type.startswith("OP"):
            return f"an operand is missing after `{prev.value}`"
        if prev is not None and prev.type == "KEYWORD":
            return f"`{prev.value}` needs an argument"
        if kind == "CARET":
            return "`^` starts a statement"
        return None


def innermost_bracket(tokens: list[Token]) -> str | None:
    """The innermost bracket still open at the end of a laid-out token list."""
    stack: list[str] = []
    opens = {"LPAREN": "(", "LISTOPEN": "#(", "DICTOPEN": "#{", "LBRACE": "{", "LBRACKET": "["}
    for t in tokens:
        if t.type in opens:
            stack.append(opens[t.type])
        elif t.type in CLOSERS and stack:
            stack.pop()
    return stack[-1] if stack else None


def describe(tok: Token, source: str) -> str:
    """How a token is named in a message: its text, or a word for layout tokens."""
    if tok.type in ("NEWLINE", "INDENT", "DEDENT", "INTERP_START"):
        return TOKEN_WORDS.get(tok.type, "start of interpolation")
    text = source[tok.lexpos:tok.end].splitlines()[0] if tok.end > tok.lexpos else ""
    if len(text) > 24:
        text = text[:21] + "..."
    if tok.type.startswith("OP"):
        return f"operator `{text}`"
    return f"`{text}`" if text else TOKEN_WORDS.get(tok.type, tok.type)


def _resume_at(tokens: list[Token], line: int) -> int | None:
    """The index of the first token after `line` that starts a column-0 line."""
    prev_end = 0
    for i, tok in enumerate(tokens):
        first = tok.lineno > prev_end
        prev_end = max(prev_end, tok.end_line)
        if first and tok.lineno > line and tok.col == 0 and tok.type not in CLOSERS:
            return i
    return None


def _parse_planned(session: _Session, tokens: list[Token], body: list[ast.Stmt]) -> int | None:
    """Parse simple lines directly and the ranges between them with PLY, into `body`.

    Answers None when the whole file is parsed, else the index of the first token of the
    range that failed: the plain PLY parse (with its error recovery) goes on from there,
    so a file with errors gets exactly the diagnostics it would get without this path.
    """
    for item in simple_lines.plan(tokens):
        if type(item) is not tuple:
            body.append(item)
            continue
        start, end = item
        try:
            body.extend(session.run(tokens[start:end]).body)
        except (DiagnosticError, RecursionError):
            return start
    return None


def too_deep(stmt: object) -> ast.Span | None:
    """The span of the first node nested deeper than MAX_NESTING in a statement, if any."""
    stack: list[tuple[object, int]] = [(stmt, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_NESTING:
            span = getattr(node, "span", None)
            return span if span is not None else getattr(stmt, "span", None) or ast.Span(
                1, 1, 1, 1)
        for name in _child_fields(type(node)):
            value = getattr(node, name)
            if isinstance(value, tuple):
                stack.extend((v, depth + 1) for v in value if dataclasses.is_dataclass(v))
            elif dataclasses.is_dataclass(value):
                stack.append((value, depth + 1))
    return None


@functools.cache
def _child_fields(kind: type) -> tuple[str, ...]:
    """The fields of an AST node type that may hold nodes (not spans or source text)."""
    if not dataclasses.is_dataclass(kind):
        return ()
    return tuple(f.name for f in dataclasses.fields(kind) if f.name not in ("span", "source"))


def parse_module(source: str, filename: str = "<input>", first_line: int = 1) -> ast.Module:
    """Parse a whole file; raise DiagnosticError with every syntax error found."""
    with gc_paused():
        return _parse_module(source, filename, first_line)


class _CollectorPause:
    """Counts the parses that want the cycle collector off, across threads.

    The collector is one switch for the whole process, so this mirrors it (the one piece of
    module state here): the first pause turns it off, the last resume restores it. Without the
    count, two threads parsing at once could leave it off for good.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.depth = 0
        self.was_enabled = False

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        with self.lock:
            if self.depth == 0:
                self.was_enabled = gc.isenabled()
                gc.disable()
            self.depth += 1
        try:
            yield
        finally:
            with self.lock:
                self.depth -= 1
                if self.depth == 0 and self.was_enabled:
                    gc.enable()


_COLLECTOR = _CollectorPause()


def gc_paused() -> contextlib.AbstractContextManager[None]:
    """No cycle collection while a parse builds its (acyclic) tokens and tree.

    Otherwise the collector walks every object made so far again and again as they pile up
    (a quarter of the time of a 50,000-line file); they are all still in use anyway.
    """
    return _COLLECTOR.paused()


def _parse_module(source: str, filename: str, first_line: int,
                  fast_lines: bool = True) -> ast.Module:
    source = source.removeprefix("\ufeff")  # a UTF-8 byte order mark is not part of the text
    lexed = tokenize(source, filename, first_line)
    session = _Session(lexed)
    tokens = lexed.tokens
    body: list[ast.Stmt] = []
    diagnostics: list[Diagnostic] = []
    start = _parse_planned(session, tokens, body) if fast_lines else 0
    while start is not None:
        try:
            module = session.run(tokens[start:])
            body.extend(module.body)
            break
        except DiagnosticError as err:
            diagnostics.extend(err.diagnostics)
            resume = _resume_at(tokens, err.diagnostics[0].line)
            if resume is None or resume <= start:
                break
            start = resume
        except RecursionError:
            tok = tokens[start]
            diagnostics.append(Diagnostic("expression nested too deeply", filename,
                                          tok.lineno, tok.col + 1, 1,
                                          "split it into smaller statements"))
            break
    for stmt in body:
        span = getattr(stmt, "span", None)
        # Every level of nesting takes at least a character of its statement's text, so a
        # statement shorter than the limit (with room to spare) cannot be too deep.
        if span is not None and 0 < span.end - span.start < MAX_NESTING // 4:
            continue
        deep = too_deep(stmt)
        if deep is not None:
            diagnostics.append(Diagnostic(
                f"expression nested too deeply (more than {MAX_NESTING:,} levels)", filename,
                deep.line, deep.col, 1, "split it into smaller statements"))
    if lexed.errors:
        # A parse error on a line the scanner already complained about is an echo of it.
        bad_lines = {d.line for d in lexed.errors}
        diagnostics = lexed.errors + [d for d in diagnostics if d.line not in bad_lines]
        diagnostics.sort(key=lambda d: (d.line, d.col))
    if diagnostics:
        raise DiagnosticError(diagnostics, source)
    span = None
    if body and body[0].span is not None:
        span = body[0].span.to(body[-1].span)
    return ast.Module(tuple(body), span=span)
