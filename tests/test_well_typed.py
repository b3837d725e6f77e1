"""Every literal kg writes is valid for its datatype, and the shapes constrain the datatype of
every literal property the ontology defines.

The graph is built once from seeds/ and tests/articles/, exported in every RDF format and
reasoned over, and each file is read back by an independent checker (tests/xsd_lexical.py:
pyoxigraph and XML Schema 1.1 Part 2, no kg code).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import Node

from kg.cli import main
from kg.formats import RDF_FORMATS
from kg.validate import validate
from kg.vocab import KGO, SDO
from tests.expectations import ROOT
from tests.xsd_lexical import invalid_literals, rdf_format

EXPORTS = [f"export{f.suffixes[0]}" for f in RDF_FORMATS]
WITH_INFERRED = ["with-inferred.trig", "with-inferred.nq"]
FILES = ["kg.ttl", "kg.jsonld", "inferred.ttl", *EXPORTS, *WITH_INFERRED]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """seeds/ and tests/articles/ built, reasoned over and exported in every format."""
    out = tmp_path_factory.mktemp("well-typed")
    assert main(["build", str(ROOT / "seeds"), str(ROOT / "tests" / "articles"), "--out", str(out)]) == 0
    graph = str(out / "kg.ttl")
    assert main(["reason", graph, "-o", str(out / "inferred.ttl")]) == 0
    for rdf, name in zip(RDF_FORMATS, EXPORTS, strict=True):
        assert main(["export", graph, "--format", rdf.name, "-o", str(out / name)]) == 0
    inferred = ["--inferred", str(out / "inferred.ttl")]
    for fmt, name in zip(["trig", "nquads"], WITH_INFERRED, strict=True):
        assert main(["export", graph, "--format", fmt, *inferred, "-o", str(out / name)]) == 0
    return out


def _literals(path: Path) -> Counter[tuple[str, str, str | None]]:
    """(lexical form, datatype, language) of every literal object, as pyoxigraph reads them."""
    return Counter(
        (q.object.value, q.object.datatype.value, q.object.language)
        for q in ox.parse(path=path, format=rdf_format(path))
        if isinstance(q.object, ox.Literal)
    )


def test_every_format_is_written() -> None:
    assert sorted(Path(name).suffix for name in EXPORTS) == [".jsonld", ".nq", ".nt", ".rdf", ".trig", ".ttl"]


@pytest.mark.parametrize("name", FILES)
def test_every_literal_is_valid_for_its_datatype(built: Path, name: str) -> None:
    assert _literals(built / name), f"{name} holds no literal to check"
    assert invalid_literals(built / name) == []


def test_the_graph_holds_each_datatype_the_builder_writes(built: Path) -> None:
    """The check above is not empty: the built graph holds these datatypes, in these numbers."""
    datatypes: Counter[str] = Counter()
    for (_, datatype, _), count in _literals(built / "kg.ttl").items():
        datatypes[datatype.rsplit("#", 1)[1]] += count
    assert set(datatypes) == {"string", "langString", "positiveInteger", "boolean", "gYear", "gYearMonth", "date"}
    assert datatypes["positiveInteger"] > 3000
    assert datatypes["langString"] > 2000


@pytest.mark.parametrize("name", [*EXPORTS, "kg.jsonld"])
def test_every_format_keeps_each_literal_as_written(built: Path, name: str) -> None:
    assert _literals(built / name) == _literals(built / "kg.ttl")


def test_with_inferred_holds_the_asserted_and_the_inferred_literals(built: Path) -> None:
    expected = _literals(built / "kg.ttl") + _literals(built / "inferred.ttl")
    for name in WITH_INFERRED:
        assert _literals(built / name) == expected


@pytest.mark.parametrize("name", ["kg.ttl", "shapes.ttl"])
def test_the_ontology_and_shapes_are_well_typed(name: str) -> None:
    assert _literals(ROOT / "ontology" / name)
    assert invalid_literals(ROOT / "ontology" / name) == []


# ---------------------------------------------------------------- the shapes


def _ontology() -> Graph:
    return Graph().parse(ROOT / "ontology" / "kg.ttl")


def _shapes() -> Graph:
    return Graph().parse(ROOT / "ontology" / "shapes.ttl")


def _literal_properties(ontology: Graph) -> set[URIRef]:
    return {p for p in ontology.subjects(RDF.type, OWL.DatatypeProperty) if isinstance(p, URIRef) and p in KGO}


def _datatypes(shapes: Graph, shape: Node) -> frozenset[Node]:
    """A property shape's sh:datatype, or the datatypes of its sh:or alternatives."""
    found = set(shapes.objects(shape, SH.datatype))
    for alternatives in shapes.objects(shape, SH["or"]):
        for alternative in Collection(shapes, alternatives):
            found |= set(shapes.objects(alternative, SH.datatype))
    return frozenset(found)


def _datatype_shapes(shapes: Graph) -> dict[URIRef, list[tuple[Node, frozenset[Node]]]]:
    """Each simple sh:path → its property shapes that constrain the datatype, with the datatypes."""
    found: dict[URIRef, list[tuple[Node, frozenset[Node]]]] = {}
    for shape, path in shapes.subject_objects(SH.path):
        datatypes = _datatypes(shapes, shape)
        if isinstance(path, URIRef) and datatypes:
            found.setdefault(path, []).append((shape, datatypes))
    return found


