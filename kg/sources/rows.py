"""One table row read into its parts (parties, places, years, notes, role) and into entries.

Shared by every kind of table: each cell's fragments are typed by content with the column's
header as a hint (``kg.sources.cells``); names found away from their header's column are
repairs, and are recorded as such.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TypedDict

from kg.errors import Diagnostic
from kg.lexicon import ColumnKind, Role
from kg.records import EndEvent, PartyName, RowRef, StatedPlace, Year
from kg.sources.cells import Typed, as_party, split_parties, type_fragment
from kg.sources.document import Fragment
from kg.sources.grid import Grid, Placed
from kg.sources.notes import read_note
from kg.spans import Span, diagnose

# Columns whose names are parties (the row's parties), and columns whose names are another
# kind of party: 主办政党 (the conference's host).
# Columns whose header says they name the row's parties.
NAMING_COLUMNS: frozenset[ColumnKind | None] = frozenset({"party", "participants", "host"})
# Columns that give the row's party another name.
NAME_COLUMNS: frozenset[ColumnKind | None] = frozenset({"abbreviation", "english", "native"})
# Columns that hold nothing an entry records: people (代表团团长).
UNREAD_COLUMNS: frozenset[ColumnKind | None] = frozenset({"person"})


@dataclass
class RowParts:
    parties: list[tuple[int, Typed]] = field(default_factory=list)
    places: list[tuple[int, Typed]] = field(default_factory=list)
    years: list[tuple[int, Typed]] = field(default_factory=list)
    notes: list[tuple[int, Typed]] = field(default_factory=list)
    role: Role | None = None
    unknown_places: list[tuple[int, Typed]] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)
    warnings: list[tuple[Span, str, str]] = field(default_factory=list)

    @property
    def country(self) -> StatedPlace | None:
        return next((t.place for _, t in self.places if t.kind == "country"), None)

    @property
    def region(self) -> StatedPlace | None:
        return next((t.place for _, t in self.places if t.kind == "continent"), None)

    def region_in(self, grid: Grid, continent: bool) -> StatedPlace | None:
        """The row's region under a continent column (大洲) or under any other (地区)."""
        found = (
            t.place for c, t in self.places if t.kind == "continent" and (grid.column(c) == "continent") == continent
        )
        return next(found, None)


def typed_fragments(fragment: Fragment, column: ColumnKind | None) -> list[Typed]:
    typed = type_fragment(fragment, column)
    if typed.kind != "party":
        return [typed]
    parts = split_parties(fragment)
    return [typed] if len(parts) == 1 else [type_fragment(part, column) for part in parts]


def type_row(grid: Grid, cells: tuple[Placed, ...]) -> RowParts:
    parts = RowParts()
    names: dict[ColumnKind, str] = {}
    for col, placed in enumerate(cells):
        column = grid.column(col)
        if column in UNREAD_COLUMNS:
            continue
        if column is not None and column in NAME_COLUMNS:
            names.setdefault(column, placed.cell.text)
            continue
        for fragment in placed.cell.fragments:
            for typed in typed_fragments(fragment, column):
                _add(parts, col, typed, placed.carried)
    _settle_unknown_places(parts)
    _demote_stray_parties(grid, parts)
    _add_names(parts, names)
    return parts


def _add_names(parts: RowParts, names: dict[ColumnKind, str]) -> None:
    """A short name (简称) or an own-language name (英文名称) column names the row's one party."""
    if len(parts.parties) != 1 or not any(names.values()):
        return
    col, typed = parts.parties[0]
    if typed.party is None:
        return
    party = replace(
        typed.party,
        abbreviation=typed.party.abbreviation or names.get("abbreviation", ""),
        english_name=typed.party.english_name or names.get("english", ""),
        foreign=typed.party.foreign or names.get("native", ""),
    )
    parts.parties[0] = (col, replace(typed, party=party))


def _settle_unknown_places(parts: RowParts) -> None:
    """Unknown text under a country column: the row's party when it names no other (its cells
    shifted), else an unknown place, reported and never a party."""
    if not parts.parties:
        parts.parties.extend((col, as_party(typed)) for col, typed in parts.unknown_places)
    else:
        for _, typed in parts.unknown_places:
            _add_unread(parts, typed)
    parts.unknown_places.clear()


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _foreign_name(parts: RowParts, col: int, typed: Typed) -> bool:
    """A line with no Chinese under a party's name in the same cell is that party's name in its
    own language ([[威尔士党]]<br><small>Plaid Cymru</small>), not a second party."""
    if not parts.parties or parts.parties[-1][0] != col or _CJK.search(typed.fragment.text):
        return False
    previous_col, previous = parts.parties[-1]
    if previous.party is None or not _CJK.search(previous.party.name):
        return False
    party = replace(previous.party, foreign=previous.party.foreign or typed.fragment.text)
    parts.parties[-1] = (previous_col, replace(previous, party=party))
    return True


def _add(parts: RowParts, col: int, typed: Typed, carried: bool) -> None:
    if typed.kind in ("continent", "country"):
        parts.places.append((col, typed))
    elif carried or typed.kind == "empty":
        return
    elif typed.kind == "party":
        if not _foreign_name(parts, col, typed):
            parts.parties.append((col, typed))
    elif typed.kind == "year":
        parts.years.append((col, typed))
    elif typed.kind == "note":
        parts.notes.append((col, typed))
    elif typed.kind == "role":
        parts.role = typed.role
    elif typed.kind == "unknown-place":
        parts.unknown_places.append((col, typed))
    else:
        _add_unread(parts, typed)


