"""Rows as CSV and TSV that no value can break: a value never adds a field or a row.

CSV follows RFC 4180: a field holding a comma, a quote or any line break (CR alone too, which
Python's csv module leaves bare, and U+0085, U+2028, U+2029) is quoted, quotes doubled. TSV
cannot quote, so tab, line breaks and backslash are escaped as \\t \\n \\r \\\\ (the linear TSV
convention that PostgreSQL's COPY and most TSV readers follow).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

_NEEDS_QUOTES = re.compile('[",\r\n\x85\u2028\u2029]')
_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\x85": "\\x85"})


def _csv_field(value: str) -> str:
    return '"' + value.replace('"', '""') + '"' if _NEEDS_QUOTES.search(value) else value


def csv_text(rows: Iterable[Sequence[str]]) -> str:
    return "".join(",".join(map(_csv_field, row)) + "\n" for row in rows)


def tsv_text(rows: Iterable[Sequence[str]]) -> str:
    return "".join("\t".join(value.translate(_TSV_ESCAPES) for value in row) + "\n" for row in rows)
