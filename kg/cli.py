"""Command line: parses arguments, calls the library, turns errors into exit codes."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from kg.errors import ExitCode, KgError, SourceError, SourceErrors, UsageError
from kg.records import Article
from kg.report import records_json, records_text, report_text
from kg.resolve import resolve
from kg.sources import expand_sources, read_article

DEFAULT_SOURCES = [Path("seeds")]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kg", description="Wikipedia articles about political internationals → records."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    inspect = commands.add_parser("inspect", help="read articles; print their records and a data-quality report")
    inspect.add_argument("sources", nargs="*", type=Path, help="article files or directories (default: seeds/)")
    inspect.add_argument("--json", action="store_true", help="print records, resolution and report as JSON")
    inspect.add_argument("--report-only", action="store_true", help="print the quality report without the records")
    return parser


def read_articles(sources: list[Path]) -> list[Article]:
    """Every article read; all unreadable files are reported before giving up."""
    files = expand_sources(sources or DEFAULT_SOURCES)
    if not files:
        raise UsageError(f"no article files in {', '.join(map(str, sources or DEFAULT_SOURCES))}")
    articles, errors = [], []
    for path in files:
        try:
            articles.append(read_article(path))
        except SourceError as exc:
            errors.append(exc.diagnostic)
    if errors:
        raise SourceErrors(errors)
    return articles


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


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit code (0 ok, 2 bad input or usage, 3 internal error)."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    try:
        return int(inspect(args))
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
    sys.exit(main())
