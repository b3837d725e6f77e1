"""The Linked Data pages and descriptions (kg/pages.py) over the seed graph, with no server:
facts written by hand from the seed articles, escaping, addresses, and well-formed HTML."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.iri import segment
from kg.pages import Site, Source, description, home_page, resource_page
from kg.query import catalogue
from kg.store import Result, Store, open_store
from kg.vocab import KGO, ORG, PROV, RDF, RDFS, SDO, SKOS, XSD

ID = "https://kg.example.org/id/"
SERBIAN_LABOUR = URIRef(ID + "party/劳动党_(塞尔维亚)")
AFGHAN = URIRef(ID + "party/阿富汗马列主义组织")
URUGUAY = URIRef(ID + "party/乌拉圭革命共产党")
ICMLPO = URIRef(ID + "international/ICMLPO")
ICOR = URIRef(ID + "international/ICOR")
ICMLPO_ARTICLE = "https://zh.wikipedia.org/wiki/马列主义政党和组织国际会议_(国际通讯)"
ICOR_ARTICLE = "https://zh.wikipedia.org/wiki/革命政党和组织国际协调"
SITE = Site(root="http://127.0.0.1:7878/")
# The five attendance tables of seeds/icmlpo.wiki, counted by hand (tests/test_query_cli.py).
ICMLPO_CONFERENCES = {6: ("1999", 21), 7: ("2001", 27), 8: ("2004", 29), 9: ("2007", 25), 10: ("2011", 24)}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Cell:
    text: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)  # (href, text)


@dataclass
class Form:
    action: str
    method: str
    fields: list[str] = field(default_factory=list)


class Page(HTMLParser):
    """A page read back: tags closed and nested, the tables by id (rows of cells), the forms
    by id (their field names), every link."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.errors: list[str] = []
        self.open: list[str] = []
        self.tables: dict[str, list[list[Cell]]] = {}
        self.forms: dict[str, Form] = {}
        self.links: list[tuple[str, str]] = []
        self.ids: list[str] = []
        self.head: list[tuple[str, dict[str, str]]] = []
        self._table: str | None = None
        self._form: str | None = None
        self._cell: Cell | None = None
        self._link: list[str] | None = None
        self._body = False
        self.feed(html)
        self.close()
        if self.open:
            self.errors.append(f"never closed: {self.open}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if tag not in VOID:
            self.open.append(tag)
        if not self._body:
            self.head.append((tag, attributes))
        self._body = self._body or tag == "body"
        self._start(tag, attributes)

    def _start(self, tag: str, attributes: dict[str, str]) -> None:
        if tag == "table" and "id" in attributes:
            self._table = attributes["id"]
            self.tables[self._table] = []
        elif tag == "tr" and self._table is not None and "tbody" in self.open:
            self.tables[self._table].append([])
        elif tag == "td" and self._table is not None and self.tables[self._table]:
            self._cell = Cell()
            self.tables[self._table][-1].append(self._cell)
        elif tag == "a":
            self._link = [attributes.get("href", ""), ""]
        elif tag == "form":
            self._form = attributes.get("id", "")
            self.forms[self._form] = Form(attributes.get("action", ""), attributes.get("method", ""))
        elif tag in ("input", "select", "textarea") and self._form is not None:
            self.forms[self._form].fields.append(attributes.get("name", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.open or self.open[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.open[-1:] or 'nothing'}")
            return
        self.open.pop()
        if tag == "a" and self._link is not None:
            link = (self._link[0], self._link[1].strip())
            self.links.append(link)
            if self._cell is not None:
                self._cell.links.append(link)
            self._link = None
        self._cell = None if tag == "td" else self._cell
        self._table = None if tag == "table" else self._table
        self._form = None if tag == "form" else self._form

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.text += data
        if self._link is not None:
            self._link[1] += data

    def column(self, table: str, index: int) -> list[str]:
        return [row[index].text.strip() for row in self.tables[table]]

    def sources(self, table: str) -> list[tuple[str, str]]:
        """The last column's links: (href, file:line)."""
        return [link for row in self.tables[table] for link in row[-1].links]


@pytest.fixture(scope="module")
def store(seed_graph: Graph) -> Store:
    return open_store("oxigraph", graph=seed_graph)


def page_of(store: Store, iri: URIRef) -> Page:
    html = resource_page(store, iri, SITE)
    assert html is not None, iri
    page = Page(html)
    assert not page.errors, page.errors
    return page


# ---------------------------------------------------------------- party pages


def test_party_page_lists_memberships_and_attendance_with_sources(store: Store) -> None:
    page = page_of(store, SERBIAN_LABOUR)
    # seeds/icor.md:207-208: [[劳动党 (塞尔维亚)|劳动党]], 2010年
    (membership,) = page.tables["memberships"]
    assert [c.text.strip() for c in membership[1:5]] == ["ICOR", "成员", "2010", ""]
    assert membership[-1].links == [(ICOR_ARTICLE, "icor.md:207")]
    assert membership[1].links == [(SITE.url(ICOR), "ICOR")]
    # seeds/icmlpo.wiki: the 8th (2004, line 166, under 塞尔维亚和黑山), 9th (2007, line 100)
    # and 10th conference (2011, line 48)
    assert page.column("attendance", 3) == ["2004", "2007", "2011"]
    assert page.column("attendance", 2) == ["第8次会议", "第9次会议", "第10次会议"]
    assert page.sources("attendance") == [
        (ICMLPO_ARTICLE, "icmlpo.wiki:166"),
        (ICMLPO_ARTICLE, "icmlpo.wiki:100"),
        (ICMLPO_ARTICLE, "icmlpo.wiki:48"),
    ]
    assert page.column("attendance", 5) == ["塞尔维亚和黑山", "塞尔维亚", "塞尔维亚"]
    assert (SITE.url(ID + "international/ICMLPO/conference/8"), "第8次会议") in page.links
    # names, the page of its article, merge evidence (all three: the same link target)
    assert ("https://zh.wikipedia.org/wiki/劳动党_(塞尔维亚)", "劳动党 (塞尔维亚)") in page.links
    assert page.column("evidence", 0) == ["相同的维基链接目标"] * 3


def test_party_page_says_what_about_party_says(store: Store) -> None:
    """tests/test_queries.py::test_about_party: six statements, each with its source line."""
    page = page_of(store, AFGHAN)
    memberships = [(r[1].text, r[3].text, r[-1].text) for r in page.tables["memberships"]]
    attendance = [(r[1].text, r[3].text, r[-1].text) for r in page.tables["attendance"]]
    assert len(memberships) + len(attendance) == 6
    assert ("ICOR", "2010", "icor.md:27") in memberships
    assert ("ICMLPO", "2011", "icmlpo.wiki:12") in attendance


def test_party_page_gives_the_derived_country_and_its_evidence(store: Store) -> None:
    html = resource_page(store, URUGUAY, SITE)
    assert html is not None
    page = Page(html)
    assert (SITE.url(ID + "country/UY"), "乌拉圭") in page.links
    assert "依据 5 行" in html  # all five ICMLPO tables list it under 乌拉圭
    assert page.column("attendance", 3) == ["1999", "2001", "2004", "2007", "2011"]


def test_every_fact_row_has_its_source(store: Store) -> None:
    for iri in (SERBIAN_LABOUR, AFGHAN, URUGUAY, ICOR, URIRef(ID + "international/ICMLPO/conference/9")):
        page = page_of(store, iri)
        for table in ("memberships", "attendance", "evidence", "members", "attendees", "conferences"):
            for row in page.tables.get(table, []):
                assert row[-1].links, (iri, table, [c.text for c in row])


# ---------------------------------------------------------------- internationals and conferences


def test_international_page_lists_its_conferences(store: Store) -> None:
    page = page_of(store, ICMLPO)
    assert page.column("conferences", 2) == [year for year, _ in ICMLPO_CONFERENCES.values()]
    assert page.column("conferences", 4) == [str(n) for _, n in ICMLPO_CONFERENCES.values()]
    assert page.column("conferences", 1) == [str(n) for n in ICMLPO_CONFERENCES]
    assert "members" not in page.tables  # the article lists no members


def test_international_page_lists_its_members(store: Store) -> None:
    page = page_of(store, ICOR)
    members = {
        r[1].text.strip(): (r[2].text.strip(), r[3].text.strip(), r[-1].text.strip()) for r in page.tables["members"]
    }
    assert members["劳动党 (塞尔维亚)"] == ("成员", "2010", "icor.md:207")
    assert members["阿富汗马列主义组织"] == ("成员", "2010", "icor.md:27")
    assert "2010-10-06" in (resource_page(store, ICOR, SITE) or "")


@pytest.mark.parametrize("ordinal", list(ICMLPO_CONFERENCES))
def test_conference_page_lists_its_attendees(store: Store, ordinal: int) -> None:
    conference = URIRef(f"{ICMLPO}/conference/{ordinal}")
    page = page_of(store, conference)
    counted = store.query(
        "PREFIX kgo: <https://kg.example.org/ontology#>\n"
        "SELECT ?conference (COUNT(?row) AS ?rows) WHERE { ?row kgo:conference ?conference } GROUP BY ?conference",
        {"conference": conference},
    )
    assert isinstance(counted, Result)
    assert len(page.tables["attendees"]) == int(str(counted.rows[0][1])) == ICMLPO_CONFERENCES[ordinal][1]
    assert all(row[-1].links[0][1].startswith("icmlpo.wiki:") for row in page.tables["attendees"])
    assert (SITE.url(ICMLPO), "马列主义政党和组织国际会议") in page.links  # the organizer


def test_conference_page_of_the_8th_has_the_serbian_labour_party(store: Store) -> None:
    page = page_of(store, URIRef(f"{ICMLPO}/conference/8"))
    rows = {r[1].text.strip(): (r[2].text.strip(), r[-1].text.strip()) for r in page.tables["attendees"]}
    assert rows["劳动党 (塞尔维亚)"] == ("劳动党", "icmlpo.wiki:166")


# ---------------------------------------------------------------- other resources


def test_generic_page_lists_triples_and_incoming_links(store: Store) -> None:
    row = URIRef(f"{ICMLPO}/conference/8/attendance/icmlpo-t3-r24")
    html = resource_page(store, row, SITE)
    assert html is not None
    page = Page(html)
    assert not page.errors
    assert (SITE.url(SERBIAN_LABOUR), "劳动党 (塞尔维亚)") in page.links
    assert (SITE.url(ID + "source/icmlpo.wiki#L166C29"), "icmlpo.wiki:166") in page.links
    assert "kgo:listedAs" in html and "@zh" in html
    article = page_of(store, URIRef(ID + "source/icmlpo.wiki"))
    assert "L166C29" in article.ids  # a location's hash IRI lands on its row of the article's page
    assert len(article.tables["incoming"]) > 200


def test_unknown_iri_has_no_page_and_an_empty_description(store: Store) -> None:
    nothing = URIRef(ID + "party/没有这个党")
    assert resource_page(store, nothing, SITE) is None
    assert len(description(store, nothing)) == 0


def test_names_are_escaped() -> None:
    graph = Graph()
    party = URIRef(ID + "party/" + segment("<script>alert(1)</script>"))
    graph.add((party, RDF.type, KGO.Party))
    graph.add((party, SKOS.prefLabel, Literal("<script>alert(1)</script>", lang="zh-Hans")))
    graph.add((party, SKOS.altLabel, Literal('"><img src=x onerror=alert(2)> & co', lang="zh")))
    graph.add((party, SDO.url, URIRef("javascript:alert(3)")))
    html = resource_page(open_store("oxigraph", graph=graph), party, SITE)
    assert html is not None
    assert "<script>alert" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&amp; co" in html
    assert 'href="javascript:' not in html
    assert not Page(html).errors


def test_party_page_links_its_wikidata_item(seed_graph: Graph) -> None:
    graph = Graph()
    graph += seed_graph
    graph.add((SERBIAN_LABOUR, SKOS.exactMatch, URIRef("http://www.wikidata.org/entity/Q1234567")))
    page = page_of(open_store("oxigraph", graph=graph), SERBIAN_LABOUR)
    assert ("http://www.wikidata.org/entity/Q1234567", "wd:Q1234567") in page.links


# ---------------------------------------------------------------- descriptions


def test_description_of_a_party_holds_its_rows_and_their_sources(store: Store, seed_graph: Graph) -> None:
    graph = description(store, SERBIAN_LABOUR)
    rows = set(graph.subjects(SDO.attendee, SERBIAN_LABOUR)) | set(graph.subjects(ORG.member, SERBIAN_LABOUR))
    assert len(rows) == 4
    for row in rows:
        assert set(graph.predicate_objects(row)) == set(seed_graph.predicate_objects(row))
        (location,) = graph.objects(row, PROV.wasDerivedFrom)
        assert (location, KGO.line, None) in graph and (location, KGO.inArticle, None) in graph
    location = URIRef(ID + "source/icmlpo.wiki#L166C29")
    assert str(graph.value(location, KGO.line)) == "166"
    assert len(set(graph.objects(SERBIAN_LABOUR, KGO.mergeEvidence))) == 3
    for evidence in graph.objects(SERBIAN_LABOUR, KGO.mergeEvidence):
        assert (evidence, KGO.rule, KGO.SameLink) in graph
    assert (KGO.SameLink, SKOS.prefLabel, Literal("相同的维基链接目标", lang="zh-Hans")) in graph  # the ontology's


def test_description_labels_every_iri_it_mentions(store: Store) -> None:
    for iri in (SERBIAN_LABOUR, ICOR, URIRef(f"{ICMLPO}/conference/8")):
        graph = description(store, iri)
        for predicate, obj in ((p, o) for _, p, o in graph if isinstance(o, URIRef)):
            if predicate == RDF.type or not str(obj).startswith((ID, str(KGO._NS))):
                continue
            described = (obj, None, None) in graph
            assert described or (obj, SKOS.prefLabel, None) in graph or (obj, RDFS.label, None) in graph, obj


def _integers(graph: Graph) -> Graph:
    """Oxigraph stores xsd:positiveInteger (kgo:line, kgo:ordinal) as xsd:integer."""
    same = Graph()
    for s, p, o in graph:
        kept = isinstance(o, Literal) and o.datatype == XSD.positiveInteger
        same.add((s, p, Literal(str(o), datatype=XSD.integer) if kept else o))
    return same


def test_descriptions_and_pages_are_the_same_on_both_stores(seed_graph: Graph, store: Store) -> None:
    other = open_store("rdflib", graph=seed_graph)
    for iri in (SERBIAN_LABOUR, ICMLPO, URIRef(f"{ICMLPO}/conference/6")):
        assert isomorphic(description(store, iri), _integers(description(other, iri)))
        on_rdflib = resource_page(other, iri, SITE) or ""
        assert resource_page(store, iri, SITE) == on_rdflib.replace("xsd:positiveInteger", "xsd:integer")


def test_description_of_an_international_holds_its_conferences(store: Store) -> None:
    graph = description(store, ICMLPO)
    conferences = set(graph.subjects(SDO.organizer, ICMLPO))
    assert len(conferences) == 5
    assert {str(graph.value(c, SDO.startDate)) for c in conferences} == {"1999", "2001", "2004", "2007", "2011"}
    assert not set(graph.subjects(RDF.type, KGO.Attendance))  # bounded: not every conference's rows


# ---------------------------------------------------------------- addresses


@pytest.mark.parametrize(
    "iri",
    [
        SERBIAN_LABOUR,
        URIRef(ID + "party/" + segment("马列主义者团体/红色黎明")),  # "/" in a name: %2F
        URIRef(ID + "party/" + segment("100% 红色?#")),  # "%", "?" and "#" in a name
        URIRef(ID + "party/" + segment("Parti\u00a0communiste")),  # an escaped no-break space
        URIRef(ID + "international/ICMLPO/conference/8/attendance/icmlpo-t3-r24"),
    ],
)
def test_url_and_iri_round_trip(iri: URIRef) -> None:
    url = SITE.url(iri)
    assert url == "http://127.0.0.1:7878/id/" + str(iri)[len(ID) :]
    assert SITE.iri(urlsplit(url).path) == iri  # the IRI form, as an href holds it
    sent = quote(urlsplit(url).path, safe="/%!$&'()*+,;=:@-._~")  # what a browser sends: UTF-8 escaped
    assert sent.isascii()
    assert SITE.iri(sent) == iri
    assert SITE.iri(sent.replace("%E5", "%e5")) == iri  # lower-case hex
    assert SITE.iri(quote(urlsplit(url).path.replace("%", "\0"), safe="/").replace("%00", "%")) == iri  # "(" as %28


def test_site_maps_only_the_base_and_keeps_a_root_path() -> None:
    assert SITE.url("https://zh.wikipedia.org/wiki/劳动党") == "https://zh.wikipedia.org/wiki/劳动党"
    site = Site(base="https://example.net/kg/id", root="http://localhost:8000/graph")
    assert site.url("https://example.net/kg/id/party/X") == "http://localhost:8000/graph/kg/id/party/X"
    assert site.iri("/graph/kg/id/party/X?format=turtle") == URIRef("https://example.net/kg/id/party/X")
    assert site.path("sparql") == "/graph/sparql"
    with pytest.raises(ValueError, match="not under"):
        SITE.iri("/api/members")


def test_source_links_go_to_the_article_or_the_location() -> None:
    location = URIRef(ID + "source/icor.md#L27C8")
    assert SITE.source_url(Source(location, "icor.md", 27, page=ICOR_ARTICLE)) == ICOR_ARTICLE
    assert SITE.source_url(Source(location, "icor.md", 27)) == "http://127.0.0.1:7878/id/source/icor.md#L27C8"
    assert Source(location, "icor.md", 27).text == "icor.md:27"


# ---------------------------------------------------------------- the home page and every page's frame


def test_home_page_has_a_form_per_stored_query(store: Store) -> None:
    queries = catalogue()
    page = Page(home_page(store, SITE, queries))
    assert not page.errors
    for query in queries.values():
        form = page.forms[f"query-{query.name}"]
        assert (form.action, form.method) == (f"/api/{query.name}", "get")
        assert form.fields == [p.name for p in query.params] + ["format"]
    sparql = page.forms["sparql"]
    assert (sparql.action, sparql.method, sparql.fields) == ("/sparql", "post", ["query"])
    internationals = {r[1].text: (r[0].links, r[2].text, r[3].text) for r in page.tables["internationals"]}
    assert internationals["ICMLPO"] == ([(SITE.url(ICMLPO), "马列主义政党和组织国际会议")], "0", "5")
    assert set(internationals) == {"ICMLPO", "ICOR", "CIPOML"}


def test_home_page_placeholders_are_defaults(store: Store) -> None:
    html = home_page(store, SITE, catalogue())
    assert 'name="party" placeholder="希腊共产主义组织"' in html
    assert '<option value="csv">csv</option>' in html


def test_every_page_is_a_standalone_document(store: Store) -> None:
    pages = [home_page(store, SITE, catalogue())] + [
        resource_page(store, iri, SITE) or ""
        for iri in (SERBIAN_LABOUR, ICMLPO, ICOR, URIRef(f"{ICMLPO}/conference/7"), URIRef(ID + "country/RS"))
    ]
    for html in pages:
        page = Page(html)
        assert not page.errors
        assert html.startswith('<!DOCTYPE html>\n<html lang="zh-Hans">')
        assert ("meta", {"charset": "utf-8"}) in page.head
        assert ("link", {"rel": "icon", "href": "data:,"}) in page.head
        assert "<script src" not in html and 'rel="stylesheet"' not in html and "<img" not in html
    for html in pages[1:]:
        assert {"?format=turtle", "?format=jsonld", "?format=ntriples"} <= {
            "?" + href.split("?", 1)[1] for href, _ in Page(html).links if "?format=" in href
        }
