"""Round trips through every format, and byte-identical output across runs and hash seeds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.export import serialize
from kg.files import write_file
from kg.formats import RDF_FORMATS, RdfFormat
from kg.iri import Minter, external, wikipedia_page
from kg.load import load_graph
from kg.resources import jsonld_context
from kg.vocab import KGO, RDF, SDO
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
