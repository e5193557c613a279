"""The non-actor conformance corpus on both backends (issue 12): every case in
conformance/language and conformance/library gives the expected answers on the interpreter
and on the BEAM (compiled by compiler_bt at stage 0), and the two backends agree statement by
statement. conformance/actors needs actors on the BEAM (issue 14) and is not run here."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from beamtalk.bootstrap.conform import conform

CORPUS = Path(__file__).resolve().parent.parent / "conformance"

pytestmark = pytest.mark.skipif(shutil.which("erl") is None, reason="needs Erlang/OTP")


@pytest.mark.slow
@pytest.mark.parametrize("folder", ["language", "library"])
def test_both_backends_pass_and_agree(folder):
    out = io.StringIO()
    status = conform([str(CORPUS / folder)], "both", verbose=False, out=out)
    text = out.getvalue()
    assert status == 0, text[-6000:]
    summary = text.splitlines()[-1]
    assert summary.endswith(" 0 failed") and not summary.startswith("0 passed"), summary
