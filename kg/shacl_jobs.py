"""SHACL validation a part of the graph at a time, on two cores: the results of one run.

A shape judges a focus node on what lies within a few triples of it. So each shape's focus
nodes are found in the graph and shared out in parts of PART_SIZE nodes, and a part is
validated by pySHACL on a small graph of what the shapes read from its nodes (``reach``: the
triples along each path, the types of values sh:class tests, what nested shapes read), every
shape's targets replaced by the part's own focus nodes (sh:targetNode). Memory follows a part, not the graph. A SPARQL constraint can
look anywhere, but its solutions depend only on triples of the predicates its patterns name:
its shape is validated on those triples alone. Where the shapes use what this does not cover,
``plan`` gives None and the whole graph is validated in one run.

Two processes (this one and a forked child, which reads this one's triples without a copy)
take the next job as they finish one; the child sends its report back as triples.
"""

from __future__ import annotations

import multiprocessing
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Node

from kg.load import OxNode, TermTriple, Triples, as_rdflib, to_oxigraph, to_rdflib
from kg.vocab import OWL, RDF, RDFS

SH = "http://www.w3.org/ns/shacl#"
TARGET_CLASS, TARGET_NODE, TARGET_OBJECTS_OF, TARGET_SUBJECTS_OF = TARGETS = tuple(
    URIRef(SH + name) for name in ("targetClass", "targetNode", "targetObjectsOf", "targetSubjectsOf")
)
SHAPE_KINDS = (URIRef(SH + "NodeShape"), URIRef(SH + "PropertyShape"))
PART_SIZE = 2_000  # focus nodes: pySHACL's set-up per part is amortised, a part's graph stays small
Report = tuple[bool, Graph]
_PART = Path("<a part of the graph>")

_PATH, _PROPERTY, _CLASS, _SPARQL = (URIRef(SH + name) for name in ("path", "property", "class", "sparql"))
_ON_ONE_SHAPE = tuple(URIRef(SH + name) for name in ("node", "not", "qualifiedValueShape"))
_ON_SHAPE_LISTS = tuple(URIRef(SH + name) for name in ("and", "or", "xone"))
_ALTERNATIVE, _ZERO_OR_ONE = URIRef(SH + "alternativePath"), URIRef(SH + "zeroOrOnePath")
_COMPARED = tuple(URIRef(SH + name) for name in ("equals", "disjoint", "lessThan", "lessThanOrEquals"))
# What a shape says that reads nothing: its kind, targets, words for people, how it reports.
_READS_NOTHING = {
    RDF.type, RDFS.comment, RDFS.label, *TARGETS,
    *(URIRef(SH + name) for name in ("message", "severity", "deactivated", "name", "description", "order", "group")),
}  # fmt: skip
# A shape's predicates whose needs ``reach`` knows: those, what tests the value node alone, what
# nests shapes, paths, comparisons and sh:class.
_KNOWN = {
    *_READS_NOTHING, _PATH, _PROPERTY, _CLASS, *_ON_ONE_SHAPE, *_ON_SHAPE_LISTS, *_COMPARED,
    *(
        URIRef(SH + name)
        for name in (
            "datatype", "nodeKind", "in", "hasValue", "pattern", "flags", "minLength", "maxLength", "languageIn",
            "uniqueLang", "minInclusive", "maxInclusive", "minExclusive", "maxExclusive", "minCount", "maxCount",
            "qualifiedMinCount", "qualifiedMaxCount", "qualifiedValueShapesDisjoint", "defaultValue",
        )
    ),
}  # fmt: skip
_TYPE, _SUBCLASS_OF = ox.NamedNode(str(RDF.type)), ox.NamedNode(str(RDFS.subClassOf))
# What a shape of SPARQL constraints may also say (anything else is a constraint the parts hold)
_BESIDE_SPARQL = {*_READS_NOTHING, _SPARQL}


