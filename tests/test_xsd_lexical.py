"""The literal checker of tests/xsd_lexical.py, on hand-written lexical forms and files."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.xsd_lexical import LANG_STRING, XSD, days_in_month, invalid_literals, literal_problem

GOOD = {
    "string": ["", "国际共产主义联络会议", "tab\tand\nnewline", "😀"],
    "integer": ["0", "+5", "-5", "007", "-0", "123456789012345678901234567890"],
    "positiveInteger": ["1", "+5", "007", "123456789012345678901234567890"],
    "nonNegativeInteger": ["0", "-0", "+0", "5"],
    "decimal": ["1", "1.", ".5", "-1.50", "+0.0", "007.700"],
    "boolean": ["true", "false", "1", "0"],
    "date": [
        "2012-02-29",
        "2000-02-29",
        "2011-12-31",
        "2011-04-30",
        "2011-02-28Z",
        "2011-02-28+14:00",
        "2011-02-28-05:30",
        "-0044-03-15",
        "0000-02-29",  # XSD 1.1: year 0 is 1 BCE, a leap year
        "12011-01-01",
    ],
    "gYear": ["1994", "0000", "-0001", "12345", "1994Z", "1994-05:00"],
    "gYearMonth": ["1994-12", "1994-01", "1994-01Z", "-0001-06"],
    "dateTime": [
        "2011-02-28T12:30:00",
        "2011-02-28T24:00:00",
        "2011-02-28T23:59:59.999Z",
        "2012-02-29T00:00:00+05:30",
    ],
    "anyURI": ["https://kg.example.org/ontology#", "", "relative/path", "a b"],
}

BAD = {
    "string": [("\x00", "U+0000"), ("\x0b", "U+000B"), ("a\ufffeb", "U+FFFE")],
    "integer": [
        (" 5", "not an integer"),
        ("5 ", "not an integer"),
        ("", "not an integer"),
        ("+", "not an integer"),
        ("1.0", "not an integer"),
        ("1e3", "not an integer"),
        ("５", "not an integer"),  # a full-width digit
        ("٣", "not an integer"),  # an Arabic-Indic digit
    ],
    "positiveInteger": [
        ("0", "not > 0"),
        ("-1", "not > 0"),
        ("+0", "not > 0"),
        ("-0", "not > 0"),
        ("00", "not > 0"),
        ("x", "not an integer"),
    ],
    "nonNegativeInteger": [("-1", "not >= 0"), ("1.5", "not an integer")],
    "decimal": [(".", "not a decimal"), ("1.2.3", "not a decimal"), ("1e5", "not a decimal"), (" 1", "not a decimal")],
    "boolean": [("yes", "not a boolean"), ("True", "not a boolean"), (" true", "not a boolean"), ("", "not a boolean")],
    "date": [
        ("2011-02-30", "day 30 does not exist in 2011-02"),
        ("2011-02-29", "day 29 does not exist in 2011-02"),
        ("1900-02-29", "day 29 does not exist in 1900-02"),
        ("2011-04-31", "day 31 does not exist in 2011-04"),
        ("2011-13-01", "not an xsd:date"),
        ("2011-00-10", "not an xsd:date"),
        ("2011-01-00", "not an xsd:date"),
        ("2011-1-5", "not an xsd:date"),
        ("11-01-01", "not an xsd:date"),
        ("02011-01-01", "not an xsd:date"),
        ("2011-02-28+14:01", "not an xsd:date"),
        ("2011-02-28+15:00", "not an xsd:date"),
        ("2011-02-28 ", "not an xsd:date"),
        ("2011-02-28T00:00:00", "not an xsd:date"),
    ],
    "gYear": [
        ("94", "not an xsd:gYear"),
        ("01994", "not an xsd:gYear"),
        ("1994-01", "not an xsd:gYear"),
        ("+1994", "not an xsd:gYear"),
        ("１９９４", "not an xsd:gYear"),
        ("", "not an xsd:gYear"),
    ],
    "gYearMonth": [
        ("1994-13", "not an xsd:gYearMonth"),
        ("1994-00", "not an xsd:gYearMonth"),
        ("1994-1", "not an xsd:gYearMonth"),
        ("1994", "not an xsd:gYearMonth"),
    ],
    "dateTime": [
        ("2011-02-28T24:00:01", "not an xsd:dateTime"),
        ("2011-02-28T25:00:00", "not an xsd:dateTime"),
        ("2011-02-28T12:60:00", "not an xsd:dateTime"),
        ("2011-02-28T12:30", "not an xsd:dateTime"),
        ("2011-02-28 12:30:00", "not an xsd:dateTime"),
        ("2011-02-30T00:00:00", "day 30 does not exist in 2011-02"),
    ],
    "anyURI": [(" https://x.org/", "not whitespace-collapsed"), ("https://x.org/\n", "not whitespace-collapsed")],
}

GOOD_TAGS = [
    "zh",
    "zh-Hans",
    "zh-hans-cn",
    "ZH-HANT-TW",
    "es-419",
    "de-CH-1901",
    "sl-rozaj-biske",
    "zh-yue-HK",
    "en-a-bbb-x-a-ccc",
    "qaa-Qaaa-QM-x-southern",
    "x-private",
    "en-GB-oed",
    "i-klingon",
    "sgn-BE-FR",
    "zh-min-nan",
]
BAD_TAGS = ["", "a", "zh_Hans", "abcdefghi", "en-", "-en", "en--GB", "1en", "en-a", "en-GB-x", "zh-Hans-", "en GB"]


def _cases(table: dict[str, list[str]]) -> list[tuple[str, str]]:
    return [(name, text) for name, texts in table.items() for text in texts]


@pytest.mark.parametrize(("name", "text"), _cases(GOOD))
def test_good_lexical_forms(name: str, text: str) -> None:
    assert literal_problem(text, XSD + name) is None


@pytest.mark.parametrize(
    ("name", "text", "reason"), [(name, text, reason) for name, rows in BAD.items() for text, reason in rows]
)
def test_bad_lexical_forms(name: str, text: str, reason: str) -> None:
    problem = literal_problem(text, XSD + name)
    assert problem is not None
    assert reason in problem


@pytest.mark.parametrize("tag", GOOD_TAGS)
def test_well_formed_language_tags(tag: str) -> None:
    assert literal_problem("名称", LANG_STRING, tag) is None


@pytest.mark.parametrize("tag", BAD_TAGS)
def test_malformed_language_tags(tag: str) -> None:
    problem = literal_problem("名称", LANG_STRING, tag)
    expected = "rdf:langString without a language tag" if tag == "" else f"'{tag}' is not a well-formed BCP 47 tag"
    assert problem == expected


def test_a_lang_string_must_still_be_xml_characters() -> None:
    assert literal_problem("a\x01", LANG_STRING, "zh") == "character U+0001 is not an XML character"


def test_an_unknown_datatype_is_reported_not_accepted() -> None:
    assert literal_problem("1.5", XSD + "double") == f"unknown datatype <{XSD}double>: not checked"
    assert (
        literal_problem("x", "https://example.org/myType")
        == "unknown datatype <https://example.org/myType>: not checked"
    )


def test_days_in_month_with_leap_years() -> None:
    assert [days_in_month(2011, m) for m in range(1, 13)] == [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    assert (days_in_month(2012, 2), days_in_month(1900, 2), days_in_month(2000, 2)) == (29, 28, 29)
    assert (days_in_month(0, 2), days_in_month(-1, 2), days_in_month(-4, 2), days_in_month(-100, 2)) == (29, 28, 29, 28)


# ---------------------------------------------------------------- files

S, ROW, DAY, NUMBER = "http://ex.org/s", "http://ex.org/row", "http://ex.org/day", "http://ex.org/number"
EXPECTED = [
    f'<{S}> <{DAY}> "2011-02-30"^^xsd:date: day 30 does not exist in 2011-02',
    f'<{S}> <{NUMBER}> "1.5E0"^^xsd:double: unknown datatype <{XSD}double>: not checked',
    f'<{S}> <{ROW}> "0"^^xsd:positiveInteger: not > 0',
]
GOOD_TRIPLES = f'<{S}> <{ROW}> "3"^^<{XSD}positiveInteger> .\n<{S}> <http://ex.org/label> "名称"@zh-Hans .\n'
BAD_TRIPLES = (
    f'<{S}> <{ROW}> "0"^^<{XSD}positiveInteger> .\n'
    f'<{S}> <{DAY}> "2011-02-30"^^<{XSD}date> .\n'
    f'<{S}> <{NUMBER}> "1.5E0"^^<{XSD}double> .\n'
)
DOCUMENTS = {
    ".nt": GOOD_TRIPLES + BAD_TRIPLES,
    ".ttl": f"@prefix xsd: <{XSD}> .\n"
    f'<{S}> <{ROW}> "0"^^xsd:positiveInteger , 3 ; <{DAY}> "2011-02-30"^^xsd:date , "2012-02-29"^^xsd:date ;\n'
    f'    <{NUMBER}> 1.5E0 , 1.5 ; <http://ex.org/label> "名称"@zh-Hans , "true"^^xsd:boolean .\n',
    ".trig": "{\n" + GOOD_TRIPLES + BAD_TRIPLES + "}\n",
    ".jsonld": f"""{{"@id": "{S}",
        "{ROW}": [{{"@value": "0", "@type": "{XSD}positiveInteger"}}, {{"@value": "3", "@type": "{XSD}positiveInteger"}}],
        "{DAY}": {{"@value": "2011-02-30", "@type": "{XSD}date"}},
        "{NUMBER}": {{"@value": "1.5E0", "@type": "{XSD}double"}},
        "http://ex.org/label": {{"@value": "名称", "@language": "zh-Hans"}}}}""",
    ".rdf": f"""<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://ex.org/">
  <rdf:Description rdf:about="{S}">
    <ex:row rdf:datatype="{XSD}positiveInteger">0</ex:row>
    <ex:row rdf:datatype="{XSD}positiveInteger">3</ex:row>
    <ex:day rdf:datatype="{XSD}date">2011-02-30</ex:day>
    <ex:number rdf:datatype="{XSD}double">1.5E0</ex:number>
    <ex:label xml:lang="zh-Hans">名称</ex:label>
  </rdf:Description>
