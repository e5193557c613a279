"""The native compiler: compiler_bt built by `beamtalk bootstrap`, run inside a BEAM node.

The bootstrap (bootstrap/selfhost.py) keeps its stages under `_build/bootstrap/<key>/`, the
key a hash of everything the native compiler's output depends on (compiler_bt's and the
stdlib's sources, runtime_erl's sources, the OTP release). `stage0/beam/` holds the stage-1
compiler: compiler_bt and the stdlib compiled by stage 0, one `.beam` per class. Once stage 1
has run with it (`stage1/stage.json` exists), `build`, `run --backend beam` and `conform
--backend beam|both` start their node with those modules registered and compile there
(`compile` requests, beamtalk_compiler.erl) instead of running compiler_bt on the interpreter.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path

from beamtalk.bootstrap import erlang, stage0
from beamtalk.bootstrap.beam_node import BeamNode, NodeFailed, Reply, close_all
from beamtalk.bootstrap.stage0 import CoreUnit, Entry

ROOT = erlang.ROOT
BOOTSTRAP_DIR = ROOT / "_build" / "bootstrap"
RUNTIME_SOURCES = ROOT / "runtime_erl" / "src"


def build_key(release: str) -> str:
    """The bootstrap directory's name for the current sources and OTP release."""
    h = hashlib.sha256(stage0.inputs_digest().encode() + b"\0" + release.encode() + b"\0")
    for path in sorted(RUNTIME_SOURCES.glob("*")):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:24]


def build_dir(release: str) -> Path:
    """Where the bootstrap of the current sources keeps its stages."""
    return BOOTSTRAP_DIR / build_key(release)


def stage1_compiler(release: str) -> Path | None:
    """The `.beam` directory of the native compiler when the bootstrap of the current sources
    has run stage 1 with it; None otherwise (callers fall back to stage 0)."""
    base = build_dir(release)
    if (base / "stage1" / "stage.json").exists() and (base / "stage0" / "beam").is_dir():
        return base / "stage0" / "beam"
    return None


def modules_in(beam_dir: Path) -> list[str]:
    """The modules of a build directory, sorted (class modules and `>>` modules)."""
    return sorted(p.stem for p in beam_dir.glob("*.beam"))


def stdlib_modules(beam_dir: Path) -> list[str]:
    """The stdlib's modules of a build directory (compiler_bt's classes are all `Bt...`)."""
    return [m for m in modules_in(beam_dir) if not m.startswith("bt@Bt")]


def image_file(beam_dir: Path, build: erlang.Build, stdlib_only: bool) -> Path:
    """Where a node registering the modules of `beam_dir` (all, or the stdlib's) keeps its
    saved registry (beamtalk_image): beside the build, named after the runtime's content."""
    which = "stdlib" if stdlib_only else "all"
    return beam_dir.parent.parent / "images" / f"{which}-{build.digest}.image"


def launch_node(beam_dir: Path, build: erlang.Build, tools: erlang.Tools, stdlib_only: bool,
                node_name: str | None = None) -> BeamNode:
    """A node started with the modules of `beam_dir` on its code path and asked to register
    them (all, or only the stdlib's) through its image; `await_boot` waits for it. The
    compiler's node also computes its stdlib session then (the image keeps it)."""
    node = BeamNode(build=build, tools=tools, code_paths=[beam_dir], node_name=node_name)
    try:
        modules = stdlib_modules(beam_dir) if stdlib_only else modules_in(beam_dir)
        warm = "" if stdlib_only else str(erlang.STDLIB_DIR)
        node.send_boot(image_file(beam_dir, build, stdlib_only), warm, modules)
    except BaseException:
        node.close()
        raise
    return node


def await_boot(node: BeamNode) -> BeamNode:
    """The node launch_node started, once its modules are registered (stopped on failure)."""
    return loaded(node, node.answer)


def loaded(node: BeamNode, register: Callable[[], Reply]) -> BeamNode:
    """`node` once `register` answered that its modules are registered; stopped on failure."""
    try:
        reply = register()
        if not reply.ok:
            raise NodeFailed(f"the native compiler did not load: {reply.error_line()}")
    except BaseException:
        node.close()
        raise
    return node


def start_node(beam_dir: Path, build: erlang.Build, tools: erlang.Tools) -> BeamNode:
    """A node with every module of `beam_dir` (the stdlib and compiler_bt) registered from
    scratch, without an image (the bootstrap's stages)."""
    node = BeamNode(build=build, tools=tools, code_paths=[beam_dir])
    return loaded(node, lambda: node.register(modules_in(beam_dir)))


