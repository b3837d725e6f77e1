"""Places in source files: spans with offsets, lines and columns, and diagnostics at them."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from kg.errors import Diagnostic


@dataclass(frozen=True)
class Span:
    """A slice of a source file: offsets into the text plus its 1-based line and column."""

    path: str
    start: int
    end: int
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


class SourceText:
    """A source file's text with fast offset → line/column look-up."""

    def __init__(self, path: str, text: str, warnings: list[Diagnostic] | None = None) -> None:
        self.path = path
        self.text = text
        self.warnings = warnings or []  # found while reading the file, before any reader
        self._line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]

    def span(self, start: int, end: int) -> Span:
        line = bisect.bisect_right(self._line_starts, start)
        col = start - self._line_starts[line - 1] + 1
        return Span(self.path, start, end, line, col)

    def line_offset(self, line: int) -> int:
        """Offset of the first character of 1-based ``line``."""
        return self._line_starts[min(line, len(self._line_starts)) - 1]

    def stripped_span(self, start: int, end: int) -> Span:
        """The span of ``text[start:end]`` without its surrounding whitespace."""
        chunk = self.text[start:end]
        lead = len(chunk) - len(chunk.lstrip())
        trail = len(chunk) - len(chunk.rstrip())
        if lead == len(chunk):
            return self.span(start, start)
        return self.span(start + lead, end - trail)


def diagnose(span: Span, severity: str, code: str, message: str) -> Diagnostic:
    """A diagnostic located at the start of ``span``."""
    return Diagnostic(span.path, span.line, span.col, severity, code, message)
