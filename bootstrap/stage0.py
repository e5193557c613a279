"""Stage 0: compiler_bt (the native compiler, in Beamtalk) run on the interpreter.

`compile_statements` answers, for a list of top-level statement texts, what
`BtCompiler compileStatements:path:` answers (docs/native-backend.md): per statement either
the rendered diagnostics or the Core Erlang units. Results are cached under `_build/stage0/`
keyed by a hash of compiler_bt's sources, the stdlib and the input, so a second run with the
same input compiles nothing (and does not even load compiler_bt). `build` writes one
`.beam` per unit (`beamtalk build FILE... -o DIR`), compiling every Core text in one `erl`.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from beamtalk.bootstrap import compiler_bt
from beamtalk.bootstrap.erlang import ErlangUnavailable, find_tools
from beamtalk.interp.runtime.values import BtList, BtTuple

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = ROOT / "_build" / "stage0"


@dataclass(frozen=True)
class CoreUnit:
    """One compiled unit: kind `class`, `method` or `statement`, its name, Core text, and the
    line its statement starts on."""

    kind: str
    name: str
    core: str
    line: int = 1


@dataclass(frozen=True)
class Entry:
    """The result for one statement: its diagnostics (`error`: rendered as `beamtalk check`
    does; `error_kind`/`error_text`: what the statement signals) or its `units`."""

    error: str | None
    units: tuple[CoreUnit, ...] = ()
    error_kind: str | None = None
    error_text: str | None = None


def inputs_digest() -> str:
    """Hash of everything the compiler's output depends on besides its input."""
    h = hashlib.sha256()
    files = [compiler_bt.ROOT / "LOAD_ORDER", *compiler_bt.source_files()]
    stdlib = ROOT / "stdlib"
    files += sorted(stdlib.glob("*.bt")) + [stdlib / "errors.tsv"]
    for path in files:
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def cache_key(items: list[tuple[str, int]], path: str, digest: str) -> str:
    """The cache file name of one compilation."""
    payload = json.dumps([digest, path, items], ensure_ascii=False).encode()
    return hashlib.sha256(payload).hexdigest()


def to_entries(result: object) -> list[Entry]:
    """The Python form of BtCompiler's answer (a List of tuples)."""
    entries = []
    for item in result:  # type: ignore[attr-defined]
        tag, *payload = item.items
        if tag.name == "error":
            rendered, kind, text = payload
            entries.append(Entry(error=rendered, error_kind=kind.name, error_text=text))
        else:
            units = tuple(CoreUnit(u.items[0].name, u.items[1], u.items[2], u.items[3])
                          for u in payload[0])
            entries.append(Entry(error=None, units=units))
    return entries


def entries_json(entries: list[Entry]) -> list:
    """A JSON-serialisable form of entries."""
    return [{"error": e.error, "kind": e.error_kind, "text": e.error_text,
             "units": [[u.kind, u.name, u.core, u.line] for u in e.units]} for e in entries]


def entries_from_json(data: list) -> list[Entry]:
    """Entries back from their JSON form."""
    return [Entry(error=d["error"], error_kind=d["kind"], error_text=d["text"],
                  units=tuple(CoreUnit(*u) for u in d["units"])) for d in data]


def is_stdlib(path: str) -> bool:
    """Whether a file is one of the stdlib's (they define the built-in classes themselves)."""
    return Path(path).resolve().parent == (ROOT / "stdlib").resolve()


def compile_statements(items: list[tuple[str, int]] | list[tuple[str, int, str]], path: str,
                       cache_dir: Path | None = None, resolve: bool | None = None,
                       ) -> tuple[list[Entry], bool]:
    """(entries, whether compiler_bt ran) for `items`, (text, first line) pairs in order, or
    (text, first line, file) triples when the statements come from several files.

    The statements are resolved from the stdlib's session (compile errors as `beamtalk check`
    reports them), except in the stdlib's own files, which declare the built-in classes
    (`resolve` None: decided by `path`; the bootstrap names files relative to the checkout).
    """
    if resolve is None:
        resolve = not is_stdlib(path)
    found = cached_entries(items, path, resolve, cache_dir)
    if found is not None:
        return found, False
    entries = compile_uncached(items, path, resolve)
    remember(items, path, resolve, entries, cache_dir)
    return entries, True


