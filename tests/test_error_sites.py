"""Every run-time error text lives in stdlib/errors.tsv: a static scan of the interpreter's raises.

Raise sites name a table entry (`rt.error_from("id", ...)`); the only way to give a text
inline, `rt.error("Class", text)` / `rt.make_error(...)`, is reserved to runtime.py itself.
Compile-time diagnostics (`resolver.error(node, ...)`, `ctx.error(pos, ...)`) are not
run-time texts and are not affected: their first argument is not a class name.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from beamtalk.interp.runtime.error_texts import error_table

INTERP = Path(__file__).resolve().parent.parent / "interp"
TABLE_APIS = {"error_from", "make_error_from", "error_text"}
INLINE_APIS = {"error", "make_error"}
CLASS_NAME = re.compile(r"[A-Z][A-Za-z]*\Z")
# The definitions of the raise API itself.
API_HOME = INTERP / "runtime" / "runtime.py"


def calls() -> list[tuple[str, ast.Call]]:
    """(file:line, call) for every call in interp/, in file order."""
    found = []
    for path in sorted(INTERP.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name):
                found.append((f"{path.relative_to(INTERP.parent)}:{node.lineno}", node))
    return found


def name_of(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id  # type: ignore[union-attr]


def first_string(call: ast.Call) -> str | None:
    if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
        return call.args[0].value
    return None


def test_no_inline_run_time_error_text() -> None:
    offenders = []
    for where, call in calls():
        if name_of(call) in INLINE_APIS and not where.startswith(str(API_HOME.relative_to(
                INTERP.parent))):
            first = first_string(call)
            receiver = ast.unparse(call.func.value) if isinstance(call.func, ast.Attribute) else ""
            if first is not None and CLASS_NAME.match(first) or receiver.split(".")[-1] == "rt":
                offenders.append(where)
        if name_of(call) == "Outcome":
            for keyword in call.keywords:
                if keyword.arg == "error_text" and isinstance(keyword.value,
                                                              ast.Constant | ast.JoinedStr):
                    # The one exception: an interpreter bug is reported, not a language error.
                    if "please report this" not in ast.unparse(keyword.value):
                        offenders.append(where)
    assert offenders == [], "raise through rt.error_from with an id from stdlib/errors.tsv"


def test_every_raise_names_a_table_entry_with_its_placeholders() -> None:
    table = error_table()
    problems = []
    used = set()
    for where, call in calls():
        if name_of(call) not in TABLE_APIS:
            continue
        error_id = first_string(call)
        if error_id is None:  # the id is computed: checked where it is chosen
            continue
        used.add(error_id)
        if error_id not in table:
            problems.append(f"{where}: no entry {error_id}")
            continue
        if any(k.arg is None for k in call.keywords):  # **args: not checkable statically
            continue
        given = {k.arg for k in call.keywords} - {"attrs"}
        if given != set(table[error_id].placeholders):
            problems.append(f"{where}: {error_id} wants {sorted(table[error_id].placeholders)},"
                            f" given {sorted(given)}")
    assert problems == []
    # Entries whose id is computed at the raise site (a variable, not a literal).
    computed = {"io_error", "expects_string", "expects_symbol", "expects_character"}
    computed |= {error_id for error_id in table if error_id.startswith("file_error_")}
    # Superseded by file_error_enoent; kept while the table is append-only (issue 9).
    computed.add("file_not_found")
    # Entries only the BEAM runtime raises (what the interpreter never lacks: a primitive,
    # Symbols of any length), named in runtime_erl's sources.
    erlang = "".join(path.read_text(encoding="utf-8")
                     for path in (INTERP.parent / "runtime_erl" / "src").glob("*.erl"))
    computed |= {i for i in table if re.search(rf"\b(raise|new)\({i}\b", erlang)}
    assert sorted(set(table) - used - computed) == [], "unused entries in stdlib/errors.tsv"


def test_errno_reasons_live_in_the_table() -> None:
    """File errors take their whole text from a `file_error_<errno>` entry (no inline reasons)."""
    source = (INTERP / "runtime" / "primitives" / "system.py").read_text(encoding="utf-8")
    assert "no such file or directory" not in source
    table = error_table()
    assert table["file_error_enoent"].class_name == "FileNotFound"
    assert all(table[i].class_name == "IOError" for i in table
               if i.startswith("file_error_") and i != "file_error_enoent")