</rdf:RDF>
""",
}


@pytest.mark.parametrize("suffix", list(DOCUMENTS))
def test_each_format_reports_the_same_problems(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"graph{suffix}"
    path.write_text(DOCUMENTS[suffix], encoding="utf-8")
    assert invalid_literals(path) == EXPECTED


def test_n_quads_name_the_graph(tmp_path: Path) -> None:
    path = tmp_path / "graph.nq"
    path.write_text(f'<{S}> <{ROW}> "0"^^<{XSD}positiveInteger> <http://ex.org/g> .\n', encoding="utf-8")
    assert invalid_literals(path) == [f'<{S}> <{ROW}> "0"^^xsd:positiveInteger <http://ex.org/g>: not > 0']


def test_a_file_of_good_literals_has_no_problems(tmp_path: Path) -> None:
    path = tmp_path / "good.nt"
    path.write_text(GOOD_TRIPLES, encoding="utf-8")
    assert invalid_literals(path) == []


def test_a_malformed_language_tag_in_a_file(tmp_path: Path) -> None:
    path = tmp_path / "tags.nt"
    path.write_text(f'<{S}> <http://ex.org/label> "名称"@abcdefghi .\n', encoding="utf-8")
    assert invalid_literals(path) == [
        f"<{S}> <http://ex.org/label> \"名称\"@abcdefghi: 'abcdefghi' is not a well-formed BCP 47 tag"
    ]


def test_escapes_show_in_the_problem(tmp_path: Path) -> None:
    path = tmp_path / "escaped.nt"
    path.write_text(f'_:b <{ROW}> "a \\"quoted\\"\\n row"^^<{XSD}integer> .\n', encoding="utf-8")
    [problem] = invalid_literals(path)
    assert problem.endswith(
        f'<{ROW}> "a \\"quoted\\"\\n row"^^xsd:integer: not an integer (an optional sign and decimal digits)'
    )
    assert problem.startswith("_:")


def test_a_file_that_does_not_parse_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text("<http://ex.org/s> <http://ex.org/p> .\n", encoding="utf-8")
    [problem] = invalid_literals(path)
    assert problem.startswith(f"{path}: does not parse:")


def test_an_unknown_suffix_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "graph.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(ValueError, match=r"no RDF format for the suffix '\.csv'"):
        invalid_literals(path)
