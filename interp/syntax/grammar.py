"""The PLY (yacc) grammar of Beamtalk: token stream from `layout.py` to the AST of `ast.py`.

Each `p_` function's docstring is its production; the body builds one AST node.
The token stream already says where statements end (NEWLINE), where indented bodies
start and stop (INDENT/DEDENT), each binary operator's precedence class (OP1..OP8),
and which words are structural (SUBCLASS, MODIFIER, STATE, CLASSSTATE, DEFINE).
"""

from __future__ import annotations

import dataclasses

from . import ast
from .diagnostics import Diagnostic, DiagnosticError
from .lexer import Token

tokens = (
    "IDENT", "KEYWORD", "FIELD", "INTEGER", "FLOAT", "STRING", "ISTRING", "CHAR", "SYMBOL",
    "LISTOPEN", "DICTOPEN", "LPAREN", "RPAREN", "LBRACKET", "RBRACKET", "LBRACE", "RBRACE",
    "ASSIGN", "CARET", "BAR", "DOT", "SEMI", "ARROW", "COMMA", "COLON", "PRIMITIVE",
    "OP1", "OP2", "OP3", "OP4", "OP5", "OP6", "OP7", "OP8",
    "NEWLINE", "INDENT", "DEDENT", "SUBCLASS", "MODIFIER", "STATE", "CLASSSTATE", "DEFINE",
    "INTERP_START",
)

# Lowest first.  All left-associative except `**`.
precedence = (
    ("left", "OP8"),
    ("left", "OP7"),
    ("left", "OP6"),
    ("left", "OP5"),
    ("left", "OP4"),
    ("left", "OP3"),
    ("left", "OP2"),
    ("right", "OP1"),
)

start = "start"


# ---------------------------------------------------------------- helpers


def span_of(p, i: int) -> ast.Span | None:
    """The span of the i-th symbol of a production (token or node)."""
    sym = p.slice[i]
    if isinstance(sym, Token):
        return token_span(sym)
    value = sym.value
    return getattr(value, "span", None)


def token_span(tok: Token) -> ast.Span:
    """A token's span (columns 1-based)."""
    return ast.Span(tok.lineno, tok.col + 1, tok.end_line, tok.end_col + 1, tok.lexpos, tok.end)


def join(a: ast.Span | None, b: ast.Span | None) -> ast.Span | None:
    """From the start of a to the end of b."""
    if a is None:
        return b
    return a.to(b)


def fail(tok: Token, message: str, hint: str | None = None, filename: str = "<input>"):
    """Raise a syntax diagnostic at a token."""
    length = max(1, tok.end - tok.lexpos) if tok.end_line == tok.lineno else 1
    err = DiagnosticError([Diagnostic(message, filename, tok.lineno, tok.col + 1, length, hint)])
    err.token_index = tok.index  # type: ignore[attr-defined]
    raise err


def context(p):
    """The per-parse context (filename, source, doc comments) set by the driver."""
    return p.lexer


# ---------------------------------------------------------------- files


def p_start_module(p):
    "start : top_items"
    p[0] = ast.Module(tuple(p[1]))


def p_start_interpolation(p):
    "start : INTERP_START expression"
    p[0] = p[2]


def p_top_items_empty(p):
    "top_items :"
    p[0] = []


def p_top_items_more(p):
    "top_items : top_items top_item"
    p[0] = p[1]
    if isinstance(p[2], list):
        p[0].extend(p[2])
    elif p[2] is not None:
        p[0].append(p[2])


def p_top_item_statement(p):
    "top_item : statement sep"
    p[0] = p[1]


def p_top_item_temporaries(p):
    """top_item : BAR names BAR sep
                | BAR names BAR statement sep"""
    temps = ast.Temporaries(tuple(p[2]), span=join(span_of(p, 1), span_of(p, 3)))
    p[0] = [temps, p[4]] if len(p) == 6 else temps


def p_top_item_separator(p):
    "top_item : sep"
    p[0] = None


