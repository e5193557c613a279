"""Python representations of Beamtalk's built-in values.

nil, Booleans, Integers, Floats and Strings are the Python None, bool, int, float and
str (a str is a sequence of code points, as LANGUAGE.md 3.7 wants).  Everything else
that needs its own identity gets a small immutable class here.  Collections are
immutable: List and Tuple wrap Python tuples, Dictionary and Set wrap rpds persistent
maps keyed by `key_of`, which gives Beamtalk's `=` (no number coercion: 1 and 1.0 and
true are three different keys, unlike in Python).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import rpds


class Symbol:
    """`#foo`: compared by name, never equal to a String."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __eq__(self, other: object) -> bool:
        return type(other) is Symbol and other.name == self.name

    def __hash__(self) -> int:
        # Symbols are never equal to Strings (they are keyed apart by `key_of`), so the
        # name's own cached hash serves.
        return hash(self.name)

    def __repr__(self) -> str:
        return f"#{self.name}"


class Character:
    """`$a`: one code point."""

    __slots__ = ("char",)

    def __init__(self, char: str):
        self.char = char

    def __eq__(self, other: object) -> bool:
        return type(other) is Character and other.char == self.char

    def __hash__(self) -> int:
        return hash(self.char)  # never equal to a String: keyed apart by `key_of`

    def __repr__(self) -> str:
        return f"${self.char}"


# Characters are values (compared by code point, never by identity), so the ASCII ones can
# be shared: a String's characters are then looked up, not made one by one.
ASCII_CHARACTERS = tuple(Character(chr(i)) for i in range(128))


def characters_of(text: str) -> tuple[Character, ...]:
    """The Characters of a string, in order."""
    if text.isascii():
        return tuple(map(ASCII_CHARACTERS.__getitem__, text.encode()))
    return tuple(map(character, text))


def character(char: str) -> Character:
    """The Character of a one-code-point string."""
    code = ord(char)
    return ASCII_CHARACTERS[code] if code < 128 else Character(char)


def key_of(value: object, coerce: bool = False) -> object:
    """A hashable key with Beamtalk `=` semantics for Dictionary keys and Set elements.

    With `coerce`, numbers that are equal after coercion share a key (Beamtalk `==`).
    """
    kind = type(value)
    # Symbols and Characters (the commonest keys) are themselves. Other values are tagged
    # tuples: rpds compares colliding keys with `__eq__` and fails on NotImplemented, which
    # str and int answer for other types (and Symbols hash as their names do).
    if kind is Symbol or kind is Character:
        return value
    if kind is int:
        return ("num" if coerce else "int", value)
    if kind is bool:
        return ("bool", value)
    if kind is str:
        return ("str", value)
    if kind is float:
        if coerce and value.is_integer():
            return ("num", int(value))
        return ("num" if coerce else "float", 0.0 if value == 0.0 else value)  # -0.0 = 0.0
    if kind is BtList or kind is BtTuple:
        return (kind.__name__, tuple(key_of(v, coerce) for v in value.items))
    if kind is BtDict:
        return ("dict", frozenset((key_of(k, coerce), key_of(v, coerce))
                                  for k, v in value.map.values()))
    if kind is BtSet:
        return ("set", frozenset(key_of(e, coerce) for e in value.map.values()))
    if kind is Association:
        return ("assoc", key_of(value.key, coerce), key_of(value.value, coerce))
    cls = getattr(value, "cls", None)
    if cls is not None and cls.kind == "value":  # value instances: structural
        return ("instance", id(cls), tuple(key_of(value.fields.get(n), coerce)
                                           for n in cls.all_field_names()))
    return value


class BtList:
    """`#(1, 2, 3)`: a tuple of its elements, or a cons list while it is being built.

    ARCHITECTURE.md gives Lists the costs of the BEAM's cons lists, and compiler_bt relies
    on them: `addFirst:` is O(1) (build in reverse, then `reversed`). A List made by
    `addFirst:` keeps a persistent cons list (`rpds.List`) and turns it into a tuple only
    when something reads its elements, once.
    """

    __slots__ = ("_items", "_cons", "_size")

    def __init__(self, items: Iterable[object] = ()):
        self._items: tuple[object, ...] | None = items if type(items) is tuple else tuple(items)
        self._cons: rpds.List | None = None
        self._size = len(self._items)

    @classmethod
    def with_first(cls, first: object, rest: BtList) -> BtList:
        """`rest addFirst: first` in O(1)."""
        made = cls.__new__(cls)
        made._items = None
        made._cons = rest.cons().push_front(first)
        made._size = rest._size + 1
        return made

    def cons(self) -> rpds.List:
        """The elements as a persistent cons list."""
        if self._cons is None:
            self._cons = rpds.List(self._items)
        return self._cons

    @property
    def items(self) -> tuple[object, ...]:
        """The elements as a tuple (made from the cons list on first use)."""
        if self._items is None:
            self._items = tuple(self._cons)
        return self._items

    def __iter__(self) -> Iterator[object]:
        return iter(self.items)

    def __len__(self) -> int:
        return self._size

    def __eq__(self, other: object) -> bool:
        return type(other) is BtList and key_of(self) == key_of(other)

    def __hash__(self) -> int:
        return hash(key_of(self))

    def __repr__(self) -> str:
        return f"BtList{self.items!r}"


