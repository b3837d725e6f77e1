"""Valid output from any input: IRIs from any text, strings of any content, manifests checked,
and what the build validates is what it writes."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef

from kg.cli import main
from kg.delimited import csv_text, tsv_text
from kg.errors import Diagnostic
from kg.export import serialize
from kg.iri import DEFAULT_BASE, external, segment, wikipedia_page
from kg.load import load_graph
from kg.sources import read_article
from kg.wikiexport import quickstatements
from tests.expectations import ROOT

REPRO = ROOT / "tests" / "repro"
# RFC 3987 ipath segment characters, written from the RFC's grammar (not from kg.iri): ASCII
# unreserved, sub-delims, ":" "@", percent-encoded octets, and ucschar.
_UCSCHAR = (
    "\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef"
    + "".join(f"{chr(p << 16)}-{chr((p << 16) + 0xFFFD)}" for p in range(1, 14))
    + "\U000e1000-\U000efffd"
)
_ISEGMENT = re.compile(rf"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@{_UCSCHAR}]|%[0-9A-F]{{2}})*")
ANY_TEXT = st.text(st.characters(codec=None, categories=None), max_size=30)  # surrogates included


@settings(max_examples=400)
@given(ANY_TEXT)
def test_a_segment_from_any_text_is_a_valid_iri_segment(text: str) -> None:
    name = segment(text)
    assert _ISEGMENT.fullmatch(name), name
    ox.NamedNode(DEFAULT_BASE + "party/" + name)


@settings(max_examples=400)
@given(ANY_TEXT)
def test_a_page_address_from_any_title_is_valid(title: str) -> None:
    ox.NamedNode(str(wikipedia_page(title)))


@settings(max_examples=400)
@given(st.one_of(ANY_TEXT, ANY_TEXT.map(lambda t: "http://example.org/" + t), ANY_TEXT.map(lambda t: "https://" + t)))
def test_an_address_from_any_text_is_valid_or_none(text: str) -> None:
    iri = external(text)
    if iri is not None:
        ox.NamedNode(str(iri))


def test_addresses_keep_their_meaning() -> None:
    assert external("https://zh.wikipedia.org/wiki/共产党#历史") == URIRef("https://zh.wikipedia.org/wiki/共产党#历史")
    assert external("http://a.org/x y?q=1#f#g") == URIRef("http://a.org/x%20y?q=1#f%23g")
    assert external("http://a.org/100%") == URIRef("http://a.org/100%25")
    assert external("//icor.info/") == URIRef("https://icor.info/")
    assert external("http://[::1]/a[1]") == URIRef("http://[::1]/a%5B1%5D")
    assert external("www.example.org") is None and external("http://a.org:port/") is None


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(codec="utf-8"), max_size=40), st.sampled_from([None, "zh-Hans", "en"]))
def test_any_string_round_trips_through_turtle_and_ntriples(text: str, language: str | None) -> None:
    graph = Graph()
    value = Literal(text, lang=language)
    graph.add((URIRef("http://example.org/s"), URIRef("http://example.org/p"), value))
    for fmt, parser in (("turtle", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES)):
        data = serialize(graph, fmt)
        [quad] = list(ox.parse(data, format=parser))
        assert quad.object.value == text, (fmt, data)
        assert next(iter(Graph().parse(data=data.decode(), format=fmt).objects())) == value


@pytest.mark.parametrize(("name", "label"), [("fffd", "甲\ufffd党"), ("surr", "党\ufffd"), ("bsq", '党 x\\"')])
def test_reproductions_build_files_every_parser_reads(tmp_path: Path, name: str, label: str) -> None:
    assert main(["build", str(REPRO / f"{name}.wiki"), "--out", str(tmp_path)]) == 0
    for written in ("kg.ttl", "kg.jsonld"):
        triples = list(ox.parse(path=str(tmp_path / written)))
        assert any(getattr(q.object, "value", None) == label for q in triples), written
    assert (Literal(label, lang="zh"),) in {(o,) for o in load_graph(tmp_path / "kg.ttl").objects()}
    assert main(["query", "parties-without-article", "--graph", str(tmp_path / "kg.ttl")]) == 0


def test_what_the_build_validates_is_what_it_writes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["build", str(REPRO / "zero.wiki"), "--out", str(out)]) == 1
    assert "zero.wiki:3:1: Violation: a conference has at most one ordinal" in capsys.readouterr().err
    assert not out.exists()


def test_control_characters_are_read_as_replacement_with_a_warning(tmp_path: Path) -> None:
    source = (REPRO / "fffd.wiki").read_text(encoding="utf-8").replace("甲\ufffd党", "甲\x01党\x1f")
    (tmp_path / "a.wiki").write_text(source, encoding="utf-8")
    article = read_article(tmp_path / "a.wiki")
    assert [a.party.name for a in article.attendances] == ["甲\ufffd党\ufffd"]
    [warning] = [d for d in article.diagnostics if d.code == "control-character"]
    assert (warning.line, warning.col, "2 control character(s)") == (8, 15, warning.message[:22])


def test_character_references_in_markdown_are_read(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(
        "**测试国际**（缩写为TST）是一个国际组织。\n\n## 第1次会议（2011年）\n\n"
        "| 国家 | 政党 |\n|---|---|\n| 阿根廷 | 甲&amp;乙&#x515A;&#xD800; |\n",
        encoding="utf-8",
    )
    assert [a.party.name for a in read_article(tmp_path / "a.md").attendances] == ["甲&乙党\ufffd"]


def test_a_message_is_one_line_whatever_it_quotes() -> None:
    text = str(Diagnostic("a\nb.wiki", 1, 2, "error", "x", "cell 'x\r\ny\u2028z'"))
    assert text == "a\\nb.wiki:1:2: error: cell 'x\\r\\ny\\u2028z' [x]"


# ---------------------------------------------------------------- sources.toml


def _with_manifest(tmp_path: Path, manifest: str) -> list[str]:
    shutil.copy(ROOT / "seeds" / "mim.md", tmp_path / "mim.md")
    (tmp_path / "sources.toml").write_text(manifest, encoding="utf-8")
    return ["inspect", str(tmp_path / "mim.md"), "--report-only"]


@pytest.mark.parametrize(
    ("manifest", "where", "message"),
    [
        ('[[article]]\nfile = "mim.md"\nurl = "../wiki/MIM"\n', 3, "url must be an absolute http(s) address"),
        ('[[article]]\nfile = "mim.md"\n\n[[article]]\nfile = "x.md"\nlicence = "cc.org"\n', 6, "licence must be"),
        ('[[article]]\nfile = "mim.md"\ntitle = 5\n', 3, "title must be a string"),
        ('[[article]]\nfile = "mim.md"\ntitle = {a = 1}\n', 3, "title must be a string"),
        ('[[article]]\nfile = "mim.md"\nretrieved = "yesterday"\n', 3, "retrieved must be a date"),
        ('[[article]]\nfile = "mim.md"\nretrieved = 2026-01-01T10:00:00\n', 3, "retrieved must be a date"),
        ('[[article]]\nfile = "mim.md"\nurl = "javascript:alert(1)"\n', 3, "url must be an absolute"),
        ('[[article]]\nfile = "mim.md"\nadress = "https://a.org"\n', 3, "unknown key 'adress'"),
        ('article = "mim.md"\n', 1, "the manifest holds [[article]] tables only"),
        ('[[article]]\nfile = ["mim.md"]\n', 1, 'each [[article]] needs file = "NAME"'),
        ("[[article]\n", 1, "not valid TOML"),
    ],
)
def test_a_bad_manifest_is_refused_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], manifest: str, where: int, message: str
) -> None:
    assert main(_with_manifest(tmp_path, manifest)) == 2
    error = capsys.readouterr().err
    assert f"sources.toml:{where}:" in error and message in error, error


# ---------------------------------------------------------------- exports for other tools

VALUES = st.lists(st.lists(st.text(st.characters(codec="utf-8"), max_size=8), min_size=2, max_size=2), max_size=4)


@settings(max_examples=300)
@given(VALUES)
def test_no_value_adds_a_csv_field_or_row(rows: list[list[str]]) -> None:
    text = csv_text([["a", "b"], *rows])
    assert list(csv.reader(io.StringIO(text, newline=""))) == [["a", "b"], *rows]


@settings(max_examples=300)
@given(VALUES)
def test_no_value_adds_a_tsv_field_or_row(rows: list[list[str]]) -> None:
    lines = tsv_text([["a", "b"], *rows]).split("\n")
    assert len(lines) == len(rows) + 2 and all(line.count("\t") == 1 for line in lines[:-1])
    unescape = {"\\\\": "\\", "\\t": "\t", "\\n": "\n", "\\r": "\r", "\\x85": "\x85"}
    read = [
        [re.sub(r"\\\\|\\t|\\n|\\r|\\x85", lambda m: unescape[m[0]], v) for v in line.split("\t")]
        for line in lines[1:-1]
    ]
    assert read == rows


def test_a_value_cannot_add_a_quickstatements_command() -> None:
    graph = Graph()
    graph.parse(REPRO.parent / "repro" / "qs_inject.ttl", format="turtle")  # rdflib reads the IRI that kg refuses
    text, _ = quickstatements(graph)
    assert text.count("\n") == 1 and "\t-Q42" not in text
    assert text.split("\t")[-1] == '"https://zh.wikipedia.org/wiki/X%22%0A-Q42%09P31%09Q5%0AQ42%09Len%09%22pwned"\n'
