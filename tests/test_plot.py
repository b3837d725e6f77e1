"""The pictures (kg.plot) against what the seeds say, counted here independently: the text they
show, how many cells, bars and ties they draw, their pixel size, and that they are the same
bytes every time, in every process."""

from __future__ import annotations

import hashlib
import os
import struct
import subprocess
import sys
import textwrap
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from kg.draw import DPI, HEATMAP_BOTTOM, HEATMAP_TOP, MAX_ROWS, ROW_INCHES
from kg.errors import UsageError
from kg.plot import PLOT_FORMATS, PLOTS, plot
from kg.store import Store, open_store
from kg.vocab import KGO, RDF, SDO, SKOS, XSD

ROOT = Path(__file__).resolve().parent.parent
ID = "https://kg.example.org/id/"
ICMLPO = ID + "international/ICMLPO"
ICOR = ID + "international/ICOR"
SVG = "{http://www.w3.org/2000/svg}"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# What each picture is drawn of, in the seeds.
CASES = {"attendance-heatmap": ICMLPO, "membership-timeline": ICOR, "party-network": None}

# tests/test_queries.py, test_parties_in_several_internationals: written from the seeds.
SHARED = {
    "阿富汗马列主义组织", "印度共产党（马列）临时中央委员会", "伊朗劳动者党", "尼泊尔共产党（火炬） (2006年)",
    "布尔什维克党（北库尔德斯坦－土耳其）", "德国马列主义党", "希腊共产主义组织", "卢森堡共产主义组织",
    "马列主义者团体/红色黎明", "俄罗斯毛主义党", "劳动党 (塞尔维亚)", "刚果革命组织", "南非共产党（马列）",
    "共产党（马列）", "巴拿马共产党（马列）", "劳工革命组织", "玻利维亚共产党－马列毛", "哥伦比亚共产党－毛主义",
    "智利共产党（无产阶级行动）",
}  # fmt: skip


@pytest.fixture(scope="module")
def store(seed_graph: Graph) -> Store:
    return open_store("oxigraph", graph=seed_graph)


@pytest.fixture(scope="module")
def svgs(store: Store) -> dict[str, bytes]:
    return {name: plot(store, name, "svg", international) for name, international in CASES.items()}


@pytest.fixture(scope="module")
def pngs(store: Store) -> dict[str, bytes]:
    return {name: plot(store, name, "png", international) for name, international in CASES.items()}


def parse(svg: bytes) -> ET.Element:
    return ET.fromstring(svg)


def texts(root: ET.Element) -> list[str]:
    """The text of each <text> element, in document order."""
    return ["".join(element.itertext()) for element in root.iter(f"{SVG}text")]


def group(root: ET.Element, gid: str) -> ET.Element:
    found = [g for g in root.iter(f"{SVG}g") if g.get("id") == gid]
    assert len(found) == 1, f"one group with id {gid}"
    return found[0]