def p_top_item_definition(p):
    """top_item : class_def
                | define_method"""
    p[0] = p[1]


def p_sep(p):
    """sep : DOT
           | NEWLINE"""


def p_names(p):
    """names :
             | names IDENT"""
    if len(p) == 1:
        p[0] = []
    else:
        p[0] = p[1] + [p[2]]


# ---------------------------------------------------------------- classes


def p_class_def_empty(p):
    "class_def : class_header NEWLINE"
    p[0] = finish_class(p, p[1], ())


def p_class_def(p):
    "class_def : class_header INDENT members DEDENT"
    p[0] = finish_class(p, p[1], tuple(p[3]))


def finish_class(p, header, members):
    modifier, superclass, name, span, first = header
    last = members[-1].span if members else span
    doc = doc_above(p, first)
    return ast.ClassDef(name, superclass, modifier, members, doc, span=join(span, last))


def p_class_header(p):
    """class_header : IDENT SUBCLASS IDENT
                    | MODIFIER IDENT SUBCLASS IDENT"""
    toks = p.slice[1:]
    modifier = None
    if len(p) == 5:
        modifier = toks[0].value
        if modifier not in ("abstract", "sealed"):
            fail(toks[0], f"`{modifier}` cannot precede a class header",
                 "a class may be `abstract` or `sealed`", context(p).filename)
        toks = toks[1:]
    superclass, name = toks[0], toks[2]
    for tok in (superclass, name):
        if not tok.value[0].isupper() and not (tok is superclass and tok.value == "nil"):
            fail(tok, f"class names are capitalized: `{tok.value}`",
                 f"write `{tok.value[0].upper() + tok.value[1:]}`", context(p).filename)
    first = p.slice[1]
    p[0] = (modifier, superclass.value, name.value, join(token_span(first), token_span(name)),
            first)


def p_members(p):
    """members : member
               | members member"""
    if len(p) == 2:
        p[0] = [p[1]]
    else:
        p[0] = p[1] + [p[2]]


def p_member_state(p):
    """member : STATE field_list NEWLINE
              | CLASSSTATE field_list NEWLINE"""
    fields = tuple(p[2])
    p[0] = ast.StateDecl(fields, p.slice[1].type == "CLASSSTATE",
                         span=join(span_of(p, 1), fields[-1].span))


def p_member_method(p):
    "member : method_def"
    p[0] = p[1]


def p_field_list(p):
    """field_list : field_decl
                  | field_list COMMA field_decl"""
    if len(p) == 2:
        p[0] = [p[1]]
    else:
        p[0] = p[1] + [p[3]]


def p_field_decl(p):
    """field_decl : IDENT
                  | IDENT OP5 expression"""
    name = p.slice[1]
    if len(p) == 2:
        p[0] = ast.FieldDecl(name.value, None, span=token_span(name))
        return
    if p[2] != "=":
        fail(p.slice[2], f"expected `=` after the field name, not `{p[2]}`",
             "declare a default as `state: name = value`", context(p).filename)
    p[0] = ast.FieldDecl(name.value, p[3], span=join(token_span(name), p[3].span))


# ---------------------------------------------------------------- methods


def p_method_def(p):
    "method_def : method_head ARROW method_body"
    p[0] = make_method(p, p[1], span_of(p, 2), p[3])


def p_method_head_pattern(p):
    "method_head : pattern"
    p[0] = p[1]


def p_method_head_modifier(p):
    "method_head : MODIFIER method_head"
    tok = p.slice[1]
    modifiers, pattern = p[2]
    if tok.value in modifiers:
        fail(tok, f"`{tok.value}` is given twice", None, context(p).filename)
    p[0] = ({tok.value: tok, **modifiers}, pattern)


def p_pattern_unary(p):
    "pattern : IDENT"
    tok = p.slice[1]
    p[0] = ({}, (tok.value, (), token_span(tok)))


def p_pattern_binary(p):
    "pattern : binop IDENT"
    op = p[1]
    p[0] = ({}, (op.value, (p[2],), join(token_span(op), span_of(p, 2))))


