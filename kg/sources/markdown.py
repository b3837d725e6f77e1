"""Pandoc Markdown → Document, in every flavour pandoc writes a zh.wikipedia article in.

Blocks come from ``kg.sources.mdblocks`` (headings, lists, footnotes, and HTML, grid, pipe,
simple and multiline tables). Inline text is read here: links in pandoc 2 and 3 forms
(``[t](X "wikilink")``, ``[t](X){.wikilink}``, ``<a href="X" class="wikilink">``) and the
mirror forms (``../Page/X.md``, full zh.wikipedia addresses), bold, line breaks, and raw
MediaWiki inlines and blocks (``{{flag|X}}``{=mediawiki}), which go to the wikitext reader so
templates are read by the same catalogue. Footnote markers are never part of a name.
"""

from __future__ import annotations

import bisect
import re
from html.parser import HTMLParser

from kg.errors import SourceError
from kg.records import Footnote
from kg.sources import document as d
from kg.sources.charrefs import decode_references
from kg.sources.mdblocks import Block, GridCell, Piece, scan, split_lines
from kg.sources.wikitext import Mode, WikitextFlattener
from kg.spans import SourceText, Span, diagnose
from kg.titles import namespace, page_title, wiki_target

_INLINE = re.compile(
    r"""(?P<raw>`(?P<code>[^`\n]*(?:\n[^`\n]+)*)`\{=(?P<format>[\w-]+)\})
      |(?P<link>!?\[(?P<text>(?:\\.|\[(?:\\.|[^\]\\])*\]|[^\]\\])*)\]\((?P<href><[^>\n]*>|(?:\\.|[^()\s\\]|\((?:\\.|[^()\s\\])*\))*)(?:\s+"(?P<title>[^"]*)")?\)(?P<attrs>\{[^{}]*\})?)
      |(?P<note_ref>\[\^[^\]\s]+\])
      |(?P<span>\[(?P<span_text>(?:\\.|[^\]\\])*)\]\{[^{}]*\})
      |(?P<mirror_note>\\\[\d+\\\])
      |(?P<anchor><a\s(?P<anchor_attrs>[^>]*)>(?P<anchor_text>.*?)</a\s*>)
      |(?P<br><br\s*/?>)
      |(?P<comment><!--.*?-->)
      |(?P<tag></?(?:small|big|sup|sub|span|strong|b|em|i|u|s|p|div|font|center)\b[^>]*>)
      |\*\*(?P<bold>.+?)\*\*
      |(?P<code_span>`(?P<code_text>[^`]+)`)
      |(?P<hard_break>\\\n)
      |\\(?P<escaped>[^\n])
      |(?P<newline>[ \t]*\n[ \t]*)
      |(?<![*\\])\*(?=\S)(?P<star>[^*]+?)(?<=\S)\*(?!\*)
      |(?<![\w\\])_(?=\S)(?P<under>[^_]+?)(?<=\S)_(?!\w)""",
    re.VERBOSE | re.DOTALL,
)
# The groups of _INLINE a token is told apart by, in the order they are tried.
_TOKENS = (
    "raw",
    "link",
    "span_text",
    "anchor",
    "br",
    "hard_break",
    "bold",
    "star",
    "under",
    "code_text",
    "escaped",
    "newline",
)
_ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
_FOOTNOTE_ITEM = re.compile(r"^(\d+)\.(?:[ \t]+|$)", re.MULTILINE)


class _Text:
    """Lines of the source joined by newlines, with each offset mapped back to the source."""

    def __init__(self, source: SourceText, pieces: tuple[Piece, ...] | list[Piece]) -> None:
        self.source = source
        self.pieces = list(pieces) or [(0, 0)]
        self.starts: list[int] = []
        parts, length = [], 0
        for start, end in self.pieces:
            self.starts.append(length)
            parts.append(source.text[start:end])
            length += end - start + 1
        self.text = "\n".join(parts)

    def at(self, offset: int) -> int:
        """The source offset of ``offset`` in this text."""
        index = max(0, bisect.bisect_right(self.starts, offset) - 1)
        start, end = self.pieces[index]
        return min(start + offset - self.starts[index], end)

    def end_at(self, offset: int) -> int:
        """The source offset just after the character before ``offset``."""
        return self.at(offset - 1) + 1 if offset > 0 else self.at(0)