def shapes(root: ET.Element, gid: str) -> int:
    """How many shapes a collection of the picture (an SVG group) draws: paths and uses
    outside its <defs>."""
    defined = {id(e) for d in group(root, gid).iter(f"{SVG}defs") for e in d.iter()}
    return sum(1 for e in group(root, gid).iter() if e.tag in (f"{SVG}path", f"{SVG}use") and id(e) not in defined)


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, the first after the signature."""
    assert data[:8] == PNG_SIGNATURE
    length, kind = struct.unpack(">I4s", data[8:16])
    assert (kind, length) == (b"IHDR", 13)
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def svg_size(root: ET.Element) -> tuple[float, float]:
    width, height = root.get("width", ""), root.get("height", "")
    assert width.endswith("pt") and height.endswith("pt")
    return float(width[:-2]), float(height[:-2])


def select(graph: Graph, text: str, **bindings: str) -> list[tuple[str, ...]]:
    """rdflib's own answer, for counting independently of kg.plot's queries and store."""
    rows = graph.query(text, initBindings={k: URIRef(v) for k, v in bindings.items()})
    return [tuple(str(term) for term in row) for row in rows]  # type: ignore[union-attr]


ATTENDANCE_PAIRS = """
PREFIX kgo: <https://kg.example.org/ontology#>
PREFIX schema: <https://schema.org/>
SELECT DISTINCT ?attendee ?conference WHERE {
  ?conference schema:organizer ?international . ?attendance kgo:conference ?conference ; schema:attendee ?attendee .
}
"""


# ---------------------------------------------------------------- the catalogue and errors


def test_the_three_plots_and_two_formats() -> None:
    assert list(PLOTS) == ["attendance-heatmap", "membership-timeline", "party-network"]
    assert all(PLOTS.values())
    assert PLOT_FORMATS == ("svg", "png")


def test_unknown_plot_lists_the_plots(store: Store) -> None:
    with pytest.raises(UsageError, match=r"unknown plot 'pie'.*attendance-heatmap, membership-timeline, party-network"):
        plot(store, "pie", "svg", ICMLPO)


def test_unknown_format_lists_the_formats(store: Store) -> None:
    with pytest.raises(UsageError, match=r"unknown picture format 'jpeg'.*svg, png"):
        plot(store, "attendance-heatmap", "jpeg", ICMLPO)


@pytest.mark.parametrize("name", ["attendance-heatmap", "membership-timeline"])
def test_heatmap_and_timeline_need_an_international(store: Store, name: str) -> None:
    with pytest.raises(UsageError, match=f"the {name} plot needs an international"):
        plot(store, name, "svg")


def test_an_unknown_international_is_refused(store: Store) -> None:
    with pytest.raises(UsageError, match="no international has the IRI"):
        plot(store, "attendance-heatmap", "svg", ID + "international/NOPE")


def test_an_international_with_nothing_to_draw_is_refused(store: Store) -> None:
    with pytest.raises(UsageError, match="no attendance heatmap for ICOR: it has no conferences"):
        plot(store, "attendance-heatmap", "svg", ICOR)
    with pytest.raises(UsageError, match="no membership timeline for ICMLPO: it has no memberships"):
        plot(store, "membership-timeline", "svg", ICMLPO)


def test_an_abbreviation_names_the_international_too(store: Store, svgs: dict[str, bytes]) -> None:
    assert plot(store, "attendance-heatmap", "svg", "ICMLPO") == svgs["attendance-heatmap"]


def test_the_network_ignores_the_international(store: Store, svgs: dict[str, bytes]) -> None:
    assert plot(store, "party-network", "svg", ICMLPO) == svgs["party-network"]


# ---------------------------------------------------------------- what each picture shows


def test_heatmap_shows_the_five_icmlpo_conferences_in_order(svgs: dict[str, bytes]) -> None:
    shown = texts(parse(svgs["attendance-heatmap"]))
    # seeds/icmlpo.wiki: the five attendance tables, 第六次会议（1999年） … 第十次会议（2011年）
    assert [t for t in shown if t.startswith("第")] == [
        "第6次 1999",
        "第7次 2001",
        "第8次 2004",
        "第9次 2007",
        "第10次 2011",
    ]
    assert "希腊共产主义组织" in shown  # at all five
    assert "来自南亚的组织" in shown  # a delegation, named as its table lists it
    assert any(t.startswith("ICMLPO") for t in shown)


def test_heatmap_fills_one_cell_per_attendance(seed_graph: Graph, svgs: dict[str, bytes]) -> None:
    pairs = select(seed_graph, ATTENDANCE_PAIRS, international=ICMLPO)
    # tests/test_queries.py, test_conference_attendance: 21 + 27 + 29 + 25 + 24 attendees
    assert len(pairs) == 21 + 27 + 29 + 25 + 24
    assert shapes(parse(svgs["attendance-heatmap"]), "attended") == len(pairs)


def test_heatmap_rows_start_with_the_parties_at_every_conference(seed_graph: Graph, svgs: dict[str, bytes]) -> None:
    pairs = select(seed_graph, ATTENDANCE_PAIRS, international=ICMLPO)
    attendees = {a for a, _ in pairs}
    every = {a for a in attendees if sum(1 for b, _ in pairs if b == a) == 5}
    labels = {
        party: str(label)
        for party in every
        for label in seed_graph.objects(URIRef(party), SKOS.prefLabel)
        if isinstance(label, Literal) and label.language == "zh-Hans"
    }
    rows = texts(group(parse(svgs["attendance-heatmap"]), "matplotlib.axis_2"))
    assert len(rows) == len(attendees)
    assert rows[: len(every)] == sorted(labels.values())
    assert "希腊共产主义组织" in rows[: len(every)]


def test_timeline_has_a_bar_per_dated_icor_membership(seed_graph: Graph, svgs: dict[str, bytes]) -> None:
    root = parse(svgs["membership-timeline"])
    shown = texts(root)
    assert {"阿富汗马列主义组织", "孟加拉国共产党", "印度共产党（马列）红星"} <= set(shown)  # seeds/icor.md, 2010年
    assert {"2010", "2018"} <= set(shown)
    dated = select(
        seed_graph,
        """PREFIX org: <http://www.w3.org/ns/org#>
        PREFIX time: <http://www.w3.org/2006/time#>
        SELECT DISTINCT ?membership WHERE {
          ?membership org:organization ?international .
          { ?membership org:memberDuring/time:hasBeginning ?year } UNION { ?membership org:memberDuring/time:hasEnd ?year }
        }""",
        international=ICOR,
    )
    assert len(dated) == 52  # tests/test_queries.py, test_members: 52 ICOR rows, each with 加入时间
    assert shapes(root, "memberships") == len(dated)
    assert shapes(root, "open-ended") == len(dated)  # icor.md states no leave year


def test_timeline_of_cipoml_draws_the_former_members_with_a_leave_year(store: Store) -> None:
    root = parse(plot(store, "membership-timeline", "svg", ID + "international/CIPOML"))
    # tests/test_queries.py, test_members: four former members of CIPOML left in 2002, 2005 or 2008
    assert shapes(root, "memberships") == 4
    assert {"德国共产党－红色黎明", "列宁圈子", "争取意大利无产阶级共产党组织", "红旗 (政党)"} <= set(texts(root))
    assert any("29 without a year not drawn" in t for t in texts(root))


def test_network_shows_the_parties_in_several_internationals(svgs: dict[str, bytes]) -> None:
    root = parse(svgs["party-network"])
    parties = [g for g in root.iter(f"{SVG}g") if (g.get("id") or "").startswith("party-")]
    assert {"".join(g.itertext()).strip() for g in parties} == SHARED
    assert len(parties) == len(SHARED)
    internationals = {
        "".join(g.itertext()).strip() for g in root.iter(f"{SVG}g") if (g.get("id") or "").startswith("international-")
    }
    assert {"ICMLPO", "ICOR", "CIPOML"} == internationals
    assert shapes(root, "ties") == 2 * len(SHARED)  # each tied to exactly two


@pytest.mark.parametrize("fmt", PLOT_FORMATS)
def test_no_warning_without_a_cjk_font(store: Store, fmt: str) -> None:
    """Glyphs missing (no CJK font installed here) are not warned about once per character."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plot(store, "party-network", fmt)


