"""The main job: read sources, resolve parties, build the graph, validate it, write it."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from kg.collector import collector_paused, settling
from kg.defaults import BUILT_STORE, DEFAULT_BASE, DEFAULT_OUT, DEFAULT_SOURCES, INFERRED, default_graph_missing
from kg.errors import SourceErrors, UsageError
from kg.export import serialize, turtle_bytes
from kg.files import Content, publish_set
from kg.graph import Triple, build_triples
from kg.iri import Minter
from kg.jsonld import jsonld_chunks
from kg.link import link_triples, read_linkset
from kg.load import Triples, as_rdflib, parse_triples, to_rdflib
from kg.records import Article
from kg.resolve import Resolution, resolve
from kg.resources import LINKSET, jsonld_context
from kg.sources import expand_sources
from kg.sources.cache import Reading, read_all
from kg.sources.once import read_once
from kg.store import Store, open_graph_store, store_aside
from kg.validate import Validation, validate
from kg.vocab import RDF, with_prefixes

BUILT = Path("<the built graph>")


@dataclass
class Build:
    articles: list[Article]
    resolution: Resolution
    triples: Triples  # the graph, as read back from its Turtle
    validation: Validation
    reading: Reading
    turtle: bytes  # the Turtle ``triples`` were read back from: kg.ttl as written

    @cached_property
    def graph(self) -> Graph:
        """The graph in rdflib, made when asked for (reasoning, library users): a build itself
        never holds it (at 1M triples it takes a gigabyte)."""
        return with_prefixes(as_rdflib(BUILT, self.triples))


def read_articles(sources: list[Path], cache: Path | None = None) -> list[Article]:
    """Every article read (from ``cache`` where it holds it); all unreadable files are reported
    together before giving up."""
    return read_counted(sources, cache)[0]


def read_counted(sources: list[Path], cache: Path | None = None) -> tuple[list[Article], Reading]:
    """The articles, and how many came from the cache and how many were read."""
    files = expand_sources(sources or DEFAULT_SOURCES)
    if not files:
        raise UsageError(f"no article files in {', '.join(map(str, sources or DEFAULT_SOURCES))}")
    reading = read_all(files, cache)
    if errors := [r for r in reading.results if not isinstance(r, Article)]:
        raise SourceErrors(errors)
    return read_once([r for r in reading.results if isinstance(r, Article)]), reading


def build(sources: list[Path], base: str = DEFAULT_BASE, linkset: Path = LINKSET, cache: Path | None = None) -> Build:
    """Read, resolve, convert, add the committed Wikidata links, validate.

    The graph validated (and later written) is the one read back from its Turtle, so what is
    validated is exactly what the files hold: a value a file cannot hold as it was made (an
    ordinal 0 typed as a positive integer) breaks its shape here, not only when read again."""
    with settling() as settle:
        articles, reading = read_counted(sources, cache)
        settle()
        resolution = resolve(articles)
        settle()
        written, turtle = read_back(linked_triples(articles, resolution, base, linkset))
        settle()
        return Build(articles, resolution, written, validate(written), reading, turtle)


def linked_triples(articles: list[Article], resolution: Resolution, base: str, linkset: Path) -> set[Triple]:
    """The graph's triples, with the committed Wikidata links of the nodes it has."""
    triples = build_triples(articles, resolution, base)
    triples.update(link_triples(triples, read_linkset(linkset)))
    return triples


def read_back(triples: set[Triple]) -> tuple[Triples, bytes]:
    """The triples as Turtle, and the triples read back from that Turtle. ``triples`` is
    emptied once written: those read back take its place, one copy in memory at a time."""
    turtle = turtle_bytes(triples, with_prefixes(Graph()).namespaces())
    triples.clear()
    with collector_paused():
        return Triples(parse_triples(BUILT, turtle, ox.RdfFormat.TURTLE)), turtle


def write_outputs(built: Build, out: Path, inferred: Graph | None = None, base: str = DEFAULT_BASE) -> list[Path]:
    """kg.ttl and kg.jsonld (and the inferences, when given, in their own file, never mixed
    into kg.ttl), and the Oxigraph store the other commands open instead of parsing kg.ttl
    (the inferences in their named graph), published together: readers see the old set or
    the new one. kg.ttl is the Turtle the build read back; the store is loaded while the
    JSON-LD is written."""
    with settling():
        written = {"kg.ttl": built.turtle}
        if inferred is not None:
            written[INFERRED] = serialize(inferred, "turtle")
        inferred_graph = str(Minter(base).inferred_graph())
        with store_aside(written["kg.ttl"], written.get(INFERRED), inferred_graph) as move_store:
            written["kg.jsonld"] = _jsonld(built.triples)
            files: dict[str, Content] = {**written, BUILT_STORE: move_store}
            return publish_set(out, files)


def _jsonld(triples: Triples) -> bytes:
    """kg.jsonld, each node's terms made in rdflib's kind as it is written, and let go, and
    each node's text gathered as it is made (not held twice, as a list to join)."""
    subjects = {to_rdflib(subject): subject for subject in triples.by_subject}
    written = io.BytesIO()
    for chunk in jsonld_chunks(
        list(subjects),
        lambda subject: ((to_rdflib(p), to_rdflib(o)) for p, o in triples.about(subjects[subject])),
        jsonld_context()["@context"],
    ):
        written.write(chunk)
    return written.getvalue()


def ensure_graph(path: Path) -> None:
    """The default out/kg.ttl, built from seeds/ when missing; any other path as it is."""
    if default_graph_missing(path):
        result = build(DEFAULT_SOURCES)
        if not result.validation.conforms:
            raise UsageError("the graph built from seeds/ does not conform; run `kg build` to see why")
        write_outputs(result, DEFAULT_OUT)


def store_for_queries(
    path: Path, reason: bool = False, kind: str = "oxigraph", engine: str = "reasonable", given: str | None = None
) -> Store:
    """``open_graph_store``; the default out/kg.ttl is built from seeds/ when missing."""
    ensure_graph(path)
    return open_graph_store(path, reason, kind, engine, given)


def summary(result: Build) -> list[str]:
    """Counts per class and the validation result, for people."""
    rdf_type = ox.NamedNode(str(RDF.type))
    counts = Counter(o.value for _, p, o in result.triples if p == rdf_type and isinstance(o, ox.NamedNode))
    lines = [f"{len(result.articles)} articles → {len(result.triples)} triples"]
    if cached := result.reading.from_cache:
        lines.append(
            f"  {cached} of {len(result.reading.results)} files unchanged since the last build: not read again"
        )
    names = with_prefixes(Graph()).namespace_manager
    for cls, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        lines.append(f"  {count:5d}  {names.normalizeUri(cls)}")
    verdict = (
        "conforms"
        if result.validation.conforms
        else f"does NOT conform ({len(result.validation.violations)} violations)"
    )
    lines.append(f"SHACL validation: {verdict}")
    once = [d for a in result.articles for d in a.diagnostics if d.code == "same-article"]
    lines += [str(d) for d in once]
    if warnings := sum(len(a.diagnostics) for a in result.articles):
        lines.append(f"{warnings} warnings about the sources (`kg inspect --report-only` lists them)")
    return lines
