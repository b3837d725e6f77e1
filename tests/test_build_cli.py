"""kg build / validate / export in-process: exit codes, atomic outputs, readable reports."""

from __future__ import annotations

import gc
import json
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from kg.cli import main
from kg.export import serialize
from kg.vocab import KGO, RDF, SKOS
from tests.expectations import ROOT

ID = "https://kg.example.org/id/"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    assert main(["build", str(ROOT / "seeds"), "--out", str(out)]) == 0
    return out


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file()}


def test_build_writes_turtle_and_jsonld(built: Path) -> None:
    assert sorted(p.name for p in built.iterdir()) == [".kg", "kg.jsonld", "kg.oxigraph", "kg.ttl"]
    assert json.loads((built / "kg.jsonld").read_text(encoding="utf-8"))["@graph"]


def test_kg_ttl_is_the_graph_it_holds_written_again(built: Path) -> None:
    """kg.ttl is written from the graph before it is read back and validated: read by rdflib's
    own parser and written again, it must give the same bytes (so what was validated is what
    the file holds)."""
    written = (built / "kg.ttl").read_bytes()
    assert serialize(Graph().parse(data=written, format="turtle"), "turtle") == written


def test_build_prints_counts_and_verdict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(ROOT / "seeds"), "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    # Hand count: 126 attendance rows (ICMLPO), 85 membership entries (CIPOML 33, ICOR 52), 5 conferences.
    assert "  126  kgo:Attendance" in out and "   85  org:Membership" in out and "    5  kgo:Conference" in out
    assert "SHACL validation: conforms" in out


def test_bad_source_is_exit_2_and_leaves_outputs(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    shutil.copytree(built, out)
    before = _snapshot(out)
    broken = tmp_path / "broken.wiki"
    broken.write_text("'''名'''\n\n==成员==\n{| class=\"wikitable\"\n|-\n| a || b\n", encoding="utf-8")
    assert main(["build", str(broken), "--out", str(out)]) == 2
    assert f"{broken}:4:1: error: table opened here is never closed" in capsys.readouterr().err
    assert _snapshot(out) == before


def test_non_conforming_graph_is_exit_1_and_leaves_outputs(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    shutil.copy(ROOT / "seeds" / "icor.md", sources)
    # Say the article was taken in 2011: its join years 2012-2018 are then impossible.
    (sources / "sources.toml").write_text('[[article]]\nfile = "icor.md"\nretrieved = 2011-12-31\n', encoding="utf-8")
    out = tmp_path / "out"
    shutil.copytree(built, out)
    before = _snapshot(out)
    assert main(["build", str(sources), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert (
        "icor.md:68:8: Violation: membership" in err
    )  # the name's own column, inside <td><p> and "later than the date the article was retrieved" in err
    assert "nothing written" in err
    assert _snapshot(out) == before


def test_validate_reads_a_graph_and_reports_sources(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(built / "kg.ttl")]) == 0
    assert "Conforms" in capsys.readouterr().out
    damaged = tmp_path / "damaged.ttl"
    text = (built / "kg.ttl").read_text(encoding="utf-8")
    damaged.write_text(text.replace('kgo:ordinal "10"^^xsd:positiveInteger ;', 'kgo:ordinal "ten" ;'), encoding="utf-8")
    assert main(["validate", str(damaged)]) == 1
    assert "a conference has at most one ordinal, a positive integer" in capsys.readouterr().out
    assert main(["validate", str(damaged), "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["conforms"] is False


def test_validate_a_broken_file_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix x: <http://x/> .\nx:a x:b .\n", encoding="utf-8")
    assert main(["validate", str(broken)]) == 2
    assert f"{broken}:" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["turtle", "jsonld", "nt", "trig", "xml"])
def test_export_to_file(built: Path, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"kg.{fmt}"
    assert main(["export", str(built / "kg.ttl"), "--format", fmt, "-o", str(target)]) == 0
    assert target.stat().st_size > 1000


def test_base_must_be_https(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["build", str(ROOT / "seeds"), "--out", str(tmp_path), "--base", "http://example.org/"]) == 2
    assert "https://" in capsys.readouterr().err


def test_the_whole_corpus_builds_and_conforms(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Seeds and every corpus article in one graph: sub-national places and areas, unnumbered
    conferences, hosts and English titles all validate (values checked by hand in the articles)."""
    out = tmp_path / "out"
    assert main(["build", str(ROOT / "seeds"), str(ROOT / "tests" / "articles"), "--out", str(out)]) == 0
    assert "SHACL validation: conforms" in capsys.readouterr().out
    graph = Graph().parse(out / "kg.ttl", format="turtle")
    scotland, britain = URIRef(ID + "subdivision/GB-SCT"), URIRef(ID + "country/GB")
    assert (scotland, SKOS.broader, britain) in graph  # 苏格兰 in tmpl-efa-regions
    assert (URIRef(ID + "area/kurdistan"), SKOS.inScheme, URIRef(ID + "area/")) in graph  # 库尔德斯坦
    moscow = ID + "international/共產黨和工人黨代表會議/conference/"
    assert {moscow + "1957-11-14", moscow + "1957-11-16"} <= {str(s) for s in graph.subjects(RDF.type, KGO.Conference)}
    founding = URIRef(ID + "international/IDU/conference/founding-1983-06-24")  # 成立大会, 1983年6月24日的伦敦会议
    assert (founding, KGO.conferenceKind, KGO.FoundingConference) in graph
    hosts = {str(graph.value(row, KGO.listedAs)) for row in graph.subjects(KGO.asHost, Literal(True))}
    assert "柬埔寨人民党" in hosts and "奉辛比克党" in hosts  # ICAPP 第六届, 主办政党
    english = {str(o) for o in graph.objects(None, KGO.enwikiTitle)}
    assert "Puerto Rican Independence Party" in english  # {{link-en|波多黎各独立党|…}}


def test_build_leaves_the_collector_walking_everything_again(tmp_path: Path) -> None:
    from kg.build import build, write_outputs  # noqa: PLC0415 - the library, as API users call it

    frozen = gc.get_freeze_count()
    result = build([ROOT / "seeds" / "mim.md"])
    write_outputs(result, tmp_path / "out")
    assert gc.get_freeze_count() == frozen == 0