@dataclass(frozen=True)
class Reach:
    """What validation reads from a node: all its triples, or its types (sh:class), and
    through each predicate what it reads from the nodes that predicate leads to."""

    everything: bool = False
    types: bool = False
    steps: tuple[tuple[URIRef, Reach], ...] = ()
    by_predicate: dict[OxNode, Reach] = field(init=False, compare=False, repr=False)  # ``steps``, looked up

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_predicate", {to_oxigraph(p): further for p, further in self.steps})

    def __or__(self, other: Reach) -> Reach:
        steps = dict(self.steps)
        for predicate, further in other.steps:
            steps[predicate] = steps[predicate] | further if predicate in steps else further
        return Reach(self.everything or other.everything, self.types or other.types, tuple(sorted(steps.items())))


@dataclass(frozen=True)
class Plan:
    shapes: Graph  # the shapes without targets or SPARQL constraints, for the parts
    targets: dict[Node, list[tuple[URIRef, Node]]]  # shape → its target declarations
    reaches: dict[Node, Reach]  # a targeted shape → what it reads from a focus node
    queried: dict[Node, frozenset[URIRef]]  # a shape of SPARQL constraints → the predicates they read
    targetless: Graph  # the shapes without targets, for the shapes of SPARQL constraints


def run_pyshacl(graph: Graph, shapes_graph: Graph) -> Report:
    import pyshacl  # noqa: PLC0415 - costs ~0.3 s to import; only validation needs it

    # The graph states every type the shapes test, so the ontology need not be merged in
    # (merging it cost a third of the validation time).
    conforms, report, _ = pyshacl.validate(graph, shacl_graph=shapes_graph, inference="none")
    assert isinstance(report, Graph)
    return bool(conforms), report


def validate_in_parts(triples: Triples, shapes_graph: Graph, in_two_processes: bool) -> Report | None:
    """pySHACL's conformance and report for the graph, validated a part at a time (the parts
    shared out between this process and a child ``in_two_processes``); None where ``plan``
    cannot split the shapes or the graph has blank nodes (a part could not name them)."""
    validation_plan = plan(shapes_graph)
    if validation_plan is None or _has_blank_nodes(triples):
        return None
    hierarchy = [t for t in triples if t[1] == _SUBCLASS_OF]  # sh:class follows it: in every part
    focus = _focus_nodes(triples, hierarchy, validation_plan.targets)
    part_shapes = {shape: nodes for shape, nodes in focus.items() if shape not in validation_plan.queried}
    parts = _parts(sorted({node for nodes in part_shapes.values() for node in nodes}, key=str))

    queried = sorted(validation_plan.queried, key=str)
    terms: dict[object, Node] = {}  # rdflib's, made once for all the parts

    def validate_job(index: int) -> Report:
        """The shapes of SPARQL constraints first (each on the triples its queries read): one
        is the heaviest job, and the other process takes the parts meanwhile."""
        if index < len(queried):
            shape = queried[index]
            wanted = {to_oxigraph(p) for p in validation_plan.queried[shape]}
            projected = [t for t in triples if t[1] in wanted]
            return run_pyshacl(
                as_rdflib(_PART, projected, terms), _targeted(validation_plan.targetless, {shape: focus[shape]}, terms)
            )
        part = set(parts[index - len(queried)])
        in_part = {shape: part & nodes for shape, nodes in part_shapes.items()}
        read = {t for shape, nodes in in_part.items() for t in _read(triples, nodes, validation_plan.reaches[shape])}
        return run_pyshacl(
            as_rdflib(_PART, [*hierarchy, *read], terms), _targeted(validation_plan.shapes, in_part, terms)
        )

    jobs = len(parts) + len(validation_plan.queried)
    reports = _shared_out(jobs, validate_job) if in_two_processes else _taken(jobs, validate_job)
    return _merged_all(reports) or run_pyshacl(Graph(), validation_plan.shapes)


