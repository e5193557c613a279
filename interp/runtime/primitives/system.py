"""Primitives: Beamtalk, System, File, Time and Delay (LANGUAGE.md 5, 5.3).

All of these are class-side messages except `Delay>>wait`.  File failures carry the
path and a reason named after the POSIX error (the texts of Erlang's
`file:format_error/1`), so both backends can produce the same messageText.
"""

from __future__ import annotations

import errno
import os
import time
from importlib import metadata
from typing import Any

from beamtalk.interp.syntax.literals import symbol_literal

from ..actors import SINGLE_NODE
from ..error_texts import error_table
from ..kinds import kind_name
from ..objects import Instance
from ..values import BtList, Symbol
from .support import expect_integer, expect_number, expect_string

# ------------------------------------------------------------------ Beamtalk


def name_of(rt: Any, selector: str, value: Any) -> str:
    """The text of a String or Symbol argument (class names, global names)."""
    if type(value) is str:
        return value
    if type(value) is Symbol:
        return value.name
    raise rt.error_from("expects_string_or_symbol", selector=selector, kind=kind_name(rt, value))


def all_classes(rt: Any, r: Any) -> BtList:
    return BtList(sorted(rt.classes.values(), key=lambda cls: cls.name))


def class_named(rt: Any, r: Any, name: Any) -> Any:
    return rt.classes.get(name_of(rt, "classNamed:", name))


def version(rt: Any, r: Any) -> str:
    try:
        number = metadata.version("beamtalk")
    except metadata.PackageNotFoundError:  # running from a source tree
        number = "unknown"
    return f"Beamtalk {number} (interp)"


def global_at(rt: Any, r: Any, key: Any) -> Any:
    name = name_of(rt, "at:", key)
    if name not in rt.beamtalk_globals:
        raise rt.error_from("key_not_found", key=symbol_literal(name))
    return rt.beamtalk_globals[name]


def global_at_put(rt: Any, r: Any, key: Any, value: Any) -> Any:
    rt.beamtalk_globals[name_of(rt, "at:put:", key)] = value
    return value


def global_includes(rt: Any, r: Any, key: Any) -> bool:
    return name_of(rt, "includesKey:", key) in rt.beamtalk_globals


# ------------------------------------------------------------------ System


def arguments(rt: Any, r: Any) -> BtList:
    return BtList(rt.arguments)


def exit_(rt: Any, r: Any, status: Any) -> Any:
    """End the program; SystemExit is not a Beamtalk error, so no handler stops it."""
    expect_integer(rt, "exit:", status)
    if not 0 <= status <= 255:
        raise rt.error_from("bad_exit_status", value=status)
    for stream in (rt.out, rt.err):
        stream.flush()
    raise SystemExit(status)


def environment_at(rt: Any, r: Any, name: Any) -> str | None:
    return os.environ.get(expect_string(rt, "environmentAt:", name))


# The interpreter is the single node nonode@nohost: distribution is off (LANGUAGE.md 8).


def this_node(rt: Any, r: Any) -> Symbol:
    return Symbol(SINGLE_NODE)


def other_nodes(rt: Any, r: Any) -> BtList:
    return BtList([])


def connect(rt: Any, r: Any, node: Any) -> bool:
    """No other node ever answers the interpreter (its name is still checked)."""
    name_of(rt, "connect:", node)
    return False


# ------------------------------------------------------------------ File

def file_error(rt: Any, path: str, exc: OSError) -> Any:
    """The entry `file_error_<errno>` of stdlib/errors.tsv, else io_error naming the errno."""
    code = errno.errorcode.get(exc.errno or 0, "EIO").lower()
    error_id = f"file_error_{code}"
    if error_id in error_table():
        return rt.error_from(error_id, path=path)
    return rt.error_from("io_error", path=path, reason=code)


def read_all(rt: Any, r: Any, path: Any) -> str:
    expect_string(rt, "readAll:", path)
    try:
        with open(path, "rb") as stream:
            data = stream.read()
    except OSError as exc:
        raise file_error(rt, path, exc) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise rt.error_from("not_utf8", path=path, offset=exc.start) from None


def write_to(rt: Any, r: Any, text: Any, path: Any) -> Any:
    expect_string(rt, "write:to:", text)
    expect_string(rt, "write:to:", path)
    try:
        with open(path, "wb") as stream:
            stream.write(text.encode("utf-8"))
    except OSError as exc:
        raise file_error(rt, path, exc) from None
    return r


def exists(rt: Any, r: Any, path: Any) -> bool:
    return os.path.exists(expect_string(rt, "exists:", path))


def list_directory(rt: Any, r: Any, path: Any) -> BtList:
    expect_string(rt, "listDirectory:", path)
    try:
        names = os.listdir(path)
    except OSError as exc:
        raise file_error(rt, path, exc) from None
    # Undecodable names would carry lone surrogates; show them with U+FFFD instead.
    texts = (os.fsencode(n).decode("utf-8", "replace") for n in names)
    return BtList(sorted(texts))


# ------------------------------------------------------------------ Time and Delay


def millisecond_clock(rt: Any, r: Any) -> int:
    return time.monotonic_ns() // 1_000_000


def make_delay(rt: Any, cls: Any, selector: str, amount: Any, scale: int) -> Instance:
    expect_number(rt, selector, amount)
    if amount < 0:
        raise rt.error_from("negative_delay", value=amount)
    return cls.new_instance({"milliseconds": amount * scale})


def wait(rt: Any, delay: Any) -> Any:
    """Pause the current actor or the top level; a wait point for callbacks and kill."""
    proc = rt.process
    proc.start_pending()
    deadline = time.monotonic() + delay.fields["milliseconds"] / 1000
    while True:
        proc.check_killed(rt)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        time.sleep(min(remaining, 0.05))
    if proc.actor is None:
        proc.run_callbacks(rt)
    return delay


PRIMITIVES = {
    "Beamtalk class": {
        "allClasses": all_classes,
        "classNamed:": class_named,
        "version": version,
        "at:": global_at,
        "at:put:": global_at_put,
        "includesKey:": global_includes,
    },
    "System class": {
        "arguments": arguments,
        "exit:": exit_,
        "environmentAt:": environment_at,
        "node": this_node,
        "nodes": other_nodes,
        "connect:": connect,
    },
    "File class": {
        "readAll:": read_all,
        "write:to:": write_to,
        "exists:": exists,
        "listDirectory:": list_directory,
    },
    "Time class": {
        "millisecondClock": millisecond_clock,
    },
    "Delay class": {
        "forMilliseconds:": lambda rt, cls, n: make_delay(rt, cls, "forMilliseconds:", n, 1),
        "forSeconds:": lambda rt, cls, n: make_delay(rt, cls, "forSeconds:", n, 1000),
    },
    "Delay": {
        "wait": wait,
    },
}