@pytest.mark.parametrize("name", list(CASES))
def test_svg_keeps_text_as_text_with_a_cjk_font_named(svgs: dict[str, bytes], name: str) -> None:
    root = parse(svgs[name])
    assert root.find(f".//{SVG}text") is not None
    assert "Noto Sans CJK SC" in svgs[name].decode("utf-8")
    assert not root.findall(".//{http://purl.org/dc/elements/1.1/}date")


# ---------------------------------------------------------------- PNG


@pytest.mark.parametrize("name", list(CASES))
def test_png_is_the_size_of_the_svg(svgs: dict[str, bytes], pngs: dict[str, bytes], name: str) -> None:
    width, height = svg_size(parse(svgs[name]))  # points: 72 an inch
    assert png_size(pngs[name]) == (round(width * DPI / 72), round(height * DPI / 72))


def test_heatmap_png_is_one_row_high_per_party(seed_graph: Graph, pngs: dict[str, bytes]) -> None:
    attendees = {a for a, _ in select(seed_graph, ATTENDANCE_PAIRS, international=ICMLPO)}
    _, height = png_size(pngs["attendance-heatmap"])
    assert height == round((HEATMAP_TOP + HEATMAP_BOTTOM + len(attendees) * ROW_INCHES) * DPI)


def test_a_long_heatmap_stops_at_the_cap() -> None:
    graph, international = Graph(), URIRef(ID + "international/X")
    conference = URIRef(ID + "international/X/conference/1")
    graph.add((international, RDF.type, KGO.International))
    graph.add((international, KGO.abbreviation, Literal("X")))
    graph.add((conference, RDF.type, KGO.Conference))
    graph.add((conference, SDO.organizer, international))
    graph.add((conference, KGO.ordinal, Literal("1", datatype=XSD.positiveInteger)))
    graph.add((conference, SDO.startDate, Literal("2000", datatype=XSD.gYear)))
    total = MAX_ROWS + 7
    for k in range(total):
        party, attendance = URIRef(f"{ID}party/p{k:03d}"), URIRef(f"{ID}international/X/conference/1/attendance/{k}")
        graph.add((party, SKOS.prefLabel, Literal(f"党{k:03d}", lang="zh-Hans")))
        graph.add((attendance, KGO.conference, conference))
        graph.add((attendance, SDO.attendee, party))
    store = open_store("oxigraph", graph=graph)
    root = parse(plot(store, "attendance-heatmap", "svg", str(international)))
    assert f"X: conference attendance (first {MAX_ROWS} of {total} parties × 1 conferences)" in texts(root)
    assert shapes(root, "attended") == MAX_ROWS
    rows = texts(group(root, "matplotlib.axis_2"))
    assert rows[0] == "党000" and rows[-1] == f"党{MAX_ROWS - 1:03d}"
    _, height = png_size(plot(store, "attendance-heatmap", "png", str(international)))
    assert height == round((HEATMAP_TOP + HEATMAP_BOTTOM + MAX_ROWS * ROW_INCHES) * DPI)


