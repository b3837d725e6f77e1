"""Graph files → triples, through one door for every command and both stores.

A guard must judge what the engine runs, so the checks are the parsers' own: Turtle, TriG,
N-Triples, N-Quads and JSON-LD are parsed by Oxigraph's parsers, which validate every IRI and
language tag and have no way to fetch a remote JSON-LD context (``@context`` strings, arrays,
scoped contexts, ``@import``); RDF/XML is parsed by rdflib's parser on expat, with a document
type declaration refused by that same parser as it meets it (so entities cannot be declared in
any encoding XML allows). Validate, export, reason and query on either store all load here, and
every parser error is ``path:line:col``.
"""

from __future__ import annotations

import io
import re
import xml.sax
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.exceptions import ParserError
from rdflib.parser import create_input_source
from rdflib.plugins.parsers.rdfxml import create_parser
from rdflib.term import Node

from kg.defaults import STDIN
from kg.errors import Diagnostic, SourceError, UsageError
from kg.files import read_input
from kg.formats import FormatName, format_of

# kg's format → Oxigraph's; None: RDF/XML, parsed by rdflib (see the module's text)
OXIGRAPH_FORMATS: dict[FormatName, ox.RdfFormat | None] = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": None,
}
# A graph file is read whole: the limit bounds memory (the graph of every article we know of
# is about 4 MB of Turtle).
MAX_GRAPH_BYTES = 512 * 1024 * 1024
# Oxigraph's JSON-LD parser recurses once per level and overflows the stack a few thousand
# levels down (a crash, not an error); JSON-LD documents nest a dozen levels.
MAX_JSON_DEPTH = 500
_JSON_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
OxNode = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple  # a term, as Oxigraph types them
TermTriple = tuple[OxNode, OxNode, OxNode]


def read_triples(path: Path, given: str | None = None) -> Iterator[ox.Triple]:
    """Every triple of the graph file (of every graph, for TriG and N-Quads), as parsed;
    ``-`` reads standard input. ``given`` names the format, else the suffix tells it."""
    fmt = format_of(path, given)
    if path != STDIN and not path.exists():
        raise UsageError(f"{path}: no such graph file (run `kg build` first)")
    name = Path("<stdin>") if path == STDIN else path
    return parse_triples(name, read_input(path, MAX_GRAPH_BYTES, "a graph"), OXIGRAPH_FORMATS[fmt.name])


def parse_triples(path: Path, data: bytes, fmt: ox.RdfFormat | None) -> Iterator[ox.Triple]:
    """The triples of ``data`` in ``fmt`` (None: RDF/XML) as they are parsed, so that the
    caller keeps only what it makes of them (at 1M triples, a list of the parsed ones took
    ~300 MB); errors are located in ``path``, a syntax error raised where it is met."""
    if not data.strip():
        raise _error(path, 1, 1, "empty-file", "the graph file is empty")
    if fmt is None:
        return iter(list(_from_rdflib(path, _parse_rdfxml(path, data))))
    if fmt == ox.RdfFormat.JSON_LD:
        _check_json_depth(path, data)
    return _parsed(path, data, fmt)


def _parsed(path: Path, data: bytes, fmt: ox.RdfFormat) -> Iterator[ox.Triple]:
    try:
        for quad in ox.parse(data, format=fmt, base_iri=None):
            yield quad.triple
    except SyntaxError as exc:
        raise _parse_error(path, fmt.name, exc) from None


def _check_json_depth(path: Path, data: bytes) -> None:
    """Refuse JSON nested deeper than MAX_JSON_DEPTH (strings skipped whole: brackets in them
    do not count), with the place where it gets too deep."""
    depth = 0
    for token in _JSON_TOKENS.finditer(data):
        bracket = token[0][:1]
        if bracket in b"[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                before = data[: token.start()]
                line, col = before.count(b"\n") + 1, token.start() - before.rfind(b"\n")
                message = f"JSON nested more than {MAX_JSON_DEPTH} levels deep: no JSON-LD document is"
                raise _error(path, line, col, "too-deep", message)
        elif bracket in b"]}":
            depth -= 1


def load_graph(path: Path, given: str | None = None) -> Graph:
    """The graph file as an rdflib graph, language tags in BCP 47 case."""
    return as_rdflib(path, read_triples(path, given))


def as_rdflib(
    path: Path, triples: Iterable[ox.Triple] | Iterable[TermTriple], terms: dict[object, Node] | None = None
) -> Graph:
    """The triples in an rdflib graph (see ``rdflib_triples``)."""
    graph = Graph()
    try:
        graph.addN((*triple, graph) for triple in rdflib_triples(triples, terms))
    except ValueError as exc:
        raise _error(path, 1, 1, "bad-graph", str(exc)) from None
    return graph


def rdflib_triples(
    triples: Iterable[ox.Triple] | Iterable[TermTriple], terms: dict[object, Node] | None = None
) -> Iterator[tuple[Node, Node, Node]]:
    """The triples in rdflib's terms, each distinct term made once and shared by every triple
    that holds it (a graph's IRIs recur in many triples: at 180k triples this took a quarter
    less time and a fifth less memory than a term per place); ``terms`` keeps the terms made
    for the next call."""
    terms = {} if terms is None else terms

    def term(value: object) -> Node:
        if (found := terms.get(value)) is None:
            found = terms[value] = to_rdflib(value)
        return found

    return ((term(s), term(p), term(o)) for s, p, o in triples)


