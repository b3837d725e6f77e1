"""OWL-RL closure of the graph with the ontology's axioms; only the new facts about data nodes.

Two engines give the same triples on the seeds (a test checks it):
- ``reasonable`` (default): a Rust OWL 2 RL reasoner, ~25x faster than owlrl here, but it does
  not apply owl:propertyChainAxiom; the chains declared in ontology/kg.ttl are applied here
  between its runs until nothing new appears.
- ``owlrl``: the pure-Python reference implementation, complete for our axioms.
Both are filtered the same way: schema-level entailments, reflexive owl:sameAs, owl:Thing
typing and statements about literals are dropped, and xsd:string literals are plain again.

A graph that makes many nodes one individual is refused before either engine starts: the
closure states every fact about each for all of them, and the engines' work grows with the
cube of their number (a 200-node owl:sameAs chain takes 6 s; 600 nodes exhaust the memory).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from kg.defaults import ENGINES
from kg.errors import ExitCode, KgError, UsageError
from kg.resources import ontology
from kg.vocab import OWL, RDF, RDFS, XSD

Triple = tuple[Node, Node, Node]
_NOISE_TYPES = frozenset({OWL.Thing, RDFS.Resource, OWL.NamedIndividual})
MAX_SAME_INDIVIDUAL = 200


class TooMuchEquality(KgError):
    exit_code = ExitCode.BAD_INPUT


def infer(graph: Graph, engine: str = "reasonable") -> Graph:
    """The triples OWL-RL reasoning adds to ``graph`` (asserted triples not repeated)."""
    if engine not in ENGINES:
        raise UsageError(f"unknown reasoner '{engine}'; choose one of {', '.join(ENGINES)}")
    _refuse_large_equalities(graph)
    closure = _reasonable(graph) if engine == "reasonable" else _owlrl(graph)
    inferred = Graph()
    for prefix, namespace in graph.namespaces():
        inferred.bind(prefix, namespace)
    known = set(graph) | set(ontology())
    data_nodes = set(graph.subjects())
    for triple in _plain(closure):
        if triple not in known and _about_data(triple, data_nodes):
            inferred.add(triple)
    return inferred


def _refuse_large_equalities(graph: Graph) -> None:
    """Refuse a graph whose owl:sameAs links (or functional properties with several values)
    make more than MAX_SAME_INDIVIDUAL nodes one individual."""
    groups = _same_individuals(graph, ontology())
    largest = max(groups.values(), key=len, default=set())
    if len(largest) > MAX_SAME_INDIVIDUAL:
        example = min(largest, key=str)
        raise TooMuchEquality(
            f"owl:sameAs or a functional property makes {len(largest)} nodes one individual (<{example}> among "
            f"them); reasoning allows at most {MAX_SAME_INDIVIDUAL}, as its work grows with the cube: refused"
        )


def _same_individuals(graph: Graph, axioms: Graph) -> dict[Node, set[Node]]:
    """Each node's group of nodes OWL-RL would make equal (eq-sym/trans, prp-fp, prp-ifp),
    by properties either graph declares; a union-find with groups merged smaller into larger."""
    declared = {(p, kind) for g in (graph, axioms) for p, kind in g.subject_objects(RDF.type)}
    same = {OWL.sameAs} | {p for g in (graph, axioms) for p in g.subjects(RDFS.subPropertyOf, OWL.sameAs)}
    functional = {p for p, kind in declared if kind == OWL.FunctionalProperty}
    inverse = {p for p, kind in declared if kind == OWL.InverseFunctionalProperty}
    group: dict[Node, set[Node]] = {}

    def join(a: Node, b: Node) -> None:
        if a == b:  # a property's first value, or a reflexive link: no group to make
            return
        first, second = group.setdefault(a, {a}), group.setdefault(b, {b})
        if first is not second:
            small, large = sorted((first, second), key=len)
            large |= small
            group.update(dict.fromkeys(small, large))

    values: dict[tuple[Node, Node], Node] = {}
    for s, p, o in graph:
        if p in same:
            join(s, o)
        if p in functional:
            join(values.setdefault((s, p), o), o)
        if p in inverse:
            join(values.setdefault((o, p), s), s)
    return group


def _plain(triples: Iterable[Triple]) -> Iterable[Triple]:
    """xsd:string literals as plain literals: the same RDF 1.1 term, written the same way."""
    for s, p, o in triples:
        plain = isinstance(o, Literal) and o.datatype == XSD.string and not o.language
        yield s, p, Literal(str(o)) if plain else o


def _about_data(triple: Triple, data_nodes: set[Node]) -> bool:
    subject, predicate, obj = triple
    if not isinstance(subject, URIRef) or subject not in data_nodes:
        return False
    if predicate == OWL.sameAs and subject == obj:
        return False
    return not (predicate == RDF.type and obj in _NOISE_TYPES)


def _owlrl(graph: Graph) -> set[Triple]:
    import owlrl  # noqa: PLC0415 - slow to import; only this engine needs it

    full = Graph()
    full += graph
    full += ontology()
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(full)
    return set(full)


def _reasonable(graph: Graph) -> set[Triple]:
    import reasonable  # noqa: PLC0415 - only this engine needs it

    chains = property_chains(ontology())
    found: set[Triple] = set(graph) | set(ontology())
    while True:
        reasoner = reasonable.PyReasoner()
        reasoner.from_graph(list(found))
        closure = set(_plain(reasoner.reason())) | found
        extra = {t for chain in chains for t in apply_chain(closure, *chain)} - closure
        if not extra:
            return closure
        found = closure | extra


def property_chains(ontology_graph: Graph) -> list[tuple[Node, list[Node]]]:
    """(property, [p1, …, pn]) for each owl:propertyChainAxiom in the ontology."""
    return [
        (prop, list(Collection(ontology_graph, head)))
        for prop, head in sorted(ontology_graph.subject_objects(OWL.propertyChainAxiom))
    ]


def apply_chain(triples: set[Triple], prop: Node, steps: list[Node]) -> set[Triple]:
    """x prop z wherever x p1 y1 … y(n-1) pn z."""
    by_predicate: dict[Node, dict[Node, set[Node]]] = defaultdict(lambda: defaultdict(set))
    for s, p, o in triples:
        if p in steps:
            by_predicate[p][s].add(o)
    reach = {s: set(objects) for s, objects in by_predicate[steps[0]].items()}
    for step in steps[1:]:
        hops = by_predicate[step]
        reach = {s: {z for y in ys for z in hops.get(y, ())} for s, ys in reach.items()}
    return {(s, prop, z) for s, zs in reach.items() for z in zs}
