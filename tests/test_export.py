"""Round trips through every format, and byte-identical output across runs and hash seeds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.export import serialize, turtle_pieces
from kg.files import write_file
from kg.formats import RDF_FORMATS, RdfFormat
from kg.iri import Minter, external, wikipedia_page
from kg.load import load_graph
from kg.resources import jsonld_context
from kg.vocab import KGO, ORG, PROV, RDF, SDO, SKOS, XSD
from tests.expectations import ROOT

PARSER = {
    "turtle": "turtle",
    "jsonld": "json-ld",
    "ntriples": "nt",
    "nquads": "nquads",
    "trig": "trig",
    "rdfxml": "xml",
}
NAMES = [f.name for f in RDF_FORMATS]


@pytest.mark.parametrize("fmt", NAMES)
def test_round_trip_is_isomorphic(seed_graph: Graph, fmt: str) -> None:
    data = serialize(seed_graph, fmt)
    again = Graph().parse(data=data.decode("utf-8"), format=PARSER[fmt])
    assert isomorphic(seed_graph, again)
    assert serialize(seed_graph, fmt) == data


@pytest.mark.parametrize("fmt", RDF_FORMATS, ids=NAMES)
def test_load_graph_reads_every_format(tmp_path: Path, seed_graph: Graph, fmt: RdfFormat) -> None:
    path = tmp_path / f"kg{fmt.suffixes[0]}"
    write_file(path, serialize(seed_graph, fmt.name))
    assert isomorphic(load_graph(path), seed_graph)


def test_jsonld_uses_the_context_and_language_maps(seed_graph: Graph) -> None:
    document = json.loads(serialize(seed_graph, "jsonld"))
    assert document["@context"] == jsonld_context()["@context"]  # inline: nothing to fetch
    party = next(n for n in document["@graph"] if n["@id"].endswith("/party/劳动党_(塞尔维亚)"))
    assert party["prefLabel"] == {"zh-Hans": "劳动党 (塞尔维亚)"}
    assert party["altLabel"] == {"zh": "劳动党"}


S = URIRef("https://kg.example.org/id/party/x")
AWKWARD = [  # each value a term of the context cannot carry as it stands
    (SKOS.prefLabel, Literal("无语言")),  # a plain string under a language-map term
    (SKOS.prefLabel, Literal("甲", lang="zh-Hans")),
    (SKOS.prefLabel, Literal("乙", lang="zh-Hans")),  # two in one language
    (SDO.startDate, Literal("1999-05-01", datatype=XSD.date)),  # another datatype than the term's
    (SDO.startDate, Literal("1999", datatype=XSD.gYear)),
    (KGO.ordinal, Literal("07", datatype=XSD.positiveInteger)),  # a lexical form kept as written
    (ORG.member, Literal("not an IRI")),  # a literal under a term typed @id
    (PROV.wasDerivedFrom, BNode("b1")),
    (KGO.approximate, Literal("1", datatype=XSD.boolean)),  # not JSON's true
    (KGO.defunct, Literal("false", datatype=XSD.boolean)),
    (URIRef("http://example.org/other#p"), URIRef("http://example.org/o")),  # no prefix fits
    (SKOS.notation, Literal("ML", datatype=URIRef("http://example.org/code"))),
    (RDF.type, KGO.Party),
    (RDF.type, URIRef("http://example.org/Thing")),
]


def test_jsonld_reads_back_as_the_same_triples_where_the_context_does_not_fit() -> None:
    graph = Graph()
    for predicate, value in AWKWARD:
        graph.add((S, predicate, value))
    graph.add((BNode("b1"), RDF.type, PROV.Entity))
    data = serialize(graph, "jsonld")
    read = {str(quad.triple) for quad in ox.parse(data, format=ox.RdfFormat.JSON_LD)}
    expected = {str(quad.triple) for quad in ox.parse(serialize(graph, "nt"), format=ox.RdfFormat.N_TRIPLES)}
    blank = {triple.split(" ")[0] for triple in read if triple.startswith("_:")}
    assert len(blank) == 1  # Oxigraph names the blank node anew: compare with its name put back
    name = blank.pop()
    assert {triple.replace(name, "_:b1") for triple in read} == expected
    assert json.loads(data)["@graph"][1]["kgo:defunct"] is False


def test_jsonld_of_the_seeds_reads_back_as_the_seed_triples(seed_graph: Graph) -> None:
    data = serialize(seed_graph, "jsonld")
    read = set(ox.parse(data, format=ox.RdfFormat.JSON_LD))
    assert read == set(ox.parse(serialize(seed_graph, "nt"), format=ox.RdfFormat.N_TRIPLES))


def _build(out: Path, seed: str) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run(
        [sys.executable, "-m", "kg", "build", "--out", str(out)], cwd=ROOT, env=env, check=True, capture_output=True
    )
    subprocess.run(
        [sys.executable, "-m", "kg", "export", str(out / "kg.ttl"), "--format", "nt", "-o", str(out / "kg.nt")],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}


def test_two_builds_with_different_hash_seeds_write_identical_bytes(tmp_path: Path) -> None:
    first, second = _build(tmp_path / "a", "1"), _build(tmp_path / "b", "4242")
    assert list(first) == ["kg.jsonld", "kg.nt", "kg.ttl"]
    assert first == second


@pytest.mark.parametrize("label", ["a<b>c", 'x"y', "{z}|^`\\", "two words", "line\nbreak\x01", "斜线/名", "问号?井号#"])
def test_iris_minted_from_any_label_stay_valid_turtle(label: str) -> None:
    graph = Graph()
    graph.add((Minter().party(None, label, "FR"), RDF.type, KGO.Party))
    graph.add((Minter().party(label, label, ""), SDO.subjectOf, wikipedia_page(label)))
    graph.add((Minter().article("a.md"), SDO.url, external("http://x.org/a b<c>")))
    again = Graph().parse(data=serialize(graph, "turtle").decode("utf-8"), format="turtle")
    assert isomorphic(graph, again)


@pytest.mark.parametrize("subjects", [1, 7, 100_000])
def test_turtle_in_pieces_is_the_same_triples(seed_graph: Graph, subjects: int) -> None:
    whole = serialize(seed_graph, "turtle")
    pieces = list(turtle_pieces(whole, subjects))
    blocks = len(set(seed_graph.subjects()))
    assert len(pieces) == -(-blocks // subjects)
    triples = [set(ox.parse(piece, format=ox.RdfFormat.TURTLE)) for piece in pieces]  # each parses alone
    assert sum(map(len, triples)) == len(set().union(*triples)) == len(seed_graph)
    assert set().union(*triples) == set(ox.parse(whole, format=ox.RdfFormat.TURTLE))


def test_turtle_in_pieces_of_an_empty_graph_is_empty() -> None:
    assert [
        set(ox.parse(piece, format=ox.RdfFormat.TURTLE)) for piece in turtle_pieces(serialize(Graph(), "turtle"))
    ] in ([], [set()])
