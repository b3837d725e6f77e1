"""The format-neutral shape both readers produce: prose, tables, cells, links, templates.

Everything carries a ``Span`` into the source text, so any record built from it can point
a person at the exact cell it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.errors import Diagnostic
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


@dataclass(frozen=True)
class Template:
    """A template call such as {{flag|阿富汗}}: its name and positional arguments."""

    name: str
    args: tuple[str, ...]
    span: Span


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


@dataclass(frozen=True)
class Table:
    """A table with the heading of the section it stands in."""

    index: int  # 1-based, in document order
    section: str
    rows: tuple[Row, ...]
    span: Span


@dataclass(frozen=True)
class Section:
    """A section's title and its prose (the lead has level 0 and no title)."""

    title: str
    level: int
    span: Span
    paragraphs: tuple[Fragment, ...] = ()


@dataclass(frozen=True)
class BulletList:
    """Consecutive bullet items (* or -) of one section, each item one fragment."""

    section: str
    items: tuple[Fragment, ...]
    span: Span


@dataclass
class Document:
    """What a reader found in one file, before any interpretation."""

    path: str
    format: str  # "wikitext" or "markdown"
    sections: list[Section] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    lists: list[BulletList] = field(default_factory=list)
    categories: list[Link] = field(default_factory=list)
    external_links: list[Link] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


class FragmentBuilder:
    """Collects plain text with its links, templates and bold runs, then freezes them."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.links: list[Link] = []
        self.templates: list[Template] = []
        self.bold: list[tuple[str, Span]] = []
        self._length = 0

    def add_text(self, text: str) -> None:
        self.parts.append(text)
        self._length += len(text)

    def add_link(self, link: Link) -> None:
        self.links.append(Link(link.target, link.text, link.span, link.url, self._length))
        self.add_text(link.text)

    def add_bold(self, text: str, span: Span) -> None:
        self.bold.append((" ".join(text.split()), span))

    def empty(self) -> bool:
        return not "".join(self.parts).strip() and not self.links and not self.templates

    def build(self, span: Span) -> Fragment:
        """The fragment, with its text trimmed and the link offsets moved to match."""
        raw = "".join(self.parts)
        cut = len(raw) - len(raw.lstrip())
        links = tuple(Link(x.target, x.text, x.span, x.url, max(0, x.at - cut)) for x in self.links)
        return Fragment(raw.strip(), span, links, tuple(self.templates), tuple(self.bold))
