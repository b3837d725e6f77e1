"""Tables → attendance and membership entries.

What a table is comes from its section heading (a conference such as 第十次会议（2011年）,
or a membership role: 成员 / 观察员 / 前成员) and its header row. Each row is then read
by typing its cells by content (``kg.sources.cells``), so rows whose cells were lost or
shifted are repaired, and the repair is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TypedDict

from kg.errors import Diagnostic
from kg.fold import fold, normalize_width, to_simplified
from kg.records import Attendance, Conference, EndEvent, Entry, Membership, PartyName, RowRef, StatedPlace, TableReport
from kg.sources.cells import Typed, header_kind, type_fragment
from kg.sources.document import Cell, Document, Row, Table
from kg.sources.notes import read_end_event, read_join_note
from kg.spans import Span, diagnose

_CONFERENCE = re.compile(
    r"第\s*(?P<ordinal>[0-9一二三四五六七八九十百零〇两]+)\s*(?:次|届|屆|回)"
    r".*?(?:会议|大会|会|研讨会).*?(?P<year>1[89]\d\d|20\d\d)"
)
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# Section words that name a membership role; former is tested first (前成员 contains 成员).
ROLE_SECTIONS = (
    ("former", ("前成员", "前会员", "前成员党", "已退出", "原成员")),
    ("observer", ("观察员",)),
    ("member", ("成员", "会员", "成员党", "参与者", "参加者")),
)


def chinese_number(text: str) -> int:
    """十 → 10, 二十一 → 21, 一百零二 → 102, 12 → 12."""
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for char in text:
        if char == "百":
            total += (current or 1) * 100
            current = 0
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _DIGITS[char]
    return total + current


def conference_of(heading: str) -> tuple[int, int] | None:
    """(ordinal, year) of a heading such as 第十次会议（2011年）参加者."""
    match = _CONFERENCE.search(to_simplified(normalize_width(heading)))
    if match is None:
        return None
    return chinese_number(match.group("ordinal")), int(match.group("year"))


def role_of(heading: str) -> str:
    folded = fold(heading)
    for role, words in ROLE_SECTIONS:
        if any(word in folded for word in words):
            return role
    return ""


@dataclass
class TablesRead:
    conferences: list[Conference] = field(default_factory=list)
    attendances: list[Attendance] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    reports: list[TableReport] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass
class _Grid:
    """Rows laid out by column, with rowspan/colspan cells repeated where they reach."""

    rows: list[list[tuple[Cell, bool]]]  # (cell, carried from a cell above or to the left)


def _layout(rows: tuple[Row, ...]) -> _Grid:
    pending: dict[int, tuple[Cell, int]] = {}
    grid = []
    for row in rows:
        out: list[tuple[Cell, bool]] = []
        cells = list(row.cells)
        while cells or any(col >= len(out) for col in pending):
            col = len(out)
            if col in pending:
                cell, left = pending.pop(col)
                if left > 1:
                    pending[col] = (cell, left - 1)
                out.append((cell, True))
            elif cells:
                cell = cells.pop(0)
                for offset in range(cell.colspan):
                    out.append((cell, offset > 0))
                    if cell.rowspan > 1:
                        pending[col + offset] = (cell, cell.rowspan - 1)
            else:
                break
        grid.append(out)
    return _Grid(grid)


def _spans_the_table(row: Row, columns: list[str]) -> bool:
    """One cell across every column (colspan): a caption or note between rows, not an entry."""
    return len(row.cells) == 1 and row.cells[0].colspan > 1 and row.cells[0].colspan >= len(columns)


def _is_header(row: list[tuple[Cell, bool]]) -> bool:
    """Header cells (``!``/<th>), or a first row whose every cell is a known column name."""
    cells = [cell for cell, _ in row if cell.text]
    if cells and all(cell.header for cell in cells):
        return True
    return len(cells) >= 2 and all(header_kind(c.text) and type_fragment(c.fragments[0]).kind == "party" for c in cells)


@dataclass
class _TableState:
    table: Table
    kind: str
    role: str
    conference: int
    columns: list[str]
    continent: StatedPlace | None = None
    entries: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)


def read_tables(doc: Document) -> TablesRead:
    """Every table of the document read into records, with a report per table; a bullet
    list under a membership heading (成员, 前成员 …) in a section with no table is read as a
    one-column table of parties."""
    result = TablesRead()
    sections_with_tables = {t.section for t in doc.tables}
    lists = [
        bullets for bullets in doc.lists if role_of(bullets.section) and bullets.section not in sections_with_tables
    ]
    for index, bullets in enumerate(lists, start=len(doc.tables) + 1):
        rows = tuple(Row((Cell((item,), item.span),), item.span) for item in bullets.items)
        doc.tables.append(Table(index, bullets.section, rows, bullets.items[0].span))
    for table in doc.tables:
        _read_table(table, result)
    return result


def _read_table(table: Table, result: TablesRead) -> None:
    grid = _layout(table.rows)
    headers = grid.rows[:1] if grid.rows and _is_header(grid.rows[0]) else []
    columns = [header_kind(cell.text) for cell, _ in headers[0]] if headers else []
    conference = conference_of(table.section)
    role = "" if conference else role_of(table.section) or ("member" if {"year", "continent"} & set(columns) else "")
    kind = "attendance" if conference else "membership" if role else "unknown"
    state = _TableState(table, kind, role, conference[0] if conference else 0, columns)
    held = Conference(conference[0], conference[1], table.section, table.index, table.span) if conference else None
    if held:
        result.conferences.append(held)
    if kind == "unknown":
        result.diagnostics.append(
            diagnose(
                table.span,
                "warning",
                "unknown-table",
                f"table {table.index} under '{table.section}' is neither a conference's attendance nor a membership list; its rows are not read",
            )
        )
    data_rows = 0
    for number, (row, cells) in enumerate(zip(table.rows, grid.rows, strict=True), start=1):
        if headers and cells is headers[0]:
            continue
        data_rows += 1
        if _spans_the_table(row, columns):
            state.skipped.append((number, "note row across the table"))
            continue
        if kind == "unknown":
            state.skipped.append((number, "table not understood"))
            continue
        _read_row(state, RowRef(table.index, number, row.span), cells, result)
    header_names = tuple(columns)
    result.reports.append(
        TableReport(
            table.index,
            table.section,
            kind,
            table.span,
            role,
            held,
            header_names,
            data_rows,
            state.entries,
            tuple(state.skipped),
        )
    )


@dataclass
class _RowParts:
    parties: list[tuple[int, Typed]] = field(default_factory=list)
    places: list[tuple[int, Typed]] = field(default_factory=list)
    years: list[tuple[int, Typed]] = field(default_factory=list)
    notes: list[Typed] = field(default_factory=list)
    role: str = ""
    raw: list[str] = field(default_factory=list)
    warnings: list[tuple[Span, str, str]] = field(default_factory=list)


def _type_row(state: _TableState, cells: list[tuple[Cell, bool]]) -> _RowParts:
    parts = _RowParts()
    for col, (cell, carried) in enumerate(cells):
        for fragment in cell.fragments:
            typed = type_fragment(fragment)
            if typed.kind in ("continent", "country"):
                parts.places.append((col, typed))
            elif carried or typed.kind == "empty":
                continue
            elif typed.kind == "party":
                parts.parties.append((col, typed))
            elif typed.kind == "year":
                parts.years.append((col, typed))
            elif typed.kind == "note":
                parts.notes.append(typed)
            elif typed.kind == "role":
                parts.role = typed.role
            else:
                parts.raw.append(fragment.text or "".join(f"{{{{{t.name}}}}}" for t in fragment.templates))
                parts.warnings.append(
                    (fragment.span, "unknown-flag-template", f"unknown flag template {parts.raw[-1]}: kept as raw text")
                )
    _demote_stray_parties(state, parts)
    return parts


def _column(state: _TableState, col: int) -> str:
    return state.columns[col] if col < len(state.columns) else ""


def _demote_stray_parties(state: _TableState, parts: _RowParts) -> None:
    """When the party column holds a party, names in other columns are unreadable values of
    those columns (e.g. 不详 under 加入时间), not more parties."""
    in_place = [p for p in parts.parties if _column(state, p[0]) in ("party", "")]
    if not in_place:
        in_place = parts.parties[:1] if len({col for col, _ in parts.parties}) > 1 else parts.parties
    for col, typed in [p for p in parts.parties if p not in in_place]:
        header = _column(state, col)
        parts.raw.append(typed.fragment.text)
        message = f"cannot read '{typed.fragment.text}' as a {header or 'value'}: kept as raw text"
        parts.warnings.append((typed.fragment.span, f"unreadable-{header or 'cell'}", message))
    parts.parties = in_place


def _repairs(state: _TableState, parts: _RowParts, party: tuple[int, Typed]) -> tuple[str, ...]:
    """How this party's name and the row's year were found away from their columns."""
    repairs = []
    for col, typed in [party, *parts.years]:
        header = _column(state, col)
        if header and header != typed.kind:
            repairs.append(f"column {col + 1} ({header}) holds the {typed.kind}")
    return tuple(repairs)


def _read_row(state: _TableState, ref: RowRef, cells: list[tuple[Cell, bool]], result: TablesRead) -> None:
    parts = _type_row(state, cells)
    result.diagnostics.extend(diagnose(span, "warning", code, message) for span, code, message in parts.warnings)
    country = next((t.place for _, t in parts.places if t.kind == "country"), None)
    region = next((t.place for _, t in parts.places if t.kind == "continent"), None)
    if state.kind == "membership" and region is not None:
        state.continent = region
    if not parts.parties:
        _skip_row(state, ref, parts, region, result)
        return
    for party in parts.parties:
        entry = _entry(state, ref, parts, party, country, region, result)
        if isinstance(entry, Attendance):
            result.attendances.append(entry)
        elif isinstance(entry, Membership):
            result.memberships.append(entry)
        state.entries += 1


def _skip_row(
    state: _TableState, ref: RowRef, parts: _RowParts, region: StatedPlace | None, result: TablesRead
) -> None:
    if region is not None and not parts.years and not parts.raw:
        state.skipped.append((ref.row, f"continent heading {region.raw}"))
        return
    if not parts.places and not parts.years and not parts.raw:
        state.skipped.append((ref.row, "empty row"))
        return
    state.skipped.append((ref.row, "names no party"))
    result.diagnostics.append(
        diagnose(ref.span, "warning", "row-without-party", "row names no party or delegation; nothing read from it")
    )


class _EntryFields(TypedDict):
    party: PartyName
    row: RowRef
    country: StatedPlace | None
    delegation: bool
    repairs: tuple[str, ...]
    raw: tuple[str, ...]


def _entry(
    state: _TableState,
    ref: RowRef,
    parts: _RowParts,
    party: tuple[int, Typed],
    country: StatedPlace | None,
    region: StatedPlace | None,
    result: TablesRead,
) -> Entry:
    typed = party[1]
    assert typed.party is not None
    said = typed.place  # 来自X的代表团, or 劳动党（突尼斯）: the entry itself says where it is from
    if said is not None:
        country, region = (country or said, region) if said.kind != "region" else (country, said)
    common = _EntryFields(
        party=typed.party,
        row=ref,
        country=country,
        delegation=typed.delegation,
        repairs=_repairs(state, parts, party),
        raw=tuple(parts.raw),
    )
    if state.kind == "attendance":
        return Attendance(**common, region=region, conference=state.conference)
    notes = _notes(typed.party, parts)
    joined = (
        parts.years[0][1].year
        if parts.years
        else next((y for n in notes if (y := read_join_note(n, typed.party.span))), None)
    )
    end = _end_event(typed.party, [n for n in notes if read_join_note(n, typed.party.span) is None], result)
    return Membership(**common, role=parts.role or state.role, continent=state.continent, joined=joined, end=end)


def _notes(party: PartyName, parts: _RowParts) -> list[str]:
    """The bracketed notes of an entry: after its name, or in a cell of their own."""
    return ([party.note] if party.note else []) + [t.fragment.text.strip("()（）[]【】") for t in parts.notes]


def _end_event(party: PartyName, notes: list[str], result: TablesRead) -> EndEvent | None:
    """The end event the notes state; a note that states none is reported."""
    events = [(note, read_end_event(note, party.span)) for note in notes]
    for note, event in events:
        if event is None:
            message = f"note '{note}' states no end event this reader knows; kept as written"
            result.diagnostics.append(diagnose(party.span, "warning", "unread-note", message))
    return next((event for _, event in events if event), None)
