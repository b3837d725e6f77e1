"""SPARQL query results in the W3C formats (CSV, TSV, JSON, XML) and as a table for a terminal.

Each writer follows its W3C recommendation (SPARQL 1.1 Query Results CSV and TSV, JSON, and the
SPARQL Query Results XML Format); tests/test_results.py checks them against Oxigraph's writers.

- CSV: variable names as the header, CRLF line ends, IRIs bare, literals as their lexical form,
  blank nodes ``_:label``, unbound empty; a field holding ``"`` ``,`` CR or LF is quoted (RFC 4180).
- TSV: ``?name`` header, terms in Turtle syntax, LF line ends, unbound empty. An xsd:integer,
  xsd:decimal, xsd:double or xsd:boolean whose lexical form is one of Turtle's abbreviated
  numbers or booleans is written bare (``42``, ``1.5``, ``1e3``, ``true``), as Oxigraph does;
  any other form in full (``"1"^^xsd:decimal``: Turtle's decimal needs a dot).
- JSON and XML: xsd:string literals are written without a datatype, as simple literals (the same
  literal in RDF 1.1). XML 1.0 cannot hold most C0 controls at all, not even as character
  references, so a value with one is refused (JSON and TSV can write it).
- Table: for reading, not parsing; IRIs as prefixed names where a prefix covers them, line breaks
  and other controls escaped so that a value never breaks a row.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kg.errors import UsageError, one_line
from kg.store import Result

_XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_STRING = _XSD + "string"
_SPARQL_RESULTS = "http://www.w3.org/2005/sparql-results#"
_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'


def _unsupported(term: Node) -> TypeError:
    return TypeError(f"not an RDF term of a query result: {term!r}")


def _datatype(term: Literal) -> str | None:
    """The datatype IRI of a typed literal; None for a simple (xsd:string) or language-tagged one."""
    if term.language or term.datatype is None or str(term.datatype) == _XSD_STRING:
        return None
    return str(term.datatype)


# ---------------------------------------------------------------- CSV

_CSV_QUOTED = re.compile('[",\r\n]')


def _csv_field(value: str) -> str:
    return '"' + value.replace('"', '""') + '"' if _CSV_QUOTED.search(value) else value


def _csv_term(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, URIRef | Literal):
        return str(term)
    raise _unsupported(term)


def _csv_lines(rows: Iterable[Sequence[str]]) -> str:
    return "".join(",".join(map(_csv_field, row)) + "\r\n" for row in rows)


def select_csv(result: Result) -> str:
    """The SPARQL 1.1 Query Results CSV Format."""
    return _csv_lines([result.columns, *([_csv_term(t) for t in row] for row in result.rows)])


# ---------------------------------------------------------------- TSV

_STRING_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r"})
# Characters an IRIREF cannot hold (a valid IRI has none), as \u escapes, so no IRI breaks a row.
_IRI_ESCAPES = {code: f"\\u{code:04X}" for code in (*range(0x21), *map(ord, '<>"{}|^`\\'))}
# Turtle's INTEGER, DECIMAL, DOUBLE and boolean productions: the forms TSV may write bare.
_BARE = {
    _XSD + "integer": re.compile(r"[+-]?[0-9]+"),
    _XSD + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    _XSD + "double": re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+"),
    _XSD + "boolean": re.compile(r"true|false"),
}


def _turtle_iri(iri: str) -> str:
    return "<" + iri.translate(_IRI_ESCAPES) + ">"


def _turtle_string(text: str) -> str:
    return '"' + text.translate(_STRING_ESCAPES) + '"'


def _turtle_literal(term: Literal) -> str:
    lexical = str(term)
    if term.language:
        return f"{_turtle_string(lexical)}@{term.language}"
    datatype = _datatype(term)
    if datatype is None:
        return _turtle_string(lexical)
    bare = _BARE.get(datatype)
    if bare is not None and bare.fullmatch(lexical):
        return lexical
    return f"{_turtle_string(lexical)}^^{_turtle_iri(datatype)}"


def _tsv_term(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return _turtle_iri(str(term))
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        return _turtle_literal(term)
    raise _unsupported(term)


def select_tsv(result: Result) -> str:
    """The SPARQL 1.1 Query Results TSV Format."""
    rows = [[f"?{c}" for c in result.columns], *([_tsv_term(t) for t in row] for row in result.rows)]
    return "".join("\t".join(row) + "\n" for row in rows)


# ---------------------------------------------------------------- JSON


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if not isinstance(term, Literal):
        raise _unsupported(term)
    value = {"type": "literal", "value": str(term)}
    if term.language:
        value["xml:lang"] = term.language
    elif (datatype := _datatype(term)) is not None:
        value["datatype"] = datatype
    return value


def _json(document: object) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def select_json(result: Result) -> str:
    """The SPARQL 1.1 Query Results JSON Format."""
    bindings = [
        {column: _json_term(term) for column, term in zip(result.columns, row, strict=True) if term is not None}
        for row in result.rows
    ]
    return _json({"head": {"vars": result.columns}, "results": {"bindings": bindings}})


def ask_json(answer: bool) -> str:
    return _json({"head": {}, "boolean": answer})


# ---------------------------------------------------------------- XML

_NOT_XML = re.compile(r"[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")
# CR as a reference: an XML parser reads a bare CR (or CRLF) as LF.
_XML_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
# Attribute values: a parser reads bare tab and line breaks as spaces.
_XML_ATTRIBUTE = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}
)


def _xml_safe(text: str) -> str:
    if (bad := _NOT_XML.search(text)) is not None:
        raise UsageError(
            f"the value {one_line(text)!r} holds U+{ord(bad.group()):04X}, which XML 1.0 cannot write; use json or tsv"
        )
    return text


def _xml_text(text: str) -> str:
    return _xml_safe(text).translate(_XML_TEXT)


def _xml_attribute(text: str) -> str:
    return _xml_safe(text).translate(_XML_ATTRIBUTE)


def _xml_literal(term: Literal) -> str:
    if term.language:
        attribute = f' xml:lang="{_xml_attribute(term.language)}"'
    elif (datatype := _datatype(term)) is not None:
        attribute = f' datatype="{_xml_attribute(datatype)}"'
    else:
        attribute = ""
    return f"<literal{attribute}>{_xml_text(str(term))}</literal>"


def _xml_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{_xml_text(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{_xml_text(str(term))}</bnode>"
    if isinstance(term, Literal):
        return _xml_literal(term)
    raise _unsupported(term)


def _xml_result(columns: Sequence[str], row: Sequence[Node | None]) -> list[str]:
    bindings = [
        f'   <binding name="{_xml_attribute(c)}">{_xml_term(t)}</binding>'
        for c, t in zip(columns, row, strict=True)
        if t is not None
    ]
    return ["  <result>", *bindings, "  </result>"]


def _sparql_document(body: Iterable[str]) -> str:
    return "\n".join([_XML_DECLARATION, f'<sparql xmlns="{_SPARQL_RESULTS}">', *body, "</sparql>"]) + "\n"


def select_xml(result: Result) -> str:
    """The SPARQL Query Results XML Format."""
    variables = [f'  <variable name="{_xml_attribute(c)}"/>' for c in result.columns]
    results = [line for row in result.rows for line in _xml_result(result.columns, row)]
    return _sparql_document([" <head>", *variables, " </head>", " <results>", *results, " </results>"])


def ask_xml(answer: bool) -> str:
    return _sparql_document([" <head/>", f" <boolean>{'true' if answer else 'false'}</boolean>"])


# ---------------------------------------------------------------- text and table


def ask_text(answer: bool) -> str:
    """An ASK answer as text: also its CSV, TSV and table."""
    return "true\n" if answer else "false\n"


# What a local name shown in a table may not hold: enough for reading, not a Turtle PN_LOCAL.
_NOT_LOCAL = re.compile(r'[\s<>"{}|^`\\]')


def _prefixed(iri: str, namespaces: Sequence[tuple[str, str]]) -> str:
    for prefix, namespace in namespaces:
        local = iri[len(namespace) :]
        if iri.startswith(namespace) and local and not _NOT_LOCAL.search(local):
            return f"{prefix}:{local}"
    return f"<{iri}>"


def _table_cell(term: Node | None, namespaces: Sequence[tuple[str, str]]) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return one_line(_prefixed(str(term), namespaces))
    if isinstance(term, BNode):
        return one_line(f"_:{term}")
    if isinstance(term, Literal):
        return one_line(str(term))
    raise _unsupported(term)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def select_table(result: Result, prefixes: Mapping[str, str]) -> str:
    """Aligned columns for a terminal (East Asian wide characters count double); IRIs as prefixed
    names where one of ``prefixes`` (prefix → namespace IRI, the longest namespace first) covers them."""
    namespaces = sorted(prefixes.items(), key=lambda item: len(item[1]), reverse=True)
    cells = [[one_line(c) for c in result.columns]]
    cells += [[_table_cell(t, namespaces) for t in row] for row in result.rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(result.columns))]
    lines = ["  ".join(c + " " * (w - _width(c)) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + f"\n({len(result.rows)} rows)\n"
