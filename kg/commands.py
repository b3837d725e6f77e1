"""The commands: each reads its arguments (parsed by kg.cli), calls the library, and returns
its exit code. Each imports what it runs in its body, so a command loads no more than it needs
(rdflib, pyshacl, Oxigraph and matplotlib take most of a second between them)."""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kg.defaults import INFERRED, STDIN, TABLE_EXPORTS, default_graph_missing
from kg.errors import ExitCode, UsageError
from kg.files import SET_DIR, write_file
from kg.formats import format_of, rdf_format
from kg.resources import LINKSET, REVIEW

if TYPE_CHECKING:
    from kg.store import Answer, Store


def inspect_command(args: argparse.Namespace) -> int:
    from kg.build import read_articles
    from kg.report import records_json, records_text, report_text
    from kg.resolve import resolve

    articles = read_articles(args.sources)
    resolution = resolve(articles)
    if args.json:
        print(records_json(articles, resolution))
        return ExitCode.OK
    if not args.report_only:
        for line in records_text(articles, resolution):
            print(line)
        print()
    for line in report_text(articles, resolution):
        print(line)
    return ExitCode.OK


def build_command(args: argparse.Namespace) -> int:
    from kg.bounded import within
    from kg.build import build, summary, write_outputs
    from kg.reason import infer
    from kg.sources.cache import keep
    from kg.validate import report_text as validation_text

    cache = None if args.no_cache else args.out / SET_DIR / "cache"
    result = build(args.sources, args.base, cache=cache)
    for line in summary(result):
        print(line)
    if not result.validation.conforms:
        print(validation_text(result.validation), end="", file=sys.stderr)
        print(f"nothing written: {args.out} is left as it was", file=sys.stderr)
        return ExitCode.DOES_NOT_CONFORM
    inferred = within(args.timeout, "reasoning", lambda: infer(result.graph, args.engine)) if args.reason else None
    for path in write_outputs(result, args.out, inferred, args.base):
        print(f"wrote {path}" + (f" ({len(inferred)} inferred triples)" if inferred and path.name == INFERRED else ""))
    if cache and (warning := keep(cache, result.reading)):
        print(f"kg: warning: {warning}", file=sys.stderr)
    return ExitCode.OK


def validate_command(args: argparse.Namespace) -> int:
    from kg import validate as reports
    from kg.collector import settling
    from kg.load import Triples, read_triples

    with settling() as settle:  # the graph lives to the end: the collector need not walk it
        triples = Triples(read_triples(args.graph, args.input_format))
        settle()
        validation = reports.validate(triples)
    write_report = {"text": reports.report_text, "json": reports.report_json, "turtle": reports.report_turtle}
    print(write_report[args.format](validation), end="")
    return ExitCode.OK if validation.conforms else ExitCode.DOES_NOT_CONFORM


def _output_format(args: argparse.Namespace, default: str | None) -> str:
    """--output-format, else the output file's suffix, else ``default``."""
    if args.format:
        return str(args.format) if args.format in TABLE_EXPORTS else rdf_format(args.format).name
    if args.output and args.output != STDIN:
        return format_of(args.output).name
    if default is None:
        raise UsageError("name the output format with --output-format (or give -o FILE with a known suffix)")
    return default


def export_command(args: argparse.Namespace) -> int:
    from kg.export import serialize, with_inferred
    from kg.iri import Minter
    from kg.load import load_graph
    from kg.wikiexport import popolo, quickstatements

    fmt = _output_format(args, None)
    graph = load_graph(args.graph, args.input_format)
    if args.inferred:
        data = with_inferred(graph, load_graph(args.inferred), Minter(args.base).inferred_graph(), fmt)
    elif fmt == "quickstatements":
        text, notes = quickstatements(graph)
        data = text.encode("utf-8")
        print("\n".join(notes), file=sys.stderr)
    elif fmt == "popolo":
        data = popolo(graph).encode("utf-8")
    else:
        data = serialize(graph, fmt)
    _write(args.output or STDIN, data)
    return ExitCode.OK


def _write(target: Path, data: bytes) -> None:
    if target == STDIN:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        write_file(target, data)


def reason_command(args: argparse.Namespace) -> int:
    from kg.bounded import within
    from kg.export import serialize
    from kg.load import load_graph
    from kg.reason import infer

    target = args.output or (STDIN if args.graph == STDIN else args.graph.parent / INFERRED)
    fmt = _output_format(args, "turtle")
    graph = load_graph(args.graph, args.input_format)
    inferred = within(args.timeout, "reasoning", lambda: infer(graph, args.engine))
    _write(target, serialize(inferred, fmt))
    # the data may be on standard output: the count goes where messages go, then
    print(f"wrote {target} ({len(inferred)} inferred triples)", file=sys.stderr if target == STDIN else sys.stdout)
    return ExitCode.OK


