"""Tables and lists → records: a registry of section readers, one module per kind of section.

Each reader says whether a table is of its kind (its ``claim``: from the headings above the
table, nearest first, or from its columns) and reads it. The nearest heading that decides wins
over a farther one, and any heading over columns alone; a table that no reader claims is
reported with its rows, never skipped in silence. Bullet lists count only where a membership
or attendance reader claims them.
"""

from __future__ import annotations

from kg.records import TableReport
from kg.sources.document import Document, Table
from kg.sources.sections import attendance, conference_list, membership, other
from kg.sources.sections.base import Claim, RowTally, SectionReader, TablesRead, data_rows, report
from kg.sources.sections.context import TableContext, context_of
from kg.spans import diagnose

__all__ = ["READERS", "TablesRead", "read_tables"]

# In order of precedence when two claims are equally near.
READERS: tuple[SectionReader, ...] = (conference_list, attendance, membership, other)


def classify(ctx: TableContext) -> tuple[Claim, SectionReader] | None:
    claims = [(claim, rank, reader) for rank, reader in enumerate(READERS) if (claim := reader.claim(ctx))]
    if not claims:
        return None
    claim, _, reader = min(claims, key=lambda found: (found[0].distance, found[1]))
    return claim, reader


def _unknown(ctx: TableContext, out: TablesRead) -> TableReport:
    where = f"under '{ctx.table.section}'" if ctx.table.section else "before any heading"
    message = (
        f"table {ctx.index} {where} is neither a conference's attendance nor a membership list "
        "(no heading or column says which); its rows are not read"
    )
    out.diagnostics.append(diagnose(ctx.table.span, "warning", "unknown-table", message))
    tally = RowTally()
    for number, _, _ in data_rows(ctx):
        tally.rows += 1
        tally.skipped.append((number, "table not understood"))
    return report(ctx, Claim("unknown", 0, "no heading or column says what it lists"), tally)


def _counts(table: Table, found: tuple[Claim, SectionReader] | None) -> bool:
    return not table.is_list or (found is not None and found[0].kind in ("attendance", "membership"))


def read_tables(doc: Document, own: tuple[str, ...]) -> TablesRead:
    """Every table and member or attendee list of the document, read into records, with a
    report per table. ``own`` holds the organisation's names (taken out of headings)."""
    result = TablesRead()
    prose = {s.heading.span.start: s.paragraphs for s in doc.sections if s.heading is not None}
    index = 0
    for table in doc.tables:
        ctx = context_of(table, index + 1, own, prose)
        found = classify(ctx)
        if not _counts(table, found):
            continue
        index += 1
        if ctx.grid.cut:
            message = f"{ctx.grid.cut} rowspan or colspan value(s) reach past the table's end; cut there"
            result.diagnostics.append(diagnose(table.span, "warning", "span-cut", message))
        result.reports.append(found[1].read(ctx, found[0], result) if found else _unknown(ctx, result))
    return result
