"""`kg push`: publish the graph to a triple store a user already runs, over the SPARQL 1.1 Graph
Store HTTP Protocol, or SPARQL 1.1 Update where a store has no Graph Store endpoint.

Each named graph is replaced whole. Over the Graph Store Protocol that is a PUT of N-Triples
(one transaction in stores that implement PUT so, as Oxigraph does); a graph of more than
``chunk`` triples is a PUT of the first chunk and POSTs of the others, so no request holds more
than a chunk. Over Update it is ``DROP SILENT GRAPH`` and ``INSERT DATA`` in one request, then
``INSERT DATA`` for the other chunks. A store whose Graph Store address answers that it has no
such service (404, 405, 415, 501) is sent Update instead, when its Update endpoint is known.

A request that meets a connection error or a 5xx answer is tried again after a pause that
doubles. After the push each named graph's triples are counted through the store's SPARQL
endpoint, and a count that is not the graph's is an error: a push is done when the store says
it holds what was sent.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

import httpx
import pyoxigraph as ox
from rdflib import Graph, URIRef

from kg.defaults import PushProtocol as Protocol
from kg.errors import ExitCode, KgError, UsageError
from kg.export import serialize
from kg.vocab import KGO, PROV, RDF

TRIES = 4
FIRST_PAUSE = 0.5  # seconds; doubled after each failed try
CHUNK = 100_000  # triples per request
# triples per INSERT DATA at most: Virtuoso's SPARQL parser runs out of stack at about 5000
UPDATE_CHUNK = 1000
# the answers of a Graph Store address that has no Graph Store service behind it
NO_SERVICE = frozenset({404, 405, 415, 501})

# Where the stores users run keep their endpoints: the Graph Store address's last part → the
# query and Update endpoints beside it (Fuseki: /DATASET/data; GraphDB: …/rdf-graphs/service).
LAYOUTS: dict[str, tuple[str, str]] = {
    "/store": ("/query", "/update"),  # Oxigraph
    "/sparql-graph-crud-auth": ("/sparql", "/sparql-auth"),  # Virtuoso, digest authentication
    "/sparql-graph-crud": ("/sparql", "/sparql"),  # Virtuoso, anonymous
    "/data": ("/query", "/update"),  # Fuseki
    "/rdf-graphs/service": ("", "/statements"),  # GraphDB, RDF4J: /repositories/ID answers queries
}


class PushError(KgError):
    """The store refused the graph, could not be reached, or holds other than what was sent."""

    exit_code = ExitCode.BAD_INPUT


@dataclass(frozen=True)
class Target:
    query: str  # the SPARQL query endpoint that counts what arrived
    store: str | None = None  # the Graph Store Protocol address
    update: str | None = None  # the SPARQL Update endpoint
    auth: httpx.Auth | None = None


@dataclass(frozen=True)
class Pushed:
    graphs: int
    triples: int
    requests: int
    protocol: Protocol


def target_of(
    address: str, protocol: Protocol, query: str | None, update: str | None, auth: httpx.Auth | None
) -> Target:
    """Where to send and where to count: ``address`` is the Graph Store address (or, with
    ``protocol`` update, the Update endpoint); the endpoints not given are those beside it in
    the store's layout (LAYOUTS)."""
    if protocol == "update":
        beside = _beside(address, lambda layout: layout[1])
        store, update = None, address
    else:
        beside = _beside(address, lambda layout: "")
        store, update = address, update or (beside[1] if beside else None)
    query = query or (beside[0] if beside else None)
    if not query:
        raise UsageError(f"{address}: which store is this? Name its SPARQL query endpoint with --query-endpoint")
    return Target(query, store, update, auth)


def _beside(address: str, ending_of: Callable[[tuple[str, str]], str]) -> tuple[str, str] | None:
    """The (query, Update) endpoints of the first layout whose address ends ``address``."""
    for store_ending, layout in LAYOUTS.items():
        ending = ending_of(layout) or store_ending
        if ending and address.endswith(ending):
            root = address.removesuffix(ending)
            return root + layout[0], root + layout[1]
    return None


def push(
    graphs: Mapping[str, Graph],
    target: Target,
    chunk: int = CHUNK,
    sleep: Callable[[float], None] = time.sleep,
    protocol: Protocol = "graph-store",
) -> Pushed:
    """Replace each named graph (IRI → its triples) in the store."""
    for name in graphs:
        _check_iri(name)
    sent = requests = 0
    with httpx.Client(auth=target.auth, timeout=300) as client:
        sender = _Sender(client, target, sleep, protocol if target.store else "update")
        for name, graph in sorted(graphs.items()):
            lines = _lines(graph)
            sender.send(name, lines, chunk)
            sent += len(lines)
        requests = sender.requests
        for name, graph in sorted(graphs.items()):
            if (held := _count(client, target, name, sleep)) != (expected := len(_lines(graph))):
                raise PushError(f"{target.query}: sent {expected} triples to <{name}>, the store holds {held}")
    return Pushed(len(graphs), sent, requests, sender.protocol)


def _lines(graph: Graph) -> list[str]:
    return serialize(graph, "ntriples").decode("utf-8").splitlines(keepends=True)


def _parts(lines: list[str], chunk: int) -> Iterator[list[str]]:
    """The lines of each request, one at least. Lines with blank nodes all go in the first: a
    blank node names one node only within one request."""
    blank = [line for line in lines if "_:" in line]
    named = [line for line in lines if "_:" not in line]
    head = max(chunk - len(blank), 0)
    yield blank + named[:head]
    for start in range(head, len(named), chunk):
        yield named[start : start + chunk]


