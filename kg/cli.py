"""Command line: parses arguments, calls the library, turns errors into exit codes."""

from __future__ import annotations

import argparse
import datetime
import io
import os
import signal
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kg import __version__
from kg.defaults import (
    DEFAULT_BASE,
    DEFAULT_OUT,
    ENGINES,
    INFERRED,
    PUSH_PROTOCOLS,
    REPORT_FORMATS,
    STORES,
    WDQS,
    default_graph_missing,
)
from kg.errors import ExitCode, KgError, SourceError, SourceErrors, UsageError, one_line
from kg.files import SET_DIR, STDIN, write_file
from kg.formats import FORMATS_HELP, RESULT_FORMATS, format_of, rdf_format
from kg.plot import PLOT_FORMATS, PLOTS
from kg.resources import LINKSET, REVIEW

if TYPE_CHECKING:
    from kg.store import Answer, Store

# Each command imports what it runs, in its body: `kg --help` and a command load no more than
# they need (rdflib, pyshacl, Oxigraph and matplotlib take most of a second between them).
DEFAULT_GRAPH = DEFAULT_OUT / "kg.ttl"
SOURCES_HELP = "article files or directories (default: seeds/)"
QUERY_SECONDS, REASON_SECONDS, SERVE_SECONDS = 60.0, 600.0, 30.0
GRAPH_HELP = "graph file, or - for standard input (default: out/kg.ttl)"
TABLE_EXPORTS = ("quickstatements", "popolo")


