"""SHACL validation (pySHACL) with each violation mapped back to its source line.

No inference: the graph states every type it needs, and inference inside pySHACL costs
5-15× (PERF-NOTES.md). The property shapes of ontology/shapes.ttl are validated as shapes of
their own (see ``hoisted``), which gives the same results in less than half the time. The
graph is validated a part at a time (kg.shacl_jobs), so memory follows a part, not the graph.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from kg.load import OxNode, Triples, as_rdflib, to_oxigraph, to_rdflib, triples_of
from kg.resources import shapes
from kg.shacl_jobs import SH, TARGETS, copied, is_class, run_pyshacl, validate_in_parts
from kg.vocab import KGO, ORG, PROV, RDF, RDFS, SDO, SKOS, with_prefixes

SH_PROPERTY = URIRef(SH + "property")
TWO_PROCESSES_FROM = 100_000  # triples; below, a second process costs more than it saves


@dataclass(frozen=True)
class Violation:
    focus: str
    label: str
    source: str  # "seeds/icor.md:27:5", or "" when the node has no source location
    path: str
    value: str
    message: str
    severity: str


@dataclass
class Validation:
    conforms: bool
    violations: list[Violation]
    report: Graph


def validate(data: Triples | Graph, in_two_processes: bool | None = None) -> Validation:
    """Validate the graph against ontology/shapes.ttl; violations sorted by source, then node.
    A part at a time where the shapes allow (kg.shacl_jobs), else in one run; with
    ``in_two_processes`` (the default from TWO_PROCESSES_FROM triples, on two cores or more)
    the parts are shared out between this process and a second one."""
    triples = data if isinstance(data, Triples) else Triples(triples_of(data))
    if in_two_processes is None:
        in_two_processes = len(triples) >= TWO_PROCESSES_FROM and (os.cpu_count() or 1) > 1
    shapes_graph = hoisted(shapes())
    conforms, report = validate_in_parts(triples, shapes_graph, in_two_processes) or run_pyshacl(
        data if isinstance(data, Graph) else as_rdflib(Path("<the graph>"), triples), shapes_graph
    )
    violations = sorted(_violations(_Lookup(triples), report), key=_reading_order)
    return Validation(conforms, violations, report)


class _Lookup:
    """The few lookups that place a violation, in rdflib's terms."""

    def __init__(self, triples: Triples) -> None:
        self.triples = triples
        self.namespace_manager: NamespaceManager = with_prefixes(Graph()).namespace_manager
        self.pointing: dict[object, dict[object, list[OxNode]]] = {}

    def objects(self, subject: Node | None, predicate: URIRef) -> Iterator[Node]:
        if not isinstance(subject, URIRef | BNode):
            return iter(())
        wanted = to_oxigraph(predicate)
        return (to_rdflib(o) for p, o in self.triples.about(to_oxigraph(subject)) if p == wanted)

    def subjects(self, predicate: URIRef, obj: Node | None) -> Iterator[Node]:
        """The subjects of ``predicate`` with the value ``obj`` (indexed by value on first use)."""
        if obj is None:
            return iter(())
        wanted = to_oxigraph(predicate)
        if wanted not in self.pointing:
            self.pointing[wanted] = defaultdict(list)
            for s, p, o in self.triples:
                if p == wanted:
                    self.pointing[wanted][o].append(s)
        return (to_rdflib(s) for s in self.pointing[wanted].get(to_oxigraph(obj), []))


def hoisted(shapes_graph: Graph) -> Graph:
    """The same shapes, each property shape of a node shape given the node shape's targets and
    validated on its own. SHACL gives the same results either way (each focus node of the node
    shape against each property shape, the property shape as the result's source), but pySHACL
    sets a property shape up again for every focus node it is reached from: hoisted, once for
    all of them (at 180k triples: 3.2 s instead of 7.7 s). A property shape is hoisted only
    where nothing else can reach it (a blank node named by one sh:property alone) and its node
    shape's targets are all explicit and always apply (see ``_plain_targets``)."""
    result = copied(shapes_graph)
    for node, _, prop in shapes_graph.triples((None, SH_PROPERTY, None)):
        if _only_reached_by(shapes_graph, prop, node) and _plain_targets(shapes_graph, node):
            result.remove((node, SH_PROPERTY, prop))
            result.add((prop, RDF.type, URIRef(SH + "PropertyShape")))
            for target in TARGETS:
                for value in shapes_graph.objects(node, target):
                    result.add((prop, target, value))
    return result


