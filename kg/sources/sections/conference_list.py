"""Tables whose rows are conferences (届次 | 日期 | 地点 | 与会政党): a conference per row, and
the parties each row names as attending or hosting it."""

from __future__ import annotations

from kg.lexicon import ColumnKind
from kg.records import Attendance, Conference, ConferenceId, TableReport
from kg.sources.conferences import read_conference_name
from kg.sources.dates import first_date
from kg.sources.document import Cell
from kg.sources.grid import Placed
from kg.sources.rows import RowParts, entry_fields, typed_fragments, warn
from kg.sources.sections.base import Claim, RowTally, TablesRead, data_rows, report
from kg.sources.sections.context import TableContext
from kg.spans import Span

_PARTY_COLUMNS: frozenset[ColumnKind | None] = frozenset({"participants", "host"})


def claim(ctx: TableContext) -> Claim | None:
    columns = ctx.columns
    described = "ordinal" in columns and bool(columns & {"year", "place"})
    if (columns & _PARTY_COLUMNS or described) and "country" not in columns:
        named = ", ".join(sorted(c for c in columns if c))
        return Claim("conferences", -1, f"columns ({named}): each row is a conference")
    return None


def _column_cell(ctx: TableContext, cells: tuple[Placed, ...], kind: ColumnKind) -> Cell | None:
    if kind not in ctx.columns:
        return None
    index = ctx.grid.columns.index(kind)
    return cells[index].cell if index < len(cells) else None


def _conference(ctx: TableContext, cells: tuple[Placed, ...], span: Span) -> Conference | None:
    ordinal_cell = _column_cell(ctx, cells, "ordinal")
    date_cell = _column_cell(ctx, cells, "year")
    place_cell = _column_cell(ctx, cells, "place")
    name = read_conference_name(ordinal_cell.text, own=ctx.own) if ordinal_cell else None
    date = first_date(date_cell.text) if date_cell else None
    place = ""
    if place_cell and place_cell.fragments:
        fragment = place_cell.fragments[0]
        links = [x.target for x in fragment.links if x.target]
        place = links[0] if len(links) == 1 and fragment.text == fragment.links[0].text else fragment.text
    if name is None and date is None:
        return None
    conference_id = ConferenceId(
        name.ordinal if name else None,
        date.year if date else None,
        date.month if date and date.month else None,
        date.day if date and date.day else None,
        place,
        name.kind if name else "regular",
    )
    heading = " ".join(p.cell.text for p in cells[:3] if p.cell.text)
    return Conference(conference_id, heading, ctx.index, span, "row")


def read(ctx: TableContext, claim: Claim, out: TablesRead) -> TableReport:
    tally = RowTally()
    for number, ref, cells in data_rows(ctx):
        tally.rows += 1
        conference = _conference(ctx, cells, ref.span)
        if conference is None:
            tally.skipped.append((number, "names no conference"))
            continue
        out.add_conference(conference)
        parts = RowParts()
        for col, placed in enumerate(cells):
            column = ctx.grid.column(col)
            if column in _PARTY_COLUMNS or column == "party":
                parts.parties.extend(
                    (col, t) for f in placed.cell.fragments for t in typed_fragments(f, column) if t.kind == "party"
                )
        warn(parts, out.diagnostics)
        for party in parts.parties:
            fields, said = entry_fields(ctx.grid, ref, parts, party, None)
            host = ctx.grid.column(party[0]) == "host"
            out.attendances.append(Attendance(**fields, region=said, conference=conference.id, host=host))
            tally.entries += 1
        if parts.parties:
            tally.kept += 1
        else:
            tally.skipped.append((number, "names the conference only"))
    return report(ctx, claim, tally)
