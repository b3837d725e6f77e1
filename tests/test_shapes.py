"""Each SHACL shape catches a graph made to break it; the seed graph conforms."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rdflib import Graph, Literal, URIRef

from kg.resources import shapes
from kg.shacl_jobs import SH, TARGETS, shape_jobs
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


def _results(graph: Graph, shapes_graph: Graph) -> set[tuple[str, ...]]:
    import pyshacl  # noqa: PLC0415 - as kg.validate imports it

    _, report, _ = pyshacl.validate(graph, shacl_graph=shapes_graph, inference="none")
    assert isinstance(report, Graph)
    keys = ("focusNode", "resultPath", "value", "resultMessage", "sourceShape", "resultSeverity")
    return {
        tuple(str(report.value(result, URIRef(SH + key))) for key in keys)
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


@pytest.mark.parametrize(("name", "change"), [("none", lambda graph: None), *[b[:2] for b in BREAKS]])
def test_validating_in_two_processes_gives_the_results_of_one(
    seed_graph: Graph, name: str, change: Callable[[Graph], None]
) -> None:
    graph = _changed(seed_graph, change)
    alone, two = validate(graph, in_two_processes=False), validate(graph, in_two_processes=True)
    assert (two.conforms, two.violations) == (alone.conforms, alone.violations), name
    assert len(two.report) == len(alone.report)
    reports = list(two.report.subjects(RDF.type, URIRef(SH + "ValidationReport")))
    assert len(reports) == 1
    assert two.report.value(reports[0], URIRef(SH + "conforms")).toPython() is alone.conforms  # type: ignore[union-attr]


def test_each_job_targets_one_shape_and_the_jobs_all_of_them(seed_graph: Graph) -> None:
    written = hoisted(shapes())
    jobs = shape_jobs(seed_graph, written)
    assert jobs is not None
    targets = [{(s, t, o) for t in TARGETS for s, o in job.subject_objects(t)} for job in jobs]
    assert all(len({s for s, _, _ in job}) == 1 for job in targets)
    assert set().union(*targets) == {(s, t, o) for t in TARGETS for s, o in written.subject_objects(t)}
    assert len(jobs) == len({s for job in targets for s, _, _ in job})