def cache_file(items: list, path: str, resolve: bool, cache_dir: Path | None) -> Path:
    """Where the entries of one compilation are cached."""
    key = cache_key(items, path + ("" if resolve else "\0stdlib"), inputs_digest())
    return (cache_dir or CACHE_DIR) / f"{key}.json"


def cached_entries(items: list, path: str, resolve: bool,
                   cache_dir: Path | None = None) -> list[Entry] | None:
    """The cached entries of a compilation, or None."""
    cached = cache_file(items, path, resolve, cache_dir)
    if not cached.exists():
        return None
    return entries_from_json(json.loads(cached.read_text(encoding="utf-8")))


def remember(items: list, path: str, resolve: bool, entries: list[Entry],
             cache_dir: Path | None = None) -> None:
    """Cache the entries of a compilation."""
    cached = cache_file(items, path, resolve, cache_dir)
    cached.parent.mkdir(parents=True, exist_ok=True)
    # Write then rename, so a concurrent reader never sees half a file.
    fd, tmp = tempfile.mkstemp(dir=cached.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(entries_json(entries), out, ensure_ascii=False)
    os.replace(tmp, cached)


def compile_uncached(items: list, path: str, resolve: bool) -> list[Entry]:
    """compiler_bt's entries for `items` (as compile_statements), computed here."""
    bt = compiler_bt.shared()
    session = bt.stdlib_session if resolve else None
    return to_entries(bt.call("compileStatements:path:session:", bt_items(items), path, session))


def bt_items(items: list) -> BtList:
    """Statements as compiler_bt takes them: a List of (text, line[, file]) Tuples."""
    return BtList([BtTuple(tuple(item)) for item in items])


def compile_after(head: list, tail: list, path: str, resolve: bool) -> list[Entry] | None:
    """The entries of `tail`, the statements that follow `head` in one session, compiled
    without generating `head`'s Core (BtCompiler stateAfter:path:state:); None when `head`
    cannot be skipped so (errors, or statements other than definitions)."""
    bt = compiler_bt.shared()
    state = bt.call("stateFrom:", bt.stdlib_session if resolve else None)
    state = bt.call("stateAfter:path:state:", bt_items(head), path, state)
    if state is None:
        return None
    entries, _ = bt.call("compileStatements:path:state:", bt_items(tail), path, state).items
    return to_entries(entries)


def compile_continuing(items: list[tuple[str, int, str]], path: str, state: object = None,
                       ) -> tuple[list[Entry], object]:
    """(entries, state) for statements that continue an earlier call's session (`state`, the
    compiler's state it answered; None: a new session from the stdlib's), e.g. a REPL's
    inputs one after another. Not cached: the state is a value of the interpreter's."""
    bt = compiler_bt.shared()
    if state is None:
        state = bt.call("stateFrom:", bt.stdlib_session)
    arg = bt_items(items)
    entries, state = bt.call("compileStatements:path:state:", arg, path, state).items
    return to_entries(entries), state


def compile_file(path: str, source: str) -> Entry:
    """A whole file compiled as one text: one Entry holding every statement's units."""
    entries, _ = compile_statements([(source, 1)], path)
    return entries[0]


# The Erlang side of `build`: each argument names a Core file and the .beam to write.
COMPILE_CORE = r"""
Compile = fun(Core, Beam) ->
    {ok, Bin} = file:read_file(Core),
    Result = case core_scan:string(binary_to_list(Bin)) of
        {ok, Toks, _} ->
            case core_parse:parse(Toks) of
                {ok, Mod} ->
                    compile:forms(Mod, [from_core, binary, deterministic, return_errors]);
                Err -> Err
            end;
        Err -> Err
    end,
    case Result of
        {ok, _, Code} -> ok = file:write_file(Beam, Code), ok;
        Other -> io:format(standard_error, "~ts: ~tp~n", [Core, Other]), error
    end
end,
Args = init:get_plain_arguments(),
Pairs = fun Pairs([C, B | Rest]) -> [{C, B} | Pairs(Rest)]; Pairs([]) -> [] end,
Results = [Compile(C, B) || {C, B} <- Pairs(Args)],
halt(case lists:all(fun(R) -> R =:= ok end, Results) of true -> 0; false -> 1 end).
"""


def module_file_name(unit: CoreUnit, statement: int, methods: dict[str, int]) -> str:
    """The module a unit is built as: `bt@Class`; `bt@Class@>>@0001` for the class's first
    `>>` method (counted in `methods`, zero-padded so that sorted names keep the definitions'
    order); `bt@stmt@N` for the Nth top-level statement."""
    if unit.kind == "class":
        return f"bt@{unit.name}"
    if unit.kind == "method":
        methods[unit.name] = methods.get(unit.name, 0) + 1
        return f"bt@{unit.name}@>>@{methods[unit.name]:04d}"
    return f"bt@stmt@{statement}"


def renamed(unit: CoreUnit, module: str) -> str:
    """A unit's Core text with its module named `module` (the compiler names a `>>` module
    `bt@Class@>>` and every statement `bt@stmt`)."""
    if unit.kind == "class":
        return unit.core
    old = f"bt@{unit.name}@>>" if unit.kind == "method" else "bt@stmt"
    return module_renamed(unit.core, old, module)


def module_renamed(core: str, old: str, new: str) -> str:
    """A module's Core text with its own name `old` changed to `new`.

    The name changes where the generator writes it, as beamtalk_loader:rename/1 does in the
    node: the module header, the `erlang:get_module_info` calls of module_info, the
    `'$cur'('old')` checks of self-sends and the `'$local old'` / `'$local class old'`
    functions exact variants call; any other `'old'` is program data (a Symbol
    `#'bt@stmt'`) and stays.
    """
    header = f"module '{old}'"
    if not core.startswith(header):
        raise compiler_bt.CompilerBtError(f"a module without its header {header}: {core[:40]}")
    body = core[len(header):]
    for written in ("call 'erlang':'get_module_info'('{}'", "'$cur'('{}')", "'$local {}'",
                    "'$local class {}'"):
        body = body.replace(written.format(old), written.format(new))
    return f"module '{new}'" + body


def build(files: list[str], out_dir: str, read_source, native=None) -> int:
    """`beamtalk build FILE... -o DIR`: one .beam per unit; diagnostics on stderr, exit 1.

    `native`: the native compiler (native_compiler.NativeCompiler) compiles the files and
    their Core inside its node; without it, stage 0 and one `erl` for all the Core.
    """
    units: list[tuple[str, str]] = []
    failed = False
    statement = 0
    methods: dict[str, int] = {}
    for path in files:
        try:
            source = read_source(path)
            entry = (native.compile([(source, 1, path)], path)[0] if native is not None
                     else compile_file(path, source))
        except compiler_bt.CompilerBtError as exc:
            print(f"beamtalk build: compiler_bt failed on {path}: {exc}", file=sys.stderr)
            return 2
        if entry.error is not None:
            print(entry.error, file=sys.stderr)
            failed = True
            continue
        for unit in entry.units:
            module = module_file_name(unit, statement, methods)
            if unit.kind == "statement":
                statement += 1
            units.append((module, renamed(unit, module)))
    if failed:
        return 1
    if native is not None:
        return build_native(native, units, Path(out_dir))
    try:
        tools = find_tools()
    except ErlangUnavailable as exc:
        print(f"beamtalk build: {exc}", file=sys.stderr)
        return 2
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        args = []
        for i, (module, core) in enumerate(units):
            core_path = Path(tmp) / f"{i}.core"
            core_path.write_text(core, encoding="utf-8")
            args += [str(core_path), str(out / f"{module}.beam")]
        if not args:
            return 0
        proc = subprocess.run([tools.erl, "-noshell", "-eval", COMPILE_CORE, "-extra", *args],
                              capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if proc.returncode != 0:
        print(f"beamtalk build: the generated Core Erlang did not compile (a compiler bug):\n"
              f"{proc.stderr.strip()}", file=sys.stderr)
        return 2
    return 0


def build_native(native, units: list[tuple[str, str]], out: Path) -> int:
    """The Core of `build` compiled to .beam files inside the native compiler's node."""
    # lazy: only a native build needs the node's protocol
    from beamtalk.bootstrap.beam_node import NodeFailed

    try:
        native.build([core for _, core in units], out)
    except NodeFailed as exc:
        print(f"beamtalk build: the generated Core Erlang did not compile (a compiler bug):\n"
              f"{exc}", file=sys.stderr)
        return 2
    return 0
