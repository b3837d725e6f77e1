"""The RDF formats every command reads and writes: one list, under the names users of riot,
arq and Oxigraph type (``turtle``/``ttl``, ``ntriples``/``nt``, …) and their media types.

A format given on the command line (``--input-format``, ``--output-format``) wins over the
file's suffix; standard input (``-``) without one is read as Turtle, which N-Triples is a
subset of.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

from kg.defaults import STDIN

if TYPE_CHECKING:
    from kg.errors import UsageError

FormatName = Literal["turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml"]


# A NamedTuple, not a dataclass: `kg --help` shows this table, and dataclasses (through
# inspect) would add a fifth to its start-up.
class RdfFormat(NamedTuple):
    name: FormatName
    label: str
    media_type: str
    suffixes: tuple[str, ...]  # the first is the one written
    aliases: tuple[str, ...]


RDF_FORMATS = (
    RdfFormat("turtle", "Turtle", "text/turtle", (".ttl",), ("ttl",)),
    RdfFormat("ntriples", "N-Triples", "application/n-triples", (".nt",), ("nt", "n-triples")),
    RdfFormat("nquads", "N-Quads", "application/n-quads", (".nq",), ("nq", "n-quads")),
    RdfFormat("trig", "TriG", "application/trig", (".trig",), ()),
    RdfFormat("jsonld", "JSON-LD", "application/ld+json", (".jsonld", ".json"), ("json-ld",)),
    RdfFormat("rdfxml", "RDF/XML", "application/rdf+xml", (".rdf", ".xml", ".owl"), ("xml", "rdf", "rdf/xml")),
)
_BY_WORD = {word: f for f in RDF_FORMATS for word in (f.name, f.media_type, *f.aliases)}
_BY_SUFFIX = {suffix: f for f in RDF_FORMATS for suffix in f.suffixes}
# SPARQL results formats (SELECT and ASK answers): name → media type.
RESULT_FORMATS = {
    "table": "text/plain",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
}
FORMAT_WORDS = tuple(word for f in RDF_FORMATS for word in (f.name, *f.aliases))
FORMATS_HELP = ", ".join(f"{f.name} ({'/'.join((*f.aliases, f.media_type))})" for f in RDF_FORMATS)


def rdf_format(word: str) -> RdfFormat:
    """The format a name, alias or media type stands for (any case)."""
    found = _BY_WORD.get(word.strip().lower())
    if found is None:
        raise _usage_error(f"unknown RDF format '{word}'; choose one of {FORMATS_HELP}")
    return found


def is_rdf_format(word: str) -> bool:
    return word.strip().lower() in _BY_WORD


def format_of(path: Path, given: str | None = None) -> RdfFormat:
    """``given`` if there is one, else what the suffix says (Turtle for standard input)."""
    if given:
        return rdf_format(given)
    if path == STDIN:
        return RDF_FORMATS[0]
    found = _BY_SUFFIX.get(path.suffix.lower())
    if found is None:
        known = ", ".join(_BY_SUFFIX)
        raise _usage_error(
            f"{path}: cannot tell the RDF format from the suffix '{path.suffix}' (one of {known}); "
            "name it with --input-format/--output-format"
        )
    return found


def _usage_error(message: str) -> UsageError:
    """kg.errors loaded only when a format is wrong (see RdfFormat)."""
    from kg.errors import UsageError  # noqa: PLC0415

    return UsageError(message)