def p_pattern_keyword(p):
    "pattern : keyword_pattern"
    parts = p[1]
    selector = "".join(kw.value for kw, _ in parts)
    params = tuple(arg.value for _, arg in parts)
    p[0] = ({}, (selector, params, join(token_span(parts[0][0]), token_span(parts[-1][1]))))


def p_keyword_pattern(p):
    """keyword_pattern : KEYWORD IDENT
                       | keyword_pattern KEYWORD IDENT"""
    if len(p) == 3:
        p[0] = [(p.slice[1], p.slice[2])]
    else:
        p[0] = p[1] + [(p.slice[2], p.slice[3])]


def p_binop(p):
    """binop : OP1
             | OP2
             | OP3
             | OP4
             | OP5
             | OP6
             | OP7
             | OP8"""
    p[0] = p.slice[1]


def p_method_body_empty(p):
    "method_body : NEWLINE"
    p[0] = ((), (), None)


def p_method_body_inline(p):
    "method_body : inline_body NEWLINE"
    p[0] = p[1]


def p_method_body_indented(p):
    "method_body : INDENT body DEDENT"
    p[0] = p[2]


def p_method_body_primitive_fallback(p):
    """method_body : primitive INDENT body DEDENT"""
    # `sum => @primitive` and an indented Beamtalk body: the fallback of LANGUAGE.md 5.
    temps, stmts, span = p[3]
    p[0] = (temps, (p[1], *stmts), join(p[1].span, span))


def p_inline_body(p):
    """inline_body : temporaries
                   | temporaries dot_statements
                   | dot_statements"""
    if p.slice[1].type == "temporaries":
        temps, temps_span = p[1]
        stmts, stmts_span = p[2] if len(p) == 3 else ([], None)
    else:
        (temps, temps_span), (stmts, stmts_span) = ((), None), p[1]
    p[0] = (temps, tuple(stmts), join(temps_span, stmts_span))


def p_dot_statements(p):
    """dot_statements : dot_sequence
                      | dot_sequence dots"""
    p[0] = p[1]


def p_dot_sequence(p):
    """dot_sequence : statement
                    | dot_sequence dots statement"""
    if len(p) == 2:
        p[0] = ([p[1]], p[1].span)
    else:
        p[0] = (p[1][0] + [p[3]], join(p[1][1], p[3].span))


def p_dots(p):
    """dots : DOT
            | dots DOT"""


def p_temporaries(p):
    "temporaries : BAR names BAR"
    p[0] = (tuple(p[2]), join(span_of(p, 1), span_of(p, 3)))


def p_define_method(p):
    """define_method : IDENT DEFINE pattern ARROW method_body
                     | IDENT MODIFIER DEFINE pattern ARROW method_body"""
    cls = p.slice[1]
    if len(p) == 7:
        side = p.slice[2]
        pattern, arrow, body = p[4], span_of(p, 5), p[6]
        modifiers = {"class": side}
    else:
        pattern, arrow, body = p[3], span_of(p, 4), p[5]
        modifiers = {}
    method = make_method(p, (modifiers, pattern[1]), arrow, body)
    p[0] = ast.DefineMethod(cls.value, method, span=join(token_span(cls), method.span))


def make_method(p, head, arrow: ast.Span, body) -> ast.MethodDef:
    """Build a MethodDef from ({modifier: token}, (selector, params, span)), `=>` and a body."""
    modifiers, (selector, params, pattern_span) = head
    temps, stmts, body_span = body
    primitive_check(p, stmts, arrow)
    span = join(pattern_span, body_span or arrow)
    ctx = context(p)
    return ast.MethodDef(
        selector, params, temps, stmts,
        class_side="class" in modifiers,
        sealed="sealed" in modifiers,
        doc=doc_above(p, min((t for t in modifiers.values()), key=lambda t: t.lexpos,
                             default=None), pattern_span),
        source=method_source(ctx.source, span),
        span=span,
    )


