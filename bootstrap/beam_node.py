"""A long-lived BEAM node running runtime_erl's transcript runner (docs/native-backend.md).

The node is `erl` with runtime_erl on the code path, `+P 2000000`, serving `beamtalk_runner`
over its standard input/output with 4-byte length-prefixed packets.  Distribution is off
unless a node name is given (`--node`, LANGUAGE.md 3.8): then the node is started with
`-name`, listens on loopback only, and its epmd too (see `distribution_options`).  A
`BeamNode` is always stopped by its handle: use it as a context manager (an atexit hook
registered per node stops one left running).
"""

from __future__ import annotations

import atexit
import json
import os
import re
import struct
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from beamtalk.bootstrap import erlang
from beamtalk.interp.display_lines import error_line, print_failure

MAX_PROCESSES = 2_000_000
DISPATCH_CACHE = erlang.BUILD_DIR / "dispatch-cache"


# A node name: `name` or `name@host` (letters, digits, `_`, `-`; the host also `.`).
NODE_NAME = re.compile(r"[A-Za-z0-9_-]+(@[A-Za-z0-9_.-]+)?")
LOOPBACK = "127.0.0.1"


class BadNodeName(ValueError):
    """A `--node` argument that is not a node name."""


def full_node_name(name: str) -> str:
    """The node's full name: a name without a host part gets the loopback address, so the
    node is always `-name name@host` and reachable on loopback (`a` is `a@127.0.0.1`)."""
    if not NODE_NAME.fullmatch(name):
        raise BadNodeName(f"not a node name: {name!r} (expected name or name@host, "
                          "e.g. a@127.0.0.1)")
    return name if "@" in name else f"{name}@{LOOPBACK}"


def distribution_options(name: str) -> tuple[list[str], dict[str, str]]:
    """The `erl` arguments and environment of a distributed node named `name`: `-name`, the
    distribution listener on loopback only, and an epmd started by this node (if none runs)
    listening on loopback only.  The cookie is not an argument (it would show in the process
    list): the node reads `BEAMTALK_COOKIE` from its environment at start-up, else Erlang
    reads `~/.erlang.cookie` (beamtalk_node:start_distribution/0)."""
    args = ["-name", full_node_name(name),
            "-kernel", "inet_dist_use_interface", "{127,0,0,1}"]
    return args, {"ERL_EPMD_ADDRESS": LOOPBACK}


class NodeFailed(RuntimeError):
    """The node stopped or answered something outside the protocol; `partial` holds what the
    unfinished request had written before (Transcript text before `System exit:`)."""

    partial: Reply | None = None


@dataclass
class Reply:
    """A node's answer to `load` or `eval`."""

    ok: bool
    value: str = ""  # printString when ok
    kind: str = ""  # error kind when not ok
    text: str = ""  # error text when not ok
    out: str = ""  # Transcript text written meanwhile
    warnings: str = ""  # warning lines written meanwhile
    events: list[tuple[str, str]] = field(default_factory=list)  # ("out"|"warn", text), in order

    def error_line(self) -> str:
        """`ERROR: kind: text` (or `ERROR: kind`), as the REPL prints an uncaught error."""
        return error_line(self.kind, self.text)