def _add_inspect(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    inspect = commands.add_parser("inspect", help="read articles; print their records and a data-quality report")
    inspect.add_argument("sources", nargs="*", type=Path, help=SOURCES_HELP)
    inspect.add_argument("--json", action="store_true", help="print records, resolution and report as JSON")
    inspect.add_argument("--report-only", action="store_true", help="print the quality report without the records")


def _add_build(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    build_ = commands.add_parser("build", help="read, convert, validate, and write DIR/kg.ttl and DIR/kg.jsonld")
    build_.add_argument("sources", nargs="*", type=Path, help=SOURCES_HELP)
    build_.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory (default: out/)")
    build_.add_argument("--base", default=DEFAULT_BASE, help=f"HTTPS base of the IRIs (default: {DEFAULT_BASE})")
    build_.add_argument("--reason", action="store_true", help=f"also write the OWL-RL inferences to DIR/{INFERRED}")
    build_.add_argument("--engine", choices=ENGINES, default="reasonable", help="reasoner for --reason")
    build_.add_argument(
        "--no-cache",
        action="store_true",
        help="read every article again (default: only those changed since the last build)",
    )
    _add_timeout(build_, REASON_SECONDS, "reasoning")


def _add_graph(command: argparse.ArgumentParser) -> None:
    command.add_argument("graph", nargs="?", type=Path, default=DEFAULT_GRAPH, help=GRAPH_HELP)
    _add_input_format(command)


def _add_input_format(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--input-format", metavar="FMT", help=f"the graph's format, whatever its suffix says: {FORMATS_HELP}"
    )


def _add_output(command: argparse.ArgumentParser, default: str, formats: str = FORMATS_HELP) -> None:
    command.add_argument("-o", "--output", type=Path, help=f"output file, - for standard output (default: {default})")
    command.add_argument(
        "--output-format",
        "--format",
        dest="format",
        metavar="FMT",
        help=f"output format, whatever the suffix: {formats}",
    )


def _add_graph_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    check = commands.add_parser("validate", help="validate a graph file against the SHACL shapes")
    _add_graph(check)
    check.add_argument("--format", choices=list(REPORT_FORMATS), default="text", help="report format")

    export = commands.add_parser("export", help="write a graph file in another RDF format")
    _add_graph(export)
    _add_output(export, "standard output", f"{FORMATS_HELP}; or {', '.join(TABLE_EXPORTS)}")
    export.add_argument(
        "--inferred", type=Path, help="with trig or nquads output: these inferences, in their own named graph"
    )
    export.add_argument("--base", default=DEFAULT_BASE, help="base of the inferred graph's IRI")

    reason = commands.add_parser("reason", help="compute the OWL-RL inferences of a graph file")
    _add_graph(reason)
    reason.add_argument("--engine", choices=ENGINES, default="reasonable")
    _add_output(reason, f"{INFERRED} beside the graph; standard output for -")
    _add_timeout(reason, REASON_SECONDS, "reasoning")


def _add_link(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    link = commands.add_parser("link", help="links to Wikidata: refresh the linkset, or measure it")
    actions = link.add_subparsers(dest="action", required=True)
    wikidata = actions.add_parser("wikidata", help="show the committed links; with --refresh, ask the service")
    _add_graph(wikidata)
    wikidata.add_argument("--refresh", action="store_true", help="ask the Wikidata Query Service (network)")
    wikidata.add_argument("--endpoint", default=WDQS, help=f"SPARQL endpoint (default: {WDQS})")
    wikidata.add_argument("--linkset", type=Path, default=LINKSET, help="the linkset CSV to update")
    wikidata.add_argument("--review", type=Path, default=REVIEW, help="the review CSV (accept/reject candidates)")
    measure = actions.add_parser("evaluate", help="precision and recall of a linkset against hand-checked links")
    measure.add_argument("gold", type=Path, help="CSV with columns iri,qid (qid empty: no item exists)")
    measure.add_argument("--linkset", type=Path, default=LINKSET)


def _add_queries(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    commands.add_parser("queries", help="list the stored queries with their parameters and columns")
    query = commands.add_parser("query", help="run a stored query, a .rq file or - (standard input) on a graph")
    query.add_argument("name", help="stored query name (see `kg queries`), a .rq file, or - for standard input")
    query.add_argument("--param", action="append", default=[], metavar="KEY=VALUE", help="a parameter (once each)")
    query.add_argument(
        "--format",
        "--results",
        "--output-format",
        dest="format",
        default="table",
        metavar="FMT",
        help=f"rows and booleans: {', '.join(RESULT_FORMATS)} (default: table); "
        f"CONSTRUCT and DESCRIBE graphs: {FORMATS_HELP} (default: turtle)",
    )
    query.add_argument("-o", "--output", type=Path, help="output file (default: standard output)")
    query.add_argument(
        "--graph", type=Path, default=DEFAULT_GRAPH, help="graph file or - (default: out/kg.ttl, built if missing)"
    )
    _add_input_format(query)
    query.add_argument("--store", choices=STORES, default="oxigraph", help="query engine (default: oxigraph)")
    query.add_argument("--reason", action="store_true", help="query the graph with its OWL-RL inferences added")
    query.add_argument("--base", default=DEFAULT_BASE, help="IRIs under this base are shown as kind:name in tables")
    query.add_argument("--allow-remote", action="store_true", help="let SERVICE and FROM reach other servers")
    _add_timeout(query, QUERY_SECONDS, "loading the graph and answering")


def _add_serve(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = commands.add_parser("serve", help="serve the graph: SPARQL endpoint, stored-query API, pages, pictures")
    _add_graph(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=7878, help="port (default: 7878)")
    serve.add_argument("--base", default=DEFAULT_BASE, help="the IRI base the server's /id/ paths stand for")
    serve.add_argument(
        "--max-rows", type=int, default=10000, metavar="N", help="rows per answer at most (default: 10000)"
    )
    serve.add_argument("--workers", type=int, default=2, metavar="N", help="worker processes answering (default: 2)")
    _add_timeout(serve, SERVE_SECONDS, "a request")

    picture = commands.add_parser("plot", help="draw a picture of the graph as SVG or PNG")
    picture.add_argument(
        "name", choices=list(PLOTS), help="; ".join(f"{name}: {about}" for name, about in PLOTS.items())
    )
    picture.add_argument(
        "-o", "--output", type=Path, required=True, help="FILE.svg or FILE.png (- with --output-format)"
    )
    picture.add_argument(
        "--output-format", "--format", dest="format", choices=PLOT_FORMATS, help="svg or png (default: the suffix)"
    )
    picture.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="international=NAME",
        help="the international (heatmap, timeline)",
    )
    picture.add_argument("--graph", type=Path, default=DEFAULT_GRAPH, help=GRAPH_HELP)
    _add_input_format(picture)


def _add_push(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    push = commands.add_parser(
        "push", help="publish the graph to a triple store (SPARQL 1.1 Graph Store Protocol, or Update)"
    )
    _add_graph(push)
    push.add_argument(
        "--endpoint",
        required=True,
        help="the store's Graph Store address (Oxigraph: http://HOST:7878/store; "
        "Virtuoso: http://HOST:8890/sparql-graph-crud-auth), or its Update endpoint with --protocol update",
    )
    push.add_argument(
        "--protocol",
        choices=PUSH_PROTOCOLS,
        default="graph-store",
        help="graph-store (default; Update is used where the address has no Graph Store service) or update",
    )
    push.add_argument("--query-endpoint", help="its SPARQL query endpoint, to count what arrived (default: beside it)")
    push.add_argument("--update-endpoint", help="its SPARQL Update endpoint (default: beside it)")
    push.add_argument("--graph-iri", help="the named graph to replace (default: BASE graph/kg)")
    push.add_argument(
        "--graph-per-article",
        action="store_true",
        help="one named graph per article (named by its IRI); what was resolved across articles in --graph-iri",
    )
    push.add_argument("--base", default=DEFAULT_BASE, help="the IRI base of the default graph name")
    push.add_argument("--user", help="user name for HTTP digest authentication (password: KG_PUSH_PASSWORD)")
    push.add_argument("--chunk", type=int, default=100_000, metavar="N", help="triples per request (default: 100000)")


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"a number of seconds (0 for no limit), not '{text}'")
    return value


def _add_timeout(command: argparse.ArgumentParser, default: float, what: str) -> None:
    command.add_argument(
        "--timeout",
        type=_seconds,
        default=default,
        metavar="S",
        help=f"stop {what} after S seconds (default: {default:g}; 0: none)",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kg", description="Wikipedia articles about political internationals → a knowledge graph."
    )
    parser.add_argument("--version", action="version", version=f"kg {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    for add in (_add_inspect, _add_build, _add_graph_commands, _add_queries, _add_serve, _add_push, _add_link):
        add(commands)
    return parser


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
    for path in write_outputs(result.graph, args.out, inferred, args.base, result.turtle):
        print(f"wrote {path}" + (f" ({len(inferred)} inferred triples)" if inferred and path.name == INFERRED else ""))
    if cache and (warning := keep(cache, result.reading)):
        print(f"kg: warning: {warning}", file=sys.stderr)
    return ExitCode.OK


def validate_command(args: argparse.Namespace) -> int:
    from kg import validate as reports
    from kg.load import load_graph

    validation = reports.validate(load_graph(args.graph, args.input_format))
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

    if args.action == "evaluate":
        for line in evaluate(read_linkset(args.linkset), read_gold(args.gold)):
            print(line)
        return ExitCode.OK
    links = read_linkset(args.linkset)
    if args.refresh:
        client = WikidataClient(args.endpoint)
        links, review = refresh(
            load_graph(args.graph, args.input_format),
            client,
            read_review(args.review),
            datetime.date.today().isoformat(),
        )
        write_file(args.linkset, to_csv(links))
        write_file(args.review, to_csv(review))
        print(f"wrote {args.linkset} ({len(links)} links) and {args.review} ({len(review)} candidates to review)")
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


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit code (0 ok, 1 does not conform, 2 bad input or usage, 3 internal error)."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    try:
        return int(COMMANDS[args.command](args))
    except BrokenPipeError:  # the reader stopped early (`kg inspect | head`): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return int(ExitCode.OK)
    except KgError as exc:
        located = isinstance(exc, (SourceError, SourceErrors))  # path:line:col first, for editors
        print(str(exc) if located else one_line(f"kg: {exc}"), file=sys.stderr)
        return int(exc.exit_code)
    except OSError as exc:  # the machine's, not a bug: a closed output, a full disk, no permission
        where = f"{exc.filename}: " if exc.filename else ""
        print(one_line(f"kg: {where}{(exc.strerror or str(exc)).lower()}"), file=sys.stderr)
        return int(ExitCode.BAD_INPUT)
    except Exception as exc:  # a bug: say so in one line; KG_DEBUG=1 shows the traceback
        if os.environ.get("KG_DEBUG"):
            raise
        print(
            one_line(f"kg: internal error: {type(exc).__name__}: {exc} (set KG_DEBUG=1 for details)"), file=sys.stderr
        )
        return int(ExitCode.INTERNAL_ERROR)


def _stop(signum: int, frame: object) -> None:
    """SIGTERM unwinds like Ctrl-C, so a write in progress removes its temporary files."""
    raise SystemExit(128 + signum)


def _standard_streams() -> str | None:
    """Streams every command can use, or why not. Output is UTF-8 whatever the locale (the RDF
    and SPARQL results formats are UTF-8, and Chinese has no place in Latin-1); messages keep
    the locale's encoding, escaping what it lacks. A closed stdout leaves nowhere to answer."""
    if sys.stderr is None:  # print(file=None) would write messages into the data on stdout
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the process's life
    if sys.stdout is None:
        return "standard output is closed; nothing was done"
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(encoding="utf-8", errors="backslashreplace")
    if isinstance(sys.stderr, io.TextIOWrapper):
        sys.stderr.reconfigure(errors="backslashreplace")
    return None


def run_cli() -> None:
    signal.signal(signal.SIGTERM, _stop)
    if problem := _standard_streams():
        print(f"kg: {problem}", file=sys.stderr)
        os._exit(ExitCode.BAD_INPUT)
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        pass
    # Every file is closed by now; skipping the interpreter's teardown of ~100k graph
    # objects saves a quarter of a second on every command.
    os._exit(code)
