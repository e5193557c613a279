"""The resolved form: the AST's s-expression with the resolver's answers attached.

`beamtalk parse FILE --format resolved` prints it; the native compiler prints the same
form so the two resolvers can be compared statement by statement.  The grammar is in
docs/syntax-trees.md: every Name and FieldRef ends with `(ref KIND INFO DECLARES)`,
every Block with `(block KIND MUTATING RETURNS [CAPTURES])`.
"""

from __future__ import annotations

import json

from beamtalk.interp.syntax import ast
from beamtalk.interp.syntax.astdump import to_annotated_sexp

from .resolve import Ref, Resolution


def ref_text(ref: Ref) -> str:
    """`(ref KIND INFO DECLARES)`: INFO is a local's kind, a capture's depth, or nil."""
    if ref.kind == "local" and ref.variable is not None:
        info = ref.variable.kind
    elif ref.kind == "captured" and ref.capture is not None:
        info = str(ref.capture.depth)
    else:
        info = "nil"
    return f"(ref {ref.kind} {info} {'true' if ref.declares else 'false'})"


def annotator(resolution: Resolution):
    """The `annotate` function of `to_annotated_sexp` for one resolution."""
    refs, blocks = resolution.refs, resolution.blocks

    def annotate(node: object) -> str | None:
        if isinstance(node, (ast.Name, ast.FieldRef)):
            ref = refs.get(id(node))
            return ref_text(ref) if ref is not None else "nil"
        if isinstance(node, ast.Block):
            info = blocks.get(id(node))
            if info is None:
                return "nil"
            captures = " ".join(json.dumps(c.key) for c in info.captures)
            return (f"(block {info.kind} {'true' if info.mutating else 'false'} "
                    f"{'true' if info.returns else 'false'} [{captures}])")
        return None

    return annotate


def resolved_sexp(node: object, resolution: Resolution) -> str:
    """The resolved form of a parsed module (or any node the resolution covers)."""
    return to_annotated_sexp(node, annotator(resolution))
