"""OWL-RL reasoning: both engines agree, inferences stay in their own graph, queries can use them."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from kg.cli import main
from kg.reason import apply_chain, infer
from kg.vocab import KGO, ORG

ID = "https://kg.example.org/id/"


@pytest.fixture(scope="module")
def inferred(seed_graph: Graph) -> Graph:
    return infer(seed_graph, "reasonable")


def test_reasonable_with_chains_gives_the_same_triples_as_owlrl(seed_graph: Graph, inferred: Graph) -> None:
    assert isomorphic(inferred, infer(seed_graph, "owlrl"))


def test_inferences_are_new_and_about_data(seed_graph: Graph, inferred: Graph) -> None:
    assert not set(inferred) & set(seed_graph)
    assert all(str(s).startswith(ID) for s in inferred.subjects())


def test_attendance_chain_gives_took_part_in(inferred: Graph) -> None:
    # icmlpo.wiki: 雷文多 attended the 8th, 7th and 6th conferences of ICMLPO, nothing else.
    party = URIRef(ID + "party/雷文多@ID")
    assert set(inferred.objects(party, KGO.tookPartIn)) == {URIRef(ID + "international/ICMLPO")}
    # 智利共产党（无产阶级行动）: former member of CIPOML and member of ICOR, attended nothing.
    chile = URIRef(ID + "party/智利共产党（无产阶级行动）")
    assert set(inferred.objects(chile, ORG.memberOf)) == {
        URIRef(ID + "international/CIPOML"),
        URIRef(ID + "international/ICOR"),
    }
    assert not set(inferred.objects(chile, KGO.tookPartIn))
    assert set(inferred.objects(chile, KGO.associatedWith)) == set(inferred.objects(chile, ORG.memberOf))


def test_apply_chain_follows_every_step() -> None:
    a, b, c, d, p, q, r = (URIRef(f"urn:{x}") for x in "abcdpqr")
    triples = {(a, p, b), (b, q, c), (c, q, d)}
    assert apply_chain(triples, r, [p, q]) == {(a, r, c)}
    assert apply_chain(triples, r, [p, q, q]) == {(a, r, d)}


def test_build_reason_writes_inferences_apart_and_trig_keeps_them_in_a_named_graph(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", "--out", str(tmp_path), "--reason"]) == 0
    assert "kg-inferred.ttl (" in capsys.readouterr().out
    asserted = Graph().parse(tmp_path / "kg.ttl")
    assert not list(asserted.triples((None, KGO.tookPartIn, None)))
    trig = tmp_path / "kg.trig"
    assert (
        main(
            [
                "export",
                str(tmp_path / "kg.ttl"),
                "--format",
                "trig",
                "--inferred",
                str(tmp_path / "kg-inferred.ttl"),
                "-o",
                str(trig),
            ]
        )
        == 0
    )
    dataset = Dataset()
    dataset.parse(trig, format="trig")
    named = dataset.graph(URIRef(ID + "graph/inferred"))
    assert len(named) == len(Graph().parse(tmp_path / "kg-inferred.ttl")) > 0
    assert (
        main(["export", str(tmp_path / "kg.ttl"), "--format", "nt", "--inferred", str(tmp_path / "kg-inferred.ttl")])
        == 2
    )


def test_reason_command_and_query_with_reasoning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--out", str(tmp_path)]) == 0
    assert main(["reason", str(tmp_path / "kg.ttl"), "--engine", "owlrl"]) == 0
    assert (tmp_path / "kg-inferred.ttl").exists()
    capsys.readouterr()
    assert (
        main(["query", "attended-every-conference", "--graph", str(tmp_path / "kg.ttl"), "--reason", "--format", "csv"])
        == 0
    )
    assert len(capsys.readouterr().out.strip().splitlines()) == 1 + 13