def plan(shapes_graph: Graph) -> Plan | None:
    """How the shapes can be validated a part at a time, or None where they cannot: a shape
    that is also a class, a path other than predicates in sequence or as alternatives, shapes
    that nest into themselves, a target that is a blank node, a SPARQL constraint on a
    property shape, beside other constraints, or reading what its predicates do not name."""
    shapes = {s for kind in SHAPE_KINDS for s in shapes_graph.subjects(RDF.type, kind)}
    shapes |= {s for t in TARGETS for s in shapes_graph.subjects(t, None)}
    if any(is_class(shapes_graph, shape) for shape in shapes):
        return None
    targets = {s: [(t, v) for t in TARGETS for v in shapes_graph.objects(s, t)] for s in shapes}
    targets = {s: declared for s, declared in targets.items() if declared}
    if any(isinstance(v, BNode) for declared in targets.values() for _, v in declared):
        return None
    queried = {s: _read_by_queries(shapes_graph, s) for s in shapes if (s, _SPARQL, None) in shapes_graph}
    reaches = {shape: reach(shapes_graph, shape) for shape in targets if shape not in queried}
    if None in reaches.values() or None in queried.values() or _beyond_core(shapes_graph, set(queried)):
        return None
    targetless = _without(shapes_graph, [(s, t) for s in targets for t in TARGETS])
    return Plan(
        _without(targetless, [(s, _SPARQL) for s in queried]),
        targets,
        {shape: found for shape, found in reaches.items() if found is not None},
        {s: predicates for s, predicates in queried.items() if predicates is not None},
        targetless,
    )


def reach(shapes_graph: Graph, shape: Node, seen: frozenset[Node] = frozenset()) -> Reach | None:
    """What a shape reads from the node it is evaluated on: a property shape the triples along
    its path and then what its value nodes need; the triples of a predicate it compares values
    with (sh:equals …). A node (a node shape's, or a property shape's value) needs its types
    for sh:class, what nested shapes read, and all its triples for any parameter other than
    those that test the node alone (sh:datatype, sh:in …; sh:closed reads all). None where a
    path goes backwards or repeats, or shapes nest into themselves."""
    if shape in seen:
        return None
    unknown = set(shapes_graph.predicates(shape)) - _KNOWN
    at_values = Reach(everything=bool(unknown), types=(shape, _CLASS, None) in shapes_graph)
    for nested in _nested(shapes_graph, shape):
        if (inner := reach(shapes_graph, nested, seen | {shape})) is None:
            return None
        at_values |= inner
    path = next(shapes_graph.objects(shape, _PATH), None)
    if path is None:
        return at_values
    if (here := _along(shapes_graph, path, at_values)) is None:
        return None
    compared = {p for c in _COMPARED for p in shapes_graph.objects(shape, c) if isinstance(p, URIRef)}
    return here | Reach(steps=tuple((p, Reach()) for p in sorted(compared)))


def _nested(shapes_graph: Graph, shape: Node) -> list[Node]:
    """The shapes evaluated where ``shape`` is: at its value nodes, or at the node itself."""
    return [
        *(s for p in _ON_ONE_SHAPE for s in shapes_graph.objects(shape, p)),
        *(s for p in _ON_SHAPE_LISTS for lst in shapes_graph.objects(shape, p) for s in Collection(shapes_graph, lst)),
        *shapes_graph.objects(shape, _PROPERTY),
    ]


def _along(shapes_graph: Graph, path: Node, end: Reach) -> Reach | None:
    """From a path's start, the triples along it to ``end`` at its ends: a predicate one step,
    a sequence step after step, alternatives (or sh:zeroOrOnePath) each of theirs. None for an
    inverse path or one that repeats (sh:zeroOrMorePath, sh:oneOrMorePath)."""
    if isinstance(path, URIRef):
        return Reach(steps=((path, end),))
    if (path, RDF.first, None) in shapes_graph:
        found: Reach | None = end
        for part in reversed(list(Collection(shapes_graph, path))):
            found = None if found is None else _along(shapes_graph, part, found)
        return found
    alternatives = next(shapes_graph.objects(path, _ALTERNATIVE), None)
    if alternatives is not None:
        options = [_along(shapes_graph, p, end) for p in Collection(shapes_graph, alternatives)]
    else:
        options = [_along(shapes_graph, p, end) for p in shapes_graph.objects(path, _ZERO_OR_ONE)]
        options += [end] if options else []
    if not options or None in options:
        return None
    result = Reach()
    for option in options:
        result |= option  # type: ignore[operator] # None was refused above
    return result


