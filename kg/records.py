"""Typed records read from one article, each pointing back at its source span.

Records say only what the article says. Resolution (countries inferred from evidence,
one key per real party) happens in ``kg.resolve`` and never changes these records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from kg.errors import Diagnostic
from kg.geo import PlaceKind
from kg.lexicon import EndKind
from kg.spans import Span

__all__ = ["PlaceKind"]
PlaceEvidence = Literal["flag-template", "cell-text", "link", "heading", "continent-heading", "lead-text", "name-note"]
ConferenceKind = Literal["regular", "founding", "preparatory"]
DateSource = Literal["heading", "date-column", "prose", "row", "none"]
TableKind = Literal["attendance", "membership", "conferences", "other", "unknown"]
OrganisationKind = Literal["international", "organisation"]


@dataclass(frozen=True)
class Footnote:
    label: str
    text: str
    span: Span
    urls: tuple[str, ...] = ()


@dataclass(frozen=True)
class Year:
    value: int
    approximate: bool
    raw: str
    span: Span


@dataclass(frozen=True)
class StatedPlace:
    """A place as a row states it: a country or historic state (ISO 3166-1/-3), a sub-national
    place (ISO 3166-2), an area with no code of its own (库尔德斯坦), or a UN M49 region."""

    code: str
    kind: PlaceKind
    raw: str  # as written: the template call or the cell text
    evidence: PlaceEvidence
    span: Span

    @property
    def is_region(self) -> bool:
        return self.kind == "region"


@dataclass(frozen=True)
class PartyName:
    """A party as one cell names it: displayed name and the wiki page it links to."""

    name: str
    link: str | None  # page title, None when the name is not linked
    span: Span
    note: str = ""  # a note written after the name, as written
    english: str = ""  # the English Wikipedia title an interlanguage link template gives
    foreign: str = ""  # its own name in Latin script: a line under the name in its cell, or a 原名 column (Plaid Cymru)
    english_name: str = ""  # from an English-name column (英文名称)
    abbreviation: str = ""  # from a 简称 column (AKEL)


@dataclass(frozen=True)
class EndEvent:
    """How a membership ended, from a note such as （2002年左右停止活动）."""

    kind: EndKind
    year: Year | None
    other: str | None  # merged into, renamed to, replaced by: the other party's name
    raw: str
    span: Span


@dataclass(frozen=True)
class RowRef:
    table: int  # 1-based number of the table (or list) in the article, in reading order
    row: int  # 1-based row number inside the table, header rows included
    span: Span


@dataclass(frozen=True)
class ConferenceId:
    """What identifies a conference within its international: its ordinal if stated, its
    year (and month) and place if stated, and whether it is a founding or preparatory meeting."""

    ordinal: int | None
    year: int | None
    month: int | None = None
    day: int | None = None  # two meetings in one month (1957年11月14日, 11月16日) are two
    place: str = ""
    kind: ConferenceKind = "regular"
    # Only for a conference the article states nothing of: the file and table it heads.
    source: str = ""
    table: int = 0


@dataclass(frozen=True, kw_only=True)
class Entry:
    """One party (or anonymous delegation) named in one table row."""

    party: PartyName
    row: RowRef
    country: StatedPlace | None = None
    region: StatedPlace | None = None  # a stated place that is not a country
    delegation: bool = False  # e.g. 来自南亚的组织: a delegation, not a named party
    repairs: tuple[str, ...] = ()  # how misplaced cells were read
    raw: tuple[str, ...] = ()  # parts of the row that could not be read


@dataclass(frozen=True, kw_only=True)
class Membership(Entry):
    role: str  # a role id of kg/lexicon/roles.toml
    continent: StatedPlace | None = None
    joined: Year | None = None
    end: EndEvent | None = None


@dataclass(frozen=True, kw_only=True)
class Attendance(Entry):
    conference: ConferenceId
    host: bool = False  # named as the conference's host (主办政党), not in a list of attendees


@dataclass(frozen=True)
class Conference:
    id: ConferenceId
    heading: str  # the heading (or row) that names it, as written
    table: int
    span: Span
    date_source: DateSource = "heading"


@dataclass(frozen=True)
class Publication:
    title: str
    english: str
    span: Span


@dataclass(frozen=True)
class Organisation:
    """The organisation an article is about, with the facts its prose and infobox state."""

    name: str
    span: Span
    kind: OrganisationKind
    abbreviation: str = ""
    english_name: str = ""
    other_names: tuple[str, ...] = ()
    founded: str = ""  # ISO date, as precise as the text: "1994-08", "2010-10-06"
    founding_place: str = ""
    country: StatedPlace | None = None
    defunct: bool = False
    dissolved: str = ""  # ISO date, as precise as the text
    headquarters: str = ""
    website: str = ""
    affiliations: tuple[str, ...] = ()  # internationals it belongs to (page titles where linked)
    former_names: tuple[str, ...] = ()
    renamed_year: int = 0
    predecessors: tuple[str, ...] = ()
    publications: tuple[Publication, ...] = ()
    ideologies: tuple[str, ...] = ()
    opposes: tuple[str, ...] = ()
    distinguished_from: tuple[str, ...] = ()  # pages of other organisations of the same name
    categories: tuple[str, ...] = ()
    external_links: tuple[str, ...] = ()
    fact_spans: tuple[tuple[str, Span], ...] = ()  # where each fact was read


@dataclass(frozen=True)
class TableReport:
    """What a table (or member list) is, and what became of each of its rows."""

    index: int
    section: str  # the nearest heading, as written
    kind: TableKind
    span: Span
    role: str  # membership tables: the role the headings give its rows
    conference: Conference | None
    columns: tuple[str, ...]  # what each column's header says it holds
    rows: int  # data rows in the source (header rows not counted)
    entries: int
    kept: int = 0  # data rows that gave at least one entry
    skipped: tuple[tuple[int, str], ...] = ()  # (row number, why it yields no entry)
    why: str = ""  # what made the table this kind


@dataclass(frozen=True)
class SourceInfo:
    """What a source directory's sources.toml says of one file; all optional."""

    title: str = ""
    url: str = ""
    licence: str = ""
    retrieved: str = ""  # ISO date the text was taken


@dataclass
class Article:
    """Everything read from one source file."""

    path: str
    format: str
    organisation: Organisation
    source: SourceInfo = field(default_factory=SourceInfo)
    conferences: list[Conference] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    attendances: list[Attendance] = field(default_factory=list)
    tables: list[TableReport] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def entries(self) -> list[Entry]:
        return [*self.attendances, *self.memberships]
