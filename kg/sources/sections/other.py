"""Tables about neither members nor meetings: under 参见, 历任主席 … or with no column that
names a party or a country. They are reported, and their rows are not read."""

from __future__ import annotations

from kg.records import TableReport
from kg.sources.sections.base import BY_COLUMNS, Claim, RowTally, TablesRead, data_rows, report
from kg.sources.sections.context import TableContext

_NAME_COLUMNS = frozenset({"party", "country", "participants", "host", "continent"})


def claim(ctx: TableContext) -> Claim | None:
    for distance, signal in enumerate(ctx.signals):
        if signal.skip:
            return Claim("other", distance, f"heading '{signal.heading.title}' lists neither members nor meetings")
        if signal.decides:
            break
    if ctx.grid.header_rows and not ctx.columns & _NAME_COLUMNS:
        return Claim("other", BY_COLUMNS, "no column names a party or a country")
    return None


def read(ctx: TableContext, claim: Claim, out: TablesRead) -> TableReport:
    del out
    tally = RowTally()
    for number, _, _ in data_rows(ctx):
        tally.rows += 1
        tally.skipped.append((number, "table lists neither members nor meetings"))
    return report(ctx, claim, tally)
