"""The layout pass: line breaks and indentation become NEWLINE/INDENT/DEDENT (LANGUAGE.md 2.2).

It also settles what only context can tell:
- the sign of `-` before a digit (a negative literal where an operand is expected);
- the precedence class of each binary operator (OP1 `**` ... OP8 `>>`);
- whether a comma separates literal elements / state fields or is the `,` operator;
- the structural keywords: class headers (SUBCLASS, MODIFIER), `state:`/`classState:`
  members (STATE, CLASSSTATE), `class`/`sealed` method prefixes (MODIFIER) and the `>>`
  of a top-level method definition (DEFINE).

Frames: a *region* is a statement list laid out by indentation (top level, a class body,
an indented method body); a *block* is `[ ... ]`, whose statements are separated by line
breaks too but never indented structurally; a *bracket* is `( #( #{ {` or an
interpolation, inside which line breaks are plain white space.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .diagnostics import Diagnostic, DiagnosticError
from .lexer import CLOSERS, OPERAND_END, Interpolation, Token

OPERATOR_LEVELS = {
    "**": 1, "*": 2, "/": 2, "%": 2, "<": 4, ">": 4, "<=": 4, ">=": 4,
    "=": 5, "==": 5, "~=": 5, "~~": 5, "&": 6, "->": 7, ">>": 8,
}
DEFAULT_LEVEL = 3
INCOMPLETE_AFTER = frozenset(
    {"OP1", "OP2", "OP3", "OP4", "OP5", "OP6", "OP7", "OP8", "KEYWORD", "ASSIGN", "CARET",
     "STATE", "CLASSSTATE", "SUBCLASS", "DEFINE"}
)
OPENERS = {"LPAREN": "(", "LISTOPEN": "#(", "DICTOPEN": "#{", "LBRACE": "{", "LBRACKET": "["}
CLOSES = {"RPAREN": ("(", "#("), "RBRACKET": ("[",), "RBRACE": ("{", "#{")}
SEPARATING_BRACKETS = frozenset({"#(", "#{", "{"})
HEADER_MODIFIERS = frozenset({"abstract", "sealed"})
METHOD_MODIFIERS = frozenset({"class", "sealed"})


@dataclass(slots=True)
class Nesting:
    kind: str  # "region", "block" or "bracket"
    opener: Token | None = None
    bracket: str = ""  # for brackets and blocks: "(" "#(" "#{" "{" "[" "interp"
    region: str = "top"  # for regions: "top", "class" or "method"
    indent: int = 0
    indent1: int = 0
    stmt_col: int | None = None
    stmt_col1: int = 0
    after_dot: bool = False
    pending: str | None = None  # "class" or "method": an indented body may follow
    header_end: int = -1  # index of the class name token of a header statement
    comma_sep: bool = False  # inside a state:/classState: member
    block_state: str = "start"  # block header: start, params, after_params, temps, body
    owner_col: int = 0  # for indented bodies: the column of the statement that opened it


class LayoutPass:
    """Turns one token list into the token stream the parser reads."""

    def __init__(self, tokens: list[Token], filename: str,
                 parse_interpolation: Callable[[Interpolation], object], mode: str = "module"):
        self.src = tokens
        self.filename = filename
        self.parse_interpolation = parse_interpolation
        self.out: list[Token] = []
        self.prev: Token | None = None
        self.line_first: dict[int, Token] = {}
        last_line = 0
        for tok in tokens:
            if tok.lineno > last_line and tok.lineno not in self.line_first:
                self.line_first[tok.lineno] = tok
            last_line = max(last_line, tok.end_line)
        if mode == "module":
            self.frames = [Nesting("region")]
        else:
            self.frames = [Nesting("bracket", bracket="interp")]

    # ------------------------------------------------------------------ driver

    def run(self) -> list[Token]:
        """The laid-out token list (without the end marker)."""
        return list(self.stream())

    def stream(self) -> Iterator[Token]:
        """The laid-out tokens, produced as the parser asks for them.

        Lazily, so that a layout error further down (an unmatched bracket) cannot hide
        the statements and errors before it.
        """
        i = 0
        n = len(self.src)
        sent = 0
        while i < n:
            tok = self.src[i]
            if self.prev is not None and tok.lineno > self.prev.end_line:
                self.line_break(tok)
            i = self.token(tok, i)
            while sent < len(self.out):
                yield self.out[sent]
                sent += 1
        self.finish()
        yield from self.out[sent:]

    # ------------------------------------------------------------------ errors

    def error(self, tok: Token, message: str, hint: str | None = None) -> DiagnosticError:
        diag = Diagnostic(message, self.filename, tok.lineno, tok.col + 1,
                          max(1, tok.end - tok.lexpos) if tok.end_line == tok.lineno else 1, hint)
        err = DiagnosticError([diag])
        err.token_index = tok.index  # type: ignore[attr-defined]
        return err

    # ------------------------------------------------------------------ emission

    def synth(self, type: str, at: Token) -> None:
        t = at.retyped(type, type)
        self.out.append(t)

    def emit(self, tok: Token) -> None:
        self.out.append(tok)
        self.prev = tok

    # ------------------------------------------------------------------ line breaks

    def line_break(self, tok: Token) -> None:
        frame = self.frames[-1]
        if frame.kind == "bracket":
            return
        if frame.kind == "block":
            self.block_line_break(frame, tok)
        else:
            self.region_line_break(frame, tok)

    def block_line_break(self, frame: Nesting, tok: Token) -> None:
        if tok.type in CLOSERS or frame.stmt_col is None:
            return
        if self.out[-1].type in INCOMPLETE_AFTER or tok.col > frame.stmt_col:
            return
        self.synth("NEWLINE", self.prev)
        frame.stmt_col = None

    def region_line_break(self, frame: Nesting, tok: Token) -> None:
        if tok.type in CLOSERS:
            return
        if self.prev is not None and self.prev.index == frame.header_end:
            frame.pending = "class"
        if frame.pending:
            pending, frame.pending = frame.pending, None
            if frame.stmt_col is not None and self.deeper(tok, frame.stmt_col, frame.stmt_col1):
                self.synth("INDENT", tok)
                self.frames.append(Nesting("region", region=pending, indent=tok.col,
                                         indent1=tok.col1, owner_col=frame.stmt_col))
                return
        elif frame.stmt_col is not None and (
            self.out[-1].type in INCOMPLETE_AFTER
            or self.deeper(tok, frame.stmt_col, frame.stmt_col1)
        ):
            return  # the statement continues on this line
        self.synth("NEWLINE", self.prev)
        frame.stmt_col = None
        frame.comma_sep = False
        frame.after_dot = False
        frame.header_end = -1
        self.dedent(tok)

    def compare(self, tok: Token, col: int, col1: int) -> int:
        """-1, 0 or 1 as this line's first token is left of, at or right of `col`.

        Indentation whose meaning would change with the tab size is an error.
        """
        by_eight = (tok.col > col) - (tok.col < col)
        if by_eight != (tok.col1 > col1) - (tok.col1 < col1):
            raise self.error(tok, "indentation mixes tabs and spaces ambiguously",
                             "indent with spaces only (a tab counts up to the next multiple of 8)")
        return by_eight

    def deeper(self, tok: Token, col: int, col1: int) -> bool:
        """Is this line's first token right of `col`?"""
        return self.compare(tok, col, col1) > 0

    def dedent(self, tok: Token) -> None:
        """Close every indented body that this line is left of."""
        popped = None
        while (self.frames[-1].region != "top"
               and self.compare(tok, self.frames[-1].indent, self.frames[-1].indent1) < 0):
            self.synth("DEDENT", tok)
            popped = self.frames.pop()
            outer = self.frames[-1]
            outer.stmt_col = None
            outer.comma_sep = False
            outer.after_dot = False
        frame = self.frames[-1]
        if popped is not None and frame.region == "top" and tok.col > popped.owner_col:
            raise self.error(
                tok, "this line's indentation matches no enclosing level",
                f"the body above starts at column {popped.indent + 1}; the definition that "
                f"opened it at column {popped.owner_col + 1}")
        if frame.region != "top" and tok.col != frame.indent:
            raise self.error(
                tok, "this line's indentation matches no enclosing level",
                f"statements of this body start at column {frame.indent + 1}",
            )

    # ------------------------------------------------------------------ tokens

    def token(self, tok: Token, i: int) -> int:
        """Lay out the token at index i; answer the index of the next token to read."""
        frame = self.frames[-1]
        if frame.kind == "region" and frame.stmt_col is None:
            self.start_region_statement(frame, tok, i)
            tok = self.src[i]  # it may have been retagged
        elif frame.kind == "block":
            self.advance_block_header(frame, tok)
        kind = tok.type
        if kind in OPENERS:
            bracket = OPENERS[kind]
            self.frames.append(Nesting("block" if bracket == "[" else "bracket",
                                     opener=tok, bracket=bracket))
        elif kind in CLOSERS:
            self.close(tok)
        elif kind == "BINOP":
            return self.operator(tok, i)
        elif kind == "COMMA":
            if frame.kind == "bracket" and frame.bracket in SEPARATING_BRACKETS:
                pass
            elif frame.kind == "region" and frame.comma_sep:
                pass
            else:
                tok = tok.retyped("OP3", ",")
        elif kind == "DOT":
            if frame.kind in ("region", "block"):
                frame.stmt_col = None
                frame.after_dot = True
        elif kind == "ARROW" and frame.kind == "region":
            nxt = self.src[i + 1] if i + 1 < len(self.src) else None
            if nxt is None or nxt.lineno > tok.end_line or primitive_line(self.src, i + 1):
                # `pattern =>` or `pattern => @primitive` ending its line: an indented body
                # may follow (after `@primitive`, the Beamtalk fallback of LANGUAGE.md 5).
                frame.pending = "method"
        elif kind == "ISTRING":
            tok = tok.retyped("ISTRING", [
                part if isinstance(part, str) else self.parse_interpolation(part)
                for part in tok.value
            ])
        self.emit(tok)
        return i + 1

    def start_region_statement(self, frame: Nesting, tok: Token, i: int) -> None:
        first = self.line_first.get(tok.lineno, tok)
        frame.stmt_col, frame.stmt_col1 = first.col, first.col1
        if frame.after_dot:
            frame.after_dot = False
            return
        if frame.region == "top":
            self.mark_header(frame, i) or self.mark_definition(i)
        elif frame.region == "class":
            self.mark_member(frame, i)

    def mark_header(self, frame: Nesting, i: int) -> bool:
        """`[abstract|sealed] Super subclass: Name` at the start of a top-level statement."""
        src = self.src
        j = i
        if src[j].type == "IDENT" and src[j].value in HEADER_MODIFIERS:
            j += 1
        if (j + 1 < len(src) and src[j].type == "IDENT" and src[j + 1].type == "KEYWORD"
                and src[j + 1].value == "subclass:"):
            if j > i:
                src[i] = src[i].retyped("MODIFIER")
            src[j + 1] = src[j + 1].retyped("SUBCLASS")
            if j + 2 < len(src):
                frame.header_end = src[j + 2].index
            return True
        return False

    def mark_definition(self, i: int) -> bool:
        """`Name [class] >> pattern =>` at the start of a top-level statement."""
        src = self.src
        j = i
        if src[j].type != "IDENT":
            return False
        j += 1
        side = None
        if j < len(src) and src[j].type == "IDENT" and src[j].value == "class":
            side = j
            j += 1
        if not (j < len(src) and src[j].type == "BINOP" and src[j].value == ">>"):
            return False
        arrow = pattern_end(src, j + 1)
        if arrow is None:
            return False
        if side is not None:
            src[side] = src[side].retyped("MODIFIER")
        src[j] = src[j].retyped("DEFINE")
        return True

    def mark_member(self, frame: Nesting, i: int) -> None:
        """Retag the structural words that start a class-body member."""
        src = self.src
        tok = src[i]
        if tok.type == "KEYWORD" and tok.value in ("state:", "classState:"):
            src[i] = tok.retyped("STATE" if tok.value == "state:" else "CLASSSTATE")
            frame.comma_sep = True
            return
        j = i
        while (j + 1 < len(src) and src[j].type == "IDENT" and src[j].value in METHOD_MODIFIERS
               and src[j + 1].type != "ARROW"):
            src[j] = src[j].retyped("MODIFIER")
            j += 1

    def advance_block_header(self, frame: Nesting, tok: Token) -> None:
        """Track `[:a :b | | t |` so the block's first statement gets its column."""
        state, kind = frame.block_state, tok.type
        if state == "start":
            state = {"COLON": "params", "BAR": "temps"}.get(kind, "body")
        elif state == "params":
            if kind == "BAR":
                state = "after_params"
            elif kind not in ("COLON", "IDENT"):
                state = "body"
        elif state == "after_params":
            state = "temps" if kind == "BAR" else "body"
        elif state == "temps":
            if kind == "BAR":
                state = "open"
                frame.block_state = state
                return
            if kind != "IDENT":
                state = "body"
        elif state == "open":
            state = "body"
        frame.block_state = state
        if state == "body" and frame.stmt_col is None:
            frame.stmt_col = tok.col

    def close(self, tok: Token) -> None:
        frame = self.frames[-1]
        want = CLOSES[tok.type]
        if frame.kind == "region":
            raise self.error(tok, f"unmatched `{tok_text(tok)}`",
                             "remove it, or open the bracket it should close")
        if frame.bracket not in want:
            op = frame.opener
            where = f" opened at line {op.lineno}, column {op.col + 1}" if op else ""
            raise self.error(tok, f"`{tok_text(tok)}` does not close `{frame.bracket}`{where}",
                             f"close `{frame.bracket}` with `{closer_for(frame.bracket)}`")
        self.frames.pop()

    def operator(self, tok: Token, i: int) -> int:
        """A binary operator token, or the sign of a negative literal."""
        nxt = self.src[i + 1] if i + 1 < len(self.src) else None
        if (tok.value == "-" and nxt is not None and nxt.type in ("INTEGER", "FLOAT")
                and nxt.lexpos == tok.end and not self.operand_just_ended()):
            merged = nxt.retyped(nxt.type, -nxt.value)
            merged.lexpos, merged.col, merged.col1 = tok.lexpos, tok.col, tok.col1
            merged.lineno, merged.index = tok.lineno, tok.index
            self.emit(merged)
            return i + 2
        level = OPERATOR_LEVELS.get(tok.value, DEFAULT_LEVEL)
        self.emit(tok.retyped(f"OP{level}"))
        return i + 1

    def operand_just_ended(self) -> bool:
        return bool(self.out) and self.out[-1].type in OPERAND_END

    def finish(self) -> None:
        frame = self.frames[-1]
        if frame.kind != "region":
            if frame.bracket == "interp":
                return
            op = frame.opener
            raise self.error(op, f"`{frame.bracket}` is never closed",
                             f"close it with `{closer_for(frame.bracket)}`")
        if self.prev is None:
            return
        self.synth("NEWLINE", self.prev)
        while len(self.frames) > 1:
            self.frames.pop()
            self.synth("DEDENT", self.prev)


