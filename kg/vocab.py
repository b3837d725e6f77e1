"""Closed namespaces for the terms the graph uses: a misspelt term raises at import time.

The own terms mirror ontology/kg.ttl (a test checks the two agree); standard vocabularies
come from rdflib.
"""

from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SDO, SKOS, TIME, XSD, DefinedNamespace

from kg.lexicon import lexicon

ONTOLOGY_IRI = "https://kg.example.org/ontology"
CC_BY_SA_4 = URIRef("https://creativecommons.org/licenses/by-sa/4.0/")
WD = Namespace("http://www.wikidata.org/entity/")  # Wikidata items

__all__ = [
    "CC_BY_SA_4",
    "DCTERMS",
    "KGO",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SDO",
    "SKOS",
    "TIME",
    "WD",
    "XSD",
    "role_term",
    "with_prefixes",
]


class KGO(DefinedNamespace):
    """Own terms of ontology/kg.ttl."""

    _NS = Namespace(ONTOLOGY_IRI + "#")
    _fail = True

    # classes
    International: URIRef
    Party: URIRef
    Delegation: URIRef
    Conference: URIRef
    Attendance: URIRef
    EndEvent: URIRef
    EndEventKind: URIRef
    Ideology: URIRef
    Publication: URIRef
    Article: URIRef
    SourceLocation: URIRef
    MergeEvidence: URIRef
    CountryDerivation: URIRef
    # individuals
    MemberRole: URIRef
    ObserverRole: URIRef
    FormerMemberRole: URIRef
    HonoraryMemberRole: URIRef
    AssociateMemberRole: URIRef
    ConsultativeMemberRole: URIRef
    PartnerRole: URIRef
    Expelled: URIRef
    Ceased: URIRef
    Withdrew: URIRef
    Dissolved: URIRef
    Merged: URIRef
    Renamed: URIRef
    ReplacedBy: URIRef
    ConferenceKind: URIRef
    RegularConference: URIRef
    FoundingConference: URIRef
    PreparatoryConference: URIRef
    SameLink: URIRef
    SameNameCountry: URIRef
    SameNameRegion: URIRef
    # properties
    conference: URIRef
    listedAs: URIRef
    listedUnder: URIRef
    continent: URIRef
    inferredCountry: URIRef
    countryEvidence: URIRef
    ordinal: URIRef
    endEvent: URIRef
    endEventKind: URIRef
    year: URIRef
    approximate: URIRef
    replacedBy: URIRef
    replacedByName: URIRef
    successor: URIRef
    successorName: URIRef
    conferenceKind: URIRef
    asHost: URIRef
    enwikiTitle: URIRef
    headquarters: URIRef
    affiliationName: URIRef
    zhwikiTitle: URIRef
    abbreviation: URIRef
    ideology: URIRef
    opposes: URIRef
    publication: URIRef
    formerName: URIRef
    renamedIn: URIRef
    predecessorName: URIRef
    country: URIRef
    defunct: URIRef
    wikiCategory: URIRef
    mergeEvidence: URIRef
    derivedCountry: URIRef
    countryDerivation: URIRef
    rule: URIRef
    strength: URIRef
    inArticle: URIRef
    sourceFile: URIRef
    sourceFormat: URIRef
    line: URIRef
    column: URIRef
    table: URIRef
    row: URIRef
    repair: URIRef
    unreadText: URIRef
    # derived by reasoning
    attended: URIRef
    tookPartIn: URIRef
    associatedWith: URIRef


# The prefixes the graph files are written with.
PREFIXES = {"kgo": KGO._NS, "org": ORG, "prov": PROV, "schema": SDO, "skos": SKOS, "time": TIME, "dcterms": DCTERMS}


def with_prefixes(graph: Graph) -> Graph:
    """``graph``, with PREFIXES bound."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def role_term(role_id: str) -> URIRef:
    """The org:Role of a role id of kg/lexicon/roles.toml: its term in the ontology's namespace
    (a test checks every one is defined in ontology/kg.ttl)."""
    return URIRef(KGO._NS + lexicon().role(role_id).term)
