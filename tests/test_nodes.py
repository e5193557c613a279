"""Nodes (LANGUAGE.md 3.8): two named BEAM nodes on loopback holding a conversation between
actors (spawnOn: with the code sent over, sends both ways, futures awaited across, stop, kill,
a supervisor restarting its child there, ActorDead and NodeDown once the other node halts),
and the single-node behaviour of each backend.

The two-node test starts its own epmd on a free port (so it never touches an epmd it did not
start), then two `beamtalk run --backend beam --node ...` processes with a cookie and names of
their own; while both nodes are connected it reads /proc/net/tcp and tcp6 for the listening
sockets of every process it started (the nodes, their parents, epmd) and checks that each is on
a loopback address.  Every process is stopped by its own handle.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

BEAMTALK = Path(sys.executable).with_name("beamtalk")
HAS_ERLANG = all(shutil.which(tool) for tool in ("erl", "erlc", "epmd"))
needs_erlang = pytest.mark.skipif(not HAS_ERLANG, reason="erl/erlc/epmd not installed")

# Node b serves: it says it is up, then waits until told to stop and halts (its actors end
# with it, so a's futures on them are rejected and later sends find the node gone).
SERVER = """\
Transcript showCr: 'server ', System node printString
File write: 'up' to: (System arguments at: 1)
[File exists: (System arguments at: 2)] whileFalse: [(Delay forMilliseconds: 50) wait]
System exit: 0
"""

# Node a: Echo and Recorder exist only here; spawnOn: sends Echo's code to b.
# Both client programs end their `Show` class with this and wait for the other node with it.
WAIT_FOR_OTHER = """\
  class waitFor: node =>
    | tries |
    tries := 0
    [(System connect: node) or: [tries > 6000]] whileFalse: [
      tries := tries + 1
      (Delay forMilliseconds: 50) wait]

other := (System arguments at: 1) asSymbol
Show waitFor: other
"""

CLIENT = """\
Actor subclass: Echo
  state: count = 0
  echo: x => self.count := self.count + 1. ^x
  count => ^self.count
  relay: x to: r => ^(r record: x) await
  where => ^System node
  slow => (Delay forMilliseconds: 60000) wait. ^#late

Actor subclass: Recorder
  state: items = #()
  record: x => self.items := self.items add: x. ^self.items size
  items => ^self.items

Echo >> twice: x => ^{x, x}

Supervisor subclass: Crew
  class children => #(Echo)

Object subclass: Show
  class line: label do: aBlock on: errorClass =>
    | text |
    text := [aBlock value printString] on: errorClass do: [:x | x messageText printString]
    Transcript showCr: label, ' ', text