def _only_reached_by(shapes_graph: Graph, prop: Node, node: Node) -> bool:
    return isinstance(prop, BNode) and list(shapes_graph.subject_predicates(prop)) == [(node, SH_PROPERTY)]


def _plain_targets(shapes_graph: Graph, node: Node) -> bool:
    """Whether a node shape's focus nodes are its sh:target* values' alone: no other shape refers
    to it, it is not deactivated, and it is no class (which would target its instances too)."""
    return (
        not any(shapes_graph.subjects(None, node))
        and (node, URIRef(SH + "deactivated"), None) not in shapes_graph
        and not is_class(shapes_graph, node)
    )


def _reading_order(violation: Violation) -> tuple[str, int, int, str, str, str]:
    """By file, then line and column as numbers, then node."""
    file_name, _, rest = violation.source.partition(":")
    line, _, col = rest.partition(":")
    return (file_name, int(line or 0), int(col or 0), violation.focus, violation.path, violation.message)


def _one(graph: Graph, subject: Node, predicate: str) -> Node | None:
    return next(iter(graph.objects(subject, URIRef(SH + predicate))), None)


def _violations(graph: _Lookup, report: Graph) -> list[Violation]:
    found = []
    for result in report.subjects(URIRef(SH + "focusNode"), None):
        focus, value = _one(report, result, "focusNode"), _one(report, result, "value")
        about = value if isinstance(value, URIRef) and _location(graph, value) else focus
        found.append(
            Violation(
                focus=str(focus),
                label=_label(graph, about),
                source=_location(graph, about),
                path=_short(graph, _one(report, result, "resultPath")),
                value=str(value) if value is not None else "",
                message=str(_one(report, result, "resultMessage") or ""),
                severity=_short(graph, _one(report, result, "resultSeverity")),
            )
        )
    return found


def _short(graph: _Lookup, node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return graph.namespace_manager.normalizeUri(node) if str(node) != SH + "Violation" else "Violation"
    return str(node)


def _label(graph: _Lookup, node: Node | None) -> str:
    for predicate in (SKOS.prefLabel, KGO.listedAs, RDFS.label, SDO.name):
        for label in graph.objects(node, predicate):
            return str(label)
    return ""


def _location(graph: _Lookup, node: Node | None) -> str:
    """file:line:col of a node's source row, or of a row naming it (for parties)."""
    candidates = [node, *graph.subjects(SDO.attendee, node), *graph.subjects(ORG.member, node)]
    for candidate in candidates:
        for location in sorted(graph.objects(candidate, PROV.wasDerivedFrom), key=str):
            article = next(graph.objects(location, KGO.inArticle), None)
            file_name = next(graph.objects(article, KGO.sourceFile), None) if article else None
            line, col = next(graph.objects(location, KGO.line), None), next(graph.objects(location, KGO.column), None)
            if file_name is not None and line is not None:
                return f"{file_name}:{line}:{col or 1}"
    return ""


def report_text(validation: Validation) -> str:
    """A report a person can read: where, what, why."""
    if validation.conforms:
        return "Conforms: the graph satisfies every shape in ontology/shapes.ttl.\n"
    lines = [f"Does not conform: {len(validation.violations)} violations."]
    for v in validation.violations:
        where = v.source or "(no source)"
        label = f" '{v.label}'" if v.label else ""
        lines.append(f"{where}: {v.severity}: {v.message} [{v.path or 'node'}] at <{v.focus}>{label}")
    return "\n".join(lines) + "\n"


def report_json(validation: Validation) -> str:
    return (
        json.dumps(
            {"conforms": validation.conforms, "violations": [asdict(v) for v in validation.violations]},
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )


def report_turtle(validation: Validation) -> str:
    return validation.report.serialize(format="turtle")
