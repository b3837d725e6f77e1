"""Records → RDF under ontology/kg.ttl: one add_<record>() per kind of record.

Every attendance and membership node names its source row (prov:wasDerivedFrom a
kgo:SourceLocation in a kgo:Article); every merged party carries its merge evidence. IRIs
come only from ``kg.iri`` and terms only from ``kg.vocab``; nothing depends on dict order or
the clock, so the same sources always give the same graph.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from kg.defaults import DEFAULT_BASE
from kg.errors import UsageError
from kg.fold import fold, to_simplified
from kg.geo import continent_of, parent_code, place_names, wikidata_qid
from kg.iri import Minter, RowKey, conference_segments, external, wikipedia_page
from kg.lexicon import EndKind, lexicon
from kg.records import (
    Article,
    Attendance,
    Conference,
    ConferenceId,
    ConferenceKind,
    Entry,
    Membership,
    Organisation,
    PlaceKind,
    StatedPlace,
)
from kg.resolve import Party, Resolution, international_key, mention_id
from kg.spans import Span
from kg.vocab import (
    CC_BY_SA_4,
    DCTERMS,
    KGO,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SKOS,
    TIME,
    WD,
    XSD,
    role_term,
    with_prefixes,
)

END_KINDS: dict[EndKind, URIRef] = {
    "expelled": KGO.Expelled,
    "ceased": KGO.Ceased,
    "withdrew": KGO.Withdrew,
    "dissolved": KGO.Dissolved,
    "merged": KGO.Merged,
    "renamed": KGO.Renamed,
    "replaced-by": KGO.ReplacedBy,
}
# The property naming the other party of an end event, as written and as a node.
OTHER_PARTY: dict[EndKind, tuple[URIRef, URIRef]] = {
    "replaced-by": (KGO.replacedByName, KGO.replacedBy),
    "merged": (KGO.successorName, KGO.successor),
    "renamed": (KGO.successorName, KGO.successor),
}
CONFERENCE_KINDS: dict[ConferenceKind, URIRef] = {
    "regular": KGO.RegularConference,
    "founding": KGO.FoundingConference,
    "preparatory": KGO.PreparatoryConference,
}
PLACE_SCHEMES: dict[PlaceKind, tuple[str, str]] = {
    "country": ("country", "Countries (ISO 3166)"),
    "historic": ("country", "Countries (ISO 3166)"),
    "region": ("region", "Regions (UN M49)"),
    "subdivision": ("subdivision", "Sub-national places (ISO 3166-2)"),
    "area": ("area", "Areas with no code of their own (kg/lexicon/places.toml)"),
}
COUNTRY_KINDS: frozenset[PlaceKind] = frozenset({"country", "historic"})  # not a region, area or subdivision
RULES = {"same-link": KGO.SameLink, "same-name-country": KGO.SameNameCountry, "same-name-region": KGO.SameNameRegion}


def zh_hans(text: str) -> Literal:
    """A label in simplified Chinese (MediaWiki's zh-hans conversion of the text as written)."""
    return Literal(to_simplified(text), lang="zh-Hans")


def as_written(text: str) -> Literal:
    return Literal(text, lang="zh")


def year(value: int) -> Literal:
    return Literal(f"{value:04d}", datatype=XSD.gYear)


def positive(value: int) -> Literal:
    """An xsd:positiveInteger. A source's 0 (第0次会议) is written as it is and breaks the
    conference's shape, so the build stops with its line instead of dropping the fact."""
    return Literal(value, datatype=XSD.positiveInteger)


def founding_date(text: str) -> Literal:
    """1994 → xsd:gYear, 1994-08 → xsd:gYearMonth, 2010-10-06 → xsd:date."""
    datatype = {1: XSD.gYear, 2: XSD.gYearMonth, 3: XSD.date}[len(text.split("-"))]
    return Literal(text, datatype=datatype)


Triple = tuple[Node, URIRef, Node]


@dataclass
class _Builder:
    triples: set[Triple]
    mint: Minter
    resolution: Resolution
    files: dict[str, str]  # source path → file name used in IRIs
    row_sources: dict[str, str] = field(default_factory=dict)  # source path → the file's part of row IRIs
    places: set[tuple[str, PlaceKind]] = field(default_factory=set)
    # party → (row, the country the row states or else infers, or None; whether stated) per row naming it
    row_countries: dict[URIRef, list[tuple[URIRef, URIRef | None, bool]]] = field(default_factory=dict)
    parties: dict[str, Party] = field(default_factory=dict)
    roles: set[str] = field(default_factory=set)
    segments: dict[tuple[str, ConferenceId], str] = field(default_factory=dict)

    def add(self, subject: Node, predicate: URIRef, value: Node | None) -> None:
        if value is not None:
            self.triples.add((subject, predicate, value))

    def place(self, place: StatedPlace | None) -> URIRef | None:
        if place is None:
            return None
        return self.place_node(place.code, place.kind)

    def place_node(self, code: str, kind: PlaceKind) -> URIRef:
        self.places.add((code, kind))
        return self.mint.place(PLACE_SCHEMES[kind][0], code)

    def conference(self, key: str, conference: ConferenceId) -> URIRef:
        resolved = self.resolution.conference(key, conference)
        return self.mint.conference(key, self.segments[key, resolved])

    def location(self, span: Span, table: int = 0, row: int = 0) -> URIRef:
        file_name = self.files[span.path]
        node = self.mint.location(file_name, span.line, span.col)
        self.add(node, RDF.type, KGO.SourceLocation)
        self.add(node, KGO.inArticle, self.mint.article(file_name))
        self.add(node, KGO.line, positive(span.line))
        self.add(node, KGO.column, positive(span.col))
        if table:
            self.add(node, KGO.table, positive(table))
        if row:
            self.add(node, KGO.row, positive(row))
        return node

    def party_iri(self, party: Party) -> URIRef:
        return self.mint.party(party.link, party.label, party.place)


def _file_names(articles: list[Article]) -> dict[str, str]:
    """Each source's file name; two sources with one name would share IRIs, so refuse."""
    names: dict[str, str] = {}
    for article in articles:
        # a name the file system holds as bytes that are not UTF-8 keeps U+FFFD in their place
        name = os.fsencode(Path(article.path).name).decode("utf-8", "replace")
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
        _add_address(b, node, SDO.url, source.url)
    if source.licence:
        _add_address(b, node, DCTERMS.license, source.licence)
    else:
        b.add(node, DCTERMS.license, CC_BY_SA_4)
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
        add_english_names(b, node, [org.english_name])
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
        b.add(node, SDO.foundingLocation, _named_place(b, org.founding_place))
    _add_standing(b, node, org)
    b.add(node, KGO.country, b.place(org.country))
    if org.defunct:
        b.add(node, KGO.defunct, Literal(True))
    for name in org.former_names:
        b.add(node, KGO.formerName, as_written(name))
    if org.renamed_year:
        b.add(node, KGO.renamedIn, year(org.renamed_year))
    for name in org.predecessors:
        b.add(node, KGO.predecessorName, as_written(name))


def _add_standing(b: _Builder, node: URIRef, org: Organisation) -> None:
    """What an infobox (or the prose) says of its standing: when it ended, its seat, site, internationals."""
    if org.dissolved:
        b.add(node, SDO.dissolutionDate, founding_date(org.dissolved))
    if org.headquarters:
        b.add(node, KGO.headquarters, _named_place(b, org.headquarters))
    if org.website:
        _add_address(b, node, SDO.url, org.website)
    for name in org.affiliations:
        b.add(node, KGO.affiliationName, as_written(name))


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
        _add_address(b, node, SDO.sameAs if "wikipedia.org" in url else SDO.url, url)


def _add_address(b: _Builder, node: URIRef, predicate: URIRef, url: str) -> None:
    iri = external(url)
    if iri is not None:  # text that is no absolute address is not one to point at
        b.add(node, predicate, iri)


def _concept(b: _Builder, kind: str, cls: URIRef, title: str) -> URIRef:
    node = b.mint.named(kind, title)
    b.add(node, RDF.type, cls)
    b.add(node, SKOS.prefLabel, zh_hans(title))
    if to_simplified(title) != title:
        b.add(node, SKOS.altLabel, as_written(title))
    return node


def add_conference(b: _Builder, key: str, conference: Conference) -> URIRef:
    """A conference, with what its (resolved) identity states and where it is named."""
    node = b.conference(key, conference.id)
    held = b.resolution.conference(key, conference.id)
    b.add(node, RDF.type, KGO.Conference)
    b.add(node, SDO.organizer, b.mint.international(key))
    b.add(node, KGO.conferenceKind, CONFERENCE_KINDS[held.kind])
    if held.ordinal is not None:
        b.add(node, KGO.ordinal, positive(held.ordinal))
    if held.year is not None:
        b.add(node, SDO.startDate, _conference_date(held))
    if held.place:
        b.add(node, SDO.location, _named_place(b, held.place))
    b.add(node, SDO.name, as_written(conference.heading))
    b.add(node, PROV.wasDerivedFrom, b.location(conference.span, conference.table))
    return node


def _conference_date(conference: ConferenceId) -> Literal:
    assert conference.year is not None
    if conference.month and conference.day:
        return Literal(f"{conference.year:04d}-{conference.month:02d}-{conference.day:02d}", datatype=XSD.date)
    if conference.month:
        return Literal(f"{conference.year:04d}-{conference.month:02d}", datatype=XSD.gYearMonth)
    return year(conference.year)


def _named_place(b: _Builder, title: str) -> URIRef:
    """A place the source names (a city, as a page title or as written)."""
    place = b.mint.named("place", title)
    b.add(place, RDF.type, SDO.Place)
    b.add(place, SKOS.prefLabel, zh_hans(title))
    return place


def _add_row(b: _Builder, node: URIRef, party: URIRef, entry: Entry, article: URIRef) -> None:
    """What attendance and membership rows share: label, places, provenance, repairs."""
    b.add(node, KGO.listedAs, as_written(entry.party.name))
    stated = b.place(entry.country)
    b.add(node, KGO.listedUnder, stated)
    if entry.region is not None:
        b.add(node, KGO.listedUnder, b.place(entry.region))
    inferred = b.resolution.inferred.get(mention_id(entry))
    country = stated if entry.country is not None and entry.country.kind in COUNTRY_KINDS else None
    said = country is not None
    if inferred is not None:
        inferred_node = b.place_node(inferred.code, inferred.kind)
        b.add(node, KGO.inferredCountry, inferred_node)
        b.add(node, KGO.countryEvidence, Literal(f"{inferred.evidence}: {inferred.text}"))
        country = country or (inferred_node if inferred.kind in COUNTRY_KINDS else None)
    b.row_countries.setdefault(party, []).append((node, country, said))
    location = b.location(entry.party.span, entry.row.table, entry.row.row)
    b.add(node, PROV.wasDerivedFrom, location)
    b.add(node, PROV.hadPrimarySource, article)
    for repair in entry.repairs:
        b.add(location, KGO.repair, Literal(repair))
    for text in entry.raw:
        b.add(node, KGO.unreadText, as_written(text))


def _row_key(b: _Builder, entry: Entry, index: int) -> RowKey:
    return RowKey(b.row_sources[entry.party.span.path], entry.row.table, entry.row.row, index)


def _row_sources(files: dict[str, str]) -> dict[str, str]:
    """Each file's stem (icmlpo), or its whole name where two files share the stem (a.wiki and
    a.md): two files never share row IRIs."""
    stems = Counter(Path(name).stem for name in files.values())
    return {path: name if stems[Path(name).stem] > 1 else Path(name).stem for path, name in files.items()}


def _participant(b: _Builder, entry: Entry, delegation: URIRef) -> URIRef:
    """The party a row names; an anonymous delegation gets a node of its own (IRI given)."""
    if entry.delegation:
        b.add(delegation, RDF.type, KGO.Delegation)
        b.add(delegation, RDFS.label, as_written(entry.party.name))
        return delegation
    return b.party_iri(b.parties[b.resolution.party_of[mention_id(entry)]])


def add_attendance(b: _Builder, key: str, entry: Attendance, index: int, article: URIRef) -> URIRef:
    conference = b.conference(key, entry.conference)
    node = b.mint.attendance(conference, _row_key(b, entry, index))
    b.add(node, RDF.type, KGO.Attendance)
    b.add(node, KGO.conference, conference)
    party = _participant(b, entry, b.mint.delegation(conference, _row_key(b, entry, index)))
    b.add(node, SDO.attendee, party)
    if entry.host:
        b.add(node, KGO.asHost, Literal(True))
    _add_row(b, node, party, entry, article)
    return node


def add_membership(b: _Builder, key: str, entry: Membership, index: int, article: URIRef) -> URIRef:
    node = b.mint.membership(key, _row_key(b, entry, index))
    b.add(node, RDF.type, ORG.Membership)
    party = _participant(b, entry, URIRef(f"{node}/delegation"))
    b.add(node, ORG.member, party)
    b.add(node, ORG.organization, b.mint.international(key))
    b.add(node, ORG.role, role_term(entry.role))
    b.roles.add(entry.role)
    b.add(node, KGO.continent, b.place(entry.continent))
    _add_row(b, node, party, entry, article)
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
    if end.other and end.kind in OTHER_PARTY:
        name, party = OTHER_PARTY[end.kind]
        b.add(event, name, as_written(end.other))
        b.add(event, party, _party_named(b, key, end.other))


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
    english = {_without_disambiguator(m.entry.party.english) for m in party.mentions}
    add_english_names(b, node, sorted((english | {m.entry.party.english_name for m in party.mentions}) - {""}))
    for title in sorted({m.entry.party.english for m in party.mentions} - {""}):
        b.add(node, KGO.enwikiTitle, Literal(title))
    for name in sorted({m.entry.party.foreign for m in party.mentions} - {""}):
        b.add(node, SDO.alternateName, Literal(name))
    for number, evidence in enumerate(party.evidence, start=1):
        add_merge_evidence(
            b, node, number, evidence.rule, evidence.strength, evidence.detail, (evidence.joined, evidence.mention)
        )
    return node


def add_english_names(b: _Builder, node: URIRef, names: list[str]) -> None:
    """The English names the sources give: the first (sorted) is the label, SKOS allowing one
    prefLabel per language; the others alternative labels."""
    for number, name in enumerate(names):
        b.add(node, SKOS.prefLabel if number == 0 else SKOS.altLabel, Literal(name, lang="en"))


def add_party_country(b: _Builder, party: URIRef, rows: list[tuple[URIRef, URIRef | None, bool]]) -> None:
    """A party's own country, where every row naming it states or infers that one country;
    the rows are its evidence. A row with none, or two countries, gives the party none."""
    countries = {country for _, country, _ in rows}
    if len(countries) != 1 or None in countries or (party, RDF.type, KGO.Party) not in b.triples:
        return
    (country,) = countries
    derivation = URIRef(f"{party}/country")
    b.add(party, KGO.derivedCountry, country)
    b.add(party, KGO.countryDerivation, derivation)
    b.add(derivation, RDF.type, KGO.CountryDerivation)
    for row, _, _ in sorted(rows):
        b.add(derivation, PROV.wasDerivedFrom, row)
    stated = sum(said for _, _, said in rows)
    said = "the one row naming the party gives" if len(rows) == 1 else f"all {len(rows)} rows naming the party give"
    how = f"{stated} stating it, {len(rows) - stated} inferring it"
    b.add(derivation, RDFS.comment, Literal(f"{said} this country ({how})", lang="en"))


def _without_disambiguator(title: str) -> str:
    """Workers' Party (Brazil) → Workers' Party: the label, not the page title."""
    base, sep, _ = title.rpartition(" (")
    return base if sep and title.endswith(")") and base else title


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
    """A SKOS concept per place used: countries (ISO 3166), sub-national places (ISO 3166-2),
    areas (places.toml) and regions (UN M49), each skos:broader what it lies in (its country,
    its continent, from rigour's UN M49 data) so queries can group by it, and each country
    skos:exactMatch its Wikidata item (rigour's territory data)."""
    pending = sorted(b.places)
    while pending:  # a sub-national place brings its country, a country its continent
        code, kind = pending.pop()
        for broader in _broader(code):
            if broader not in b.places:
                b.places.add(broader)
                pending.append(broader)
    for name, label_en in sorted({PLACE_SCHEMES[kind] for _, kind in b.places}):
        scheme = b.mint.scheme(name)
        b.add(scheme, RDF.type, SKOS.ConceptScheme)
        b.add(scheme, RDFS.label, Literal(label_en, lang="en"))
    for code, kind in sorted(b.places):
        _add_place(b, code, kind)


def _broader(code: str) -> list[tuple[str, PlaceKind]]:
    """What a place lies in: a sub-national place or area its country (or region), anything
    else its continent."""
    if parent := parent_code(code):
        return [(parent, "region" if parent.isdigit() else "country")]
    continent = continent_of(code)
    return [(continent, "region")] if continent else []


def _add_place(b: _Builder, code: str, kind: PlaceKind) -> None:
    node = b.mint.place(PLACE_SCHEMES[kind][0], code)
    for broader, broader_kind in _broader(code):
        b.add(node, SKOS.broader, b.mint.place(PLACE_SCHEMES[broader_kind][0], broader))
    zh, en = place_names(code)
    b.add(node, RDF.type, SKOS.Concept)
    b.add(node, SKOS.inScheme, b.mint.scheme(PLACE_SCHEMES[kind][0]))
    b.add(node, SKOS.notation, Literal(code))
    if kind in ("country", "historic") and (item := wikidata_qid(code)):
        b.add(node, SKOS.exactMatch, WD[item])
    b.add(node, SKOS.prefLabel, zh_hans(zh))
    b.add(node, SKOS.prefLabel, Literal(en, lang="en"))


def add_roles(b: _Builder) -> None:
    """Each role used, as the org:Role roles.toml describes."""
    for role_id in sorted(b.roles):
        role = lexicon().role(role_id)
        node = role_term(role_id)
        b.add(node, RDF.type, ORG.Role)
        b.add(node, SKOS.prefLabel, Literal(role.en, lang="en"))
        b.add(node, SKOS.prefLabel, Literal(role.zh, lang="zh-Hans"))


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
    graph = with_prefixes(Graph())
    graph.addN((*triple, graph) for triple in build_triples(articles, resolution, base))
    return graph


def build_triples(articles: list[Article], resolution: Resolution, base: str = DEFAULT_BASE) -> set[Triple]:
    """The triples of ``build_graph``, in a set: half the time and memory of an rdflib graph,
    for `kg build`, which writes them out before it reads them back (kg.build)."""
    files = _file_names(articles)
    b = _Builder(set(), Minter(base), resolution, files, _row_sources(files))
    b.parties = {p.key: p for p in resolution.parties}
    b.segments = _conference_segments(articles, resolution)
    for party in resolution.parties:
        add_party(b, party)
    nodes = {}
    for article in sorted(articles, key=lambda a: a.path):
        nodes[article.path] = _add_article_records(b, article)
    _distinguish(b, articles, nodes)
    for node, rows in sorted(b.row_countries.items()):
        add_party_country(b, node, rows)
    add_places(b)
    add_roles(b)
    return b.triples


def _conference_segments(articles: list[Article], resolution: Resolution) -> dict[tuple[str, ConferenceId], str]:
    held: dict[str, set[ConferenceId]] = defaultdict(set)
    for article in articles:
        key = international_key(article)
        held[key] |= {resolution.conference(key, c.id) for c in article.conferences}
    return {(key, c): name for key, ids in held.items() for c, name in conference_segments(ids).items()}


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
