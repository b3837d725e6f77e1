"""The stored query catalogue (queries/*.rq) and running a query with bound parameters.

Each .rq file opens with header comment lines, so it stays valid SPARQL:

    #+ summary: one line
    #+ param: NAME (TYPE) = DEFAULT -- description        (or NAME (TYPE)? for optional)
    #+ columns: first, second, …

Parameters are bound as RDF terms (rdflib initBindings, pyoxigraph substitutions), never
pasted into the query text. TYPE says how a value is read: international (abbreviation,
name or IRI), party (zh.wikipedia title, name or IRI), role (a role id of kg/lexicon/roles.toml),
integer or string.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Identifier, Node

from kg.delimited import csv_text, tsv_text
from kg.errors import Diagnostic, SourceError, UsageError
from kg.files import read_regular
from kg.lexicon import lexicon
from kg.resources import QUERIES_DIR
from kg.store import Result, Store
from kg.vocab import KGO, SKOS, role_term

_HEADER = re.compile(r"^#\+\s*(?P<key>\w+)\s*:\s*(?P<value>.*?)\s*$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_]\w*)\s*\((?P<type>\w+)\)\s*(?:(?P<optional>\?)|=\s*(?P<default>\S+))?\s*--\s*(?P<about>.+)$"
)
_COLUMN = re.compile(r"^[A-Za-z_]\w*$")
PARAM_TYPES = ("international", "party", "role", "integer", "string")
_CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# The keyword anywhere, even in what one parser reads as a string or a comment: another
# parser may read that text as a call (the guard must not depend on agreeing with the engine).
_SERVICE_WORD = re.compile(r"(?<![A-Za-z0-9_])service(?![A-Za-z0-9_])", re.IGNORECASE)
MAX_QUERY_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None
    optional: bool
    about: str


@dataclass(frozen=True)
class StoredQuery:
    name: str
    path: Path
    summary: str
    params: tuple[Param, ...]
    columns: tuple[str, ...]
    text: str


def _header_error(path: Path, line: int, message: str) -> SourceError:
    return SourceError(Diagnostic(str(path), line, 1, "error", "bad-query-header", message))


def load_query(path: Path) -> StoredQuery:
    """A query file with its parsed header; a malformed header names file and line. Its text
    is kept with the codepoint escapes processed, and that text is what every check and every
    engine reads."""
    try:
        text = process_escapes(path, read_regular(path, MAX_QUERY_BYTES, "a query").decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise _header_error(path, 1, f"cannot read query: {exc}") from None
    fields: dict[str, list[tuple[int, str]]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#+"):
            continue
        match = _HEADER.match(line)
        if match is None or match["key"] not in ("summary", "param", "columns"):
            raise _header_error(path, number, f"header line must be '#+ summary|param|columns: …', not '{line}'")
        fields.setdefault(match["key"], []).append((number, match["value"]))
    for key in ("summary", "columns"):
        if len(fields.get(key, [])) != 1:
            raise _header_error(path, 1, f"the header needs exactly one '#+ {key}:' line")
    return StoredQuery(
        name=path.stem,
        path=path,
        summary=fields["summary"][0][1],
        params=tuple(_param(path, number, value) for number, value in fields.get("param", [])),
        columns=_columns(path, *fields["columns"][0]),
        text=text,
    )


def process_escapes(path: Path, text: str) -> str:
    """SPARQL 1.1 §19.2: \\u and \\U escapes are processed before parsing, once, over the whole
    text. Engines differ here (Oxigraph only reads them inside strings and IRIs), so they are
    processed here and the engines given text with none left; a text whose processing makes a
    new escape is refused, since an engine could process it a second time."""

    def codepoint(match: re.Match[str]) -> str:
        value = int(match[1] or match[2], 16)
        if 0xD800 <= value <= 0xDFFF or value > 0x10FFFF:
            line, col = _position(text, match.start())
            raise _query_error(path, line, col, f"'{match[0]}' is not a character")
        return chr(value)

    processed = _CODEPOINT_ESCAPE.sub(codepoint, text)
    if left := _CODEPOINT_ESCAPE.search(processed):
        line, col = _position(processed, left.start())
        raise _query_error(path, line, col, f"escapes that spell another escape ('{left[0]}') are refused")
    return processed


def _position(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _query_error(path: Path, line: int, col: int, message: str) -> SourceError:
    return SourceError(Diagnostic(str(path), line, col, "error", "bad-query", message))


def _param(path: Path, number: int, value: str) -> Param:
    match = _PARAM.match(value)
    if match is None or match["type"] not in PARAM_TYPES:
        raise _header_error(
            path,
            number,
            f"param must be 'NAME (TYPE) = DEFAULT -- about' or 'NAME (TYPE)? -- about' with TYPE one of {', '.join(PARAM_TYPES)}",
        )
    if match["default"] is None and not match["optional"]:
        raise _header_error(path, number, f"param {match['name']} needs '= DEFAULT' or '?' (optional)")
    return Param(match["name"], match["type"], match["default"], bool(match["optional"]), match["about"])


def _columns(path: Path, number: int, value: str) -> tuple[str, ...]:
    columns = tuple(c.strip() for c in value.split(","))
    if not columns or not all(_COLUMN.match(c) for c in columns):
        raise _header_error(path, number, "columns must be a comma-separated list of variable names")
    return columns


def catalogue(directory: Path = QUERIES_DIR) -> dict[str, StoredQuery]:
    return {q.name: q for q in (load_query(p) for p in sorted(directory.glob("*.rq")))}


def find_query(name: str) -> StoredQuery:
    """A catalogue query by name, or any .rq file by path."""
    if name.endswith(".rq") and Path(name).is_file():
        return load_query(Path(name))
    queries = catalogue()
    if name not in queries:
        raise UsageError(f"no stored query '{name}'; the catalogue has: {', '.join(queries)}")
    return queries[name]


def bind(query: StoredQuery, store: Store, values: dict[str, str]) -> dict[str, Identifier]:
    """The RDF term each parameter stands for; unknown names and values are usage errors."""
    known = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(known))
    if unknown:
        names = ", ".join(known) or "none"
        raise UsageError(f"query {query.name} has no parameter {', '.join(unknown)}; its parameters: {names}")
    bindings: dict[str, Identifier] = {}
    for param in query.params:
        value = values.get(param.name, param.default)
        if value is not None:
            bindings[param.name] = RESOLVERS[param.type](store, param.name, value)
    return bindings


def _iri_or_lookup(store: Store, kind: str, value: str, cls: URIRef, predicates: tuple[URIRef, ...]) -> URIRef:
    if value.startswith(("http://", "https://")):
        return URIRef(value)
    found = store.find(cls, predicates, value)
    if len(found) == 1:
        return found[0]
    if not found:
        raise UsageError(f"no {kind} called '{value}' in the graph; give its IRI or another name")
    raise UsageError(f"'{value}' names {len(found)} {kind}s ({', '.join(map(str, found))}); give one IRI")


def _international(store: Store, name: str, value: str) -> Identifier:
    return _iri_or_lookup(
        store, "international", value, KGO.International, (KGO.abbreviation, SKOS.prefLabel, SKOS.altLabel)
    )


def _party(store: Store, name: str, value: str) -> Identifier:
    return _iri_or_lookup(store, "party", value, KGO.Party, (KGO.zhwikiTitle, SKOS.prefLabel, SKOS.altLabel))


def _role(store: Store, name: str, value: str) -> Identifier:
    roles = [role.id for role in lexicon().roles]
    if value not in roles:
        raise UsageError(f"{name} must be one of {', '.join(roles)}, not '{value}'")
    return role_term(value)


def _integer(store: Store, name: str, value: str) -> Identifier:
    if not re.fullmatch(r"-?\d+", value):
        raise UsageError(f"{name} must be an integer, not '{value}'")
    return Literal(int(value))


RESOLVERS: dict[str, Callable[[Store, str, str], Identifier]] = {
    "international": _international,
    "party": _party,
    "role": _role,
    "integer": _integer,
    "string": lambda store, name, value: Literal(value),
}


def remote_parts(text: str) -> list[str]:
    """What in a query would reach another server: SERVICE calls and FROM / FROM NAMED graphs."""
    from pyparsing import ParseException, ParseResults  # noqa: PLC0415 - rdflib's parser, loaded on first use
    from rdflib.plugins.sparql.parser import parseQuery  # noqa: PLC0415
    from rdflib.plugins.sparql.parserutils import CompValue  # noqa: PLC0415

    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                found.append(f"SERVICE {node['term']}")
            elif node.name == "DatasetClause":
                graph = node["default"] if "default" in node else node["named"]
                found.append(f"FROM <{graph}>")
            for value in node.values():
                walk(value)
        elif isinstance(node, (list, ParseResults)):
            for value in node:
                walk(value)

    try:
        walk(parseQuery(text))
    except ParseException as exc:
        raise UsageError(f"not valid SPARQL at line {exc.lineno}, column {exc.col}: {exc.msg}") from None
    if not any(part.startswith("SERVICE") for part in found) and (word := _SERVICE_WORD.search(text)):
        line, col = _position(text, word.start())
        found.append(f"the word SERVICE at line {line}, column {col} (an engine may read it as a call)")
    return found


def run(query: StoredQuery, store: Store, bindings: dict[str, Identifier], allow_remote: bool = False) -> Result:
    """The query's rows; any store gives the same rows. SERVICE and FROM are refused unless
    ``allow_remote``: a query must not make the tool reach the network behind the user's back."""
    if not allow_remote and (remote := remote_parts(query.text)):
        raise UsageError(f"{query.path}: {', '.join(remote)} would reach another server; refused (use --allow-remote)")
    try:
        return store.select(query.text, bindings)
    except UsageError as exc:
        raise UsageError(f"{query.path}: {exc}") from None


