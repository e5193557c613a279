"""The interpreter's Erlang bridge (LANGUAGE.md 7): the ETF codec, the on-demand node, and the
interop cases on the interpreter, with `erl` installed and with it hidden from PATH."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beamtalk.bootstrap.conform import conform
from beamtalk.interp.runtime import erlang_terms
from beamtalk.interp.runtime.erlang_terms import NoCounterpart
from beamtalk.interp.runtime.primitives.interop import function_name
from beamtalk.interp.runtime.values import BtDict, BtList, BtTuple, Character, Symbol
from beamtalk.interp.session import Session, evaluate

CORPUS = Path(__file__).resolve().parent.parent / "conformance"
HAS_ERL = shutil.which("erl") is not None
needs_erl = pytest.mark.skipif(not HAS_ERL, reason="needs Erlang/OTP")

# Beamtalk values with an Erlang counterpart (LANGUAGE.md 7).
atoms = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20).map(
    lambda name: {"nil": None, "true": True, "false": False}.get(name, Symbol(name)))
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(-(2**300), 2**300),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=20), atoms)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5).map(lambda xs: BtList(tuple(xs))),
        st.lists(inner, max_size=5).map(lambda xs: BtTuple(tuple(xs))).filter(
            lambda t: not (len(t) and type(t.items[0]) is Symbol
                           and t.items[0].name.startswith("$"))),
        st.lists(st.tuples(inner, inner), max_size=4).map(BtDict.of)),
    max_leaves=20)


def same(a: object, b: object) -> bool:
    """Beamtalk `=` (no coercion between 1 and 1.0; 0.0 and -0.0 are equal)."""
    from beamtalk.interp.runtime.values import equal

    return equal(a, b)


@given(values)
def test_codec_round_trips_in_python(value):
    assert same(erlang_terms.decode(erlang_terms.encode(value)), value)


def test_codec_refuses_values_without_counterpart():
    for value in (Character("a"), BtList((1, Character("a"))), BtTuple((Symbol("$char"), 97))):
        with pytest.raises(NoCounterpart):
            erlang_terms.encode(value)
    # a pid, an improper list and bytes that are not UTF-8 have no Beamtalk counterpart
    pid = bytes([131, 88, 119, 13]) + b"nonode@nohost" + bytes(12)
    improper = bytes([131, 108, 0, 0, 0, 1, 97, 1, 97, 2])
    latin = bytes([131, 109, 0, 0, 0, 1, 255])
    for data in (pid, improper, latin):
        with pytest.raises(NoCounterpart):
            erlang_terms.decode(data)


def test_charlist_and_big_integers_decode():
    assert erlang_terms.decode(bytes([131, 107, 0, 2, 104, 105])) == BtList((104, 105))
    big = -(2**80)
    assert erlang_terms.decode(erlang_terms.encode(big)) == big


def test_function_names():
    assert function_name("reverse:") == "reverse"
    assert function_name("put:with:with:") == "put"
    assert function_name("node") == "node"
    assert function_name("+") == "+"


@pytest.fixture(scope="module")
def node():
    """One node for the property test (starting one per example would be slow)."""
    session = Session(out=io.StringIO())
    yield session.rt.erlang_node
    session.rt.close()


@needs_erl
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=values)
def test_codec_round_trips_through_a_real_node(node, value):
    # erlang:hd([X]) makes the node decode X (binary_to_term) and encode it again
    # (term_to_binary) on its way back.
    assert same(node.call("erlang", "hd", [BtList((value,))]), value)
    # and Erlang itself finds the value it got twice identical (=:=), so our encoding
    # is canonical enough for the node's own comparisons.
    assert node.call("erlang", "=:=", [value, node.call("erlang", "hd", [BtList((value,))])])


@needs_erl
def test_the_node_starts_on_demand_and_stops_with_the_runtime():
    session = Session(out=io.StringIO())
    node = session.rt.erlang_node
    assert node.proc is None
    assert evaluate("Erlang lists reverse: #(1, 2)", session) == ["#(2, 1)"]
    proc = node.proc
    assert proc is not None and proc.poll() is None
    session.rt.close()
    assert proc.poll() is not None and node.proc is None
    # the next call starts a new node
    assert evaluate("Erlang lists sum: #(1, 2)", session) == ["3"]
    session.rt.close()


@needs_erl
def test_a_node_that_halts_gives_an_error_and_the_next_call_a_new_node():
    session = Session(out=io.StringIO())
    out = evaluate("Erlang erlang halt\nErlang lists reverse: #(1, 2)", session)
    assert out[0].startswith("ERROR: erlang_error: the Erlang node for interop failed")
    assert out[1] == "#(2, 1)"
    session.rt.close()


@needs_erl
def test_act_erlang_passes_on_the_interpreter(tmp_path):
    source = (CORPUS / "actors" / "act_erlang.bt").read_text(encoding="utf-8")
    assert "// @backend beam\n" in source
    case = tmp_path / "act_erlang_both.bt"
    case.write_text(source.replace("// @backend beam\n", ""), encoding="utf-8")
    out = io.StringIO()
    status = conform([str(case)], "interp", verbose=False, out=out)
    assert status == 0, out.getvalue()[-4000:]
    assert out.getvalue().splitlines()[-1].endswith(" 0 failed")


def _run_interp_case(name: str) -> str:
    out = io.StringIO()
    status = conform([str(CORPUS / "actors" / name)], "interp", verbose=False, out=out)
    assert status == 0, out.getvalue()[-4000:]
    return out.getvalue()


@needs_erl
def test_act_erlang_interp_passes_with_erl():
    assert _run_interp_case("act_erlang_interp.bt").splitlines()[-1] == "4 passed, 0 failed"


def test_without_erl_calls_signal_unsupported(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: no `erl` on PATH
    assert shutil.which("erl") is None
    assert _run_interp_case("act_erlang_interp.bt").splitlines()[-1] == "4 passed, 0 failed"
    out = evaluate("Erlang lists reverse: #(1, 2)\n[Erlang lists reverse: #()] on: "
                   "UnsupportedError do: [:e | e class]")
    assert out[0].startswith("ERROR: unsupported: Erlang interop (Erlang lists reverse:) needs")
    assert out[1] == "UnsupportedError"


@needs_erl
def test_the_nodes_own_output_does_not_disturb_the_calls():
    # io:format and the logger write to the node's standard error, never into the packets
    session = Session(out=io.StringIO())
    out = evaluate("Erlang logger error: #{#a => 1}\n"
                   "Erlang io format: (Erlang erlang binary_to_list: 'to stderr~n')\n"
                   "Erlang lists reverse: #(1, 2)", session)
    assert out == ["#ok", "#ok", "#(2, 1)"]
    session.rt.close()
