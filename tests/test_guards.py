"""Differential tests of the guards: the guard's verdict against what the engines really do.

Queries are built from fragments chosen to make parsers disagree (escapes that end strings,
comments that a processed newline ends, IRIs holding '#', long strings), each query run by both
engines against a local listener that counts connections. A query the guard lets through must
make no connection on either engine; a query the guard refuses because it parsed a SERVICE
call must make one when allowed. KG_FUZZ_EXAMPLES sets how many queries are tried (the README
gives a long run).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.cli import main
from kg.errors import KgError, SourceError
from kg.load import load_graph
from kg.query import StoredQuery, process_escapes, remote_parts, run
from kg.store import Store, open_store
from tests.expectations import ROOT
from tests.listener import CountingHandler, counting_server

EXAMPLES = int(os.environ.get("KG_FUZZ_EXAMPLES", "150"))
_EMPTY_RESULTS = b'{"head": {"vars": []}, "results": {"bindings": []}}'


@pytest.fixture(scope="module")
def listener() -> Iterator[tuple[str, type[CountingHandler]]]:
    with counting_server(_EMPTY_RESULTS, "application/sparql-results+json") as served:
        yield served


@pytest.fixture(scope="module")
def stores() -> dict[str, Store]:
    path = ROOT / "tests" / "golden" / "mim.ttl"
    return {kind: open_store(kind, path=path) for kind in ("oxigraph", "rdflib")}


_BODY_PIECES = [
    "a",
    "\\u005C",
    "\\u0022",
    "\\u0027",
    "\\u000A",
    "\\u0023",
    "\\u003E",
    "\\\\",
    '\\"',
    '"',
    "'",
    "#",
    " AS ?x) ",
    "{ }",
    ">",
]


def _statements(url: str) -> st.SearchStrategy[str]:
    """Statements of a WHERE clause whose strings, comments and IRIs hold the pieces on which
    parsers disagree; a SERVICE call may stand alone or inside any of them."""
    call = f"SERVICE <{url}/call> {{ ?s ?p ?o }}"
    body = st.lists(st.sampled_from([*_BODY_PIECES, call, "SERV\\u0049CE"]), max_size=4).map("".join)
    statement = st.one_of(
        st.just(call),
        st.just("?s ?p ?o ."),
        st.tuples(st.sampled_from(['"', "'", '"""']), body).map(lambda qb: f"BIND({qb[0]}{qb[1]}{qb[0]} AS ?v)"),
        body.map(lambda b: f"#{b}\n"),
        body.map(lambda b: f"FILTER(?s != <http://example.org/{b}>)"),
    )
    return st.lists(statement, max_size=5).map(
        lambda parts: "\n".join(part.replace("?v)", f"?v{n})") for n, part in enumerate(parts))
    )


def _query(body: str) -> StoredQuery:
    text = process_escapes(Path("fuzz.rq"), f"SELECT * WHERE {{\n{body}\n}}")
    return StoredQuery("fuzz", Path("fuzz.rq"), "fuzz", (), ("s",), text)


def _connections(
    listener: tuple[str, type[CountingHandler]], stores: dict[str, Store], query: StoredQuery, allow: bool
) -> int:
    before = listener[1].requests
    for store in stores.values():
        with contextlib.suppress(Exception):  # refused, or not valid for this engine: only connections count
            run(query, store, {}, allow_remote=allow)
    return listener[1].requests - before


def _verdict(query: StoredQuery) -> tuple[bool, bool]:
    """(refused, refused because the parse found a SERVICE call)."""
    try:
        parts = remote_parts(query.text)
    except KgError:
        return True, False
    return bool(parts), any(part.startswith(("SERVICE <", "SERVICE ?")) for part in parts)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_query_connects_unless_allowed_and_the_guard_is_exact_on_calls(
    data: st.DataObject, listener: tuple[str, type[CountingHandler]], stores: dict[str, Store]
) -> None:
    body = data.draw(_statements(listener[0]))
    try:
        query = _query(body)
    except KgError:
        return  # refused before any engine sees it
    assert _connections(listener, stores, query, allow=False) == 0, query.text
    refused, found_call = _verdict(query)
    if not refused:
        assert _connections(listener, stores, query, allow=True) == 0, query.text
    if found_call:
        assert _connections(listener, stores, query, allow=True) > 0, query.text


SMUGGLED = [
    # a processed backslash escapes the closing quote for one parser and not the other
    'BIND("P\\u005C" AS ?x) SERVICE <{url}/a> {{ ?s ?p ?o }} BIND(" AS ?y) # " AS ?z)',
    # a processed newline ends a comment
    "# note\\u000A SERVICE <{url}/b> {{ ?s ?p ?o }}",
    # a processed quote ends a string early
    'BIND("\\u0022 AS ?x) SERVICE <{url}/c> {{ }} BIND(\\u0022" AS ?y)',
    # the keyword itself escaped
    "SERV\\u0049CE <{url}/d> {{ ?s ?p ?o }}",
    "service<{url}/e>{{}}",
]


