"""Properties that must hold for any input, checked with generated text (hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kg.errors import SourceError
from kg.fold import fold
from kg.geo import gazetteer
from kg.records import Article
from kg.sources import read_source
from kg.spans import SourceText
from kg.titles import page_title

MARKUP = "[]{}|<>*#='\"\\()（）\n !-/:_`"
NAME_CHARS = "党组织工人革命联盟团体运动共产先锋阵线同志会社"
FLAGS = ["{{FRA}}", "{{flag|德国}}", "{{伊朗}}", "{{flagicon|ESP}}", "[[南欧|南欧]]"]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(MARKUP) | st.characters(), max_size=400))
def test_readers_never_raise_on_arbitrary_text(text: str) -> None:
    try:
        read_source(SourceText("any.txt", text))
    except SourceError as error:
        assert error.diagnostic.line >= 1 and error.diagnostic.col >= 1


names = st.text(alphabet=NAME_CHARS, min_size=2, max_size=8)
rows = st.lists(st.tuples(st.sampled_from(FLAGS), names, st.booleans()), min_size=1, max_size=12)


def _wikitext(table: list[tuple[str, str, bool]]) -> tuple[str, list[str]]:
    cells = [f"[[{name}_(页)|{name}]]" if linked else name for _, name, linked in table]
    body = "".join(f"|-\n| {flag} || {cell}\n" for (flag, _, _), cell in zip(table, cells, strict=True))
    text = f"'''某国际'''（缩写为XI）是一个国际组织。\n\n==第二次会议（2003年）参加者==\n{{|\n|-\n! 国家 !! 政党或组织\n{body}|}}\n"
    return text, cells


def _markdown(table: list[tuple[str, str, bool]]) -> tuple[str, list[str]]:
    cells = [
        f'<a href="https://zh.wikipedia.org/wiki/{name}" title="wikilink">{name}</a>' if linked else name
        for _, name, linked in table
    ]
    body = "".join(f"<tr>\n<td></td>\n<td><p>{cell}</p></td>\n<td><p>2010年</p></td>\n</tr>\n" for cell in cells)
    header = "<tr><th><p>大洲</p></th><th><p>国家</p></th><th><p>政党或组织</p></th><th><p>加入时间</p></th></tr>"
    text = f"**某国际**（缩写为XI）是一个国际组织。\n\n## 成员\n\n<table>\n{header}\n{body}</table>\n"
    return text, cells


def _check_spans(article: Article, text: str, cells: list[str]) -> None:
    entries = sorted(article.entries, key=lambda e: e.party.span.start)
    assert len(entries) == len(cells)
    for entry, cell in zip(entries, cells, strict=True):
        span = entry.party.span
        assert text[span.start : span.end] == cell
        assert entry.party.name in cell
        line_start = text.rfind("\n", 0, span.start) + 1
        assert (span.line, span.col) == (text.count("\n", 0, span.start) + 1, span.start - line_start + 1)


@settings(max_examples=100)
@given(rows)
def test_every_wikitext_row_comes_out_and_its_span_slices_back_to_its_cell(table: list[tuple[str, str, bool]]) -> None:
    assume(all(gazetteer().lookup(name) is None for _, name, _ in table))
    text, cells = _wikitext(table)
    _check_spans(read_source(SourceText("gen.wiki", text)), text, cells)


@settings(max_examples=100)
@given(rows)
def test_every_markdown_row_comes_out_and_its_span_slices_back_to_its_cell(table: list[tuple[str, str, bool]]) -> None:
    assume(all(gazetteer().lookup(name) is None for _, name, _ in table))
    text, cells = _markdown(table)
    article = read_source(SourceText("gen.md", text))
    _check_spans(article, text, cells)
    assert all(m.joined and m.joined.value == 2010 for m in article.memberships)


@given(st.text(max_size=60))
def test_folding_and_title_normalisation_are_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)
    assert page_title(page_title(text)) == page_title(text)