""" + WAIT_FOR_OTHER + """\
Transcript showCr: 'me ', System node printString
Transcript showCr: 'nodes ', System nodes printString
e := Echo spawnOn: other
Transcript showCr: 'node ', e node printString, ' ', (e node = other) printString
Transcript showCr: 'where ', e where await printString
Transcript showCr: 'echo ', (e echo: 'hi') await printString
Transcript showCr: 'twice ', (e twice: 3) await printString
r := Recorder spawn
Transcript showCr: 'relay ', (e relay: 42 to: r) await printString
Transcript showCr: 'relay ', (e relay: #x to: r) await printString
Transcript showCr: 'items ', r items await printString
Transcript showCr: 'recorder node ', (r node = System node) printString
e2 := Echo spawnOn: other with: #{#count => 10}
Transcript showCr: 'count ', (e2 echo: 1; count) await printString
Show line: 'error' do: [(e2 echo: 1 foo: 2) await] on: DoesNotUnderstand
Transcript showCr: 'stop ', e2 stop printString, ' ', e2 isAlive printString
Show line: 'dead' do: [(e2 echo: 1) await] on: ActorDead
k := Echo spawnOn: other
Transcript showCr: 'kill ', k kill printString, ' ', k isAlive printString
crew := Crew spawnOn: other
w := (crew childNamed: #Echo) await
Transcript showCr: 'crew ', (crew node = other) printString, ' ', (w node = other) printString
Transcript showCr: 'child ', (w echo: 5) await printString
w kill
[(crew restartCount) await < 1] whileTrue: [(Delay forMilliseconds: 50) wait]
w2 := (crew childNamed: #Echo) await
Transcript showCr: 'restarted ', (w2 = w) printString, ' ', (w2 echo: 6) await printString
Show line: 'field' do: [Echo spawnOn: other with: #{#nope => 1}] on: ArgumentError
Echo >> where => ^#redefined
e3 := Echo spawnOn: other
Transcript showCr: 'newer ', e3 where await printString, ' ', e where await printString
Echo removeSelector: #twice:
Echo removeSelector: #count
e4 := Echo spawnOn: other
Show line: 'removed' do: [(e4 twice: 3) await] on: DoesNotUnderstand
Show line: 'removed' do: [e4 count await] on: DoesNotUnderstand
File write: 'connected' to: (System arguments at: 2)
[File exists: (System arguments at: 3)] whileFalse: [(Delay forMilliseconds: 50) wait]
pending := {e slow}
File write: 'stop' to: (System arguments at: 4)
Show line: 'pending' do: [(pending at: 1) awaitForever] on: ActorDead
[System nodes isEmpty] whileFalse: [(Delay forMilliseconds: 50) wait]
Transcript showCr: 'alive ', e isAlive printString
Show line: 'send' do: [(e echo: 1) await] on: NodeDown
Show line: 'spawn' do: [Echo spawnOn: other] on: NodeDown
"""


def expected_client(a: str, b: str) -> list[str]:
    """What node a prints."""
    return [
        f"me #'{a}'",
        f"nodes #(#'{b}')",
        f"node #'{b}' true",
        f"where #'{b}'",
        "echo 'hi'",
        "twice {3, 3}",
        "relay 1",
        "relay 2",
        "items #(42, #x)",
        "recorder node true",
        "count 11",
        "error '#Actor<Echo,_> does not understand #echo:foo:'",
        "stop #ok false",
        "dead 'Echo actor is not alive'",
        "kill #ok false",
        "crew true true",
        "child 5",
        "restarted false 6",
        "field 'Echo has no field nope'",
        "newer #redefined #redefined",
        "removed '#Actor<Echo,_> does not understand #twice:'",
        "removed '#Actor<Echo,_> does not understand #count'",
        "pending 'Echo actor is not alive'",
        "alive false",
        f"send 'Node {b} does not answer'",
        f"spawn 'Node {b} does not answer'",
    ]


# ---------------------------------------------------------------- processes and sockets


def free_port() -> int:
    """A TCP port nothing listens on now (for the test's own epmd)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def descendants(roots: list[int]) -> set[int]:
    """The processes below (and including) the given ones."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # `pid (comm) state ppid ...`: comm may hold spaces, so split after its `)`.
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found = set(roots)
    grew = True
    while grew:
        more = {pid for pid, ppid in parents.items() if ppid in found} - found
        found |= more
        grew = bool(more)
    return found


def socket_inodes(pid: int) -> set[int]:
    """The socket inodes a process holds open."""
    inodes = set()
    try:
        fds = list(Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return inodes
    for fd in fds:
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(int(target[8:-1]))
    return inodes


def listening_addresses() -> dict[int, ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """inode -> local address of every listening TCP socket (/proc/net/tcp and tcp6)."""
    found: dict[int, ipaddress.IPv4Address | ipaddress.IPv6Address] = {}
    for name in ("tcp", "tcp6"):
        path = Path("/proc/net") / name
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            cols = line.split()
            if cols[3] != "0A":  # TCP_LISTEN
                continue
            hex_addr = cols[1].split(":")[0]
            # The kernel prints each 32-bit word in host (little-endian) order.
            raw = b"".join(bytes.fromhex(hex_addr[i:i + 8])[::-1]
                           for i in range(0, len(hex_addr), 8))
            found[int(cols[9])] = ipaddress.ip_address(raw)
    return found


def is_loopback(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """127.0.0.0/8, ::1, or an IPv4-mapped loopback address."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def listeners(pids: set[int]) -> dict[int, list]:
    """pid -> the local addresses its listening sockets are bound to."""
    table = listening_addresses()
    out: dict[int, list] = {}
    for pid in sorted(pids):
        addresses = [table[i] for i in sorted(socket_inodes(pid)) if i in table]
        if addresses:
            out[pid] = addresses
    return out


def command_name(pid: int) -> str:
    """The process's command name (`beam.smp`, `epmd`, ...), empty once it has ended."""
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def wait_for(path: Path, procs: list[subprocess.Popen], limit: float = 900) -> None:
    """Wait until a file exists; fail at once if one of the processes ended first (the bound
    only keeps a hung run from hanging the suite, it is not a speed check)."""
    deadline = time.monotonic() + limit
    while not path.exists():
        for proc in procs:
            if proc.poll() is not None:
                out, err = proc.communicate()
                pytest.fail(f"{proc.args} ended ({proc.returncode}) before {path.name}:\n"
                            f"{out}\n{err}")
        if time.monotonic() > deadline:
            pytest.fail(f"{path.name} never appeared")
        time.sleep(0.1)


def stop(proc: subprocess.Popen) -> None:
    """Stop a process the test started (by its handle), if it still runs."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def node_env(tmp_path: Path, port: int) -> dict[str, str]:
    """The environment of the test's nodes: a cookie of their own, the test's epmd, and a home
    of their own (Erlang would create ~/.erlang.cookie if it is missing)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("BEAMTALK_")}
    env.update({
        "BEAMTALK_COOKIE": secrets.token_hex(16),
        "ERL_EPMD_PORT": str(port),
        "HOME": str(tmp_path),
        "XDG_CACHE_HOME": os.environ.get("XDG_CACHE_HOME", str(Path.home() / ".cache")),
    })
    return env


def start_epmd(port: int) -> subprocess.Popen:
    """An epmd of the test's own, on loopback and a free port (stopped by its handle)."""
    return subprocess.Popen(["epmd", "-address", "127.0.0.1", "-port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


class Nodes(NamedTuple):
    """The two nodes of a test (a the client, b the server) and their epmd."""

    a: str
    b: str
    server: subprocess.Popen
    client: subprocess.Popen
    epmd: subprocess.Popen


@contextlib.contextmanager
def two_nodes(tmp_path: Path, client_source: str, client_files: list[Path]) -> Iterator[Nodes]:
    """Node b runs SERVER (arguments: its `up` and `halt` files) and node a `client_source`
    (arguments: b's name, then `client_files`), with an epmd of their own on loopback; every
    process is stopped by its own handle and its pipes closed at the end."""
    tag = secrets.token_hex(4)
    a, b = f"a{tag}@127.0.0.1", f"b{tag}@127.0.0.1"
    env = node_env(tmp_path, free_port())
    (tmp_path / "server.bt").write_text(SERVER)
    (tmp_path / "client.bt").write_text(client_source)
    epmd = start_epmd(int(env["ERL_EPMD_PORT"]))
    procs: list[subprocess.Popen] = []
    try:
        def start(name: str, source: str, *args: str | Path) -> subprocess.Popen:
            procs.append(subprocess.Popen(
                [str(BEAMTALK), "run", "--backend", "beam", "--node", name,
                 str(tmp_path / source), *map(str, args)],
                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
            return procs[-1]

        server = start(b, "server.bt", tmp_path / "up", tmp_path / "halt")
        client = start(a, "client.bt", b, *client_files)
        yield Nodes(a, b, server, client, epmd)
    finally:
        for proc in procs:
            stop(proc)
        stop(epmd)
        for proc in [*procs, epmd]:
            for pipe in (proc.stdout, proc.stderr):
                if pipe is not None:
                    pipe.close()


@needs_erlang
@pytest.mark.slow
def test_two_nodes_on_loopback(tmp_path: Path) -> None:
    connected, checked, halt = (tmp_path / n for n in ("connected", "checked", "halt"))
    with two_nodes(tmp_path, CLIENT, [connected, checked, halt]) as nodes:
        wait_for(connected, [nodes.server, nodes.client])
        # Both nodes are up and connected: everything the test started listens on loopback.
        started = descendants([nodes.server.pid, nodes.client.pid, nodes.epmd.pid])
        found = listeners(started)
        bad = {pid: addrs for pid, addrs in found.items()
               if not all(is_loopback(x) for x in addrs)}
        assert not bad, f"listening beyond loopback: {bad}"
        assert nodes.epmd.pid in found, "the test's epmd has no listening socket"
        beams = [pid for pid in found if command_name(pid).startswith("beam")]
        assert len(beams) == 2, f"expected the two nodes' listeners, found {found}"
        checked.write_text("ok")

        out, err = nodes.client.communicate(timeout=900)
        assert nodes.client.returncode == 0, err
        # An actor's printString differs only in its ID (LANGUAGE.md 8).
        lines = [re.sub(r"#Actor<(\w+),[0-9.]+>", r"#Actor<\1,_>", x) for x in out.splitlines()]
        assert lines == expected_client(nodes.a, nodes.b), err
        server_out, server_err = nodes.server.communicate(timeout=120)
        assert nodes.server.returncode == 0, server_err
        assert server_out.splitlines() == [f"server #'{nodes.b}'"]


@needs_erlang
@pytest.mark.slow
def test_repl_node(tmp_path: Path) -> None:
    """`repl --backend beam --node NAME`: a name without a host is on loopback."""
    name = f"r{secrets.token_hex(4)}"
    port = free_port()
    epmd = start_epmd(port)
    try:
        done = subprocess.run([str(BEAMTALK), "repl", "--backend", "beam", "--node", name],
                              input="System node\nSystem nodes\nSystem connect: #'zz@127.0.0.1'\n",
                              capture_output=True, text=True, timeout=900,
                              env=node_env(tmp_path, port))
    finally:
        stop(epmd)
        for pipe in (epmd.stdout, epmd.stderr):
            if pipe is not None:
                pipe.close()
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-3:] == [f"#'{name}@127.0.0.1'", "#()", "false"]


# ---------------------------------------------------------------- one node


def run_script(tmp_path: Path, source: str, *options: str) -> subprocess.CompletedProcess:
    """`beamtalk run OPTIONS FILE` on a script, without BEAMTALK_* variables."""
    path = tmp_path / "script.bt"
    path.write_text(source)
    env = {key: value for key, value in os.environ.items() if not key.startswith("BEAMTALK_")}
    return subprocess.run([str(BEAMTALK), "run", *options, str(path)], capture_output=True,
                          text=True, env=env, timeout=900)


SPAWN_ELSEWHERE = """\
Actor subclass: Lone
  ping => #pong

Transcript showCr: ([Lone spawnOn: #'b@127.0.0.1'] on: Error do: [:e |
  e class name, ' ', e kind printString, ' ', e messageText])
Transcript showCr: (Lone spawnOn: System node) ping await printString
"""


def test_interpreter_spawn_elsewhere_is_unsupported(tmp_path: Path) -> None:
    done = run_script(tmp_path, SPAWN_ELSEWHERE)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "UnsupportedError #unsupported spawnOn: b@127.0.0.1 is not supported on this backend: "
        "it is always the single node nonode@nohost",
        "#pong",
    ]


@needs_erlang
@pytest.mark.slow
def test_beam_spawn_elsewhere_without_distribution_is_node_down(tmp_path: Path) -> None:
    done = run_script(tmp_path, SPAWN_ELSEWHERE, "--backend", "beam")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "NodeDown #node_down Node b@127.0.0.1 does not answer",
        "#pong",
    ]


@pytest.mark.parametrize("command", ["run", "repl"])
def test_node_needs_the_beam_backend(tmp_path: Path, command: str) -> None:
    path = tmp_path / "x.bt"
    path.write_text("1\n")
    args = [str(BEAMTALK), command, "--node", "a@127.0.0.1"] + ([str(path)] if command == "run"
                                                                 else [])
    done = subprocess.run(args, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          timeout=120)
    assert done.returncode == 2
    assert "--node needs --backend beam" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("name", ["a b", "a@b@c", "", "@host"])
def test_node_name_is_checked(tmp_path: Path, name: str) -> None:
    path = tmp_path / "x.bt"
    path.write_text("1\n")
    done = subprocess.run([str(BEAMTALK), "run", "--backend", "beam", "--node", name,
                           str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "not a node name" in done.stderr
    assert "Traceback" not in done.stderr


def test_node_names_and_options() -> None:
    from beamtalk.bootstrap.beam_node import distribution_options, full_node_name

    assert full_node_name("a") == "a@127.0.0.1"
    assert full_node_name("a@127.0.0.1") == "a@127.0.0.1"
    args, env = distribution_options("x")
    assert args[:2] == ["-name", "x@127.0.0.1"]
    assert "inet_dist_use_interface" in args
    assert args[args.index("inet_dist_use_interface") + 1] == "{127,0,0,1}"
    assert env == {"ERL_EPMD_ADDRESS": "127.0.0.1"}
    assert not any("cookie" in a.lower() for a in args)  # never in the process list


def test_listener_check_sees_other_addresses() -> None:
    """The two-node test's socket reading tells loopback from any other address."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as wide, \
            socket.socket(socket.AF_INET, socket.SOCK_STREAM) as narrow:
        wide.bind(("0.0.0.0", 0))
        wide.listen()
        narrow.bind(("127.0.0.1", 0))
        narrow.listen()
        addresses = listeners({os.getpid()})[os.getpid()]
    assert sorted(str(x) for x in addresses) == ["0.0.0.0", "127.0.0.1"]
    assert [is_loopback(x) for x in addresses].count(False) == 1
    assert is_loopback(ipaddress.ip_address("::1"))
    assert is_loopback(ipaddress.ip_address("::ffff:127.0.0.1"))
    assert not is_loopback(ipaddress.ip_address("::"))


# ---------------------------------------------------------------- the rules across nodes

# Node a, against node b (SERVER): a wait cycle through actors of both nodes is a deadlock,
# blocks (with what they capture and the classes they name) run on b, and b finds a class of a
# named only at run time.  Everything b runs is code that only a had.
RULES = """\
Actor subclass: Peer
  state: peer = nil
  peer: aPeer => self.peer := aPeer
  ping => ^(self.peer pong) await
  pong => ^(self.peer answer) await
  answer => ^42
  relay => ^(self.peer relay) await

Actor subclass: Applier
  state: extra = nil
  apply: aBlock => ^aBlock value: 1
  useExtra: x => ^self.extra value: x
  apply: aBlock to: x => ^aBlock value: x
  where => ^System node

Actor subclass: Finder
  find: name =>
    | found |
    found := Beamtalk classNamed: name
    ^found isNil ifTrue: [#none] ifFalse: [found new hello]

Actor subclass: Giver
  give: n => ^[:x | x * n]

Object subclass: Tally
  class double: x => ^x * 2

Object subclass: Maker
  class adder: n => ^[:x | x + n]

Object subclass: Pt
  state: x = 7
  x => ^self.x

Object subclass: Hidden
  hello => ^#hidden

Object subclass: Show
  class line: label do: aBlock on: errorClass =>
    | text |
    text := [aBlock value printString] on: errorClass do: [:e |
      e class name, ' ', e messageText printString]
    Transcript showCr: label, ' ', text
""" + WAIT_FOR_OTHER + """\
p := Peer spawn
q := Peer spawnOn: other
p peer: q
q peer: p
Transcript showCr: 'peers ', (q node = other) printString, ' ', (p node = System node) printString
Show line: 'deadlock' do: [p ping await] on: DeadlockError
Show line: 'deadlock' do: [q ping await] on: DeadlockError
Transcript showCr: 'alive ', p answer await printString, ' ', q answer await printString
x := Peer spawn
y := Peer spawnOn: other
z := Peer spawn
x peer: y
y peer: z
z peer: x
Show line: 'cycle of three' do: [x relay await] on: DeadlockError
Transcript showCr: 'chain ', (Peer spawnOn: other) answer await printString
ap := Applier spawnOn: other
Transcript showCr: 'applier ', (ap where await = other) printString
Show line: 'block' do: [(ap apply: [:n | n + 1]) await] on: Error
k := 10
Show line: 'captured' do: [(ap apply: [:n | n + k]) await] on: Error
Show line: 'nested' do: [(ap apply: [:n | #(1, 2) collect: [:m | m + n]]) await] on: Error
Show line: 'names a class' do: [(ap apply: [:n | Tally double: n]) await] on: Error
Show line: 'from a method' do: [(ap apply: (Maker adder: 5)) await] on: Error
pt := Pt new
Show line: 'instance' do: [(ap apply: [:each | each x] to: pt) await] on: Error
Show line: 'again' do: [(ap apply: [:n | n + k]) await] on: Error
triple := [:n | Tally double: n]
Show line: 'stored' do: [(ap apply: triple) await] on: Error
Tally class >> double: x => ^x * 3
Show line: 'class changed' do: [(ap apply: triple) await] on: Error
ap2 := Applier spawnOn: other with: #{#extra => [:n | n * 10]}
Show line: 'field' do: [(ap2 useExtra: 4) await] on: Error
f := Finder spawnOn: other
Show line: 'computed' do: [(f find: 'Hid', 'den') await] on: Error
Show line: 'computed' do: [(f find: 'NoSuch', 'Class') await] on: Error
g := Giver spawnOn: other
Show line: 'answered block' do: [((g give: 3) await) value: 2] on: Error
File write: 'stop' to: (System arguments at: 2)
"""

RULES_EXPECTED = [
    "peers true true",
    "deadlock DeadlockError 'Deadlock: Peer waits for Peer waits for Peer'",
    "deadlock DeadlockError 'Deadlock: Peer waits for Peer waits for Peer'",
    "alive 42 42",
    "cycle of three DeadlockError 'Deadlock: Peer waits for Peer waits for Peer waits for Peer'",
    "chain 42",
    "applier true",
    "block 2",
    "captured 11",
    "nested #(2, 3)",
    "names a class 2",
    "from a method 6",
    "instance 7",
    "again 11",
    "stored 2",
    "class changed 3",
    "field 40",
    "computed #hidden",
    "computed #none",
    "answered block 6",
]


@needs_erlang
@pytest.mark.slow
def test_rules_hold_across_nodes(tmp_path: Path) -> None:
    """Deadlock detection, blocks and computed class names across two nodes on loopback."""
    with two_nodes(tmp_path, RULES, [tmp_path / "halt"]) as nodes:
        out, err = nodes.client.communicate(timeout=900)
        assert nodes.client.returncode == 0, err
        assert out.splitlines() == RULES_EXPECTED, out + err
        server_out, server_err = nodes.server.communicate(timeout=120)
        assert nodes.server.returncode == 0, server_err
