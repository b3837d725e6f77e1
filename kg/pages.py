"""Linked Data pages: what ``kg serve`` answers for an IRI of the graph, as pure functions over a store.

``description`` is a resource's RDF description (its own triples, the n-ary nodes hanging off
it, the source locations those point to and a label for every IRI it mentions), the graph
served as Turtle, JSON-LD or N-Triples. ``resource_page`` is the same resource as an HTML page
for people, rendered from that description with the Jinja2 templates of kg/templates/;
``home_page`` lists the internationals and the stored queries with a form each. ``Site`` maps
the graph's IRIs to the server's addresses and back. No HTTP here: the server calls these.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import quote, urlsplit

import jinja2
import zhconv_rs
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from kg.defaults import DEFAULT_BASE
from kg.iri import iri_from_uri
from kg.query import StoredQuery
from kg.resources import ontology
from kg.store import Result, Store
from kg.vocab import DCTERMS, KGO, ORG, OWL, PREFIXES, PROV, RDF, RDFS, SDO, SKOS, TIME, WD, XSD

DEFAULT_ROOT = "http://127.0.0.1:7878/"
# Prefixed names on pages and in descriptions: the graph files' prefixes and the usual few.
NAMESPACES: dict[str, str] = {
    **{prefix: str(namespace) for prefix, namespace in PREFIXES.items()},
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "wd": str(WD),
}
_SPARQL_PREFIXES = "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in NAMESPACES.items())
# The RDF forms of a resource linked from its page: name, ?format= word, media type.
FORMATS = (
    ("Turtle", "turtle", "text/turtle"),
    ("JSON-LD", "jsonld", "application/ld+json"),
    ("N-Triples", "ntriples", "application/n-triples"),
)
RESULT_FORMATS = ("json", "csv", "tsv", "xml")
MAX_INCOMING = 1000

# The nodes of a description: the resource; what hangs off it (merge evidence, country
# derivation, the rows naming it, an international's conferences, an article's locations); from
# each of those its interval, end event, conference, source locations (a country derivation's
# rows); from those the interval's instants and the sources, and their articles. Every triple of
# those nodes, and the labels of every IRI they mention.
_DESCRIBE = (
    _SPARQL_PREFIXES
    + """
CONSTRUCT { ?s ?p ?o . ?o ?lp ?label }
WHERE {
  ?this (kgo:mergeEvidence|kgo:countryDerivation|^org:member|^schema:attendee|^org:organization
         |^kgo:conference|^schema:organizer|^kgo:inArticle)? ?n .
  ?n (org:memberDuring|kgo:endEvent|kgo:conference|prov:wasDerivedFrom)? ?m .
  ?m (time:hasBeginning|time:hasEnd|prov:wasDerivedFrom|kgo:inArticle)? ?l .
  ?l kgo:inArticle? ?s .
  ?s ?p ?o .
  OPTIONAL { VALUES ?lp { skos:prefLabel rdfs:label schema:name kgo:abbreviation skos:notation } ?o ?lp ?label }
}
"""
)
_ATTENDEES = (
    _SPARQL_PREFIXES
    + """
SELECT ?this ?conference (COUNT(DISTINCT ?attendee) AS ?attendees)
WHERE {
  ?conference schema:organizer ?this .
  OPTIONAL { ?row kgo:conference ?conference ; schema:attendee ?attendee }
}
GROUP BY ?this ?conference
"""
)
_INCOMING = (
    _SPARQL_PREFIXES
    + f"""
SELECT ?this ?s ?p (MIN(STR(?l)) AS ?label)
WHERE {{
  ?s ?p ?this .
  OPTIONAL {{ ?s skos:prefLabel|rdfs:label|schema:name ?l }}
}}
GROUP BY ?this ?s ?p
ORDER BY ?p ?s
LIMIT {MAX_INCOMING + 1}
"""
)
_INTERNATIONALS = (
    _SPARQL_PREFIXES
    + """
