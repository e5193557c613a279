"""Hypothesis properties: on generated programs (the printer round-trip generators) and on
random text and token soups, compiler_bt and the Python front end agree: the same tree, or
the same first diagnostic; and on generated programs with a small vocabulary of names, the
same resolved form or the same compile errors. compiler_bt runs on the interpreter, so
example counts are small in the fast tier and larger in the slow one.
"""

from __future__ import annotations

import dataclasses
import zlib

import pytest
from ast_strategies import modules
from compiler_bt_support import assert_same, assert_same_first_diagnostic, assert_same_resolved
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_parser_fuzz import mutated_programs, token_soups

from beamtalk.interp.syntax import ast
from beamtalk.interp.syntax.printer import to_source

FAST = settings(deadline=None, max_examples=15, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FAST
@given(modules(depth=3, max_statements=3))
def test_generated_programs(module):
    assert_same(to_source(module), "gen.bt")


@FAST
@given(token_soups(max_tokens=20))
def test_token_soups(source):
    assert_same_first_diagnostic(source, "soup.bt")


@FAST
@given(st.text(alphabet=st.sampled_from(list("ab1 :=.+-*()[]{}#$'\"|^;,\n\t/@`")), max_size=40))
def test_random_text(source):
    assert_same_first_diagnostic(source, "text.bt")


# Derandomized too, so that CI is reproducible; explore afresh with `--hypothesis-seed=N`.
SLOW = settings(deadline=None, max_examples=200, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.mark.slow
@SLOW
@given(modules(depth=4, max_statements=4))
def test_generated_programs_more(module):
    assert_same(to_source(module), "gen.bt")


@pytest.mark.slow
@SLOW
@given(token_soups(max_tokens=30))
def test_token_soups_more(source):
    assert_same_first_diagnostic(source, "soup.bt")


@FAST
@given(mutated_programs())
def test_mutated_programs(source):
    assert_same(source, "mutated.bt")


@pytest.mark.slow
@SLOW
@given(mutated_programs())
def test_mutated_programs_more(source):
    assert_same(source, "mutated.bt")


# ---------------------------------------------------------------- the resolver

NAMES = ("a", "b", "x", "p", "q", "t")  # variables, parameters, temporaries, fields
READS = NAMES + ("self", "nil", "a", "b")
CLASSES = ("A", "B", "C")
SUPERCLASSES = ("A", "B", "Object", "Object", "Actor", "Integer")
GLOBALS = ("A", "B", "Object", "Actor", "Integer", "Zork")
PRELUDE = "a := 1\nb := 2\nx := 3\n"  # top-level variables the generated statements read


def small_vocabulary(node, pick, in_method: bool = False):
    """The generated tree with its names drawn from a few, so that most names resolve.

    Outside methods `self.x` becomes `x` (a field there is always an error).
    """
    if isinstance(node, tuple):
        return tuple(small_vocabulary(item, pick, in_method) for item in node)
    if not dataclasses.is_dataclass(node):
        return node
    if isinstance(node, ast.FieldRef) and not in_method:
        return ast.Name(pick(node.name, NAMES))
    in_method = in_method or isinstance(node, ast.MethodDef)
    changes = {}
    for field in dataclasses.fields(node):
        value = getattr(node, field.name)
        if field.name in ("span", "source"):
            continue
        if isinstance(node, ast.Name) and field.name == "name":
            changes["name"] = pick(value, GLOBALS if value[:1].isupper() else READS)
        elif isinstance(node, (ast.FieldRef, ast.FieldDecl)) and field.name == "name":
            changes["name"] = pick(value, NAMES)
        elif field.name in ("params", "temps", "names"):
            changes[field.name] = tuple(pick(v, NAMES) for v in value)
        elif isinstance(node, ast.ClassDef) and field.name == "name":
            changes["name"] = pick(value, CLASSES)
        elif isinstance(node, ast.ClassDef) and field.name == "superclass":
            changes["superclass"] = pick(value, SUPERCLASSES)
        elif isinstance(node, ast.DefineMethod) and field.name == "class_name":
            changes["class_name"] = pick(value, GLOBALS)
        else:
            changes[field.name] = small_vocabulary(value, pick, in_method)
    return dataclasses.replace(node, **changes)


def vocabulary_picker(seed: int):
    """Maps a generated name to one of a few, deterministically per name and seed."""

    def pick(name: str, choices: tuple[str, ...]) -> str:
        return choices[zlib.crc32(f"{seed}:{name}".encode()) % len(choices)]

    return pick


@FAST
@given(modules(depth=3, max_statements=4), st.integers(0, 3))
def test_resolver_on_generated_programs(module, seed):
    assert_same_resolved(PRELUDE + to_source(small_vocabulary(module, vocabulary_picker(seed))),
                         "gen.bt")


@pytest.mark.slow
@SLOW
@given(modules(depth=4, max_statements=5), st.integers(0, 7))
def test_resolver_on_generated_programs_more(module, seed):
    assert_same_resolved(PRELUDE + to_source(small_vocabulary(module, vocabulary_picker(seed))),
                         "gen.bt")
