"""Command line: parses arguments, runs the command (kg.commands), turns errors into exit codes.

This module loads only what the parser needs (argparse and the names in kg.defaults and
kg.formats): `kg --help` and a mistyped command cost little more than the interpreter's start,
and each command loads what it runs after its arguments are read.
"""

from __future__ import annotations

import argparse
import io
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from kg import __version__
from kg.defaults import (
    DEFAULT_BASE,
    DEFAULT_OUT,
    ENGINES,
    INFERRED,
    PLOT_FORMATS,
    PLOTS,
    PUSH_PROTOCOLS,
    REPORT_FORMATS,
    STORES,
    TABLE_EXPORTS,
    WDQS,
)
from kg.formats import FORMATS_HELP, RESULT_FORMATS

DEFAULT_GRAPH = DEFAULT_OUT / "kg.ttl"
SOURCES_HELP = "article files or directories (default: seeds/)"
QUERY_SECONDS, REASON_SECONDS, SERVE_SECONDS = 60.0, 600.0, 30.0
GRAPH_HELP = "graph file, or - for standard input (default: out/kg.ttl)"


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
    wikidata.add_argument(
        "--linkset", type=Path, help="the linkset CSV to update (default: the committed ontology/links/wikidata.csv)"
    )
    wikidata.add_argument(
        "--review",
        type=Path,
        help="the review CSV of accepted and rejected candidates (default: ontology/links/wikidata-review.csv)",
    )
    measure = actions.add_parser("evaluate", help="precision and recall of a linkset against hand-checked links")
    measure.add_argument("gold", type=Path, help="CSV with columns iri,qid (qid empty: no item exists)")
    measure.add_argument("--linkset", type=Path, help="the linkset CSV (default: the committed one)")


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


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit code (0 ok, 1 does not conform, 2 bad input or usage, 3 internal error)."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    from kg.commands import COMMANDS  # after parsing: see this module's docstring
    from kg.errors import ExitCode, KgError, SourceError, SourceErrors, one_line

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
        os._exit(2)  # ExitCode.BAD_INPUT; kg.errors is not loaded yet
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        pass
    # Every file is closed by now; skipping the interpreter's teardown of ~100k graph
    # objects saves a quarter of a second on every command.
    os._exit(code)
