"""Raw MediaWiki wikitext → Document, with mwparserfromhell.

mwparserfromhell gives no positions, but ``str(node)`` reproduces the source exactly, so
each node's offset is the sum of the lengths before it; ``_placed`` walks the tree that way.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator

import mwparserfromhell
from mwparserfromhell.nodes import (
    Comment,
    ExternalLink,
    Heading,
    HTMLEntity,
    Node,
    Tag,
    Text,
    Wikilink,
)
from mwparserfromhell.nodes import (
    Template as TemplateNode,
)
from mwparserfromhell.wikicode import Wikicode

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
    Template,
)
from kg.sources.titles import namespace, page_title
from kg.spans import SourceText, diagnose

_TABLE_OPEN = re.compile(r"^[ \t]*\{\|", re.MULTILINE)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_INLINE_TAGS = frozenset({"b", "strong", "i", "em", "span", "small", "big", "sup", "sub", "u", "s", "font", "p", "div"})
_BOLD_TAGS = frozenset({"b", "strong"})


def _tag_name(tag: Tag) -> str:
    return str(tag.tag).strip().lower()


def _contents_offset(tag: Tag) -> int:
    """Offset of a tag's contents inside ``str(tag)`` (see Tag.__str__)."""
    whole, contents = str(tag), str(tag.contents)
    closing = len(tag.closing_wiki_markup or "") if tag.wiki_markup else len(f"</{tag.closing_tag}>")
    return len(whole) - closing - len(contents)


def _placed(code: Wikicode, base: int) -> Iterator[tuple[Node, int, int]]:
    """The nodes of ``code`` with their start and end offsets in the source."""
    offset = base
    for node in code.nodes:
        length = len(str(node))
        yield node, offset, offset + length
        offset += length


def _plain(code: Wikicode) -> str:
    return " ".join(str(code.strip_code(keep_template_params=False)).split())


class _Flattener:
    """Turns a run of nodes into fragments: plain text with links, templates and bold.

    ``split_on`` says where one fragment ends: at <br> in a table cell, at a blank line in
    prose. References become footnotes, categories go to the document.
    """

    def __init__(self, source: SourceText, doc: Document, start: int, cell: bool) -> None:
        self.source, self.doc, self.cell = source, doc, cell
        self.fragments: list[Fragment] = []
        self.builder = FragmentBuilder()
        self.fragment_start = start

    def finish(self, end: int, next_start: int) -> None:
        if not self.builder.empty():
            self.fragments.append(self.builder.build(self.source.stripped_span(self.fragment_start, end)))
        self.builder = FragmentBuilder()
        self.fragment_start = next_start

    def walk(self, code: Wikicode, base: int) -> None:
        for node, start, end in _placed(code, base):
            self.visit(node, start, end)

    def visit(self, node: Node, start: int, end: int) -> None:
        if isinstance(node, Text):
            self.visit_text(str(node), start)
        elif isinstance(node, Wikilink):
            self.visit_wikilink(node, start, end)
        elif isinstance(node, TemplateNode):
            self.builder.templates.append(self.template(node, start, end))
        elif isinstance(node, Tag):
            self.visit_tag(node, start, end)
        elif isinstance(node, ExternalLink):
            text = _plain(node.title) if node.title else str(node.url)
            self.builder.add_link(Link("", text, self.source.span(start, end), str(node.url).strip()))
        elif isinstance(node, HTMLEntity):
            self.builder.add_text(node.normalize())
        elif not isinstance(node, (Comment, Heading)):
            self.builder.add_text(_plain(Wikicode([node])))

    def visit_text(self, text: str, start: int) -> None:
        if self.cell:
            self.builder.add_text(text)
            return
        cursor = 0
        for match in _PARAGRAPH_BREAK.finditer(text):
            self.builder.add_text(text[cursor : match.start()])
            self.finish(start + match.start(), start + match.end())
            cursor = match.end()
        self.builder.add_text(text[cursor:])

    def visit_wikilink(self, node: Wikilink, start: int, end: int) -> None:
        space, name = namespace(str(node.title).strip())
        span = self.source.span(start, end)
        if space == "category":
            self.doc.categories.append(Link(page_title(name), name, span))
        elif space != "file":
            text = _plain(node.text) if node.text is not None else str(node.title).strip()
            self.builder.add_link(Link(page_title(str(node.title)), text, span))

    def visit_tag(self, tag: Tag, start: int, end: int) -> None:
        name = _tag_name(tag)
        if name == "br":
            if self.cell:
                self.finish(start, end)
            else:
                self.builder.add_text("\n")
        elif name == "ref":
            self.add_footnote(tag, start, end)
        elif name in _INLINE_TAGS and tag.contents is not None:
            before = len("".join(self.builder.parts))
            self.walk(tag.contents, start + _contents_offset(tag))
            if name in _BOLD_TAGS:
                self.builder.add_bold("".join(self.builder.parts)[before:], self.source.span(start, end))

    def template(self, node: TemplateNode, start: int, end: int) -> Template:
        args = tuple(_plain(p.value) for p in node.params if not p.showkey)
        return Template(_plain(node.name), args, self.source.span(start, end))

    def add_footnote(self, tag: Tag, start: int, end: int) -> None:
        if tag.contents is None:
            return  # a reuse like <ref name="x"/> adds no new note
        label = str(tag.get("name").value).strip() if tag.has("name") else str(len(self.doc.footnotes) + 1)
        urls, titles = [], []
        for node in tag.contents.filter_templates(recursive=False):
            urls += [_plain(node.get(key).value) for key in ("url", "archiveurl") if node.has(key)]
            titles += [_plain(node.get("title").value)] if node.has("title") else []
        text = titles[0] if titles else _plain(tag.contents)
        self.doc.footnotes.append(Footnote(label, text, self.source.span(start, end), tuple(urls)))


