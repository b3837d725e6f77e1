"""Command line: parses arguments, calls the library, turns errors into exit codes."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from kg.build import DEFAULT_OUT, build, read_articles, summary, write_outputs
from kg.errors import ExitCode, KgError, SourceErrors
from kg.export import FORMATS, load_graph, serialize, write_atomically
from kg.iri import DEFAULT_BASE
from kg.report import records_json, records_text, report_text
from kg.resolve import resolve
from kg.validate import report_json, report_turtle, validate
from kg.validate import report_text as validation_text

DEFAULT_GRAPH = DEFAULT_OUT / "kg.ttl"
REPORT_FORMATS: dict[str, Callable[..., str]] = {"text": validation_text, "json": report_json, "turtle": report_turtle}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kg", description="Wikipedia articles about political internationals → a knowledge graph."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    sources_help = "article files or directories (default: seeds/)"

    inspect = commands.add_parser("inspect", help="read articles; print their records and a data-quality report")
    inspect.add_argument("sources", nargs="*", type=Path, help=sources_help)
    inspect.add_argument("--json", action="store_true", help="print records, resolution and report as JSON")
    inspect.add_argument("--report-only", action="store_true", help="print the quality report without the records")

    build_ = commands.add_parser("build", help="read, convert, validate, and write DIR/kg.ttl and DIR/kg.jsonld")
    build_.add_argument("sources", nargs="*", type=Path, help=sources_help)
    build_.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory (default: out/)")
    build_.add_argument(
        "--base", default=DEFAULT_BASE, help=f"HTTPS base of the graph's IRIs (default: {DEFAULT_BASE})"
    )

    check = commands.add_parser("validate", help="validate a graph file against the SHACL shapes")
    check.add_argument("graph", nargs="?", type=Path, default=DEFAULT_GRAPH, help="graph file (default: out/kg.ttl)")
    check.add_argument("--format", choices=list(REPORT_FORMATS), default="text", help="report format")

    export = commands.add_parser("export", help="write a graph file in another RDF format")
    export.add_argument("graph", nargs="?", type=Path, default=DEFAULT_GRAPH, help="graph file (default: out/kg.ttl)")
    export.add_argument("--format", choices=list(FORMATS), required=True)
    export.add_argument("-o", "--output", type=Path, help="output file (default: standard output)")
    return parser


def inspect(args: argparse.Namespace) -> int:
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
    result = build(args.sources, args.base)
    for line in summary(result):
        print(line)
    if not result.validation.conforms:
        print(validation_text(result.validation), end="", file=sys.stderr)
        print(f"nothing written: {args.out} is left as it was", file=sys.stderr)
        return ExitCode.DOES_NOT_CONFORM
    for path in write_outputs(result.graph, args.out):
        print(f"wrote {path}")
    return ExitCode.OK


def validate_command(args: argparse.Namespace) -> int:
    validation = validate(load_graph(args.graph))
    print(REPORT_FORMATS[args.format](validation), end="")
    return ExitCode.OK if validation.conforms else ExitCode.DOES_NOT_CONFORM


def export_command(args: argparse.Namespace) -> int:
    data = serialize(load_graph(args.graph), args.format)
    if args.output:
        write_atomically(args.output, data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return ExitCode.OK


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "inspect": inspect,
    "build": build_command,
    "validate": validate_command,
    "export": export_command,
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
        print(str(exc) if isinstance(exc, SourceErrors) else f"kg: {exc}", file=sys.stderr)
        return int(exc.exit_code)
    except Exception as exc:  # a bug: say so in one line; KG_DEBUG=1 shows the traceback
        if os.environ.get("KG_DEBUG"):
            raise
        print(f"kg: internal error: {type(exc).__name__}: {exc} (set KG_DEBUG=1 for details)", file=sys.stderr)
        return int(ExitCode.INTERNAL_ERROR)


def run() -> None:
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        pass
    # Every file is closed by now; skipping the interpreter's teardown of ~100k graph
    # objects saves a quarter of a second on every command.
    os._exit(code)


if __name__ == "__main__":
    run()