def primitive_check(p, stmts, arrow: ast.Span) -> None:
    """`@primitive` is the whole body of a method, or follows `=>` above a fallback body."""
    for i, stmt in enumerate(stmts):
        fallback_below = (i == 0 and len(stmts) > 1 and stmt.span.line == arrow.end_line
                          and stmts[1].span.line > stmt.span.end_line)
        if isinstance(stmt, ast.Primitive) and len(stmts) != 1 and not fallback_below:
            s = stmt.span
            raise DiagnosticError([Diagnostic(
                "`@primitive` must be the whole method body", context(p).filename,
                s.line, s.col, 10, None)])


def doc_above(p, tok: Token | None, span: ast.Span | None = None) -> str | None:
    """The `///` lines directly above the line of `tok` (or of `span`)."""
    docs = context(p).doc_lines
    line = tok.lineno if tok is not None else span.line
    lines = []
    line -= 1
    while line in docs:
        lines.append(docs[line])
        line -= 1
    return "\n".join(reversed(lines)) if lines else None


def method_source(source: str, span: ast.Span | None) -> str:
    """The method's text from its pattern to the end of its body, common indentation removed."""
    if span is None or not source:
        return ""
    line_start = source.rfind("\n", 0, span.start) + 1
    first_indent = len(source[line_start:span.start]) - len(source[line_start:span.start].lstrip())
    text = source[span.start:span.end]
    lines = text.splitlines()
    rest = [ln for ln in lines[1:] if ln.strip()]
    indent = min([first_indent] + [len(ln) - len(ln.lstrip()) for ln in rest])
    out = [lines[0]] + [ln[indent:] for ln in lines[1:]]
    return "\n".join(ln.rstrip() for ln in out).rstrip()


# ---------------------------------------------------------------- bodies


def p_body(p):
    "body : temps_part statements"
    temps, temps_span = p[1]
    stmts, stmts_span = p[2]
    p[0] = (temps, tuple(stmts), join(temps_span, stmts_span) if temps_span else stmts_span)


def p_temps_part(p):
    """temps_part :
                  | temporaries
                  | temporaries seps"""
    p[0] = p[1] if len(p) > 1 else ((), None)


def p_statements(p):
    """statements :
                  | sequence
                  | sequence seps"""
    p[0] = p[1] if len(p) > 1 else ([], None)


def p_sequence(p):
    """sequence : statement
                | sequence seps statement"""
    if len(p) == 2:
        p[0] = ([p[1]], p[1].span)
    else:
        p[0] = (p[1][0] + [p[3]], join(p[1][1], p[3].span))


def p_seps(p):
    """seps : sep
            | seps sep"""


# ---------------------------------------------------------------- statements


def p_statement_expression(p):
    "statement : expression"
    p[0] = p[1]


def p_statement_return(p):
    "statement : CARET expression"
    p[0] = ast.Return(p[2], span=join(span_of(p, 1), p[2].span))


def p_statement_primitive(p):
    "statement : primitive"
    p[0] = p[1]


def p_primitive(p):
    """primitive : PRIMITIVE
                 | PRIMITIVE STRING"""
    name = p[2] if len(p) == 3 else None
    p[0] = ast.Primitive(name, span=join(span_of(p, 1), span_of(p, len(p) - 1)))


# ---------------------------------------------------------------- expressions


def p_expression(p):
    """expression : assignment
                  | cascade"""
    p[0] = p[1]


def p_assignment(p):
    """assignment : IDENT ASSIGN expression
                  | FIELD ASSIGN expression"""
    tok = p.slice[1]
    if tok.type == "IDENT":  # assigning to a global is a compile error, found by analysis
        target = ast.Name(tok.value, span=token_span(tok))
    else:
        target = ast.FieldRef(tok.value, span=token_span(tok))
    p[0] = ast.Assign(target, p[3], span=join(target.span, p[3].span))


def p_cascade_single(p):
    "cascade : keyword_expr"
    p[0] = p[1]