CONSTRUCT { ?international a kgo:International ; ?p ?o }
WHERE {
  ?international a kgo:International ; ?p ?o .
  VALUES ?p { skos:prefLabel kgo:abbreviation }
}
"""
)
_COUNTS = (
    _SPARQL_PREFIXES
    + """
SELECT ?international ?members ?conferences
WHERE {
  { SELECT ?international (COUNT(DISTINCT ?member) AS ?members)
    WHERE { ?international a kgo:International . OPTIONAL { ?row org:organization ?international ; org:member ?member } }
    GROUP BY ?international }
  { SELECT ?international (COUNT(DISTINCT ?conference) AS ?conferences)
    WHERE { ?international a kgo:International . OPTIONAL { ?conference schema:organizer ?international } }
    GROUP BY ?international }
}
"""
)
EXAMPLE_QUERY = """PREFIX kgo: <https://kg.example.org/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>

SELECT ?party ?name
WHERE { ?party a kgo:Party ; skos:prefLabel ?name }
ORDER BY ?name
LIMIT 20
"""


# ---------------------------------------------------------------- descriptions


def description(store: Store, iri: URIRef) -> Graph:
    """The resource's description (empty for an IRI the graph does not know); own terms the
    graph gives no label (end event kinds, merge rules) get the ontology's."""
    answer = store.query(_DESCRIBE, {"this": iri})
    graph = answer if isinstance(answer, Graph) else Graph()
    if len(graph):
        _add_term_labels(graph)
    for prefix, namespace in NAMESPACES.items():
        graph.bind(prefix, namespace)
    return graph


def _add_term_labels(graph: Graph) -> None:
    terms = {o for o in graph.objects() if isinstance(o, URIRef) and o.startswith(str(KGO._NS))}
    for term in terms:
        if (term, SKOS.prefLabel, None) not in graph:
            for text in ontology().objects(term, SKOS.prefLabel):
                graph.add((term, SKOS.prefLabel, text))


# ---------------------------------------------------------------- addresses


@dataclass(frozen=True)
class Source:
    """A source location as a page shows it: file and line, and the article's address."""

    location: URIRef
    file: str
    line: int | None = None
    column: int | None = None
    table: int | None = None
    row: int | None = None
    page: str | None = None

    @property
    def text(self) -> str:
        """icor.md:27"""
        return f"{self.file}:{self.line}" if self.line else self.file

    @property
    def note(self) -> str:
        where = [f"第{self.line}行" if self.line else "", f"第{self.column}列" if self.column else ""]
        cell = [f"表{self.table}" if self.table else "", f"第{self.row}行" if self.row else ""]
        return " ".join(filter(None, [self.file, "".join(where), "".join(cell)]))

    @property
    def order(self) -> tuple[str, int, int]:
        return (self.file, self.line or 0, self.column or 0)


@dataclass(frozen=True)
class Site:
    """Where the graph is served: ``base`` the IRI base the graph was minted with, ``root``
    the server's address. The base's IRIs are served under the root with the base's path
    (https://kg.example.org/id/party/X at http://127.0.0.1:7878/id/party/X)."""

    base: str = DEFAULT_BASE
    root: str = DEFAULT_ROOT

    def __post_init__(self) -> None:
        for name in ("base", "root"):
            value = getattr(self, name)
            if not value.endswith("/"):
                object.__setattr__(self, name, value + "/")

    @property
    def local(self) -> str:
        """The address the base maps to: http://127.0.0.1:7878/id/"""
        return self.root + urlsplit(self.base).path.lstrip("/")

    def url(self, iri: str) -> str:
        """An IRI under the base as its local address (IRI form, as an href holds it); any other
        IRI unchanged."""
        text = str(iri)
        return self.local + text[len(self.base) :] if text.startswith(self.base) else text

    def iri(self, path: str) -> URIRef:
        """The IRI a request path (or address) stands for, the inverse of ``url``. Give the raw
        path as sent (ASGI ``raw_path``): a decoded one cannot tell "/" from an encoded "%2F".
        A path outside the base's is a ValueError."""
        prefix = urlsplit(self.local).path
        text = iri_from_uri(urlsplit(path).path)
        if not text.startswith(prefix):
            raise ValueError(f"'{path}' is not under '{prefix}'")
        return URIRef(self.base + text[len(prefix) :])

    def path(self, rest: str = "") -> str:
        """A path of the server's own: /sparql, /api/members."""
        return urlsplit(self.root).path + rest

    def href(self, term: Node | None) -> str | None:
        """A link target for a term: the local address of the base's IRIs, other http(s) IRIs
        as they are; nothing for anything else (no javascript: link from a source)."""
        if not isinstance(term, URIRef):
            return None
        url = self.url(term)
        return url if urlsplit(url).scheme in ("http", "https") else None

    def short(self, text: str) -> str:
        """An IRI under the base without it (party/X), to show; any other text unchanged."""
        return text[len(self.base) :] if text.startswith(self.base) and len(text) > len(self.base) else text

    def source_url(self, source: Source) -> str:
        """A source location's link: its article on zh.wikipedia where the graph has its
        address, else the location's local address."""
        return source.page or self.url(source.location)


