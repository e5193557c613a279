"""Hypothesis strategies for random but syntactically valid Beamtalk ASTs.

Every tree drawn here is one the parser can produce, in the parser's canonical shape
(e.g. an interpolated string never has two adjacent or empty text parts), so that
`parse_module(to_source(tree)) == tree` is a fair property.  Expressions nest to a
bounded depth; statements, class definitions, `>>` definitions and modules build on them.
"""

from __future__ import annotations

import functools

from hypothesis import strategies as st

from beamtalk.interp.syntax.ast import (
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
from beamtalk.interp.syntax.literals import OPERATOR_CHARS

PSEUDO_VARIABLES = ("self", "super", "nil", "true", "false", "thisContext")
STRUCTURAL_WORDS = ("class", "sealed", "abstract", "state", "classState", "subclass")
_NOT_A_NAME = frozenset(PSEUDO_VARIABLES + STRUCTURAL_WORDS)

BINARY_SELECTORS = (
    "+", "-", "*", "/", "%", "**", "++", ",", "<", ">", "<=", ">=", "=", "==", "~=", "~~",
    "&", "->", ">>", "@", "==>", "<=>",
)

DEFAULT_DEPTH = 3

# ---------------------------------------------------------------- names and selectors

lower_identifiers = st.from_regex(r"[a-z][A-Za-z0-9_]{0,6}", fullmatch=True).filter(
    lambda s: s not in _NOT_A_NAME
)
"""Variables, parameters, temporaries, field names, unary selectors and keyword parts."""

capitalized_identifiers = st.from_regex(r"[A-Z][A-Za-z0-9_]{0,6}", fullmatch=True)
"""Class and global names."""

INSTANTIATION_VERBS = ("new", "spawn")

unary_selectors = st.one_of(lower_identifiers, st.sampled_from(INSTANTIATION_VERBS))
"""Unary selectors, often `new`/`spawn` so that sends next to the 2.7 sugar get tested."""


def _good_operator(op: str) -> bool:
    return not op.endswith("-") and "//" not in op and "/*" not in op and op != "=>"


binary_selectors = st.one_of(
    st.sampled_from(BINARY_SELECTORS),
    st.text(alphabet=OPERATOR_CHARS, min_size=1, max_size=3).filter(_good_operator),
)
"""Binary selectors: the usual operators plus random operator runs (never ending in `-`)."""

keyword_parts = st.lists(lower_identifiers, min_size=1, max_size=3)


def _choice(*strategies: st.SearchStrategy) -> st.SearchStrategy:
    """Pick one of the strategies with equal weight (repeat one to weight it more)."""
    return st.sampled_from(strategies).flatmap(lambda strategy: strategy)


def _unique(elements, max_size: int = 3, min_size: int = 0):
    return st.lists(elements, min_size=min_size, max_size=max_size, unique=True).map(tuple)


# ---------------------------------------------------------------- literals

integers = st.one_of(
    st.integers(min_value=-1000, max_value=1000),
    st.integers(),
    st.integers(min_value=-(10**40), max_value=10**40),
).map(IntegerLit)

floats = st.floats(allow_nan=False, allow_infinity=False).map(FloatLit)

# Characters that quoting, escaping, comments and layout care about, drawn often.
_TRICKY_CHARS = "'\"{}\\$#/*|.,;:-\n\r\t \x0b\x0c\x85\u2028"
_any_char = st.one_of(
    st.sampled_from(_TRICKY_CHARS), st.characters(exclude_characters="\x00")
)
_any_text = st.text(alphabet=_any_char, max_size=12)

strings = _any_text.map(StringLit)

chars = _any_char.map(CharLit)


def _symbol_ok(text: str) -> bool:
    # `#true #false #nil` are errors, and `$`-symbols are reserved to the runtime.
    return text not in ("true", "false", "nil") and not text.startswith("$")


symbols = st.one_of(
    st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,6}", fullmatch=True),
    keyword_parts.map(lambda parts: "".join(p + ":" for p in parts)),
    binary_selectors,
    st.text(alphabet=OPERATOR_CHARS + ",", min_size=1, max_size=3),
    _any_text,
).filter(_symbol_ok).map(SymbolLit)

pseudo_variables = st.sampled_from(PSEUDO_VARIABLES).map(Name)

names = st.one_of(
    lower_identifiers.map(Name),
    capitalized_identifiers.map(Name),
    pseudo_variables,
)

field_refs = lower_identifiers.map(FieldRef)

leaf_expressions = st.one_of(
    integers, floats, strings, chars, symbols, names, field_refs
)
"""Expressions without sub-expressions."""


# ---------------------------------------------------------------- compound expressions


def _interpolated_parts(items: list[str | object]) -> tuple[str | object, ...]:
    """Merge adjacent text pieces the way the scanner does (it never yields two in a row)."""
    parts: list[str | object] = []
    for item in items:
        if isinstance(item, str) and parts and isinstance(parts[-1], str):
            parts[-1] += item
        else:
            parts.append(item)
    return tuple(parts)


def messages(sub: st.SearchStrategy) -> st.SearchStrategy[tuple[str, tuple]]:
    """(selector, args) pairs of every message shape with arguments drawn from `sub`."""
    unary = unary_selectors.map(lambda s: (s, ()))
    binary = st.tuples(binary_selectors, sub).map(lambda t: (t[0], (t[1],)))
    keyword = keyword_parts.flatmap(
        lambda parts: st.tuples(*[sub] * len(parts)).map(
            lambda args: ("".join(p + ":" for p in parts), tuple(args))
        )
    )
    return st.one_of(unary, binary, keyword)


def block_statements(sub: st.SearchStrategy) -> st.SearchStrategy:
    """Statements allowed in a block or method body: expressions and returns."""
    return st.one_of(sub, sub.map(Return))