def _read_cell(source: SourceText, doc: Document, tag: Tag, start: int) -> Cell:
    inner = start + _contents_offset(tag)
    flattener = _Flattener(source, doc, inner, cell=True)
    flattener.walk(tag.contents, inner)
    end = inner + len(str(tag.contents))
    flattener.finish(end, end)
    span = source.stripped_span(inner, end)
    return Cell(
        tuple(flattener.fragments), span, _tag_name(tag) == "th", _int_attr(tag, "rowspan"), _int_attr(tag, "colspan")
    )


def _int_attr(tag: Tag, name: str) -> int:
    if not tag.has(name):
        return 1
    value = str(tag.get(name).value).strip()
    return int(value) if value.isdigit() and int(value) > 0 else 1


def _read_table(source: SourceText, doc: Document, tag: Tag, start: int, end: int, section: str) -> Table:
    rows = []
    inner = start + _contents_offset(tag)
    for row_node, row_start, row_end in _placed(tag.contents, inner):
        if not (isinstance(row_node, Tag) and _tag_name(row_node) == "tr"):
            continue
        row_inner = row_start + _contents_offset(row_node)
        cells = [
            _read_cell(source, doc, cell, cell_start)
            for cell, cell_start, _ in _placed(row_node.contents, row_inner)
            if isinstance(cell, Tag) and _tag_name(cell) in ("td", "th")
        ]
        if cells:
            rows.append(Row(tuple(cells), source.stripped_span(row_start, row_end)))
    return Table(len(doc.tables) + 1, section, tuple(rows), source.span(start, end))


def _check_tables_closed(source: SourceText, tables: list[Table]) -> None:
    """A "{|" outside every table mwparserfromhell read was never closed with "|}"."""
    for match in _TABLE_OPEN.finditer(source.text):
        opening = match.end() - 2
        if not any(t.span.start <= opening < t.span.end for t in tables):
            raise SourceError(
                diagnose(
                    source.span(opening, opening + 2),
                    "error",
                    "unclosed-table",
                    "table opened here is never closed with '|}'",
                )
            )


def _parse(text: str) -> Wikicode:
    """mwparserfromhell's tree builder makes many small objects; pausing the garbage
    collector during the parse made it 1.6-2.2x faster (PERF-NOTES.md)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return mwparserfromhell.parse(text)
    finally:
        if enabled:
            gc.enable()


def read_wikitext(source: SourceText) -> Document:
    """Sections with their prose, tables, categories and footnotes of a wikitext article."""
    doc = Document(source.path, "wikitext")
    code = _parse(source.text)
    title, level, section_start = "", 0, 0
    prose = _Flattener(source, doc, 0, cell=False)
    for node, start, end in _placed(code, 0):
        if isinstance(node, Heading):
            prose.finish(start, end)
            doc.sections.append(Section(title, level, source.span(section_start, start), tuple(prose.fragments)))
            title, level, section_start = _plain(node.title), node.level, start
            prose = _Flattener(source, doc, end, cell=False)
        elif isinstance(node, Tag) and _tag_name(node) == "table":
            prose.finish(start, end)
            doc.tables.append(_read_table(source, doc, node, start, end, title))
        else:
            prose.visit(node, start, end)
    prose.finish(len(source.text), len(source.text))
    doc.sections.append(Section(title, level, source.span(section_start, len(source.text)), tuple(prose.fragments)))
    _check_tables_closed(source, doc.tables)
    _collect_external_links(doc)
    doc.lists.extend(_bullet_lists(source, doc))
    return doc


_BULLET = re.compile(r"^[*#]+[ \t]*(?=\S)", re.MULTILINE)


def _bullet_lists(source: SourceText, doc: Document) -> Iterator[BulletList]:
    """Bullet lines (* or #) of each section, each read on its own as one fragment."""
    scratch = Document(source.path, "wikitext")  # categories and notes are already collected
    for section in doc.sections:
        items = []
        for match in _BULLET.finditer(source.text, section.span.start, section.span.end):
            end = source.text.find("\n", match.end())
            end = min(len(source.text) if end < 0 else end, section.span.end)
            flattener = _Flattener(source, scratch, match.end(), cell=True)
            flattener.walk(_parse(source.text[match.end() : end]), match.end())
            flattener.finish(end, end)
            items.extend(flattener.fragments[:1])
        if items:
            yield BulletList(section.title, tuple(items), section.span)


def _collect_external_links(doc: Document) -> None:
    """URLs in the external-links section, whether bare links or template arguments."""
    for section in doc.sections:
        if fold(section.title) != "外部链接":
            continue
        for fragment in section.paragraphs:
            doc.external_links.extend(link for link in fragment.links if link.url)
            for template in fragment.templates:
                doc.external_links.extend(
                    Link("", template.name, template.span, arg)
                    for arg in template.args
                    if arg.startswith(("http://", "https://"))
                )
