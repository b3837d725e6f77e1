"""Nothing reaches the network behind the user's back, and hostile input stays harmless."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.cli import main
from kg.errors import SourceError
from kg.load import load_graph
from kg.query import catalogue, remote_parts
from tests.expectations import ROOT
from tests.listener import CountingHandler, counting_server


@pytest.fixture
def context_server() -> Iterator[tuple[str, type[CountingHandler]]]:
    with counting_server(b'{"@context": {"ex": "http://example.org/"}}', "application/ld+json") as (url, handler):
        yield f"{url}/context.jsonld", handler


def test_remote_jsonld_context_is_never_fetched(
    tmp_path: Path, context_server: tuple[str, type[CountingHandler]]
) -> None:
    url, handler = context_server
    document = tmp_path / "g.jsonld"
    document.write_text(f'{{"@context": "{url}", "@id": "http://example.org/a", "ex:p": "x"}}', encoding="utf-8")
    with pytest.raises(SourceError, match="remote JSON-LD context"):
        load_graph(document)
    nested = tmp_path / "nested.jsonld"
    nested.write_text(f'{{"@graph": [{{"@context": ["{url}"], "@id": "http://example.org/a"}}]}}', encoding="utf-8")
    with pytest.raises(SourceError, match="remote JSON-LD context"):
        load_graph(nested)
    assert handler.requests == 0


def test_rdfxml_entities_are_refused(tmp_path: Path) -> None:
    document = tmp_path / "g.rdf"
    document.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n<!ENTITY secret SYSTEM "file:///etc/passwd">\n]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n',
        encoding="utf-8",
    )
    with pytest.raises(SourceError) as caught:
        load_graph(document)
    assert (caught.value.diagnostic.line, caught.value.diagnostic.code) == (2, "xml-doctype")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", ["SERVICE http://example.org/sparql"]),
        ("SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE SILENT ?where { ?a ?b ?c } } }", ["SERVICE where"]),
        ("SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }", ["FROM <http://example.org/g>"]),
        ("SELECT * FROM NAMED <http://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }", ["FROM <http://example.org/g>"]),
        ("SELECT * WHERE { ?s ?p ?o }", []),
    ],
)
def test_remote_parts_are_found(text: str, found: list[str]) -> None:
    assert list(remote_parts(text)) == found


def test_kg_s_own_queries_reach_no_other_server() -> None:
    """They are run without the check (kg.query.StoredQuery.shipped): this is the check."""
    shipped = catalogue()
    assert len(shipped) > 10 and all(q.shipped for q in shipped.values())
    assert {name: remote_parts(q.text) for name, q in shipped.items()} == {name: () for name in shipped}


def test_a_catalogue_of_other_queries_is_checked(tmp_path: Path) -> None:
    (tmp_path / "mine.rq").write_text("#+ summary: x\n#+ columns: s\nSELECT ?s WHERE { ?s ?p ?o }\n", encoding="utf-8")
    assert not catalogue(tmp_path)["mine"].shipped


def test_queries_that_reach_out_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    query = tmp_path / "out.rq"
    query.write_text(
        "#+ summary: x\n#+ columns: s\nSELECT ?s WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }\n",
        encoding="utf-8",
    )
    assert main(["build", "--out", str(tmp_path)]) == 0
    assert main(["query", str(query), "--graph", str(tmp_path / "kg.ttl")]) == 2
    assert "would reach another server; refused" in capsys.readouterr().err


def test_no_command_opens_a_connection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    out = tmp_path / "out"
    assert main(["build", str(ROOT / "seeds"), "--out", str(out), "--reason"]) == 0
    assert main(["validate", str(out / "kg.ttl")]) == 0
    for fmt in ("jsonld", "xml", "nt", "quickstatements", "popolo"):
        assert main(["export", str(out / "kg.ttl"), "--format", fmt, "-o", str(tmp_path / f"kg.{fmt}")]) == 0
    assert main(["query", "members", "--graph", str(out / "kg.ttl"), "--format", "csv"]) == 0
    assert main(["query", "members", "--graph", str(out / "kg.ttl"), "--store", "rdflib", "--reason"]) == 0
    assert load_graph(tmp_path / "kg.jsonld")
