"""The Erlang external term format (ETF) for the interpreter's Erlang bridge (LANGUAGE.md 7).

Only the terms LANGUAGE.md 7 maps: integers (small and big), floats, binaries <-> Strings,
atoms <-> Symbols (`nil`, `true`, `false` <-> nil and the Booleans), proper lists <-> Lists,
tuples <-> Tuples, maps <-> Dictionaries. Decoding anything else (a pid, a reference, a fun,
an improper list, a binary that is not UTF-8, a tuple tagged with a `$` atom, which the BEAM
backend uses for its own kinds) raises `NoCounterpart`; the caller turns it into the typed
error. The rules match runtime_erl's `beamtalk_erlang:crossable/1`, so both backends accept
and refuse the same values.
"""

from __future__ import annotations

import struct
from typing import Any

from beamtalk.interp.runtime.values import BtDict, BtList, BtTuple, Symbol

VERSION = 131
NEW_FLOAT, SMALL_INTEGER, INTEGER = 70, 97, 98
ATOM, SMALL_ATOM, ATOM_UTF8, SMALL_ATOM_UTF8 = 100, 115, 118, 119
SMALL_TUPLE, LARGE_TUPLE, MAP = 104, 105, 116
NIL, STRING, LIST, BINARY = 106, 107, 108, 109
SMALL_BIG, LARGE_BIG = 110, 111

SPECIAL_ATOMS = {"nil": None, "true": True, "false": False}


class NoCounterpart(Exception):
    """A value with no counterpart on the other side (`index` is the argument, 1-based)."""

    def __init__(self, value: Any = None, index: int = 0):
        super().__init__(repr(value))
        self.value = value
        self.index = index


# ---------------------------------------------------------------------------- encoding


def encode(value: Any) -> bytes:
    """The ETF bytes of a Beamtalk value (raises NoCounterpart for other kinds)."""
    out = bytearray([VERSION])
    _encode(value, out)
    return bytes(out)


def encode_call(module: str, function: str, args: list[Any]) -> bytes:
    """The request `{call, Module, Function, Args}`; NoCounterpart names the argument."""
    out = bytearray([VERSION, SMALL_TUPLE, 4])
    _atom("call", out)
    _atom(module, out)
    _atom(function, out)
    if args:
        out += bytes([LIST]) + struct.pack(">I", len(args))
        for index, arg in enumerate(args, 1):
            try:
                _encode(arg, out)
            except NoCounterpart as err:
                raise NoCounterpart(err.value, index) from None
    out.append(NIL)
    return bytes(out)


def encode_atom(name: str) -> bytes:
    """A request that is a bare atom (e.g. `format_last`)."""
    out = bytearray([VERSION])
    _atom(name, out)
    return bytes(out)


def _atom(name: str, out: bytearray) -> None:
    data = name.encode("utf-8")
    if len(data) < 256:
        out += bytes([SMALL_ATOM_UTF8, len(data)]) + data
    else:
        out += bytes([ATOM_UTF8]) + struct.pack(">H", len(data)) + data


def _encode(v: Any, out: bytearray) -> None:
    kind = type(v)
    if v is None or kind is bool:
        _atom("nil" if v is None else ("true" if v else "false"), out)
    elif kind is int:
        _integer(v, out)
    elif kind is float:
        out += bytes([NEW_FLOAT]) + struct.pack(">d", v)
    elif kind is str:
        data = v.encode("utf-8")
        out += bytes([BINARY]) + struct.pack(">I", len(data)) + data
    elif kind is Symbol:
        _atom(v.name, out)
    elif kind is BtTuple:
        items = v.items
        if items and type(items[0]) is Symbol and items[0].name.startswith("$"):
            raise NoCounterpart(v)  # it would pose as one of the BEAM backend's own kinds
        if len(items) < 256:
            out += bytes([SMALL_TUPLE, len(items)])
        else:
            out += bytes([LARGE_TUPLE]) + struct.pack(">I", len(items))
        for item in items:
            _encode(item, out)
    elif kind is BtList:
        if len(v):
            out += bytes([LIST]) + struct.pack(">I", len(v))
            for item in v:
                _encode(item, out)
        out.append(NIL)
    elif kind is BtDict:
        pairs = v.pairs()
        out += bytes([MAP]) + struct.pack(">I", len(pairs))
        for key, item in pairs:
            _encode(key, out)
            _encode(item, out)
    else:
        raise NoCounterpart(v)


