"""Raw MediaWiki wikitext → Document, with mwparserfromhell.

mwparserfromhell gives no positions, but ``str(node)`` reproduces the source exactly, so
each node's offset is the sum of the lengths before it; ``_placed`` walks the tree that way.
Templates are read by the catalogue (``kg/lexicon/templates.toml``): flags are kept for the
cell reader, wrappers give their text, interlanguage links become links with their English
title, notes become footnotes, infoboxes become infobox records. The Markdown reader hands
pandoc's raw MediaWiki blocks and inlines to ``WikitextFlattener`` too, so both formats read
templates the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

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
from mwparserfromhell.nodes.extras import Parameter
from mwparserfromhell.wikicode import Wikicode

from kg.collector import collector_paused
from kg.errors import SourceError
from kg.fold import fold
from kg.geo import gazetteer
from kg.lexicon import LinkRule, TemplateRule, lexicon
from kg.records import Footnote
from kg.sources import document as d
from kg.sources.charrefs import decode_references, without_surrogates
from kg.spans import SourceText, diagnose
from kg.titles import namespace, page_title

_TABLE_OPEN = re.compile(r"^[ \t]*\{\|", re.MULTILINE)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_INLINE_TAGS = frozenset(
    {"b", "strong", "i", "em", "span", "small", "big", "sup", "sub", "u", "s", "font", "p", "div", "center", "nowiki"}
)
_BOLD_TAGS = frozenset({"b", "strong"})
_SKIPPED_TAGS = frozenset({"references", "gallery", "math", "score", "timeline", "syntaxhighlight", "source", "pre"})
_LIST_MARKUP = frozenset({"*", "#"})
Mode = Literal["cell", "prose"]


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


def _params(node: TemplateNode, start: int) -> Iterator[tuple[Parameter, int]]:
    """A template's parameters with the offset of each one's value (see Template.__str__)."""
    offset = start + 2 + len(str(node.name))
    for param in node.params:
        offset += 1  # "|"
        yield param, offset + (len(str(param.name)) + 1 if param.showkey else 0)
        offset += len(str(param))


def _plain(code: Wikicode) -> str:
    return " ".join(without_surrogates(str(code.strip_code(keep_template_params=False))).split())


def _positional(node: TemplateNode, start: int) -> list[tuple[Parameter, int]]:
    return [(p, at) for p, at in _params(node, start) if not p.showkey]


class WikitextFlattener:
    """Turns a run of wikitext nodes into fragments: plain text with links, templates, bold.

    In a cell a line break (<br>, a list template's item) ends a fragment; in prose a blank
    line does. References and note templates become footnotes, categories and infoboxes go to
    the document, unknown templates are reported and keep their text.
    """

    def __init__(self, source: SourceText, doc: d.Document, start: int, mode: Mode) -> None:
        self.source, self.doc, self.mode = source, doc, mode
        self.fragments: list[d.Fragment] = []
        self.builder = d.FragmentBuilder()
        self.fragment_start = start

    def finish(self, end: int, next_start: int) -> None:
        if not self.builder.empty():
            self.fragments.append(self.builder.build(self.source.stripped_span(self.fragment_start, end)))
        self.builder = d.FragmentBuilder()
        self.fragment_start = next_start

    def walk(self, code: Wikicode, base: int) -> None:
        for node, start, end in _placed(code, base):
            self.visit(node, start, end)

    def walk_text(self, text: str, base: int) -> None:
        """Wikitext given as text (a raw block of pandoc Markdown) at ``base`` in the source."""
        self.walk(parse(text), base)

    def visit(self, node: Node, start: int, end: int) -> None:
        if isinstance(node, Text):
            self.visit_text(str(node), start)
        elif isinstance(node, Wikilink):
            self.visit_wikilink(node, start, end)
        elif isinstance(node, TemplateNode):
            self.visit_template(node, start, end)
        elif isinstance(node, Tag):
            self.visit_tag(node, start, end)
        elif isinstance(node, ExternalLink):
            text = _plain(node.title) if node.title else str(node.url)
            self.builder.add_link(d.Link("", text, self.source.span(start, end), str(node.url).strip()))
        elif isinstance(node, HTMLEntity):
            self.builder.add_text(decode_references(str(node)))
        elif not isinstance(node, (Comment, Heading)):
            self.builder.add_text(_plain(Wikicode([node])))

    def visit_text(self, text: str, start: int) -> None:
        if self.mode == "cell":
            self.builder.add_text(text)
            return
        cursor = 0
        for match in _PARAGRAPH_BREAK.finditer(text):
            self.builder.add_text(text[cursor : match.start()])
            self.finish(start + match.start(), start + match.end())
            cursor = match.end()
        self.builder.add_text(text[cursor:])

    def line_break(self, start: int, end: int) -> None:
        if self.mode == "cell":
            self.finish(start, end)
        else:
            self.builder.add_text("\n")

    def visit_wikilink(self, node: Wikilink, start: int, end: int) -> None:
        space, name = namespace(str(node.title).strip())
        span = self.source.span(start, end)
        if space == "category":
            self.doc.categories.append(d.Link(page_title(name), name, span))
        elif space != "file":
            text = _plain(node.text) if node.text is not None else str(node.title).strip()
            self.builder.add_link(d.Link(page_title(str(node.title)), text, span))

    def visit_tag(self, tag: Tag, start: int, end: int) -> None:
        name = _tag_name(tag)
        if name == "br":
            self.line_break(start, end)
        elif name == "ref":
            self.add_footnote(tag, start, end)
        elif name in _INLINE_TAGS and tag.contents is not None:
            before = self.builder.mark()
            self.walk(tag.contents, start + _contents_offset(tag))
            if name in _BOLD_TAGS:
                self.builder.add_bold(self.builder.text_since(before), self.source.span(start, end))
        elif name not in _SKIPPED_TAGS and tag.contents is not None and not tag.wiki_markup:
            self.walk(tag.contents, start + _contents_offset(tag))

    def visit_template(self, node: TemplateNode, start: int, end: int) -> None:
        name = _plain(node.name)
        rule = lexicon().templates.rule(name)
        if rule is None and gazetteer().lookup(name) is not None:  # {{FRA}}, {{伊朗}}: a flag by its name
            rule = TemplateRule("country")
        if rule is None:
            self.unknown_template(node, name, start, end)
        elif rule.kind == "infobox":
            self.doc.infoboxes.append(read_infobox(self.source, self.doc, node, name, start, end))
        elif rule.kind == "note":
            self.add_note(node, start, end)
        elif rule.kind == "date":
            self.add_date(node)
        elif rule.kind == "link" and rule.link is not None:
            self.add_link_template(node, name, rule.link, start, end)
        elif rule.kind in ("wrapper", "list", "external"):
            self.unwrap(node, name, rule, start, end)
        elif rule.kind in ("country", "hatnote"):
            self.builder.templates.append(self.template(node, name, rule, start, end))

    def template(self, node: TemplateNode, name: str, rule: TemplateRule | None, start: int, end: int) -> d.Template:
        args = tuple(_plain(p.value) for p in node.params if not p.showkey)
        return d.Template(name, args, self.source.span(start, end), rule.kind if rule else None)

    def unwrap(self, node: TemplateNode, name: str, rule: TemplateRule, start: int, end: int) -> None:
        """A wrapper's kept argument, a list's items one per line, an external link's URL."""
        params = _positional(node, start)
        if rule.kind == "external":
            urls = [_plain(p.value) for p, _ in params[:1]]
            self.builder.add_link(d.Link("", name, self.source.span(start, end), urls[0] if urls else ""))
            return
        self.builder.templates.append(self.template(node, name, rule, start, end))
        chosen = params if rule.kind == "list" else params[rule.arg - 1 : rule.arg]
        for number, (param, at) in enumerate(chosen):
            if number:
                self.line_break(at, at)
            self.walk(param.value, at)

    def add_link_template(self, node: TemplateNode, name: str, rule: LinkRule, start: int, end: int) -> None:
        """{{link-en|中文|English}}: a link to the Chinese title, with the English title kept."""
        args = [_plain(p.value) for p in node.params if not p.showkey]

        def arg(number: int) -> str:
            return args[number - 1] if 0 < number <= len(args) else ""

        language = rule.lang or (name.split("-", 1)[1] if rule.lang_from_suffix and "-" in name else arg(rule.lang_arg))
        chinese, foreign = arg(rule.zh_arg), arg(rule.foreign_arg)
        english = foreign if fold(language) == "en" else ""
        shown = chinese or foreign
        if shown:
            self.builder.add_link(
                d.Link(page_title(chinese) if chinese else "", shown, self.source.span(start, end), english=english)
            )

    def unknown_template(self, node: TemplateNode, name: str, start: int, end: int) -> None:
        span = self.source.span(start, end)
        message = f"unknown template {{{{{name}}}}}: its text is kept (add it to kg/lexicon/templates.toml)"
        self.doc.diagnostics.append(diagnose(span, "warning", "unknown-template", message))
        self.builder.templates.append(self.template(node, name, None, start, end))
        for number, (param, at) in enumerate(_positional(node, start)):
            if number:
                self.builder.add_text(" ")
            self.walk(param.value, at)

    def add_date(self, node: TemplateNode) -> None:
        """{{start date|1983|6|24}} → 1983年6月24日, as the page shows it."""
        numbers = [_plain(p.value) for p in node.params if not p.showkey][:3]
        digits = [n for n in numbers if n.isdecimal()]
        self.builder.add_text("".join(f"{n}{unit}" for n, unit in zip(digits, ("年", "月", "日"), strict=False)))

    def add_note(self, node: TemplateNode, start: int, end: int) -> None:
        text = " ".join(_plain(p.value) for p in node.params if not p.showkey)
        label = str(len(self.doc.footnotes) + 1)
        self.doc.footnotes.append(Footnote(label, text, self.source.span(start, end)))

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


def read_infobox(source: SourceText, doc: d.Document, node: TemplateNode, name: str, start: int, end: int) -> d.Infobox:
    """The parameters of an infobox the lexicon knows (infoboxes.toml), each read as cell text."""
    params = []
    for param, at in _params(node, start):
        field = lexicon().infobox.exact(str(param.name).strip()) if param.showkey else None
        if field is None:
            continue
        value_end = at + len(str(param.value))
        flattener = WikitextFlattener(source, doc, at, "cell")
        flattener.walk(param.value, at)
        flattener.finish(value_end, value_end)
        params.append(
            d.InfoboxParam(field, str(param.name).strip(), tuple(flattener.fragments), source.span(at, value_end))
        )
    return d.Infobox(name, source.span(start, end), tuple(params))


def _read_cell(source: SourceText, doc: d.Document, tag: Tag, start: int) -> d.Cell:
    inner = start + _contents_offset(tag)
    flattener = WikitextFlattener(source, doc, inner, "cell")
    flattener.walk(tag.contents, inner)
    end = inner + len(str(tag.contents))
    flattener.finish(end, end)
    span = source.stripped_span(inner, end)
    return d.Cell(
        tuple(flattener.fragments), span, _tag_name(tag) == "th", _span(tag, "rowspan"), _span(tag, "colspan")
    )


def _span(tag: Tag, kind: d.SpanKind) -> int:
    return d.span_attribute(str(tag.get(kind).value) if tag.has(kind) else None, kind)


def _is_cell(node: Node) -> bool:
    return isinstance(node, Tag) and _tag_name(node) in ("td", "th")


def _row(source: SourceText, doc: d.Document, cells: list[tuple[Node, int, int]]) -> d.Row | None:
    read = [_read_cell(source, doc, cell, start) for cell, start, _ in cells if isinstance(cell, Tag)]
    return d.Row(tuple(read), source.stripped_span(cells[0][1], cells[-1][2])) if read else None


def _read_rows(source: SourceText, doc: d.Document, tag: Tag, start: int) -> tuple[d.Row, ...]:
    """A table's rows; cells written before the first |- form a row of their own."""
    rows: list[d.Row | None] = []
    loose: list[tuple[Node, int, int]] = []
    inner = start + _contents_offset(tag)
    for node, row_start, row_end in _placed(tag.contents, inner):
        if _is_cell(node):
            loose.append((node, row_start, row_end))
            continue
        if not isinstance(node, Tag):
            continue
        name = _tag_name(node)
        if loose and name in ("tr", "thead", "tbody", "tfoot"):
            rows.append(_row(source, doc, loose))
            loose = []
        if name in ("thead", "tbody", "tfoot") and node.contents is not None:
            rows.extend(_read_rows(source, doc, node, row_start))
        elif name == "tr":
            row_inner = row_start + _contents_offset(node)
            rows.append(_row(source, doc, [c for c in _placed(node.contents, row_inner) if _is_cell(c[0])]))
    if loose:
        rows.append(_row(source, doc, loose))
    return d.with_content(tuple(row for row in rows if row is not None))


def _check_tables_closed(source: SourceText, tables: list[d.Table]) -> None:
    """A "{|" outside every table mwparserfromhell read was never closed with "|}"."""
    for match in _TABLE_OPEN.finditer(source.text):
        opening = match.end() - 2
        if not any(t.span.start <= opening < t.span.end for t in tables if not t.is_list):
            raise SourceError(
                diagnose(
                    source.span(opening, opening + 2),
                    "error",
                    "unclosed-table",
                    "table opened here is never closed with '|}'",
                )
            )


def parse(text: str) -> Wikicode:
    """mwparserfromhell's tree, built with the collector paused (kg.collector)."""
    with collector_paused():
        return mwparserfromhell.parse(text)


class _Page:
    """Walks the page's top-level nodes: headings, tables, list items and prose."""

    def __init__(self, source: SourceText) -> None:
        self.source = source
        self.doc = d.Document(source.path, "wikitext")
        self.headings = d.Headings()
        self.title, self.level, self.section_start = "", 0, 0
        self.heading: d.Heading | None = None
        self.prose = WikitextFlattener(source, self.doc, 0, "prose")
        self.prose_mark = 0  # prose fragments of this section before this mark are before its last table
        self.items: list[tuple[d.Row, int]] = []  # the bullet list being read, with item depth
        self.item: WikitextFlattener | None = None
        self.item_depth = 0

    def read(self) -> d.Document:
        for node, start, end in _placed(parse(self.source.text), 0):
            self.visit(node, start, end)
        self.close_section(len(self.source.text))
        _check_tables_closed(self.source, self.doc.tables)
        d.collect_external_links(self.doc)
        return self.doc

    def visit(self, node: Node, start: int, end: int) -> None:
        if self.item is not None and not self.continue_item(node, start, end):
            return
        if isinstance(node, Heading):
            self.close_section(start)
            self.enter_heading(node, start, end)
        elif isinstance(node, Tag) and _tag_name(node) == "table":
            self.flush_prose(start, end)
            self.close_list(start)
            rows = _read_rows(self.source, self.doc, node, start)
            self.add_table(d.Table(rows, self.source.span(start, end), self.headings.chain, self.prose_before()))
        elif isinstance(node, Tag) and str(node.wiki_markup or "") in _LIST_MARKUP:
            self.start_item(start, end)
        else:
            if self.items and not (isinstance(node, Text) and not str(node).strip()):
                self.close_list(start)
            self.prose.visit(node, start, end)

    def enter_heading(self, node: Heading, start: int, end: int) -> None:
        flattener = WikitextFlattener(self.source, self.doc, start, "cell")
        flattener.walk(node.title, start + node.level)
        flattener.finish(end, end)
        fragment = flattener.fragments[0] if flattener.fragments else None
        title = fragment.text if fragment else _plain(node.title)
        heading = d.Heading(
            title, node.level, self.source.stripped_span(start, end), fragment.links if fragment else ()
        )
        self.headings.enter(heading)
        self.title, self.level, self.section_start, self.heading = title, node.level, start, heading
        self.prose = WikitextFlattener(self.source, self.doc, end, "prose")
        self.prose_mark = 0

    def flush_prose(self, start: int, end: int) -> None:
        self.prose.finish(start, end)

    def prose_before(self) -> tuple[d.Fragment, ...]:
        """The section's prose since its last table (or list), which may speak of this one."""
        prose = tuple(self.prose.fragments[self.prose_mark :])
        self.prose_mark = len(self.prose.fragments)
        return prose

    def start_item(self, start: int, end: int) -> None:
        """A * or # at the start of a line: an item runs to the end of its line; ** is deeper."""
        if self.item is not None and self.item.builder.empty():
            self.item_depth += 1
            self.item.fragment_start = end
            return
        if not self.items:
            self.flush_prose(start, start)
        self.item = WikitextFlattener(self.source, self.doc, end, "cell")
        self.item_depth = 1

    def continue_item(self, node: Node, start: int, end: int) -> bool:
        """Feed a node to the open list item; False when the node was all item text."""
        assert self.item is not None
        if isinstance(node, Text) and "\n" in str(node):
            text = str(node)
            cut = text.index("\n")
            self.item.visit_text(text[:cut], start)
            self.end_item(start + cut)
            rest = text[cut:]
            if rest.strip():
                self.visit(Text(rest), start + cut, end)
            return False
        if isinstance(node, Tag) and str(node.wiki_markup or "") in _LIST_MARKUP and self.item.builder.empty():
            self.start_item(start, end)
            return False
        self.item.visit(node, start, end)
        return False

    def end_item(self, end: int) -> None:
        assert self.item is not None
        self.item.finish(end, end)
        fragments = tuple(self.item.fragments)
        if fragments:
            span = self.source.span(fragments[0].span.start, fragments[-1].span.end)
            self.items.append((d.Row((d.Cell(fragments, span),), span), self.item_depth))
        self.item = None

    def close_list(self, end: int) -> None:
        if self.item is not None:
            self.end_item(end)
        if self.items:
            rows = tuple(row for row, _ in self.items)
            span = self.source.span(rows[0].span.start, rows[-1].span.end)
            self.add_table(d.Table(rows, span, self.headings.chain, self.prose_before(), is_list=True))
            self.items = []

    def add_table(self, table: d.Table) -> None:
        self.doc.tables.append(table)

    def close_section(self, start: int) -> None:
        self.close_list(start)
        self.prose.finish(start, start)
        span = self.source.span(self.section_start, start)
        self.doc.sections.append(d.Section(self.title, self.level, span, tuple(self.prose.fragments), self.heading))


def read_wikitext(source: SourceText) -> d.Document:
    """Sections with their prose, tables, lists, infoboxes, categories and footnotes."""
    return _Page(source).read()