def p_cascade(p):
    "cascade : keyword_expr cascade_parts"
    first = p[1]
    if isinstance(first, ast.Instantiation):  # a cascade is never the sugar (2.7)
        first = ast.Send(ast.Send(first.receiver, first.verb, (), span=first.span),
                         first.selector, first.args, span=first.span)
    if not isinstance(first, ast.Send):
        fail(p[2][0][0], "a cascade needs a message before `;`",
             "write `receiver message; another`", context(p).filename)
    messages = [ast.Message(first.selector, first.args, span=first.span)]
    messages += [message for _, message in p[2]]
    p[0] = ast.Cascade(first.receiver, tuple(messages), span=join(first.span, messages[-1].span))


def p_cascade_parts(p):
    """cascade_parts : SEMI cascade_message
                     | cascade_parts SEMI cascade_message"""
    if len(p) == 3:
        p[0] = [(p.slice[1], p[2])]
    else:
        p[0] = p[1] + [(p.slice[2], p[3])]


def p_cascade_message_unary(p):
    "cascade_message : IDENT"
    tok = p.slice[1]
    check_unary(p, tok)
    p[0] = ast.Message(tok.value, (), span=token_span(tok))


def p_cascade_message_binary(p):
    "cascade_message : binop unary_expr"
    op = p[1]
    p[0] = ast.Message(op.value, (p[2],), span=join(token_span(op), p[2].span))


def p_cascade_message_keyword(p):
    "cascade_message : keyword_args"
    selector, args, span = p[1]
    p[0] = ast.Message(selector, args, span=span)


def p_keyword_expr(p):
    """keyword_expr : binary_expr
                    | binary_expr keyword_args"""
    if len(p) == 2:
        p[0] = p[1]
        return
    receiver = p[1]
    selector, args, span = p[2]
    if (isinstance(receiver, ast.Send) and receiver.selector in ("new", "spawn")
            and not receiver.args and id(receiver) not in context(p).parenthesized):
        p[0] = ast.Instantiation(receiver.receiver, receiver.selector, selector, args,
                                 span=join(receiver.span, span))
    else:
        p[0] = ast.Send(receiver, selector, args, span=join(receiver.span, span))


def p_keyword_args(p):
    """keyword_args : KEYWORD binary_expr
                    | keyword_args KEYWORD binary_expr"""
    if len(p) == 3:
        p[0] = (p[1], (p[2],), join(span_of(p, 1), p[2].span))
    else:
        selector, args, span = p[1]
        p[0] = (selector + p[2], args + (p[3],), join(span, p[3].span))


def p_binary_expr(p):
    """binary_expr : unary_expr
                   | binary_expr OP1 binary_expr
                   | binary_expr OP2 binary_expr
                   | binary_expr OP3 binary_expr
                   | binary_expr OP4 binary_expr
                   | binary_expr OP5 binary_expr
                   | binary_expr OP6 binary_expr
                   | binary_expr OP7 binary_expr
                   | binary_expr OP8 binary_expr"""
    if len(p) == 2:
        p[0] = p[1]
    else:
        p[0] = ast.Send(p[1], p[2], (p[3],), span=join(p[1].span, p[3].span))


def p_unary_expr(p):
    """unary_expr : primary
                  | unary_expr IDENT"""
    if len(p) == 2:
        p[0] = p[1]
    else:
        tok = p.slice[2]
        check_unary(p, tok)
        p[0] = ast.Send(p[1], tok.value, (), span=join(p[1].span, token_span(tok)))


def check_unary(p, tok: Token) -> None:
    """A capitalized identifier is never a unary selector."""
    if tok.value[0].isupper():
        fail(tok, f"`{tok.value}` cannot be a unary message (it is capitalized)",
             "end the previous statement with `.` or a line break", context(p).filename)


# ---------------------------------------------------------------- primaries


def p_primary_name(p):
    "primary : IDENT"
    p[0] = ast.Name(p[1], span=span_of(p, 1))


