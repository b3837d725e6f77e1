"""`kg push` into a real store: the Oxigraph server, started here on 127.0.0.1, read back through
its own Graph Store and SPARQL endpoints; retries against a local server that fails first."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from kg.cli import main
from kg.errors import KgError
from kg.load import load_graph
from kg.push import Target, push
from tests.listener import free_port, oxigraph_server

GRAPH = "https://kg.example.org/id/graph/kg"
_XSD = "http://www.w3.org/2001/XMLSchema#"
# Oxigraph stores the integer subtypes as xsd:integer (its own canonical form): a line number
# comes back "166"^^xsd:integer where kg wrote "166"^^xsd:positiveInteger, the same value.
_INTEGERS = {f"{_XSD}{t}" for t in ("positiveInteger", "nonNegativeInteger", "integer")}


@pytest.fixture
def oxigraph(tmp_path: Path) -> Iterator[str]:
    """A writable Oxigraph server; its address http://127.0.0.1:PORT."""
    with oxigraph_server(tmp_path / "store") as root:
        yield root


def _terms(quad: ox.Quad) -> tuple[str, str, str]:
    obj = quad.object
    if isinstance(obj, ox.Literal) and obj.datatype.value in _INTEGERS:
        return (str(quad.subject), str(quad.predicate), f"{int(obj.value)} (integer)")
    return (str(quad.subject), str(quad.predicate), str(obj))


def _held(root: str) -> set[tuple[str, str, str]]:
    reply = httpx.get(root + "/store", params={"graph": GRAPH}, headers={"Accept": "application/n-triples"})
    return {_terms(q) for q in ox.parse(reply.content, format=ox.RdfFormat.N_TRIPLES)}


def test_the_graph_round_trips_through_oxigraph(built: Path, oxigraph: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["push", str(built), "--endpoint", oxigraph + "/store"]) == 0
    sent = {_terms(q) for q in ox.parse(path=str(built), format=ox.RdfFormat.TURTLE)}
    assert _held(oxigraph) == sent and len(sent) > 5000
    assert capsys.readouterr().out.startswith(f"pushed {len(sent)} triples to <{GRAPH}>")


def test_a_second_push_replaces_and_chunks_add_up(built: Path, oxigraph: str) -> None:
    graph = load_graph(built)
    target = Target(oxigraph + "/store", oxigraph + "/query", GRAPH)
    assert push(graph, target) == (len(graph), 1)
    sent, requests = push(graph, target, chunk=1000)  # a PUT, then POSTs
    assert (sent, requests) == (len(graph), -(-len(graph) // 1000))
    assert len(_held(oxigraph)) == len(graph)  # replaced, not doubled


class _Flaky(BaseHTTPRequestHandler):
    """Fails the first two requests with 503, then stores (PUT) and counts (GET)."""

    seen = 0
    stored = 0

    def do_PUT(self) -> None:
        type(self).seen += 1
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if type(self).seen <= 2:
            self._reply(503, b"busy")
            return
        type(self).stored = body.count(b"\n")
        self._reply(204, b"")

    def do_GET(self) -> None:
        count = f'{{"head":{{"vars":["n"]}},"results":{{"bindings":[{{"n":{{"type":"literal","value":"{self.stored}"}}}}]}}}}'
        self._reply(200, count.encode())

    def _reply(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_a_busy_store_is_tried_again(built: Path) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Flaky)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    root = f"http://127.0.0.1:{server.server_address[1]}"
    pauses: list[float] = []
    try:
        graph = load_graph(built)
        assert push(graph, Target(root + "/store", root + "/query", GRAPH), sleep=pauses.append) == (len(graph), 1)
    finally:
        server.shutdown()
        server.server_close()
    assert _Flaky.seen == 3 and pauses == [0.5, 1.0]


def test_an_unreachable_store_is_exit_2(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    port = free_port()  # nothing listens there
    argv = ["push", str(built), "--endpoint", f"http://127.0.0.1:{port}/store"]
    started = time.monotonic()
    assert main(argv) == 2
    assert "cannot reach the store" in capsys.readouterr().err and time.monotonic() - started < 30


def test_a_graph_name_that_is_no_iri_is_refused(built: Path) -> None:
    with pytest.raises(KgError, match="must be an IRI"):
        push(load_graph(built), Target("http://127.0.0.1:9/store", "http://127.0.0.1:9/query", "not an iri>"))
