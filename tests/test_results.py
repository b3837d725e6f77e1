"""The W3C query results formats of kg/results.py: expected documents written by hand, and the
same query written by Oxigraph's own writers."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
from rdflib import XSD, BNode, Literal, URIRef
from rdflib.term import Node

from kg.errors import UsageError
from kg.formats import RESULT_FORMATS
from kg.load import to_rdflib
from kg.results import (
    ask_json,
    ask_text,
    ask_xml,
    select_csv,
    select_json,
    select_table,
    select_tsv,
    select_xml,
)
from kg.store import Result

PARTY = "https://kg.example.org/id/party/"
KGO = "https://kg.example.org/ontology#"
SR = "{http://www.w3.org/2005/sparql-results#}"

RESULT = Result(
    ["party", "name", "joined", "note"],
    [
        [
            URIRef(PARTY + "p1"),
            Literal("社会党", lang="zh-Hans"),
            Literal("1994", datatype=XSD.gYear),
            Literal('says "hi", then\nbye'),
        ],
        [BNode("b0"), Literal("Labour", lang="en"), Literal(3), None],
        [URIRef(KGO + "Party"), Literal("tab\there"), None, Literal("back\\slash & <x>\r")],
    ],
)


def test_csv() -> None:
    assert select_csv(RESULT) == (
        "party,name,joined,note\r\n"
        'https://kg.example.org/id/party/p1,社会党,1994,"says ""hi"", then\nbye"\r\n'
        "_:b0,Labour,3,\r\n"
        'https://kg.example.org/ontology#Party,tab\there,,"back\\slash & <x>\r"\r\n'
    )


def test_csv_of_no_rows() -> None:
    assert select_csv(Result(["a", "b"], [])) == "a,b\r\n"


def test_tsv() -> None:
    assert select_tsv(RESULT) == (
        "?party\t?name\t?joined\t?note\n"
        '<https://kg.example.org/id/party/p1>\t"社会党"@zh-Hans\t"1994"^^<http://www.w3.org/2001/XMLSchema#gYear>'
        '\t"says \\"hi\\", then\\nbye"\n'
        '_:b0\t"Labour"@en\t3\t\n'
        '<https://kg.example.org/ontology#Party>\t"tab\\there"\t\t"back\\\\slash & <x>\\r"\n'
    )


@pytest.mark.parametrize(
    ("lexical", "datatype", "written"),
    [
        ("42", XSD.integer, "42"),
        ("-7", XSD.integer, "-7"),
        ("+042", XSD.integer, "+042"),
        ("abc", XSD.integer, '"abc"^^<http://www.w3.org/2001/XMLSchema#integer>'),
        ("1.5", XSD.decimal, "1.5"),
        ("-.5", XSD.decimal, "-.5"),
        ("1", XSD.decimal, '"1"^^<http://www.w3.org/2001/XMLSchema#decimal>'),
        ("1.", XSD.decimal, '"1."^^<http://www.w3.org/2001/XMLSchema#decimal>'),
        ("1e3", XSD.double, "1e3"),
        ("1.0E-3", XSD.double, "1.0E-3"),
        (".5e+3", XSD.double, ".5e+3"),
        ("1000.0", XSD.double, '"1000.0"^^<http://www.w3.org/2001/XMLSchema#double>'),
        ("INF", XSD.double, '"INF"^^<http://www.w3.org/2001/XMLSchema#double>'),
        ("true", XSD.boolean, "true"),
        ("false", XSD.boolean, "false"),
        ("1", XSD.boolean, '"1"^^<http://www.w3.org/2001/XMLSchema#boolean>'),
        ("5", XSD.int, '"5"^^<http://www.w3.org/2001/XMLSchema#int>'),
        ("1.5", XSD.float, '"1.5"^^<http://www.w3.org/2001/XMLSchema#float>'),
        ("x", XSD.string, '"x"'),
        ("٣", XSD.integer, '"٣"^^<http://www.w3.org/2001/XMLSchema#integer>'),
    ],
)
def test_tsv_writes_turtle_numbers_and_booleans_bare(lexical: str, datatype: URIRef, written: str) -> None:
    term = Literal(lexical, datatype=datatype, normalize=False)
    assert select_tsv(Result(["v"], [[term]])) == f"?v\n{written}\n"


def test_tsv_keeps_a_broken_iri_on_its_row() -> None:
    assert (
        select_tsv(Result(["v"], [[URIRef("http://e.org/a b\tc>")]])) == "?v\n<http://e.org/a\\u0020b\\u0009c\\u003E>\n"
    )


SMALL = Result(
    ["s", "o"],
    [
        [URIRef(PARTY + "p1"), Literal("社会党", lang="zh-Hans")],
        [BNode("b0"), Literal("1994", datatype=XSD.gYear)],
        [URIRef(KGO + "x"), None],
        [URIRef(KGO + "y"), Literal('a "q" & <b>\r')],
    ],
)


def test_json() -> None:
    assert select_json(SMALL) == (
        "{\n"
        ' "head": {\n'
        '  "vars": [\n'
        '   "s",\n'
        '   "o"\n'
        "  ]\n"
        " },\n"
        ' "results": {\n'
        '  "bindings": [\n'
        "   {\n"
        '    "s": {\n'
        '     "type": "uri",\n'
        '     "value": "https://kg.example.org/id/party/p1"\n'
        "    },\n"
        '    "o": {\n'
        '     "type": "literal",\n'
        '     "value": "社会党",\n'
        '     "xml:lang": "zh-Hans"\n'
        "    }\n"
        "   },\n"
        "   {\n"
        '    "s": {\n'
        '     "type": "bnode",\n'
        '     "value": "b0"\n'
        "    },\n"
        '    "o": {\n'
        '     "type": "literal",\n'
        '     "value": "1994",\n'
        '     "datatype": "http://www.w3.org/2001/XMLSchema#gYear"\n'
        "    }\n"
        "   },\n"
        "   {\n"
        '    "s": {\n'
        '     "type": "uri",\n'
        '     "value": "https://kg.example.org/ontology#x"\n'
        "    }\n"
        "   },\n"
        "   {\n"
        '    "s": {\n'
        '     "type": "uri",\n'
        '     "value": "https://kg.example.org/ontology#y"\n'
        "    },\n"
        '    "o": {\n'
        '     "type": "literal",\n'
        '     "value": "a \\"q\\" & <b>\\r"\n'
        "    }\n"
        "   }\n"
        "  ]\n"
        " }\n"
        "}\n"
    )


def test_json_writes_controls_as_escapes() -> None:
    document = select_json(Result(["v"], [[Literal("a\x01b")]]))
    assert '"value": "a\\u0001b"' in document
    assert json.loads(document)["results"]["bindings"][0]["v"]["value"] == "a\x01b"


def test_xml_document() -> None:
    assert select_xml(SMALL) == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'
        " <head>\n"
        '  <variable name="s"/>\n'
        '  <variable name="o"/>\n'
        " </head>\n"
        " <results>\n"
        "  <result>\n"
        '   <binding name="s"><uri>https://kg.example.org/id/party/p1</uri></binding>\n'
        '   <binding name="o"><literal xml:lang="zh-Hans">社会党</literal></binding>\n'
        "  </result>\n"
        "  <result>\n"
        '   <binding name="s"><bnode>b0</bnode></binding>\n'
        '   <binding name="o"><literal datatype="http://www.w3.org/2001/XMLSchema#gYear">1994</literal></binding>\n'
        "  </result>\n"
        "  <result>\n"
        '   <binding name="s"><uri>https://kg.example.org/ontology#x</uri></binding>\n'
        "  </result>\n"
        "  <result>\n"
        '   <binding name="s"><uri>https://kg.example.org/ontology#y</uri></binding>\n'
        '   <binding name="o"><literal>a "q" &amp; &lt;b&gt;&#13;</literal></binding>\n'
        "  </result>\n"
        " </results>\n"
        "</sparql>\n"
    )


def _xml_rows(document: str) -> tuple[list[str], list[dict[str, tuple[str, dict[str, str], str]]]]:
    root = ET.fromstring(document.encode("utf-8"))
    assert root.tag == SR + "sparql"
    head, results = list(root)
    assert (head.tag, results.tag) == (SR + "head", SR + "results")
    variables = [v.attrib["name"] for v in head]
    rows = []
    for result in results:
        assert result.tag == SR + "result"
        row = {}
        for binding in result:
            assert binding.tag == SR + "binding"
            (term,) = list(binding)
            row[binding.attrib["name"]] = (term.tag.removeprefix(SR), dict(term.attrib), term.text or "")
        rows.append(row)
    return variables, rows


def test_xml_parses_back() -> None:
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert _xml_rows(select_xml(RESULT)) == (
        ["party", "name", "joined", "note"],
        [
            {
                "party": ("uri", {}, "https://kg.example.org/id/party/p1"),
                "name": ("literal", {lang: "zh-Hans"}, "社会党"),
                "joined": ("literal", {"datatype": "http://www.w3.org/2001/XMLSchema#gYear"}, "1994"),
                "note": ("literal", {}, 'says "hi", then\nbye'),
            },
            {
                "party": ("bnode", {}, "b0"),
                "name": ("literal", {lang: "en"}, "Labour"),
                "joined": ("literal", {"datatype": "http://www.w3.org/2001/XMLSchema#integer"}, "3"),
            },
            {
                "party": ("uri", {}, "https://kg.example.org/ontology#Party"),
                "name": ("literal", {}, "tab\there"),
                "note": ("literal", {}, "back\\slash & <x>\r"),
            },
        ],
    )


def test_xml_refuses_what_xml_cannot_hold() -> None:
    with pytest.raises(UsageError, match="U\\+0001"):
        select_xml(Result(["v"], [[Literal("a\x01b")]]))


@pytest.mark.parametrize("answer", [True, False])
def test_ask(answer: bool) -> None:
    word = "true" if answer else "false"
    assert ask_text(answer) == f"{word}\n"
    assert ask_json(answer) == f'{{\n "head": {{}},\n "boolean": {word}\n}}\n'
    assert ask_xml(answer) == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'
        " <head/>\n"
        f" <boolean>{word}</boolean>\n"
        "</sparql>\n"
    )
    root = ET.fromstring(ask_xml(answer))
    assert [e.tag for e in root] == [SR + "head", SR + "boolean"]


@pytest.mark.parametrize("answer", [True, False])
def test_ask_as_oxigraph_writes_it(answer: bool) -> None:
    solutions = ox.Store().query(f"ASK {{ FILTER({'true' if answer else 'false'}) }}")
    assert isinstance(solutions, ox.QueryBoolean)
    theirs = solutions.serialize(format=ox.QueryResultsFormat.JSON)
    assert theirs is not None
    assert json.loads(ask_json(answer)) == json.loads(theirs)
    for written, fmt in [(ask_xml(answer), ox.QueryResultsFormat.XML), (ask_json(answer), ox.QueryResultsFormat.JSON)]:
        parsed = ox.parse_query_results(written.encode("utf-8"), format=fmt)
        assert isinstance(parsed, ox.QueryBoolean)
        assert bool(parsed) is answer


def test_table() -> None:
    result = Result(
        ["party", "name", "kind"],
        [
            [URIRef(PARTY + "sp"), Literal("社会党", lang="zh-Hans"), URIRef(KGO + "Party")],
            [URIRef("http://other.example/x"), Literal("Labour\nParty"), None],
            [BNode("b1"), Literal(3), URIRef(PARTY)],
            [URIRef(KGO + "a|b"), Literal("ＡＢ"), URIRef(KGO)],
        ],
    )
    prefixes = {"kg": "https://kg.example.org/", "party": PARTY, "kgo": KGO}
    lines = [
        "party" + " " * 34 + "name" + " " * 11 + "kind",
        "-" * 37 + "  " + "-" * 13 + "  " + "-" * 12,
        "party:sp" + " " * 31 + "社会党" + " " * 9 + "kgo:Party",
        "<http://other.example/x>" + " " * 15 + "Labour\\nParty",
        "_:b1" + " " * 35 + "3" + " " * 14 + "kg:id/party/",
        "<https://kg.example.org/ontology#a|b>  ＡＢ" + " " * 11 + "kg:ontology#",
        "(4 rows)",
    ]
    assert select_table(result, prefixes) == "\n".join(lines) + "\n"


def test_table_of_no_rows() -> None:
    assert select_table(Result(["名称"], []), {}) == "名称\n----\n(0 rows)\n"


def test_formats() -> None:
    assert RESULT_FORMATS == {
        "table": "text/plain",
        "csv": "text/csv",
        "tsv": "text/tab-separated-values",
        "json": "application/sparql-results+json",
        "xml": "application/sparql-results+xml",
    }


# ---------------------------------------------------------------- against Oxigraph's writers

EX = "https://kg.example.org/id/"
QUERIES = [
    f"SELECT ?s ?p ?o ?missing WHERE {{ ?s ?p ?o OPTIONAL {{ ?s <{EX}none> ?missing }} }} ORDER BY ?s ?p ?o",
    f"SELECT ?s ?name WHERE {{ ?s <{EX}name> ?name }} ORDER BY ?name",
    "SELECT ?x WHERE { FILTER(false) }",
    "SELECT * WHERE {}",
]


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    xsd = "http://www.w3.org/2001/XMLSchema#"
    party, other, group = ox.NamedNode(EX + "party/p1"), ox.NamedNode(EX + "party/p2"), ox.BlankNode("g1")

    def typed(value: str, datatype: str) -> ox.Literal:
        return ox.Literal(value, datatype=ox.NamedNode(xsd + datatype))

    facts: list[tuple[ox.NamedNode | ox.BlankNode, str, ox.NamedNode | ox.BlankNode | ox.Literal]] = [
        (party, "name", ox.Literal("社会党", language="zh-Hans")),
        (party, "name", ox.Literal("Socialist Party", language="en")),
        (party, "founded", typed("1994", "gYear")),
        (party, "seats", typed("42", "integer")),
        (party, "share", typed("1.5", "decimal")),
        (party, "whole", typed("2", "decimal")),
        (party, "ratio", typed("1.5", "double")),
        (party, "active", typed("true", "boolean")),
        (party, "note", ox.Literal('a, "quoted"\nvalue\twith\\ tab\r')),
        (party, "markup", ox.Literal("<b> & 'c' ]]>")),
        (party, "page", ox.NamedNode("https://zh.wikipedia.org/wiki/%E7%A4%BE?a=1&b=é")),
        (party, "group", group),
        (other, "name", ox.Literal("")),
        (group, "name", ox.Literal("group, one")),
    ]
    for subject, predicate, obj in facts:
        store.add(ox.Quad(subject, ox.NamedNode(EX + predicate), obj))
    return store


def _result(store: ox.Store, query: str) -> Result:
    solutions = store.query(query)
    assert isinstance(solutions, ox.QuerySolutions)
    columns = [v.value for v in solutions.variables]
    rows: list[list[Node | None]] = [
        [None if (term := solution[c]) is None else to_rdflib(term) for c in columns] for solution in solutions
    ]
    return Result(columns, rows)


def _oxigraph(store: ox.Store, query: str, fmt: ox.QueryResultsFormat) -> bytes:
    solutions = store.query(query)
    assert isinstance(solutions, ox.QuerySolutions)
    data = solutions.serialize(format=fmt)
    assert data is not None
    return data


def _solutions(data: bytes, fmt: ox.QueryResultsFormat) -> tuple[list[str], list[dict[str, str]]]:
    """Solutions as term strings, blank nodes renamed in the order they first appear."""
    parsed = ox.parse_query_results(data, format=fmt)
    assert isinstance(parsed, ox.QuerySolutions)
    variables = [v.value for v in parsed.variables]
    labels: dict[str, str] = {}
    rows = []
    for solution in parsed:
        row = {}
        for v in variables:
            term = solution[v]
            if isinstance(term, ox.BlankNode):
                row[v] = labels.setdefault(term.value, f"_:b{len(labels)}")
            elif term is not None:
                row[v] = str(term)
        rows.append(row)
    return variables, rows


@pytest.mark.parametrize("query", QUERIES)
def test_csv_is_oxigraphs(store: ox.Store, query: str) -> None:
    assert select_csv(_result(store, query)).encode("utf-8") == _oxigraph(store, query, ox.QueryResultsFormat.CSV)


@pytest.mark.parametrize("query", QUERIES)
def test_tsv_is_oxigraphs(store: ox.Store, query: str) -> None:
    """Oxigraph writes language tags lower-cased, the store gives them in BCP 47 case: otherwise
    the same bytes, Turtle-style bare numbers and booleans included."""
    ours = select_tsv(_result(store, query)).encode("utf-8")
    theirs = _oxigraph(store, query, ox.QueryResultsFormat.TSV)
    assert ours.replace(b"@zh-Hans", b"@zh-hans") == theirs
    assert _solutions(ours, ox.QueryResultsFormat.TSV) == _solutions(theirs, ox.QueryResultsFormat.TSV)


@pytest.mark.parametrize("fmt", [ox.QueryResultsFormat.XML, ox.QueryResultsFormat.JSON])
@pytest.mark.parametrize("query", QUERIES)
def test_xml_and_json_read_as_oxigraphs(store: ox.Store, query: str, fmt: ox.QueryResultsFormat) -> None:
    write = select_xml if fmt == ox.QueryResultsFormat.XML else select_json
    ours = write(_result(store, query)).encode("utf-8")
    theirs = _oxigraph(store, query, fmt)
    assert _solutions(ours, fmt) == _solutions(theirs, fmt)
    if fmt == ox.QueryResultsFormat.JSON:
        assert json.loads(ours.replace(b'"zh-Hans"', b'"zh-hans"')) == json.loads(theirs)


def test_oxigraph_sample_has_what_it_should(store: ox.Store) -> None:
    """The cross-checks above see every kind of term, an unbound variable and the bare forms."""
    tsv = select_tsv(_result(store, QUERIES[0]))
    for part in (
        "_:g1",
        '"社会党"@zh-Hans',
        "^^<http://www.w3.org/2001/XMLSchema#gYear>",
        "\t42\t",
        "\t1.5\t",
        "\ttrue\t",
    ):
        assert part in tsv
    assert '"2"^^<http://www.w3.org/2001/XMLSchema#decimal>' in tsv
    assert '"1.5"^^<http://www.w3.org/2001/XMLSchema#double>' in tsv
    assert all(line.endswith("\t") for line in tsv.splitlines()[1:])
