"""Erlang/OTP tooling for the BEAM backend: finding `erl`/`erlc`, building runtime_erl, EUnit.

The build is cached under `_build/runtime_erl/` by content: every module (hand-written or
generated) is compiled to `cache/<module>-<hash>.beam`, where the hash covers its source,
the OTP release and the compiler flags, so a second build compiles nothing that did not
change.  `ebin/` (and `test-ebin/`) then hold exactly the current modules.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNTIME_DIR = ROOT / "runtime_erl"
STDLIB_DIR = ROOT / "stdlib"
ERROR_TABLE = STDLIB_DIR / "errors.tsv"
BUILD_DIR = ROOT / "_build" / "runtime_erl"
ERLC_FLAGS = ("+deterministic", "+debug_info", "-Wall", "+warnings_as_errors")
TEXTS_MODULE = "beamtalk_error_texts"
UNICODE_MODULE = "beamtalk_unicode_data"
INSTALL_HINT = ("Erlang/OTP 25 or newer is needed for the BEAM backend; on Debian or Ubuntu "
                "install it with `apt-get install erlang-nox erlang-dev`")


class ErlangUnavailable(RuntimeError):
    """`erl` or `erlc` is not on PATH."""


class BuildFailed(RuntimeError):
    """erlc reported errors, or the error table is malformed."""


@dataclass(frozen=True)
class Tools:
    """The paths of `erl` and `erlc` and the OTP release they belong to."""

    erl: str
    erlc: str
    release: str


@dataclass(frozen=True)
class Build:
    """A built runtime: the directories to put on the code path."""

    ebin: Path
    test_ebin: Path
    compiled: tuple[str, ...]  # modules compiled by this build (empty when all were cached)
    test_modules: tuple[str, ...]
    digest: str = ""  # names the runtime's content (its modules' cache keys)


def find_tools() -> Tools:
    """`erl` and `erlc` from PATH, or ErlangUnavailable naming the Debian packages."""
    erl, erlc = shutil.which("erl"), shutil.which("erlc")
    missing = [name for name, path in (("erl", erl), ("erlc", erlc)) if path is None]
    if missing:
        raise ErlangUnavailable(f"{' and '.join(missing)} not found on PATH. {INSTALL_HINT}")
    assert erl is not None and erlc is not None
    return tools_at(erl, erlc)


@functools.cache
def tools_at(erl: str, erlc: str) -> Tools:
    """The Tools of these `erl` and `erlc` (asked once per process: every node start needs
    them); ErlangUnavailable when the release is older than 25 or `erl` does not start."""
    release = installed_release(erl) or started_release(erl)
    if int(release) < 25:
        raise ErlangUnavailable(f"{erl} is OTP {release}. {INSTALL_HINT}")
    return Tools(erl, erlc, release)


def installed_release(erl: str) -> str | None:
    """The OTP release of the installation `erl` belongs to, read from the file its start
    script reads (`releases/start_erl.data`: `<erts version> <release>`), without starting
    a VM; None when `erl` is not laid out so (a wrapper script elsewhere)."""
    root = Path(os.path.realpath(erl)).parent.parent
    try:
        erts, release = (root / "releases" / "start_erl.data").read_text(encoding="ascii").split()
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not release.isdigit() or not (root / f"erts-{erts}").is_dir():
        return None
    return release


def started_release(erl: str) -> str:
    """The OTP release `erl` reports when started; ErlangUnavailable when it does not start."""
    out = subprocess.run(
        [erl, "-noshell", "-eval",
         "io:format(\"~s\", [erlang:system_info(otp_release)]), halt()."],
        capture_output=True, text=True, timeout=60,
        stdin=subprocess.DEVNULL)  # never the caller's stdin (a REPL reads it)
    release = out.stdout.strip()
    if out.returncode != 0 or not release.isdigit():
        raise ErlangUnavailable(f"{erl} did not start: {out.stderr.strip()}. {INSTALL_HINT}")
    return release


# ---------------------------------------------------------------- the error-text module

ENTRY_ID = re.compile(r"[a-z][a-z0-9_]*\Z")
CLASS_NAME = re.compile(r"[A-Z][A-Za-z0-9]*\Z")
PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}|[{}]")
DECLARED_KIND = re.compile(r"^\s+kind\s*=>\s*#([a-z_][a-z0-9_]*)\s*$", re.MULTILINE)
CLASS_HEADER = re.compile(r"^(?:sealed\s+|abstract\s+)*\w+\s+subclass:\s*(\w+)", re.MULTILINE)
FULL_HEADER = re.compile(r"^((?:(?:sealed|abstract)\s+)*)(\w+)\s+subclass:\s*(\w+)", re.MULTILINE)
HIERARCHY_MODULE = "beamtalk_stdlib_classes"


def read_error_table(text: str, source: str = "errors.tsv") -> list[tuple[str, str, list]]:
    """Entries (id, class, pieces) of the shared table; a piece is a str or ("name",)."""
    entries = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        columns = line.split("\t")
        where = f"{source}:{number}"
        if len(columns) != 3:
            raise BuildFailed(f"{where}: expected 3 TAB-separated columns, got {len(columns)}")
        ident, cls, template = columns
        if not ENTRY_ID.match(ident) or ident in seen:
            raise BuildFailed(f"{where}: bad or repeated id {ident!r}")
        if not CLASS_NAME.match(cls):
            raise BuildFailed(f"{where}: bad class name {cls!r}")
        seen.add(ident)
        entries.append((ident, cls, template_pieces(template, where)))
    return entries


def template_pieces(template: str, where: str) -> list:
    """`Index {index} out of bounds` -> ["Index ", ("index",), " out of bounds"]."""
    pieces: list = []
    text: list[str] = []
    pos = 0
    for match in PLACEHOLDER.finditer(template):
        text.append(template[pos:match.start()])
        token = match.group(0)
        if token in ("{{", "}}"):
            text.append(token[0])
        elif match.group(1) is None:
            raise BuildFailed(f"{where}: unbalanced brace in template (write {{{{ or }}}})")
        else:
            if "".join(text):
                pieces.append("".join(text))
            text = []
            pieces.append((match.group(1),))
        pos = match.end()
    text.append(template[pos:])
    if "".join(text):
        pieces.append("".join(text))
    return pieces


def declared_kinds(stdlib: Path) -> dict[str, str]:
    """Classes whose stdlib declaration answers `kind => #sym` (the rest use snake_case)."""
    kinds = {}
    for path in sorted(stdlib.glob("*.bt")):
        source = path.read_text(encoding="utf-8")
        header, kind = CLASS_HEADER.search(source), DECLARED_KIND.search(source)
        if header and kind:
            kinds[header.group(1)] = kind.group(1)
    return kinds


def stdlib_hierarchy(stdlib: Path) -> list[tuple[str, str, str]]:
    """(name, superclass or "nil", modifier) of every stdlib class header, sorted by name."""
    found = []
    for path in sorted(stdlib.glob("*.bt")):
        header = FULL_HEADER.search(path.read_text(encoding="utf-8"))
        if header:
            words = header.group(1).split()
            modifier = words[0] if words else "none"
            found.append((header.group(3), header.group(2), modifier))
    return sorted(found)


def hierarchy_module_source(classes: list[tuple[str, str, str]]) -> str:
    """The module that seeds the class registry with the stdlib's class skeletons."""
    rows = ",\n     ".join(f"{{{erl_atom(n)}, {erl_atom(s)}, {m}}}" for n, s, m in classes)
    return (f"%% Generated by bootstrap/erlang.py from the headers of stdlib/*.bt.\n"
            f"-module({HIERARCHY_MODULE}).\n-export([classes/0]).\n"
            f"classes() ->\n    [{rows}].\n")


