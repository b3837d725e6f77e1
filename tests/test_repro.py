"""Every reproduction of ../shared/repro/ (copied to tests/repro/), run as its README says, with
the promise it broke checked. A listener on 127.0.0.1 counts the requests that must never be
made (the files name port 18080; the copies are pointed at the test's own listener)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.cli import main
from tests.expectations import ROOT
from tests.listener import CountingHandler, counting_server

REPRO = ROOT / "tests" / "repro"


@pytest.fixture
def listener() -> Iterator[tuple[str, type[CountingHandler]]]:
    with counting_server() as (url, handler):
        yield url.removeprefix("http://"), handler


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("g")
    assert main(["build", str(ROOT / "seeds"), "--out", str(out)]) == 0
    return out / "kg.ttl"


def _pointed(tmp_path: Path, name: str, address: str) -> Path:
    copy = tmp_path / name
    copy.write_bytes((REPRO / name).read_bytes().replace(b"127.0.0.1:18080", address.encode()))
    return copy


def test_smuggle_rq(
    tmp_path: Path, graph: Path, listener: tuple[str, type[CountingHandler]], capsys: pytest.CaptureFixture[str]
) -> None:
    query = _pointed(tmp_path, "smuggle.rq", listener[0])
    for store in ("oxigraph", "rdflib"):
        assert main(["query", str(query), "--graph", str(graph), "--store", store]) == 2
    assert "refused" in capsys.readouterr().err
    assert listener[1].requests == 0


def test_ctx_import_jsonld(
    tmp_path: Path, listener: tuple[str, type[CountingHandler]], capsys: pytest.CaptureFixture[str]
) -> None:
    document = _pointed(tmp_path, "ctx_import.jsonld", listener[0])
    for argv in (
        ["validate", str(document)],
        ["export", str(document), "--format", "nt"],
        ["reason", str(document), "-o", str(tmp_path / "x.ttl")],
        ["query", "members", "--graph", str(document)],
        ["query", "members", "--graph", str(document), "--store", "rdflib"],
    ):
        assert main(argv) == 2
        assert "remote JSON-LD context is never fetched" in capsys.readouterr().err
    assert listener[1].requests == 0


def test_a_device_node_is_written_into_not_replaced(tmp_path: Path, graph: Path) -> None:
    fake_null = tmp_path / "fakenull"
    try:
        os.mknod(fake_null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:  # not root: a FIFO is the device-like node anyone can make
        os.mkfifo(fake_null)
        reader = os.open(fake_null, os.O_RDONLY | os.O_NONBLOCK)
    else:
        reader = None
    before = os.stat(fake_null)
    assert main(["export", str(graph), "--format", "nt", "-o", str(fake_null)]) == 0
    after = os.stat(fake_null)
    assert (after.st_ino, stat.S_IFMT(after.st_mode)) == (before.st_ino, stat.S_IFMT(before.st_mode))
    if reader is not None:
        os.close(reader)


@pytest.mark.parametrize("name", ["internal_utf16.rdf", "laughs_utf16.rdf", "laughs.rdf"])
def test_entities_are_refused_in_every_encoding(name: str, graph: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = REPRO / name
    for argv in (
        ["export", str(path), "--format", "nt"],
        ["validate", str(path)],
        ["query", "parties-without-article", "--graph", str(path)],
    ):
        assert main(argv) == 2
        assert "document type declaration" in capsys.readouterr().err


def test_sameas_bomb_ttl(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reason", str(REPRO / "sameas_bomb.ttl"), "-o", str(tmp_path / "x.ttl")]) == 2
    assert "makes 601 nodes one individual" in capsys.readouterr().err
    assert not (tmp_path / "x.ttl").exists()


@pytest.mark.parametrize("name", ["fffd.wiki", "surr.wiki", "bsq.wiki", "sup.wiki"])
def test_articles_build_graphs_every_parser_reads(tmp_path: Path, name: str) -> None:
    assert main(["build", str(REPRO / name), "--out", str(tmp_path)]) == 0
    assert list(ox.parse(path=str(tmp_path / "kg.ttl")))
    assert main(["query", "parties-without-article", "--graph", str(tmp_path / "kg.ttl")]) == 0
    assert main(["validate", str(tmp_path / "kg.ttl")]) == 0


def test_uchar_iri_ttl(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reason", str(REPRO / "uchar_iri.ttl"), "-o", str(tmp_path / "x.ttl")]) == 2
    assert capsys.readouterr().err.startswith(f"{REPRO / 'uchar_iri.ttl'}:1:")


def test_zero_wiki(tmp_path: Path) -> None:
    assert main(["build", str(REPRO / "zero.wiki"), "--out", str(tmp_path / "o")]) == 1
    assert not (tmp_path / "o").exists()


def test_qs_inject_ttl(capsys: pytest.CaptureFixture[str]) -> None:
    """The escapes spell a quote inside an IRI, which RDF does not allow: the loader refuses the
    file. (A graph that holds such a value anyway cannot add a command either: see
    test_valid_output.test_a_value_cannot_add_a_quickstatements_command.)"""
    assert main(["export", str(REPRO / "qs_inject.ttl"), "--format", "quickstatements"]) == 2
    assert capsys.readouterr().err == (
        f"{REPRO / 'qs_inject.ttl'}:8:54: error: cannot parse Turtle: Invalid IRI code point '\"' [bad-graph]\n"
    )


def test_generated_inputs_read_in_bounded_work(tmp_path: Path) -> None:
    """bold.md as the README makes it, and a table whose spans claim a billion columns."""
    bold = tmp_path / "bold.md"
    bold.write_text(
        "**测试国际**（缩写为TST）是一个国际组织。\n\n## 历史\n\n" + "**a " * 200000 + "\n", encoding="utf-8"
    )
    assert main(["inspect", str(bold), "--report-only"]) == 0
    spans = tmp_path / "spans.wiki"
    rows = "".join(f'|-\n| colspan="1000000000" | 法国 || 党{i}\n' for i in range(50))
    spans.write_text(
        "'''测试国际'''（缩写为TST）是一个国际组织。\n\n== 成员 ==\n{|\n! 国家 !! 政党\n" + rows + "|}\n",
        encoding="utf-8",
    )
    assert main(["inspect", str(spans), "--report-only"]) == 0
