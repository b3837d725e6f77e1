"""Source files → records. Reads a file, tells its format by its content, dispatches.

Nothing here knows about RDF; each reader returns a ``Document`` and the interpreters
(tables, organisation) turn it into an ``Article`` of records.
"""

from __future__ import annotations

import re
from pathlib import Path

from kg.errors import Diagnostic, SourceError
from kg.files import read_regular
from kg.records import Article
from kg.sources.document import Document
from kg.sources.manifest import source_info
from kg.sources.markdown import read_markdown
from kg.sources.organisation import own_names, read_organisation
from kg.sources.sections import read_tables
from kg.sources.wikitext import read_wikitext
from kg.spans import SourceText, diagnose

# Markup that only one of the two formats writes; the format with more signs wins.
_WIKITEXT_SIGNS = re.compile(r"'''|\{\{|\[\[|^=+[^=\n]+=+\s*$|^\{\||^\|-", re.MULTILINE)
_MARKDOWN_SIGNS = re.compile(
    r"\]\([^)\s]+|^#{1,6} |<table\b|\*\*[^*\n]+\*\*|^\+[-=+]+\+\s*$|^\|[-:| ]+\|\s*$|\[\^[^\]]+\]|^[=-]{3,}\s*$",
    re.MULTILINE,
)
# Raw MediaWiki that pandoc keeps inside Markdown (```{=mediawiki} blocks and `…`{=mediawiki}):
# wikitext inside Markdown, which must not count for wikitext.
_RAW_MEDIAWIKI = re.compile(r"```+\s*\{=mediawiki\}.*?```+|`[^`]*`\{=mediawiki\}", re.DOTALL)
_READERS = {"wikitext": read_wikitext, "markdown": read_markdown}
SOURCE_SUFFIXES = (".wiki", ".wikitext", ".md", ".markdown", ".txt")
# The longest zh.wikipedia articles are about 1 MB of wikitext; a larger file is not an article
# (a 50 MB file took minutes to build into millions of triples).
MAX_SOURCE_BYTES = 8 * 1024 * 1024
_NOT_TEXT = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _error(path: str, line: int, col: int, code: str, message: str) -> SourceError:
    return SourceError(Diagnostic(path, line, col, "error", code, message))


def load_source(path: Path) -> SourceText:
    """The file's text: UTF-8 (a BOM is dropped), line ends as \\n."""
    return source_text(str(path), read_article_bytes(path))


def read_article_bytes(path: Path) -> bytes:
    return read_regular(path, MAX_SOURCE_BYTES, "an article")


def source_text(name: str, data: bytes) -> SourceText:
    """A file's bytes as its text: UTF-8 (a BOM is dropped), line ends as \\n."""
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise _error(name, line, 1, "binary-file", "binary file (NUL byte), not an article")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _error(name, line, col, "not-utf8", f"not UTF-8 text (byte 0x{data[exc.start]:02x})") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise _error(name, 1, 1, "empty-file", "file is empty")
    return _without_control_characters(SourceText(name, text))


def _without_control_characters(source: SourceText) -> SourceText:
    """Control characters as U+FFFD, with a warning: MediaWiki removes them when a page is
    saved, so they are damage, and XML (hence RDF/XML) cannot hold them."""
    found = list(_NOT_TEXT.finditer(source.text))
    if not found:
        return source
    span = source.span(found[0].start(), found[0].end())
    message = f"{len(found)} control character(s) read as U+FFFD (the first is U+{ord(found[0][0]):04X})"
    text = _NOT_TEXT.sub("\ufffd", source.text)
    return SourceText(source.path, text, [diagnose(span, "warning", "control-character", message)])


def detect_format(source: SourceText) -> str:
    """ "wikitext" or "markdown", by which format's markup the text uses more."""
    outside_raw = _RAW_MEDIAWIKI.sub(" ", source.text)
    wikitext = len(_WIKITEXT_SIGNS.findall(outside_raw))
    markdown = len(_MARKDOWN_SIGNS.findall(outside_raw)) + (len(source.text) - len(outside_raw) > 0)
    if wikitext == markdown == 0:
        raise _error(
            source.path, 1, 1, "unknown-format", "unknown format: neither MediaWiki wikitext nor pandoc Markdown"
        )
    return "wikitext" if wikitext > markdown else "markdown"


def read_document(source: SourceText) -> Document:
    return _READERS[detect_format(source)](source)


def read_article(path: Path) -> Article:
    """Every record one article file states, with the diagnostics met on the way."""
    article = read_source(load_source(path))
    article.source = source_info(path)
    return article


def read_source(source: SourceText) -> Article:
    """Every record an article's text states, with the diagnostics met on the way."""
    doc = read_document(source)
    tables = read_tables(doc, own_names(doc))
    organisation = read_organisation(doc, bool(tables.attendances or tables.memberships))
    return Article(
        path=source.path,
        format=doc.format,
        organisation=organisation,
        conferences=tables.conferences,
        memberships=tables.memberships,
        attendances=tables.attendances,
        tables=tables.reports,
        footnotes=doc.footnotes,
        diagnostics=[*source.warnings, *doc.diagnostics, *tables.diagnostics],
    )


def _is_article_file(path: Path) -> bool:
    return path.is_file() and path.suffix in SOURCE_SUFFIXES and path.stem.upper() != "README"


def expand_sources(paths: list[Path]) -> list[Path]:
    """Files named directly, plus the article files inside named directories, sorted
    (a directory's README.* describes the articles and is not one)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if _is_article_file(p)))
        else:
            files.append(path)
    return files
