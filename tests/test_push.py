"""`kg push` into two real stores started here on 127.0.0.1, the Oxigraph server and Virtuoso
Open Source (digest authentication), read back through their own SPARQL endpoints; over the
Graph Store Protocol, over SPARQL Update, and by falling back from one to the other; retries
against a local server that fails first."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from kg.cli import main
from kg.errors import KgError
from kg.load import load_graph
from kg.push import Target, push
from kg.vocab import KGO
from tests.listener import free_port, oxigraph_server, virtuoso_server

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


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One Virtuoso for the module (a new database takes seconds): each test its own graph."""
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as root:
        yield root


def _terms(quad: ox.Quad) -> tuple[str, str, str]:
    obj = quad.object
    if isinstance(obj, ox.Literal) and obj.datatype.value in _INTEGERS:
        return (str(quad.subject), str(quad.predicate), f"{int(obj.value)} (integer)")
    return (str(quad.subject), str(quad.predicate), str(obj))


def _held(query: str, graph: str = GRAPH) -> set[tuple[str, str, str]]:
    """The triples of the named graph, read back through the store's SPARQL endpoint."""
    construct = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    reply = httpx.get(query, params={"query": construct}, headers={"Accept": "application/n-triples"})
    assert reply.status_code == 200, reply.text
    return {_terms(q) for q in ox.parse(reply.content, format=ox.RdfFormat.N_TRIPLES)}


def _sent(built: Path) -> set[tuple[str, str, str]]:
    return {_terms(q) for q in ox.parse(path=str(built), format=ox.RdfFormat.TURTLE)}


def test_the_graph_round_trips_through_oxigraph(built: Path, oxigraph: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["push", str(built), "--endpoint", oxigraph + "/store"]) == 0
    sent = _sent(built)
    assert _held(oxigraph + "/query") == sent and len(sent) > 5000
    assert capsys.readouterr().out.startswith(f"pushed {len(sent)} triples to <{GRAPH}>")


def test_the_graph_round_trips_through_virtuoso_with_digest_auth(
    built: Path, virtuoso: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KG_PUSH_PASSWORD", "dba")
    graph = "https://kg.example.org/id/graph/virtuoso"
    argv = ["push", str(built), "--endpoint", virtuoso + "/sparql-graph-crud-auth", "--user", "dba"]
    assert main([*argv, "--graph-iri", graph]) == 0
    held = len(_sent(built))
    assert capsys.readouterr().out.endswith(f"in 1 request(s) by graph-store; the store holds {held}\n")
    assert _held(virtuoso + "/sparql", graph) == _sent(built)  # every term as written, none normalised
    assert main([*argv, "--graph-iri", graph, "--chunk", "2000"]) == 0  # replaced in three requests
    assert _held(virtuoso + "/sparql", graph) == _sent(built)


def test_without_the_password_virtuoso_refuses_and_it_is_exit_2(
    built: Path, virtuoso: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KG_PUSH_PASSWORD", "not-dba")
    argv = ["push", str(built), "--endpoint", virtuoso + "/sparql-graph-crud-auth", "--user", "dba"]
    assert main(argv) == 2
    assert "answered 401" in capsys.readouterr().err


@pytest.mark.parametrize("store", ["oxigraph", "virtuoso"])
def test_sparql_update_replaces_the_graph_in_both_stores(
    built: Path, store: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = request.getfixturevalue(store)
    monkeypatch.setenv("KG_PUSH_PASSWORD", "dba")
    update, query = (
        (root + "/update", root + "/query") if store == "oxigraph" else (root + "/sparql-auth", root + "/sparql")
    )
    graph = f"https://kg.example.org/id/graph/update-{store}"
    argv = ["push", str(built), "--protocol", "update", "--endpoint", update, "--graph-iri", graph, "--user", "dba"]
    assert main([*argv, "--chunk", "2000"]) == 0  # DROP + INSERT DATA, then five more of 1000 at most
    assert main(argv) == 0  # the second push replaces the first
    assert _held(query, graph) == _sent(built)


def test_an_address_without_graph_store_falls_back_to_update(
    built: Path, oxigraph: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["push", str(built), "--endpoint", oxigraph + "/no-graph-store-here"]
    argv += ["--update-endpoint", oxigraph + "/update", "--query-endpoint", oxigraph + "/query"]
    assert main(argv) == 0
    assert "by update;" in capsys.readouterr().out
    assert _held(oxigraph + "/query") == _sent(built)


def test_one_named_graph_per_article(built: Path, oxigraph: str) -> None:
    assert main(["push", str(built), "--endpoint", oxigraph + "/store", "--graph-per-article"]) == 0
    query = {"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g {} }"}
    listed = httpx.get(oxigraph + "/query", params=query, headers={"Accept": "text/csv"})
    names = set(listed.text.split()[1:])
    articles = {
        f"https://kg.example.org/id/source/{name}" for name in ("cipoml.md", "icmlpo.wiki", "icor.md", "mim.md")
    }
    assert names == articles | {GRAPH}  # the four seeds and what was resolved across them
    assert set().union(*(_held(oxigraph + "/query", name) for name in names)) == _sent(built)
    icor = "https://kg.example.org/id/source/icor.md"
    in_article = {o for _, p, o in _held(oxigraph + "/query", icor) if p == f"<{KGO.inArticle}>"}
    assert in_article == {f"<{icor}>"}  # ICOR's source locations, and no other article's


def test_a_second_push_replaces_and_chunks_add_up(built: Path, oxigraph: str) -> None:
    graph = load_graph(built)
    target = Target(oxigraph + "/query", oxigraph + "/store")
    assert push({GRAPH: graph}, target).requests == 1
    pushed = push({GRAPH: graph}, target, chunk=1000)  # a PUT, then POSTs
    assert (pushed.triples, pushed.requests) == (len(graph), -(-len(graph) // 1000))
    assert len(_held(oxigraph + "/query")) == len(graph)  # replaced, not doubled


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
        pushed = push({GRAPH: graph}, Target(root + "/query", root + "/store"), sleep=pauses.append)
        assert (pushed.triples, pushed.requests) == (len(graph), 1)  # one request, taken at the third try
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
        push({"not an iri>": load_graph(built)}, Target("http://127.0.0.1:9/query", "http://127.0.0.1:9/store"))


def test_a_backslash_before_u_is_not_sent_by_update() -> None:
    # SPARQL replaces \u escapes before parsing: "\\u0041" could be read as a backslash and
    # "u0041" or as "\A"; such a string goes only over the Graph Store Protocol
    graph = Graph()
    graph.add((URIRef("https://kg.example.org/id/x"), URIRef("https://kg.example.org/id/p"), Literal("C:\\u0041")))
    with pytest.raises(KgError, match="backslash before 'u'"):
        push({GRAPH: graph}, Target("http://127.0.0.1:9/query", update="http://127.0.0.1:9/update"), protocol="update")
