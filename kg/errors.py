"""Diagnostics, the error raised for unreadable input, and the CLI's exit codes.

A diagnostic names its place as ``path:line:col`` (1-based), the form pyoxigraph's
parse errors use, so editors and terminals can jump to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    """Exit codes shared by every command (pySHACL's convention)."""

    OK = 0
    DOES_NOT_CONFORM = 1
    BAD_INPUT = 2
    INTERNAL_ERROR = 3


@dataclass(frozen=True)
class Diagnostic:
    """One finding about the input: a warning keeps the row, an error rejects the file."""

    path: str
    line: int
    col: int
    severity: str  # "warning" or "error"
    code: str  # stable, machine-readable, e.g. "unknown-flag-template"
    message: str

    def __str__(self) -> str:
        return one_line(f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message} [{self.code}]")


# Line breaks and other controls that a value (a file name, a cell) may hold, escaped so that a
# message is one line whatever it quotes: tools read diagnostics line by line.
_BREAKS = {code: f"\\x{code:02x}" for code in (*range(0x20), 0x7F, 0x85)} | {
    0x0A: "\\n",
    0x0D: "\\r",
    0x09: "\\t",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def one_line(text: str) -> str:
    return text.translate(_BREAKS)


class KgError(Exception):
    """Base class of the errors the CLI turns into a message and an exit code."""

    exit_code = ExitCode.INTERNAL_ERROR


class SourceError(KgError):
    """A source file that cannot be read at all."""

    exit_code = ExitCode.BAD_INPUT

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic

    def __reduce__(self) -> tuple[type[SourceError], tuple[Diagnostic]]:  # pickled by its diagnostic, not its text
        return type(self), (self.diagnostic,)


class SourceErrors(KgError):
    """One or more source files that cannot be read, each with its diagnostic."""

    exit_code = ExitCode.BAD_INPUT

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(map(str, diagnostics)))
        self.diagnostics = diagnostics

    def __reduce__(self) -> tuple[type[SourceErrors], tuple[list[Diagnostic]]]:
        return type(self), (self.diagnostics,)


class UsageError(KgError):
    """A command line that asks for something that does not exist."""

    exit_code = ExitCode.BAD_INPUT
