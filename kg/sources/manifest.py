"""A source directory's sources.toml: title, address, licence and retrieval date per file."""

from __future__ import annotations

import datetime
import re
import tomllib
from functools import cache
from pathlib import Path

from kg.errors import Diagnostic, SourceError
from kg.records import SourceInfo

MANIFEST = "sources.toml"
_FIELDS = ("title", "url", "licence", "retrieved")


def _error(path: Path, line: int, col: int, message: str) -> SourceError:
    return SourceError(Diagnostic(str(path), line, col, "error", "bad-manifest", message))


@cache
def _entries(directory: Path) -> dict[str, SourceInfo]:
    path = directory / MANIFEST
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"line (\d+), column (\d+)", str(exc))
        line, col = (int(where.group(1)), int(where.group(2))) if where else (1, 1)
        raise _error(path, line, col, f"not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise _error(path, 1, 1, f"cannot read: {exc}") from None
    entries = {}
    for number, entry in enumerate(data.get("article", []), start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
            raise _error(path, 1, 1, f'[[article]] number {number} has no file = "..."')
        values = {key: _text(entry.get(key, "")) for key in _FIELDS}
        entries[entry["file"]] = SourceInfo(**values)
    return entries


def _text(value: object) -> str:
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


def source_info(path: Path) -> SourceInfo:
    """What the manifest beside ``path`` says of it (empty when there is none)."""
    return _entries(path.resolve().parent).get(path.name, SourceInfo())
