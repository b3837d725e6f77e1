"""An independent check that every literal in an RDF file is valid for its datatype.

Independent of ``kg`` on purpose: it parses with pyoxigraph (not rdflib, which the project
writes with) and checks each lexical form against its own reading of XML Schema 1.1 Part 2
(https://www.w3.org/TR/xmlschema11-2/), which RDF 1.1 Concepts (§5.1) references, and
BCP 47 (RFC 5646 §2.1) for language tags.

Decisions, where the specifications leave room or differ:

* Lexical forms are checked as they are, with no whitespace normalisation: RDF takes the
  lexical form literally, so ``" 5"^^xsd:integer`` is ill-typed even though an XML Schema
  validator would collapse the space away before reading an element's content.
* Years follow XSD 1.1, not 1.0: ``0000`` is a year (1 BCE) and a leap year, ``-0001`` is
  2 BCE; years of more than four digits need no leading zero (``12345`` yes, ``01234`` no).
  XSD 1.0 had no year zero; a consumer still on XSD 1.0 would reject ``"0000"^^xsd:gYear``.
* A day must exist in its month and year (``2011-02-30`` no, ``2012-02-29`` yes,
  ``1900-02-29`` no, ``2000-02-29`` yes); ``24:00:00`` is allowed (XSD 1.1 end of day); a
  time-zone offset lies within ±14:00.
* ``xsd:anyURI``: XSD 1.1 accepts any string of XML characters; here it must also be
  unchanged by the whitespace collapse anyURI is fixed to (no leading, trailing or doubled
  space, no tab or line break). Whether it is a well-formed IRI is not a datatype question.
* ``rdf:langString`` needs a well-formed BCP 47 tag (the ABNF of RFC 5646, grandfathered and
  private-use tags included, any case); whether the subtags are registered is not checked.
* Every lexical form, of any datatype, is a string of XML characters (XML 1.0 ``Char``).
* A datatype this module does not know is reported as unknown, never silently accepted.

Files are parsed with ``lenient=True`` so that a malformed language tag reaches this check
instead of stopping the parser (pyoxigraph rejects only some of them).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
LANG_STRING = RDF + "langString"

FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}

# ---------------------------------------------------------------- lexical patterns (XSD 1.1 Part 2)

_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
_BOOLEAN = re.compile(r"true|false|1|0")
_YEAR = r"(?P<year>-?([1-9][0-9]{3,}|0[0-9]{3}))"
_MONTH = r"(?P<month>0[1-9]|1[0-2])"
_DAY = r"(?P<day>0[1-9]|[12][0-9]|3[01])"
_TIME = r"(?P<time>([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?|24:00:00(\.0+)?)"
_TIMEZONE = r"(?P<tz>Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?"
_GYEAR = re.compile(_YEAR + _TIMEZONE)
_GYEAR_MONTH = re.compile(_YEAR + "-" + _MONTH + _TIMEZONE)
_DATE = re.compile(_YEAR + "-" + _MONTH + "-" + _DAY + _TIMEZONE)
_DATE_TIME = re.compile(_YEAR + "-" + _MONTH + "-" + _DAY + "T" + _TIME + _TIMEZONE)

# ---------------------------------------------------------------- BCP 47 (RFC 5646 §2.1, ABNF)

_ALNUM = "[A-Za-z0-9]"
_LANGTAG = (
    r"(?P<language>[A-Za-z]{2,3}(-[A-Za-z]{3}){0,3}|[A-Za-z]{4}|[A-Za-z]{5,8})"  # language, extlang
    r"(-[A-Za-z]{4})?"  # script
    r"(-([A-Za-z]{2}|[0-9]{3}))?"  # region
    rf"(-({_ALNUM}{{5,8}}|[0-9]{_ALNUM}{{3}}))*"  # variants
    rf"(-[0-9A-WYZa-wyz](-{_ALNUM}{{2,8}})+)*"  # extensions
    rf"(-[xX](-{_ALNUM}{{1,8}})+)?"  # private use
)
_PRIVATE_USE = rf"[xX](-{_ALNUM}{{1,8}})+"
_GRANDFATHERED = (
    "en-GB-oed|i-ami|i-bnn|i-default|i-enochian|i-hak|i-klingon|i-lux|i-mingo|i-navajo|i-pwn|i-tao|i-tay|i-tsu"
    "|sgn-BE-FR|sgn-BE-NL|sgn-CH-DE|art-lojban|cel-gaulish|no-bok|no-nyn|zh-guoyu|zh-hakka|zh-min|zh-min-nan|zh-xiang"
)
_LANGUAGE_TAG = re.compile(f"{_LANGTAG}|{_PRIVATE_USE}|{_GRANDFATHERED}", re.IGNORECASE)


def well_formed_language_tag(tag: str) -> bool:
    """True when ``tag`` matches the Language-Tag production of RFC 5646."""
    return _LANGUAGE_TAG.fullmatch(tag) is not None


# ---------------------------------------------------------------- checks: a reason, or None when valid


def _integer(least: int | None) -> Callable[[str], str | None]:
    """xsd:integer, or a subtype whose values are all >= ``least``."""

    def check(text: str) -> str | None:
        if not _INTEGER.fullmatch(text):
            return "not an integer (an optional sign and decimal digits)"
        if least is not None and int(text) < least:
            return f"not > {least - 1}" if least == 1 else f"not >= {least}"
        return None

    return check


def _decimal(text: str) -> str | None:
    return None if _DECIMAL.fullmatch(text) else "not a decimal (an optional sign, digits and at most one point)"


def _boolean(text: str) -> str | None:
    return None if _BOOLEAN.fullmatch(text) else "not a boolean (true, false, 1 or 0)"


def _leap(year: int) -> bool:
    """XSD 1.1 years: year 0 is 1 BCE, a leap year (proleptic Gregorian)."""
    return year % 400 == 0 or (year % 4 == 0 and year % 100 != 0)


def days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if _leap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _dated(pattern: re.Pattern[str], name: str, form: str) -> Callable[[str], str | None]:
    def check(text: str) -> str | None:
        match = pattern.fullmatch(text)
        if match is None:
            return f"not an {name} ({form}, optionally a time zone)"
        fields = match.groupdict()
        if fields.get("day") is not None:
            year, month, day = int(fields["year"]), int(fields["month"]), int(fields["day"])
            if day > days_in_month(year, month):
                return f"day {day:02d} does not exist in {fields['year']}-{fields['month']}"
        return None

    return check


def _any_uri(text: str) -> str | None:
    if re.sub("[\t\n\r ]+", " ", text).strip(" ") != text:
        return "not whitespace-collapsed (xsd:anyURI's whiteSpace facet is collapse)"
    return None


def _string(text: str) -> str | None:
    return None


CHECKS: dict[str, Callable[[str], str | None]] = {
    XSD + "string": _string,
    XSD + "integer": _integer(None),
    XSD + "positiveInteger": _integer(1),
    XSD + "nonNegativeInteger": _integer(0),
    XSD + "decimal": _decimal,
    XSD + "boolean": _boolean,
    XSD + "date": _dated(_DATE, "xsd:date", "YYYY-MM-DD"),
    XSD + "gYear": _dated(_GYEAR, "xsd:gYear", "YYYY"),
    XSD + "gYearMonth": _dated(_GYEAR_MONTH, "xsd:gYearMonth", "YYYY-MM"),
    XSD + "dateTime": _dated(_DATE_TIME, "xsd:dateTime", "YYYY-MM-DDThh:mm:ss(.s+)"),
    XSD + "anyURI": _any_uri,
}


def literal_problem(lexical: str, datatype: str, language: str | None = None) -> str | None:
    """Why a literal is ill-typed, or None when its lexical form is valid for its datatype."""
    bad_char = _NOT_XML_CHAR.search(lexical)
    if bad_char:
        return f"character U+{ord(bad_char.group()):04X} is not an XML character"
    if datatype == LANG_STRING:
        if not language:
            return "rdf:langString without a language tag"
        return None if well_formed_language_tag(language) else f"'{language}' is not a well-formed BCP 47 tag"
    if language:
        return f"a language tag ('{language}') on a literal typed {datatype}"
    check = CHECKS.get(datatype)
    if check is None:
        return f"unknown datatype <{datatype}>: not checked"
    return check(lexical)


# ---------------------------------------------------------------- files

_SHORT = {XSD: "xsd:", RDF: "rdf:"}


def _show(term: object) -> str:
    if isinstance(term, ox.Literal):
        text = str(ox.Literal(term.value))  # the quoted, escaped lexical form
        if term.language:
            return f"{text}@{term.language}"
        datatype = term.datatype.value
        for namespace, prefix in _SHORT.items():
            if datatype.startswith(namespace):
                return f"{text}^^{prefix}{datatype[len(namespace) :]}"
        return f"{text}^^<{datatype}>"
    return str(term)


def rdf_format(path: Path) -> ox.RdfFormat:
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise ValueError(f"{path}: no RDF format for the suffix '{path.suffix}'") from None


def invalid_literals(path: str | Path) -> list[str]:
    """Every ill-typed literal in the file, one line each: ``<s> <p> "0"^^xsd:positiveInteger: not > 0``.

    A file that does not parse is one problem (the parser's message).
    """
    path = Path(path)
    problems = []
    try:
        quads = list(ox.parse(path=path, format=rdf_format(path), lenient=True))
    except SyntaxError as error:
        return [f"{path}: does not parse: {error}"]
    for quad in quads:
        obj = quad.object
        if not isinstance(obj, ox.Literal):
            continue
        reason = literal_problem(obj.value, obj.datatype.value, obj.language)
        if reason is not None:
            graph = "" if isinstance(quad.graph_name, ox.DefaultGraph) else f" {quad.graph_name}"
            problems.append(f"{_show(quad.subject)} {_show(quad.predicate)} {_show(obj)}{graph}: {reason}")
    return sorted(problems)
