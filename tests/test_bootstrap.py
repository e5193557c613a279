"""The bootstrap's pieces that need no node: the request fields, the comparisons, the units a
stage builds, and the REPL's reading of a String's printString."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beamtalk.bootstrap import stages
from beamtalk.bootstrap.beam_node import decode_fields, encode_fields
from beamtalk.bootstrap.beam_session import string_value
from beamtalk.bootstrap.native_compiler import entries_of
from beamtalk.bootstrap.stage0 import CoreUnit, Entry
from beamtalk.interp.session import Session, evaluate
from beamtalk.interp.syntax.literals import single_quoted


@given(st.lists(st.text() | st.binary()))
def test_fields_round_trip(fields):
    raw = [f if isinstance(f, bytes) else f.encode("utf-8") for f in fields]
    assert decode_fields(encode_fields(fields)) == raw


def test_field_lengths_count_bytes():
    assert encode_fields(["é", "ab"]) == b"2:\xc3\xa92:ab"


def test_entries_of_a_compile_reply():
    fields = [b"error", b"x.bt:1:1: error: no", b"syntax_error", b"no",
              b"ok", b"2", b"class", b"P", b"module 'bt@P' []", b"1",
              b"statement", b"", b"module 'bt@stmt' []", b"3",
              b"ok", b"0"]
    assert entries_of(fields) == [
        Entry(error="x.bt:1:1: error: no", error_kind="syntax_error", error_text="no"),
        Entry(error=None, units=(CoreUnit("class", "P", "module 'bt@P' []", 1),
                                 CoreUnit("statement", "", "module 'bt@stmt' []", 3))),
        Entry(error=None, units=())]


def test_first_difference_names_the_module_and_line():
    a = {"bt@A": "x\ny\n", "bt@B": "p\nq\n"}
    assert stages.first_difference(a, dict(a)) is None
    assert stages.first_difference(a, {"bt@A": "x\ny\n", "bt@B": "p\nr\n"}) == ("bt@B", 2)
    assert stages.first_difference(a, {"bt@A": "x\ny\nz\n", "bt@B": "p\nq\n"}) == ("bt@A", 3)
    assert stages.first_difference(a, {"bt@B": "p\nq\n"}) == ("bt@A", 1)
    # a difference in line breaks alone still counts
    assert stages.first_difference({"m": "a\n"}, {"m": "a"}) == ("m", 2)


def test_modules_of_refuses_errors_and_statements():
    job = stages.Job("x.bt", (), True)
    method = ("module 'bt@P@>>' ['f'/1]\n'module_info'/0 = fun () -> "
              "call 'erlang':'get_module_info'('bt@P@>>')\n")
    ok = Entry(error=None, units=(CoreUnit("class", "P", "c"), CoreUnit("method", "P", method),
                                  CoreUnit("method", "P", method)))
    assert stages.modules_of([(job, [ok])]) == {
        "bt@P": "c", "bt@P@>>@0001": method.replace("bt@P@>>", "bt@P@>>@0001"),
        "bt@P@>>@0002": method.replace("bt@P@>>", "bt@P@>>@0002")}
    with pytest.raises(stages.StageFailed, match="did not compile"):
        stages.modules_of([(job, [Entry(error="x.bt:1:1: error: no")])])
    with pytest.raises(stages.StageFailed, match="top-level statement"):
        stages.modules_of([(job, [Entry(error=None, units=(CoreUnit("statement", "", "s"),))])])
    with pytest.raises(stages.StageFailed, match="two units"):
        stages.modules_of([(job, [Entry(error=None, units=(CoreUnit("class", "P", "c"),))] * 2)])


def test_jobs_cover_the_stdlib_and_compiler_bt():
    jobs = stages.jobs()
    assert all(not j.resolve and j.path.startswith("stdlib/") for j in jobs[:-1])
    last = jobs[-1]
    assert last.resolve and [i[2] for i in last.items][0] == "compiler_bt/BtText.bt"
    assert all(not i[2].startswith("/") for j in jobs for i in j.items)  # relative names


SESSION = Session()


@settings(deadline=None)  # the first call loads the stdlib
@given(st.text(st.characters(blacklist_categories=("Cs",))))
def test_string_value_undoes_print_string(text):
    # The interpreter prints Strings as the node does (conformance), so its printString
    # stands for the node's here.
    printed = evaluate(single_quoted(text), SESSION)[0]
    assert string_value(printed) == text


def test_string_value_of_other_values():
    assert string_value("42") is None
    assert string_value("#foo") is None