def source_of(graph: Graph, location: URIRef) -> Source:
    """The source location as ``graph`` (a description) gives it."""
    article = min(graph.objects(location, KGO.inArticle), key=_node_order, default=None)
    file = min(graph.objects(article, KGO.sourceFile), key=str, default=None) if article is not None else None
    return Source(
        location=location,
        file=str(file) if file is not None else str(location).rsplit("/", 1)[-1].split("#")[0],
        line=_number(graph, location, KGO.line),
        column=_number(graph, location, KGO.column),
        table=_number(graph, location, KGO.table),
        row=_number(graph, location, KGO.row),
        page=_article_page(graph, article),
    )


def _article_page(graph: Graph, article: Node | None) -> str | None:
    if article is None:
        return None
    for predicate in (SDO.url, DCTERMS.source, PROV.hadPrimarySource):
        for page in sorted(graph.objects(article, predicate), key=_node_order):
            if isinstance(page, URIRef) and urlsplit(str(page)).scheme in ("http", "https"):
                return str(page)
    return None


def _node_order(node: Node) -> tuple[str, str]:
    return (type(node).__name__, str(node))


def _number(graph: Graph, node: Node, predicate: URIRef) -> int | None:
    """The number a location gives (the first table where a heading stands over several)."""
    return min(
        (int(o) for o in graph.objects(node, predicate) if isinstance(o, Literal) and str(o).isdigit()), default=None
    )


# ---------------------------------------------------------------- labels and links


def qname(iri: Node) -> str:
    """rdf:type, kgo:listedAs; an IRI in no known namespace as it is."""
    text = str(iri)
    found = [(len(ns), prefix) for prefix, ns in NAMESPACES.items() if text.startswith(ns) and len(text) > len(ns)]
    if not found:
        return text
    size, prefix = max(found)
    return f"{prefix}:{text[size:]}"


def _language_rank(text: Literal) -> tuple[int, str]:
    language = (text.language or "").lower()
    order = {"zh-hans": 0, "zh-cn": 1, "zh": 2, "en": 4, "": 5}
    rank = order.get(language, 3 if language.startswith("zh") else 6)
    return rank, str(text)


def best(texts: Iterable[Node]) -> Literal | None:
    """The text to show of several: simplified Chinese first, then Chinese, then English."""
    literals = [t for t in texts if isinstance(t, Literal)]
    return min(literals, key=_language_rank) if literals else None


def label(graph: Graph, node: Node) -> str:
    """A node's name for people: its label, name, abbreviation or code, else its prefixed name."""
    if isinstance(node, Literal):
        return str(node)
    for predicate in (SKOS.prefLabel, RDFS.label, SDO.name, KGO.abbreviation, SKOS.notation):
        text = best(graph.objects(node, predicate))
        if text is not None:
            return str(text)
    return qname(node)


@dataclass(frozen=True)
class Link:
    """One value on a page: text, where it links to, its language, a tooltip, and for a literal
    in a triples table its language tag or datatype."""

    text: str
    href: str | None = None
    lang: str | None = None
    note: str = ""
    kind: str = ""


