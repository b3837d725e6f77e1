"""Linking to Wikidata against a real SPARQL server on 127.0.0.1 (the `oxigraph` package),
loaded with a Wikidata-shaped fixture; throttling, time-outs and bad answers from a local
HTTP server. Expected links (tests/wikidata/gold.csv) were checked by hand against the fixture."""

from __future__ import annotations

import json
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from rdflib import Graph, Literal, URIRef

from kg.cli import main
from kg.link import Link, Review, evaluate, link_triples, read_gold, read_linkset, read_review, refresh, to_csv
from kg.vocab import KGO, RDF, SKOS
from kg.wikidata import LinkError, WikidataClient, fill, load_template
from kg.wikiexport import popolo, quickstatements
from tests.expectations import ROOT
from tests.listener import free_port, oxigraph_binary, oxigraph_server

HERE = ROOT / "tests" / "wikidata"
ID = "https://kg.example.org/id/"


def _add_links(graph: Graph, links: list[Link]) -> int:
    """The links of nodes the graph has, added to it, as `kg build` adds them; how many."""
    triples = link_triples(graph, links)
    for triple in triples:
        graph.add(triple)
    return len(triples)


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An Oxigraph SPARQL server on 127.0.0.1 holding tests/wikidata/fixture.ttl."""
    data = tmp_path_factory.mktemp("wikidata")
    subprocess.run(
        [oxigraph_binary(), "load", "--location", str(data), "--file", str(HERE / "fixture.ttl")],
        check=True,
        capture_output=True,
    )
    with oxigraph_server(data, read_only=True) as root:
        yield root + "/query"


@pytest.fixture(scope="module")
def refreshed(seed_graph: Graph, endpoint: str) -> tuple[list[Link], list[Review]]:
    return refresh(seed_graph, WikidataClient(endpoint), [], "2026-11-21")


def _by_iri(links: list[Link]) -> dict[str, Link]:
    return {link.iri: link for link in links}


def test_exact_links_by_sitelink(refreshed: tuple[list[Link], list[Review]]) -> None:
    links = _by_iri(refreshed[0])
    assert {iri.removeprefix(ID): (link.qid, link.match) for iri, link in links.items() if link.match == "exact"} == {
        "party/阿根廷革命共产党": ("Q900001", "exact"),
        "party/希腊共产主义组织": ("Q900002", "exact"),
        "party/劳动党_(塞尔维亚)": ("Q900003", "exact"),
        "party/劳动党_(土耳其)": ("Q900004", "exact"),
        "party/菲律宾共产党": ("Q900006", "exact"),  # redirect Q900005 → Q900006 followed
        "party/伊朗劳动者党": ("Q900007", "exact"),  # sitelink title in traditional characters
        "international/ICMLPO": ("Q900020", "exact"),
        "international/CIPOML": ("Q900021", "exact"),
    }


def test_candidates_abstain_rather_than_guess(refreshed: tuple[list[Link], list[Review]]) -> None:
    links, review = _by_iri(refreshed[0]), refreshed[1]
    assert links[ID + "party/刚果革命组织@CD"].qid == "Q900012"  # label + type + the stated country
    assert links[ID + "party/刚果革命组织@CD"].match == "candidate"
    for abstained in ("party/雷文多@ID", "party/伊朗劳动党", "party/日本共产主义者同盟@JP", "party/劳工革命组织"):
        assert ID + abstained not in links, abstained
    waiting = {(r.iri.removeprefix(ID), r.qid, r.score) for r in review}
    assert ("party/雷文多@ID", "Q900010", 1.0) in waiting and ("party/雷文多@ID", "Q900011", 1.0) in waiting
    assert ("party/日本共产主义者同盟@JP", "Q900014", 0.5) in waiting


def test_precision_and_recall_against_gold(refreshed: tuple[list[Link], list[Review]]) -> None:
    report = evaluate(refreshed[0], read_gold(HERE / "gold.csv"))
    assert report[0] == "exact: 8 links, 8 right; precision 1.00, recall 0.80"
    assert report[1] == "candidate: 1 links, 1 right; precision 1.00, recall 0.10"
    assert report[2] == "all: 9 of 10 expected links found; wrong links: 0"


def test_review_decisions_are_respected(
    seed_graph: Graph, endpoint: str, refreshed: tuple[list[Link], list[Review]]
) -> None:
    review = [
        r if r.qid != "Q900012" else Review(r.iri, r.label, r.qid, r.score, r.evidence, "reject") for r in refreshed[1]
    ]
    review = [r if r.qid != "Q900014" else Review(r.iri, r.label, r.qid, r.score, r.evidence, "accept") for r in review]
    links, again = refresh(seed_graph, WikidataClient(endpoint), review, "2026-11-22")
    by_iri = _by_iri(links)
    assert by_iri[ID + "party/日本共产主义者同盟@JP"].match == "reviewed"
    assert ID + "party/刚果革命组织@CD" not in by_iri  # its only other item is in another country
    assert [r.decision for r in again if r.qid == "Q900012"] == ["reject"]


def test_linkset_round_trip_and_merge_into_graph(
    tmp_path: Path, seed_graph: Graph, refreshed: tuple[list[Link], list[Review]]
) -> None:
    path = tmp_path / "links.csv"
    path.write_bytes(to_csv(refreshed[0]))
    assert read_linkset(path) == refreshed[0]
    review = tmp_path / "review.csv"
    review.write_bytes(to_csv(refreshed[1]))
    assert read_review(review) == refreshed[1]
    graph = Graph()
    graph += seed_graph
    assert _add_links(graph, refreshed[0]) == 9
    text = graph.serialize(format="nt")
    assert (
        "<https://kg.example.org/id/party/刚果革命组织@CD> <http://www.w3.org/2004/02/skos/core#closeMatch> <http://www.wikidata.org/entity/Q900012>"
        in text
    )
    assert (
        "<https://kg.example.org/id/party/阿根廷革命共产党> <http://www.w3.org/2004/02/skos/core#exactMatch> <http://www.wikidata.org/entity/Q900001>"
        in text
    )


def test_an_interlanguage_title_is_an_en_wikipedia_sitelink(endpoint: str) -> None:
    """{{link-en|巴西工人党|Workers' Party (Brazil)}}: no zh page, but the en.wikipedia one is an item's."""
    graph = Graph()
    party = URIRef(ID + "party/巴西工人党")
    graph.add((party, RDF.type, KGO.Party))
    graph.add((party, SKOS.prefLabel, Literal("巴西工人党", lang="zh-Hans")))
    graph.add((party, KGO.enwikiTitle, Literal("Workers' Party (Brazil)")))
    links, _ = refresh(graph, WikidataClient(endpoint), [], "2026-12-01")
    assert [(link.qid, link.match) for link in links] == [("Q900040", "exact")]
    assert "en.wikipedia sitelink 'Workers' Party (Brazil)'" in links[0].evidence


def test_values_are_escaped_into_the_query() -> None:
    query = fill(load_template("sitelinks"), [Literal('a" } ; DROP ALL ; #', lang="zh")])
    assert 'VALUES ?title { "a\\" } ; DROP ALL ; #"@zh }' in query


def _refresh(graph: Path, endpoint: str, linkset: Path, review: Path) -> list[str]:
    return [
        "link",
        "wikidata",
        str(graph),
        "--refresh",
        "--endpoint",
        endpoint,
        "--linkset",
        str(linkset),
        "--review",
        str(review),
    ]


def test_cli_refresh_and_evaluate(tmp_path: Path, endpoint: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--out", str(tmp_path)]) == 0
    linkset, review = tmp_path / "links.csv", tmp_path / "review.csv"
    argv = _refresh(tmp_path / "kg.ttl", endpoint, linkset, review)
    assert main(argv) == 0
    assert "(9 links)" in capsys.readouterr().out
    assert main(["link", "evaluate", str(HERE / "gold.csv"), "--linkset", str(linkset)]) == 0
    assert "wrong links: 0" in capsys.readouterr().out


# ---------------------------------------------------------------- a misbehaving service


class _Misbehaving(BaseHTTPRequestHandler):
    plan: ClassVar[list[tuple[int, str, float]]] = []  # (status, body, delay) per request

    def do_POST(self) -> None:
        status, body, delay = self.plan.pop(0) if len(self.plan) > 1 else self.plan[0]
        time.sleep(delay)
        try:
            self.send_response(status)
            self.send_header("Retry-After", "0")
            self.end_headers()
            self.wfile.write(body.encode())
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (the time-out case)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def misbehaving() -> Iterator[tuple[str, type[_Misbehaving]]]:
    handler = type("Handler", (_Misbehaving,), {"plan": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql", handler
    server.shutdown()


EMPTY = '{"head": {"vars": []}, "results": {"bindings": []}}'


def test_backs_off_on_429_then_succeeds(misbehaving: tuple[str, type[_Misbehaving]]) -> None:
    url, handler = misbehaving
    handler.plan[:] = [(429, "", 0.0), (429, "", 0.0), (200, EMPTY, 0.0)]
    waits: list[float] = []
    assert WikidataClient(url, sleep=waits.append).select(load_template("sitelinks"), [Literal("x", lang="zh")]) == []
    assert waits == [0.0, 0.0]  # the server's Retry-After: 0


@pytest.mark.parametrize(
    ("plan", "message"),
    [
        ([(429, "", 0.0)], "still throttled (HTTP 429) after 4 retries"),
        ([(200, "<html>oops</html>", 0.0)], "malformed answer"),
        ([(200, '{"results": 3}', 0.0)], "malformed answer"),
        ([(500, "", 0.0)], "answered HTTP 500"),
        ([(200, EMPTY, 2.0)], "no answer within 0.5 s"),
    ],
)
def test_service_failures_are_clear_errors(
    misbehaving: tuple[str, type[_Misbehaving]], plan: list[tuple[int, str, float]], message: str
) -> None:
    url, handler = misbehaving
    handler.plan[:] = plan
    client = WikidataClient(url, timeout=0.5, sleep=lambda _: None)
    with pytest.raises(LinkError, match=message.replace("(", r"\(").replace(")", r"\)")):
        client.select(load_template("sitelinks"), [Literal("x", lang="zh")])


def test_unreachable_service_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--out", str(tmp_path)]) == 0
    url = f"http://127.0.0.1:{free_port()}/sparql"
    argv = _refresh(tmp_path / "kg.ttl", url, tmp_path / "l.csv", tmp_path / "r.csv")
    assert main(argv) == 2
    assert "cannot reach the service" in capsys.readouterr().err
    assert not (tmp_path / "l.csv").exists()


# ---------------------------------------------------------------- exports


def test_quickstatements_only_for_linked_entities(
    seed_graph: Graph, refreshed: tuple[list[Link], list[Review]]
) -> None:
    graph = Graph()
    graph += seed_graph
    _add_links(graph, refreshed[0])
    observer = Link(
        "https://kg.example.org/ontology#ObserverRole", "观察员", "Q900040", "reviewed", 1.0, "test", "2026-11-21"
    )
    tenth = Link(
        ID + "international/ICMLPO/conference/10", "第十次会议", "Q900041", "reviewed", 1.0, "test", "2026-11-21"
    )
    _add_links(graph, [observer, tenth])
    text, notes = quickstatements(graph)
    lines = text.splitlines()
    # icmlpo.wiki line 14 (10th conference, 2011): 阿根廷革命共产党 attended; both linked.
    source = 'S143\tQ30239\tS4656\t"https://zh.wikipedia.org/wiki/马列主义政党和组织国际会议_(国际通讯)"'
    assert f"Q900001\tP1344\tQ900041\t{source}" in lines
    # Only the 10th conference is linked, so no other conference appears; CIPOML members in
    # the fixture: 劳动党 (土耳其) (cipoml.md line 42, no join year) and 伊朗劳动党 (not linked).
    assert all("\tP1344\tQ900041\t" in line or "\tP463\t" in line for line in lines)
    assert any(line.startswith("Q900004\tP463\tQ900021\tS143") for line in lines)
    assert not any("Q900012" in line for line in lines)  # a candidate link never goes to Wikidata
    assert notes[0].startswith(f"{len(lines)} statements;")


def test_popolo(seed_graph: Graph) -> None:
    document = json.loads(popolo(seed_graph))
    names = {o["name"] for o in document["organizations"] if o["classification"] == "international"}
    assert names == {"马列主义政党和组织国际会议", "革命政党和组织国际协调"}
    former = [m for m in document["memberships"] if m["id"].endswith("CIPOML/membership/cipoml-t3-r6")]
    assert former == [
        {
            "end_date": "2002",
            "id": ID + "international/CIPOML/membership/cipoml-t3-r6",
            "member": {"@type": "Organization", "id": ID + "party/争取意大利无产阶级共产党组织"},
            "organization_id": ID + "international/CIPOML",
            "role": "formermember",
            "sources": [
                {
                    "note": "cipoml.md:212",
                    "url": "https://zh.wikipedia.org/wiki/马列主义政党和组织国际会议_(团结和斗争)",
                }
            ],
        }
    ]