def _beyond_core(shapes_graph: Graph, queried: set[Node]) -> bool:
    """Whether the shapes use what a part cannot hold: a constraint component of their own,
    SPARQL-based targets or rules (SHACL-AF), or a SPARQL constraint on a shape other shapes
    refer to (it would run wherever they are evaluated)."""
    return (
        any(shapes_graph.subjects(RDF.type, URIRef(SH + "ConstraintComponent")))
        or any((None, URIRef(SH + name), None) in shapes_graph for name in ("target", "rule"))
        or any((None, None, shape) in shapes_graph for shape in queried)
    )


def _read_by_queries(shapes_graph: Graph, shape: Node) -> frozenset[URIRef] | None:
    """The predicates a node shape's SPARQL constraints read, where nothing else decides their
    solutions: every triple pattern's predicate an IRI (or a path of IRIs), no SERVICE, no
    named graph, no other constraint on the shape. None otherwise."""
    from rdflib.plugins.sparql import prepareQuery  # noqa: PLC0415 - only shapes with SPARQL need it

    if (shape, _PATH, None) in shapes_graph or set(shapes_graph.predicates(shape)) - _BESIDE_SPARQL:
        return None
    predicates: set[URIRef] = set()
    for constraint in shapes_graph.objects(shape, _SPARQL):
        select = next(shapes_graph.objects(constraint, URIRef(SH + "select")), None)
        if select is None:
            return None
        try:
            algebra = prepareQuery(_with_prefixes(shapes_graph, constraint, str(select))).algebra
        except Exception:  # pySHACL reports a query it cannot parse, in the whole run
            return None
        if (found := _predicates_read(algebra)) is None:
            return None
        predicates |= found
    return frozenset(predicates)


def _with_prefixes(shapes_graph: Graph, constraint: Node, select: str) -> str:
    declared = [
        f"PREFIX {prefix}: <{namespace}>"
        for declaring in shapes_graph.objects(constraint, URIRef(SH + "prefixes"))
        for declaration in shapes_graph.objects(declaring, URIRef(SH + "declare"))
        for prefix in shapes_graph.objects(declaration, URIRef(SH + "prefix"))
        for namespace in shapes_graph.objects(declaration, URIRef(SH + "namespace"))
    ]
    return "\n".join([*sorted(declared), select.replace("$PATH", "?PATH")])


def _predicates_read(node: object) -> set[URIRef] | None:
    """The predicates of every triple pattern anywhere in a query's algebra (EXISTS included),
    or None where one is a variable or a negated path, or the query reads a named graph or
    another service."""
    if isinstance(node, CompValue):
        if node.name in ("ServiceGraphPattern", "Graph"):
            return None
        found: set[URIRef] = set()
        for triple in node.get("triples") or [] if node.name == "BGP" else []:
            if (predicates := _path_predicates(triple[1])) is None:
                return None
            found |= predicates
        for key, value in node.items():
            if key != "triples":
                if (inner := _predicates_read(value)) is None:
                    return None
                found |= inner
        return found
    if isinstance(node, list | tuple):
        parts = [_predicates_read(value) for value in node]
        return None if None in parts else set().union(*(p for p in parts if p is not None))
    return set()


