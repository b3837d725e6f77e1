"""Two query stores behind one small interface: rdflib's in-memory graph and Oxigraph.

Oxigraph (pyoxigraph) is the default for queries: it loads a graph file in a fraction of the
time and answered the stored queries 10-1,500x faster (bench/bench_queries.py). rdflib stays
available, and the tests check both give the same rows. Terms come back as rdflib terms
either way, language tags in BCP 47 case (Oxigraph lower-cases them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.term import Identifier, Node

from kg.errors import UsageError
from kg.load import load_graph, read_triples, to_oxigraph, to_rdflib, triples_of
from kg.vocab import RDF

STORES = ("oxigraph", "rdflib")


@dataclass
class Result:
    columns: list[str]
    rows: list[list[Node | None]]


class Store(Protocol):
    def select(self, text: str, bindings: Mapping[str, Identifier]) -> Result:
        """Rows of a SELECT query with variables bound to RDF terms."""
        ...

    def find(self, cls: URIRef, predicates: tuple[URIRef, ...], value: str) -> list[URIRef]:
        """Subjects of type ``cls`` one of whose ``predicates`` has the text ``value``."""
        ...


def _not_select(kind: str) -> UsageError:
    return UsageError(f"only SELECT queries can be stored and run, not {kind}")


class RdflibStore:
    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def select(self, text: str, bindings: Mapping[str, Identifier]) -> Result:
        result = self.graph.query(text, initBindings=bindings)
        if result.type != "SELECT":
            raise _not_select(result.type)
        return Result([str(v) for v in result.vars or []], [list(row) for row in result])  # type: ignore[arg-type]

    def find(self, cls: URIRef, predicates: tuple[URIRef, ...], value: str) -> list[URIRef]:
        found = {
            s
            for p in predicates
            for s, o in self.graph.subject_objects(p)
            if isinstance(o, Literal) and str(o) == value
        }
        return sorted((URIRef(str(s)) for s in found if (s, RDF.type, cls) in self.graph), key=str)


class OxigraphStore:
    def __init__(self, store: ox.Store) -> None:
        self.store = store

    @classmethod
    def from_file(cls, path: Path) -> OxigraphStore:
        store = ox.Store()
        store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in read_triples(path))
        return cls(store)

    @classmethod
    def from_graph(cls, graph: Graph) -> OxigraphStore:
        store = ox.Store()
        store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples_of(graph))
        return cls(store)

    def select(self, text: str, bindings: Mapping[str, Identifier]) -> Result:
        substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(name): to_oxigraph(term) for name, term in bindings.items()
        }
        solutions = self.store.query(text, substitutions=substitutions)
        if not isinstance(solutions, ox.QuerySolutions):
            raise _not_select(type(solutions).__name__)
        columns = [v.value for v in solutions.variables]
        return Result(columns, [[from_oxigraph(solution[c]) for c in columns] for solution in solutions])

    def find(self, cls: URIRef, predicates: tuple[URIRef, ...], value: str) -> list[URIRef]:
        kind, type_ = ox.NamedNode(str(cls)), ox.NamedNode(str(RDF.type))
        found = set()
        for predicate in predicates:
            for quad in self.store.quads_for_pattern(None, ox.NamedNode(str(predicate)), None):
                subject, obj = quad.subject, quad.object
                if not isinstance(subject, ox.NamedNode) or not isinstance(obj, ox.Literal) or obj.value != value:
                    continue
                if any(self.store.quads_for_pattern(subject, type_, kind)):
                    found.add(URIRef(subject.value))
        return sorted(found, key=str)


def open_store(kind: str, graph: Graph | None = None, path: Path | None = None) -> Store:
    """A store of ``kind`` holding ``graph``, or the graph file at ``path``."""
    if kind not in STORES:
        raise UsageError(f"unknown store '{kind}'; choose one of {', '.join(STORES)}")
    if kind == "oxigraph":
        return OxigraphStore.from_graph(graph) if graph is not None else OxigraphStore.from_file(_existing(path))
    if graph is None:
        graph = load_graph(_existing(path))
    return RdflibStore(graph)


def _existing(path: Path | None) -> Path:
    if path is None or not path.is_file():
        raise UsageError(f"{path}: no such graph file (run `kg build` first)")
    return path


def from_oxigraph(term: Any) -> Node | None:
    """A query result's term; unbound is None."""
    return None if term is None else to_rdflib(term)
