"""The habits of riot, arq and oxigraph users: - for standard input and output, formats named
on the command line, any SPARQL query form, exit 2 with a reason for what a user got wrong."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.api import dataframe
from kg.cli import main
from tests.listener import free_port

# Written here, not taken from kg.formats: what each word a user types must mean.
OXIGRAPH = {
    "turtle": ox.RdfFormat.TURTLE,
    "ttl": ox.RdfFormat.TURTLE,
    "text/turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nt": ox.RdfFormat.N_TRIPLES,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "nq": ox.RdfFormat.N_QUADS,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "application/trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "json-ld": ox.RdfFormat.JSON_LD,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "xml": ox.RdfFormat.RDF_XML,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
ICOR = "https://kg.example.org/id/international/ICOR"
SERBIAN_LABOUR = "https://kg.example.org/id/party/劳动党_(塞尔维亚)"
PARTIES_ASK = "PREFIX kgo: <https://kg.example.org/ontology#>\nASK { ?party a kgo:Party }\n"
NO_SUCH_ASK = "PREFIX kgo: <https://kg.example.org/ontology#>\nASK { ?party a kgo:NoSuchClass }\n"


@pytest.fixture(scope="module")
def triples(built: Path) -> int:
    return len(list(ox.parse(path=str(built), format=ox.RdfFormat.TURTLE)))


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def _out(capture: pytest.CaptureFixture[bytes]) -> bytes:
    return capture.readouterr().out


# ---------------------------------------------------------------- - and formats


def test_every_graph_command_reads_standard_input(
    built: Path, triples: int, monkeypatch: pytest.MonkeyPatch, capfdbinary: pytest.CaptureFixture[bytes]
) -> None:
    data = built.read_bytes()
    _stdin(monkeypatch, data)
    assert main(["validate", "-"]) == 0
    assert _out(capfdbinary).startswith(b"Conforms: the graph satisfies every shape")
    _stdin(monkeypatch, data)
    assert main(["export", "-", "--output-format", "nt"]) == 0
    assert len(list(ox.parse(_out(capfdbinary), format=ox.RdfFormat.N_TRIPLES))) == triples
    _stdin(monkeypatch, data)
    assert main(["query", "members", "--param", "international=ICOR", "--graph", "-", "--format", "csv"]) == 0
    assert len(_out(capfdbinary).splitlines()) == 1 + 52  # ICOR's 52 memberships, as test_queries counts them


def test_reason_on_standard_input_writes_standard_output_and_talks_on_stderr(
    built: Path, monkeypatch: pytest.MonkeyPatch, capfdbinary: pytest.CaptureFixture[bytes]
) -> None:
    _stdin(monkeypatch, built.read_bytes())
    assert main(["reason", "-", "--output-format", "nt"]) == 0
    captured = capfdbinary.readouterr()
    inferred = list(ox.parse(captured.out, format=ox.RdfFormat.N_TRIPLES))
    assert inferred and captured.err.startswith(b"wrote - (") and b"wrote" not in captured.out


def test_export_to_standard_output_with_dash(
    built: Path, triples: int, capfdbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert main(["export", str(built), "-o", "-", "--output-format", "application/ld+json"]) == 0
    assert len(list(ox.parse(_out(capfdbinary), format=ox.RdfFormat.JSON_LD))) == triples


@pytest.mark.parametrize("word", sorted(OXIGRAPH))
def test_every_format_word_writes_that_format(built: Path, triples: int, tmp_path: Path, word: str) -> None:
    target = tmp_path / "graph.out"  # a suffix that says nothing: the word decides
    assert main(["export", str(built), "--output-format", word, "-o", str(target)]) == 0
    assert len(list(ox.parse(path=str(target), format=OXIGRAPH[word]))) == triples


@pytest.mark.parametrize("word", ["jsonld", "application/ld+json", "JSON-LD"])
def test_input_format_wins_over_the_suffix(
    built: Path, tmp_path: Path, word: str, capsys: pytest.CaptureFixture[str]
) -> None:
    misnamed = tmp_path / "graph.ttl"
    assert main(["export", str(built), "--output-format", "jsonld", "-o", str(misnamed)]) == 0
    assert main(["validate", str(misnamed)]) == 2  # read as Turtle, as its suffix says
    assert f"{misnamed}:1:" in capsys.readouterr().err
    assert main(["validate", str(misnamed), "--input-format", word]) == 0


def test_a_suffix_that_names_no_format_asks_for_one(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = tmp_path / "graph.txt"
    text.write_bytes(built.read_bytes())
    assert main(["validate", str(text)]) == 2
    assert "--input-format" in capsys.readouterr().err
    assert main(["validate", str(text), "--input-format", "turtle"]) == 0
    assert main(["validate", str(text), "--input-format", "pdf"]) == 2
    assert "unknown RDF format 'pdf'" in capsys.readouterr().err


def test_nquads_keep_the_inferences_in_their_own_graph(built: Path, tmp_path: Path) -> None:
    inferred = tmp_path / "inferred.ttl"
    assert main(["reason", str(built), "-o", str(inferred)]) == 0
    target = tmp_path / "all.nq"
    assert main(["export", str(built), "--inferred", str(inferred), "-o", str(target)]) == 0
    graphs = {quad.graph_name for quad in ox.parse(path=str(target), format=ox.RdfFormat.N_QUADS)}
    assert graphs == {ox.DefaultGraph(), ox.NamedNode("https://kg.example.org/id/graph/inferred")}


@pytest.mark.parametrize("command", ["validate", "export", "reason", "query"])
def test_help_documents_the_formats(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([command, "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "--input-format" in text and "application/n-triples" in text and "nquads" in text


# ---------------------------------------------------------------- any query


def test_a_plain_rq_file_runs(built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plain = tmp_path / "plain.rq"
    plain.write_text(
        "PREFIX schema: <https://schema.org/>\nSELECT ?year WHERE { ?c schema:startDate ?year } ORDER BY ?year\n",
        encoding="utf-8",
    )
    assert main(["query", str(plain), "--graph", str(built), "--format", "csv"]) == 0
    # the years in the headings of seeds/icmlpo.wiki's five attendance tables
    assert capsys.readouterr().out.split("\r\n") == ["year", "1999", "2001", "2004", "2007", "2011", ""]


@pytest.mark.parametrize(
    ("text", "fmt", "expected"),
    [
        (PARTIES_ASK, "table", "true\n"),
        (NO_SUCH_ASK, "table", "false\n"),
        (PARTIES_ASK, "csv", "true\n"),
    ],
)
def test_ask_prints_true_or_false(
    built: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], text: str, fmt: str, expected: str
) -> None:
    _stdin(monkeypatch, text.encode())
    assert main(["query", "-", "--graph", str(built), "--format", fmt]) == 0
    assert capsys.readouterr().out == expected


def test_ask_in_json_and_xml(built: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _stdin(monkeypatch, NO_SUCH_ASK.encode())
    assert main(["query", "-", "--graph", str(built), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"head": {}, "boolean": False}
    _stdin(monkeypatch, PARTIES_ASK.encode())
    assert main(["query", "-", "--graph", str(built), "--format", "xml"]) == 0
    root = ET.fromstring(capsys.readouterr().out)
    assert root.find("{http://www.w3.org/2005/sparql-results#}boolean").text == "true"  # type: ignore[union-attr]


@pytest.mark.parametrize("store", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("word", ["turtle", "nt", "jsonld", "rdfxml", "nquads", "trig"])
def test_construct_writes_rdf_in_any_format(
    built: Path, monkeypatch: pytest.MonkeyPatch, capfdbinary: pytest.CaptureFixture[bytes], store: str, word: str
) -> None:
    construct = (
        "PREFIX kgo: <https://kg.example.org/ontology#>\nPREFIX org: <http://www.w3.org/ns/org#>\n"
        "CONSTRUCT { ?party org:memberOf ?international } WHERE {"
        " ?m a org:Membership ; org:member ?party ; org:organization ?international }"
    )
    _stdin(monkeypatch, construct.encode())
    assert main(["query", "-", "--graph", str(built), "--format", word, "--store", store]) == 0
    answer = list(ox.parse(_out(capfdbinary), format=OXIGRAPH[word]))
    assert ox.Triple(
        ox.NamedNode(SERBIAN_LABOUR), ox.NamedNode("http://www.w3.org/ns/org#memberOf"), ox.NamedNode(ICOR)
    ) in [q.triple for q in answer]


def test_describe_writes_the_resource(
    built: Path, monkeypatch: pytest.MonkeyPatch, capfdbinary: pytest.CaptureFixture[bytes]
) -> None:
    _stdin(monkeypatch, f"DESCRIBE <{ICOR}>".encode())
    assert main(["query", "-", "--graph", str(built), "--format", "nt"]) == 0
    subjects = {quad.subject for quad in ox.parse(_out(capfdbinary), format=ox.RdfFormat.N_TRIPLES)}
    assert ox.NamedNode(ICOR) in subjects


def test_a_select_answer_is_not_written_as_rdf(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "members", "--graph", str(built), "--format", "turtle"]) == 2
    assert "--format table|csv|tsv|json|xml" in capsys.readouterr().err


def test_query_and_graph_cannot_both_be_standard_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "-", "--graph", "-"]) == 2
    assert "both come from standard input" in capsys.readouterr().err


# ---------------------------------------------------------------- exit codes and names


def test_a_repeated_param_is_exit_2(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["query", "members", "--graph", str(built), "--param", "international=ICOR", "--param", "international=MIM"]
    assert main(argv) == 2
    assert "--param international is given twice ('ICOR' and 'MIM')" in capsys.readouterr().err


def test_an_iri_naming_nothing_is_exit_2_with_the_nearest(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = [
        "query",
        "members",
        "--graph",
        str(built),
        "--param",
        "international=https://kg.example.org/id/international/ICO",
    ]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "no international has the IRI" in err and ICOR in err


def test_a_name_naming_nothing_is_exit_2_with_the_nearest(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "about-party", "--graph", str(built), "--param", "party=希腊共产主义组"]) == 2
    assert "the nearest: 希腊共产主义组织" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("param", "value", "iri"),
    [
        ("international", "icor", ICOR),  # case
        ("international", "ICOR", ICOR),
        ("party", "劳动党_(塞尔维亚)", SERBIAN_LABOUR),  # the title as a link writes it
        ("party", "勞動黨 (塞爾維亞)", SERBIAN_LABOUR),  # 繁
        ("party", "劳动党（塞尔维亚）", SERBIAN_LABOUR),  # full-width brackets
        ("party", "https://zh.wikipedia.org/wiki/劳动党_(塞尔维亚)", SERBIAN_LABOUR),  # the page's address
        ("party", SERBIAN_LABOUR, SERBIAN_LABOUR),
    ],
)
def test_parameters_are_looked_up_as_the_readers_compare_names(
    built: Path, capsys: pytest.CaptureFixture[str], param: str, value: str, iri: str
) -> None:
    query = "members" if param == "international" else "about-party"
    assert main(["query", query, "--graph", str(built), "--param", f"{param}={value}", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["results"]["bindings"]
    assert rows and {row[param]["value"] for row in rows} == {iri}


def test_a_failed_service_call_is_exit_2(built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    port = free_port()  # a port on this machine that nothing listens on
    remote = tmp_path / "remote.rq"
    remote.write_text(
        f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}\n", encoding="utf-8"
    )
    for store in ("oxigraph", "rdflib"):
        assert main(["query", str(remote), "--graph", str(built), "--allow-remote", "--store", store]) == 2
        assert "another server did not answer" in capsys.readouterr().err


def test_a_malformed_graph_is_exit_2_with_its_place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix x: <http://example.org/> .\nx:a x:b x:c .\nx:a x:b .\n", encoding="utf-8")
    assert main(["query", "members", "--graph", str(bad)]) == 2
    assert capsys.readouterr().err.startswith(f"{bad}:3:9: error: cannot parse Turtle")


def test_the_dataframe_has_typed_columns(built: Path) -> None:
    frame = dataframe("join-year-histogram", built, international="ICOR")
    assert str(frame["year"].dtype) == "Int64" and str(frame["members"].dtype) == "Int64"
    assert frame["year"].iloc[0] == 2010
    members = dataframe("members", built, international="ICOR")
    assert str(members["joined"].dtype) == "Int64"


def test_the_output_loads_into_a_real_triple_store(built: Path, triples: int, tmp_path: Path) -> None:
    """As the README shows: N-Quads on standard output, piped into the Oxigraph server's loader."""
    oxigraph = str(Path(sys.executable).with_name("oxigraph"))
    exported = subprocess.run(
        [sys.executable, "-m", "kg", "export", str(built), "--output-format", "nquads"], capture_output=True, check=True
    )
    store = tmp_path / "store"
    loading = [oxigraph, "load", "--location", str(store), "--format", "nq"]
    subprocess.run(loading, input=exported.stdout, capture_output=True, check=True)
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    query = [oxigraph, "query", "--location", str(store), "--query", count, "--results-format", "csv"]
    answer = subprocess.run(query, capture_output=True, check=True, text=True)
    assert answer.stdout.split() == ["n", str(triples)]
