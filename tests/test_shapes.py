"""Each SHACL shape catches a graph made to break it; the seed graph conforms."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rdflib import BNode, Graph, Literal, URIRef

from kg import shacl_jobs
from kg import validate as validate_module
from kg.resources import shapes
from kg.shacl_jobs import SH, Reach, plan
from kg.validate import hoisted, validate
from kg.vocab import DCTERMS, KGO, ORG, PROV, RDF, SDO, SKOS, TIME, XSD

ID = "https://kg.example.org/id/"
ATTENDANCE = URIRef(ID + "international/ICMLPO/conference/10/attendance/icmlpo-t1-r2")
CONFERENCE = URIRef(ID + "international/ICMLPO/conference/10")
MEMBERSHIP = URIRef(ID + "international/ICOR/membership/icor-t1-r3")
PARTY = URIRef(ID + "party/阿富汗马列主义组织")
INTERNATIONAL = URIRef(ID + "international/ICOR")
END = URIRef(ID + "international/CIPOML/membership/cipoml-t3-r3/end")
LOCATION = URIRef(ID + "source/icmlpo.wiki#L12C27")


def _set(node: URIRef, predicate: URIRef, value: URIRef | Literal | None) -> Callable[[Graph], None]:
    def change(graph: Graph) -> None:
        graph.remove((node, predicate, None))
        if value is not None:
            graph.add((node, predicate, value))

    return change


def _add(node: URIRef, predicate: URIRef, value: URIRef | Literal) -> Callable[[Graph], None]:
    return lambda graph: graph.add((node, predicate, value)) and None


BREAKS = [
    ("party without label", _set(PARTY, SKOS.prefLabel, None), "a party needs exactly one zh-Hans skos:prefLabel"),
    (
        "party with two labels",
        _add(PARTY, SKOS.prefLabel, Literal("另一个名字", lang="zh-Hans")),
        "a party needs exactly one zh-Hans skos:prefLabel",
    ),
    (
        "international label in English only",
        _set(INTERNATIONAL, SKOS.prefLabel, Literal("ICOR", lang="en")),
        "an international needs exactly one zh-Hans skos:prefLabel",
    ),
    (
        "attendance with two attendees",
        _add(ATTENDANCE, SDO.attendee, URIRef(ID + "party/菲律宾共产党")),
        "an attendance needs exactly one attendee, a party or a delegation",
    ),
    (
        "attendee that is not a party",
        _set(ATTENDANCE, SDO.attendee, CONFERENCE),
        "an attendance needs exactly one attendee, a party or a delegation",
    ),
    (
        "attendance without conference",
        _set(ATTENDANCE, KGO.conference, None),
        "an attendance needs exactly one conference",
    ),
    (
        "attendance without source",
        _set(ATTENDANCE, PROV.wasDerivedFrom, None),
        "an attendance needs its source location",
    ),
    (
        "conference ordinal not a positive integer",
        _set(CONFERENCE, KGO.ordinal, Literal(0, datatype=XSD.integer)),
        "a conference has at most one ordinal, a positive integer",
    ),
    (
        "conference year as a string",
        _set(CONFERENCE, SDO.startDate, Literal("2011")),
        "a conference has at most one date: an xsd:gYear, xsd:gYearMonth or xsd:date",
    ),
    (
        "conference of no kind",
        _set(CONFERENCE, KGO.conferenceKind, None),
        "a conference is exactly one of regular, founding or preparatory",
    ),
    (
        "membership with an unknown role",
        _set(MEMBERSHIP, ORG.role, URIRef(ID + "role/chair")),
        "a membership needs exactly one role, an org:Role",
    ),
    ("membership without member", _set(MEMBERSHIP, ORG.member, None), "a membership needs exactly one member party"),
    (
        "join year as a string",
        _set(URIRef(f"{MEMBERSHIP}/joined"), TIME.inXSDgYear, Literal("2010")),
        "a join or end year must be an xsd:gYear",
    ),
    (
        "join year after the article was retrieved",
        _set(URIRef(f"{MEMBERSHIP}/joined"), TIME.inXSDgYear, Literal("2031", datatype=XSD.gYear)),
        "later than the date the article was retrieved",
    ),
    ("end event without kind", _set(END, KGO.endEventKind, None), "an end event needs exactly one kind"),
    (
        "end event of an unknown kind",
        _set(END, KGO.endEventKind, KGO.MemberRole),
        "an end event needs exactly one kind",
    ),
    (
        "country without ISO code",
        _set(URIRef(ID + "country/AF"), SKOS.notation, Literal("Afghanistan")),
        "a place needs one code: ISO 3166",
    ),
    (
        "country outside any scheme",
        _set(URIRef(ID + "country/AF"), SKOS.inScheme, None),
        "a place concept belongs to a concept scheme",
    ),
    ("source location without line", _set(LOCATION, KGO.line, None), "a source location needs its line"),
    (
        "source location without article",
        _set(LOCATION, KGO.inArticle, None),
        "a source location lies in exactly one article",
    ),
]


def test_seed_graph_conforms(seed_graph: Graph) -> None:
    validation = validate(seed_graph)
    assert validation.conforms, validation.violations[:3]


@pytest.mark.parametrize(("name", "change", "message"), BREAKS, ids=[b[0] for b in BREAKS])
def test_shape_catches(seed_graph: Graph, name: str, change: Callable[[Graph], None], message: str) -> None:
    graph = Graph()
    graph += seed_graph
    change(graph)
    validation = validate(graph)
    assert not validation.conforms, name
    assert any(message in v.message for v in validation.violations), [v.message for v in validation.violations]


def test_violation_points_at_the_source_row(seed_graph: Graph) -> None:
    graph = Graph()
    graph += seed_graph
    _set(ATTENDANCE, KGO.conference, None)(graph)
    (violation,) = validate(graph).violations
    assert violation.source == "icmlpo.wiki:12:27"
    assert violation.label == "阿富汗马列主义组织"


def test_article_date_is_what_the_year_rule_compares_with(seed_graph: Graph) -> None:
    graph = Graph()
    graph += seed_graph
    _set(URIRef(ID + "source/icor.md"), DCTERMS.date, Literal("2011-12-31", datatype=XSD.date))(graph)
    late = {str(graph.value(URIRef(v.value), KGO.listedAs)) for v in validate(graph).violations}
    # icor.md, join years after 2011 (lines 69 … 346 of the article)
    assert late == {
        "尼泊尔共产党（统一）",
        "新民主马列主义党",
        "保加利亚共产党 (1990年)",
        "里昂共产主义团结",
        "马列主义无产阶级联盟",
        "匈牙利青年共同体组织",
        "俄罗斯毛主义党",
        "马列主义党（共产主义重建）",
        "苏格兰马列主义倾向",
        "埃及革命共产党",
        "多哥共产党",
        "社会主义民主爱国党",
        "社会主义纲领“转舵”",
    }


def _changed(seed_graph: Graph, change: Callable[[Graph], None]) -> Graph:
    """A copy of the seed graph, changed."""
    graph = Graph()
    graph += seed_graph
    change(graph)
    return graph


def _written(value: object) -> str:
    """A result's value as text; a blank node (a path copied into the report) as "_"."""
    return "_" if isinstance(value, BNode) else str(value)


