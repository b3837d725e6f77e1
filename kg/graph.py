"""Records → RDF under ontology/kg.ttl: one add_<record>() per kind of record.

Every attendance and membership node names its source row (prov:wasDerivedFrom a
kgo:SourceLocation in a kgo:Article); every merged party carries its merge evidence. IRIs
come only from ``kg.iri`` and terms only from ``kg.vocab``; nothing depends on dict order or
the clock, so the same sources always give the same graph.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from kg.errors import UsageError
from kg.fold import fold, to_simplified
from kg.geo import continent_of, place_names, wikidata_qid
from kg.iri import DEFAULT_BASE, Minter, RowKey, external, wikipedia_page
from kg.records import Article, Attendance, Conference, Entry, Membership, Organisation, StatedPlace
from kg.resolve import Party, Resolution, international_key, mention_id
from kg.spans import Span
from kg.vocab import CC_BY_SA_4, DCTERMS, KGO, ORG, OWL, PROV, RDF, RDFS, SDO, SKOS, TIME, WD, XSD

ROLES = {"member": KGO.MemberRole, "observer": KGO.ObserverRole, "former": KGO.FormerMemberRole}
END_KINDS = {"expelled": KGO.Expelled, "ceased": KGO.Ceased, "withdrew": KGO.Withdrew, "replaced-by": KGO.ReplacedBy}
RULES = {"same-link": KGO.SameLink, "same-name-country": KGO.SameNameCountry, "same-name-region": KGO.SameNameRegion}
PREFIXES = {"kgo": KGO._NS, "org": ORG, "prov": PROV, "schema": SDO, "skos": SKOS, "time": TIME, "dcterms": DCTERMS}


def zh_hans(text: str) -> Literal:
    """A label in simplified Chinese (MediaWiki's zh-hans conversion of the text as written)."""
    return Literal(to_simplified(text), lang="zh-Hans")


def as_written(text: str) -> Literal:
    return Literal(text, lang="zh")


def year(value: int) -> Literal:
    return Literal(f"{value:04d}", datatype=XSD.gYear)


def positive(value: int) -> Literal:
    return Literal(value, datatype=XSD.positiveInteger)


def founding_date(text: str) -> Literal:
    """1994 → xsd:gYear, 1994-08 → xsd:gYearMonth, 2010-10-06 → xsd:date."""
    datatype = {1: XSD.gYear, 2: XSD.gYearMonth, 3: XSD.date}[len(text.split("-"))]
    return Literal(text, datatype=datatype)


@dataclass
class _Builder:
    graph: Graph
    mint: Minter
    resolution: Resolution
    files: dict[str, str]  # source path → file name used in IRIs
    places: set[tuple[str, str]] = field(default_factory=set)
    parties: dict[str, Party] = field(default_factory=dict)

    def add(self, subject: Node, predicate: URIRef, value: Node | None) -> None:
        if value is not None:
            self.graph.add((subject, predicate, value))

    def place(self, place: StatedPlace | None) -> URIRef | None:
        if place is None:
            return None
        self.places.add((place.code, place.kind))
        return self.mint.region(place.code) if place.kind == "region" else self.mint.country(place.code)

    def location(self, span: Span, table: int = 0, row: int = 0) -> URIRef:
        file_name = self.files[span.path]
        node = self.mint.location(file_name, span.line, span.col)
        self.add(node, RDF.type, KGO.SourceLocation)
        self.add(node, KGO.inArticle, self.mint.article(file_name))
        self.add(node, KGO.line, positive(span.line))
        self.add(node, KGO.column, positive(span.col))
        if table:
            self.add(node, KGO.table, positive(table))
            self.add(node, KGO.row, positive(row))
        return node

    def party_iri(self, party: Party) -> URIRef:
        return self.mint.party(party.link, party.label, party.place)


def _file_names(articles: list[Article]) -> dict[str, str]:
    """Each source's file name; two sources with one name would share IRIs, so refuse."""
    names: dict[str, str] = {}
    for article in articles:
        name = Path(article.path).name
        if name in names.values():
            raise UsageError(f"two sources are named {name}; give each article file a different name")
        names[article.path] = name
    return names


def add_article(b: _Builder, article: Article) -> URIRef:
    node = b.mint.article(b.files[article.path])
    b.add(node, RDF.type, KGO.Article)
    b.add(node, KGO.sourceFile, Literal(b.files[article.path]))
    b.add(node, KGO.sourceFormat, Literal(article.format))
    source = article.source
    if source.title:
        b.add(node, SDO.name, as_written(source.title))
    if source.url:
        b.add(node, SDO.url, external(source.url))
    b.add(node, DCTERMS.license, external(source.licence) if source.licence else CC_BY_SA_4)
    if source.retrieved:
        b.add(node, DCTERMS.date, Literal(source.retrieved, datatype=XSD.date))
    return node


def add_organisation(b: _Builder, article: Article, key: str) -> URIRef:
    """The organisation an article is about: an international, or a party (MIM)."""
    org = article.organisation
    if org.kind == "international":
        node = b.mint.international(key)
        b.add(node, RDF.type, KGO.International)
    else:
        node = b.mint.party(None, org.name, org.country.code if org.country else "")
        b.add(node, RDF.type, KGO.Party)
    b.add(node, SKOS.prefLabel, zh_hans(org.name))
    if to_simplified(org.name) != org.name:
        b.add(node, SKOS.altLabel, as_written(org.name))
    for name in org.other_names:
        b.add(node, SKOS.altLabel, as_written(name))
    if org.abbreviation:
        b.add(node, KGO.abbreviation, Literal(org.abbreviation))
    if org.english_name:
        b.add(node, SDO.name, Literal(org.english_name, lang="en"))
    add_organisation_facts(b, node, org)
    b.add(b.mint.article(b.files[article.path]), SDO.about, node)
    for _, span in org.fact_spans:
        b.add(node, PROV.wasDerivedFrom, b.location(span))
    b.add(node, PROV.wasDerivedFrom, b.location(org.span))
    return node


def add_organisation_facts(b: _Builder, node: URIRef, org: Organisation) -> None:
    _add_history(b, node, org)
    _add_positions(b, node, org)


def _add_history(b: _Builder, node: URIRef, org: Organisation) -> None:
    """Founding, names, predecessors and whether it still exists."""
    if org.founded:
        b.add(node, SDO.foundingDate, founding_date(org.founded))
    if org.founding_place:
        place = b.mint.named("place", org.founding_place)
        b.add(node, SDO.foundingLocation, place)
        b.add(place, RDF.type, SDO.Place)
        b.add(place, SKOS.prefLabel, zh_hans(org.founding_place))
    b.add(node, KGO.country, b.place(org.country))
    if org.defunct:
        b.add(node, KGO.defunct, Literal(True))
    for name in org.former_names:
        b.add(node, KGO.formerName, as_written(name))
    if org.renamed_year:
        b.add(node, KGO.renamedIn, year(org.renamed_year))
    for name in org.predecessors:
        b.add(node, KGO.predecessorName, as_written(name))


def _add_positions(b: _Builder, node: URIRef, org: Organisation) -> None:
    """Ideologies, publications, categories and links."""
    for predicate, titles in ((KGO.ideology, org.ideologies), (KGO.opposes, org.opposes)):
        for title in titles:
            b.add(node, predicate, _concept(b, "ideology", KGO.Ideology, title))
    for publication in org.publications:
        work = _concept(b, "publication", KGO.Publication, publication.title)
        b.add(node, KGO.publication, work)
        if publication.english:
            b.add(work, SDO.alternateName, Literal(publication.english, lang="en"))
    for category in org.categories:
        b.add(node, KGO.wikiCategory, as_written(category))
    for url in org.external_links:
        b.add(node, SDO.sameAs if "wikipedia.org" in url else SDO.url, external(url))


def _concept(b: _Builder, kind: str, cls: URIRef, title: str) -> URIRef:
    node = b.mint.named(kind, title)
    b.add(node, RDF.type, cls)
    b.add(node, SKOS.prefLabel, zh_hans(title))
    if to_simplified(title) != title:
        b.add(node, SKOS.altLabel, as_written(title))
    return node


def add_conference(b: _Builder, key: str, conference: Conference) -> URIRef:
    node = b.mint.conference(key, conference.ordinal)
    b.add(node, RDF.type, KGO.Conference)
    b.add(node, SDO.organizer, b.mint.international(key))
    b.add(node, KGO.ordinal, positive(conference.ordinal))
    b.add(node, SDO.startDate, year(conference.year))
    b.add(node, SDO.name, as_written(conference.heading))
    b.add(node, PROV.wasDerivedFrom, b.location(conference.span, conference.table))
    return node


def _add_row(b: _Builder, node: URIRef, entry: Entry, article: URIRef) -> None:
    """What attendance and membership rows share: label, places, provenance, repairs."""
    b.add(node, KGO.listedAs, as_written(entry.party.name))
    b.add(node, KGO.listedUnder, b.place(entry.country))
    if entry.region is not None:
        b.add(node, KGO.listedUnder, b.place(entry.region))
    inferred = b.resolution.inferred.get(mention_id(entry))
    if inferred is not None:
        b.add(
            node,
            KGO.inferredCountry,
            b.place(StatedPlace(inferred.code, inferred.kind, inferred.text, inferred.evidence, entry.party.span)),
        )
        b.add(node, KGO.countryEvidence, Literal(f"{inferred.evidence}: {inferred.text}"))
    location = b.location(entry.party.span, entry.row.table, entry.row.row)
    b.add(node, PROV.wasDerivedFrom, location)
    b.add(node, PROV.hadPrimarySource, article)
    for repair in entry.repairs:
        b.add(location, KGO.repair, Literal(repair))
    for text in entry.raw:
        b.add(node, KGO.unreadText, as_written(text))


def _row_key(b: _Builder, entry: Entry, index: int) -> RowKey:
    return RowKey(Path(b.files[entry.party.span.path]).stem, entry.row.table, entry.row.row, index)


def _participant(b: _Builder, entry: Entry, delegation: URIRef) -> URIRef:
    """The party a row names; an anonymous delegation gets a node of its own (IRI given)."""
    if entry.delegation:
        b.add(delegation, RDF.type, KGO.Delegation)
        b.add(delegation, RDFS.label, as_written(entry.party.name))
        return delegation
    return b.party_iri(b.parties[b.resolution.party_of[mention_id(entry)]])


def add_attendance(b: _Builder, key: str, entry: Attendance, index: int, article: URIRef) -> URIRef:
    node = b.mint.attendance(key, entry.conference, _row_key(b, entry, index))
    b.add(node, RDF.type, KGO.Attendance)
    b.add(node, KGO.conference, b.mint.conference(key, entry.conference))
    b.add(
        node, SDO.attendee, _participant(b, entry, b.mint.delegation(key, entry.conference, _row_key(b, entry, index)))
    )
    _add_row(b, node, entry, article)
    return node


def add_membership(b: _Builder, key: str, entry: Membership, index: int, article: URIRef) -> URIRef:
    node = b.mint.membership(key, _row_key(b, entry, index))
    b.add(node, RDF.type, ORG.Membership)
    b.add(node, ORG.member, _participant(b, entry, URIRef(f"{node}/delegation")))
    b.add(node, ORG.organization, b.mint.international(key))
    b.add(node, ORG.role, ROLES[entry.role])
    b.add(node, KGO.continent, b.place(entry.continent))
    _add_row(b, node, entry, article)
    _add_interval(b, node, entry)
    if entry.end is not None:
        _add_end_event(b, node, key, entry)
    return node


def _instant(b: _Builder, node: URIRef, value: int, approximate: bool) -> URIRef:
    b.add(node, RDF.type, TIME.Instant)
    b.add(node, TIME.inXSDgYear, year(value))
    if approximate:
        b.add(node, KGO.approximate, Literal(True))
    return node


def _add_interval(b: _Builder, node: URIRef, entry: Membership) -> None:
    end_year = entry.end.year if entry.end else None
    if entry.joined is None and end_year is None:
        return
    interval = URIRef(f"{node}/during")
    b.add(node, ORG.memberDuring, interval)
    b.add(interval, RDF.type, TIME.Interval)
    if entry.joined is not None:
        b.add(
            interval,
            TIME.hasBeginning,
            _instant(b, URIRef(f"{node}/joined"), entry.joined.value, entry.joined.approximate),
        )
    if end_year is not None:
        b.add(interval, TIME.hasEnd, _instant(b, URIRef(f"{node}/left"), end_year.value, end_year.approximate))


def _add_end_event(b: _Builder, node: URIRef, key: str, entry: Membership) -> None:
    end = entry.end
    assert end is not None
    event = URIRef(f"{node}/end")
    b.add(node, KGO.endEvent, event)
    b.add(event, RDF.type, KGO.EndEvent)
    b.add(event, KGO.endEventKind, END_KINDS[end.kind])
    if end.year is not None:
        b.add(event, KGO.year, year(end.year.value))
        if end.year.approximate:
            b.add(event, KGO.approximate, Literal(True))
    if end.replaced_by:
        b.add(event, KGO.replacedByName, as_written(end.replaced_by))
        b.add(event, KGO.replacedBy, _party_named(b, key, end.replaced_by))


def _party_named(b: _Builder, key: str, name: str) -> URIRef | None:
    """The one party of this international with that name, if there is exactly one."""
    found = {
        p.key
        for p in b.parties.values()
        for m in p.mentions
        if m.international == key and fold(m.entry.party.name) == fold(name)
    }
    return b.party_iri(b.parties[found.pop()]) if len(found) == 1 else None


def add_party(b: _Builder, party: Party) -> URIRef:
    node = b.party_iri(party)
    b.add(node, RDF.type, KGO.Party)
    label = party.link or party.label
    b.add(node, SKOS.prefLabel, zh_hans(label))
    for name in sorted({*party.names, label} - {to_simplified(label)}):
        b.add(node, SKOS.altLabel, as_written(name))
    if party.link:
        b.add(node, KGO.zhwikiTitle, Literal(party.link))
        b.add(node, SDO.subjectOf, wikipedia_page(party.link))
    for number, evidence in enumerate(party.evidence, start=1):
        add_merge_evidence(
            b, node, number, evidence.rule, evidence.strength, evidence.detail, (evidence.joined, evidence.mention)
        )
    return node


def add_merge_evidence(
    b: _Builder, party: URIRef, number: int, rule: str, strength: str, detail: str, mentions: tuple[str, str]
) -> None:
    node = URIRef(f"{party}/evidence/{number}")
    b.add(party, KGO.mergeEvidence, node)
    b.add(node, RDF.type, KGO.MergeEvidence)
    b.add(node, KGO.rule, RULES[rule])
    b.add(node, KGO.strength, Literal(strength))
    b.add(node, RDFS.comment, as_written(detail))
    for mid in mentions:
        path, line, col = mid.rsplit(":", 2)
        b.add(node, PROV.wasDerivedFrom, b.mint.location(b.files[path], int(line), int(col)))


def add_places(b: _Builder) -> None:
    """A SKOS concept per country (ISO 3166 code) and region (UN M49 code) used, each with
    skos:broader its continent (UN M49 membership, from rigour) so queries can group by it,
    and each country skos:exactMatch its Wikidata item (rigour's territory data)."""
    for name, label_en in (("country", "Countries (ISO 3166)"), ("region", "Regions (UN M49)")):
        scheme = b.mint.scheme(name)
        b.add(scheme, RDF.type, SKOS.ConceptScheme)
        b.add(scheme, RDFS.label, Literal(label_en, lang="en"))
    continents = {c for code, _ in b.places if (c := continent_of(code))}
    b.places |= {(c, "region") for c in continents}
    for code, kind in sorted(b.places):
        node = b.mint.region(code) if kind == "region" else b.mint.country(code)
        if (continent := continent_of(code)) is not None:
            b.add(node, SKOS.broader, b.mint.region(continent))
        zh, en = place_names(code)
        b.add(node, RDF.type, SKOS.Concept)
        b.add(node, SKOS.inScheme, b.mint.scheme("region" if kind == "region" else "country"))
        b.add(node, SKOS.notation, Literal(code))
        if kind != "region" and (item := wikidata_qid(code)):
            b.add(node, SKOS.exactMatch, WD[item])
        b.add(node, SKOS.prefLabel, zh_hans(zh))
        b.add(node, SKOS.prefLabel, Literal(en, lang="en"))


def _distinguish(b: _Builder, articles: list[Article], nodes: dict[str, URIRef]) -> None:
    """owl:differentFrom between organisations whose articles tell them apart by name."""
    for article in articles:
        for title in article.organisation.distinguished_from:
            for other in articles:
                names = {fold(n) for n in (*other.organisation.other_names, other.source.title) if n}
                if other is not article and fold(title) in names:
                    b.add(nodes[article.path], OWL.differentFrom, nodes[other.path])


def build_graph(articles: list[Article], resolution: Resolution, base: str = DEFAULT_BASE) -> Graph:
    """The RDF graph of the articles' records, with their resolution into parties."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    b = _Builder(graph, Minter(base), resolution, _file_names(articles))
    b.parties = {p.key: p for p in resolution.parties}
    for party in resolution.parties:
        add_party(b, party)
    nodes = {}
    for article in sorted(articles, key=lambda a: a.path):
        nodes[article.path] = _add_article_records(b, article)
    _distinguish(b, articles, nodes)
    add_places(b)
    return graph


def _add_article_records(b: _Builder, article: Article) -> URIRef:
    key = international_key(article)
    source = add_article(b, article)
    node = add_organisation(b, article, key)
    for conference in article.conferences:
        add_conference(b, key, conference)
    index: dict[tuple[int, int], int] = defaultdict(int)
    for entry in sorted(article.entries, key=lambda e: e.party.span.start):
        index[entry.row.table, entry.row.row] += 1
        if isinstance(entry, Attendance):
            add_attendance(b, key, entry, index[entry.row.table, entry.row.row], source)
        elif isinstance(entry, Membership):
            add_membership(b, key, entry, index[entry.row.table, entry.row.row], source)
    return node
