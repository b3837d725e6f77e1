"""The graph of each seed, built alone, against its golden Turtle (compared as graphs).

Regenerate after an intended change with `KG_UPDATE_GOLDEN=1 pytest tests/test_golden.py` and
review the diff of tests/golden/ before committing it.
"""

from __future__ import annotations

import os

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kg.export import serialize
from kg.graph import build_graph
from kg.records import Article
from kg.resolve import resolve
from tests.expectations import ROOT

GOLDEN = ROOT / "tests" / "golden"
STEMS = ["cipoml", "icmlpo", "icor", "mim"]


def _diff(actual: Graph, expected: Graph, limit: int = 15) -> str:
    _, only_actual, only_expected = graph_diff(to_isomorphic(actual), to_isomorphic(expected))
    lines = [f"+ {' '.join(t.n3() for t in triple)}" for triple in sorted(only_actual)[:limit]]
    lines += [f"- {' '.join(t.n3() for t in triple)}" for triple in sorted(only_expected)[:limit]]
    return "\n".join(lines)


@pytest.mark.parametrize("stem", STEMS)
def test_seed_graph_matches_golden(stem: str, seeds: dict[str, Article]) -> None:
    article = seeds[stem]
    graph = build_graph([article], resolve([article]))
    path = GOLDEN / f"{stem}.ttl"
    if os.environ.get("KG_UPDATE_GOLDEN"):
        path.write_bytes(serialize(graph, "turtle"))
    expected = Graph().parse(path, format="turtle")
    assert isomorphic(graph, expected), "graph differs from golden (+ new, - missing):\n" + _diff(graph, expected)