def p_primary_field(p):
    "primary : FIELD"
    p[0] = ast.FieldRef(p[1], span=span_of(p, 1))


def p_primary_paren(p):
    "primary : LPAREN expression RPAREN"
    # The node's span takes in the parentheses (method source, diagnostics).
    p[0] = dataclasses.replace(p[2], span=join(span_of(p, 1), span_of(p, 3)))
    context(p).parenthesized.add(id(p[0]))  # `(x new) k: v` is not instantiation sugar


def p_primary_other(p):
    """primary : literal
               | block
               | list_literal
               | tuple_literal
               | dict_literal"""
    p[0] = p[1]


LITERALS = {
    "INTEGER": ast.IntegerLit, "FLOAT": ast.FloatLit, "STRING": ast.StringLit,
    "CHAR": ast.CharLit, "SYMBOL": ast.SymbolLit,
}


def p_literal(p):
    """literal : INTEGER
               | FLOAT
               | STRING
               | CHAR
               | SYMBOL"""
    p[0] = LITERALS[p.slice[1].type](p[1], span=span_of(p, 1))


def p_literal_interpolated(p):
    "literal : ISTRING"
    parts = tuple(p[1])
    if all(isinstance(part, str) for part in parts):
        p[0] = ast.StringLit("".join(parts), span=span_of(p, 1))
    else:
        p[0] = ast.InterpolatedString(parts, span=span_of(p, 1))


def p_block(p):
    """block : LBRACKET body RBRACKET
             | LBRACKET params BAR body RBRACKET
             | LBRACKET params RBRACKET"""
    if len(p) == 4 and p.slice[2].type == "body":
        params, (temps, stmts, _) = (), p[2]
    elif len(p) == 6:
        params, (temps, stmts, _) = tuple(p[2]), p[4]
    else:
        params, temps, stmts = tuple(p[2]), (), ()
    p[0] = ast.Block(params, temps, stmts, span=join(span_of(p, 1), span_of(p, len(p) - 1)))


def p_params(p):
    """params : COLON IDENT
              | params COLON IDENT"""
    if len(p) == 3:
        p[0] = [p[2]]
    else:
        p[0] = p[1] + [p[3]]


def p_list_literal(p):
    "list_literal : LISTOPEN elements RPAREN"
    p[0] = ast.ListLit(tuple(p[2]), span=join(span_of(p, 1), span_of(p, 3)))


def p_tuple_literal(p):
    "tuple_literal : LBRACE elements RBRACE"
    p[0] = ast.TupleLit(tuple(p[2]), span=join(span_of(p, 1), span_of(p, 3)))


def p_dict_literal(p):
    "dict_literal : DICTOPEN entries RBRACE"
    p[0] = ast.DictLit(tuple(p[2]), span=join(span_of(p, 1), span_of(p, 3)))


def p_elements(p):
    """elements :
                | element_seq
                | element_seq COMMA"""
    p[0] = p[1] if len(p) > 1 else []


def p_element_seq(p):
    """element_seq : expression
                   | element_seq COMMA expression"""
    if len(p) == 2:
        p[0] = [p[1]]
    else:
        p[0] = p[1] + [p[3]]


def p_entries(p):
    """entries :
               | entry_seq
               | entry_seq COMMA"""
    p[0] = p[1] if len(p) > 1 else []


def p_entry_seq(p):
    """entry_seq : entry
                 | entry_seq COMMA entry"""
    if len(p) == 2:
        p[0] = [p[1]]
    else:
        p[0] = p[1] + [p[3]]


def p_entry(p):
    "entry : expression ARROW expression"
    p[0] = (p[1], p[3])


def p_error(tok):
    """Called by PLY on the first token that cannot continue the parse."""
    raise UnexpectedToken(tok)


class UnexpectedToken(Exception):
    """Raised out of PLY; the driver turns it into a diagnostic with a hint."""

    def __init__(self, tok: Token | None):
        super().__init__(tok)
        self.tok = tok
