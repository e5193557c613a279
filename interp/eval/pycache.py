"""The stdlib's generated methods, compiled once and cached on disk.

Every Runtime defines the whole stdlib; generating and compiling its methods each time
would make start-up slower.  Their code objects are kept, marshalled, in the user cache
directory (where the parser keeps PLY's tables), under a key hashing the stdlib's
sources, the generator's own source and the Python version, and written atomically.
Within one process the loaded table is shared by every Runtime.
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import os
import sys
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

from beamtalk.interp.syntax.parser import cache_dir

HERE = Path(__file__).resolve().parent
GENERATOR_FILES = ("pygen.py", "pycontrol.py", "pyscope.py", "pymethods.py", "pycache.py",
                   "../runtime/pyclasses.py")

UnitKey = tuple[str, bool, str]  # class name, class side, selector


@functools.lru_cache(maxsize=1)
def stdlib_key() -> str:
    """The hash naming the cache file: stdlib sources, generator sources, Python version."""
    digest = hashlib.sha256(sys.version.encode())
    folder = resources.files("beamtalk.stdlib")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".bt"):
            digest.update(entry.name.encode() + b"\0" + entry.read_bytes())
    for name in GENERATOR_FILES:
        digest.update((HERE / name).read_bytes())
    return digest.hexdigest()[:20]


def cache_path() -> Path | None:
    folder = cache_dir()
    return folder / f"stdlib-py-{stdlib_key()}.marshal" if folder is not None else None


@functools.lru_cache(maxsize=1)
def stdlib_units() -> dict[UnitKey, tuple[Any, list[str]]]:
    """The cached units, (code, class variables) by key; empty when there is no cache yet.

    The dict is shared by every Runtime of the process; `remember` adds to it."""
    path = cache_path()
    if path is None or not path.exists():
        return {}
    try:
        units = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):  # a damaged cache: regenerate
        return {}
    return units if isinstance(units, dict) else {}


def save(units: dict[UnitKey, tuple[Any, list[str]]]) -> None:
    """Write the table atomically (a concurrent reader sees the old file or the new one)."""
    path = cache_path()
    if path is None:
        return
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(marshal.dumps(units))
        os.replace(tmp, path)
        for old in path.parent.glob("stdlib-py-*.marshal"):  # older stdlibs or generators
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # no cache this time; the next start generates again
