"""Names a researcher can use: English labels where the sources give them, a party's own
country where all its rows agree (with the rows as evidence), ISO and M49 codes apart."""

from __future__ import annotations

from pathlib import Path

import pandas
import pytest
from rdflib import Graph, Literal, URIRef

from kg.api import dataframe
from kg.build import build
from kg.vocab import KGO, PROV, SDO, SKOS

PARTY = "https://kg.example.org/id/party/"
ARTICLE = """'''测试国际'''（{{lang-en|Test International}}，简称TI）是一个政党国际组织。

==成员==
{| class="wikitable"
|-
! 国家 !! 政党 !! 英文名称 !! 原名 !! 加入时间
|-
| {{flag|法国}} || [[甲党]] || Party A || Parti A || 2001年
|-
| {{flag|法国}} || [[乙党]] || || || 2002年
|-
| {{flag|德国}} || [[乙党]] || || || 2003年
|-
| {{flag|西班牙}} || {{link-en|丙党|Party C (Spain)}} || || || 2004年
|-
| || [[丁党]] || || || 2005年
|-
| {{flag|意大利}} || [[丁党]] || || || 2006年
|}
"""


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    folder = tmp_path_factory.mktemp("names")
    (folder / "ti.wiki").write_text(ARTICLE, encoding="utf-8")
    result = build([folder])
    assert result.validation.conforms
    return result.graph


def _party(name: str) -> URIRef:
    return URIRef(PARTY + name)


def test_english_labels_come_from_english_names_in_the_source(graph: Graph) -> None:
    assert set(graph.objects(_party("甲党"), SKOS.prefLabel)) == {
        Literal("甲党", lang="zh-Hans"),
        Literal("Party A", lang="en"),  # the 英文名称 column
    }
    # {{link-en}}: the English title, without its disambiguator, is the label; the title is kept
    assert Literal("Party C", lang="en") in set(graph.objects(_party("丙党"), SKOS.prefLabel))
    assert set(graph.objects(_party("丙党"), KGO.enwikiTitle)) == {Literal("Party C (Spain)")}
    international = URIRef("https://kg.example.org/id/international/TI")
    assert Literal("Test International", lang="en") in set(graph.objects(international, SKOS.prefLabel))


def test_an_own_name_of_unknown_language_is_no_english_label(graph: Graph) -> None:
    assert set(graph.objects(_party("甲党"), SDO.alternateName)) == {Literal("Parti A")}  # the 原名 column


@pytest.mark.parametrize(("name", "country"), [("甲党", "FR"), ("丙党", "ES")])
def test_a_party_whose_rows_agree_has_that_country_with_the_rows_as_evidence(
    graph: Graph, name: str, country: str
) -> None:
    party = _party(name)
    assert set(graph.objects(party, KGO.derivedCountry)) == {URIRef(f"https://kg.example.org/id/country/{country}")}
    (derivation,) = graph.objects(party, KGO.countryDerivation)
    rows = set(graph.objects(derivation, PROV.wasDerivedFrom))
    assert len(rows) == 1 and all((row, None, party) in graph for row in rows)


@pytest.mark.parametrize("name", ["乙党", "丁党"])  # two countries; a row with none
def test_a_party_whose_rows_disagree_or_say_nothing_has_no_country(graph: Graph, name: str) -> None:
    assert not set(graph.objects(_party(name), KGO.derivedCountry))


def test_members_give_country_and_region_apart_as_typed_columns(tmp_path: Path) -> None:
    ti = tmp_path / "ti.wiki"
    ti.write_text(ARTICLE.replace("{{flag|意大利}}", "[[欧洲]]"), encoding="utf-8")
    result = build([tmp_path])
    frame = dataframe("members", result.graph, international="TI")
    rows = {
        tuple(None if pandas.isna(v) else v for v in (r.label, r.country, r.region, r.joined))
        for r in frame.itertuples()
    }
    assert ("丁党", None, "150", 2006) in rows  # 欧洲: the UN M49 region, no country
    assert ("甲党", "FR", None, 2001) in rows
    assert (str(frame["joined"].dtype), str(frame["country"].dtype)) == ("Int64", "string")
    assert frame.loc[frame["label"] == "甲党", "labelEn"].tolist() == ["Party A"]
