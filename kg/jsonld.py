"""Compact JSON-LD under ontology/context.jsonld, written from the triples directly.

rdflib's JSON-LD serialiser took half of `kg build`'s writing time (15.7 s of 28 s at 2 MB of
text) and follows the store's hash order; this writer does one pass over the triples and
writes every node, key and value in sorted order, so the same graph gives the same bytes.

A value goes under a term of the context where the term's definition reads it back as the
same RDF term: a language-tagged string into the term's language map, an IRI under a term
typed ``@id``, a literal of the term's datatype as a bare string, a plain string under a term
with neither. Every other value goes under the predicate's compact IRI (``prefix:local``, or
the full IRI where no prefix fits) as a value object, which needs no definition to be read.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_BOOLEANS = {"true": True, "false": False}  # the canonical forms only: "1"^^xsd:boolean stays as written
_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")  # the part after a prefix, as the Turtle writer takes it


class _Term(NamedTuple):
    name: str
    coerce: str | None  # "@id", a datatype IRI, or None
    language_map: bool


class _Vocabulary:
    """The context's prefixes and terms, and where each (predicate, value) goes."""

    def __init__(self, context: dict[str, Any]) -> None:
        self.prefixes = sorted(
            ((iri, name) for name, iri in context.items() if isinstance(iri, str) and not name.startswith("@")),
            key=lambda item: -len(item[0]),
        )
        self.terms: dict[str, list[_Term]] = defaultdict(list)
        for name, definition in sorted(context.items()):
            if isinstance(definition, dict):
                coerce = definition.get("@type")
                self.terms[self.expand(definition["@id"])].append(
                    _Term(
                        name,
                        coerce if coerce in (None, "@id") else self.expand(coerce),
                        definition.get("@container") == "@language",
                    )
                )
        self._compacted: dict[str, str] = {}

    def expand(self, compact: str) -> str:
        prefix, _, local = compact.partition(":")
        return next((iri + local for iri, name in self.prefixes if name == prefix), compact)

    def compact(self, iri: str) -> str:
        if iri not in self._compacted:
            self._compacted[iri] = next(
                (
                    f"{name}:{iri[len(ns) :]}"
                    for ns, name in self.prefixes
                    if iri.startswith(ns) and _LOCAL.fullmatch(iri[len(ns) :])
                ),
                iri,
            )
        return self._compacted[iri]

    def node_id(self, node: Node) -> str:
        return f"_:{node}" if isinstance(node, BNode) else self.compact(str(node))

    def entry(self, predicate: str, value: Node) -> tuple[str, Any]:
        """The key and the value a triple's object is written as (a language map's entry as
        the pair (language, text))."""
        for term in self.terms.get(predicate, ()):
            if (written := _under_term(term, value, self)) is not None:
                return term.name, written
        return self.compact(predicate), self.value_object(value)

    def value_object(self, value: Node) -> Any:
        if not isinstance(value, Literal):
            return {"@id": self.node_id(value)}
        if value.language:
            return {"@value": str(value), "@language": value.language}
        datatype = str(value.datatype or _XSD_STRING)
        if datatype == _XSD_BOOLEAN and str(value) in _BOOLEANS:  # JSON's true reads back as "true"^^xsd:boolean
            return _BOOLEANS[str(value)]
        return str(value) if datatype == _XSD_STRING else {"@value": str(value), "@type": self.compact(datatype)}


def _under_term(term: _Term, value: Node, vocabulary: _Vocabulary) -> Any:
    """``value`` as the term's definition reads it back, or None where it cannot."""
    if not isinstance(value, Literal):
        return vocabulary.node_id(value) if term.coerce == "@id" and not term.language_map else None
    if term.language_map:
        return (value.language, str(value)) if value.language else None
    datatype = None if value.language else str(value.datatype or _XSD_STRING)
    if term.coerce is None:
        return str(value) if datatype == _XSD_STRING else None
    return str(value) if datatype == term.coerce else None


def jsonld(graph: Iterable[tuple[Node, Node, Node]], context: dict[str, Any]) -> str:
    """The triples as one compact JSON-LD document with ``context`` (the ``@context`` object)
    inlined: an ``@graph`` of node objects, sorted."""
    by_subject: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
    for subject, predicate, value in graph:
        by_subject[subject].append((predicate, value))
    return b"".join(jsonld_chunks(list(by_subject), by_subject.__getitem__, context)).decode("utf-8")


def jsonld_chunks(
    subjects: list[Node], about: Callable[[Node], Iterable[tuple[Node, Node]]], context: dict[str, Any]
) -> Iterator[bytes]:
    """``jsonld``'s document in UTF-8, a node at a time: ``about`` gives a subject's (predicate,
    value) pairs when its node is written, so the whole graph is never held as JSON. The bytes
    are those json.dumps gives for the whole document (indented by 2, keys sorted)."""
    vocabulary = _Vocabulary(context)
    maps = {term.name for terms in vocabulary.terms.values() for term in terms if term.language_map}
    head = json.dumps(context, ensure_ascii=False, indent=2, sort_keys=True).replace("\n", "\n  ")
    yield f'{{\n  "@context": {head},\n  "@graph": ['.encode()
    ordered = sorted(((vocabulary.node_id(subject), str(subject)), subject) for subject in subjects)
    for index, ((node_id, _), subject) in enumerate(ordered):
        node = _node(vocabulary, maps, node_id, about(subject))
        text = json.dumps(node, ensure_ascii=False, indent=2, sort_keys=True).replace("\n", "\n    ")
        yield f"{',' if index else ''}\n    {text}".encode()
    yield b"\n  ]\n}\n" if ordered else b"]\n}\n"


def _node(vocabulary: _Vocabulary, maps: set[str], node_id: str, about: Iterable[tuple[Node, Node]]) -> dict[str, Any]:
    entries: dict[str, list[Any]] = defaultdict(list)
    for predicate, value in about:
        if str(predicate) == _RDF_TYPE and isinstance(value, URIRef):
            entries["@type"].append(vocabulary.compact(str(value)))
        else:
            key, written = vocabulary.entry(str(predicate), value)
            entries[key].append(written)
    return {"@id": node_id} | {
        key: _language_map(values) if key in maps else _one_or_sorted(values) for key, values in entries.items()
    }


def _one_or_sorted(values: list[Any]) -> Any:
    if len(values) == 1:
        return values[0]
    return sorted(values, key=lambda value: json.dumps(value, ensure_ascii=False, sort_keys=True))


def _language_map(entries: list[tuple[str, str]]) -> dict[str, Any]:
    texts: dict[str, list[str]] = defaultdict(list)
    for language, text in entries:
        texts[language].append(text)
    return {language: _one_or_sorted(values) for language, values in texts.items()}
