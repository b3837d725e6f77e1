"""One table row read into its parts (parties, places, years, notes, role) and into entries.

Shared by every kind of table: each cell's fragments are typed by content with the column's
header as a hint (``kg.sources.cells``); names found away from their header's column are
repairs, and are recorded as such.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
PARTY_COLUMNS: frozenset[ColumnKind | None] = frozenset({"party", "participants", None})


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


def typed_fragments(fragment: Fragment, column: ColumnKind | None) -> list[Typed]:
    typed = type_fragment(fragment, column)
    if typed.kind != "party":
        return [typed]
    parts = split_parties(fragment)
    return [typed] if len(parts) == 1 else [type_fragment(part, column) for part in parts]


def type_row(grid: Grid, cells: tuple[Placed, ...]) -> RowParts:
    parts = RowParts()
    for col, placed in enumerate(cells):
        column = grid.column(col)
        for fragment in placed.cell.fragments:
            for typed in typed_fragments(fragment, column):
                _add(parts, col, typed, placed.carried)
    _settle_unknown_places(parts)
    _demote_stray_parties(grid, parts)
    return parts


def _settle_unknown_places(parts: RowParts) -> None:
    """Unknown text under a country column: the row's party when it names no other (its cells
    shifted), else an unknown place, reported and never a party."""
    if not parts.parties:
        parts.parties.extend((col, as_party(typed)) for col, typed in parts.unknown_places)
    else:
        for _, typed in parts.unknown_places:
            _add_unread(parts, typed)
    parts.unknown_places.clear()


def _add(parts: RowParts, col: int, typed: Typed, carried: bool) -> None:
    if typed.kind in ("continent", "country"):
        parts.places.append((col, typed))
    elif carried or typed.kind == "empty":
        return
    elif typed.kind == "party":
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
    "unknown-place": ("unknown-place", "'{text}' under a country column names no place this reader knows: kept as raw text, not a party"),
    "unknown-role": ("unknown-role", "'{text}' under a status column is no role of kg/lexicon/roles.toml: kept as raw text"),
}


def _add_unread(parts: RowParts, typed: Typed) -> None:
    fragment = typed.fragment
    text = fragment.text or "".join(f"{{{{{t.name}}}}}" for t in fragment.templates)
    code, message = _UNREAD_MESSAGES[typed.kind]
    parts.raw.append(text)
    if code:
        parts.warnings.append((fragment.span, code, message.format(text=text)))


def _demote_stray_parties(grid: Grid, parts: RowParts) -> None:
    """When the party column holds a party, names in other columns are unreadable values of
    those columns (e.g. 不详 under 加入时间), not more parties."""
    in_place = [p for p in parts.parties if grid.column(p[0]) in PARTY_COLUMNS | {"host"}]
    if not in_place:
        in_place = parts.parties[:1] if len({col for col, _ in parts.parties}) > 1 else parts.parties
    for col, typed in [p for p in parts.parties if p not in in_place]:
        header = grid.column(col)
        if header in ("note", "english"):
            continue  # an English name or a note column holding a name is not a second party
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
    return own + [t.fragment.text.strip("()（）[]【】") for _, t in parts.notes]


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
