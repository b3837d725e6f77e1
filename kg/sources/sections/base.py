"""What the section readers share: the claim a reader makes on a table, and what they collect."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

from kg.errors import Diagnostic
from kg.records import Attendance, Conference, Membership, RowRef, TableKind, TableReport
from kg.sources.grid import Placed
from kg.sources.rows import RowParts, type_row, warn
from kg.sources.sections.context import Signal, TableContext
from kg.spans import diagnose

# A claim made by the headings wins over one made by the columns alone; among headings the
# nearest wins.
BY_COLUMNS = 100


@dataclass(frozen=True)
class Claim:
    kind: TableKind
    distance: int  # index of the deciding heading (nearest 0), BY_COLUMNS for the columns alone
    why: str
    signal: Signal | None = None
    role: str = ""


@dataclass
class TablesRead:
    conferences: list[Conference] = field(default_factory=list)
    attendances: list[Attendance] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    reports: list[TableReport] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def add_conference(self, conference: Conference) -> None:
        if all(c.id != conference.id for c in self.conferences):
            self.conferences.append(conference)


class SectionReader(Protocol):
    """One kind of section: says whether a table is of its kind, and reads it."""

    def claim(self, ctx: TableContext) -> Claim | None: ...

    def read(self, ctx: TableContext, claim: Claim, out: TablesRead) -> TableReport: ...


@dataclass
class RowTally:
    """What became of each data row of one table."""

    rows: int = 0
    entries: int = 0
    kept: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)


def data_rows(ctx: TableContext) -> list[tuple[int, RowRef, tuple[Placed, ...]]]:
    """(row number, reference, laid-out cells) of each row that is not a header row."""
    out = []
    for number, (row, cells) in enumerate(zip(ctx.table.rows, ctx.grid.rows, strict=True), start=1):
        if number > ctx.grid.header_rows:
            out.append((number, RowRef(ctx.index, number, row.span), cells))
    return out


def typed_rows(ctx: TableContext, tally: RowTally, out: TablesRead) -> Iterator[tuple[int, RowRef, RowParts]]:
    """Each data row typed into its parts (warnings reported), counted in ``tally``; a note row
    across the table is counted as skipped and not yielded."""
    for number, ref, cells in data_rows(ctx):
        tally.rows += 1
        if spans_the_table(cells, len(ctx.grid.columns)):
            tally.skipped.append((number, "note row across the table"))
            continue
        parts = type_row(ctx.grid, cells)
        warn(parts, out.diagnostics)
        yield number, ref, parts


def spans_the_table(cells: tuple[Placed, ...], columns: int) -> bool:
    """One cell across every column (colspan): a caption or note between rows, not an entry."""
    distinct = {id(p.cell) for p in cells}
    return len(distinct) == 1 and cells[0].cell.colspan > 1 and cells[0].cell.colspan >= max(columns, 2)


def skip_reason(ref: RowRef, parts: RowParts, out: TablesRead) -> str:
    """Why a row gives no entry; a row that names something but no party is reported."""
    region = parts.region
    if region is not None and not parts.years and not parts.raw:
        return f"continent heading {region.raw}"
    if not parts.places and not parts.years and not parts.raw and not parts.notes:
        return "empty row"
    out.diagnostics.append(
        diagnose(ref.span, "warning", "row-without-party", "row names no party or delegation; nothing read from it")
    )
    return "names no party"


def report(ctx: TableContext, claim: Claim, tally: RowTally, conference: Conference | None = None) -> TableReport:
    return TableReport(
        index=ctx.index,
        section=ctx.table.section,
        kind=claim.kind,
        span=ctx.table.span,
        role=claim.role,
        conference=conference,
        columns=tuple(c or "" for c in ctx.grid.columns),
        rows=tally.rows,
        entries=tally.entries,
        kept=tally.kept,
        skipped=tuple(tally.skipped),
        why=claim.why,
    )
