"""Hypothesis properties: on generated programs (the printer round-trip generators) and on
random text and token soups, compiler_bt and the Python front end agree: the same tree, or
the same first diagnostic. compiler_bt runs on the interpreter, so example counts are small
in the fast tier and larger in the slow one.
"""

from __future__ import annotations

import pytest
from ast_strategies import modules
from compiler_bt_support import assert_same, assert_same_first_diagnostic
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_parser_fuzz import mutated_programs, token_soups

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