class Triples:
    """A graph's triples by subject, in Oxigraph's terms as parsed: literals as written (an
    Oxigraph store would rewrite "08"^^xsd:positiveInteger as "8"^^xsd:integer). Each distinct
    term is one object, shared by every triple that holds it: about a third of the memory of
    an rdflib graph."""

    def __init__(self, triples: Iterable[ox.Triple]) -> None:
        self.by_subject: dict[OxNode, list[tuple[OxNode, OxNode]]] = defaultdict(list)
        terms: dict[OxNode, OxNode] = {}
        for subject, predicate, obj in triples:
            pair = (terms.setdefault(predicate, predicate), terms.setdefault(obj, obj))
            self.by_subject[terms.setdefault(subject, subject)].append(pair)
        self.count = sum(map(len, self.by_subject.values()))

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[TermTriple]:
        return ((subject, p, o) for subject, about in self.by_subject.items() for p, o in about)

    def about(self, node: OxNode) -> list[tuple[OxNode, OxNode]]:
        """The (predicate, object) pairs of the node's triples."""
        return self.by_subject.get(node, [])


def _error(path: Path, line: int, col: int, code: str, message: str) -> SourceError:
    return SourceError(Diagnostic(str(path), line, col, "error", code, " ".join(message.split())))


def _parse_error(path: Path, fmt: str, exc: SyntaxError) -> SourceError:
    message = exc.msg.split(": ", 1)[-1] if exc.msg.startswith("Parser error") else exc.msg
    if "LoadDocumentCallback" in message:
        return _error(path, 1, 1, "remote-context", "a remote JSON-LD context is never fetched; inline the context")
    return _error(path, exc.lineno or 1, exc.offset or 1, "bad-graph", f"cannot parse {fmt}: {message}")


# ---------------------------------------------------------------- RDF/XML


class _DocumentTypeRefused(xml.sax.SAXParseException):
    pass


class _NoDocumentType(xml.sax.handler.LexicalHandler):
    """Refuses a DOCTYPE as expat meets it, in whatever encoding expat decoded the file."""

    def __init__(self, parser: xml.sax.xmlreader.XMLReader) -> None:
        self.parser = parser

    def startDTD(self, name: str, public_id: str | None, system_id: str | None) -> None:
        locator: xml.sax.xmlreader.Locator = self.parser  # type: ignore[assignment] # expat's reader is its locator
        raise _DocumentTypeRefused("a document type declaration (which can declare entities) is refused", None, locator)


def _parse_rdfxml(path: Path, data: bytes) -> Graph:
    graph = Graph()
    source = create_input_source(source=io.BytesIO(data), publicID="")
    parser = create_parser(source, graph)
    parser.setProperty(xml.sax.handler.property_lexical_handler, _NoDocumentType(parser))
    try:
        parser.parse(source)
    except xml.sax.SAXParseException as exc:
        raise _error(
            path,
            exc.getLineNumber() or 1,
            (exc.getColumnNumber() or 0) + 1,
            "xml-doctype" if isinstance(exc, _DocumentTypeRefused) else "bad-graph",
            f"cannot parse RDF/XML: {exc.getMessage()}",
        ) from None
    except (ParserError, xml.sax.SAXException, ValueError) as exc:
        raise _error(path, 1, 1, "bad-graph", f"cannot parse RDF/XML: {exc}") from None
    return graph


def _from_rdflib(path: Path, graph: Graph) -> Iterator[ox.Triple]:
    """rdflib's terms as Oxigraph's, which checks each IRI and language tag as its parsers do."""
    for triple in graph:
        try:
            yield oxigraph_triple(triple)
        except (ValueError, TypeError) as exc:
            raise _error(path, 1, 1, "bad-graph", f"cannot parse RDF/XML: {exc}") from None


# ---------------------------------------------------------------- terms


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    assert isinstance(term, Literal)
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype))) if term.datatype else ox.Literal(str(term))


def to_rdflib(term: object) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=canonical_language(term.language))
        datatype = term.datatype.value
        # the lexical form as written: rdflib would rewrite "1000"^^xsd:double as "1000.0"
        return (
            Literal(term.value)
            if datatype == _XSD_STRING
            else Literal(term.value, datatype=URIRef(datatype), normalize=False)
        )
    raise ValueError(f"an RDF-star quoted triple is not supported: {term}")


def oxigraph_triple(triple: tuple[Node, Node, Node]) -> ox.Triple:
    subject, predicate, obj = (to_oxigraph(term) for term in triple)
    if isinstance(subject, ox.Literal) or not isinstance(predicate, ox.NamedNode):
        raise ValueError(f"not an RDF triple: {triple}")
    return ox.Triple(subject, predicate, obj)


def triples_of(graph: Graph) -> Iterable[ox.Triple]:
    return (oxigraph_triple(triple) for triple in graph)


def canonical_language(tag: str) -> str:
    """BCP 47 case (zh-Hans, en-GB): Oxigraph lower-cases tags, rdflib keeps them as written."""
    parts = tag.split("-")
    fixed = [parts[0].lower()]
    for part in parts[1:]:
        fixed.append(part.title() if len(part) == 4 else part.upper() if len(part) == 2 else part.lower())
    return "-".join(fixed)