def _results(graph: Graph, shapes_graph: Graph) -> set[tuple[str, ...]]:
    import pyshacl  # noqa: PLC0415 - as kg.validate imports it

    _, report, _ = pyshacl.validate(graph, shacl_graph=shapes_graph, inference="none")
    assert isinstance(report, Graph)
    keys = ("focusNode", "resultPath", "value", "resultMessage", "sourceShape", "resultSeverity")
    return {
        tuple(_written(report.value(result, URIRef(SH + key))) for key in keys)
        for result in report.subjects(URIRef(SH + "focusNode"), None)
    }


@pytest.mark.parametrize(("name", "change"), [b[:2] for b in BREAKS], ids=[b[0] for b in BREAKS])
def test_hoisted_shapes_give_the_results_the_shapes_as_written_give(
    seed_graph: Graph, name: str, change: Callable[[Graph], None]
) -> None:
    graph = _changed(seed_graph, change)
    written = _results(graph, shapes())
    assert written, name
    assert _results(graph, hoisted(shapes())) == written


def test_hoisting_gives_each_property_shape_its_node_shapes_targets() -> None:
    written, hoisted_shapes = shapes(), hoisted(shapes())
    properties = set(written.objects(None, URIRef(SH + "property")))
    assert properties
    assert not set(hoisted_shapes.objects(None, URIRef(SH + "property")))
    for node, _, prop in written.triples((None, URIRef(SH + "property"), None)):
        targets = {(p, o) for p, o in written.predicate_objects(node) if str(p).startswith(SH + "target")}
        assert targets
        assert targets <= set(hoisted_shapes.predicate_objects(prop))


def _report_results(report: Graph) -> set[tuple[str, ...]]:
    keys = ("focusNode", "resultPath", "value", "resultMessage", "sourceShape", "resultSeverity")
    return {
        tuple(_written(report.value(result, URIRef(SH + key))) for key in keys)
        for result in report.subjects(URIRef(SH + "focusNode"), None)
    }