class BtTuple(BtList):
    """`{1, #ok}`: like a List but its own kind (and O(1) `at:`)."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        return type(other) is BtTuple and key_of(self) == key_of(other)

    def __hash__(self) -> int:
        return hash(key_of(self))


class BtDict:
    """`#{k => v}`: a persistent map from `key_of(k)` to the pair (k, v)."""

    __slots__ = ("map",)

    def __init__(self, map: rpds.HashTrieMap | None = None):
        self.map = map if map is not None else rpds.HashTrieMap()

    @classmethod
    def of(cls, pairs: Iterable[tuple[object, object]]) -> BtDict:
        """A Dictionary from (key, value) pairs; a later value wins, the first key stays."""
        table: dict[object, tuple[object, object]] = {}
        for k, v in pairs:
            hashed = key_of(k)
            first = table.get(hashed)
            table[hashed] = (k if first is None else first[0], v)
        return cls(rpds.HashTrieMap(table))

    def get(self, key: object, default: object = None) -> object:
        pair = self.map.get(key_of(key))
        return default if pair is None else pair[1]

    def contains(self, key: object) -> bool:
        return key_of(key) in self.map

    def put(self, key: object, value: object) -> BtDict:
        """The Dictionary with key mapped to value; an equal key already there stays
        (`0.0` and `-0.0` are equal keys), as in Smalltalk, Python and Erlang maps."""
        hashed = key_of(key)
        there = self.map.get(hashed)
        return BtDict(self.map.insert(hashed, (key if there is None else there[0], value)))

    def remove(self, key: object) -> BtDict:
        k = key_of(key)
        return BtDict(self.map.remove(k)) if k in self.map else self

    def pairs(self) -> list[tuple[object, object]]:
        """(key, value) pairs in no particular order (callers sort into standard order)."""
        return list(self.map.values())

    def __len__(self) -> int:
        return len(self.map)

    def __eq__(self, other: object) -> bool:
        return type(other) is BtDict and key_of(self) == key_of(other)

    def __hash__(self) -> int:
        return hash(key_of(self))


class BtSet:
    """`Set withAll: #(1, 2)`: a persistent map from `key_of(e)` to e."""

    __slots__ = ("map",)

    def __init__(self, map: rpds.HashTrieMap | None = None):
        self.map = map if map is not None else rpds.HashTrieMap()

    @classmethod
    def of(cls, elements: Iterable[object]) -> BtSet:
        """A Set of these elements (the first of equal elements is kept)."""
        m: dict[object, object] = {}
        for e in elements:
            m.setdefault(key_of(e), e)
        return cls(rpds.HashTrieMap(m))

    def contains(self, element: object) -> bool:
        return key_of(element) in self.map

    def add(self, element: object) -> BtSet:
        k = key_of(element)
        return self if k in self.map else BtSet(self.map.insert(k, element))

    def remove(self, element: object) -> BtSet:
        k = key_of(element)
        return BtSet(self.map.remove(k)) if k in self.map else self

    def elements(self) -> list[object]:
        """The elements in no particular order (callers sort into standard order)."""
        return list(self.map.values())

    def __len__(self) -> int:
        return len(self.map)

    def __eq__(self, other: object) -> bool:
        return type(other) is BtSet and key_of(self) == key_of(other)

    def __hash__(self) -> int:
        return hash(key_of(self))


class Interval:
    """`(1 to: 10 by: 2)`."""

    __slots__ = ("start", "stop", "step")

    def __init__(self, start: int | float, stop: int | float, step: int | float = 1):
        self.start, self.stop, self.step = start, stop, step

    def values(self) -> list[object]:
        """The numbers of the interval, in order."""
        out = []
        v, stop, step = self.start, self.stop, self.step
        if step > 0:
            while v <= stop:
                out.append(v)
                v += step
        elif step < 0:
            while v >= stop:
                out.append(v)
                v += step
        return out

    def __eq__(self, other: object) -> bool:
        return type(other) is Interval and (self.start, self.stop, self.step) == (
            other.start, other.stop, other.step)

    def __hash__(self) -> int:
        return hash(("Interval", self.start, self.stop, self.step))


class Association:
    """`#a -> 1`."""

    __slots__ = ("key", "value")

    def __init__(self, key: object, value: object):
        self.key, self.value = key, value

    def __eq__(self, other: object) -> bool:
        return type(other) is Association and key_of(self) == key_of(other)

    def __hash__(self) -> int:
        return hash(key_of(self))


def equal(a: object, b: object) -> bool:
    """Beamtalk `=`: exact equality, no number coercion (1 = 1.0 is false)."""
    return key_of(a) == key_of(b)


class BtMessage:
    """What `doesNotUnderstand:` receives: a selector and its arguments."""

    __slots__ = ("selector", "arguments")

    def __init__(self, selector: Symbol, arguments: BtList):
        self.selector, self.arguments = selector, arguments