@functools.cache
def expressions(depth: int = DEFAULT_DEPTH) -> st.SearchStrategy:
    """Any expression node, nested at most `depth` levels."""
    if depth <= 0:
        return leaf_expressions
    sub = expressions(depth - 1)
    sends = st.builds(
        lambda receiver, message: Send(receiver, message[0], message[1]),
        sub, messages(sub),
    )
    cascades = st.builds(
        lambda receiver, parts: Cascade(receiver, tuple(Message(s, a) for s, a in parts)),
        sub, st.lists(messages(sub), min_size=2, max_size=3),
    )
    assigns = st.builds(
        Assign, st.one_of(lower_identifiers.map(Name), field_refs), sub
    )
    instantiations = keyword_parts.flatmap(
        lambda parts: st.builds(
            Instantiation,
            sub,
            st.sampled_from(INSTANTIATION_VERBS),
            st.just("".join(p + ":" for p in parts)),
            st.tuples(*[sub] * len(parts)),
        )
    )
    blocks = st.builds(
        Block,
        _unique(lower_identifiers),
        _unique(lower_identifiers),
        st.lists(block_statements(sub), max_size=3).map(tuple),
    )
    lists = st.lists(sub, max_size=3).map(lambda es: ListLit(tuple(es)))
    tuples = st.lists(sub, max_size=3).map(lambda es: TupleLit(tuple(es)))
    dicts = st.lists(st.tuples(sub, sub), max_size=3).map(lambda es: DictLit(tuple(es)))
    interpolated = (
        st.lists(st.one_of(_any_text.filter(bool), sub), min_size=1, max_size=4)
        .filter(lambda items: any(not isinstance(i, str) for i in items))
        .map(lambda items: InterpolatedString(_interpolated_parts(items)))
    )
    return _choice(
        leaf_expressions, leaf_expressions, sends, sends, cascades, assigns, blocks, lists,
        tuples, dicts, interpolated, instantiations,
    )


# ---------------------------------------------------------------- statements and definitions

doc_texts = st.lists(
    st.text(alphabet=_any_char.filter(lambda c: c not in "\r\n"), max_size=10),
    min_size=1, max_size=3,
).map("\n".join)
"""Doc comments: lines without line breaks, joined with LF."""


def method_patterns() -> st.SearchStrategy[tuple[str, tuple[str, ...]]]:
    """(selector, params) of unary, binary and keyword method patterns."""
    unary = unary_selectors.map(lambda s: (s, ()))
    binary = st.tuples(binary_selectors, lower_identifiers).map(lambda t: (t[0], (t[1],)))
    keyword = keyword_parts.flatmap(
        lambda parts: _unique(lower_identifiers, len(parts), len(parts)).map(
            lambda params: ("".join(p + ":" for p in parts), params)
        )
    )
    return st.one_of(unary, binary, keyword)


primitive_names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_:.]{0,10}", fullmatch=True)


@st.composite
def method_defs(
    draw, depth: int = DEFAULT_DEPTH - 1, class_side: bool | None = None,
    sealed: bool | None = None, doc: bool = True,
) -> MethodDef:
    """A method definition: pattern, temporaries and a body (or a lone `@primitive`)."""
    selector, params = draw(method_patterns())
    if draw(st.booleans()) and draw(st.booleans()):
        temps: tuple[str, ...] = ()
        body: tuple = (Primitive(draw(st.none() | primitive_names)),)
    else:
        temps = draw(_unique(lower_identifiers.filter(lambda n: n not in params)))
        body = tuple(draw(st.lists(block_statements(expressions(depth)), max_size=3)))
    return MethodDef(
        selector, params, temps, body,
        class_side=draw(st.booleans()) if class_side is None else class_side,
        sealed=draw(st.booleans()) if sealed is None else sealed,
        doc=draw(st.none() | doc_texts) if doc else None,
    )


def state_decls(depth: int = DEFAULT_DEPTH - 1) -> st.SearchStrategy[StateDecl]:
    """`state:` / `classState:` members with one to three fields."""
    field = st.builds(FieldDecl, lower_identifiers, st.none() | expressions(depth))
    return st.builds(
        StateDecl, st.lists(field, min_size=1, max_size=3).map(tuple), class_side=st.booleans()
    )


def class_defs(depth: int = DEFAULT_DEPTH - 1) -> st.SearchStrategy[ClassDef]:
    """Class definitions with state declarations and methods."""
    members = st.lists(st.one_of(state_decls(depth), method_defs(depth)), max_size=4)
    return st.builds(
        ClassDef,
        capitalized_identifiers,
        capitalized_identifiers,
        st.sampled_from([None, "abstract", "sealed"]),
        members.map(tuple),
        doc=st.none() | doc_texts,
    )


def define_methods(depth: int = DEFAULT_DEPTH - 1) -> st.SearchStrategy[DefineMethod]:
    """Top-level `Cls >> pattern => body` and `Cls class >> pattern => body` (never sealed)."""
    return st.builds(
        DefineMethod,
        capitalized_identifiers,
        method_defs(depth, sealed=False),
    )


temporaries = _unique(lower_identifiers).map(Temporaries)


def statements(depth: int = DEFAULT_DEPTH) -> st.SearchStrategy:
    """Top-level statements of every kind."""
    expr = expressions(depth)
    return _choice(
        expr, expr, expr, expr.map(Return), temporaries, class_defs(depth - 1),
        define_methods(depth - 1),
    )


def modules(depth: int = DEFAULT_DEPTH, max_statements: int = 5) -> st.SearchStrategy[Module]:
    """Whole modules: a few top-level statements."""
    return st.lists(statements(depth), max_size=max_statements).map(
        lambda body: Module(tuple(body))
    )
