"""Running `beamtalk conform` on one case written in a test, with a backend replaced."""

import io

from beamtalk.bootstrap import conform as conform_mod


def conform_case(tmp_path, monkeypatch, text: str, mode: str, name: str,
                 backend: type) -> tuple[int, str]:
    """Write `text` as a case, run it with `mode` (interp, beam or both) while the backend
    `name` is `backend`; the exit status and what conform printed."""
    case = tmp_path / "case.bt"
    case.write_text(text, encoding="utf-8")
    monkeypatch.setitem(conform_mod.BACKENDS, name, backend)
    out = io.StringIO()
    status = conform_mod.conform([str(case)], mode, verbose=False, out=out)
    return status, out.getvalue()
