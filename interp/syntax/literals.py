"""Literal syntax, in one place (LANGUAGE.md 1 and 4): what the lexer reads and printers write.

Operator characters, string and character escapes, when a Symbol needs `#'...'`, the text
of a Float and the forms of an Integer.  The lexer, the AST printer, `beamtalk parse` and
value printing (printString) all use these, so the language's literals are written out once.
"""

from __future__ import annotations

import re
import unicodedata

# ---------------------------------------------------------------- operators and names

OPERATOR_CHARS = "+-*/\\<>=~%&@?"
# A regex character class matching one operator character.
OPERATOR_CLASS = "[" + re.escape(OPERATOR_CHARS) + "]"
# A run of operator characters never contains these: they start a comment (LANGUAGE.md 1).
COMMENT_STARTS = ("//", "/*")

IDENTIFIER_PATTERN = r"[A-Za-z_][A-Za-z0-9_]*"
KEYWORD_SELECTOR_PATTERN = rf"(?:{IDENTIFIER_PATTERN}:)+"

IDENTIFIER = re.compile(IDENTIFIER_PATTERN + r"\Z")
KEYWORD_SELECTOR = re.compile(KEYWORD_SELECTOR_PATTERN + r"\Z")
OPERATOR = re.compile(OPERATOR_CLASS + r"+\Z")


def operator_run(text: str) -> str:
    """The operator token at the start of a run of operator characters (stops before a comment)."""
    cuts = [i for i in (text.find(start) for start in COMMENT_STARTS) if i >= 0]
    return text[:min(cuts)] if cuts else text


def is_operator(text: str) -> bool:
    """True if `text` reads back as one operator (a binary selector other than `,`)."""
    return bool(OPERATOR.match(text)) and operator_run(text) == text


def is_binary_selector(selector: str) -> bool:
    """True for `,` and operators: the selectors sent with one argument and no keyword."""
    return selector == "," or selector[:1] in OPERATOR_CHARS


# ---------------------------------------------------------------- strings and characters

# `$\n`: the letter after the backslash and the character it stands for.
CHAR_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\"}
# `"a\{b\}"`: the escapes of a double-quoted string.
STRING_ESCAPES = {**CHAR_ESCAPES, '"': '"', "{": "{", "}": "}"}

_CHAR_ESCAPED = {ch: "\\" + letter for letter, ch in CHAR_ESCAPES.items()}
_STRING_ESCAPED = str.maketrans({ch: "\\" + letter for letter, ch in STRING_ESCAPES.items()})


def is_control(ch: str) -> bool:
    """A control character (Unicode category Cc): printed escaped or by its code point."""
    return unicodedata.category(ch) == "Cc"


def single_quoted(text: str) -> str:
    """`'it''s'`: the single-quoted form, which holds any text (`''` is a quote)."""
    return "'" + text.replace("'", "''") + "'"


def double_quoted_body(text: str) -> str:
    """The text escaped for the inside of a double-quoted string (`\\n`, `\\{`, `\\"`...)."""
    return text.translate(_STRING_ESCAPED)


def string_literal(text: str) -> str:
    """printString of a String: single-quoted, or double-quoted with escapes if it has controls."""
    if any(is_control(ch) for ch in text):
        return '"' + double_quoted_body(text) + '"'
    return single_quoted(text)


def char_source(ch: str) -> str:
    """`$a`, `$\\n`: the Character literal (any character but a line break may follow `$`)."""
    return "$" + _CHAR_ESCAPED.get(ch, ch)


def char_literal(ch: str) -> str:
    """printString of a Character: `$a`, `$\\n`; other controls `(Character value: 7)`."""
    if ch not in _CHAR_ESCAPED and is_control(ch):
        return f"(Character value: {ord(ch)})"
    return char_source(ch)


# ---------------------------------------------------------------- symbols


def symbol_needs_quotes(name: str) -> bool:
    """True unless `#name` reads back: an identifier, a keyword sequence or an operator."""
    return not (IDENTIFIER.match(name) or KEYWORD_SELECTOR.match(name) or is_operator(name))


def symbol_literal(name: str) -> str:
    """`#foo`, `#at:put:`, `#+`, or the quoted form `#'any text'`."""
    return "#" + (single_quoted(name) if symbol_needs_quotes(name) else name)


# ---------------------------------------------------------------- numbers

MIN_RADIX, MAX_RADIX = 2, 36
DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
INTEGER_PATTERN = r"[0-9]+"
RADIX_PATTERN = r"[0-9]+r[0-9A-Za-z]+"
FLOAT_PATTERN = r"[0-9]+\.[0-9]+(?:e-?[0-9]+)?|[0-9]+e-?[0-9]+"
_FAST_RADIX = {2: "b", 8: "o", 10: "d", 16: "X"}
# Python refuses int <-> decimal text beyond this many digits; such literals print in 16r.
_DECIMAL_DIGIT_LIMIT_BITS = 10_000


def float_text(value: float) -> str:
    """Shortest round-trip digits; plain for 0 and 1e-4 <= |x| < 1e16, else `1.5e-5`."""
    # Python's repr has the same shortest digits and switches to exponent form at the same
    # bounds; only the spelling of the exponent and a missing `.0` differ.
    text = repr(float(value))
    if text in ("inf", "-inf", "nan"):
        raise ValueError(f"no Beamtalk literal for the float {text}")
    mantissa, _, exponent = text.partition("e")
    if "." not in mantissa:
        mantissa += ".0"
    return f"{mantissa}e{int(exponent)}" if exponent else mantissa


def radix_digits(n: int, base: int) -> str:
    """The digits of a non-negative integer in base 2..36 (uppercase)."""
    spec = _FAST_RADIX.get(base)
    if spec is not None:
        return format(n, spec)
    out = []
    while True:
        n, d = divmod(n, base)
        out.append(DIGITS[d])
        if n == 0:
            return "".join(reversed(out))


def radix_value(text: str) -> int | None:
    """The value of `16rFF` (RADIX_PATTERN text), or None for a bad radix or digit."""
    base_text, digits = text.split("r", 1)
    base = int(base_text)
    if not MIN_RADIX <= base <= MAX_RADIX:
        return None
    try:
        return int(digits, base)
    except ValueError:
        return None


def integer_source(value: int) -> str:
    """An Integer literal: decimal, or `16r...` when too long for decimal text."""
    if abs(value).bit_length() > _DECIMAL_DIGIT_LIMIT_BITS:
        return ("-" if value < 0 else "") + "16r" + radix_digits(abs(value), 16)
    return str(value)