def link_command(args: argparse.Namespace) -> int:
    from kg.link import evaluate, read_gold, read_linkset, read_review, refresh, to_csv
    from kg.load import load_graph
    from kg.wikidata import WikidataClient

    linkset = args.linkset or LINKSET
    if args.action == "evaluate":
        for line in evaluate(read_linkset(linkset), read_gold(args.gold)):
            print(line)
        return ExitCode.OK
    links = read_linkset(linkset)
    if args.refresh:
        review_file = args.review or REVIEW
        client = WikidataClient(args.endpoint)
        links, review = refresh(
            load_graph(args.graph, args.input_format),
            client,
            read_review(review_file),
            datetime.date.today().isoformat(),
        )
        write_file(linkset, to_csv(links))
        write_file(review_file, to_csv(review))
        print(f"wrote {linkset} ({len(links)} links) and {review_file} ({len(review)} candidates to review)")
    for match, count in sorted(Counter(link.match for link in links).items()):
        print(f"{count:5d} {match}")
    return ExitCode.OK


def queries_command(args: argparse.Namespace) -> int:
    from kg.query import catalogue, describe

    for line in describe(catalogue()):
        print(line)
    return ExitCode.OK


def _params(pairs: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--param takes KEY=VALUE, not '{pair}'")
        if key.strip() in values:
            raise UsageError(f"--param {key.strip()} is given twice ('{values[key.strip()]}' and '{value.strip()}')")
        values[key.strip()] = value.strip()
    return values


def _ensure_graph(path: Path) -> None:
    """The default graph built from seeds/ when missing; kg.build (all the readers) is loaded only then."""
    if default_graph_missing(path):
        from kg.build import ensure_graph

        ensure_graph(path)


def query_command(args: argparse.Namespace) -> int:
    from kg.bounded import within
    from kg.query import bind, find_query, render, run
    from kg.store import open_graph_store

    if args.name == "-" and args.graph == STDIN:
        raise UsageError("the query and the graph cannot both come from standard input")
    query = find_query(args.name)
    values = _params(args.param)
    _ensure_graph(args.graph)

    def opened() -> Store:
        return open_graph_store(args.graph, args.reason, args.store, given=args.input_format)

    # Standard input is read here: the worker that answers is given /dev/null for its own.
    ready = opened() if args.graph == STDIN else None

    def answer() -> Answer:
        store = ready if ready is not None else opened()
        return run(query, store, bind(query, store, values), args.allow_remote)

    result = within(args.timeout, f"the query {query.name}", answer)
    _write(args.output or STDIN, render(result, args.format, args.base))
    return ExitCode.OK


def serve_command(args: argparse.Namespace) -> int:
    import uvicorn

    from kg.iri import Minter
    from kg.serve import Settings, create_app
    from kg.store import store_opener

    _ensure_graph(args.graph)
    app = create_app(
        store_opener(args.graph, args.input_format),
        Settings(Minter(args.base).base, args.max_rows),
        max(1, args.workers),
        args.timeout,
    )
    print(f"kg: serving {args.graph} at http://{args.host}:{args.port}/ (SPARQL at /sparql)", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return ExitCode.OK


def plot_command(args: argparse.Namespace) -> int:
    from kg.plot import plot
    from kg.query import RESOLVERS
    from kg.store import open_graph_store

    values = _params(args.param)
    if set(values) - {"international"}:
        raise UsageError("kg plot takes one parameter: --param international=NAME")
    fmt = args.format or args.output.suffix.lstrip(".").lower()
    _ensure_graph(args.graph)
    store = open_graph_store(args.graph, given=args.input_format)
    international = RESOLVERS["international"](store, "international", values["international"]) if values else None
    _write(args.output, plot(store, args.name, fmt, str(international) if international else None))
    return ExitCode.OK


def push_command(args: argparse.Namespace) -> int:
    import httpx

    from kg.iri import Minter
    from kg.load import load_graph
    from kg.push import per_article, push, target_of

    graph_iri = args.graph_iri or str(Minter(args.base).base) + "graph/kg"
    auth = httpx.DigestAuth(args.user, os.environ.get("KG_PUSH_PASSWORD", "")) if args.user else None
    target = target_of(args.endpoint, args.protocol, args.query_endpoint, args.update_endpoint, auth)
    graph = load_graph(args.graph, args.input_format)
    graphs = per_article(graph, graph_iri) if args.graph_per_article else {graph_iri: graph}
    pushed = push(graphs, target, args.chunk, protocol=args.protocol)
    where = f"{pushed.graphs} named graphs" if args.graph_per_article else f"<{graph_iri}>"
    print(
        f"pushed {pushed.triples} triples to {where} at {args.endpoint} in {pushed.requests} request(s) "
        f"by {pushed.protocol}; the store holds {pushed.triples}"
    )
    return ExitCode.OK


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "inspect": inspect_command,
    "build": build_command,
    "validate": validate_command,
    "export": export_command,
    "reason": reason_command,
    "queries": queries_command,
    "query": query_command,
    "link": link_command,
    "serve": serve_command,
    "plot": plot_command,
    "push": push_command,
}