class BeamNode:
    """A running node; `load`, `eval`, `reset`, then `close` (or use `with`)."""

    def __init__(self, build: erlang.Build | None = None, tools: erlang.Tools | None = None,
                 code_paths: Sequence[Path] = (),
                 dispatch_cache: Path | None = DISPATCH_CACHE,
                 node_name: str | None = None) -> None:
        """Build runtime_erl if needed and start the node (ErlangUnavailable without erl).

        `code_paths`: more directories of .beam files (a batch-built stdlib) for `register`.
        `dispatch_cache`: where compiled dispatch modules are kept across nodes (None: not).
        `node_name`: start distributed under that name (BadNodeName if it is not one).
        """
        tools = tools or erlang.find_tools()
        build = build or erlang.build_runtime(tools)
        paths = [str(build.ebin), *(str(p) for p in code_paths)]
        command = [tools.erl, "-noinput", "+P", str(MAX_PROCESSES), "-pa", *paths]
        if dispatch_cache is not None:
            # An application parameter is an Erlang term: a string, quoted like JSON's.
            command += ["-beamtalk_runtime", "dispatch_cache", json.dumps(str(dispatch_cache))]
        env = None
        if node_name is not None:
            args, extra = distribution_options(node_name)
            command += args
            env = {**os.environ, **extra}
        command += ["-run", "beamtalk_runner", "main"]
        # A session of its own: a terminal's Ctrl-C reaches the REPL, not the node.
        self._proc: subprocess.Popen[bytes] | None = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, start_new_session=True,
            env=env)
        self._quit_sent = False
        atexit.register(self.close)  # never left running, even without `with`

    def __enter__(self) -> BeamNode:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def pid(self) -> int | None:
        """The OS process id of the node (None once stopped)."""
        return self._proc.pid if self._proc is not None else None

    def exit_status(self, timeout: float = 10) -> int | None:
        """The status the node ended with (`System exit:` halts it), or None while it runs."""
        if self._proc is None:
            return None
        try:
            return self._proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    @property
    def running(self) -> bool:
        """True until the node has stopped."""
        return self._proc is not None and self._proc.poll() is None

    def _pipes(self) -> tuple[IO[bytes], IO[bytes]]:
        if self._proc is None or self._proc.stdin is None or self._proc.stdout is None:
            raise NodeFailed("the node is not running")
        return self._proc.stdin, self._proc.stdout

    def _send(self, op: str, argument: str | bytes = "") -> None:
        stdin, _ = self._pipes()
        raw = argument if isinstance(argument, bytes) else argument.encode("utf-8")
        body = op.encode() + b"\n" + raw
        try:
            stdin.write(struct.pack(">I", len(body)) + body)
            stdin.flush()
        except BrokenPipeError as err:
            raise NodeFailed("the node stopped") from err

    def _receive_raw(self) -> tuple[str, bytes]:
        _, stdout = self._pipes()
        header = stdout.read(4)
        if len(header) < 4:
            raise NodeFailed("the node stopped")
        (size,) = struct.unpack(">I", header)
        body = stdout.read(size)
        if len(body) < size:
            raise NodeFailed("the node stopped")
        status, _, payload = body.partition(b"\n")
        return status.decode("ascii", "replace"), payload

    def _receive(self) -> tuple[str, str]:
        status, payload = self._receive_raw()
        return status, payload.decode("utf-8")

    def _answer(self) -> Reply:
        reply = Reply(ok=False)
        while True:
            try:
                status, payload = self._receive()
            except NodeFailed as err:
                err.partial = reply
                raise
            if status in ("out", "warn"):
                reply.events.append((status, payload))
                if status == "out":
                    reply.out += payload
                else:
                    reply.warnings += payload
                continue
            if status == "ok":
                reply.ok, reply.value = True, payload
            elif status == "printfail":  # the statement ran; its printString failed
                kind, _, text = payload.partition("\n")
                reply.ok, reply.value = True, print_failure(kind, text)
            elif status == "error":
                reply.kind, _, reply.text = payload.partition("\n")
            else:
                raise NodeFailed(f"unexpected reply {status!r}")
            return reply

    def load(self, core_text: str) -> Reply:
        """Load a class or `>>` method module; ok with the class's or method's printString."""
        self._send("load", core_text)
        return self._answer()

    def load_many(self, core_texts: list[str]) -> Reply:
        """Load several modules at once (class modules registered together)."""
        self._send("loadmany", "\0".join(core_texts))
        return self._answer()

    def register(self, modules: Sequence[str]) -> Reply:
        """Register class (and `>>`) modules found on the code path, kept under their names."""
        self._send("register", "\n".join(modules))
        return self._answer()

    def send_boot(self, image: Path, warm_dir: str, modules: Sequence[str]) -> None:
        """Ask the node to register class (and `>>`) modules found on the code path through
        a saved image (beamtalk_image: restored when it matches, else registered and saved),
        computing the native compiler's stdlib session of `warm_dir` first unless it is
        empty; `answer` reads the reply, so several nodes can start at once."""
        self._send("boot", "\n".join([str(image), warm_dir, *modules]))

    def answer(self) -> Reply:
        """The node's answer to the request sent last (`send_boot`)."""
        return self._answer()

    def note_use(self) -> None:
        """After a sample program: the node writes which modules it loaded since it booted
        from its image, for later nodes to load in the background (beamtalk_image)."""
        self._send("noteuse")
        if not self._answer().ok:
            raise NodeFailed("noteuse failed")

    def request_fields(self, op: str, fields: Sequence[str | bytes]) -> list[bytes]:
        """A request whose argument and answer are length-prefixed fields (`compile`,
        `build`: beamtalk_compiler); NodeFailed with the node's text when it fails."""
        self._send(op, encode_fields(fields))
        status, payload = self._receive_raw()
        if status == "ok":
            return decode_fields(payload)
        if status == "error":
            raise NodeFailed(payload.decode("utf-8", "replace").partition("\n")[2])
        raise NodeFailed(f"unexpected reply {status!r}")

    def set_arguments(self, arguments: Sequence[str]) -> None:
        """What `System arguments` answers."""
        self._send("arguments", "\n".join(arguments))
        if not self._answer().ok:
            raise NodeFailed("arguments failed")

    def eval(self, core_text: str) -> Reply:
        """Run a statement module with the node's top-level variables."""
        self._send("eval", core_text)
        return self._answer()

    def execute(self, core_text: str) -> Reply:
        """As eval, without printing the value (`beamtalk run`; a future is still awaited)."""
        self._send("exec", core_text)
        return self._answer()

    def mark_base(self) -> None:
        """What is loaded now (the stdlib) is what `reset` keeps."""
        self._send("base")
        if not self._answer().ok:
            raise NodeFailed("base failed")

    def reset(self) -> None:
        """Drop user classes, `>>` additions, top-level variables and globals."""
        self._send("reset")
        if not self._answer().ok:
            raise NodeFailed("reset failed")

    def ask_to_quit(self) -> None:
        """Send `quit` and end the node's input, without waiting for it to stop (`close`
        waits); several nodes then stop at once (close_all). The end of input also stops a
        node busy with a statement that never ends (Ctrl-C), which reads no request."""
        proc = self._proc
        if proc is None or self._quit_sent:
            return
        self._quit_sent = True
        if proc.stdin is None:
            return
        try:
            if proc.poll() is None:
                body = b"quit\n"
                proc.stdin.write(struct.pack(">I", len(body)) + body)
                proc.stdin.flush()
            proc.stdin.close()
        except OSError:  # stopped already (BrokenPipeError); close kills it if need be
            pass

    def close(self) -> None:
        """Stop the node (quit, then kill if it does not stop)."""
        proc = self._proc
        if proc is None:
            return
        self.ask_to_quit()
        self._proc = None
        atexit.unregister(self.close)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        finally:
            for pipe in (proc.stdin, proc.stdout):
                if pipe is not None:
                    try:
                        pipe.close()
                    except OSError:  # a halted node: the unsent `quit` cannot be flushed
                        pass


def close_all(nodes: Sequence[BeamNode]) -> None:
    """Stop several nodes, all asked to quit before waiting for any."""
    for node in nodes:
        node.ask_to_quit()
    for node in nodes:
        node.close()


def encode_fields(fields: Sequence[str | bytes]) -> bytes:
    """Fields as `<byte length>:<bytes>` one after another (beamtalk_compiler:encode_fields)."""
    out = []
    for item in fields:
        raw = item if isinstance(item, bytes) else item.encode("utf-8")
        out.append(str(len(raw)).encode() + b":" + raw)
    return b"".join(out)


def decode_fields(data: bytes) -> list[bytes]:
    """The fields of an encode_fields text."""
    fields, pos = [], 0
    while pos < len(data):
        colon = data.index(b":", pos)
        size = int(data[pos:colon])
        fields.append(data[colon + 1:colon + 1 + size])
        pos = colon + 1 + size
    return fields