@pytest.mark.parametrize(("name", "change"), [("none", lambda graph: None), *[b[:2] for b in BREAKS]])
def test_validating_in_parts_gives_the_results_of_one_run(
    seed_graph: Graph, name: str, change: Callable[[Graph], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    graph = _changed(seed_graph, change)
    one_run = _results(graph, hoisted(shapes()))
    monkeypatch.setattr(shacl_jobs, "PART_SIZE", 37)  # the seeds' 808 focus nodes in 22 parts
    alone, two = validate(graph, in_two_processes=False), validate(graph, in_two_processes=True)
    assert _report_results(alone.report) == one_run, name
    assert (two.conforms, two.violations) == (alone.conforms, alone.violations) == (not one_run, alone.violations)
    assert _report_results(two.report) == one_run
    reports = list(two.report.subjects(RDF.type, URIRef(SH + "ValidationReport")))
    assert len(reports) == 1
    assert two.report.value(reports[0], URIRef(SH + "conforms")).toPython() is alone.conforms  # type: ignore[union-attr]


def test_the_seed_shapes_are_validated_in_parts() -> None:
    found = plan(hoisted(shapes()))
    assert found is not None
    date_shape = URIRef("https://kg.example.org/shapes#ArticleDateShape")
    assert set(found.queried) == {date_shape}
    assert found.queried[date_shape] == {
        DCTERMS.date, KGO.inArticle, PROV.wasDerivedFrom, ORG.memberDuring, TIME.hasBeginning, TIME.hasEnd,
        TIME.inXSDgYear,
    }  # fmt: skip
    # the longest path: org:memberDuring / (time:hasBeginning | time:hasEnd) / time:inXSDgYear
    years = Reach(steps=((TIME.inXSDgYear, Reach()),))
    during = Reach(steps=((TIME.hasBeginning, years), (TIME.hasEnd, years)))
    assert Reach(steps=((ORG.memberDuring, during),)) in found.reaches.values()


SHAPES_HEAD = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
"""


P, Q, R = (URIRef("http://example.org/" + name) for name in "pqr")
EVERYTHING, TYPES = Reach(everything=True), Reach(types=True)


@pytest.mark.parametrize(
    ("shape", "reach"),
    [
        ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:class ex:C .", TYPES),
        ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true .", EVERYTHING),
        (
            "ex:S a sh:PropertyShape ; sh:targetClass ex:C ; sh:path ex:p ; sh:minCount 1 .",
            Reach(steps=((P, Reach()),)),
        ),
        ("ex:S a sh:PropertyShape ; sh:targetClass ex:C ; sh:path ex:p ; sh:class ex:D .", Reach(steps=((P, TYPES),))),
        (
            "ex:S a sh:PropertyShape ; sh:targetClass ex:C ; sh:path ( ex:p ex:q ) ; sh:class ex:D .",
            Reach(steps=((P, Reach(steps=((Q, TYPES),))),)),
        ),
        (
            "ex:S a sh:PropertyShape ; sh:targetClass ex:C ; sh:path [ sh:alternativePath ( ex:p ( ex:q ex:r ) ) ] .",
            Reach(steps=((P, Reach()), (Q, Reach(steps=((R, Reach()),))))),
        ),
        (
            "ex:S a sh:PropertyShape ; sh:targetClass ex:C ; sh:path [ sh:zeroOrOnePath ex:p ] ; sh:class ex:D .",
            Reach(types=True, steps=((P, TYPES),)),
        ),
        (
            "ex:S a sh:PropertyShape ; sh:targetClass ex:C ; sh:path ex:p ; sh:equals ex:q .",
            Reach(steps=((P, Reach()), (Q, Reach()))),
        ),
        (
            "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:node ex:T ] ."
            " ex:T a sh:NodeShape ; sh:property [ sh:path ex:q ; sh:class ex:D ] .",
            Reach(steps=((P, Reach(steps=((Q, TYPES),))),)),
        ),
        (
            "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:or ( [ sh:path ex:p ; sh:minCount 1 ] [ sh:class ex:D ] ) .",
            Reach(types=True, steps=((P, Reach()),)),
        ),
        (
            "ex:S a sh:NodeShape ; sh:targetClass ex:C ;"
            " sh:sparql [ sh:select 'SELECT $this WHERE { $this <http://example.org/p> ?o }' ] .",
            "no parts",  # a shape of SPARQL constraints alone, validated on the triples of ex:p
        ),
    ],
)
def test_what_a_part_holds_for_a_shape(shape: str, reach: Reach | str) -> None:
    found = plan(Graph().parse(data=SHAPES_HEAD + shape, format="turtle"))
    assert found is not None
    assert found.reaches.get(URIRef("http://example.org/S"), "no parts") == reach


@pytest.mark.parametrize(
    "shape",
    [
        "ex:S a sh:PropertyShape ; sh:targetClass ex:C ; sh:path [ sh:inversePath ex:p ] .",
        "ex:S a sh:PropertyShape ; sh:targetClass ex:C ; sh:path [ sh:zeroOrMorePath ex:p ] .",
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:node ex:S ] .",
        "ex:S a sh:NodeShape, rdfs:Class ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .",
        "ex:S a sh:NodeShape ; sh:targetNode [ ] ; sh:class ex:C .",
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:select 'SELECT $this WHERE { $this ?p ?o }' ] .",
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:class ex:D ;"
        " sh:sparql [ sh:select 'SELECT $this WHERE { $this <http://example.org/p> ?o }' ] .",
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:node ex:T ] ."
        " ex:T a sh:NodeShape ; sh:sparql [ sh:select 'SELECT $this WHERE { $this <http://example.org/q> ?o }' ] .",
        "ex:S a sh:NodeShape ; sh:target [ a ex:SomeTarget ] ; sh:class ex:C .",
    ],
)
def test_shapes_a_part_cannot_hold_are_validated_in_one_run(shape: str) -> None:
    assert plan(Graph().parse(data=SHAPES_HEAD + shape, format="turtle")) is None


EX = "http://example.org/"
DATA = f"""
<{EX}a> a <{EX}C> ; <{EX}p> <{EX}b> . <{EX}b> a <{EX}E> ; <{EX}q> <{EX}c> .
<{EX}c> a <{EX}F> . <{EX}x> a <{EX}C> ; <{EX}p> <{EX}a> .
<{EX}E> <http://www.w3.org/2000/01/rdf-schema#subClassOf> <{EX}D> .
"""


@pytest.mark.parametrize(
    "shape",
    [
        "ex:S a sh:PropertyShape ; sh:targetClass ex:C ; sh:path ex:p ; sh:class ex:D .",
        "ex:S a sh:PropertyShape ; sh:targetClass ex:C ; sh:path ( ex:p ex:q ) ; sh:class ex:D .",
        "ex:S a sh:PropertyShape ; sh:targetClass ex:D ; sh:path ex:p ; sh:minCount 1 .",  # ex:b, an ex:E
        "ex:S a sh:PropertyShape ; sh:targetObjectsOf ex:p ; sh:path ex:q ; sh:minCount 1 ; sh:class ex:F .",
        "ex:S a sh:PropertyShape ; sh:targetSubjectsOf ex:q ; sh:path ex:q ; sh:class ex:C .",
        "ex:S a sh:PropertyShape ; sh:targetNode ex:c, ex:nowhere ; sh:path ex:q ; sh:minCount 1 .",
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:node ex:T ] ."
        " ex:T a sh:NodeShape ; sh:property [ sh:path ex:q ; sh:class ex:C ] .",
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:message 'to {?o}' ;"
        " sh:select 'SELECT $this ?o WHERE { $this <http://example.org/p>/<http://example.org/q> ?o }' ] .",
        "ex:S a sh:PropertyShape ; sh:targetClass ex:C ; sh:path [ sh:inversePath ex:p ] ; sh:maxCount 0 .",
        "ex:S a sh:PropertyShape ; sh:targetClass ex:C ; sh:path [ sh:zeroOrOnePath ex:p ] ; sh:class ex:E .",
        "ex:S a sh:PropertyShape ; sh:targetClass ex:C ; sh:path ex:p ; sh:disjoint ex:p .",
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true ; sh:ignoredProperties ( rdf:type ) .",
        "ex:S a sh:PropertyShape ; sh:targetClass ex:C ; sh:path ex:p ; sh:or ( [ sh:class ex:F ] [ sh:class ex:C ] ) .",
        "ex:S a sh:PropertyShape ; sh:targetClass ex:C ; sh:path ex:p ; sh:node [ sh:closed true ] .",
    ],
)
def test_parts_of_one_node_give_the_results_of_one_run(shape: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each focus node in a part of its own: what a shape reads beyond it must be in its part."""
    shapes_graph, graph = Graph().parse(data=SHAPES_HEAD + shape, format="turtle"), Graph().parse(data=DATA)
    monkeypatch.setattr(shacl_jobs, "PART_SIZE", 1)
    one_run = _results(graph, shapes_graph)
    assert one_run, shape  # each shape is broken by some node of the data
    monkeypatch.setattr(validate_module, "shapes", lambda: shapes_graph)
    assert _report_results(validate(graph, in_two_processes=False).report) == one_run


def test_a_graph_with_blank_nodes_is_validated_in_one_run(seed_graph: Graph) -> None:
    """A part names its focus nodes as sh:targetNode, which cannot name a blank node."""
    graph = _changed(seed_graph, _set(PARTY, SKOS.prefLabel, None))
    row = BNode()
    graph.add((row, RDF.type, ORG.Membership))  # an unnamed membership: no member, role or source
    one_run = _results(graph, hoisted(shapes()))
    assert {result[0] for result in one_run} >= {str(PARTY), "_"}  # "_": the blank node
    assert _report_results(validate(graph, in_two_processes=False).report) == one_run
