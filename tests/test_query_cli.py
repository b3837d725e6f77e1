"""kg query / kg queries in-process, and the pandas API."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kg.api import dataframe
from kg.cli import main
from tests.expectations import ROOT


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    assert main(["build", "--out", str(out)]) == 0
    return out / "kg.ttl"


def test_queries_lists_the_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["queries"]) == 0
    out = capsys.readouterr().out
    assert "attended-every-conference: Parties that attended every conference" in out
    assert "--param international=…  (international, default ICMLPO)" in out


def test_headline_question_as_a_table(graph_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["query", "attended-every-conference", "--param", "international=ICMLPO", "--graph", str(graph_file)]) == 0
    )
    out = capsys.readouterr().out
    assert "party:希腊共产主义组织" in out and out.rstrip().endswith("(13 rows)")


@pytest.mark.parametrize("store", ["rdflib", "oxigraph"])
def test_json_is_sparql_results_format(graph_file: Path, capsys: pytest.CaptureFixture[str], store: str) -> None:
    argv = ["query", "conference-attendance", "--graph", str(graph_file), "--format", "json", "--store", store]
    assert main(argv) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["head"]["vars"][:4] == ["conference", "ordinal", "year", "attendees"]
    first = document["results"]["bindings"][0]
    assert first["year"] == {"type": "literal", "value": "1999", "datatype": "http://www.w3.org/2001/XMLSchema#gYear"}
    assert first["conference"]["type"] == "uri"


def test_csv_and_tsv(graph_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "join-year-histogram", "--graph", str(graph_file), "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[:2] == [
        "year,members,international",
        "2010,38,https://kg.example.org/id/international/ICOR",
    ]
    assert main(["query", "join-year-histogram", "--graph", str(graph_file), "--format", "tsv"]) == 0
    assert capsys.readouterr().out.splitlines()[:2] == [
        "?year\t?members\t?international",
        '"2010"^^<http://www.w3.org/2001/XMLSchema#gYear>\t38\t<https://kg.example.org/id/international/ICOR>',
    ]


def test_a_query_file_of_your_own(graph_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mine = tmp_path / "mine.rq"
    mine.write_text(
        "#+ summary: conferences in a year\n#+ param: year (integer) = 2004 -- the year\n#+ columns: conference\n"
        "PREFIX schema: <https://schema.org/>\nPREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
        "SELECT ?conference ?year WHERE { ?conference schema:startDate ?y . FILTER (xsd:integer(STR(?y)) = ?year) }\n",
        encoding="utf-8",
    )
    assert main(["query", str(mine), "--graph", str(graph_file), "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[1].endswith("conference/8,2004")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["query", "no-such-query"], "the catalogue has: about-party, "),
        (["query", "members", "--param", "colour=red"], "its parameters: international, role"),
        (["query", "members", "--param", "role"], "--param takes KEY=VALUE"),
    ],
)
def test_usage_errors_are_exit_2(
    graph_file: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main([*argv, "--graph", str(graph_file)]) == 2
    assert message in capsys.readouterr().err


def test_default_graph_is_built_when_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    assert main(["query", "conference-attendance", "--format", "csv"]) == 0
    assert (tmp_path / "out" / "kg.ttl").exists()
    assert len(capsys.readouterr().out.splitlines()) == 6


def test_dataframe_in_one_call(graph_file: Path) -> None:
    frame = dataframe("conference-attendance", graph_file, international="ICMLPO")
    assert list(frame["ordinal"]) == [6, 7, 8, 9, 10]
    assert list(frame["attendees"]) == [21, 27, 29, 25, 24]
