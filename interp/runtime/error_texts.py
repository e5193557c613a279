"""The run-time error texts: `stdlib/errors.tsv` loaded once per process (both backends read it).

Every built-in error the interpreter signals names an entry of that table by its id and
supplies the placeholder values; the wording lives only in the table.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType
from typing import Any

TABLE_FILE = "errors.tsv"
ID_PATTERN = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*\Z")
CLASS_PATTERN = re.compile(r"[A-Z][A-Za-z0-9]*\Z")
PLACEHOLDER_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


class ErrorTableInvalid(ValueError):
    """The table file breaks its format (a build error, never a user's mistake)."""


@dataclass(frozen=True)
class ErrorText:
    """One entry: the exception class signalled and its messageText template."""

    id: str
    class_name: str
    template: str
    placeholders: tuple[str, ...]

    def render(self, args: Mapping[str, Any]) -> str:
        """The messageText with every placeholder replaced by its argument's text."""
        given = set(args)
        wanted = set(self.placeholders)
        if given != wanted:
            missing = ", ".join(sorted(wanted - given)) or "-"
            extra = ", ".join(sorted(given - wanted)) or "-"
            raise KeyError(f"error text {self.id}: missing {missing}; unexpected {extra}")
        return self.template.format_map({k: str(v) for k, v in args.items()})


def template_placeholders(template: str, where: str) -> tuple[str, ...]:
    """The placeholder names of a template, in order of first use; only plain names allowed."""
    names: list[str] = []
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as exc:
        hint = "write {{ or }} for a literal brace"
        raise ErrorTableInvalid(f"{where}: {exc} ({hint})") from None
    for _literal, name, spec, conversion in parts:
        if name is None:
            continue
        if not PLACEHOLDER_PATTERN.match(name) or spec or conversion:
            raise ErrorTableInvalid(f"{where}: placeholder {{{name}}} must be a plain name")
        if name not in names:
            names.append(name)
    return tuple(names)


def parse_table(text: str, source: str = TABLE_FILE) -> Mapping[str, ErrorText]:
    """Entries by id from the table's text (format: the header comment of errors.tsv)."""
    entries: dict[str, ErrorText] = {}
    for number, line in enumerate(text.splitlines(), 1):
        where = f"{source}:{number}"
        if not line.strip() or line.startswith("#"):
            continue
        columns = line.split("\t")
        if len(columns) != 3:
            raise ErrorTableInvalid(f"{where}: expected 3 TAB-separated columns, "
                                    f"got {len(columns)}")
        error_id, class_name, template = columns
        if not ID_PATTERN.match(error_id):
            raise ErrorTableInvalid(f"{where}: id {error_id!r} is not lower snake_case")
        if error_id in entries:
            raise ErrorTableInvalid(f"{where}: id {error_id} is defined twice")
        if not CLASS_PATTERN.match(class_name):
            raise ErrorTableInvalid(f"{where}: {class_name!r} is not a class name")
        entries[error_id] = ErrorText(error_id, class_name, template,
                                      template_placeholders(template, where))
    return MappingProxyType(entries)


@functools.lru_cache(maxsize=1)
def error_table() -> Mapping[str, ErrorText]:
    """The shipped table, read once per process (an immutable mapping)."""
    text = resources.files("beamtalk.stdlib").joinpath(TABLE_FILE).read_text(encoding="utf-8")
    return parse_table(text, f"stdlib/{TABLE_FILE}")


def error_text(error_id: str, **args: Any) -> tuple[str, str]:
    """(class name, messageText) of the entry `error_id` filled with `args`."""
    entry = error_table()[error_id]
    return entry.class_name, entry.render(args)