def _attributes(text: str) -> dict[str, str]:
    return {m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None) for m in _ATTRIBUTE.finditer(text)}


_SCHEMES = ("http", "https", "ftp", "ftps", "mailto", "news", "irc", "file")


def _page_target(href: str) -> str | None:
    """The wiki page a link points to: a mirror address, or the relative address pandoc writes
    for a wikilink (its title); None for another site or an anchor in the page."""
    href = href.strip().strip("<>")
    if (target := wiki_target(href)) is not None:
        return target
    scheme = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", href)
    if href.startswith(("#", "//")) or (scheme and scheme.group(1).lower() in _SCHEMES):
        return None
    return page_title(href)


_DASHES = (("---", "—"), ("--", "–"), ("...", "…"))


class _Quotes:
    """pandoc's smart punctuation, read back: its writer puts --- for —, -- for –, ... for …,
    straight quotes for curly ones, and escapes the straight quotes the source had (\" \')."""

    def __init__(self) -> None:
        self.open = False
        self.in_tag = False  # inside a raw HTML tag left as text: its quotes are markup

    def smart(self, text: str) -> str:
        for written, shown in _DASHES:
            text = text.replace(written, shown)
        out = []
        for char in text:
            self.in_tag = (self.in_tag or char == "<") and char != ">"
            if self.in_tag:
                out.append(char)
            elif char == '"':
                out.append("”" if self.open else "“")
                self.open = not self.open
            elif char == "'":
                out.append("’")
            else:
                out.append(char)
        return "".join(out)


class _Inline:
    """Reads inline Markdown into a flattener, so text, links and templates share one sink."""

    def __init__(self, source: SourceText, doc: d.Document) -> None:
        self.source, self.doc = source, doc

    def feed(self, sink: WikitextFlattener, text: _Text, start: int, end: int) -> None:
        cursor = start
        quotes = _Quotes()
        for match in _INLINE.finditer(text.text, start, end):
            sink.builder.add_text(quotes.smart(decode_references(text.text[cursor : match.start()])))
            cursor = match.end()
            self.token(sink, text, match)
        sink.builder.add_text(quotes.smart(decode_references(text.text[cursor:end])))

    def token(self, sink: WikitextFlattener, text: _Text, match: re.Match[str]) -> None:
        """One inline token; footnote markers, comments, other tags and emphasis marks add nothing."""
        kind = next((group for group in _TOKENS if match.group(group) is not None), None)
        if kind in ("raw", "link", "anchor", "bold"):
            getattr(self, kind)(sink, text, match)
        elif kind in ("br", "hard_break"):
            sink.line_break(text.at(match.start()), text.end_at(match.end()))
        elif kind in ("span_text", "star", "under"):
            self.feed(sink, text, match.start(kind), match.end(kind))
        elif kind in ("code_text", "escaped"):
            sink.builder.add_text(match.group(kind))
        elif kind == "newline":
            sink.builder.add_text(" ")

    def bold(self, sink: WikitextFlattener, text: _Text, match: re.Match[str]) -> None:
        before = sink.builder.mark()
        self.feed(sink, text, match.start("bold"), match.end("bold"))
        span = self.source.span(text.at(match.start()), text.end_at(match.end()))
        sink.builder.add_bold(sink.builder.text_since(before), span)

    def raw(self, sink: WikitextFlattener, text: _Text, match: re.Match[str]) -> None:
        fmt = match.group("format").lower()
        start, end = match.start("code"), match.end("code")
        if fmt == "mediawiki":
            sink.walk_text(text.text[start:end], text.at(start))
        elif fmt == "html" and re.fullmatch(r"\s*<br\s*/?>\s*", match.group("code")):
            sink.line_break(text.at(match.start()), text.end_at(match.end()))

    def link(self, sink: WikitextFlattener, text: _Text, match: re.Match[str]) -> None:
        href = match.group("href").strip("<>")
        span = self.source.span(text.at(match.start()), text.end_at(match.end()))
        inner = WikitextFlattener(self.source, self.doc, text.at(match.start("text")), "cell")
        self.feed(inner, text, match.start("text"), match.end("text"))
        label = " ".join(inner.builder.text_so_far().split())
        if not match.group("link").startswith("!"):
            self.add_target(sink, _page_target(href), label, span, href)

    def add_target(self, sink: WikitextFlattener, target: str | None, label: str, span: Span, href: str) -> None:
        if target is None:
            sink.builder.add_link(d.Link("", label, span, href))
            return
        space, name = namespace(target)
        if space == "category":
            self.doc.categories.append(d.Link(name, name, span))
        elif space != "file":
            sink.builder.add_link(d.Link(target, label, span))

    def anchor(self, sink: WikitextFlattener, text: _Text, match: re.Match[str]) -> None:
        attrs = _attributes(match.group("anchor_attrs"))
        if "footnote" in attrs.get("class", "") or attrs.get("href", "").startswith("#"):
            return  # a footnote marker or back-link
        span = self.source.span(text.at(match.start()), text.end_at(match.end()))
        label = " ".join(re.sub(r"<[^>]+>", "", match.group("anchor_text")).split())
        href = attrs.get("href", "")
        self.add_target(sink, _page_target(href), label, span, href)


