"""Triples for a sample of rows, written by hand from the article text (see the line cited)."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef

from kg.graph import build_graph
from kg.records import Article
from kg.resolve import resolve
from kg.vocab import KGO, ORG, OWL, PROV, RDF, SDO, SKOS, TIME, XSD

ID = "https://kg.example.org/id/"


def iri(path: str) -> URIRef:
    return URIRef(ID + path)


def gyear(value: str) -> Literal:
    return Literal(value, datatype=XSD.gYear)


def positive(value: int) -> Literal:
    return Literal(value, datatype=XSD.positiveInteger)


EXPECTED = [
    # icmlpo.wiki line 7: ==第十次会议（2011年）参加者==
    (iri("international/ICMLPO/conference/10"), RDF.type, KGO.Conference),
    (iri("international/ICMLPO/conference/10"), KGO.ordinal, positive(10)),
    (iri("international/ICMLPO/conference/10"), SDO.startDate, gyear("2011")),
    (iri("international/ICMLPO/conference/10"), SDO.organizer, iri("international/ICMLPO")),
    # icmlpo.wiki line 12: |  {{flag|阿富汗}} ||        阿富汗马列主义组织   (table 1, row 2)
    (
        iri("international/ICMLPO/conference/10/attendance/icmlpo-t1-r2"),
        KGO.conference,
        iri("international/ICMLPO/conference/10"),
    ),
    (iri("international/ICMLPO/conference/10/attendance/icmlpo-t1-r2"), SDO.attendee, iri("party/阿富汗马列主义组织")),
    (
        iri("international/ICMLPO/conference/10/attendance/icmlpo-t1-r2"),
        KGO.listedAs,
        Literal("阿富汗马列主义组织", lang="zh"),
    ),
    (iri("international/ICMLPO/conference/10/attendance/icmlpo-t1-r2"), KGO.listedUnder, iri("country/AF")),
    (
        iri("international/ICMLPO/conference/10/attendance/icmlpo-t1-r2"),
        PROV.wasDerivedFrom,
        iri("source/icmlpo.wiki#L12C27"),
    ),
    (iri("source/icmlpo.wiki#L12C27"), KGO.line, positive(12)),
    (iri("source/icmlpo.wiki#L12C27"), KGO.table, positive(1)),
    (iri("source/icmlpo.wiki#L12C27"), KGO.row, positive(2)),
    (iri("source/icmlpo.wiki#L12C27"), KGO.inArticle, iri("source/icmlpo.wiki")),
    # icmlpo.wiki line 204: |  {{GRC}}   ||   [[希腊共产主义组织|A/辛涅奇亚]]  (7th conference, 2001)
    (iri("international/ICMLPO/conference/7/attendance/icmlpo-t4-r11"), SDO.attendee, iri("party/希腊共产主义组织")),
    (iri("international/ICMLPO/conference/7/attendance/icmlpo-t4-r11"), KGO.listedAs, Literal("A/辛涅奇亚", lang="zh")),
    # icmlpo.wiki line 114: |  [[南亚|南亚]] ||   来自南亚的组织  (9th conference; a delegation)
    (iri("international/ICMLPO/conference/9/delegation/icmlpo-t2-r26"), RDF.type, KGO.Delegation),
    (
        iri("international/ICMLPO/conference/9/attendance/icmlpo-t2-r26"),
        SDO.attendee,
        iri("international/ICMLPO/conference/9/delegation/icmlpo-t2-r26"),
    ),
    (iri("international/ICMLPO/conference/9/attendance/icmlpo-t2-r26"), KGO.listedUnder, iri("region/034")),
    # icmlpo.wiki line 166 (table 3, row 24: header row 1 on line 120, one row every 2 lines)
    (iri("international/ICMLPO/conference/8/attendance/icmlpo-t3-r24"), KGO.listedUnder, iri("country/CSXX")),
    (iri("international/ICMLPO/conference/8/attendance/icmlpo-t3-r24"), SDO.attendee, iri("party/劳动党_(塞尔维亚)")),
    (iri("party/劳动党_(塞尔维亚)"), SKOS.prefLabel, Literal("劳动党 (塞尔维亚)", lang="zh-Hans")),
    (iri("party/劳动党_(塞尔维亚)"), KGO.zhwikiTitle, Literal("劳动党 (塞尔维亚)")),
    (iri("country/CSXX"), SKOS.notation, Literal("CSXX")),
    # cipoml.md line 212: 争取意大利无产阶级共产党组织（2002年左右停止活动） (former members, row 6)
    (iri("international/CIPOML/membership/cipoml-t3-r6"), ORG.role, KGO.FormerMemberRole),
    (iri("international/CIPOML/membership/cipoml-t3-r6"), ORG.member, iri("party/争取意大利无产阶级共产党组织")),
    (iri("international/CIPOML/membership/cipoml-t3-r6"), ORG.organization, iri("international/CIPOML")),
    (iri("international/CIPOML/membership/cipoml-t3-r6/end"), KGO.endEventKind, KGO.Ceased),
    (iri("international/CIPOML/membership/cipoml-t3-r6/end"), KGO.year, gyear("2002")),
    (iri("international/CIPOML/membership/cipoml-t3-r6/end"), KGO.approximate, Literal(True)),
    (iri("international/CIPOML/membership/cipoml-t3-r6/left"), TIME.inXSDgYear, gyear("2002")),
    # cipoml.md line 204: 争取统一希腊共产党运动（成员资格被争取重组1918年－55年的希腊共产党运动取代）
    (iri("international/CIPOML/membership/cipoml-t3-r4/end"), KGO.endEventKind, KGO.ReplacedBy),
    (
        iri("international/CIPOML/membership/cipoml-t3-r4/end"),
        KGO.replacedBy,
        iri("party/争取重组1918年－55年的希腊共产党运动"),
    ),
    # cipoml.md line 127: 革命共产党_(巴西) under 拉丁美洲, country lost: inferred from the disambiguator
    (iri("international/CIPOML/membership/cipoml-t1-r23"), KGO.continent, iri("region/419")),
    (iri("international/CIPOML/membership/cipoml-t1-r23"), KGO.inferredCountry, iri("country/BR")),
    (
        iri("international/CIPOML/membership/cipoml-t1-r23"),
        KGO.countryEvidence,
        Literal("disambiguator: 革命共产党 (巴西)"),
    ),
    # icor.md lines 127-132 (table row 20): 保加利亚共产党 (1990年) | 2012年, shifted two columns left
    (iri("international/ICOR/membership/icor-t1-r20"), ORG.member, iri("party/保加利亚共产党_(1990年)")),
    (iri("international/ICOR/membership/icor-t1-r20/joined"), TIME.inXSDgYear, gyear("2012")),
    # mim.md: 创建于1983年 …; 是美国的一个已不存在的毛派组织
    (iri("party/毛主义国际主义运动@US"), SDO.foundingDate, gyear("1983")),
    (iri("party/毛主义国际主义运动@US"), KGO.defunct, Literal(True)),
    (iri("party/毛主义国际主义运动@US"), KGO.country, iri("country/US")),
    (iri("party/毛主义国际主义运动@US"), KGO.renamedIn, gyear("1984")),
    # cipoml.md line 1: 1994年8月 … 在…基多举行会议，决定成立该组织; line 4: the same-name Maoist international
    (iri("international/CIPOML"), SDO.foundingDate, Literal("1994-08", datatype=XSD.gYearMonth)),
    (iri("international/CIPOML"), OWL.differentFrom, iri("international/ICMLPO")),
    (iri("international/ICMLPO"), OWL.differentFrom, iri("international/CIPOML")),
]


@pytest.mark.parametrize("triple", EXPECTED, ids=lambda t: f"{t[0].removeprefix(ID)} {t[1].n3()}")
def test_expected_triple(seed_graph: Graph, triple: tuple[URIRef, URIRef, URIRef | Literal]) -> None:
    assert triple in seed_graph


def test_both_internationals_keep_the_same_name_apart(seed_graph: Graph) -> None:
    name = Literal("马列主义政党和组织国际会议", lang="zh-Hans")
    assert set(seed_graph.subjects(SKOS.prefLabel, name)) == {iri("international/ICMLPO"), iri("international/CIPOML")}


def test_every_attendance_and_membership_names_its_source_row(seed_graph: Graph) -> None:
    for cls in (KGO.Attendance, ORG.Membership):
        for node in seed_graph.subjects(RDF.type, cls):
            (location,) = seed_graph.objects(node, PROV.wasDerivedFrom)
            assert (location, KGO.row, None) in seed_graph
            assert (node, PROV.hadPrimarySource, None) in seed_graph


def test_merged_parties_carry_evidence(seed_graph: Graph) -> None:
    # 刚果革命组织: five ICMLPO rows under {{flag|刚果民主共和国}} and one ICOR row under 非洲.
    party = iri("party/刚果革命组织@CD")
    rules = sorted(
        str(seed_graph.value(e, KGO.rule)).rsplit("#", 1)[1] for e in seed_graph.objects(party, KGO.mergeEvidence)
    )
    assert rules == ["SameNameCountry"] * 4 + ["SameNameRegion"]


def test_nothing_without_a_source(seed_graph: Graph) -> None:
    """No blank nodes: every node has a stable IRI."""
    assert not [t for t in seed_graph if any(type(x).__name__ == "BNode" for x in t)]


def test_every_source_row_becomes_triples_or_is_reported(seeds: dict[str, Article], corpus: dict[str, Article]) -> None:
    """Rows in = rows out: each data row yields its entries in the graph, or is listed as
    skipped with a reason; nothing disappears between the tables and the graph."""
    for articles in (list(seeds.values()), list(corpus.values())):
        graph = build_graph(articles, resolve(articles))
        nodes = len(set(graph.subjects(RDF.type, KGO.Attendance))) + len(set(graph.subjects(RDF.type, ORG.Membership)))
        reports = [t for a in articles for t in a.tables]
        assert nodes == sum(t.entries for t in reports) == sum(len(a.entries) for a in articles)
        rows_with_entries = {(a.path, e.row.table, e.row.row) for a in articles for e in a.entries}
        for article in articles:
            for table in article.tables:
                yielded = {r for p, t, r in rows_with_entries if p == article.path and t == table.index}
                assert len(yielded) + len(table.skipped) == table.rows, (article.path, table.index)