@pytest.mark.parametrize("body", SMUGGLED)
def test_smuggled_calls_are_refused_and_make_no_connection(
    body: str, listener: tuple[str, type[CountingHandler]], stores: dict[str, Store]
) -> None:
    query = _query(body.format(url=listener[0]))
    assert _verdict(query)[0]
    assert _connections(listener, stores, query, allow=False) == 0


# ---------------------------------------------------------------- graph files


def _contexts(url: str) -> st.SearchStrategy[object]:
    """JSON-LD contexts that would load a document: by address, in arrays, imported, scoped to a
    term or a type, propagated, nested."""
    remote = st.sampled_from([f"{url}/ctx.jsonld", "ctx.jsonld", "//127.0.0.1/ctx"])
    inline = st.fixed_dictionaries({"ex": st.just("http://example.org/")})
    return st.recursive(
        st.one_of(remote, inline),
        lambda inner: st.one_of(
            st.lists(inner, min_size=1, max_size=3),
            st.fixed_dictionaries({"@version": st.just(1.1), "@import": remote}),
            st.fixed_dictionaries(
                {"@propagate": st.booleans(), "t": st.fixed_dictionaries({"@id": st.just("ex:t"), "@context": inner})}
            ),
            st.fixed_dictionaries(
                {"T": st.fixed_dictionaries({"@id": st.just("http://example.org/T"), "@context": inner})}
            ),
        ),
        max_leaves=4,
    )


def _documents(url: str) -> st.SearchStrategy[object]:
    node = st.fixed_dictionaries(
        {"@id": st.just("http://example.org/a"), "http://example.org/p": st.just("x")},
        optional={
            "@context": _contexts(url),
            "@type": st.just("T"),
            "t": st.just({"@context": {}, "http://example.org/q": "y"}),
        },
    )
    return st.one_of(node, st.fixed_dictionaries({"@context": _contexts(url), "@graph": st.lists(node, max_size=2)}))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_jsonld_document_loads_a_remote_context(
    data: st.DataObject, listener: tuple[str, type[CountingHandler]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("jsonld") / "g.jsonld"
    path.write_text(json.dumps(data.draw(_documents(listener[0]))), encoding="utf-8")
    before = listener[1].requests
    for command in (["validate", str(path)], ["export", str(path), "--format", "nt", "-o", os.devnull]):
        assert main(command) in (0, 1, 2)
        for kind in ("oxigraph", "rdflib"):
            with contextlib.suppress(KgError):
                open_store(kind, path=path)
    assert listener[1].requests == before


_DTDS = [
    '<!DOCTYPE rdf:RDF [<!ENTITY e "EXPANDED">]>',
    '<!DOCTYPE rdf:RDF [<!ENTITY a "EXPANDED"><!ENTITY e "&a;&a;">]>',
    '<!DOCTYPE rdf:RDF SYSTEM "{url}/dtd">',
    '<!DOCTYPE rdf:RDF [<!ENTITY % p SYSTEM "{url}/p"> %p;]>',
    '<!DOCTYPE rdf:RDF [<!ENTITY e SYSTEM "file:///etc/hostname">]>',
]
_ENCODINGS = [
    ("utf-8", b""),
    ("utf-8", b"\xef\xbb\xbf"),
    ("utf-16-le", b"\xff\xfe"),
    ("utf-16-be", b"\xfe\xff"),
    ("utf-16-le", b""),
    ("utf-16-be", b""),
    ("latin-1", b""),
    ("cp1252", b""),
]


@pytest.mark.parametrize("dtd", _DTDS)
@pytest.mark.parametrize(("encoding", "bom"), _ENCODINGS)
@pytest.mark.parametrize("declared", [True, False])
def test_rdfxml_entities_are_refused_in_every_encoding(
    dtd: str, encoding: str, bom: bytes, declared: bool, listener: tuple[str, type[CountingHandler]], tmp_path: Path
) -> None:
    name = {"utf-16-le": "UTF-16", "utf-16-be": "UTF-16", "latin-1": "ISO-8859-1", "cp1252": "windows-1252"}.get(
        encoding, "UTF-8"
    )
    head = (
        f'<?xml version="1.0" encoding="{name}"?>\n' if declared or (encoding.startswith("utf-16") and not bom) else ""
    )
    text = (
        head
        + dtd.format(url=listener[0])
        + (
            '\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
            '<rdf:Description rdf:about="http://example.org/a"><ex:p>&e;</ex:p></rdf:Description></rdf:RDF>\n'
        )
    )
    path = tmp_path / "g.rdf"
    path.write_bytes(bom + text.encode(encoding))
    before = listener[1].requests
    with pytest.raises(SourceError) as refused:
        load_graph(path)
    assert refused.value.diagnostic.code in ("xml-doctype", "bad-graph")
    assert listener[1].requests == before
