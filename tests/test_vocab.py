"""kg.vocab and ontology/kg.ttl agree, and every own term is documented in English and Chinese."""

from __future__ import annotations

from rdflib import Literal, URIRef

from kg.resources import ontology
from kg.vocab import KGO, OWL, RDF, RDFS, SKOS


def _declared() -> set[URIRef]:
    graph = ontology()
    return {s for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef) and str(s).startswith(str(KGO._NS))}


def test_vocab_names_exactly_the_ontology_terms() -> None:
    in_code = {KGO[name] for name in KGO.__annotations__}
    assert in_code == _declared()


def test_every_class_and_property_has_english_and_chinese_labels_and_comments() -> None:
    graph = ontology()
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    for term in _declared():
        if not any((term, RDF.type, kind) in graph for kind in kinds):
            continue
        for predicate in (RDFS.label, RDFS.comment):
            languages = {o.language for o in graph.objects(term, predicate) if isinstance(o, Literal)}
            assert {"en", "zh-Hans"} <= languages, (term, predicate)


def test_individuals_have_labels() -> None:
    graph = ontology()
    for term in _declared():
        if (term, RDF.type, OWL.Class) in graph or any(graph.objects(term, RDFS.label)):
            continue
        assert {o.language for o in graph.objects(term, SKOS.prefLabel) if isinstance(o, Literal)} >= {
            "en",
            "zh-Hans",
        }, term