def erl_binary(text: str) -> str:
    """An Erlang binary literal holding text as UTF-8 (byte values: no escaping questions)."""
    data = text.encode("utf-8")
    return "<<" + ",".join(str(b) for b in data) + ">>" if data else "<<>>"


def erl_atom(name: str) -> str:
    """A quoted Erlang atom for an ASCII identifier."""
    return "'" + name + "'"


def texts_module_source(entries: list[tuple[str, str, list]], kinds: dict[str, str]) -> str:
    """Erlang source of beamtalk_error_texts: entry/1, ids/0 and declared_kind/1."""
    lines = [
        f"%% Generated by bootstrap/erlang.py from {ERROR_TABLE.relative_to(ROOT)} and the",
        "%% stdlib's `kind` declarations. Do not edit: change the table instead.",
        f"-module({TEXTS_MODULE}).",
        "-export([entry/1, ids/0, declared_kind/1]).",
        "",
        "%% entry(Id) -> {ExceptionClass, Pieces}: a piece is a binary or a placeholder atom.",
    ]
    for ident, cls, pieces in entries:
        rendered = ", ".join(erl_atom(p[0]) if isinstance(p, tuple) else erl_binary(p)
                             for p in pieces)
        lines.append(f"entry({erl_atom(ident)}) -> {{{erl_atom(cls)}, [{rendered}]}};")
    lines.append("entry(Id) -> erlang:error({unknown_error_text, Id}).")
    lines.append("")
    ids = ", ".join(erl_atom(ident) for ident, _, _ in entries)
    lines.append(f"ids() -> [{ids}].")
    lines.append("")
    for cls, kind in sorted(kinds.items()):
        lines.append(f"declared_kind({erl_atom(cls)}) -> {erl_atom(kind)};")
    lines.append("declared_kind(_) -> undefined.")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- Unicode categories