def _integer(n: int, out: bytearray) -> None:
    if 0 <= n < 256:
        out += bytes([SMALL_INTEGER, n])
    elif -(2**31) <= n < 2**31:
        out += bytes([INTEGER]) + struct.pack(">i", n)
    else:
        magnitude = abs(n)
        digits = magnitude.to_bytes((magnitude.bit_length() + 7) // 8, "little")
        if len(digits) < 256:
            out += bytes([SMALL_BIG, len(digits)])
        else:
            out += bytes([LARGE_BIG]) + struct.pack(">I", len(digits))
        out += bytes([1 if n < 0 else 0]) + digits


# ---------------------------------------------------------------------------- decoding


def decode(data: bytes) -> Any:
    """The Beamtalk value of ETF bytes (raises NoCounterpart, ValueError when malformed)."""
    value, end = decode_at(data, 0)
    if end != len(data):
        raise ValueError("trailing bytes after the term")
    return value


def decode_at(data: bytes, pos: int) -> tuple[Any, int]:
    """The value at `pos` (a version byte there is skipped) and the position after it."""
    if data[pos] == VERSION:
        pos += 1
    return _Reader(data).term(pos)


class _Reader:
    """Reads terms from one buffer (positions are passed along, not stored)."""

    def __init__(self, data: bytes):
        self.data = data

    def term(self, pos: int) -> tuple[Any, int]:
        data = self.data
        tag = data[pos]
        pos += 1
        if tag == SMALL_INTEGER:
            return data[pos], pos + 1
        if tag == INTEGER:
            return struct.unpack_from(">i", data, pos)[0], pos + 4
        if tag in (SMALL_BIG, LARGE_BIG):
            if tag == SMALL_BIG:
                size, pos = data[pos], pos + 1
            else:
                size, pos = struct.unpack_from(">I", data, pos)[0], pos + 4
            sign = data[pos]
            n = int.from_bytes(data[pos + 1:pos + 1 + size], "little")
            return (-n if sign else n), pos + 1 + size
        if tag == NEW_FLOAT:
            return struct.unpack_from(">d", data, pos)[0], pos + 8
        if tag in (ATOM, ATOM_UTF8, SMALL_ATOM, SMALL_ATOM_UTF8):
            if tag in (ATOM, ATOM_UTF8):
                size, pos = struct.unpack_from(">H", data, pos)[0], pos + 2
            else:
                size, pos = data[pos], pos + 1
            raw = data[pos:pos + size]
            name = raw.decode("utf-8" if tag in (ATOM_UTF8, SMALL_ATOM_UTF8) else "latin-1")
            value = SPECIAL_ATOMS[name] if name in SPECIAL_ATOMS else Symbol(name)
            return value, pos + size
        if tag == BINARY:
            size = struct.unpack_from(">I", data, pos)[0]
            raw = data[pos + 4:pos + 4 + size]
            try:
                return raw.decode("utf-8"), pos + 4 + size
            except UnicodeDecodeError:
                raise NoCounterpart(raw) from None
        if tag == NIL:
            return BtList(()), pos
        if tag == STRING:  # a list of small integers (a charlist comes back as Integers)
            size = struct.unpack_from(">H", data, pos)[0]
            return BtList(tuple(data[pos + 2:pos + 2 + size])), pos + 2 + size
        if tag == LIST:
            size = struct.unpack_from(">I", data, pos)[0]
            pos += 4
            items = []
            for _ in range(size):
                item, pos = self.term(pos)
                items.append(item)
            if data[pos] != NIL:
                raise NoCounterpart("an improper list")
            return BtList(tuple(items)), pos + 1
        if tag in (SMALL_TUPLE, LARGE_TUPLE):
            if tag == SMALL_TUPLE:
                size, pos = data[pos], pos + 1
            else:
                size, pos = struct.unpack_from(">I", data, pos)[0], pos + 4
            items = []
            for _ in range(size):
                item, pos = self.term(pos)
                items.append(item)
            if items and type(items[0]) is Symbol and items[0].name.startswith("$"):
                raise NoCounterpart("a tuple tagged with a $ atom")
            return BtTuple(tuple(items)), pos
        if tag == MAP:
            size = struct.unpack_from(">I", data, pos)[0]
            pos += 4
            pairs = []
            for _ in range(size):
                key, pos = self.term(pos)
                item, pos = self.term(pos)
                pairs.append((key, item))
            return BtDict.of(pairs), pos
        raise NoCounterpart(f"an Erlang term of tag {tag}")

