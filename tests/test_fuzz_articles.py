"""A structure-aware fuzzer: hypothesis builds articles (both formats) and sources manifests
from the pieces editors write, with odd values in every slot (numbers past any range, spans,
references to no character, controls, unknown templates), and checks the promises on each:

- reading gives records or a located SourceError, never another exception;
- every data row is kept or explained (nothing lost silently);
- the graph written from it parses in a strict parser (pyoxigraph), every IRI valid;
- a manifest gives its entries or a located error.

KG_FUZZ_EXAMPLES sets how many articles are tried (the README records a long run).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pyoxigraph as ox
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import SourceError
from kg.export import serialize
from kg.graph import build_graph
from kg.resolve import resolve
from kg.sources import read_source
from kg.sources.manifest import source_info
from kg.spans import SourceText

EXAMPLES = int(os.environ.get("KG_FUZZ_EXAMPLES", "150"))

ODD = st.sampled_from(
    [
        "",
        " ",
        "²",
        "٣",
        "３",
        "0",
        "-1",
        "1e9",
        "99999999999999999999",
        "&#xD800;",
        "&#0;",
        "&#1114112;",
        "&amp;",
        "\x01",
        "\u0085",
        "\u2028",
        "\ufffe",
        "\\",
        '"',
        "|",
        "}}",
        "]]",
        "<",
        "'''",
        "**",
    ]
)
CJK = st.text(st.sampled_from("党国共产主义工人民社会革命联盟阵线中央委员会马列毛"), min_size=1, max_size=6)
YEAR = st.one_of(st.integers(1800, 2099).map(str), st.integers(0, 10**12).map(str), ODD)
DATE = st.one_of(
    st.tuples(YEAR, st.integers(0, 14), st.integers(0, 40)).map(lambda t: f"{t[0]}年{t[1]}月{t[2]}日"),
    YEAR.map(lambda y: f"{y}年"),
    st.tuples(YEAR, st.integers(0, 14)).map(lambda t: f"{t[0]}-{t[1]:02d}"),
)
COUNTRY = st.sampled_from(
    ["{{ARG}}", "{{FRA}}", "{{flagicon|GRC}} [[希腊]]", "法国", "[[德国]]", "{{XX}}", "{{flag|西德}}", "", "火星"]
)
PARTY = st.one_of(
    CJK.map(lambda n: n + "党"),
    CJK.map(lambda n: f"[[{n}党]]"),
    st.tuples(CJK, CJK).map(lambda t: f"[[{t[0]}党|{t[1]}]]"),
    CJK.map(lambda n: f"{{{{link-en|{n}党|{n} Party}}}}"),
    st.tuples(CJK, ODD).map(lambda t: f"{t[0]}{t[1]}党"),
    ODD,
)
ATTRIBUTE = st.sampled_from(
    [
        "",
        'rowspan="2" ',
        'colspan="2" ',
        'rowspan="0" ',
        'colspan="1000000000" ',
        'rowspan="²" ',
        'rowspan="-3" ',
        'style="x" ',
    ]
)
HEADING = st.one_of(
    st.tuples(st.integers(0, 10**20), DATE).map(lambda t: f"第{t[0]}次会议（{t[1]}）"),
    st.sampled_from(["成员", "正式成员", "观察员", "前成员", "历次会议", "参加者", "与会政党", "历史", "参考资料"]),
    DATE.map(lambda d: f"{d}会议"),
    CJK,
)
HEADER = st.lists(
    st.sampled_from(["国家", "政党", "地区", "加入年份", "备注", "状态", "届次", ""]), min_size=1, max_size=4
)


Cell = tuple[str, str]  # (attributes, text)
Section = tuple[str, list[str], list[list[Cell]], bool]


@st.composite
def _row(draw: st.DrawFn, width: int) -> list[Cell]:
    return [(draw(ATTRIBUTE), draw(st.one_of(COUNTRY, PARTY, YEAR, DATE, ODD))) for _ in range(width)]


@st.composite
def _section(draw: st.DrawFn) -> Section:
    header = draw(HEADER)
    rows = draw(st.lists(_row(len(header)), max_size=6))
    return draw(HEADING), header, rows, draw(st.booleans())


def _wikitext(lead: str, sections: list[Section]) -> str:
    parts = [f"'''{lead}'''（缩写为TST）是一个国际组织。\n"]
    for heading, header, rows, as_list in sections:
        parts.append(f"\n== {heading} ==\n")
        if as_list:
            parts.extend("* " + " ".join(text for _, text in row) + "\n" for row in rows)
            continue
        parts.append('{| class="wikitable"\n! ' + " !! ".join(header) + "\n")
        for row in rows:
            parts.append("|-\n" + "".join(f"| {attrs}| {text}\n" if attrs else f"| {text}\n" for attrs, text in row))
        parts.append("|}\n")
    return "".join(parts)


def _md(text: str) -> str:
    """A cell as pandoc writes it: links as Markdown links, templates as raw MediaWiki."""
    text = re.sub(r"\[\[([^|\]]+)\|([^\]]+)\]\]", r"[\2](https://zh.wikipedia.org/wiki/\1)", text)
    text = re.sub(r"\[\[([^|\]]+)\]\]", r"[\1](https://zh.wikipedia.org/wiki/\1)", text)
    return re.sub(r"\{\{[^{}]*\}\}", lambda m: f"`{m[0]}`{{=mediawiki}}", text)


def _markdown(lead: str, sections: list[Section], html: bool) -> str:
    parts = [f"**{lead}**（缩写为TST）是一个国际组织。\n"]
    for heading, header, rows, as_list in sections:
        parts.append(f"\n## {heading}\n\n")
        if as_list:
            parts.extend("- " + " ".join(_md(text) for _, text in row) + "\n" for row in rows)
        elif html:
            cells = "".join("<tr>" + "".join(f"<td {a}>{_md(t)}</td>" for a, t in row) + "</tr>\n" for row in rows)
            parts.append(f"<table>\n<tr>{''.join(f'<th>{h}</th>' for h in header)}</tr>\n{cells}</table>\n")
        else:
            parts.append("| " + " | ".join(header) + " |\n|" + "---|" * len(header) + "\n")
            parts.extend("| " + " | ".join(_md(text) for _, text in row) + " |\n" for row in rows)
    return "".join(parts)


def _check(name: str, text: str) -> None:
    try:
        article = read_source(SourceText(name, text))
    except SourceError as exc:
        assert exc.diagnostic.line >= 1 and exc.diagnostic.col >= 1
        return
    for table in article.tables:
        assert table.kept + len(table.skipped) == table.rows, (table, text)
    graph = build_graph([article], resolve([article]))
    for fmt, oxfmt in (("turtle", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES)):
        assert len(list(ox.parse(serialize(graph, fmt), format=oxfmt))) == len(graph)


@settings(max_examples=EXAMPLES, deadline=None)
@given(lead=st.one_of(CJK.map(lambda n: n + "国际"), ODD), sections=st.lists(_section(), min_size=1, max_size=4))
def test_any_article_reads_to_records_and_a_valid_graph(lead: str, sections: list[Section]) -> None:
    _check("fuzz.wiki", _wikitext(lead, sections))
    _check("fuzz.md", _markdown(lead, sections, html=False))
    _check("fuzz-html.md", _markdown(lead, sections, html=True))


TOML_VALUE = st.one_of(
    st.text(max_size=12).map(lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'),
    st.sampled_from(
        [
            "1",
            "true",
            "2026-11-21",
            "[1, 2]",
            "{ a = 1 }",
            '"https://zh.wikipedia.org/wiki/X"',
            '"/x"',
            '"//h/x"',
            '"ftp://x"',
            '"https://"',
            "1979-05-27T07:32:00Z",
            '"""a\nb"""',
        ]
    ),
)
TOML_KEY = st.sampled_from(["file", "title", "url", "licence", "retrieved", "revision", "x"])


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    entries=st.lists(st.lists(st.tuples(TOML_KEY, TOML_VALUE), max_size=5), max_size=3),
    junk=st.sampled_from(["", "[", "x = ", "[[article]]\n[[article]]", "\x00", "a.b.c = 1"]),
)
def test_any_manifest_gives_entries_or_a_located_error(
    tmp_path_factory: object, entries: list[list[tuple[str, str]]], junk: str
) -> None:
    directory = Path(tmp_path_factory.mktemp("manifest"))  # type: ignore[attr-defined]
    blocks = ["[[article]]\n" + "".join(f"{key} = {value}\n" for key, value in entry) for entry in entries]
    (directory / "sources.toml").write_text("\n".join(blocks) + junk, encoding="utf-8", errors="surrogatepass")
    (directory / "a.wiki").write_text("x", encoding="utf-8")
    try:
        source_info(directory / "a.wiki")
    except SourceError as exc:
        assert exc.diagnostic.path.endswith("sources.toml") and exc.diagnostic.line >= 1
        assert "\n" not in str(exc)
