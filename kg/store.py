"""Two query stores behind one small interface: rdflib's in-memory graph and Oxigraph.

Oxigraph (pyoxigraph) is the default for queries: it loads a graph file in a fraction of the
time and answered the stored queries 10-1,500x faster (bench/bench_queries.py). rdflib stays
available, and the tests check both give the same rows. Terms come back as rdflib terms
either way, language tags in BCP 47 case (Oxigraph lower-cases them).
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.term import Identifier, Node

from kg.defaults import BUILT_STORE, STORES
from kg.errors import UsageError
from kg.export import turtle_pieces
from kg.load import as_rdflib, load_graph, read_triples, to_oxigraph, to_rdflib, triples_of
from kg.reason import infer
from kg.vocab import RDF


@dataclass
class Result:
    """A SELECT query's answer: its projected variables and rows (None: unbound)."""

    columns: list[str]
    rows: list[list[Node | None]]


# SELECT gives rows, ASK a boolean, CONSTRUCT and DESCRIBE a graph.
Answer = Result | bool | Graph


class Store(Protocol):
    def query(self, text: str, bindings: Mapping[str, Identifier]) -> Answer:
        """The answer to a query of any form, with variables bound to RDF terms."""
        ...

    def names(self, cls: URIRef, predicates: tuple[URIRef, ...]) -> list[tuple[URIRef, str]]:
        """Each subject of type ``cls`` with each text its ``predicates`` give it, sorted; a
        subject with none has itself once with the text ''."""
        ...


class RdflibStore:
    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def query(self, text: str, bindings: Mapping[str, Identifier]) -> Answer:
        result = self.graph.query(text, initBindings=bindings)
        if result.type == "ASK":
            return bool(result.askAnswer)
        if result.type != "SELECT":
            return result.graph if result.graph is not None else Graph()
        return Result([str(v) for v in result.vars or []], [list(row) for row in result])  # type: ignore[arg-type]

    def names(self, cls: URIRef, predicates: tuple[URIRef, ...]) -> list[tuple[URIRef, str]]:
        found: set[tuple[URIRef, str]] = set()
        for subject in self.graph.subjects(RDF.type, cls):
            if not isinstance(subject, URIRef):
                continue
            texts = {str(o) for p in predicates for o in self.graph.objects(subject, p) if isinstance(o, Literal)}
            found |= {(URIRef(str(subject)), text) for text in texts or {""}}
        return sorted(found)


class OxigraphStore:
    def __init__(self, store: ox.Store, union: bool = False) -> None:
        self.store = store
        self.union = union  # the default graph is every graph: the asserted and the inferred

    @classmethod
    def built(cls, path: Path, reason: bool = False) -> OxigraphStore | None:
        """The store `kg build` wrote at ``path``, read-only; with ``reason``, only if it holds
        the inferences (a build with --reason)."""
        store = ox.Store.read_only(str(path))
        if reason and next(iter(store.named_graphs()), None) is None:
            return None
        return cls(store, union=reason)

    @classmethod
    def from_file(cls, path: Path, given: str | None = None) -> OxigraphStore:
        store = ox.Store()
        store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in read_triples(path, given))
        return cls(store)

    @classmethod
    def from_graph(cls, graph: Graph) -> OxigraphStore:
        store = ox.Store()
        store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples_of(graph))
        return cls(store)

    def query(self, text: str, bindings: Mapping[str, Identifier]) -> Answer:
        substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(name): to_oxigraph(term) for name, term in bindings.items()
        }
        answer = self.store.query(text, substitutions=substitutions, use_default_graph_as_union=self.union)
        if isinstance(answer, ox.QueryBoolean):
            return bool(answer)
        if isinstance(answer, ox.QueryTriples):
            return as_rdflib(Path("<the query's answer>"), answer)
        columns = [v.value for v in answer.variables]
        return Result(columns, [[from_oxigraph(solution[c]) for c in columns] for solution in answer])

    def names(self, cls: URIRef, predicates: tuple[URIRef, ...]) -> list[tuple[URIRef, str]]:
        found: set[tuple[URIRef, str]] = set()
        for quad in self.store.quads_for_pattern(None, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(cls))):
            subject = quad.subject
            if not isinstance(subject, ox.NamedNode):
                continue
            texts = {
                o.value
                for p in predicates
                for o in (q.object for q in self.store.quads_for_pattern(subject, ox.NamedNode(str(p)), None))
                if isinstance(o, ox.Literal)
            }
            found |= {(URIRef(subject.value), text) for text in texts or {""}}
        return sorted(found)


