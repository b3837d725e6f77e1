"""Every format of an article gives the same records: its wikitext, and the Markdown the real
pandoc writes of it in each flavour and table form (see tests/pandoc/convert.py)."""

from __future__ import annotations

from collections import Counter
from functools import cache
from typing import Any

import pytest

from kg.records import Article, Attendance, Membership
from kg.resolve import resolve
from kg.sources import read_document, read_source
from kg.sources.mdblocks import scan, split_lines
from kg.spans import SourceText
from tests.expectations import EXPECTED, ROOT, expectation_mismatches
from tests.pandoc.convert import RAW, RENDERED, pandoc, pandoc_table_rows, rendered

WIKITEXT = sorted([*(ROOT / "tests" / "articles").glob("*.wiki"), ROOT / "seeds" / "icmlpo.wiki"])
STEMS = [p.stem for p in WIKITEXT]
# Expectations keyed by table and party serve every format of their article.
NEUTRAL = [
    s
    for s in STEMS
    if (EXPECTED / f"{s}.toml").exists() and "line =" not in (EXPECTED / f"{s}.toml").read_text(encoding="utf-8")
]


@cache
def _text(stem: str) -> str:
    return next(p for p in WIKITEXT if p.stem == stem).read_text(encoding="utf-8")


@cache
def _converted(stem: str, flavour: str) -> str:
    if flavour in RAW:
        return pandoc(_text(stem), RAW[flavour])
    return pandoc(rendered(_text(stem)), RENDERED[flavour])


def _read(name: str, text: str) -> Article:
    return read_source(SourceText(name, text))


def _records(article: Article) -> dict[str, Any]:
    """What an article says, without where it says it (spans differ between formats)."""
    entries = []
    for e in sorted(article.entries, key=lambda e: (e.row.table, e.party.span.start)):
        place = (e.country.code, e.country.kind) if e.country else None
        found: tuple[Any, ...] = (e.row.table, type(e).__name__, e.party.name, e.party.link, e.party.english)
        found += (place, e.region.code if e.region else None, e.delegation, e.repairs, e.raw)
        if isinstance(e, Membership):
            end = (e.end.kind, e.end.year.value if e.end.year else None, e.end.other) if e.end else None
            found += (e.role, e.continent.code if e.continent else None, e.joined.value if e.joined else None, end)
        if isinstance(e, Attendance):
            found += (e.conference, e.host)
        entries.append(found)
    tables = [
        (t.index, t.kind, t.role, t.conference.id if t.conference else None, t.rows, t.entries) for t in article.tables
    ]
    return {"tables": tables, "entries": entries}


@pytest.mark.parametrize("flavour", sorted(RAW))
@pytest.mark.parametrize("stem", STEMS)
def test_pandoc_markdown_gives_the_records_of_the_wikitext(stem: str, flavour: str) -> None:
    wiki = _read(f"{stem}.wiki", _text(stem))
    markdown = _read(f"{stem}.{flavour}.md", _converted(stem, flavour))
    assert markdown.format == "markdown"
    assert _records(markdown) == _records(wiki)
    assert markdown.organisation.name == wiki.organisation.name


def _table_rows(name: str, text: str) -> list[int]:
    return [len(t.rows) for t in read_document(SourceText(name, text)).tables if not t.is_list]


@pytest.mark.parametrize("flavour", sorted(RENDERED))
@pytest.mark.parametrize("stem", STEMS)
def test_every_table_form_gives_the_records_of_the_rendered_wikitext(stem: str, flavour: str) -> None:
    """The same records as the rendered wikitext; where pandoc wrote a table it cannot read back
    itself (a row over two lines of a simple table), the rows pandoc reads there."""
    source = rendered(_text(stem))
    text = _converted(stem, flavour)
    markdown = _read(f"{stem}.{flavour}.md", text)
    if _records(markdown) == _records(_read(f"{stem}.rendered.wiki", source)):
        return
    back = pandoc_table_rows(text, "gfm" if flavour == "gfm" else "markdown")
    assert back != pandoc_table_rows(source, "mediawiki"), "pandoc reads these tables back as they were"
    assert _table_rows(f"{stem}.{flavour}.md", text) == back


@pytest.mark.parametrize("flavour", sorted(RAW))
@pytest.mark.parametrize("stem", NEUTRAL)
def test_one_expectation_serves_every_format(stem: str, flavour: str) -> None:
    article = _read(f"{stem}.{flavour}.md", _converted(stem, flavour))
    assert expectation_mismatches(stem, article, resolve([article])) == []


def test_the_corpus_exercises_every_table_form_pandoc_writes() -> None:
    """The flavours are not vacuous: across the corpus pandoc wrote each table form at least once."""
    forms: Counter[str] = Counter()
    for stem in STEMS:
        for flavour in RENDERED:
            text = _converted(stem, flavour)
            forms.update(b.form for b in scan(text, split_lines(text)) if b.kind == "table" and b.form)
    assert set(forms) == {"html", "grid", "pipe", "simple", "multiline"}, forms
