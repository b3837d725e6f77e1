"""Data silently wrong: one article given twice is read once; two files of one stem never share
row IRIs. (The same rows in the same order on both stores: tests/test_queries.py.)"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph

from kg.build import read_articles
from kg.cli import main
from kg.load import load_graph
from kg.vocab import ORG, RDF, SDO
from tests.expectations import ROOT

ARTICLES = ROOT / "tests" / "articles"


def _rows(graph: Graph) -> tuple[int, int]:
    return len(set(graph.subjects(RDF.type, ORG.Membership))), len(set(graph.subjects(SDO.attendee)))


def _built(tmp_path: Path, *sources: Path) -> Graph:
    out = tmp_path / "out"
    assert main(["build", *map(str, sources), "--out", str(out)]) == 0
    return load_graph(out / "kg.ttl")


def test_one_file_under_two_names_is_read_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "src").mkdir()
    for name in ("icmlpo.wiki", "copy-of-icmlpo.wiki"):
        shutil.copy(ROOT / "seeds" / "icmlpo.wiki", tmp_path / "src" / name)
    [article] = read_articles([tmp_path / "src"])
    assert Path(article.path).name == "copy-of-icmlpo.wiki"  # the first by path
    [warning] = [d for d in article.diagnostics if d.code == "same-article"]
    assert warning.message.startswith(f"{tmp_path / 'src' / 'icmlpo.wiki'} is the same article as this one")
    assert "126 of 126 rows alike" in warning.message
    once = _built(tmp_path, tmp_path / "src")
    assert "same-article" in capsys.readouterr().out
    assert _rows(once) == _rows(_built(tmp_path / "single", ROOT / "seeds" / "icmlpo.wiki")) == (0, 126)


def test_the_wikitext_and_markdown_of_one_article_are_read_once_from_the_wikitext(tmp_path: Path) -> None:
    articles = read_articles([ARTICLES / "b-markdown-members.md", ARTICLES / "b-wikitext-members.wiki"])
    assert [Path(a.path).name for a in articles] == ["b-wikitext-members.wiki"]
    assert _rows(_built(tmp_path, ARTICLES / "b-markdown-members.md", ARTICLES / "b-wikitext-members.wiki")) == (
        15,
        0,
    )


def test_prose_articles_with_one_title_and_the_same_facts_are_read_once() -> None:
    articles = read_articles([ARTICLES / "e-prose.md", ARTICLES / "e-prose.wiki"])
    assert [Path(a.path).name for a in articles] == ["e-prose.wiki"]
    assert "no rows, the same facts" in articles[0].diagnostics[-1].message


def test_articles_with_one_title_and_different_rows_are_both_read(tmp_path: Path) -> None:
    text = (ROOT / "seeds" / "icmlpo.wiki").read_text(encoding="utf-8")
    first_table_ends = text.index("|}") + 2
    (tmp_path / "whole.wiki").write_text(text, encoding="utf-8")
    (tmp_path / "part.wiki").write_text(text[:first_table_ends] + "\n", encoding="utf-8")
    articles = read_articles([tmp_path])
    assert sorted(Path(a.path).name for a in articles) == ["part.wiki", "whole.wiki"]
    assert not [d for a in articles for d in a.diagnostics if d.code == "same-article"]


def test_two_files_of_one_stem_never_share_row_iris(tmp_path: Path) -> None:
    """Two different articles saved as x.wiki and x.md: each keeps all its rows."""
    shutil.copy(ARTICLES / "b-wikitext-members.wiki", tmp_path / "x.wiki")
    shutil.copy(ARTICLES / "g-md-no-country.md", tmp_path / "x.md")
    alone = [_rows(_built(tmp_path / n, ARTICLES / n)) for n in ("b-wikitext-members.wiki", "g-md-no-country.md")]
    both = _built(tmp_path / "both", tmp_path / "x.wiki", tmp_path / "x.md")
    assert _rows(both) == (alone[0][0] + alone[1][0], alone[0][1] + alone[1][1])
    memberships = {str(m) for m in both.subjects(RDF.type, ORG.Membership)}
    assert any("x.wiki-t" in m for m in memberships) and any("x.md-t" in m for m in memberships)
