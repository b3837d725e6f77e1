"""Every stored query against rows written by hand from the article text, on both stores,
with and without reasoning; and the catalogue headers themselves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.plugins.sparql import prepareQuery

from kg.errors import SourceError, UsageError
from kg.query import StoredQuery, bind, catalogue, load_query, run
from kg.reason import infer
from kg.store import Result, Store, open_store

CATALOGUE = catalogue()
ID = "https://kg.example.org/id/"


@pytest.fixture(scope="module")
def stores(seed_graph: Graph) -> dict[str, Store]:
    """The seed graph in each store, and with its inferences added."""
    reasoned = Graph()
    reasoned += seed_graph
    reasoned += infer(seed_graph)
    return {
        "rdflib": open_store("rdflib", graph=seed_graph),
        "oxigraph": open_store("oxigraph", graph=seed_graph),
        "reasoned": open_store("oxigraph", graph=reasoned),
    }


@pytest.fixture(scope="module")
def store(stores: dict[str, Store]) -> Store:
    return stores["oxigraph"]


def ask(store: Store, name: str, **params: str) -> Result:
    query = CATALOGUE[name]
    return run(query, store, bind(query, store, params))


def column(result: Result, name: str) -> list[str]:
    index = result.columns.index(name)
    return [str(row[index]) if row[index] is not None else "" for row in result.rows]


def records(result: Result, *names: str) -> set[tuple[str, ...]]:
    return set(zip(*(column(result, n) for n in names), strict=True))


# ---------------------------------------------------------------- the catalogue


def test_catalogue_has_the_required_queries_and_at_least_ten_more() -> None:
    required = {"attended-every-conference", "parties-in-several-internationals", "conference-attendance", "members"}
    assert required <= set(CATALOGUE)
    assert len(CATALOGUE) >= len(required) + 10


@pytest.mark.parametrize("query", CATALOGUE.values(), ids=list(CATALOGUE))
def test_header_documents_every_parameter_and_column(store: Store, query: StoredQuery) -> None:
    select = query.text[query.text.index("SELECT") : query.text.index("WHERE")]
    for param in query.params:
        assert f"?{param.name}" in select, f"{param.name} must be projected so Oxigraph can bind it"
    undocumented = {v for v in re.findall(r"\$(\w+)", query.text)}
    assert not undocumented
    # the projection as rdflib's parser reads it, and as the engine answers: both are the header's
    projected = tuple(str(v) for v in prepareQuery(query.text).algebra["PV"])
    assert projected == query.columns
    result = run(query, store, bind(query, store, {}))
    assert tuple(result.columns) == query.columns


@pytest.mark.parametrize("query", CATALOGUE.values(), ids=list(CATALOGUE))
def test_same_rows_on_both_stores_and_with_reasoning(stores: dict[str, Store], query: StoredQuery) -> None:
    """The same rows in the same order: a stored query orders its rows totally, and sorts the
    values it concatenates (GROUP_CONCAT keeps the order the engine meets them in)."""
    bindings = bind(query, stores["rdflib"], {})
    plain = run(query, stores["rdflib"], bindings).rows
    assert plain, "the seeds answer every stored query"
    assert run(query, stores["oxigraph"], bindings).rows == plain
    assert run(query, stores["reasoned"], bindings).rows == plain


@pytest.mark.parametrize(
    ("header", "line", "message"),
    [
        ("#+ summary: x\n#+ colums: a\n", 2, "header line must be"),
        ("#+ summary: x\n", 1, "exactly one '#+ columns:'"),
        ("#+ summary: x\n#+ param: a (colour) = 1 -- y\n#+ columns: a\n", 2, "TYPE one of"),
        ("#+ summary: x\n#+ param: a (string) -- y\n#+ columns: a\n", 2, "needs '= DEFAULT' or '?'"),
        ("#+ summary: x\n#+ columns: a b\n", 2, "comma-separated"),
    ],
)
def test_malformed_header_names_file_and_line(tmp_path: Path, header: str, line: int, message: str) -> None:
    path = tmp_path / "bad.rq"
    path.write_text(header + "SELECT ?a WHERE { ?a ?b ?c }\n", encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load_query(path)
    assert (caught.value.diagnostic.path, caught.value.diagnostic.line) == (str(path), line)
    assert message in caught.value.diagnostic.message


def test_unknown_parameter_and_value_are_usage_errors(store: Store) -> None:
    query = CATALOGUE["members"]
    with pytest.raises(UsageError, match="parameters: international, role"):
        bind(query, store, {"colour": "red"})
    with pytest.raises(UsageError, match="role must be one of member, observer, former"):
        bind(query, store, {"role": "chair"})
    with pytest.raises(UsageError, match="names 2 internationals"):
        bind(query, store, {"international": "马列主义政党和组织国际会议"})
    with pytest.raises(UsageError, match="no international called 'ICMLP'"):
        bind(query, store, {"international": "ICMLP"})


def test_parameters_cannot_inject_sparql(store: Store) -> None:
    query = CATALOGUE["about-party"]
    with pytest.raises(UsageError, match="no party called"):
        bind(query, store, {"party": '希腊共产主义组织" } ; DROP ALL ; #'})


# ---------------------------------------------------------------- answers, by hand from the articles


def test_attended_every_conference(store: Store) -> None:
    # The five ICMLPO tables (1999-2011), party by party; 阿富汗马列主义组织, 刚果革命组织 and
    # 卢森堡共产主义组织 are unlinked there and counted once; A/辛涅奇亚 is 希腊共产主义组织.
    result = ask(store, "attended-every-conference", international="ICMLPO")
    assert set(column(result, "label")) == {
        "阿富汗马列主义组织", "阿根廷革命共产党", "孟加拉国工人党", "刚果革命组织", "马列主义共产主义组织－无产阶级道路",
        "德国马列主义党", "希腊共产主义组织", "卢森堡共产主义组织", "马列主义者团体/红色黎明", "菲律宾共产党",
        "土耳其共产党/马列", "乌拉圭革命共产党", "劳工革命组织",
    }  # fmt: skip
    assert set(column(result, "conferences")) == {"5"}
    assert ("希腊共产主义组织", "希腊共产主义组织") in records(result, "label", "zhwiki")
    assert ("刚果革命组织", "") in records(result, "label", "zhwiki")
    # India sent a party every time, but never the same one five times.
    assert not any("印度" in label for label in column(result, "label"))
    assert ask(store, "attended-every-conference", international="CIPOML").rows == []


def test_parties_in_several_internationals(store: Store) -> None:
    result = ask(store, "parties-in-several-internationals")
    both = {
        "阿富汗马列主义组织", "印度共产党（马列）临时中央委员会", "伊朗劳动者党", "尼泊尔共产党（火炬） (2006年)",
        "布尔什维克党（北库尔德斯坦－土耳其）", "德国马列主义党", "希腊共产主义组织", "卢森堡共产主义组织",
        "马列主义者团体/红色黎明", "俄罗斯毛主义党", "劳动党 (塞尔维亚)", "刚果革命组织", "南非共产党（马列）",
        "共产党（马列）", "巴拿马共产党（马列）", "劳工革命组织", "玻利维亚共产党－马列毛", "哥伦比亚共产党－毛主义",
    }  # fmt: skip
    expected = {(label, "2", "ICMLPO;ICOR") for label in both} | {("智利共产党（无产阶级行动）", "2", "CIPOML;ICOR")}
    assert records(result, "label", "internationals", "names") == expected


def test_conference_attendance(store: Store) -> None:
    result = ask(store, "conference-attendance", international="ICMLPO")
    assert [(r[1], r[2], r[3]) for r in map(lambda row: [str(t) for t in row], result.rows)] == [
        ("6", "1999", "21"), ("7", "2001", "27"), ("8", "2004", "29"), ("9", "2007", "25"), ("10", "2011", "24"),
    ]  # fmt: skip


def test_members(store: Store) -> None:
    assert len(ask(store, "members", international="ICOR").rows) == 52
    observers = ask(store, "members", international="CIPOML", role="observer")
    assert set(column(observers, "label")) == {"革命共产党", "美国劳工党"}
    former = ask(store, "members", international="CIPOML", role="former")
    assert records(former, "label", "left", "endEvent", "country") == {
        ("智利共产党（无产阶级行动）", "", "", "CL"),
        ("德国共产党－红色黎明", "2008", ID.replace("/id/", "/ontology#") + "Expelled", "DE"),
        ("争取统一希腊共产党运动", "", ID.replace("/id/", "/ontology#") + "ReplacedBy", "GR"),
        ("列宁圈子", "2008", ID.replace("/id/", "/ontology#") + "Ceased", ""),
        ("争取意大利无产阶级共产党组织", "2002", ID.replace("/id/", "/ontology#") + "Ceased", "IT"),
        ("红旗 (政党)", "2005", ID.replace("/id/", "/ontology#") + "Expelled", ""),
    }
    icor = ask(store, "members", international="ICOR")
    assert ("保加利亚共产党 (1990年)", "2012", "150", "BG") in records(icor, "label", "joined", "continent", "country")
    assert ("共产党（马列）", "2010", "003", "") in records(icor, "label", "joined", "continent", "country")


def test_attendance_by_country(store: Store) -> None:
    result = records(ask(store, "attendance-by-country", international="ICMLPO"), "code", "conferences", "parties")
    for row in [
        ("AF", "5", "1"),
        ("IN", "5", "3"),
        ("TR", "5", "2"),
        ("PE", "5", "2"),
        ("039", "1", "1"),
        ("CSXX", "1", "1"),
        ("RS", "2", "1"),
    ]:
        assert row in result


def test_attendance_by_continent(store: Store) -> None:
    # Counted from the five tables: Asia 44 (incl. the 南亚 delegation), the Americas 38,
    # Europe 35 (incl. 南欧 and 塞尔维亚和黑山), Africa 9 — 126 rows in all.
    result = ask(store, "attendance-by-continent", international="ICMLPO")
    assert records(result, "label", "attendances") == {("亚洲", "44"), ("美洲", "38"), ("欧洲", "35"), ("非洲", "9")}


def test_newcomers_and_dropouts(store: Store) -> None:
    result = records(ask(store, "newcomers-and-dropouts", international="ICMLPO"), "ordinal", "change", "label")
    seventh = {(c, label) for o, c, label in result if o == "7"}
    assert seventh == {
        ("joined", x)
        for x in (
            "玻利维亚共产党－马列毛",
            "哥伦比亚共产党－毛主义",
            "尼泊尔共产党（火炬） (1983年)",
            "巴拿马共产党（马列）",
            "秘鲁共产党（马列）",
            "南非共产党（马列）",
            "布尔什维克党（北库尔德斯坦－土耳其）",
        )
    } | {("left", "阿马鲁学会")}
    tenth = {(c, label) for o, c, label in result if o == "10"}
    assert tenth == {("joined", "共产党（马列）"), ("joined", "尼泊尔共产党（火炬） (2006年)"), ("joined", "俄罗斯毛主义党"),
                     ("left", "哥伦比亚共产党－毛主义"), ("left", "争取抵抗支持委员会－争取共产主义"), ("left", "南欧共产主义组织")}  # fmt: skip


def test_party_timeline(store: Store) -> None:
    result = ask(store, "party-timeline", party="希腊共产主义组织")
    assert records(result, "year", "event", "detail") == {
        ("1999", "attended", "A/辛涅奇亚"), ("2001", "attended", "A/辛涅奇亚"), ("2004", "attended", "希腊共产主义组织"),
        ("2007", "attended", "希腊共产主义组织"), ("2011", "attended", "希腊共产主义组织"), ("2010", "joined", ""),
    }  # fmt: skip


def test_moved_between_internationals(store: Store) -> None:
    # Last at ICMLPO in 2007, joined ICOR in 2011; at ICMLPO in 2011, joined ICOR in 2012.
    result = ask(store, "moved-between-internationals")
    assert records(result, "label", "from", "lastSeen", "to", "firstSeen") == {
        ("哥伦比亚共产党－毛主义", "ICMLPO", "2007", "ICOR", "2011"),
        ("俄罗斯毛主义党", "ICMLPO", "2011", "ICOR", "2012"),
    }


def test_former_members(store: Store) -> None:
    result = ask(store, "former-members")
    assert records(result, "label", "endEvent", "year", "approximate") == {
        ("智利共产党（无产阶级行动）", "", "", ""), ("德国共产党－红色黎明", "Expelled", "2008", "false"),
        ("争取统一希腊共产党运动", "ReplacedBy", "", "false"), ("列宁圈子", "Ceased", "2008", "false"),
        ("争取意大利无产阶级共产党组织", "Ceased", "2002", "true"), ("红旗 (政党)", "Expelled", "2005", "false"),
    }  # fmt: skip
    assert ("争取统一希腊共产党运动", "争取重组1918年－55年的希腊共产党运动") in records(result, "label", "replacedBy")


def test_join_year_histogram(store: Store) -> None:
    # icor.md: 38 parties joined in 2010, 1 in 2011, 2 in 2012, 2 in 2013, 3 in 2014, 1 in 2015,
    # 2 in 2016, 1 in 2017, 2 in 2018 (52 in all).
    result = ask(store, "join-year-histogram", international="ICOR")
    assert records(result, "year", "members") == {
        ("2010", "38"), ("2011", "1"), ("2012", "2"), ("2013", "2"), ("2014", "3"), ("2015", "1"), ("2016", "2"), ("2017", "1"), ("2018", "2"),
    }  # fmt: skip


def test_attended_together(store: Store) -> None:
    result = records(
        ask(store, "attended-together", international="ICMLPO", minimum="5"), "label1", "label2", "together"
    )
    assert ("德国马列主义党", "希腊共产主义组织", "5") in result or (
        "希腊共产主义组织",
        "德国马列主义党",
        "5",
    ) in result
    assert {t for _, _, t in result} == {"5"}
    assert len(result) == 13 * 12 // 2  # every pair of the 13 parties at all five conferences


def test_countries_with_several_parties(store: Store) -> None:
    result = ask(store, "countries-with-several-parties", international="ICMLPO")
    assert records(result, "code", "parties") == {("IN", "3"), ("TR", "2"), ("PE", "2"), ("NP", "3")}


def test_parties_without_article(store: Store) -> None:
    labels = set(column(ask(store, "parties-without-article"), "label"))
    assert {"雷文多", "刚果革命组织", "印度革命民主组织", "革命共产党", "来自南亚的组织"} & labels == {
        "雷文多",
        "刚果革命组织",
        "印度革命民主组织",
        "革命共产党",
    }
    assert "阿富汗马列主义组织" not in labels  # linked in icor.md


def test_about_party(store: Store) -> None:
    result = ask(store, "about-party", party="阿富汗马列主义组织")
    assert ("ICOR", "member", "2010", "icor.md:27") in records(result, "international", "statement", "year", "source")
    assert ("ICMLPO", "attended conference 10", "2011", "icmlpo.wiki:12") in records(
        result, "international", "statement", "year", "source"
    )
    assert len(result.rows) == 6


def test_merge_evidence(store: Store) -> None:
    result = records(ask(store, "merge-evidence"), "label", "rule", "strength", "evidence")
    assert ("刚果革命组织", "SameNameCountry", "medium", "4") in result
    assert ("刚果革命组织", "SameNameRegion", "weak", "1") in result
    assert ("希腊共产主义组织", "SameLink", "strong", "5") in result


def test_international_profile(store: Store) -> None:
    result = records(ask(store, "international-profile"), "abbreviation", "founded", "foundingPlace")
    assert result == {
        ("CIPOML", "1994-08", "基多"),
        ("ICMLPO", "", ""),
        ("ICOR", "2010-10-06", ""),
        ("MIM", "1983", ""),
    }
