"""Attendance tables and lists: who came to one conference.

A table is one when the nearest heading that decides names a conference (第十次会议, 2003年会议,
成立大会, 基多会议（1994年）, a year under 历次会议) or who attended (参加者, 与会者, 出席). The
conference is what that heading says, completed by the prose beside the table (第二次会议于2005年
在[[布鲁塞尔]]举行) and by a date column; a conference nothing identifies is the table's own."""

from __future__ import annotations

from pathlib import Path

from kg.records import Attendance, Conference, ConferenceId, DateSource, TableReport
from kg.sources.conferences import ConferenceName, read_prose
from kg.sources.dates import DateValue, first_date
from kg.sources.rows import entry_fields
from kg.sources.sections.base import Claim, RowTally, TablesRead, data_rows, report, skip_reason, typed_rows
from kg.sources.sections.context import Signal, TableContext


def claim(ctx: TableContext) -> Claim | None:
    for distance, signal in enumerate(ctx.signals):
        if signal.decides and (signal.attendance or signal.conference.named) and not signal.skip:
            return Claim("attendance", distance, f"heading '{signal.heading.title}'", signal)
        if signal.decides:
            return None
    return None


def _date_column(ctx: TableContext) -> DateValue | None:
    """The date every row of a date column (日期, 时间, 年份) agrees on: its year, and its
    month where they all agree on it too."""
    if "year" not in ctx.columns:
        return None
    column = ctx.grid.columns.index("year")
    dates = [first_date(cells[column].cell.text) for _, _, cells in data_rows(ctx) if column < len(cells)]
    found = [d for d in dates if d is not None]
    if not found or len({d.year for d in found}) > 1:
        return None
    months = {d.month for d in found}
    return DateValue(found[0].year, months.pop() if len(months) == 1 else 0)


def conference_of(ctx: TableContext) -> Conference:
    signal = next((s for s in ctx.signals if s.conference.named), None)
    stated = signal.conference if signal else ConferenceName()
    name = stated.filled_from(read_prose(ctx.prose_up_to(signal), ctx.own))
    source: DateSource = "heading" if stated.date else "prose" if name.date else "none"
    if name.date is None and (column := _date_column(ctx)) is not None:
        name, source = ConferenceName(name.ordinal, column, name.place, name.kind, True), "date-column"
    return _conference(ctx, signal, name, source)


def _conference(ctx: TableContext, signal: Signal | None, name: ConferenceName, source: DateSource) -> Conference:
    date = name.date
    unidentified = name.ordinal is None and date is None and not name.place
    conference_id = ConferenceId(
        name.ordinal,
        date.year if date else None,
        date.month if date and date.month else None,
        date.day if date and date.day else None,
        name.place,
        name.kind,
        Path(ctx.table.span.path).stem if unidentified else "",
        ctx.index if unidentified else 0,
    )
    heading = signal.heading if signal else None
    return Conference(
        conference_id,
        heading.title if heading else ctx.table.section,
        ctx.index,
        heading.span if heading else ctx.table.span,
        source,
    )


def read(ctx: TableContext, claim: Claim, out: TablesRead) -> TableReport:
    conference = conference_of(ctx)
    out.add_conference(conference)
    tally = RowTally()
    heading_place = ctx.place()
    for number, ref, parts in typed_rows(ctx, tally, out):
        if not parts.parties:
            tally.skipped.append((number, skip_reason(ref, parts, out)))
            continue
        for party in parts.parties:
            region = parts.region or (heading_place if heading_place and heading_place.is_region else None)
            fields, said = entry_fields(ctx.grid, ref, parts, party, parts.country)
            out.attendances.append(Attendance(**fields, region=said or region, conference=conference.id))
            tally.entries += 1
        tally.kept += 1
    return report(ctx, claim, tally, conference)
