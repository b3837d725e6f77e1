"""`kg push`: publish the graph to a triple store a user already runs, over the SPARQL 1.1 Graph
Store HTTP Protocol.

The graph goes into one named graph, replaced whole: a PUT of N-Triples (one transaction in
stores that implement PUT so, as Oxigraph does); a graph of more than ``chunk`` triples is a
PUT of the first chunk and POSTs of the others, so no request holds more than a chunk. A
request that meets a connection error or a 5xx answer is tried again after a pause that
doubles. After the push the named graph's triples are counted through the store's SPARQL
endpoint, and a count that is not the graph's is an error: a push is done when the store says
it holds what was sent.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx
import pyoxigraph as ox
from rdflib import Graph

from kg.errors import ExitCode, KgError
from kg.export import serialize

TRIES = 4
FIRST_PAUSE = 0.5  # seconds; doubled after each failed try
CHUNK = 100_000  # triples per request


class PushError(KgError):
    """The store refused the graph, could not be reached, or holds other than what was sent."""

    exit_code = ExitCode.BAD_INPUT


@dataclass(frozen=True)
class Target:
    store: str  # the Graph Store Protocol address (Oxigraph: http://HOST:7878/store)
    query: str  # the SPARQL query endpoint that counts what arrived (Oxigraph: …/query)
    graph: str  # the named graph's IRI
    auth: httpx.Auth | None = None


def push(
    graph: Graph, target: Target, chunk: int = CHUNK, sleep: Callable[[float], None] = time.sleep
) -> tuple[int, int]:
    """Replace ``target.graph`` with ``graph``; (triples sent, requests made)."""
    _check_iri(target.graph)
    lines = serialize(graph, "ntriples").decode("utf-8").splitlines(keepends=True)
    parts = [lines[i : i + chunk] for i in range(0, len(lines), chunk)] or [[]]
    with httpx.Client(auth=target.auth, timeout=300) as client:
        for number, part in enumerate(parts):
            body = "".join(part).encode("utf-8")
            _send(client, "PUT" if number == 0 else "POST", target, body, sleep)
        held = _count(client, target, sleep)
    if held != len(lines):
        raise PushError(f"{target.store}: sent {len(lines)} triples to <{target.graph}>, the store holds {held}")
    return len(lines), len(parts)


def _check_iri(iri: str) -> None:
    try:
        ox.NamedNode(iri)
    except ValueError:
        raise PushError(f"the graph name must be an IRI, not '{iri}'") from None


def _send(client: httpx.Client, method: str, target: Target, body: bytes, sleep: Callable[[float], None]) -> None:
    headers = {"Content-Type": "application/n-triples"}
    reply = _try(
        lambda: client.request(method, target.store, params={"graph": target.graph}, content=body, headers=headers),
        target.store,
        sleep,
    )
    if reply.status_code >= 400:
        raise PushError(
            f"{target.store}: {method} of <{target.graph}> answered {reply.status_code}: {reply.text[:300]}"
        )


def _count(client: httpx.Client, target: Target, sleep: Callable[[float], None]) -> int:
    # the IRI was checked by Oxigraph's IRI parser: it holds no '>' or space to break out with
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{target.graph}> {{ ?s ?p ?o }} }}"
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