def primitive_line(src: list[Token], j: int) -> bool:
    """Is src[j:] `@primitive` or `@primitive 'name'` and then the end of its line?"""
    if j >= len(src) or src[j].type != "PRIMITIVE":
        return False
    last = src[j + 1] if j + 1 < len(src) and src[j + 1].lineno == src[j].lineno else src[j]
    if last is not src[j] and last.type != "STRING":
        return False
    after = j + 1 if last is src[j] else j + 2
    return after >= len(src) or src[after].lineno > last.end_line


def pattern_end(src: list[Token], j: int) -> int | None:
    """If a method pattern starts at j and is followed by `=>`, the index of that arrow."""
    n = len(src)
    if j < n and src[j].type == "IDENT":
        j += 1
    elif j < n and src[j].type in ("BINOP", "COMMA"):
        if not (j + 1 < n and src[j + 1].type == "IDENT"):
            return None
        j += 2
    elif j < n and src[j].type == "KEYWORD":
        while j + 1 < n and src[j].type == "KEYWORD" and src[j + 1].type == "IDENT":
            j += 2
    else:
        return None
    return j if j < n and src[j].type == "ARROW" else None


def tok_text(tok: Token) -> str:
    return {"RPAREN": ")", "RBRACKET": "]", "RBRACE": "}"}.get(tok.type, str(tok.value))


def closer_for(bracket: str) -> str:
    return {"(": ")", "#(": ")", "#{": "}", "{": "}", "[": "]", "interp": "}"}[bracket]
