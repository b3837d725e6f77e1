"""A source directory's sources.toml: title, address, licence and retrieval date per file."""

from __future__ import annotations

import datetime
import re
import tomllib
from functools import cache
from pathlib import Path

from kg.errors import Diagnostic, SourceError
from kg.files import read_regular
from kg.records import SourceInfo

MANIFEST = "sources.toml"
_FIELDS = ("title", "url", "licence", "retrieved")
MAX_MANIFEST_BYTES = 1024 * 1024
_HEADER = re.compile(r"\s*\[\[\s*article\s*\]\]")
# An address the graph can point at: a scheme, then a host; relative addresses are not
# resolved against the manifest's own place.
_ABSOLUTE = re.compile(r"https?://[^\s/?#]+[^\s]*", re.IGNORECASE)


def _error(path: Path, line: int, col: int, message: str) -> SourceError:
    return SourceError(Diagnostic(str(path), line, col, "error", "bad-manifest", message))


@cache
def _entries(directory: Path) -> dict[str, SourceInfo]:
    path = directory / MANIFEST
    if not path.is_file():
        return {}
    try:
        text = read_regular(path, MAX_MANIFEST_BYTES, "a manifest").decode("utf-8")
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"line (\d+), column (\d+)", str(exc))
        line, col = (int(where.group(1)), int(where.group(2))) if where else (1, 1)
        raise _error(path, line, col, f"not valid TOML: {str(exc).split(' (at')[0]}") from None
    except UnicodeDecodeError as exc:
        raise _error(path, 1, 1, f"not UTF-8: {exc.reason}") from None
    lines = _Lines(path, text)
    if set(data) - {"article"} or not isinstance(data.get("article", []), list):
        raise lines.error(0, "", "the manifest holds [[article]] tables only")
    entries = {}
    for number, entry in enumerate(data.get("article", []), start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str) or not entry["file"]:
            raise lines.error(number, "", 'each [[article]] needs file = "NAME"')
        entries[entry["file"]] = _info(lines, number, entry)
    return entries


def _info(lines: _Lines, number: int, entry: dict[str, object]) -> SourceInfo:
    if unknown := sorted(set(entry) - {"file", *_FIELDS}):
        raise lines.error(number, unknown[0], f"unknown key '{unknown[0]}' (the keys are file, {', '.join(_FIELDS)})")
    values = {}
    for key in _FIELDS:
        value = entry.get(key, "")
        if key == "retrieved" and isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            values[key] = value.isoformat()
        elif isinstance(value, str) and (key != "retrieved" or not value):
            values[key] = value
        else:
            kind = "a date (2026-11-21)" if key == "retrieved" else "a string"
            raise lines.error(number, key, f"{key} must be {kind}")
        if key in ("url", "licence") and value and not _ABSOLUTE.fullmatch(str(value)):
            raise lines.error(number, key, f"{key} must be an absolute http(s) address, not '{value}'")
    return SourceInfo(**values)


class _Lines:
    """Where each [[article]] and its keys are written (tomllib gives values, not places)."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.headers = [i for i, line in enumerate(self.lines, start=1) if _HEADER.match(line)]

    def error(self, number: int, key: str, message: str) -> SourceError:
        start = self.headers[number - 1] if 0 < number <= len(self.headers) else 1
        end = self.headers[number] if number < len(self.headers) else len(self.lines) + 1
        key_line = next(
            (i for i in range(start, end) if key and re.match(rf"\s*{re.escape(key)}\s*=", self.lines[i - 1])), start
        )
        return _error(self.path, key_line, 1, message)


def source_info(path: Path) -> SourceInfo:
    """What the manifest beside ``path`` says of it (empty when there is none)."""
    return _entries(path.resolve().parent).get(path.name, SourceInfo())
