"""Graphs to bytes: Turtle, JSON-LD, N-Triples, N-Quads, TriG and RDF/XML, byte-identical for
the same graph.

Every writer here writes in sorted order (rdflib's follow its store's hash order): Turtle by
subject and predicate, N-Triples by line, JSON-LD (kg.jsonld) by node, key and value, RDF/XML
by subject.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.errors import UsageError
from kg.formats import FormatName, rdf_format
from kg.jsonld import jsonld
from kg.resources import jsonld_context

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE = URIRef(_RDF + "type")
_PN_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def serialize(graph: Graph, fmt: str) -> bytes:
    """The graph in ``fmt`` (a name, alias or media type of kg.formats), the same bytes for the
    same triples. Every triple is in the default graph, so the Turtle is also the graph's TriG
    and the N-Triples its N-Quads."""
    return _WRITERS[rdf_format(fmt).name](graph).encode("utf-8")


def _turtle(graph: Graph) -> str:
    return turtle_bytes(graph, graph.namespaces()).decode("utf-8")


def turtle_bytes(triples: Iterable[tuple[Node, Node, Node]], namespaces: Iterable[tuple[str, Node]]) -> bytes:
    """Subjects, predicates (rdf:type first) and objects in sorted order, one block per subject;
    vocabulary terms under the ``namespaces`` (prefix, IRI) that fit them; in UTF-8, a block
    encoded as it is written (the whole text as one string took 150 MB more at 1M triples). The
    same triples give the same bytes, from a graph or from any collection of triples.

    Written here rather than by rdflib's Turtle writer, which took 250 ms of a 1 s build.
    """
    names = _Names(namespaces)
    by_subject: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
    for subject, predicate, obj in triples:
        by_subject[subject].append((predicate, obj))
    blocks: list[bytes] = []
    for subject in sorted(by_subject, key=lambda n: n.n3()):
        pairs = sorted(by_subject[subject], key=lambda po: (po[0] != RDF_TYPE, names.term(po[0]), po[1].n3()))
        lines, previous = [], None
        for predicate, obj in pairs:
            if predicate == previous:
                lines[-1] += " ,\n        " + names.term(obj)
            else:
                lines.append(("a" if predicate == RDF_TYPE else names.term(predicate)) + " " + names.term(obj))
            previous = predicate
        blocks.append((names.term(subject) + " " + " ;\n    ".join(lines) + " .\n").encode("utf-8"))
    prefixes = "".join(f"@prefix {prefix}: <{ns}> .\n" for prefix, ns in sorted(names.used.items()))
    return prefixes.encode("utf-8") + b"\n" + b"\n".join(blocks)


def turtle_pieces(turtle: bytes, subjects: int = 5_000) -> Iterator[bytes]:
    """Turtle as ``turtle_bytes`` writes it, in pieces of up to ``subjects`` subject blocks, each
    with the prefixes: Turtle on its own. (Oxigraph's bulk loader took 870 MB for 1M triples
    loaded at once; in pieces of 5,000 subjects 57 MB, 2 s slower.) ``turtle_bytes`` writes the
    prefixes, then each subject's block after a blank line, and no line break inside a string,
    so a blank line ends a block."""
    head_end = turtle.find(b"\n\n") if turtle.startswith(b"@prefix") else -1
    head, position = (turtle[:head_end], head_end + 2) if head_end >= 0 else (b"", 0)
    while position < len(turtle):
        end = position
        for _ in range(subjects):
            found = turtle.find(b"\n\n", end)
            end = len(turtle) if found < 0 else found + 2
            if found < 0:
                break
        yield head + b"\n\n" + turtle[position:end]
        position = end


class _Names:
    """Prefixed names for vocabulary terms; full IRIs for everything else."""

    def __init__(self, namespaces: Iterable[tuple[str, Node]]) -> None:
        # A prefixed name's local part holds no "/" nor "#", so the namespace of an IRI holds
        # all of it up to its last "/" or "#": namespaces are looked up by that head, longest
        # first, not tried one by one for each IRI.
        self.by_head: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for namespace, prefix in sorted(((str(ns), p) for p, ns in namespaces if p), key=lambda item: -len(item[0])):
            self.by_head[_head(namespace)].append((namespace, prefix))
        self.used: dict[str, str] = {}
        self._seen: dict[str, str] = {}

    def term(self, node: Node) -> str:
        if isinstance(node, URIRef):
            text = str(node)
            if text not in self._seen:
                self._seen[text] = self._iri(text)
            return self._seen[text]
        if isinstance(node, Literal):
            return literal(node, self._iri)
        return node.n3()

    def _iri(self, iri: str) -> str:
        for namespace, prefix in self.by_head.get(_head(iri), ()):
            local = iri[len(namespace) :]
            if iri.startswith(namespace) and _PN_LOCAL.fullmatch(local):
                self.used[prefix] = namespace
                return f"{prefix}:{local}"
        return f"<{iri}>"


def _head(iri: str) -> str:
    return iri[: max(iri.rfind("/"), iri.rfind("#")) + 1]


# Turtle and N-Triples strings, always in the short quoted form with every line break, quote,
# backslash and control character escaped: correct for every string (rdflib's long-string
# form broke on a value ending in a backslash before a quote).
_STRING_ESCAPES = {**{code: f"\\u{code:04X}" for code in range(0x20)}, 0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"}
_STRING_ESCAPES |= {0x22: '\\"', 0x5C: "\\\\", 0x7F: "\\u007F"}


def literal(node: Literal, iri: Callable[[str], str]) -> str:
    """A literal in Turtle or N-Triples; ``iri`` writes its datatype."""
    text = '"' + str(node).translate(_STRING_ESCAPES) + '"'
    if node.language:
        return f"{text}@{node.language}"
    return f"{text}^^{iri(str(node.datatype))}" if node.datatype is not None else text


def _nt_term(node: Node) -> str:
    if isinstance(node, Literal):
        return literal(node, lambda iri: f"<{iri}>")
    return f"<{node}>" if isinstance(node, URIRef) else node.n3()


def _ntriples(graph: Graph, graph_iri: URIRef | None = None) -> str:
    """Sorted lines; with ``graph_iri``, N-Quads lines in that named graph."""
    label = f" <{graph_iri}>" if graph_iri is not None else ""
    lines = {f"{_nt_term(s)} {_nt_term(p)} {_nt_term(o)}{label} .\n" for s, p, o in graph}
    return "".join(sorted(lines))


def _jsonld(graph: Graph) -> str:
    """Compact JSON-LD with the context of ontology/context.jsonld inlined."""
    return jsonld(graph, jsonld_context()["@context"])


def _rdfxml(graph: Graph) -> str:
    namespaces = dict(sorted((str(ns), prefix) for prefix, ns in graph.namespaces() if prefix))
    used: dict[str, str] = {_RDF: "rdf"}
    body = []
    for subject in sorted(set(graph.subjects()), key=lambda n: n.n3()):
        about = f"rdf:about={quoteattr(str(subject))}" if isinstance(subject, URIRef) else f'rdf:nodeID="{subject}"'
        body.append(f"  <rdf:Description {about}>")
        for predicate, obj in sorted(graph.predicate_objects(subject), key=lambda po: (po[0].n3(), po[1].n3())):
            body.append("    " + _xml_property(URIRef(str(predicate)), obj, namespaces, used))
        body.append("  </rdf:Description>")
    declarations = " ".join(f'xmlns:{prefix}="{ns}"' for ns, prefix in sorted(used.items(), key=lambda item: item[1]))
    return f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF {declarations}>\n' + "\n".join(body) + "\n</rdf:RDF>\n"


def _xml_property(predicate: URIRef, obj: Node, namespaces: dict[str, str], used: dict[str, str]) -> str:
    iri = str(predicate)
    namespace = next((ns for ns in sorted(namespaces, key=len, reverse=True) if iri.startswith(ns)), "")
    local = iri[len(namespace) :]
    if not namespace or not re.fullmatch(r"[A-Za-z_][\w.-]*", local):
        namespace, local = re.match(r"(.*?)([A-Za-z_][\w.-]*)$", iri).groups()  # type: ignore[union-attr]
    prefix = used.setdefault(namespace, namespaces.get(namespace, f"ns{len(used)}"))
    tag = f"{prefix}:{local}"
    if isinstance(obj, URIRef):
        return f"<{tag} rdf:resource={quoteattr(str(obj))}/>"
    if isinstance(obj, BNode):
        return f'<{tag} rdf:nodeID="{obj}"/>'
    assert isinstance(obj, Literal)
    attribute = (
        f" xml:lang={quoteattr(obj.language)}"
        if obj.language
        else f" rdf:datatype={quoteattr(str(obj.datatype))}"
        if obj.datatype
        else ""
    )
    return f"<{tag}{attribute}>{escape(str(obj))}</{tag}>"


_WRITERS: dict[FormatName, Callable[[Graph], str]] = {
    "turtle": _turtle,
    "trig": _turtle,
    "ntriples": _ntriples,
    "nquads": _ntriples,
    "jsonld": _jsonld,
    "rdfxml": _rdfxml,
}


def with_inferred(asserted: Graph, inferred: Graph, graph_iri: URIRef, fmt: str = "trig") -> bytes:
    """TriG or N-Quads: the asserted triples in the default graph, the inferred ones in their own graph."""
    name = rdf_format(fmt).name
    if name == "nquads":
        return (_ntriples(asserted) + _ntriples(inferred, graph_iri)).encode("utf-8")
    if name != "trig":
        raise UsageError("the inferences in their own graph need --output-format trig or nquads")
    body = _turtle(inferred)
    prefixes = "".join(line + "\n" for line in body.splitlines() if line.startswith("@prefix"))
    triples = "".join(
        "    " + line + "\n" if line else "\n" for line in body.splitlines() if not line.startswith("@prefix")
    )
    named = f"{prefixes}\n<{graph_iri}> {{\n{triples.rstrip()}\n}}\n"
    return _turtle(asserted).encode("utf-8") + b"\n" + named.encode("utf-8")