# ---------------------------------------------------------------- output formats


def _text(term: Node | None, base: str = "") -> str:
    if term is None:
        return ""
    text = str(term)
    return text[len(base) :] if base and isinstance(term, URIRef) and text.startswith(base) else text


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def as_table(result: Result, base: str = "") -> str:
    """Aligned columns for a terminal (CJK counted double width); IRIs shown relative to ``base``."""
    cells = [result.columns] + [[_text(t, base) for t in row] for row in result.rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(result.columns))]
    lines = ["  ".join(c + " " * (w - _width(c)) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + f"\n({len(result.rows)} rows)\n"


def as_delimited(result: Result, write: Callable[[Iterable[Sequence[str]]], str]) -> str:
    return write([result.columns, *([_text(t) for t in row] for row in result.rows)])


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, Literal):
        value = {"type": "literal", "value": str(term)}
        if term.language:
            value["xml:lang"] = term.language
        elif term.datatype:
            value["datatype"] = str(term.datatype)
        return value
    return {"type": "bnode", "value": str(term)}


def as_json(result: Result) -> str:
    """The SPARQL 1.1 Query Results JSON Format."""
    bindings = [
        {column: _json_term(term) for column, term in zip(result.columns, row, strict=True) if term is not None}
        for row in result.rows
    ]
    return (
        json.dumps({"head": {"vars": result.columns}, "results": {"bindings": bindings}}, ensure_ascii=False, indent=1)
        + "\n"
    )


def formats(base: str) -> dict[str, Callable[[Result], str]]:
    return {
        "table": lambda r: as_table(r, base),
        "csv": lambda r: as_delimited(r, csv_text),
        "tsv": lambda r: as_delimited(r, tsv_text),
        "json": as_json,
    }


def describe(queries: dict[str, StoredQuery]) -> Iterator[str]:
    """The catalogue for people: name, summary, parameters, columns."""
    for query in queries.values():
        yield f"{query.name}: {query.summary}"
        for param in query.params:
            default = "optional" if param.optional else f"default {param.default}"
            yield f"    --param {param.name}=…  ({param.type}, {default}) {param.about}"
        yield f"    columns: {', '.join(query.columns)}"