# ---------------------------------------------------------------- determinism


@pytest.mark.parametrize("fmt", PLOT_FORMATS)
@pytest.mark.parametrize("name", list(CASES))
def test_the_same_bytes_twice(store: Store, name: str, fmt: str) -> None:
    first = plot(store, name, fmt, CASES[name])
    assert plot(store, name, fmt, CASES[name]) == first
    assert first.startswith(PNG_SIGNATURE if fmt == "png" else b"<?xml")


def test_the_same_bytes_from_either_store(seed_graph: Graph, svgs: dict[str, bytes]) -> None:
    rdflib_store = open_store("rdflib", graph=seed_graph)
    assert {name: plot(rdflib_store, name, "svg", i) for name, i in CASES.items()} == svgs


SCRIPT = textwrap.dedent(
    """
    import hashlib, sys
    from pathlib import Path
    from kg.graph import build_graph
    from kg.plot import plot
    from kg.resolve import resolve
    from kg.sources import expand_sources, read_article
    from kg.store import open_store

    articles = [read_article(p) for p in expand_sources([Path(sys.argv[1])])]
    store = open_store("oxigraph", graph=build_graph(articles, resolve(articles)))
    for name, international in {cases!r}.items():
        print(name, hashlib.sha256(plot(store, name, "svg", international)).hexdigest())
    """
).format(cases=CASES)


def test_the_same_svg_in_other_processes_whatever_the_hash_seed(svgs: dict[str, bytes]) -> None:
    """Set and dict order of strings changes with PYTHONHASHSEED; the pictures must not."""
    here = "\n".join(f"{name} {hashlib.sha256(svg).hexdigest()}" for name, svg in svgs.items())
    for seed in ("0", "4242"):
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT, str(ROOT / "seeds")],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)},
            check=False,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == here


def test_kg_plot_writes_the_picture_the_suffix_names(tmp_path: Path) -> None:
    from kg.cli import main  # noqa: PLC0415 - the command line, after the library's own tests

    out = tmp_path / "out"
    assert main(["build", "--out", str(out)]) == 0
    svg, png = tmp_path / "heatmap.svg", tmp_path / "network.png"
    graph = ["--graph", str(out / "kg.ttl")]
    assert main(["plot", "attendance-heatmap", "-o", str(svg), "--param", "international=icmlpo", *graph]) == 0
    assert "希腊共产主义组织" in svg.read_text(encoding="utf-8")
    assert main(["plot", "party-network", "-o", str(png), *graph]) == 0
    assert png.read_bytes().startswith(PNG_SIGNATURE)
    assert (
        main(["plot", "membership-timeline", "-o", str(tmp_path / "t.pdf"), "--param", "international=ICOR", *graph])
        == 2
    )
