"""runtime_erl: the build (error-text generation, content-hash cache) and its EUnit tests."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from beamtalk.bootstrap import erlang

HAVE_ERLANG = shutil.which("erl") is not None and shutil.which("erlc") is not None
needs_erlang = pytest.mark.skipif(not HAVE_ERLANG,
                                  reason="erl/erlc not installed (apt-get install erlang-nox "
                                         "erlang-dev)")
ERROR_TABLE = erlang.ERROR_TABLE


def test_template_pieces_split_placeholders_and_braces():
    pieces = erlang.template_pieces("Index {index} out of {{1..{size}}}", "t")
    assert pieces == ["Index ", ("index",), " out of {1..", ("size",), "}"]
    assert erlang.template_pieces("Float overflow", "t") == ["Float overflow"]
    assert erlang.template_pieces("{text}", "t") == [("text",)]


@pytest.mark.parametrize("template", ["a { b", "a } b", "{not a name!}"])
def test_template_with_a_lone_brace_is_rejected(template):
    with pytest.raises(erlang.BuildFailed, match="brace"):
        erlang.template_pieces(template, "t")


def test_error_table_reader_checks_the_format():
    text = "# comment\n\nzero\tZeroDivide\tDivision by zero\n"
    assert erlang.read_error_table(text) == [("zero", "ZeroDivide", ["Division by zero"])]
    for bad in ("zero\tZeroDivide\n", "Zero\tZeroDivide\tx\n", "z\tzeroDivide\tx\n",
                "z\tA\tx\nz\tA\ty\n"):
        with pytest.raises(erlang.BuildFailed):
            erlang.read_error_table(bad)


def test_texts_module_holds_bytes_not_retyped_text():
    source = erlang.texts_module_source([("e", "Error", ["é ", ("n",)])], {"ArityError": "x"})
    assert "entry('e') -> {'Error', [<<195,169,32>>, 'n']};" in source
    assert "declared_kind('ArityError') -> 'x';" in source


def test_declared_kinds_come_from_the_stdlib():
    kinds = erlang.declared_kinds(erlang.STDLIB_DIR)
    assert kinds["ArityError"] == "arity_mismatch"
    assert "ZeroDivide" not in kinds  # snake_case of the name


def test_missing_erlang_names_the_debian_packages(monkeypatch):
    monkeypatch.setattr(erlang.shutil, "which", lambda name: None)
    with pytest.raises(erlang.ErlangUnavailable, match="erlang-nox erlang-dev"):
        erlang.find_tools()


def table() -> Path:
    """The error table shared with the interpreter."""
    return ERROR_TABLE


@needs_erlang
def test_second_build_compiles_nothing():
    erlang.build_runtime(error_table=table())
    again = erlang.build_runtime(error_table=table())
    assert again.compiled == ()
    assert (again.ebin / "beamtalk_error_texts.beam").exists()
    app = (again.ebin / "beamtalk_runtime.app").read_text()
    assert "beamtalk_print" in app and "{modules, []}" not in app


@needs_erlang
def test_eunit_suites_pass():
    build = erlang.build_runtime(error_table=table())
    assert build.test_modules, "no EUnit modules found"
    done = erlang.run_eunit(build)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    passed = re.search(r"All (\d+) tests passed", output)
    assert passed and int(passed.group(1)) >= 20, output


RAISE_SITE = re.compile(r"(?:raise|new|compare_arg)\(([a-z_]+),")


def test_every_error_id_the_runtime_raises_is_in_the_table():
    used = set()
    for path in sorted((erlang.RUNTIME_DIR / "src").glob("*.erl")):
        used |= set(RAISE_SITE.findall(path.read_text(encoding="utf-8")))
    assert len(used) > 10
    known = {ident for ident, _, _ in erlang.read_error_table(table().read_text("utf-8"))}
    assert sorted(used - known) == []


# ---------------------------------------------------------------- primitive inventory

PRIMITIVE_DECL = re.compile(r"^\s+(?:sealed\s+)?(class\s+)?(.+?)\s*=>\s*@primitive(?:\s+'(\w+)')?",
                            re.MULTILINE)
EXPORT_ATTR = re.compile(r"-export\(\[(.*?)\]\)\.", re.DOTALL)
EXPORTED_NAME = re.compile(r"('(?:[^'\\]|\\.)*'|[a-z][A-Za-z0-9_]*)/\d+")

# The built-in classes runtime_erl has a primitive table for, and the declared primitives
# it does not offer yet.
NOT_YET: dict[str, set[str]] = {cls: set() for cls in (
    "Integer", "Float", "String", "Symbol", "Character", "List", "Tuple", "Dictionary", "Set",
    "Interval", "Association", "Block", "Object", "Exception", "ExceptionSet", "Class",
    "Metaclass", "CompiledMethod", "Message", "Transcript", "Beamtalk", "System", "File",
    "Time", "Delay", "Actor", "Future", "Erlang", "Model", "ScriptedModel", "Tool",
    "ToolRegistry", "Supervisor")}


def declared_primitives(cls: str) -> set[str]:
    """The selectors (`class sel` for the class side) stdlib/<cls>.bt marks @primitive."""
    source = (erlang.STDLIB_DIR / f"{cls}.bt").read_text(encoding="utf-8")
    found = set()
    for side, header, name in PRIMITIVE_DECL.findall(source):
        words = header.split()
        if len(words) == 1:  # unary
            selector = words[0]
        elif len(words) == 2 and not words[0].endswith(":"):  # binary operator
            selector = words[0]
        else:
            selector = "".join(w for w in words if w.endswith(":"))
        found.add(("class " if side else "") + (name or selector))
    return found


def exported_functions(module: str) -> set[str]:
    source = (erlang.RUNTIME_DIR / "src" / f"{module}.erl").read_text(encoding="utf-8")
    names = set()
    for exports in EXPORT_ATTR.findall(source):
        names |= {n.strip("'").replace("\\'", "'") for n in EXPORTED_NAME.findall(exports)}
    return names


@pytest.mark.parametrize("cls", sorted(NOT_YET))
def test_primitive_tables_cover_the_stdlib_declarations(cls):
    declared = declared_primitives(cls)
    assert declared, f"no @primitive found in {cls}.bt"
    module = "beamtalk_" + cls.lower()  # docs/native-backend.md: beamtalk_<lowercase name>
    missing = declared - exported_functions(module)
    assert sorted(missing) == sorted(NOT_YET[cls])


def test_cached_unicode_module_is_the_generated_one():
    erlang.unicode_module_source.cache_clear()
    assert erlang.unicode_module_source() == erlang.generate_unicode_module_source()
    for name, categories in erlang.CATEGORY_SETS.items():
        if name == "space_separator":  # the one-pass ranges agree with the per-set scan
            assert erlang.all_category_ranges()[name] == erlang.category_ranges(categories)