def compile_on(node: BeamNode, items: Sequence[tuple[str, int, str]], path: str,
               resolve: bool, continuing: bool = False) -> list[Entry]:
    """What stage0.compile_statements answers, computed by the native compiler in `node`:
    (text, first line, file) statements of one session, resolved from the stdlib's session
    unless `resolve` is false (the stdlib's own files); `continuing`: the session the node's
    last compile left goes on (a REPL's next input)."""
    mode = "continue" if continuing else "stdlib" if resolve else "none"
    fields: list[str] = [mode, str(erlang.STDLIB_DIR), path]
    for text, line, file in items:
        fields += [text, str(line), file]
    return entries_of(node.request_fields("compile", fields))


def entries_of(fields: list[bytes]) -> list[Entry]:
    """The entries of a `compile` reply's fields (beamtalk_compiler:fields/1)."""
    texts = [f.decode("utf-8") for f in fields]
    entries: list[Entry] = []
    i = 0
    while i < len(texts):
        if texts[i] == "error":
            entries.append(Entry(error=texts[i + 1], error_kind=texts[i + 2],
                                 error_text=texts[i + 3]))
            i += 4
            continue
        count = int(texts[i + 1])
        i += 2
        units = []
        for _ in range(count):
            kind, name, core, line = texts[i:i + 4]
            units.append(CoreUnit(kind, name, core, int(line)))
            i += 4
        entries.append(Entry(error=None, units=tuple(units)))
    return entries


def build_on(node: BeamNode, core_texts: Sequence[str], out_dir: Path) -> list[str]:
    """Compile Core module texts to `.beam` files in `out_dir` inside `node` (the compiler's
    module names kept); answers the modules written."""
    names = node.request_fields("build", [str(out_dir), *core_texts])
    return [n.decode("utf-8") for n in names]


class NativeCompiler:
    """The stage-1 compiler running in a node of its own (`close` stops it). Programs run in
    another node (the one `start_with_program` starts beside it): the
    compiler's classes would show in their reflection (`Beamtalk allClasses`), and their
    redefinitions could reach the compiler."""

    def __init__(self, beam_dir: Path, build: erlang.Build | None = None,
                 tools: erlang.Tools | None = None, node: BeamNode | None = None) -> None:
        """`node`: the compiler's node, already started (launch_node); else one is."""
        self.beam_dir = beam_dir
        if node is None:
            tools = tools or erlang.find_tools()
            build = build or erlang.build_runtime(tools)
            node = await_boot(launch_node(beam_dir, build, tools, stdlib_only=False))
        self.node = node

    def compile(self, items: Sequence[tuple[str, int, str]], path: str,
                continuing: bool = False) -> list[Entry]:
        """What stage0.compile_statements answers for the same statements (the stdlib's own
        files unresolved, as there); `continuing`: after the last call's statements."""
        return compile_on(self.node, items, path, not stage0.is_stdlib(path), continuing)

    def build(self, core_texts: Sequence[str], out_dir: Path) -> list[str]:
        """Core module texts to `.beam` files in `out_dir`, compiled in the node."""
        return build_on(self.node, core_texts, out_dir)

    def describe(self) -> str:
        """Which compiler this is, for `-v`."""
        return f"the native compiler ({self.beam_dir.parent.parent.relative_to(ROOT)})"

    def close(self) -> None:
        """Stop the node."""
        self.node.close()


def current(tools: erlang.Tools | None = None) -> NativeCompiler | None:
    """The native compiler of the current sources started in a node, or None when
    `beamtalk bootstrap` has not built it (callers then use stage 0)."""
    tools = tools or erlang.find_tools()
    beam_dir = stage1_compiler(tools.release)
    return NativeCompiler(beam_dir, tools=tools) if beam_dir is not None else None


def start_with_program(node_name: str | None = None) -> tuple[NativeCompiler, BeamNode] | None:
    """The native compiler of the current sources and a node for programs (distributed under
    `node_name` when given), both started at once; None when `beamtalk bootstrap` has not
    built the compiler. A failure stops both."""
    tools = erlang.find_tools()
    beam_dir = stage1_compiler(tools.release)
    if beam_dir is None:
        return None
    build = erlang.build_runtime(tools)
    nodes: list[BeamNode] = []
    try:
        nodes.append(launch_node(beam_dir, build, tools, stdlib_only=False))
        nodes.append(launch_node(beam_dir, build, tools, stdlib_only=True, node_name=node_name))
        for node in nodes:
            await_boot(node)
    except BaseException:
        close_all(nodes)
        raise
    return NativeCompiler(beam_dir, node=nodes[0]), nodes[1]


STAGE0_DESCRIPTION = ("stage 0 (compiler_bt on the interpreter; `beamtalk bootstrap` builds the "
                      "native compiler)")