def _path_predicates(path: object) -> set[URIRef] | None:
    if isinstance(path, URIRef):
        return {path}
    if isinstance(path, SequencePath | AlternativePath):
        parts = [_path_predicates(p) for p in path.args]
        return None if None in parts else set().union(*(p for p in parts if p is not None))
    if isinstance(path, InvPath):
        return _path_predicates(path.arg)
    if isinstance(path, MulPath):
        return _path_predicates(path.path)
    return None  # a variable, or a negated path (any predicate but some)


def _has_blank_nodes(triples: Triples) -> bool:
    return any(isinstance(s, ox.BlankNode) or isinstance(o, ox.BlankNode) for s, _, o in triples)


class _Declared(NamedTuple):
    """The shapes that target a node by what it is (sh:targetNode aside): by class, as the
    subject of a predicate, as its object."""

    by_class: dict[OxNode, set[Node]]
    by_subject_of: dict[OxNode, set[Node]]
    by_object_of: dict[OxNode, set[Node]]


def _focus_nodes(
    triples: Triples, hierarchy: list[TermTriple], targets: dict[Node, list[tuple[URIRef, Node]]]
) -> dict[Node, set[OxNode]]:
    """Each shape's focus nodes in the graph, found in one pass (a class's instances with its
    subclasses', by the data's rdfs:subClassOf ``hierarchy``, as SHACL's class targets are)."""
    focus: dict[Node, set[OxNode]] = {shape: set() for shape in targets}
    declared = _Declared(defaultdict(set), defaultdict(set), defaultdict(set))
    for shape, declarations in targets.items():
        for target, value in declarations:
            term = to_oxigraph(value)
            if target == TARGET_NODE:
                focus[shape].add(term)
            elif target == TARGET_CLASS:
                for cls in _subclasses(hierarchy, term):
                    declared.by_class[cls].add(shape)
            else:
                (declared.by_subject_of if target == TARGET_SUBJECTS_OF else declared.by_object_of)[term].add(shape)
    for s, p, o in triples:
        for shape in declared.by_subject_of.get(p, ()):
            focus[shape].add(s)
        for shape in declared.by_object_of.get(p, ()):
            focus[shape].add(o)
        for shape in declared.by_class.get(o, ()) if p == _TYPE else ():
            focus[shape].add(s)
    return focus


def _subclasses(hierarchy: list[TermTriple], cls: OxNode) -> set[OxNode]:
    found, todo = {cls}, [cls]
    while todo:
        current = todo.pop()
        for subclass, _, superclass in hierarchy:
            if superclass == current and subclass not in found:
                found.add(subclass)
                todo.append(subclass)
    return found


def _parts(nodes: list[OxNode]) -> list[list[OxNode]]:
    return [nodes[start : start + PART_SIZE] for start in range(0, len(nodes), PART_SIZE)]


def _read(triples: Triples, nodes: Iterable[OxNode], reach: Reach) -> list[TermTriple]:
    """The triples validation reads from ``nodes`` as ``reach`` says."""
    found: list[TermTriple] = []
    todo = [(node, reach) for node in nodes]
    while todo:
        node, at = todo.pop()
        steps = at.by_predicate
        for predicate, obj in triples.about(node):
            further = steps.get(predicate)
            if at.everything or further is not None or (at.types and predicate == _TYPE):
                found.append((node, predicate, obj))
            if further is not None and not isinstance(obj, ox.Literal):
                todo.append((obj, further))
    return found


def _targeted(shapes_graph: Graph, focus: dict[Node, set[OxNode]], terms: dict[object, Node]) -> Graph:
    """The shapes, each with its focus nodes in this part as sh:targetNode values."""
    result = copied(shapes_graph)
    result.addN(
        (shape, TARGET_NODE, terms[node] if node in terms else to_rdflib(node), result)
        for shape, nodes in focus.items()
        for node in nodes
    )
    return result


def copied(shapes_graph: Graph) -> Graph:
    """A copy with the prefixes too: pySHACL writes its own messages with them."""
    result = Graph(bind_namespaces="none")
    for prefix, namespace in shapes_graph.namespaces():
        result.bind(prefix, namespace)
    result += shapes_graph
    return result


