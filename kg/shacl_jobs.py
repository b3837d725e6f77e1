"""SHACL validation on two cores: each targeted shape a job, taken in turn by two processes.

SHACL validates each shape against its own focus nodes, so the results of the shapes validated
one by one, put together, are the results of one run. A job's shapes graph is the whole shapes
graph without the other shapes' target declarations: a shape left without targets validates
nothing by itself, and is still evaluated where the job's shape refers to it, as in one run.
The two processes (this one and a forked child, which reads this one's graph without a copy
being made or sent) take the next job as they finish one, heaviest first, so neither waits
long for the other; the child sends its report back as triples.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable
from multiprocessing.connection import Connection
from multiprocessing.sharedctypes import Synchronized

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.vocab import OWL, RDF, RDFS

SH = "http://www.w3.org/ns/shacl#"
TARGET_CLASS, TARGET_NODE, TARGET_OBJECTS_OF, TARGET_SUBJECTS_OF = TARGETS = tuple(
    URIRef(SH + name) for name in ("targetClass", "targetNode", "targetObjectsOf", "targetSubjectsOf")
)
SHAPE_KINDS = (URIRef(SH + "NodeShape"), URIRef(SH + "PropertyShape"))
Report = tuple[bool, Graph]
SPARQL_COST = 200


def validate_in_two(graph: Graph, shapes_graph: Graph) -> Report:
    """pySHACL's conformance and report for ``graph``, the shapes validated by this process and
    a child; by this process alone where they cannot be shared out (see ``shape_jobs``)."""
    jobs = shape_jobs(graph, shapes_graph)
    if jobs is None:
        return run_pyshacl(graph, shapes_graph)
    context = multiprocessing.get_context("fork")
    taken = context.Value("i", 0)
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_validate_into, args=(graph, jobs, taken, sender), daemon=True)
    child.start()
    sender.close()
    try:
        mine = _take_jobs(graph, jobs, taken)
        theirs = _received(receiver)
    finally:
        child.kill()
        child.join()
        receiver.close()
    reports = [r for r in (mine, theirs) if r is not None]
    return merged(reports[0], reports[1]) if len(reports) == 2 else reports[0]


def run_pyshacl(graph: Graph, shapes_graph: Graph) -> Report:
    import pyshacl  # noqa: PLC0415 - costs ~0.3 s to import; only validation needs it

    # The graph states every type the shapes test, so the ontology need not be merged in
    # (merging it cost a third of the validation time).
    conforms, report, _ = pyshacl.validate(graph, shacl_graph=shapes_graph, inference="none")
    assert isinstance(report, Graph)
    return bool(conforms), report


def shape_jobs(graph: Graph, shapes_graph: Graph) -> list[Graph] | None:
    """A shapes graph for each targeted shape, the heaviest first (by focus nodes in ``graph``);
    None where a shape is also a class (it targets its instances in every job) or fewer than
    two shapes have targets."""
    if any(is_class(shapes_graph, shape) for kind in SHAPE_KINDS for shape in shapes_graph.subjects(RDF.type, kind)):
        return None
    targeted = {shape for target in TARGETS for shape in shapes_graph.subjects(target, None)}
    if len(targeted) < 2:
        return None
    load = {shape: _focus_count(graph, shapes_graph, shape) * _cost(shapes_graph, shape) for shape in targeted}
    order = sorted(targeted, key=lambda shape: (-load[shape], str(shape)))
    return [_without_targets(shapes_graph, [other for other in order if other != shape]) for shape in order]


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


def _take_jobs(graph: Graph, jobs: list[Graph], taken: Synchronized[int]) -> Report | None:
    """The report of the jobs this process takes (None if the other took them all)."""
    report: Report | None = None
    while True:
        with taken.get_lock():
            index = taken.value
            taken.value += 1
        if index >= len(jobs):
            return report
        done = run_pyshacl(graph, jobs[index])
        report = done if report is None else merged(report, done)


def _validate_into(graph: Graph, jobs: list[Graph], taken: Synchronized[int], connection: Connection) -> None:
    try:
        report = _take_jobs(graph, jobs, taken)
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


def is_class(shapes_graph: Graph, shape: Node) -> bool:
    """Whether a shape is also a class: SHACL then targets the class's instances too."""
    return bool({RDFS.Class, OWL.Class} & set(shapes_graph.objects(shape, RDF.type)))


def _cost(shapes_graph: Graph, shape: Node) -> int:
    """A focus node's cost under the shape, roughly: pySHACL parses a SPARQL constraint's query
    again for each focus node, about 200 times the work of a core constraint (measured: 0.86 s
    for 40 articles, 0.09 s for 8,218 source locations)."""
    return SPARQL_COST if (shape, URIRef(SH + "sparql"), None) in shapes_graph else 1


def _focus_count(graph: Graph, shapes_graph: Graph, shape: Node) -> int:
    return sum(_focus_nodes(graph, t, value) for t in TARGETS for value in shapes_graph.objects(shape, t))


def _focus_nodes(graph: Graph, target: URIRef, value: Node) -> int:
    """How many focus nodes one target declaration gives in ``graph``."""
    if target == TARGET_CLASS:
        return sum(1 for _ in graph.subjects(RDF.type, value))
    if target == TARGET_OBJECTS_OF:
        return len(set(graph.objects(None, value)))
    if target == TARGET_SUBJECTS_OF:
        return len(set(graph.subjects(value, None)))
    return 1  # sh:targetNode


def _without_targets(shapes_graph: Graph, shapes: list[Node]) -> Graph:
    result = Graph()
    result += shapes_graph
    for shape in shapes:
        for target in TARGETS:
            result.remove((shape, target, None))
    return result


def _report_node(report: Graph) -> Node:
    return next(iter(report.subjects(RDF.type, URIRef(SH + "ValidationReport"))))


def _blank_nodes(report: Graph) -> Iterable[BNode]:
    for s, _, o in report:
        yield from (n for n in (s, o) if isinstance(n, BNode))