class _Sender:
    """Sends the parts of named graphs by one protocol; falls back to Update once."""

    def __init__(
        self, client: httpx.Client, target: Target, sleep: Callable[[float], None], protocol: Protocol
    ) -> None:
        self.client, self.target, self.sleep, self.protocol = client, target, sleep, protocol
        self.requests = 0
        if protocol == "update" and not target.update:
            raise PushError("SPARQL Update needs the store's Update endpoint (--update-endpoint)")

    def send(self, name: str, lines: list[str], chunk: int) -> None:
        if self.protocol == "graph-store":
            parts = _parts(lines, chunk)
            reply = self._graph_store(name, True, "".join(next(parts)))
            if not (reply.status_code in NO_SERVICE and self.target.update):
                self._check(reply, f"PUT of <{name}>")
                for part in parts:
                    self._check(self._graph_store(name, False, "".join(part)), f"POST to <{name}>")
                return
            self.protocol = "update"  # the address has no Graph Store service; the store may still update
        for number, part in enumerate(_parts(lines, min(chunk, UPDATE_CHUNK))):
            self._check(self._update(name, number == 0, "".join(part)), f"the update of <{name}>")

    def _graph_store(self, name: str, first: bool, body: str) -> httpx.Response:
        assert self.target.store
        store = self.target.store
        headers = {"Content-Type": "application/n-triples"}
        return self._try(
            lambda: self.client.request(
                "PUT" if first else "POST", store, params={"graph": name}, content=body.encode(), headers=headers
            ),
            store,
        )

    def _update(self, name: str, first: bool, body: str) -> httpx.Response:
        assert self.target.update
        update = self.target.update
        text = (
            f"DROP SILENT GRAPH <{name}> ;\n" if first else ""
        ) + f"INSERT DATA {{ GRAPH <{name}> {{\n{_as_update_data(body)}}} }}"
        return self._try(lambda: self.client.post(update, data={"update": text}), update)

    def _try(self, request: Callable[[], httpx.Response], where: str) -> httpx.Response:
        self.requests += 1
        return _try(request, where, self.sleep)

    def _check(self, reply: httpx.Response, what: str) -> None:
        if reply.status_code >= 400:
            raise PushError(f"{reply.request.url}: {what} answered {reply.status_code}: {reply.text[:300]}")


def _as_update_data(body: str) -> str:
    """N-Triples lines as the data of INSERT DATA. SPARQL replaces \\u escapes before parsing
    (§19.2), so a string holding a backslash before a 'u' would be read two ways: refused. Every
    other N-Triples line kg writes is SPARQL as it is (its \\u escapes stand only for control
    characters, which a SPARQL string may hold)."""
    for number, line in enumerate(body.splitlines(), 1):
        if "\\\\u" in line or "\\\\U" in line:
            raise PushError(
                f"triple {number} holds a backslash before 'u', which SPARQL Update reads two ways; "
                "push it over the Graph Store Protocol"
            )
    return body


def _check_iri(iri: str) -> None:
    try:
        ox.NamedNode(iri)
    except ValueError:
        raise PushError(f"the graph name must be an IRI, not '{iri}'") from None


def _count(client: httpx.Client, target: Target, name: str, sleep: Callable[[float], None]) -> int:
    # the IRI was checked by Oxigraph's IRI parser: it holds no '>' or space to break out with
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}"
    headers = {"Accept": "application/sparql-results+json"}
    reply = _try(lambda: client.get(target.query, params={"query": query}, headers=headers), target.query, sleep)
    if reply.status_code >= 400:
        raise PushError(f"{target.query}: counting the pushed triples answered {reply.status_code}: {reply.text[:300]}")
    try:
        return int(reply.json()["results"]["bindings"][0]["n"]["value"])
    except (ValueError, KeyError, IndexError, TypeError):
        raise PushError(f"{target.query}: the count is not a SPARQL JSON result: {reply.text[:300]}") from None


def _try(request: Callable[[], httpx.Response], where: str, sleep: Callable[[float], None]) -> httpx.Response:
    """The answer; a connection error or a 5xx is tried again, TRIES times in all."""
    pause = FIRST_PAUSE
    for attempt in range(1, TRIES + 1):
        try:
            reply = request()
        except httpx.TransportError as exc:
            if attempt == TRIES:
                raise PushError(f"{where}: cannot reach the store: {exc}") from None
        else:
            if reply.status_code < 500 or attempt == TRIES:
                return reply
        sleep(pause)
        pause *= 2
    raise AssertionError("unreachable: the last try returns or raises")


def per_article(graph: Graph, rest: str) -> dict[str, Graph]:
    """The graph split into one named graph per source article, named by the article's IRI, and
    the ``rest``: what kg resolved across articles (parties, places, the links to Wikidata).
    A triple goes with its subject: an article, a source location in it, or a node derived from
    locations in that one article."""
    article_of: dict[URIRef, URIRef] = {a: a for a in graph.subjects(RDF.type, KGO.Article) if isinstance(a, URIRef)}
    for location, article in graph.subject_objects(KGO.inArticle):
        if isinstance(location, URIRef) and isinstance(article, URIRef):
            article_of[location] = article
    sources: dict[URIRef, set[URIRef]] = {}
    for node, location in graph.subject_objects(PROV.wasDerivedFrom):
        if isinstance(node, URIRef) and isinstance(location, URIRef) and location in article_of:
            sources.setdefault(node, set()).add(article_of[location])
    for node, articles in sources.items():
        if len(articles) == 1 and node not in article_of:
            article_of[node] = next(iter(articles))
    graphs: dict[str, Graph] = {rest: Graph()}
    for triple in graph:
        owner = article_of.get(triple[0])  # type: ignore[call-overload]
        graphs.setdefault(str(owner) if owner else rest, Graph()).add(triple)
    return graphs