# OTP 25 has no general-category lookup; the interpreter uses Python's unicodedata. The
# ranges are generated from it so that both backends read the same Unicode version.
CATEGORY_SETS = {"letter": ("Lu", "Ll", "Lt", "Lm", "Lo"), "uppercase": ("Lu",),
                 "lowercase": ("Ll",), "space_separator": ("Zs",)}


def category_ranges(categories: tuple[str, ...]) -> list[tuple[int, int]]:
    """Inclusive code point ranges whose general category is one of these."""
    ranges: list[tuple[int, int]] = []
    for cp in range(0x110000):
        if unicodedata.category(chr(cp)) in categories:
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1] = (ranges[-1][0], cp)
            else:
                ranges.append((cp, cp))
    return ranges


def all_category_ranges() -> dict[str, list[tuple[int, int]]]:
    """category_ranges of every CATEGORY_SETS entry, in one pass over the code points."""
    found: dict[str, list[tuple[int, int]]] = {name: [] for name in CATEGORY_SETS}
    members = {name: set(cats) for name, cats in CATEGORY_SETS.items()}
    for cp in range(0x110000):
        category = unicodedata.category(chr(cp))
        for name, cats in members.items():
            if category in cats:
                ranges = found[name]
                if ranges and ranges[-1][1] == cp - 1:
                    ranges[-1] = (ranges[-1][0], cp)
                else:
                    ranges.append((cp, cp))
    return found


@functools.cache
def unicode_module_source() -> str:
    """beamtalk_unicode_data's source, cached under _build by Unicode version and generator."""
    generator = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    cached = BUILD_DIR / f"unicode-{unicodedata.unidata_version}-{generator}.erl"
    if cached.exists():
        return cached.read_text(encoding="utf-8")
    source = generate_unicode_module_source()
    cached.parent.mkdir(parents=True, exist_ok=True)
    partial = cached.with_name(f".{cached.name}.{os.getpid()}")
    partial.write_text(source, encoding="utf-8")
    os.replace(partial, cached)  # atomic: a concurrent reader sees all of it or nothing
    return source


def generate_unicode_module_source() -> str:
    """Erlang source of beamtalk_unicode_data: `in(Set, CodePoint)` by binary search."""
    lines = [
        "%% Generated by bootstrap/erlang.py from Python's unicodedata "
        f"{unicodedata.unidata_version}. Do not edit.",
        f"-module({UNICODE_MODULE}).",
        "-export([in/2, version/0]).",
        "",
        f"version() -> <<\"{unicodedata.unidata_version}\">>.",
        "",
        "%% in(Set, CodePoint): is the code point's general category in the set?",
    ]
    for name in sorted(CATEGORY_SETS):
        lines.append(f"in({name}, C) -> search({name}(), C, 1, tuple_size({name}()));")
    lines.append("in(_, _) -> false.")
    lines.append("")
    lines += [
        "search(_, _, Low, High) when Low > High -> false;",
        "search(Ranges, C, Low, High) ->",
        "    Mid = (Low + High) div 2,",
        "    case element(Mid, Ranges) of",
        "        {First, _} when C < First -> search(Ranges, C, Low, Mid - 1);",
        "        {_, Last} when C > Last -> search(Ranges, C, Mid + 1, High);",
        "        _ -> true",
        "    end.",
        "",
    ]
    all_ranges = all_category_ranges()
    for name in sorted(CATEGORY_SETS):
        body = ",".join(f"{{{a},{b}}}" for a, b in all_ranges[name])
        lines.append(f"{name}() -> {{{body}}}.")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- building


def module_hash(source: bytes, tools: Tools, extra: tuple[str, ...] = ()) -> str:
    """The cache key of one module: its source, the OTP release and the flags."""
    digest = hashlib.sha256()
    for part in (tools.release.encode(), " ".join(ERLC_FLAGS + extra).encode(), source):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()[:24]


