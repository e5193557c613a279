"""Reading a source file named on the command line (UTF-8; a readable error otherwise)."""

from __future__ import annotations

from pathlib import Path


class SourceUnreadable(Exception):
    """A file named on the command line cannot be read as UTF-8 text."""

    def __init__(self, message: str, status: int = 2):
        super().__init__(message)
        self.status = status  # 2: the file cannot be opened; 1: it is not valid source text


def source_text(path: Path) -> str:
    """The text of a source file: UTF-8, CRLF and CR become LF, and a leading byte order mark
    (no part of the text) is dropped here for every backend's compiler. OSError and
    UnicodeDecodeError pass through."""
    return path.read_text(encoding="utf-8").removeprefix("\ufeff")


def read_source(path: str) -> str:
    """The text of a source file named on the command line (source_text), or SourceUnreadable."""
    try:
        return source_text(Path(path))
    except FileNotFoundError:
        raise SourceUnreadable(f"{path}: no such file") from None
    except IsADirectoryError:
        raise SourceUnreadable(f"{path}: is a directory") from None
    except UnicodeDecodeError as exc:
        raise SourceUnreadable(f"{path}: not valid UTF-8 (byte {exc.start})", 1) from None
    except OSError as exc:
        raise SourceUnreadable(f"{path}: {exc.strerror}") from None
