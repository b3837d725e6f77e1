"""Bounded work: spans are read as HTML reads them and cut to the table, whatever they claim.
(How long hostile articles take is measured in bench/bench_hostile.py, not timed here.)"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from pathlib import Path

import pytest
from rdflib import Graph

from kg.bounded import Stopped, memory_limit, within
from kg.cli import main
from kg.errors import Diagnostic, SourceErrors
from kg.export import serialize
from kg.load import load_graph
from kg.sources import load_source, read_document, read_source
from kg.sources.document import span_attribute
from kg.sources.grid import lay_out
from tests.expectations import ROOT

REPRO = ROOT / "tests" / "repro"
HEAD = "'''测试国际'''（缩写为TST）是一个国际组织。\n\n== 成员 ==\n{| class=\"wikitable\"\n! 国家 !! 政党\n"


@pytest.mark.parametrize(
    ("value", "kind", "read"),
    [
        ("3", "rowspan", 3),
        (" 2px", "colspan", 2),
        ("+4", "rowspan", 4),
        ("²", "rowspan", 1),
        ("two", "colspan", 1),
        ("-2", "colspan", 1),
        (None, "rowspan", 1),
        ("0", "colspan", 1),
        ("0", "rowspan", 65534),  # HTML: rowspan 0 reaches the end of the table
        ("1000000000", "colspan", 1000),
        ("9" * 40, "rowspan", 65534),
    ],
)
def test_spans_are_read_by_the_html_rules(value: str | None, kind: str, read: int) -> None:
    assert span_attribute(value, kind) == read  # type: ignore[arg-type]


def _article(tmp_path: Path, rows: int, cell: str) -> Path:
    body = "".join(f"|-\n| {cell} | 法国 || 党{i}\n" for i in range(rows))
    path = tmp_path / "spans.wiki"
    path.write_text(HEAD + body + "|}\n", encoding="utf-8")
    return path


def test_huge_spans_are_cut_to_the_table_with_a_warning(tmp_path: Path) -> None:
    path = _article(tmp_path, 300, 'colspan="1000000000" rowspan="99999999"')
    source = load_source(path)
    [table] = read_document(source).tables
    grid = lay_out(table)
    # 300 data rows + the header. The table is 3 wide (a colspan counts for at most as many
    # columns as the widest row has cells, here 2, plus the party's cell); no row is wider
    # than that plus its own 2 cells, though each row's rowspan claims every row below.
    assert len(grid.rows) == 301
    assert max(len(row) for row in grid.rows) == 5
    assert grid.cut == 300
    article = read_source(source)
    [warning] = [d for d in article.diagnostics if d.code == "span-cut"]
    assert (warning.line, warning.severity) == (4, "warning")
    assert "300 rowspan or colspan" in warning.message
    assert sorted(m.party.name for m in article.memberships) == sorted(f"党{i}" for i in range(300))


def test_spans_within_the_table_are_not_reported(tmp_path: Path) -> None:
    path = _article(tmp_path, 3, 'rowspan="1"')
    article = read_source(load_source(path))
    assert not [d for d in article.diagnostics if d.code == "span-cut"]
    assert [m.party.name for m in article.memberships] == ["党0", "党1", "党2"]


def test_a_rowspan_no_number_spells_is_one_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(REPRO / "sup.wiki"), "--out", str(tmp_path)]) == 0
    assert "甲党" in (tmp_path / "kg.ttl").read_text(encoding="utf-8")


def test_a_fifo_source_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "a.wiki"
    os.mkfifo(fifo)
    assert main(["inspect", str(fifo)]) == 2
    assert capsys.readouterr().err.strip().startswith(f"{fifo}:1:1: ")


# ---------------------------------------------------------------- work that can be stopped


def test_a_task_in_a_worker_returns_its_value_or_raises_its_error() -> None:
    assert within(5, "adding", lambda: 2 + 3) == 5
    diagnostics = [Diagnostic("a.wiki", 3, 4, "error", "x", "bad")]

    def fail() -> None:
        raise SourceErrors(diagnostics)

    with pytest.raises(SourceErrors) as raised:
        within(5, "reading", fail)
    assert raised.value.diagnostics == diagnostics


def test_a_task_over_its_time_is_killed() -> None:
    with pytest.raises(Stopped, match=r"^waiting took longer than 0.5 s and was stopped"):
        within(0.5, "waiting", lambda: time.sleep(60))
    assert not multiprocessing.active_children()


def test_a_task_over_its_memory_or_killed_is_stopped_with_a_message() -> None:
    with pytest.raises(Stopped, match=r"^allocating ran out of memory and was stopped$"):
        within(30, "allocating", lambda: bytearray(memory_limit() + 1))
    with pytest.raises(Stopped, match=r"^dying ran out of memory \(signal SIGKILL\) and was stopped$"):
        within(30, "dying", lambda: os.kill(os.getpid(), signal.SIGKILL))


def test_a_query_over_its_time_is_exit_2(seed_graph: Graph, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    graph = tmp_path / "kg.nt"
    graph.write_bytes(serialize(seed_graph, "nt"))
    query = tmp_path / "slow.rq"
    query.write_text(
        "#+ summary: every triple, thrice\n#+ columns: n\nSELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }\n",
        encoding="utf-8",
    )
    for store in ("oxigraph", "rdflib"):
        argv = ["query", str(query), "--graph", str(graph), "--store", store, "--timeout", "1"]
        assert main(argv) == 2
        assert (
            capsys.readouterr().err
            == "kg: the query slow took longer than 1 s and was stopped (--timeout sets the limit, 0 for none)\n"
        )


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


EX = "http://ex.org/"
SAME = "<http://www.w3.org/2002/07/owl#sameAs>"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


@pytest.mark.parametrize(
    ("name", "lines"),  # each makes 301 nodes one individual
    [
        ("chain", [f"<{EX}n{i}> {SAME} <{EX}n{i + 1}> ." for i in range(300)]),
        ("star", [f"<{EX}hub> {SAME} <{EX}n{i}> ." for i in range(300)]),
        (
            "functional",
            [f"<{EX}p> {TYPE} <http://www.w3.org/2002/07/owl#FunctionalProperty> ."]
            + [f"<{EX}a> <{EX}p> <{EX}v{i}> ." for i in range(301)],
        ),
        (
            "inverse-functional",
            [f"<{EX}p> {TYPE} <http://www.w3.org/2002/07/owl#InverseFunctionalProperty> ."]
            + [f"<{EX}s{i}> <{EX}p> <{EX}v> ." for i in range(301)],
        ),
        (
            "sub-property",
            [f"<{EX}same> <http://www.w3.org/2000/01/rdf-schema#subPropertyOf> {SAME} ."]
            + [f"<{EX}n{i}> <{EX}same> <{EX}n{i + 1}> ." for i in range(300)],
        ),
    ],
)
def test_reasoning_refuses_many_nodes_made_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, lines: list[str]
) -> None:
    graph = _write(tmp_path / f"{name}.nt", lines)
    assert main(["reason", str(graph), "-o", str(tmp_path / "x.ttl")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kg: owl:sameAs or a functional property makes 301 nodes one individual (<http://ex.org/")
    assert err.endswith("reasoning allows at most 200, as its work grows with the cube: refused\n")
    assert not (tmp_path / "x.ttl").exists()


def test_the_reproduction_is_refused_and_a_small_group_is_reasoned(tmp_path: Path) -> None:
    assert main(["reason", str(REPRO / "sameas_bomb.ttl"), "-o", str(tmp_path / "x.ttl")]) == 2
    graph = _write(tmp_path / "few.nt", [f"<{EX}n{i}> {SAME} <{EX}n{i + 1}> ." for i in range(4)])
    assert main(["reason", str(graph), "-o", str(tmp_path / "x.ttl")]) == 0
    inferred = {(str(s), str(o)) for s, o in load_graph(tmp_path / "x.ttl").subject_objects()}
    # n0…n3 (the nodes the data describes: n4 is never a subject), each the same as the 4
    # others, less the 4 links stated
    assert len(inferred) == 4 * 4 - 4