def compile_modules(sources: dict[str, bytes], out: Path, tools: Tools,
                    include: Path | None = None) -> list[str]:
    """Fill `out` with one .beam per source, compiling only the ones not in the cache."""
    cache = BUILD_DIR / "cache"
    work = BUILD_DIR / "work"
    cache.mkdir(parents=True, exist_ok=True)
    extra = ("-I", str(include)) if include else ()
    wanted = {name: cache / f"{name}-{module_hash(src, tools, extra)}.beam"
              for name, src in sources.items()}
    missing = sorted(name for name, beam in wanted.items() if not beam.exists())
    if missing:
        work.mkdir(parents=True, exist_ok=True)
        scratch = Path(os.path.join(work, f"pid{os.getpid()}"))
        shutil.rmtree(scratch, ignore_errors=True)
        (scratch / "src").mkdir(parents=True)
        (scratch / "ebin").mkdir()
        files = []
        for name in missing:
            path = scratch / "src" / f"{name}.erl"
            path.write_bytes(sources[name])
            files.append(str(path))
        done = subprocess.run([tools.erlc, *ERLC_FLAGS, *extra, "-o", str(scratch / "ebin"),
                               *files], capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            shutil.rmtree(scratch, ignore_errors=True)
            raise BuildFailed(f"erlc failed:\n{done.stdout}{done.stderr}")
        for name in missing:
            os.replace(scratch / "ebin" / f"{name}.beam", wanted[name])  # atomic
        shutil.rmtree(scratch, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("*.beam"):
        if stale.stem not in wanted:
            stale.unlink()
    for name, beam in wanted.items():
        replace_if_changed(out / f"{name}.beam", beam.read_bytes())
    return missing


def replace_if_changed(target: Path, content: bytes) -> None:
    """Give `target` this content unless it has it, by write-then-rename: a node starting
    meanwhile in another process (a test worker) never reads a half-written file."""
    if target.exists() and target.read_bytes() == content:
        return
    partial = target.with_name(f".{target.name}.{os.getpid()}")
    partial.write_bytes(content)
    os.replace(partial, target)


def app_file(src_dir: Path, modules: list[str]) -> str:
    """The .app file: the .app.src with its module list filled in."""
    text = (src_dir / "beamtalk_runtime.app.src").read_text(encoding="utf-8")
    listed = ", ".join(sorted(modules))
    return text.replace("{modules, []}", "{modules, [" + listed + "]}")


def build_runtime(tools: Tools | None = None, error_table: Path = ERROR_TABLE,
                  stdlib: Path = STDLIB_DIR) -> Build:
    """Generate the error-text module, compile runtime_erl and its tests (cached)."""
    tools = tools or find_tools()
    table_text = error_table.read_text(encoding="utf-8")
    entries = read_error_table(table_text, str(error_table))
    sources = {p.stem: p.read_bytes() for p in sorted((RUNTIME_DIR / "src").glob("*.erl"))}
    sources[TEXTS_MODULE] = texts_module_source(entries, declared_kinds(stdlib)).encode()
    sources[UNICODE_MODULE] = unicode_module_source().encode()
    sources[HIERARCHY_MODULE] = hierarchy_module_source(stdlib_hierarchy(stdlib)).encode()
    ebin = BUILD_DIR / "ebin"
    compiled = compile_modules(sources, ebin, tools)
    digest = hashlib.sha256("".join(sorted(
        module_hash(src, tools) for src in sources.values())).encode()).hexdigest()[:24]
    replace_if_changed(ebin / "beamtalk_runtime.app",
                       app_file(RUNTIME_DIR / "src", list(sources)).encode())
    test_sources = {p.stem: p.read_bytes() for p in sorted((RUNTIME_DIR / "test").glob("*.erl"))}
    test_ebin = BUILD_DIR / "test-ebin"
    compiled += compile_modules(test_sources, test_ebin, tools)
    tests = tuple(sorted(name for name in test_sources if name.endswith("_tests")))
    return Build(ebin, test_ebin, tuple(compiled), tests, digest)


def run_eunit(build: Build, tools: Tools | None = None) -> subprocess.CompletedProcess:
    """Run every `*_tests` module with EUnit in a fresh, non-distributed node."""
    tools = tools or find_tools()
    modules = ", ".join(build.test_modules)
    script = (f"case eunit:test([{modules}], [verbose]) of ok -> halt(0); "
              "_ -> halt(1) end.")
    return subprocess.run([tools.erl, "-noshell", "-noinput", "-pa", str(build.ebin),
                           "-pa", str(build.test_ebin), "-eval", script],
                          capture_output=True, text=True, timeout=600)


def main(argv: list[str] | None = None) -> int:
    """`python -m beamtalk.bootstrap.erlang [build|eunit]`: build runtime_erl, run EUnit."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(prog="python -m beamtalk.bootstrap.erlang",
                                     description="Build runtime_erl or run its EUnit tests.")
    parser.add_argument("action", choices=["build", "eunit"], nargs="?", default="build")
    args = parser.parse_args(argv)
    try:
        tools = find_tools()
        build = build_runtime(tools)
    except (ErlangUnavailable, BuildFailed) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    compiled = ", ".join(build.compiled) or "nothing (all cached)"
    print(f"built {build.ebin} (compiled: {compiled})")
    if args.action == "eunit":
        done = run_eunit(build, tools)
        sys.stdout.write(done.stdout + done.stderr)
        return done.returncode
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
