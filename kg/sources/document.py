"""The format-neutral shape both readers produce: headings, prose, tables, lists, infoboxes.

Everything carries a ``Span`` into the source text, so any record built from it can point
a person at the exact cell it came from. Both readers apply one template catalogue
(``kg/lexicon/templates.toml``), so a page written in wikitext and the same page converted by
pandoc give the same document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from kg.errors import Diagnostic
from kg.fold import fold
from kg.lexicon import InfoboxField, TemplateKind
from kg.records import Footnote
from kg.spans import Span


@dataclass(frozen=True)
class Link:
    """A link to a wiki page: the page title it points to and the text it shows."""

    target: str  # normalised page title ("" for an external link)
    text: str
    span: Span
    url: str = ""  # external links only
    at: int = 0  # offset of the link's text inside the plain text that holds it
    english: str = ""  # an interlanguage link template's English title


@dataclass(frozen=True)
class Template:
    """A template call as the catalogue reads it: a flag ({{flag|阿富汗}}), a wrapper whose
    text is already in the fragment ({{lang-en|…}}), a hatnote, or one it does not know."""

    name: str
    args: tuple[str, ...]
    span: Span
    kind: TemplateKind | None = None  # None: not in the catalogue

    @property
    def is_flag(self) -> bool:
        return self.kind == "country"


@dataclass(frozen=True)
class Fragment:
    """Plain text with the links and templates inside it (one line of a cell, a paragraph)."""

    text: str
    span: Span
    links: tuple[Link, ...] = ()
    templates: tuple[Template, ...] = ()
    bold: tuple[tuple[str, Span], ...] = ()  # bold runs: text and where it is written


@dataclass(frozen=True)
class Cell:
    """A table cell: its fragments are the parts separated by line breaks (<br />)."""

    fragments: tuple[Fragment, ...]
    span: Span
    header: bool = False
    rowspan: int = 1
    colspan: int = 1

    @property
    def text(self) -> str:
        return " ".join(f.text for f in self.fragments if f.text)


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    span: Span


def with_content(rows: tuple[Row, ...]) -> tuple[Row, ...]:
    """The rows that hold anything: MediaWiki shows no row for a |- with empty cells, while
    pandoc writes one (a grid row of blank cells), so neither format counts them."""
    return tuple(row for row in rows if any(cell.fragments for cell in row.cells))


@dataclass(frozen=True)
class Heading:
    title: str
    level: int
    span: Span
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class Table:
    """A table, or a bullet list read as a table of one column, with the headings above it
    (outermost first) and the prose of its section written before it."""

    rows: tuple[Row, ...]
    span: Span
    headings: tuple[Heading, ...]
    prose: tuple[Fragment, ...] = ()
    is_list: bool = False

    @property
    def section(self) -> str:
        return self.headings[-1].title if self.headings else ""


@dataclass(frozen=True)
class Section:
    """A section's title and its prose (the lead has level 0 and no title)."""

    title: str
    level: int
    span: Span
    paragraphs: tuple[Fragment, ...] = ()
    heading: Heading | None = None


@dataclass(frozen=True)
class InfoboxParam:
    field: InfoboxField
    name: str  # as written
    values: tuple[Fragment, ...]  # one per line (<br />, list items)
    span: Span


@dataclass(frozen=True)
class Infobox:
    name: str
    span: Span
    params: tuple[InfoboxParam, ...]


@dataclass
class Document:
    """What a reader found in one file, before any interpretation."""

    path: str
    format: str  # "wikitext" or "markdown"
    sections: list[Section] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)  # tables and bullet lists, in reading order
    infoboxes: list[Infobox] = field(default_factory=list)
    categories: list[Link] = field(default_factory=list)
    external_links: list[Link] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


EXTERNAL_LINK_SECTIONS = ("外部链接", "外部连接")