def test_the_ontology_defines_26_literal_properties() -> None:
    assert len(_literal_properties(_ontology())) == 26


def test_every_literal_property_has_a_range_and_the_shapes_give_exactly_it() -> None:
    """Every literal property of the ontology states its datatype (rdfs:range), and every
    shape that constrains the property gives exactly that datatype."""
    ontology, shapes = _ontology(), _shapes()
    declared = _datatype_shapes(shapes)
    for prop in sorted(_literal_properties(ontology)):
        assert prop in declared, f"no property shape constrains the datatype of {prop}"
        ranges = frozenset(ontology.objects(prop, RDFS.range))
        assert len(ranges) == 1, (prop, ranges)
        for _, datatypes in declared[prop]:
            assert datatypes == ranges, (prop, datatypes, ranges)


def _focus_nodes(shapes: Graph, graph: Graph, shape: Node) -> set[Node]:
    """The nodes a shape's targets select (the kinds of target shapes.ttl uses)."""
    nodes: set[Node] = set()
    for cls in shapes.objects(shape, SH.targetClass):
        nodes |= set(graph.subjects(RDF.type, cls))
    for prop in shapes.objects(shape, SH.targetSubjectsOf):
        nodes |= set(graph.subjects(prop, None))
    for prop in shapes.objects(shape, SH.targetObjectsOf):
        nodes |= set(graph.objects(None, prop))
    return nodes


def test_the_shapes_check_every_literal_value_of_the_built_graph(built: Path) -> None:
    """Every subject of each literal property is a focus node of a shape that checks the
    property's datatype: on its class, or on the subjects of the property."""
    shapes, graph = _shapes(), Graph().parse(built / "kg.ttl")
    declared = _datatype_shapes(shapes)
    for prop in sorted(_literal_properties(_ontology())):
        subjects = set(graph.subjects(prop, None))
        assert subjects, f"the built graph has no {prop}"
        checked: set[Node] = set()
        for property_shape, _ in declared[prop]:
            checked |= _focus_nodes(shapes, graph, property_shape)
            for node_shape in shapes.subjects(SH.property, property_shape):
                checked |= _focus_nodes(shapes, graph, node_shape)
        assert subjects <= checked, (prop, sorted(map(str, subjects - checked))[:3])


# One literal made ill-typed in the seed graph: (property, replacement, the shape's message).
# A wrong datatype, or a lexical form pySHACL's sh:datatype rejects ("0"^^xsd:positiveInteger,
# "2011-02-30"^^xsd:date). It accepts some others, through rdflib's lenient conversion
# ("1994-13"^^xsd:gYearMonth, " 5"^^xsd:integer): hence the independent check above.
ILL_TYPED = [
    (KGO.row, Literal("x"), "a source location's row is an xsd:positiveInteger"),
    (KGO.row, Literal("0", datatype=XSD.positiveInteger), "a source location's row is an xsd:positiveInteger"),
    (KGO.line, Literal("12"), "a source location needs its line"),
    (KGO.column, Literal("-3", datatype=XSD.integer), "a source location's column is an xsd:positiveInteger"),
    (KGO.ordinal, Literal("10", datatype=XSD.integer), "a conference has at most one ordinal, a positive integer"),
    (KGO.listedAs, Literal("阿富汗马列主义组织"), "kgo:listedAs is a language-tagged string"),
    (KGO.zhwikiTitle, Literal("菲律宾共产党", lang="zh"), "kgo:zhwikiTitle is an xsd:string"),
    (KGO.year, Literal("1994", datatype=XSD.integer), "an end event's year must be one xsd:gYear"),
    (KGO.sourceFormat, Literal("wikitext", lang="en"), "kgo:sourceFormat is an xsd:string"),
    (KGO.strength, Literal(1), "kgo:strength is an xsd:string"),
    (SDO.startDate, Literal("2011-02-30", datatype=XSD.date), "a conference has at most one date"),
]


@pytest.mark.parametrize(
    ("prop", "value", "message"), ILL_TYPED, ids=[f"{p.split('#')[-1].split('/')[-1]}:{v}" for p, v, _ in ILL_TYPED]
)
def test_one_ill_typed_literal_does_not_conform(seed_graph: Graph, prop: URIRef, value: Literal, message: str) -> None:
    graph = Graph()
    graph += seed_graph
    for prefix, namespace in seed_graph.namespaces():
        graph.bind(prefix, namespace)
    subject, old = sorted(graph.subject_objects(prop))[0]
    graph.remove((subject, prop, old))
    graph.add((subject, prop, value))
    validation = validate(graph)
    assert not validation.conforms
    assert len(validation.violations) == 1, [v.message for v in validation.violations]
    [violation] = validation.violations
    assert (violation.focus, violation.path, violation.value) == (
        str(subject),
        graph.namespace_manager.normalizeUri(prop),
        str(value),
    )
    assert message in violation.message