def _without(shapes_graph: Graph, removed: Iterable[tuple[Node, URIRef]]) -> Graph:
    result = copied(shapes_graph)
    for subject, predicate in removed:
        result.remove((subject, predicate, None))
    return result


def _taken(count: int, validate_part: Callable[[int], Report]) -> list[Report]:
    return [validate_part(index) for index in range(count)]


def _shared_out(count: int, validate_part: Callable[[int], Report]) -> list[Report]:
    """The parts' reports, the parts taken in turn by this process and a forked child."""
    context = multiprocessing.get_context("fork")
    taken = context.Value("i", 0)
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_validate_into, args=(count, validate_part, taken, sender), daemon=True)
    child.start()
    sender.close()
    try:
        mine = _take_parts(count, validate_part, taken)
        theirs = _received(receiver)
    finally:
        child.kill()
        child.join()
        receiver.close()
    return [r for r in (mine, theirs) if r is not None]


def _take_parts(count: int, validate_part: Callable[[int], Report], taken: Synchronized[int]) -> Report | None:
    """The report of the parts this process takes (None if the other took them all)."""
    done: list[Report] = []
    while True:
        with taken.get_lock():
            index = taken.value
            taken.value += 1
        if index >= count:
            return _merged_all(done)
        done.append(validate_part(index))


def _validate_into(
    count: int, validate_part: Callable[[int], Report], taken: Synchronized[int], connection: Connection
) -> None:
    try:
        report = _take_parts(count, validate_part, taken)
        connection.send(None if report is None else (report[0], list(report[1])))
    except Exception as exc:  # sent to the parent, which raises it there
        connection.send(exc)
    finally:
        connection.close()


def _received(connection: Connection) -> Report | None:
    try:
        answer = connection.recv()
    except EOFError:
        raise RuntimeError("the validating child process ended without a report") from None
    if isinstance(answer, Exception):
        raise answer
    if answer is None:
        return None
    conforms, triples = answer
    report = Graph()
    for triple in triples:
        report.add(triple)
    return bool(conforms), report


def _merged_all(reports: list[Report]) -> Report | None:
    if not reports:
        return None
    first = reports[0]
    for other in reports[1:]:
        first = merged(first, other)
    return first


def merged(first: Report, second: Report) -> Report:
    """One report of both, in the first's graph: its report node holding every result,
    conforming where both do. Blank nodes of the second that the first also uses are renamed
    (a forked child goes on from its parent's blank node counter)."""
    conforms, report = first[0] and second[0], first[1]  # the first is added to, not copied
    node = _report_node(first[1])
    other = _report_node(second[1])
    used = set(_blank_nodes(first[1]))
    renamed: dict[Node, Node] = {b: BNode() for b in _blank_nodes(second[1]) if b in used and b != other}
    for s, p, o in second[1]:
        if s != other:
            report.add((renamed.get(s, s), p, renamed.get(o, o)))
        elif p == URIRef(SH + "result"):
            report.add((node, p, renamed.get(o, o)))
    report.set((node, URIRef(SH + "conforms"), Literal(conforms)))
    return conforms, report


def is_class(shapes_graph: Graph, shape: Node) -> bool:
    """Whether a shape is also a class: SHACL then targets the class's instances too."""
    return bool({RDFS.Class, OWL.Class} & set(shapes_graph.objects(shape, RDF.type)))


def _empty_report() -> Graph:
    report = Graph()
    report.add((BNode(), RDF.type, URIRef(SH + "ValidationReport")))
    return report


def _report_node(report: Graph) -> Node:
    return next(iter(report.subjects(RDF.type, URIRef(SH + "ValidationReport"))))


def _blank_nodes(report: Graph) -> Iterable[BNode]:
    for s, _, o in report:
        yield from (n for n in (s, o) if isinstance(n, BNode))
