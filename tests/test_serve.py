"""`kg serve` as its users meet it: started as a process on 127.0.0.1, asked by real clients
(SPARQLWrapper, rdflib's SPARQLStore, httpx, headless Chromium), answers compared with `kg query`."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, SPARQLWrapper

from kg.cli import main
from kg.query import catalogue
from tests.listener import free_port

CATALOGUE = catalogue()
ICOR = "https://kg.example.org/id/international/ICOR"
SERBIAN_LABOUR = "id/party/劳动党_(塞尔维亚)"
# Every conference and its organiser: a plain query, no parameters, the same text on both sides.
CONFERENCES = """PREFIX kgo: <https://kg.example.org/ontology#>
PREFIX schema: <https://schema.org/>
SELECT ?conference ?international ?year WHERE {
  ?conference a kgo:Conference ; schema:organizer ?international .
  OPTIONAL { ?conference schema:startDate ?year }
} ORDER BY ?conference"""
EXPLOSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
TIMEOUT = 3


@pytest.fixture(scope="module")
def graph_file(built: Path) -> Path:
    return built


@pytest.fixture(scope="module")
def server(graph_file: Path) -> Iterator[str]:
    port = free_port()
    argv = ["serve", str(graph_file), "--port", str(port), "--timeout", str(TIMEOUT), "--max-rows", "1000"]
    process = subprocess.Popen([sys.executable, "-m", "kg", *argv], stderr=subprocess.PIPE)
    root = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(root + "sparql", timeout=5)
            break
        except httpx.TransportError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"kg serve did not start: {process.stderr.read() if process.stderr else b''!r}"
                ) from None
            time.sleep(0.2)
    yield root
    process.terminate()
    process.wait(timeout=30)


def _cli_json(graph_file: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict[str, object]]:
    assert main(["query", *argv, "--graph", str(graph_file), "--format", "json"]) == 0
    bindings: list[dict[str, object]] = json.loads(capsys.readouterr().out)["results"]["bindings"]
    return bindings


def _simple(bindings: list[dict[str, dict[str, str]]]) -> list[dict[str, tuple[str, str]]]:
    """A binding as (type, value): clients differ in how they tag typed literals ("typed-literal")."""
    return [{k: (v["type"].replace("typed-literal", "literal"), v["value"]) for k, v in b.items()} for b in bindings]


# ---------------------------------------------------------------- real clients


def test_sparqlwrapper_gets_the_answers_of_kg_query(
    server: str, graph_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = tmp_path / "conferences.rq"
    plain.write_text(CONFERENCES, encoding="utf-8")
    expected = _cli_json(graph_file, capsys, str(plain))
    client = SPARQLWrapper(server + "sparql")
    client.setQuery(CONFERENCES)
    client.setReturnFormat(JSON)
    answer = client.query().convert()
    assert isinstance(answer, dict)
    assert _simple(answer["results"]["bindings"]) == _simple(expected)  # type: ignore[arg-type]
    assert len(expected) == 5  # the five conferences of seeds/icmlpo.wiki


def test_rdflib_sparqlstore_gets_the_same_rows(
    server: str, graph_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = tmp_path / "conferences.rq"
    plain.write_text(CONFERENCES, encoding="utf-8")
    columns = ("conference", "international", "year")
    expected = [
        tuple(b[c]["value"] if c in b else "None" for c in columns) for b in _cli_json(graph_file, capsys, str(plain))
    ]  # type: ignore[index]
    store = SPARQLStore(server + "sparql")
    remote = [tuple(str(term) for term in row) for row in store.query(CONFERENCES)]  # type: ignore[union-attr]
    assert remote == expected


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_every_stored_query_through_the_api(
    server: str, graph_file: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    expected = _cli_json(graph_file, capsys, name)
    answer = httpx.get(server + f"api/{name}", headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.json()["results"]["bindings"] == expected


def test_the_api_binds_parameters_as_the_cli_does(
    server: str, graph_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = _cli_json(graph_file, capsys, "members", "--param", "international=icor")
    answer = httpx.get(server + "api/members", params={"international": "icor", "format": "json"}, timeout=30)
    assert answer.json()["results"]["bindings"] == expected and len(expected) == 52
    missing = httpx.get(server + "api/members", params={"international": "ICMLP"}, timeout=30)
    assert missing.status_code == 400 and "the nearest: ICMLPO" in missing.text


def test_openapi_describes_every_stored_query(server: str) -> None:
    document = httpx.get(server + "api/openapi.json", timeout=30).json()
    assert set(document["paths"]) == {f"/api/{name}" for name in CATALOGUE}
    members = document["paths"]["/api/members"]["get"]
    assert [p["name"] for p in members["parameters"]] == ["international", "role", "format"]


# ---------------------------------------------------------------- negotiation


@pytest.mark.parametrize(
    "media",
    ["application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values"],
)
def test_select_results_in_each_media_type(server: str, media: str) -> None:
    answer = httpx.get(server + "sparql", params={"query": CONFERENCES}, headers={"Accept": media}, timeout=30)
    assert answer.status_code == 200
    assert answer.headers["content-type"].split(";")[0] == media
    assert answer.text.count("/conference/") == 5


@pytest.mark.parametrize(
    ("media", "fmt"),
    [
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", ox.RdfFormat.JSON_LD),
    ],
)
def test_construct_and_resources_in_each_rdf_media_type(server: str, media: str, fmt: ox.RdfFormat) -> None:
    construct = f"CONSTRUCT {{ <{ICOR}> ?p ?o }} WHERE {{ <{ICOR}> ?p ?o }}"
    answer = httpx.get(server + "sparql", params={"query": construct}, headers={"Accept": media}, timeout=30)
    assert answer.headers["content-type"].split(";")[0] == media
    assert {q.subject for q in ox.parse(answer.content, format=fmt)} == {ox.NamedNode(ICOR)}
    page = httpx.get(server + SERBIAN_LABOUR, headers={"Accept": media}, timeout=30)
    subjects = {q.subject for q in ox.parse(page.content, format=fmt)}
    assert ox.NamedNode("https://kg.example.org/" + SERBIAN_LABOUR) in subjects


def test_an_unacceptable_media_type_is_406(server: str) -> None:
    answer = httpx.get(server + "sparql", params={"query": CONFERENCES}, headers={"Accept": "image/png"}, timeout=30)
    assert answer.status_code == 406 and "application/sparql-results+json" in answer.text
    page = httpx.get(server + SERBIAN_LABOUR, headers={"Accept": "application/pdf"}, timeout=30)
    assert page.status_code == 406


def test_a_browser_gets_the_page_and_cors_is_open(server: str) -> None:
    page = httpx.get(server + SERBIAN_LABOUR, headers={"Accept": "text/html,*/*;q=0.8", "Origin": "http://example.org"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.headers["access-control-allow-origin"] == "*"
    assert 'id="attendance"' in page.text and "icmlpo.wiki:166" in page.text
    assert httpx.get(server + "id/party/no-such-party", headers={"Accept": "text/html"}).status_code == 404


def test_service_and_dataset_descriptions(server: str, graph_file: Path) -> None:
    triples = len(list(ox.parse(path=str(graph_file), format=ox.RdfFormat.TURTLE)))
    void = httpx.get(server + ".well-known/void", headers={"Accept": "application/n-triples"}).text
    assert f'<http://rdfs.org/ns/void#triples> "{triples}"^^<http://www.w3.org/2001/XMLSchema#integer>' in void
    service = httpx.get(server + "sparql", headers={"Accept": "text/turtle"}).text
    assert "sd:endpoint <" + server + "sparql>" in service and "sd:SPARQL11Query" in service


# ---------------------------------------------------------------- refusals and the time limit


@pytest.mark.parametrize(
    ("request_", "said"),
    [
        ({"params": {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}}, "read-only"),
        ({"params": {"query": "LOAD <http://127.0.0.1:9/x.ttl>"}}, "read-only"),
        ({"params": {"update": "CLEAR ALL"}}, "read-only"),
        ({"params": {"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/s> { ?s ?p ?o } }"}}, "refused"),
        ({"params": {"query": "SELECT * FROM <http://127.0.0.1:9/g> WHERE { ?s ?p ?o }"}}, "refused"),
        ({"params": {"query": CONFERENCES, "default-graph-uri": "http://127.0.0.1:9/g"}}, "refused"),
    ],
)
def test_refusals_are_400_with_a_reason(server: str, request_: dict[str, dict[str, str]], said: str) -> None:
    answer = httpx.get(server + "sparql", timeout=30, **request_)  # type: ignore[arg-type]
    assert answer.status_code == 400 and said in answer.text


def test_an_update_posted_is_refused(server: str) -> None:
    answer = httpx.post(
        server + "sparql", content=b"CLEAR ALL", headers={"Content-Type": "application/sparql-update"}, timeout=30
    )
    assert answer.status_code == 400 and "read-only" in answer.text


def test_a_posted_query_is_answered(server: str) -> None:
    form = httpx.post(server + "sparql", data={"query": CONFERENCES}, headers={"Accept": "text/csv"}, timeout=30)
    direct = httpx.post(
        server + "sparql",
        content=CONFERENCES.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"},
        timeout=30,
    )
    assert form.status_code == direct.status_code == 200 and form.text == direct.text


def test_an_explosive_query_is_stopped_and_the_next_is_answered(server: str) -> None:
    started = time.monotonic()
    answer = httpx.get(server + "sparql", params={"query": EXPLOSIVE}, timeout=60)
    took = time.monotonic() - started
    assert answer.status_code == 503 and "stopped" in answer.text
    assert took < TIMEOUT + 5
    after = httpx.get(server + "sparql", params={"query": CONFERENCES}, headers={"Accept": "text/csv"}, timeout=30)
    assert after.status_code == 200 and len(after.text.splitlines()) == 6


def test_twenty_clients_at_once_get_no_error(server: str) -> None:
    """A bounded load test (the latency figures are bench/bench_serve.py's): 20 clients, 10 s."""
    errors: list[str] = []
    done = [0]
    stop = time.monotonic() + 10

    def client() -> None:
        with httpx.Client(timeout=30) as http:
            while time.monotonic() < stop:
                reply = http.get(server + "api/conference-attendance", params={"format": "json"})
                if reply.status_code != 200:
                    errors.append(f"{reply.status_code} {reply.text[:80]}")
                done[0] += 1

    threads = [threading.Thread(target=client) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and done[0] > 20


# ---------------------------------------------------------------- pictures and pages in a real browser


def test_pictures_are_served(server: str) -> None:
    picture = httpx.get(
        server + "plot/attendance-heatmap.svg",
        params={"international": "https://kg.example.org/id/international/ICMLPO"},
        timeout=60,
    )
    assert picture.status_code == 200 and picture.headers["content-type"] == "image/svg+xml"
    assert "希腊共产主义组织" in picture.text


CHROMIUM = os.environ.get("KG_CHROMIUM", "chromium")


def _browser(url: str, tmp_path: Path) -> tuple[str, str]:
    """The DOM after the page's scripts ran, and the browser's console log (Debian's chromium)."""
    result = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            f"--user-data-dir={tmp_path}",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=10000",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return result.stdout, result.stderr


def _console_errors(log: str) -> list[str]:
    return [line for line in log.splitlines() if ":CONSOLE" in line]


def test_the_browser_log_shows_console_errors(tmp_path: Path) -> None:
    """The check below can fail: a page with a script error is seen as one."""
    broken = tmp_path / "broken.html"
    broken.write_text("<html><body><script>noSuchFunction()</script></body></html>", encoding="utf-8")
    _, log = _browser(broken.as_uri(), tmp_path / "profile")
    assert any("noSuchFunction is not defined" in line for line in _console_errors(log))


def test_the_party_page_in_a_browser_shows_its_memberships(server: str, tmp_path: Path) -> None:
    dom, log = _browser(server + "id/party/刚果革命组织@CD", tmp_path)
    assert 'id="memberships"' in dom and "ICOR" in dom and 'id="attendance"' in dom
    assert _console_errors(log) == []


def test_the_home_page_form_runs_a_query_in_a_browser(server: str, tmp_path: Path) -> None:
    dom, log = _browser(server + "?run=conference-attendance", tmp_path)
    assert 'id="query-conference-attendance"' in dom
    # the form's answer, shown by the page's own script: ICMLPO's five conferences (21, 27, 29, 25, 24 parties)
    assert 'id="result-conference-attendance"' in dom and all(str(n) in dom for n in (21, 27, 29, 25, 24))
    assert _console_errors(log) == []


def test_pages_load_nothing_from_elsewhere(server: str) -> None:
    """Scripts, styles, images and fonts come from the page itself: a page opens no connection
    to anything but the server (links to Wikipedia and Wikidata are links, not loads)."""
    for path in ("", SERBIAN_LABOUR, "id/international/ICMLPO"):
        page = httpx.get(server + path, headers={"Accept": "text/html"}, timeout=30).text
        loads = re.findall(r'<(?:script|img|iframe|source|link)\b[^>]*\b(?:src|href)="([^"]+)"', page)
        assert [url for url in loads if not url.startswith(("data:", "/", "?", server))] == []