@dataclass(frozen=True)
class Fact:
    label: str
    values: list[Link]


@dataclass(frozen=True)
class Triple:
    predicate: Link
    value: Link
    anchor: str = ""


@dataclass(frozen=True)
class MembershipRow:
    row: Link
    party: Link
    international: Link
    role: Link
    joined: str
    left: str
    end: list[Link]
    listed_as: str
    country: list[Link]
    sources: list[Link]
    order: tuple[Any, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class AttendanceRow:
    row: Link
    party: Link
    international: Link
    conference: Link
    year: str
    listed_as: str
    listed_under: list[Link]
    host: bool
    sources: list[Link]
    order: tuple[Any, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class EvidenceRow:
    rule: Link
    strength: str
    comment: str
    sources: list[Link]


@dataclass(frozen=True)
class ConferenceRow:
    conference: Link
    ordinal: str
    date: str
    place: list[Link]
    attendees: int
    sources: list[Link]


@dataclass(frozen=True)
class InternationalRow:
    international: Link
    abbreviation: str
    members: int
    conferences: int


class _Reader:
    """Reads a description for a page: values of one node, as links."""

    def __init__(self, graph: Graph, site: Site) -> None:
        self.graph = graph
        self.site = site

    def value(self, subject: Node | None, predicate: URIRef) -> Node | None:
        if subject is None:
            return None
        found = sorted(self.graph.objects(subject, predicate), key=_node_order)
        return found[0] if found else None

    def objects(self, subject: Node, predicate: URIRef) -> list[Node]:
        return sorted(self.graph.objects(subject, predicate), key=_node_order)

    def subjects(self, predicate: URIRef, obj: Node) -> list[Node]:
        return sorted(self.graph.subjects(predicate, obj), key=_node_order)

    def text(self, subject: Node | None, predicate: URIRef) -> str:
        found = best(self.graph.objects(subject, predicate)) if subject is not None else None
        return str(found) if found is not None else ""

    def link(self, term: Node | None) -> Link:
        if term is None:
            return Link("")
        if isinstance(term, Literal):
            return literal_link(term)
        # the ontology's terms are not served (yet): their IRIs are shown, not linked
        href = None if str(term).startswith(str(KGO._NS)) else self.site.href(term)
        return Link(self.name(term), href=href, note=str(term))

    def name(self, term: Node) -> str:
        """A node's label; a source location as file:line; else its IRI, short under the base."""
        if isinstance(term, URIRef) and (term, RDF.type, KGO.SourceLocation) in self.graph:
            return source_of(self.graph, term).text
        return self.site.short(label(self.graph, term))

    def links(self, subject: Node, predicate: URIRef) -> list[Link]:
        return sorted((self.link(o) for o in self.graph.objects(subject, predicate)), key=_link_order)

    def organisation(self, term: Node | None) -> Link:
        """An international by its abbreviation where it has one."""
        if term is None:
            return Link("")
        short = self.text(term, KGO.abbreviation)
        return Link(short or label(self.graph, term), href=self.site.href(term), note=label(self.graph, term))

    def row_link(self, row: Node) -> Link:
        return Link("#", href=self.site.href(row), note=str(row))

    def year(self, node: Node | None, predicate: URIRef) -> str:
        """A year, "约" before an approximate one."""
        value = self.value(node, predicate)
        if value is None:
            return ""
        approximate = self.value(node, KGO.approximate)
        return ("约" if isinstance(approximate, Literal) and approximate.toPython() is True else "") + str(value)

    def instant(self, during: Node | None, predicate: URIRef) -> str:
        return self.year(self.value(during, predicate), TIME.inXSDgYear)

    def sources(self, node: Node) -> list[Link]:
        """The node's source locations as links: file:line to the article."""
        found: list[Source] = []
        others: list[Link] = []
        for location in self.objects(node, PROV.wasDerivedFrom):
            if isinstance(location, URIRef) and (location, RDF.type, KGO.SourceLocation) in self.graph:
                found.append(source_of(self.graph, location))
            else:
                others.append(self.link(location))
        shown = [Link(s.text, href=self.site.source_url(s), note=s.note) for s in sorted(found, key=lambda s: s.order)]
        once = {(link.text, link.href): link for link in reversed(shown)}  # one link per line: the first column's
        return sorted(once.values(), key=shown.index) + others

    def first_source(self, node: Node) -> tuple[str, int, int]:
        locations = [o for o in self.objects(node, PROV.wasDerivedFrom) if isinstance(o, URIRef)]
        return min((source_of(self.graph, loc).order for loc in locations), default=("", 0, 0))


def _link_order(link: Link) -> tuple[str, str, str, str, str]:
    """A total order of links: two with one text (two columns of one line) never tie."""
    return (link.text, link.href or "", link.note, link.lang or "", link.kind)


def literal_link(term: Literal) -> Link:
    kind = f"@{term.language}" if term.language else (qname(term.datatype) if term.datatype else "")
    return Link(str(term), lang=term.language, kind=kind)


def _formats(site: Site, iri: URIRef) -> list[Link]:
    document = site.url(iri).split("#", 1)[0]
    return [Link(name, href=f"{document}?format={word}", note=word, kind=media) for name, word, media in FORMATS]


def _triples(r: _Reader, iri: URIRef) -> list[Triple]:
    rows = [
        Triple(_predicate_link(p), r.link(o))
        for p, o in r.graph.predicate_objects(iri)
        if isinstance(p, URIRef)  # always so: a predicate is an IRI
    ]
    return sorted(rows, key=lambda t: (t.predicate.text != "rdf:type", t.predicate.text, *_link_order(t.value)))


def _predicate_link(predicate: URIRef) -> Link:
    about = best(ontology().objects(predicate, RDFS.label))
    return Link(qname(predicate), note=f"{predicate}" + (f" ({about})" if about is not None else ""))


# ---------------------------------------------------------------- rows of the typed pages


def _membership(r: _Reader, row: Node) -> MembershipRow:
    during = r.value(row, ORG.memberDuring)
    joined = r.instant(during, TIME.hasBeginning)
    organisation = r.organisation(r.value(row, ORG.organization))
    party = r.link(r.value(row, ORG.member))
    return MembershipRow(
        row=r.row_link(row),
        party=party,
        international=organisation,
        role=r.link(r.value(row, ORG.role)),
        joined=joined,
        left=r.instant(during, TIME.hasEnd),
        end=_end_event(r, r.value(row, KGO.endEvent)),
        listed_as=r.text(row, KGO.listedAs),
        country=_row_country(r, row),
        sources=r.sources(row),
        order=(joined.lstrip("约") or "9999", organisation.text, party.text, r.first_source(row), str(row)),
    )


def _end_event(r: _Reader, end: Node | None) -> list[Link]:
    if end is None:
        return []
    links = [r.link(kind) for kind in r.objects(end, KGO.endEventKind)]
    if year := r.year(end, KGO.year):
        links.append(Link(year))
    for node, name in ((KGO.replacedBy, KGO.replacedByName), (KGO.successor, KGO.successorName)):
        found = r.value(end, node)
        if found is not None or r.text(end, name):
            links.append(r.link(found) if found is not None else Link(r.text(end, name)))
    return links


def _row_country(r: _Reader, row: Node) -> list[Link]:
    """The country a row states (listed under, stated) or infers (with its evidence)."""
    stated = [r.link(c) for c in r.objects(row, KGO.listedUnder) + r.objects(row, KGO.country)]
    evidence = r.text(row, KGO.countryEvidence)
    inferred = [
        Link(f"{label(r.graph, c)}（推断）", href=r.site.href(c), note=evidence)
        for c in r.objects(row, KGO.inferredCountry)
    ]
    return stated + inferred


def _conference_text(r: _Reader, conference: Node | None) -> Link:
    if conference is None:
        return Link("")
    ordinal = r.text(conference, KGO.ordinal)
    name = r.text(conference, SDO.name)
    shown = f"第{ordinal}次会议" if ordinal else name or label(r.graph, conference)
    return Link(shown, href=r.site.href(conference), note=name)


def _attendance(r: _Reader, row: Node) -> AttendanceRow:
    conference = r.value(row, KGO.conference)
    year = r.text(conference, SDO.startDate)
    organisation = r.organisation(r.value(conference, SDO.organizer))
    party = r.link(r.value(row, SDO.attendee))
    return AttendanceRow(
        row=r.row_link(row),
        party=party,
        international=organisation,
        conference=_conference_text(r, conference),
        year=year,
        listed_as=r.text(row, KGO.listedAs),
        listed_under=_row_country(r, row),
        host=r.value(row, KGO.asHost) is not None,
        sources=r.sources(row),
        order=(
            year or "9999",
            organisation.text,
            r.text(conference, KGO.ordinal).zfill(4),
            r.first_source(row),
            str(row),
        ),
    )


_STRENGTHS = {"strong": "强（strong）", "medium": "中（medium）", "weak": "弱（weak）"}


def _evidence(r: _Reader, node: Node) -> EvidenceRow:
    return EvidenceRow(
        rule=r.link(r.value(node, KGO.rule)),
        strength=_STRENGTHS.get(r.text(node, KGO.strength), r.text(node, KGO.strength)),
        comment=r.text(node, RDFS.comment),
        sources=r.sources(node),
    )


def _names(r: _Reader, iri: URIRef) -> list[Fact]:
    """Names in every language the graph has, and the 繁体 form of the simplified one."""
    facts: list[Fact] = []
    chinese = [o for o in r.objects(iri, SKOS.prefLabel) if isinstance(o, Literal) and o.language != "en"]
    for name in chinese:
        facts.append(Fact("名称", [literal_link(name)]))
        traditional = str(zhconv_rs.zhconv(str(name), "zh-hant"))
        if traditional != str(name):
            facts.append(Fact("繁体", [Link(traditional, lang="zh-Hant")]))
    groups = (
        ("其他名称", SKOS.altLabel, lambda t: t.language != "en"),
        ("英文名称", SKOS.prefLabel, lambda t: t.language == "en"),
        ("英文别名", SKOS.altLabel, lambda t: t.language == "en"),
        ("外文名称", SDO.alternateName, lambda t: True),
    )
    for heading, predicate, keep in groups:
        texts = [literal_link(o) for o in r.objects(iri, predicate) if isinstance(o, Literal) and keep(o)]
        if texts:
            facts.append(Fact(heading, texts))
    return facts


def _wiki_facts(r: _Reader, iri: URIRef) -> list[Fact]:
    facts: list[Fact] = []
    page = r.value(iri, SDO.subjectOf)
    for title in r.objects(iri, KGO.zhwikiTitle):
        facts.append(Fact("中文维基百科", [Link(str(title), href=r.site.href(page), lang="zh")]))
    for title in r.objects(iri, KGO.enwikiTitle):
        address = "https://en.wikipedia.org/wiki/" + quote(str(title).replace(" ", "_"), safe="()',!:;@$*+=&-._~")
        facts.append(Fact("英文维基百科", [Link(str(title), href=address, lang="en")]))
    items = [
        Link(qname(o), href=str(o), note="候选" if p == SKOS.closeMatch else "")
        for p in (SKOS.exactMatch, OWL.sameAs, SKOS.closeMatch)
        for o in r.objects(iri, p)
        if str(o).startswith(str(WD))
    ]
    if items:
        facts.append(Fact("维基数据", items))
    return facts


def _country_facts(r: _Reader, iri: URIRef, rows: list[Node]) -> list[Fact]:
    """The party's derived country with its evidence, and the countries its rows give."""
    facts: list[Fact] = []
    derivation = r.value(iri, KGO.countryDerivation)
    for country in r.objects(iri, KGO.derivedCountry):
        evidence = len(r.objects(derivation, PROV.wasDerivedFrom)) if derivation is not None else 0
        note = r.text(derivation, RDFS.comment)
        facts.append(Fact("国家", [r.link(country), Link(f"依据 {evidence} 行", note=note)]))
    given = Counter(link for row in rows for link in _row_country(r, row))
    if given:
        values = [
            Link(f"{link.text} ×{n}", href=link.href, note=link.note) for link, n in sorted(given.items(), key=str)
        ]
        facts.append(Fact("各行所给国家", values))
    return facts


# ---------------------------------------------------------------- pages


@cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("kg", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _render(template: str, site: Site, **context: Any) -> str:
    return environment().get_template(template).render(home=site.path(), sparql=site.path("sparql"), **context)


# Classes of other vocabularies the pages name (the ontology labels its own).
_CLASS_NAMES: dict[Node, str] = {
    ORG.Membership: "成员资格",
    ORG.Role: "角色",
    TIME.Interval: "时间区间",
    TIME.Instant: "时间点",
    SKOS.Concept: "概念",
    SKOS.ConceptScheme: "概念体系",
    SDO.Place: "地点",
}


def _title(r: _Reader, iri: URIRef) -> str:
    """The resource's label; for a node with none (a row, an interval) its class and IRI."""
    name = r.name(iri)
    if name != r.site.short(qname(iri)):
        return name
    kinds = [_CLASS_NAMES.get(t) or best(ontology().objects(t, RDFS.label)) for t in r.objects(iri, RDF.type)]
    kind = next((str(k) for k in kinds if k is not None), "")
    return f"{kind}：{name}" if kind else name


def _typed(graph: Graph, iri: URIRef) -> str:
    types = set(graph.objects(iri, RDF.type))
    for cls, template in ((KGO.Party, "party"), (KGO.International, "international"), (KGO.Conference, "conference")):
        if cls in types:
            return template
    return "resource"


def resource_page(store: Store, iri: URIRef, site: Site) -> str | None:
    """The HTML page of a resource; None for an IRI the graph does not know."""
    graph = description(store, iri)
    if not len(graph):
        return None
    r = _Reader(graph, site)
    kind = _typed(graph, iri)
    common = {
        "title": _title(r, iri),
        "iri": str(iri),
        "formats": _formats(site, iri),
        "triples": _triples(r, iri),
    }
    builders = {"party": _party_context, "international": _international_context, "conference": _conference_context}
    specific = builders[kind](r, iri, store) if kind in builders else _resource_context(r, iri, store)
    return _render(f"{kind}.html", site, **common, **specific)


def _party_context(r: _Reader, iri: URIRef, store: Store) -> dict[str, Any]:
    memberships = [row for row in r.subjects(ORG.member, iri) if (row, RDF.type, ORG.Membership) in r.graph]
    attendance = r.subjects(SDO.attendee, iri)
    return {
        "names": _names(r, iri) + _wiki_facts(r, iri),
        "country": _country_facts(r, iri, memberships + attendance),
        "memberships": sorted((_membership(r, row) for row in memberships), key=lambda m: m.order),
        "attendance": sorted((_attendance(r, row) for row in attendance), key=lambda a: a.order),
        "evidence": [_evidence(r, node) for node in r.objects(iri, KGO.mergeEvidence)],
    }


def _international_facts(r: _Reader, iri: URIRef) -> list[Fact]:
    rows = (
        ("简称", KGO.abbreviation),
        ("正式名称", SDO.name),
        ("成立日期", SDO.foundingDate),
        ("成立地点", SDO.foundingLocation),
        ("网站", SDO.url),
        ("意识形态", KGO.ideology),
        ("反对", KGO.opposes),
        ("出版物", KGO.publication),
        ("总部", KGO.headquarters),
    )
    labels = {str(o) for o in r.objects(iri, SKOS.prefLabel)}
    facts = [Fact(heading, [v for v in r.links(iri, p) if v.text not in labels]) for heading, p in rows]
    sources = r.sources(iri)
    return [f for f in facts if f.values] + ([Fact("来源", sources)] if sources else [])


def _international_context(r: _Reader, iri: URIRef, store: Store) -> dict[str, Any]:
    counts = store.query(_ATTENDEES, {"this": iri})
    attendees = {row[1]: _count(row[2]) for row in counts.rows} if isinstance(counts, Result) else {}
    conferences = [
        ConferenceRow(
            conference=_conference_text(r, c),
            ordinal=r.text(c, KGO.ordinal),
            date=r.text(c, SDO.startDate),
            place=r.links(c, SDO.location),
            attendees=attendees.get(c, 0),
            sources=r.sources(c),
        )
        for c in r.subjects(SDO.organizer, iri)
    ]
    members = [_membership(r, row) for row in r.subjects(ORG.organization, iri)]
    return {
        "names": _names(r, iri),
        "details": _international_facts(r, iri),
        "conferences": sorted(
            conferences, key=lambda c: (c.date or "9999", c.ordinal.zfill(4), *_link_order(c.conference))
        ),
        "members": sorted(members, key=lambda m: m.order[-2:]),
    }


def _count(term: Node | None) -> int:
    return int(term) if isinstance(term, Literal) else 0


def _conference_context(r: _Reader, iri: URIRef, store: Store) -> dict[str, Any]:
    rows = (
        ("名称", SDO.name),
        ("序号", KGO.ordinal),
        ("日期", SDO.startDate),
        ("类型", KGO.conferenceKind),
        ("地点", SDO.location),
        ("主办", SDO.organizer),
    )
    facts = [Fact(heading, r.links(iri, p)) for heading, p in rows if (iri, p, None) in r.graph]
    sources = r.sources(iri)
    attendees = [_attendance(r, row) for row in r.subjects(KGO.conference, iri)]
    return {
        "details": facts + ([Fact("来源", sources)] if sources else []),
        "attendees": sorted(attendees, key=lambda a: a.order[-2:]),
    }


def _resource_context(r: _Reader, iri: URIRef, store: Store) -> dict[str, Any]:
    answer = store.query(_INCOMING, {"this": iri})
    rows = answer.rows if isinstance(answer, Result) else []
    incoming = [_incoming(r, iri, row) for row in rows[:MAX_INCOMING]]
    return {"incoming": incoming, "more": len(rows) > MAX_INCOMING}


def _incoming(r: _Reader, iri: URIRef, row: list[Node | None]) -> Triple:
    _, subject, predicate, name = row
    text = str(name) if name is not None else r.site.short(qname(subject)) if subject is not None else ""
    anchor = str(subject)[len(str(iri)) + 1 :] if str(subject).startswith(f"{iri}#") else ""
    link = Link(text, href=r.site.href(subject), note=str(subject))
    return Triple(_predicate_link(URIRef(str(predicate))), link, anchor)


def home_page(store: Store, site: Site, queries: dict[str, StoredQuery]) -> str:
    """The start page: the internationals, the SPARQL endpoint, and a form per stored query."""
    return _render(
        "home.html",
        site,
        title="政党国际知识图谱",
        internationals=_internationals(store, site),
        queries=list(queries.values()),
        api=site.path("api/"),
        formats_of_results=RESULT_FORMATS,
        example=EXAMPLE_QUERY,
    )


def _internationals(store: Store, site: Site) -> list[InternationalRow]:
    answer = store.query(_INTERNATIONALS, {})
    graph = answer if isinstance(answer, Graph) else Graph()
    counts = store.query(_COUNTS, {})
    numbers = {row[0]: (_count(row[1]), _count(row[2])) for row in counts.rows} if isinstance(counts, Result) else {}
    r = _Reader(graph, site)
    rows = [
        InternationalRow(
            international=Link(label(graph, node), href=site.href(node), note=str(node)),
            abbreviation=r.text(node, KGO.abbreviation),
            members=numbers.get(node, (0, 0))[0],
            conferences=numbers.get(node, (0, 0))[1],
        )
        for node in r.subjects(RDF.type, KGO.International)
    ]
    return sorted(rows, key=lambda i: (i.abbreviation or i.international.text, *_link_order(i.international)))