class _TableParser(HTMLParser):
    """Rows and cells of one HTML table; each cell's inner HTML is read as inline text."""

    def __init__(self, reader: _Page, start: int) -> None:
        super().__init__(convert_charrefs=False)
        self.reader = reader
        self._line_base = reader.source.span(start, start).line
        self.rows: list[d.Row] = []
        self._cells: list[d.Cell] | None = None
        self._row_start = 0
        self._cell: tuple[int, bool, int, int] | None = None  # content start, header, rowspan, colspan
        self._depth = 0

    def position(self) -> int:
        line, col = self.getpos()
        return self.reader.source.line_offset(self._line_base + line - 1) + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        at = self.position()
        if tag == "table":
            self._depth += 1
        if self._depth > 1:
            return
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
            spans = dict(attrs)
            rowspan = d.span_attribute(spans.get("rowspan"), "rowspan")
            self._cell = (after, tag == "th", rowspan, d.span_attribute(spans.get("colspan"), "colspan"))

    def handle_endtag(self, tag: str) -> None:
        at = self.position()
        if tag == "table":
            self._depth -= 1
            if self._depth == 0 and self._cells is not None:
                self.close_row(at, implicit=True)
            return
        if self._depth > 1:
            return
        if tag in ("td", "th") and self._cell is not None:
            self.close_cell(at)
        elif tag == "tr" and self._cells is not None:
            self.close_row(at + len("</tr>"), implicit=False)

    def close_cell(self, end: int) -> None:
        assert self._cell is not None and self._cells is not None
        start, header, rowspan, colspan = self._cell
        fragments = self.reader.html_fragments(start, end)
        self._cells.append(d.Cell(fragments, self.reader.source.stripped_span(start, end), header, rowspan, colspan))
        self._cell = None

    def close_row(self, end: int, implicit: bool) -> None:
        if self._cell is not None:
            self.close_cell(end)
        assert self._cells is not None
        span = self.reader.source.stripped_span(self._row_start, end)
        if implicit:
            self.reader.doc.diagnostics.append(
                diagnose(span, "warning", "unclosed-row", "table row is not closed with </tr>; read up to the next row")
            )
        if self._cells:
            self.rows.append(d.Row(tuple(self._cells), span))
        self._cells = None


_TABLE_MARKUP = re.compile(r"^[ \t]*(?:\|.*\||\+[-=:]{3,}[-=:+]*\+|<t[rd]\b)", re.MULTILINE)
_HTML_CELL_BLOCK = re.compile(r"</?(?:p|div)\b[^>]*>", re.IGNORECASE)


