"""Merge rules on small articles written here, each case with its expected outcome by hand."""

from __future__ import annotations

from kg.records import Article
from kg.resolve import resolve
from kg.sources import read_source
from kg.spans import SourceText


def _attendance(path: str, abbreviation: str, rows: list[tuple[str, str]]) -> Article:
    body = "".join(f"|-\n| {place} || {party}\n" for place, party in rows)
    text = f"'''{abbreviation}国际'''（缩写为{abbreviation}）是一个国际组织。\n\n==第一次会议（2001年）参加者==\n{{|\n|-\n! 国家 !! 政党或组织\n{body}|}}\n"
    return read_source(SourceText(path, text))


def _members(path: str, abbreviation: str, rows: list[tuple[str, str]]) -> Article:
    body = "".join(f"|-\n| {continent} || {party}\n" for continent, party in rows)
    text = f"'''{abbreviation}国际'''（缩写为{abbreviation}）是一个国际组织。\n\n==成员==\n{{|\n|-\n! 大洲 !! 政党或组织\n{body}|}}\n"
    return read_source(SourceText(path, text))


def _groups(articles: list[Article]) -> list[list[str]]:
    """Each party's mentions as "path:line" (rows start on line 8 and come every 2 lines)."""
    resolution = resolve(articles)
    return sorted(sorted(m.id.rsplit(":", 1)[0] for m in p.mentions) for p in resolution.parties)


def test_same_name_same_country_merges_across_variants() -> None:
    a = _attendance("a.wiki", "AI", [("{{FRA}}", "工人党"), ("{{DEU}}", "革命黨")])
    b = _attendance("b.wiki", "BI", [("{{flag|法国}}", "工人黨"), ("{{FRA}}", "革命党")])
    # 工人党 (FR) and 工人黨 (法国) are one party; 革命黨 (DE) and 革命党 (FR) are two.
    assert _groups([a, b]) == [["a.wiki:10"], ["a.wiki:8", "b.wiki:8"], ["b.wiki:10"]]
    party = next(p for p in resolve([a, b]).parties if len(p.mentions) == 2)
    assert [e.rule for e in party.evidence] == ["same-name-country"]


def test_country_inside_continent_merges_but_other_continent_does_not() -> None:
    a = _attendance("a.wiki", "AI", [("{{FRA}}", "工人党"), ("{{JPN}}", "革命党")])
    b = _members("b.wiki", "BI", [("欧洲", "工人党"), ("欧洲", "革命党")])
    resolution = resolve([a, b])
    assert _groups([a, b]) == [["a.wiki:10"], ["a.wiki:8", "b.wiki:8"], ["b.wiki:10"]]
    assert any(n.reason == "same name, places do not agree" for n in resolution.non_merges)


def test_rows_without_a_place_never_merge() -> None:
    a = _attendance("a.wiki", "AI", [("", "工人党")])
    b = _attendance("b.wiki", "BI", [("", "工人党")])
    resolution = resolve([a, b])
    assert len(resolution.parties) == 2
    assert len({p.key for p in resolution.parties}) == 2
    assert resolution.non_merges[0].reason == "same name, but this row states no country or region"


def test_unlinked_name_joins_the_linked_party_whose_place_agrees() -> None:
    a = _attendance("a.wiki", "AI", [("{{FRA}}", "[[工人党_(法国)|工人党]]"), ("{{DEU}}", "[[工人党_(德国)|工人党]]")])
    b = _attendance("b.wiki", "BI", [("{{DEU}}", "工人党")])
    resolution = resolve([a, b])
    german = next(p for p in resolution.parties if p.link == "工人党 (德国)")
    assert [m.id.rsplit(":", 1)[0] for m in german.mentions] == ["a.wiki:10", "b.wiki:8"]
    assert len(resolution.parties) == 2


def test_two_regions_merge_only_when_one_contains_the_other() -> None:
    a = _members("a.wiki", "AI", [("欧洲", "工人党"), ("北美洲", "革命党")])
    b = _members("b.wiki", "BI", [("南欧", "工人党"), ("拉丁美洲", "革命党")])
    assert _groups([a, b]) == [["a.wiki:10"], ["a.wiki:8", "b.wiki:8"], ["b.wiki:10"]]


def test_same_link_merges_whatever_the_displayed_text() -> None:
    a = _attendance("a.wiki", "AI", [("{{GRC}}", "[[希腊共产主义组织|A/辛涅奇亚]]")])
    b = _attendance("b.wiki", "BI", [("{{GRC}}", "[[希腊共产主义组织]]"), ("{{GRC}}", "[[希臘共產主義組織]]")])
    resolution = resolve([a, b])
    (party,) = resolution.parties
    assert party.names == ["A/辛涅奇亚", "希腊共产主义组织", "希臘共產主義組織"]
    assert [e.rule for e in party.evidence] == ["same-link", "same-link"]


def test_resolution_is_deterministic() -> None:
    a = _attendance("a.wiki", "AI", [("{{FRA}}", "工人党"), ("{{DEU}}", "革命党")])
    b = _members("b.wiki", "BI", [("欧洲", "工人党")])
    first, second = resolve([a, b]), resolve([b, a])
    assert first.party_of == second.party_of