def write_store(directory: Path, turtle: bytes, inferred: bytes | None, inferred_graph: str) -> None:
    """An Oxigraph store at ``directory``: the graph's Turtle (as kg writes it) in the default
    graph, the inferences (when given) in their named graph, loaded a piece at a time."""
    store = ox.Store(str(directory))
    for piece in turtle_pieces(turtle):
        store.bulk_load(piece, ox.RdfFormat.TURTLE)
    for piece in turtle_pieces(inferred or b""):
        store.bulk_load(piece, ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(inferred_graph))
    store.optimize()
    store.flush()


@contextlib.contextmanager
def store_aside(turtle: bytes, inferred: bytes | None, inferred_graph: str) -> Iterator[Callable[[Path], None]]:
    """``write_store``'s store, built in a thread into a temporary directory while the caller
    goes on (Oxigraph's loader releases the interpreter's lock, so this takes the second core:
    7 s of a 1M-triple build); gives what moves it to a path. The directory is gone on leaving,
    moved or not."""
    with tempfile.TemporaryDirectory(prefix="kg-store-") as temporary, ThreadPoolExecutor(1) as thread:
        aside = Path(temporary) / BUILT_STORE
        loading = thread.submit(write_store, aside, turtle, inferred, inferred_graph)

        def move_to(path: Path) -> None:
            loading.result()
            shutil.move(aside, path)
            os.utime(path)  # loaded before kg.ttl was written, maybe: dated now, after it (built_store)

        yield move_to


def built_store(graph: Path) -> Path | None:
    """The store `kg build` wrote beside the graph file, while the file is still the one it was
    made from: in the same published set, and not written since the store was."""
    if graph == Path("-"):
        return None
    real = Path(os.path.realpath(graph))
    store = real.parent / BUILT_STORE
    try:
        fresh = store.is_dir() and real.stat().st_mtime_ns <= store.stat().st_mtime_ns
    except OSError:
        return None
    return store if fresh else None


def open_graph_store(
    path: Path, reason: bool = False, kind: str = "oxigraph", engine: str = "reasonable", given: str | None = None
) -> Store:
    """A store holding a graph file (``given``: its format, else its suffix says): the store
    `kg build` wrote beside it where there is one, else the file parsed. With ``reason``, the
    OWL-RL inferences too: those `kg build --reason` stored, else computed now."""
    built = built_store(path) if kind == "oxigraph" and given is None else None
    if built and (store := OxigraphStore.built(built, reason)) is not None:
        return store
    if not reason:
        return open_store(kind, path=path, given=given)
    graph = load_graph(path, given)
    graph += infer(graph, engine)
    return open_store(kind, graph=graph)


def store_opener(path: Path, given: str | None = None) -> Callable[[], Store]:
    """What gives the graph's store in a forked worker: the store `kg build` wrote, opened
    read-only by each worker (an open database is not to be shared across fork); else the
    graph parsed once, here, which the workers share by fork."""
    built = built_store(path) if given is None else None
    if built is not None:
        return functools.partial(_read_only, built)
    loaded = open_store("oxigraph", path=path, given=given)
    return lambda: loaded


def _read_only(path: Path) -> Store:
    return OxigraphStore(ox.Store.read_only(str(path)))


def open_store(kind: str, graph: Graph | None = None, path: Path | None = None, given: str | None = None) -> Store:
    """A store of ``kind`` holding ``graph``, or the graph file at ``path`` (in format ``given``,
    else the one its suffix says)."""
    if kind not in STORES:
        raise UsageError(f"unknown store '{kind}'; choose one of {', '.join(STORES)}")
    if graph is not None:
        return OxigraphStore.from_graph(graph) if kind == "oxigraph" else RdflibStore(graph)
    if path is None:
        raise UsageError("a store needs a graph or a graph file")
    return OxigraphStore.from_file(path, given) if kind == "oxigraph" else RdflibStore(load_graph(path, given))


def from_oxigraph(term: Any) -> Node | None:
    """A query result's term; unbound is None."""
    return None if term is None else to_rdflib(term)