def collect_external_links(doc: Document) -> None:
    """URLs in the external-links section, in its prose or its bullet list."""
    for section in doc.sections:
        if fold(section.title) in EXTERNAL_LINK_SECTIONS:
            doc.external_links.extend(link for f in section.paragraphs for link in f.links if link.url)
    for table in doc.tables:
        if table.is_list and fold(table.section) in EXTERNAL_LINK_SECTIONS:
            cells = (cell for row in table.rows for cell in row.cells)
            doc.external_links.extend(link for c in cells for f in c.fragments for link in f.links if link.url)


SpanKind = Literal["rowspan", "colspan"]
# The HTML standard's limits on spans: what a browser (and so a reader of the article) shows.
SPAN_LIMITS: dict[SpanKind, int] = {"colspan": 1000, "rowspan": 65534}
_LEADING_DIGITS = re.compile(r"[ \t\n\f\r]*\+?([0-9]+)")


def span_attribute(value: str | None, kind: SpanKind) -> int:
    """A rowspan or colspan as HTML's rules for non-negative integers read it: ASCII digits
    after any space ("2px" is 2; "²", "two", "-1" or nothing is 1), at most the HTML limit;
    rowspan 0 reaches the table's end, as in HTML, so it is the limit."""
    limit = SPAN_LIMITS[kind]
    match = _LEADING_DIGITS.match(value or "")
    if match is None:
        return 1
    digits = match.group(1).lstrip("0")
    if not digits:
        return limit if kind == "rowspan" else 1
    return limit if len(digits) > len(str(limit)) else min(int(digits), limit)


class Headings:
    """The chain of headings above the current point, outermost first."""

    def __init__(self) -> None:
        self.chain: tuple[Heading, ...] = ()

    def enter(self, heading: Heading) -> None:
        self.chain = (*(h for h in self.chain if h.level < heading.level), heading)


class FragmentBuilder:
    """Collects plain text with its links, templates and bold runs, then freezes them."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.links: list[Link] = []
        self.templates: list[Template] = []
        self.bold: list[tuple[str, Span]] = []
        self._length = 0
        self._has_text = False

    def add_text(self, text: str) -> None:
        self.parts.append(text)
        self._length += len(text)
        self._has_text = self._has_text or (not text.isspace() and bool(text))

    def add_link(self, link: Link) -> None:
        self.links.append(Link(link.target, link.text, link.span, link.url, self._length, link.english))
        self.add_text(link.text)

    def add_bold(self, text: str, span: Span) -> None:
        self.bold.append((" ".join(text.split()), span))

    def text_so_far(self) -> str:
        return "".join(self.parts)

    def mark(self) -> int:
        """A place in the text so far, for ``text_since`` (cheap: bold inside bold inside …
        must not join the whole text at every level)."""
        return len(self.parts)

    def text_since(self, mark: int) -> str:
        return "".join(self.parts[mark:])

    def empty(self) -> bool:
        return not self._has_text and not self.links and not self.templates

    def build(self, span: Span) -> Fragment:
        """The fragment, with its text trimmed and spacing folded, link offsets moved to match."""
        raw = "".join(self.parts)
        text, offsets = _squeeze(raw)
        links = tuple(
            Link(x.target, x.text, x.span, x.url, offsets[min(x.at, len(raw))], x.english) for x in self.links
        )
        return Fragment(text, span, links, tuple(self.templates), tuple(self.bold))


def _squeeze(raw: str) -> tuple[str, list[int]]:
    """``raw`` trimmed with each run of whitespace as one space, and where each offset of
    ``raw`` lands in it (so a link found at offset n in ``raw`` can be found again)."""
    out: list[str] = []
    offsets: list[int] = []
    pending_space = False
    for char in raw:
        if char.isspace():
            pending_space = bool(out)
            offsets.append(len(out) + (1 if pending_space else 0))
            continue
        if pending_space:
            out.append(" ")
            pending_space = False
        offsets.append(len(out))
        out.append(char)
    offsets.append(len(out))
    return "".join(out), offsets
