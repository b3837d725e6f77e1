"""Typed records read from one article, each pointing back at its source span.

Records say only what the article says. Resolution (countries inferred from evidence,
one key per real party) happens in ``kg.resolve`` and never changes these records.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.errors import Diagnostic
from kg.spans import Span


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
    """A country or region as a row states it, resolved to an ISO or UN M49 code."""

    code: str
    kind: str  # "country", "historic" (ISO 3166-3) or "region" (M49)
    raw: str  # as written: the template call or the cell text
    evidence: str  # "flag-template", "cell-text" or "continent-heading"
    span: Span


@dataclass(frozen=True)
class PartyName:
    """A party as one cell names it: displayed name and the wiki page it links to."""

    name: str
    link: str | None  # page title, None when the name is not linked
    span: Span
    note: str = ""  # a bracketed note written after the name, as written


@dataclass(frozen=True)
class EndEvent:
    """How a membership ended, from a note such as （2002年左右停止活动）."""

    kind: str  # "expelled", "ceased", "withdrew" or "replaced-by"
    year: Year | None
    replaced_by: str | None
    raw: str
    span: Span


@dataclass(frozen=True)
class RowRef:
    table: int  # 1-based table number in the article
    row: int  # 1-based row number inside the table, header rows included
    span: Span


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
    role: str  # "member", "observer" or "former"
    continent: StatedPlace | None = None
    joined: Year | None = None
    end: EndEvent | None = None


@dataclass(frozen=True, kw_only=True)
class Attendance(Entry):
    conference: int  # ordinal of the conference


@dataclass(frozen=True)
class Conference:
    ordinal: int
    year: int
    heading: str
    table: int
    span: Span


@dataclass(frozen=True)
class Publication:
    title: str
    english: str
    span: Span


@dataclass(frozen=True)
class Organisation:
    """The organisation an article is about, with the facts its prose states."""

    name: str
    span: Span
    kind: str  # "international" or "organisation"
    abbreviation: str = ""
    english_name: str = ""
    other_names: tuple[str, ...] = ()
    founded: str = ""  # ISO date, as precise as the text: "1994-08", "2010-10-06"
    founding_place: str = ""
    country: StatedPlace | None = None
    defunct: bool = False
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
    """What became of each row of one table."""

    index: int
    section: str
    kind: str  # "attendance", "membership" or "unknown"
    span: Span
    role: str  # membership tables: the role the section gives its rows
    conference: Conference | None
    columns: tuple[str, ...]  # what each column's header says it holds
    rows: int  # data rows read (header rows not counted)
    entries: int
    skipped: tuple[tuple[int, str], ...] = ()  # (row number, why it yields no entry)


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
