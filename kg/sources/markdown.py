"""Pandoc Markdown with HTML tables (zh.wikipedia articles as pandoc converts them) → Document.

Tables are read with the standard library's HTML parser, which reports the line and column
of every tag, so cell spans are exact. Prose is read by a small inline tokenizer: pandoc
wraps lines only at spaces, so a newline inside a paragraph stands for one space.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

from kg.errors import SourceError
from kg.fold import fold
from kg.records import Footnote
from kg.sources.document import (
    BulletList,
    Cell,
    Document,
    Fragment,
    FragmentBuilder,
    Link,
    Row,
    Section,
    Table,
)
from kg.sources.titles import namespace, wiki_target
from kg.spans import SourceText, diagnose

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")
_TABLE_START = re.compile(r"^[ \t]*<table\b", re.IGNORECASE)
_TABLE_END = re.compile(r"</table\s*>", re.IGNORECASE)
_FOOTNOTE_ITEM = re.compile(r"^(\d+)\.(?:[ \t]+|$)", re.MULTILINE)
_INLINE = re.compile(
    r"""(?P<link>!?\[(?P<text>(?:\\.|[^\]\\])*)\]\((?P<href><[^>\n]*>|(?:\\.|[^()\s\\]|\((?:\\.|[^()\s\\])*\))+)(?:\s+"(?P<title>[^"]*)")?\))
      |\*\*(?P<bold>.+?)\*\*
      |\\\[(?P<note>\d+)\\\]
      |\\(?P<escaped>.)
      |(?P<newline>[ \t]*\n[ \t]*)""",
    re.VERBOSE | re.DOTALL,
)


class _Inline:
    """Reads one block of Markdown prose into a fragment builder."""

    def __init__(self, source: SourceText, doc: Document) -> None:
        self.source, self.doc = source, doc

    def read(self, start: int, end: int) -> Fragment:
        builder = FragmentBuilder()
        self.feed(builder, start, end)
        return builder.build(self.source.stripped_span(start, end))

    def feed(self, builder: FragmentBuilder, start: int, end: int) -> None:
        text = self.source.text
        cursor = start
        for match in _INLINE.finditer(text, start, end):
            builder.add_text(text[cursor : match.start()])
            cursor = match.end()
            if match.group("link"):
                self.add_link(builder, match)
            elif match.group("bold"):
                before = len("".join(builder.parts))
                self.feed(builder, match.start("bold"), match.end("bold"))
                builder.add_bold("".join(builder.parts)[before:], self.source.span(match.start(), match.end()))
            elif match.group("escaped"):
                builder.add_text(match.group("escaped"))
            elif match.group("newline") is not None:
                builder.add_text(" ")
        builder.add_text(text[cursor:end])

    def add_link(self, builder: FragmentBuilder, match: re.Match[str]) -> None:
        href = match.group("href").strip("<>")
        span = self.source.span(match.start(), match.end())
        inner = FragmentBuilder()
        self.feed(inner, match.start("text"), match.end("text"))
        label = " ".join("".join(inner.parts).split())
        target = wiki_target(href)
        if target is None:
            builder.add_link(Link("", label, span, href))
            return
        space, name = namespace(target)
        if space == "category":
            self.doc.categories.append(Link(name, name, span))
        elif space != "file" and not match.group("link").startswith("!"):
            builder.add_link(Link(target, label, span))


class _TableParser(HTMLParser):
    """Rows and cells of one HTML table, each cell split at <br> into fragments."""

    def __init__(self, source: SourceText, doc: Document, start: int) -> None:
        super().__init__(convert_charrefs=True)
        self.source, self.doc = source, doc
        self._line_base = source.span(start, start).line
        self.rows: list[Row] = []
        self._cells: list[Cell] | None = None
        self._row_start = 0
        self._cell: dict[str, object] | None = None
        self._builder = FragmentBuilder()
        self._fragments: list[Fragment] = []
        self._fragment_start = 0
        self._href: str | None = None
        self._anchor_start = 0
        self._anchor_text: list[str] = []

    def position(self) -> int:
        line, col = self.getpos()
        return self.source.line_offset(self._line_base + line - 1) + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        at = self.position()
        after = at + len(self.get_starttag_text() or "")
        if tag == "tr":
            if self._cells is not None:
                self.close_row(at, implicit=True)
            self._cells, self._row_start = [], at
        elif tag in ("td", "th"):
            if self._cell is not None:
                self.close_cell(at)
            if self._cells is None:
                self._cells, self._row_start = [], at
            spans = {k: int(v) for k, v in attrs if k in ("rowspan", "colspan") and v and v.isdigit() and int(v) > 0}
            self._cell = {"header": tag == "th", "start": after, **spans}
            self._fragments, self._builder, self._fragment_start = [], FragmentBuilder(), after
        elif tag == "br" and self._cell is not None:
            self.finish_fragment(at, after)
        elif tag == "p" and self._cell is not None and not self._builder.empty():
            self.finish_fragment(at, at)  # a second paragraph in one cell is a line of its own
        elif tag == "a" and self._cell is not None:
            self._href, self._anchor_start, self._anchor_text = dict(attrs).get("href") or "", at, []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        at = self.position()
        if tag in ("td", "th") and self._cell is not None:
            self.close_cell(at)
        elif tag == "tr" and self._cells is not None:
            self.close_row(at + len("</tr>"), implicit=False)
        elif tag == "a" and self._href is not None:
            self.close_anchor(at + len("</a>"))
        elif tag == "table" and self._cells is not None:
            self.close_row(at, implicit=True)

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._anchor_text.append(data)
        elif self._cell is not None:
            self._builder.add_text(data)

    def close_anchor(self, end: int) -> None:
        label = " ".join("".join(self._anchor_text).split())
        href, self._href = self._href or "", None
        target = wiki_target(href)
        span = self.source.span(self._anchor_start, end)
        self._builder.add_link(Link(target or "", label, span, "" if target is not None else href))

    def finish_fragment(self, end: int, next_start: int) -> None:
        if not self._builder.empty():
            self._fragments.append(self._builder.build(self.source.stripped_span(self._fragment_start, end)))
        self._builder, self._fragment_start = FragmentBuilder(), next_start

    def close_cell(self, end: int) -> None:
        assert self._cell is not None and self._cells is not None
        self.finish_fragment(end, end)
        start = int(str(self._cell["start"]))
        span = self.source.stripped_span(start, end)
        rowspan, colspan = int(str(self._cell.get("rowspan", 1))), int(str(self._cell.get("colspan", 1)))
        self._cells.append(Cell(tuple(self._fragments), span, bool(self._cell["header"]), rowspan, colspan))
        self._cell = None

    def close_row(self, end: int, implicit: bool) -> None:
        if self._cell is not None:
            self.close_cell(end)
        assert self._cells is not None
        span = self.source.stripped_span(self._row_start, end)
        if implicit:
            self.doc.diagnostics.append(
                diagnose(span, "warning", "unclosed-row", "table row is not closed with </tr>; read up to the next row")
            )
        if self._cells:
            self.rows.append(Row(tuple(self._cells), span))
        self._cells = None


def _blocks(source: SourceText) -> Iterator[tuple[str, int, int]]:
    """("heading"|"table"|"text"|"blank", start, end) blocks of the file, by line."""
    text, pos = source.text, 0
    while pos < len(text):
        line_end = text.find("\n", pos)
        line_end = len(text) if line_end < 0 else line_end
        line = text[pos:line_end]
        if _TABLE_START.match(line):
            close = _TABLE_END.search(text, pos)
            if close is None:
                raise SourceError(
                    diagnose(
                        source.span(pos, pos),
                        "error",
                        "unclosed-table",
                        "<table> opened here is never closed with </table>",
                    )
                )
            yield "table", pos, close.end()
            pos = close.end()
        else:
            yield ("heading" if _HEADING.match(line) else "blank" if not line.strip() else "text"), pos, line_end
            pos = line_end + 1


def _paragraphs(source: SourceText) -> Iterator[tuple[str, int, int]]:
    """Consecutive text lines joined into one paragraph block."""
    pending: tuple[int, int] | None = None
    for kind, start, end in _blocks(source):
        if kind == "text":
            pending = (pending[0], end) if pending else (start, end)
            continue
        if pending:
            yield "text", *pending
            pending = None
        yield kind, start, end
    if pending:
        yield "text", *pending


def read_markdown(source: SourceText) -> Document:
    """Sections with their prose, tables, categories and footnotes of a Markdown article."""
    doc = Document(source.path, "markdown")
    inline = _Inline(source, doc)
    title, level, section_start = "", 0, 0
    paragraphs: list[Fragment] = []
    blocks = list(_paragraphs(source))
    last_structure = max((start for kind, start, _ in blocks if kind in ("heading", "table")), default=-1)
    for kind, start, end in blocks:
        if kind == "heading":
            doc.sections.append(Section(title, level, source.span(section_start, start), tuple(paragraphs)))
            match = _HEADING.match(source.text[start:end])
            assert match is not None
            title, level, section_start, paragraphs = (
                inline.read(start + match.start(2), start + match.end(2)).text,
                len(match.group(1)),
                start,
                [],
            )
        elif kind == "table":
            doc.tables.append(_read_table(source, doc, start, end, title))
        elif kind == "text":
            # pandoc puts a converted article's references last, as a numbered list
            if _FOOTNOTE_ITEM.match(source.text[start:end]) and start > last_structure:
                _read_footnotes(source, doc, inline, start, end)
            else:
                paragraphs.append(inline.read(start, end))
    doc.sections.append(Section(title, level, source.span(section_start, len(source.text)), tuple(paragraphs)))
    doc.external_links.extend(_external_links(doc))
    doc.lists.extend(_bullet_lists(source, doc))
    return doc


_BULLET = re.compile(r"^[ \t]*[-*+][ \t]+(?=\S)", re.MULTILINE)


def _bullet_lists(source: SourceText, doc: Document) -> Iterator[BulletList]:
    """Bullet lines of each section (a member list may be one instead of a table)."""
    inline = _Inline(source, Document(source.path, "markdown"))  # categories already collected
    for section in doc.sections:
        items = []
        for match in _BULLET.finditer(source.text, section.span.start, section.span.end):
            end = source.text.find("\n", match.end())
            items.append(inline.read(match.end(), len(source.text) if end < 0 else min(end, section.span.end)))
        if items:
            yield BulletList(section.title, tuple(items), section.span)


def _read_table(source: SourceText, doc: Document, start: int, end: int, section: str) -> Table:
    parser = _TableParser(source, doc, start)
    parser.feed(source.text[start:end])
    parser.close()
    return Table(len(doc.tables) + 1, section, tuple(parser.rows), source.span(start, end))


def _read_footnotes(source: SourceText, doc: Document, inline: _Inline, start: int, end: int) -> None:
    items = list(_FOOTNOTE_ITEM.finditer(source.text, start, end))
    for item, item_end in zip(items, [*(m.start() for m in items[1:]), end], strict=True):
        fragment = inline.read(item.end(), item_end)
        span = source.stripped_span(item.start(), item_end)
        urls = tuple(x.url for x in fragment.links if x.url)
        doc.footnotes.append(Footnote(item.group(1), fragment.text, span, urls))


def _external_links(doc: Document) -> Iterator[Link]:
    for section in doc.sections:
        if fold(section.title) == "外部链接":
            for fragment in section.paragraphs:
                yield from (link for link in fragment.links if link.url)
