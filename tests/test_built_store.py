"""The Oxigraph store `kg build` writes beside kg.ttl: queries open it instead of parsing the
Turtle, give the same answers, and stop using it once kg.ttl is not the file it was made from;
the inferences of `kg build --reason` are kept in it and reused."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from kg import store as stores
from kg.cli import main
from kg.export import serialize
from kg.query import catalogue
from kg.store import OxigraphStore, built_store, open_graph_store
from tests.conftest import ROOT


def _answer(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    capsys.readouterr()
    assert main(["query", *argv, "--output-format", "tsv"]) == 0
    return capsys.readouterr().out


def _unparsable(*args: object, **kwargs: object) -> None:
    raise AssertionError("the graph file was parsed")


@pytest.fixture(scope="module")
def reasoned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reasoned")
    assert main(["build", str(ROOT / "seeds"), "--out", str(out), "--reason"]) == 0
    return out / "kg.ttl"


def test_every_stored_query_answers_the_same_from_the_store(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert built_store(built) == (built.parent / "kg.oxigraph").resolve()
    for name in catalogue():
        from_store = _answer(capsys, name, "--graph", str(built))
        parsed = _answer(capsys, name, "--graph", str(built), "--input-format", "turtle")  # a format given: parsed
        assert from_store == parsed and from_store.count("\n") > 1, name


def test_the_store_is_opened_and_the_turtle_not_parsed(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stores, "read_triples", _unparsable)
    opened = open_graph_store(built)
    assert isinstance(opened, OxigraphStore)
    assert opened.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", {}).rows[0][0].toPython() > 5000  # type: ignore[union-attr]


def test_a_graph_file_written_after_the_store_is_read_instead(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["build", str(ROOT / "seeds" / "mim.md"), "--out", str(out)]) == 0
    graph = out / "kg.ttl"
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    (tmp_path / "count.rq").write_text(count + "\n", encoding="utf-8")
    before = _answer(capsys, str(tmp_path / "count.rq"), "--graph", str(graph))
    lines = graph.read_text(encoding="utf-8").splitlines(keepends=True)
    prefixes = [line for line in lines if line.startswith("@prefix")]
    graph.write_text("".join(prefixes), encoding="utf-8")  # through the link: the set's kg.ttl is now empty
    assert built_store(graph) is None
    assert _answer(capsys, str(tmp_path / "count.rq"), "--graph", str(graph)) == "?n\n0\n" != before


def test_stored_inferences_are_reused(
    reasoned: Path, built: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    computed = _answer(capsys, "members", "--graph", str(built), "--reason")  # no inferences stored: computed
    monkeypatch.setattr(stores, "infer", _unparsable)
    monkeypatch.setattr(stores, "read_triples", _unparsable)
    assert _answer(capsys, "members", "--graph", str(reasoned), "--reason") == computed
    with pytest.raises(AssertionError, match="parsed"):  # a store without them does not pretend
        open_graph_store(built, reason=True)


def test_a_store_loaded_before_kg_ttl_is_written_is_still_the_fresh_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store is loaded while the JSON-LD is written; a slow JSON-LD makes it done (and
    dated) before kg.ttl is: it must still count as made from that kg.ttl."""
    from kg import build as builds  # noqa: PLC0415 - its serialize is slowed for this test

    def slow(graph: object, fmt: str) -> bytes:
        if fmt == "jsonld":
            time.sleep(1.0)
        return serialize(graph, fmt)  # type: ignore[arg-type]

    monkeypatch.setattr(builds, "serialize", slow)
    out = tmp_path / "out"
    assert main(["build", str(ROOT / "seeds" / "mim.md"), "--out", str(out)]) == 0
    assert built_store(out / "kg.ttl") == (out / "kg.oxigraph").resolve()
