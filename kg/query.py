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

import difflib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Identifier

from kg.defaults import DEFAULT_BASE
from kg.errors import Diagnostic, SourceError, UsageError
from kg.export import serialize
from kg.files import read_regular, read_stdin
from kg.fold import fold
from kg.formats import RESULT_FORMATS
from kg.lexicon import lexicon
from kg.resources import QUERIES_DIR
from kg.results import (
    ask_json,
    ask_text,
    ask_xml,
    select_csv,
    select_json,
    select_table,
    select_tsv,
    select_xml,
)
from kg.store import Answer, Result, Store
from kg.titles import wiki_target
from kg.vocab import KGO, PREFIXES, SKOS, role_term, with_prefixes

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
    # one of kg's own stored queries, which tests/test_safety.py checks reach no other server:
    # run without parsing it again for the check (0.15 s of a cold `kg query`)
    shipped: bool = False


def _header_error(path: Path, line: int, message: str) -> SourceError:
    return SourceError(Diagnostic(str(path), line, 1, "error", "bad-query-header", message))


def load_query(path: Path, catalogued: bool = False, data: bytes | None = None) -> StoredQuery:
    """A query file with its parsed header; a malformed header names file and line. A query of
    the catalogue needs its header; any other may be plain SPARQL. Its text is kept with the
    codepoint escapes processed, and that text is what every check and every engine reads.
    ``data``: the text itself, read already (from standard input)."""
    try:
        raw = data if data is not None else read_regular(path, MAX_QUERY_BYTES, "a query")
        text = process_escapes(path, raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise _header_error(path, 1, f"cannot read query: {exc}") from None
    fields = _header_fields(path, text)
    if not fields and not catalogued:
        return StoredQuery(name=path.stem, path=path, summary="", params=(), columns=(), text=text)
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


def _header_fields(path: Path, text: str) -> dict[str, list[tuple[int, str]]]:
    fields: dict[str, list[tuple[int, str]]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#+"):
            continue
        match = _HEADER.match(line)
        if match is None or match["key"] not in ("summary", "param", "columns"):
            raise _header_error(path, number, f"header line must be '#+ summary|param|columns: …', not '{line}'")
        fields.setdefault(match["key"], []).append((number, match["value"]))
    return fields


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
    queries = (load_query(p, catalogued=True) for p in sorted(directory.glob("*.rq")))
    return {q.name: replace(q, shipped=directory == QUERIES_DIR) for q in queries}


def find_query(name: str) -> StoredQuery:
    """A catalogue query by name, any .rq file by path, or ``-``: the query on standard input."""
    if name == "-":
        return load_query(Path("<stdin>"), data=read_stdin(MAX_QUERY_BYTES, "a query"))
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


def _lookup(store: Store, kind: str, value: str, cls: URIRef, predicates: tuple[URIRef, ...]) -> URIRef:
    """The one ``cls`` that ``value`` names: its IRI, a zh.wikipedia address of its page, or a
    name, compared as the readers compare names (简/繁, width, case, ``_`` as space); a value
    naming nothing or several is an error that lists the nearest names or the candidates."""
    names = store.names(cls, predicates)
    if value.startswith(("http://", "https://")):
        title = wiki_target(value)
        if title is None:
            if any(str(iri) == value for iri, _ in names):
                return URIRef(value)
            raise UsageError(f"no {kind} has the IRI <{value}> in the graph{_nearest(value, names, by_iri=True)}")
        value = title
    found = sorted({iri for iri, text in names if text == value}) or sorted(
        {iri for iri, text in names if name_key(text) == name_key(value)}
    )
    if len(found) == 1:
        return found[0]
    if not found:
        raise UsageError(f"no {kind} called '{value}' in the graph{_nearest(value, names)}")
    raise UsageError(f"'{value}' names {len(found)} {kind}s ({', '.join(map(str, found))}); give one IRI")


def name_key(text: str) -> str:
    """A name as parameters compare it: folded, and without spaces, which Chinese names use
    loosely (劳动党_(塞尔维亚), 劳动党 (塞尔维亚) and 劳动党（塞尔维亚） are one title)."""
    return fold(text).replace(" ", "")


def _nearest(value: str, names: list[tuple[URIRef, str]], by_iri: bool = False) -> str:
    texts = sorted({str(iri) if by_iri else text for iri, text in names} - {""})
    keys = {name_key(text): text for text in reversed(texts)}
    close = difflib.get_close_matches(value if by_iri else name_key(value), list(keys), n=5, cutoff=0.5)
    return f"; the nearest: {', '.join(keys[c] for c in close)}" if close else "; give its IRI or another name"


def _international(store: Store, name: str, value: str) -> Identifier:
    return _lookup(store, "international", value, KGO.International, (KGO.abbreviation, SKOS.prefLabel, SKOS.altLabel))


def _party(store: Store, name: str, value: str) -> Identifier:
    return _lookup(store, "party", value, KGO.Party, (KGO.zhwikiTitle, SKOS.prefLabel, SKOS.altLabel))


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


@lru_cache(maxsize=256)
def remote_parts(text: str) -> tuple[str, ...]:
    """What in a query would reach another server: SERVICE calls and FROM / FROM NAMED graphs.
    Kept per text: rdflib's parser takes 0.1-0.2 s, and a server runs the same queries again."""
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
    return tuple(found)


def run(query: StoredQuery, store: Store, bindings: dict[str, Identifier], allow_remote: bool = False) -> Answer:
    """The query's answer; any store gives the same answer. SERVICE and FROM are refused unless
    ``allow_remote``: a query must not make the tool reach the network behind the user's back."""
    if not allow_remote and not query.shipped and (remote := remote_parts(query.text)):
        raise UsageError(f"{query.path}: {', '.join(remote)} would reach another server; refused (use --allow-remote)")
    try:
        return store.query(query.text, bindings)
    except UsageError as exc:
        raise UsageError(f"{query.path}: {exc}") from None
    except OSError as exc:  # a SERVICE or FROM server that did not answer: the network's failure, not kg's
        raise UsageError(f"{query.path}: another server did not answer: {exc}") from None


# ---------------------------------------------------------------- answers as bytes

# For a graph answer, the results formats' names stand for their RDF kin.
_GRAPH_WORDS = {"table": "turtle", "json": "jsonld", "xml": "rdfxml"}


def render(answer: Answer, fmt: str, base: str = DEFAULT_BASE) -> bytes:
    """The answer in ``fmt``: rows in a results format (table, csv, tsv, json, xml), a boolean
    as true/false (or its JSON/XML result), a graph in any RDF format."""
    if isinstance(answer, bool):
        _results_only(fmt, "an ASK query's")
        return {"json": ask_json, "xml": ask_xml}.get(fmt, ask_text)(answer).encode("utf-8")
    if isinstance(answer, Graph):
        return serialize(with_prefixes(answer), _GRAPH_WORDS.get(fmt, fmt))
    writers: dict[str, Callable[[Result], str]] = {
        "table": lambda r: select_table(r, table_prefixes(r, base)),
        "csv": select_csv,
        "tsv": select_tsv,
        "json": select_json,
        "xml": select_xml,
    }
    return writers[_results_only(fmt, "a SELECT query's")](answer).encode("utf-8")


def _results_only(fmt: str, what: str) -> str:
    if fmt not in RESULT_FORMATS:
        raise UsageError(f"{what} answer is a table of results: --format {'|'.join(RESULT_FORMATS)}, not '{fmt}'")
    return fmt


def table_prefixes(result: Result, base: str) -> dict[str, str]:
    """The graph's prefixes, and one per kind of IRI under ``base`` (party:, international:, …)."""
    kinds = {
        str(term)[len(base) :].split("/", 1)[0]
        for row in result.rows
        for term in row
        if isinstance(term, URIRef) and str(term).startswith(base)
    }
    return {**{p: str(ns) for p, ns in PREFIXES.items()}, **{k: f"{base}{k}/" for k in kinds if k}}


def describe(queries: dict[str, StoredQuery]) -> Iterator[str]:
    """The catalogue for people: name, summary, parameters, columns."""
    for query in queries.values():
        yield f"{query.name}: {query.summary}"
        for param in query.params:
            default = "optional" if param.optional else f"default {param.default}"
            yield f"    --param {param.name}=…  ({param.type}, {default}) {param.about}"
        yield f"    columns: {', '.join(query.columns)}"