class _Page:
    """Reads the blocks of a Markdown file into a document, tracking the headings above."""

    def __init__(self, source: SourceText) -> None:
        self.source = source
        self.doc = d.Document(source.path, "markdown")
        self.inline = _Inline(source, self.doc)
        self.headings = d.Headings()
        self.title, self.level, self.section_start = "", 0, 0
        self.heading: d.Heading | None = None
        self.paragraphs: list[d.Fragment] = []
        self.since_table: list[d.Fragment] = []
        self.items: list[d.Row] = []
        self.list_prose: tuple[d.Fragment, ...] = ()  # the prose before the list being read

    def read(self) -> d.Document:
        blocks = scan(self.source.text, split_lines(self.source.text))
        last_structure = max(
            (b.start or b.pieces[0][0] for b in blocks if b.kind in ("heading", "table") and (b.pieces or b.start)),
            default=-1,
        )
        for block in blocks:
            self.visit(block, last_structure)
        self.close_section(len(self.source.text))
        d.collect_external_links(self.doc)
        self.report_unread_tables()
        return self.doc

    def report_unread_tables(self) -> None:
        """Lines that look like table rows (| a | b |, +---+, <tr>) outside every table read: a
        table the reader could not make out is reported, never dropped in silence."""
        spans = [(t.span.start, t.span.end) for t in self.doc.tables if not t.is_list]
        previous_line = -2
        for match in _TABLE_MARKUP.finditer(self.source.text):
            at = match.start()
            if any(start <= at < end for start, end in spans):
                continue
            line = self.source.span(at, at).line
            if line != previous_line + 1:
                message = "this looks like a table, but no table form could be read here; its rows are not read"
                self.doc.diagnostics.append(diagnose(self.source.span(at, at), "warning", "unread-table", message))
            previous_line = line

    def visit(self, block: Block, last_structure: int) -> None:
        if block.kind != "item":
            self.close_list()
        if block.kind == "heading":
            self.close_section(block.pieces[0][0])
            self.enter_heading(block)
        elif block.kind == "table":
            self.add_table(block)
        elif block.kind == "item":
            self.add_item(block, last_structure)
        elif block.kind == "footnote":
            self.add_footnote(block.label, block.pieces)
        elif block.kind == "raw" and block.label == "mediawiki":
            self.add_prose(self.fragments(block.pieces, "prose", raw=True))
        elif block.kind == "paragraph":
            self.add_prose(self.fragments(block.pieces, "prose"))
        elif block.kind == "html" and block.label == "unclosed":
            raise SourceError(
                diagnose(
                    self.source.span(block.start, block.start),
                    "error",
                    "unclosed-table",
                    "<table> opened here is never closed with </table>",
                )
            )

    def fragments(self, pieces: tuple[Piece, ...], mode: Mode, raw: bool = False) -> list[d.Fragment]:
        """The fragments written on ``pieces``: inline Markdown, or raw MediaWiki."""
        text = _Text(self.source, pieces)
        sink = WikitextFlattener(self.source, self.doc, text.at(0), mode)
        if raw:
            sink.walk_text(text.text, text.at(0))
        else:
            self.inline.feed(sink, text, 0, len(text.text))
        end = text.end_at(len(text.text))
        sink.finish(end, end)
        return sink.fragments

    def cell_fragments(self, pieces: tuple[Piece, ...]) -> tuple[d.Fragment, ...]:
        """A plain-text table cell or a list item: paragraphs and raw blocks, each a line."""
        out: list[d.Fragment] = []
        for block in scan(self.source.text, [p for p in pieces if p[1] >= p[0]]):
            if block.kind == "raw" and block.label == "mediawiki":
                out.extend(self.fragments(block.pieces, "cell", raw=True))
            elif block.kind in ("paragraph", "item", "heading"):
                out.extend(self.fragments(block.pieces, "cell"))
        return tuple(out)

    def html_fragments(self, start: int, end: int) -> tuple[d.Fragment, ...]:
        """An HTML cell: <p> and <br> end a line; the rest is inline text."""
        out: list[d.Fragment] = []
        cursor = start
        for match in [*_HTML_CELL_BLOCK.finditer(self.source.text, start, end), None]:
            stop = match.start() if match else end
            if self.source.text[cursor:stop].strip():
                out.extend(self.fragments(tuple(_trimmed(self.source.text, cursor, stop)), "cell"))
            if match:
                cursor = match.end()
        return tuple(out)

    def enter_heading(self, block: Block) -> None:
        fragments = self.fragments(block.pieces, "cell")
        fragment = fragments[0] if fragments else None
        title = fragment.text if fragment else ""
        start = block.pieces[0][0]
        span = fragment.span if fragment else self.source.span(start, start)
        self.heading = d.Heading(title, block.level, span, fragment.links if fragment else ())
        self.headings.enter(self.heading)
        self.title, self.level, self.section_start = title, block.level, start
        self.paragraphs, self.since_table = [], []

    def add_prose(self, fragments: list[d.Fragment]) -> None:
        self.paragraphs.extend(fragments)
        self.since_table.extend(fragments)

    def prose_before(self) -> tuple[d.Fragment, ...]:
        prose, self.since_table = tuple(self.since_table), []
        return prose

    def add_table(self, block: Block) -> None:
        if block.form == "html":
            parser = _TableParser(self, block.start)
            parser.feed(self.source.text[block.start : block.end])
            parser.close()
            rows = d.with_content(tuple(parser.rows))
        else:
            rows = d.with_content(self.plain_rows(block.cells))
        span = self.source.span(block.start, block.end)
        self.doc.tables.append(d.Table(rows, span, self.headings.chain, self.prose_before()))

    def plain_rows(self, cells: tuple[GridCell, ...]) -> tuple[d.Row, ...]:
        rows: list[d.Row] = []
        by_row: dict[int, list[GridCell]] = {}
        for cell in cells:
            by_row.setdefault(cell.row, []).append(cell)
        for number in sorted(by_row):
            row_cells = tuple(self.plain_cell(cell) for cell in by_row[number])
            if row_cells:
                start, end = row_cells[0].span.start, row_cells[-1].span.end
                rows.append(d.Row(row_cells, self.source.span(start, max(start, end))))
        return tuple(rows)

    def plain_cell(self, cell: GridCell) -> d.Cell:
        fragments = self.cell_fragments(cell.pieces)
        text = self.source.text
        first = next((p for p in cell.pieces if text[p[0] : p[1]].strip()), cell.pieces[0] if cell.pieces else (0, 0))
        last = next((p for p in reversed(cell.pieces) if text[p[0] : p[1]].strip()), first)
        span = self.source.stripped_span(first[0], max(first[0], last[1]))
        return d.Cell(fragments, span, cell.header, cell.rowspan, cell.colspan)

    def add_item(self, block: Block, last_structure: int) -> None:
        if block.label[:1].isdigit() and block.pieces[0][0] > last_structure:
            self.add_footnote(block.label.rstrip(".)"), block.pieces)  # mirror copies list references last
            return
        fragments = self.cell_fragments(block.pieces)
        if not fragments:
            return
        if not self.items:
            self.list_prose = self.prose_before()
        span = self.source.span(fragments[0].span.start, fragments[-1].span.end)
        self.items.append(d.Row((d.Cell(fragments, span),), span))

    def close_list(self) -> None:
        if not self.items:
            return
        span = self.source.span(self.items[0].span.start, self.items[-1].span.end)
        self.doc.tables.append(d.Table(tuple(self.items), span, self.headings.chain, self.list_prose, is_list=True))
        self.items = []

    def add_footnote(self, label: str, pieces: tuple[Piece, ...]) -> None:
        fragments = self.fragments(pieces, "prose")
        text = " ".join(f.text for f in fragments)
        urls = tuple(link.url for f in fragments for link in f.links if link.url)
        start = pieces[0][0]
        span = self.source.stripped_span(start, max(start, pieces[-1][1]))
        self.doc.footnotes.append(Footnote(label, text, span, urls))

    def close_section(self, start: int) -> None:
        self.close_list()
        span = self.source.span(self.section_start, start)
        self.doc.sections.append(d.Section(self.title, self.level, span, tuple(self.paragraphs), self.heading))


def _trimmed(text: str, start: int, end: int) -> list[Piece]:
    return [(s, e) for s, e in split_lines(text, start, end)]


def read_markdown(source: SourceText) -> d.Document:
    """Sections with their prose, tables, lists, categories and footnotes of a Markdown article."""
    return _Page(source).read()
