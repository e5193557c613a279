"""`beamtalk conform --backend both` compares the backends with each other, statement by
statement, besides checking each against the expectations (CONFORMANCE.md)."""

from conform_support import conform_case

from beamtalk.bootstrap import conform as conform_mod


class SkewedBackend(conform_mod.InterpBackend):
    """The interpreter, except that it shows 42 as 'forty-two' (a backend disagreement)."""

    name = "beam"

    def show(self, outcome):
        shown = super().show(outcome)
        return "forty-two" if shown == "42" else shown


def run_both(tmp_path, monkeypatch, text):
    return conform_case(tmp_path, monkeypatch, text, "both", "beam", SkewedBackend)


def test_a_statement_without_expectation_is_still_compared(tmp_path, monkeypatch):
    status, text = run_both(tmp_path, monkeypatch, "x := 40 + 2\n\n3 + 4\n// => 7\n")
    assert status == 1
    assert "case.bt:1: backends differ: 42 (interp), forty-two (beam)" in text
    assert text.strip().endswith("2 passed, 1 failed")


def test_a_wildcard_expectation_allows_a_difference(tmp_path, monkeypatch):
    status, text = run_both(tmp_path, monkeypatch, "40 + 2\n// => _\n")
    assert status == 0, text
    assert text.strip().endswith("2 passed, 0 failed")


def test_agreeing_backends_pass(tmp_path, monkeypatch):
    status, text = run_both(tmp_path, monkeypatch, "1 / 0\n// => ERROR: zero_divide\n'a' size\n")
    assert status == 0, text
    assert conform_mod.has_wildcard("#Actor<Counter,_>")
    assert not conform_mod.has_wildcard("zero_divide")


def test_actor_ids_may_differ_between_the_backends():
    # LANGUAGE.md 8: the ID inside an actor's printString is backend-specific.
    interp = "ERROR: does_not_understand: #Actor<Counter,6> does not understand #bogus:"
    beam = "ERROR: does_not_understand: #Actor<Counter,0.176.0> does not understand #bogus:"
    assert conform_mod.comparable(interp) == conform_mod.comparable(beam)
    assert conform_mod.comparable("#Actor<Counter,1>") != conform_mod.comparable("#Actor<Gate,1>")