# What a row reports of a cell it cannot read (an unknown template is reported by the reader,
# which names it, so the row only keeps its text).
_UNREAD_MESSAGES = {
    "unknown-template": ("", ""),
    "unknown-place": (
        "unknown-place",
        "'{text}' under a country column names no place this reader knows: kept as raw text, not a party",
    ),
    "unknown-role": (
        "unknown-role",
        "'{text}' under a status column is no role of kg/lexicon/roles.toml: kept as raw text",
    ),
}


def _add_unread(parts: RowParts, typed: Typed) -> None:
    fragment = typed.fragment
    text = fragment.text or "".join(f"{{{{{t.name}}}}}" for t in fragment.templates)
    code, message = _UNREAD_MESSAGES[typed.kind]
    parts.raw.append(text)
    if code:
        parts.warnings.append((fragment.span, code, message.format(text=text)))


def _demote_stray_parties(grid: Grid, parts: RowParts) -> None:
    """One column names the row's parties: the party column if one holds a party, else the
    first column that does. Names in other columns are unreadable values of those columns
    (不详 under 加入时间), or, written in Latin script, the party's own name; never more parties."""
    explicit = [p for p in parts.parties if grid.column(p[0]) in NAMING_COLUMNS]
    first = min((col for col, _ in parts.parties), default=0)
    in_place = explicit or [p for p in parts.parties if p[0] == first]
    for col, typed in [p for p in parts.parties if p not in in_place]:
        header = grid.column(col)
        if header in ("note", "english", "native", "abbreviation"):
            continue  # a note, an English name or a short name is not a second party
        if len(in_place) == 1 and not _CJK.search(typed.fragment.text):
            _, named = in_place[0]
            if named.party is not None and not named.party.foreign:
                in_place[0] = (in_place[0][0], replace(named, party=replace(named.party, foreign=typed.fragment.text)))
            continue
        parts.raw.append(typed.fragment.text)
        message = f"cannot read '{typed.fragment.text}' as a {header or 'value'}: kept as raw text"
        parts.warnings.append((typed.fragment.span, f"unreadable-{header or 'cell'}", message))
    parts.parties = in_place


def repairs(grid: Grid, parts: RowParts, party: tuple[int, Typed]) -> tuple[str, ...]:
    """How this party's name and the row's year were found away from their columns."""
    found = []
    for col, typed in [party, *parts.years]:
        header = grid.column(col)
        expected = {"party": ("party", "participants", "host"), "year": ("year",)}[typed.kind]
        if header and header not in expected:
            found.append(f"column {col + 1} ({header}) holds the {typed.kind}")
    return tuple(found)


def warn(parts: RowParts, diagnostics: list[Diagnostic]) -> None:
    diagnostics.extend(diagnose(span, "warning", code, message) for span, code, message in parts.warnings)


class EntryFields(TypedDict):
    party: PartyName
    row: RowRef
    country: StatedPlace | None
    delegation: bool
    repairs: tuple[str, ...]
    raw: tuple[str, ...]


def entry_fields(
    grid: Grid, ref: RowRef, parts: RowParts, party: tuple[int, Typed], country: StatedPlace | None
) -> tuple[EntryFields, StatedPlace | None]:
    """The fields every entry has, and the region its own words state (来自南亚的组织)."""
    typed = party[1]
    assert typed.party is not None
    region = None
    said = typed.place  # 来自X的代表团, or 劳动党（突尼斯）: the entry itself says where it is from
    if said is not None:
        country, region = (country or said, None) if not said.is_region else (country, said)
    fields = EntryFields(
        party=typed.party,
        row=ref,
        country=country,
        delegation=typed.delegation,
        repairs=repairs(grid, parts, party),
        raw=tuple(parts.raw),
    )
    return fields, region


@dataclass(frozen=True)
class MembershipNotes:
    joined: Year | None
    end: EndEvent | None
    unread: tuple[str, ...]


def notes_of(party: PartyName, parts: RowParts) -> list[str]:
    """The notes of an entry: after its name, or in a cell of their own."""
    own = [party.note] if party.note else []
    return own + [_unbracketed(t.fragment.text) for _, t in parts.notes]


def _unbracketed(text: str) -> str:
    """（2008年被开除） → 2008年被开除; 2004年并入X（毛主义） keeps the brackets of the name."""
    text = text.strip()
    if text[:1] in "(（[【" and text[-1:] in ")）]】" and not any(c in "(（[【)）]】" for c in text[1:-1]):
        return text[1:-1]
    return text


def read_notes(party: PartyName, parts: RowParts) -> MembershipNotes:
    """When a membership began and how it ended, as the notes say; notes that say neither."""
    joined = parts.years[0][1].year if parts.years else None
    end, unread = None, []
    for note in notes_of(party, parts):
        found = read_note(note, party.span)
        if found is None:
            unread.append(note)
            continue
        joined = joined or found.joined
        end = end or found.end
    return MembershipNotes(joined, end, tuple(unread))
