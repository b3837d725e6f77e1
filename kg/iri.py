"""Stable, readable IRIs: the same records always get the same IRIs.

Everything hangs under one configurable HTTPS base. Names are kept readable (Chinese
characters stay as they are); only characters an IRI may not hold, and "/" inside a name,
are percent-encoded, so any label yields a valid IRI.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import pyoxigraph as ox
from rdflib import URIRef

from kg.defaults import DEFAULT_BASE
from kg.errors import UsageError
from kg.records import ConferenceId

# RFC 3987 iunreserved (ASCII part) and sub-delims, plus ":" and "@"; "/" is not kept.
_KEEP = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@")
# RFC 3987 ucschar: the characters beyond ASCII an IRI may hold outside its query (no
# surrogates, no C1 controls, no noncharacters; iprivate only in a query, so never kept here).
_UCSCHAR = (
    (0xA0, 0xD7FF),
    (0xF900, 0xFDCF),
    (0xFDF0, 0xFFEF),
    *((plane << 16, (plane << 16) + 0xFFFD) for plane in range(1, 14)),
    (0xE1000, 0xEFFFD),
)
# What an address from a source keeps as written: the ASCII an IRI may hold anywhere ("#",
# "[" and "]" only where they delimit, "%" only before two hex digits: see _address_char).
_ADDRESS = _KEEP | frozenset("/?")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")
_HEX = frozenset("0123456789abcdefABCDEF")


def is_ucschar(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _UCSCHAR)


@functools.lru_cache(maxsize=1 << 16)  # a party's or an article's name recurs in many IRIs
def segment(text: str) -> str:
    """One IRI path segment for ``text``: spaces as "_", every character an IRI path may not
    hold (or a reader could not tell apart, as a space or an invisible one) percent-encoded."""
    return "".join(map(_path_char, text.strip().replace(" ", "_"))) or "_"


def _path_char(char: str) -> str:
    keep = char in _KEEP or (is_ucschar(char) and char.isprintable() and not char.isspace())
    return char if keep else _escape(char)


def external(url: str) -> URIRef | None:
    """An address taken from a source as a valid absolute IRI, or None when it is not one
    (no scheme, or a form no escaping makes valid, such as a port that is not a number)."""
    text = url.strip()
    text = "https:" + text if text.startswith("//") else text  # protocol-relative, as zh.wikipedia serves it
    scheme, colon, rest = text.partition(":")
    if not colon or not _SCHEME.fullmatch(scheme):
        return None
    authority_end = _authority_end(rest)
    fragment = rest.find("#", authority_end)
    chars = [_address_char(rest, i, i < authority_end, fragment) for i in range(len(rest))]
    candidate = scheme.lower() + ":" + "".join(chars)
    try:
        ox.NamedNode(candidate)  # Oxigraph's RFC 3987 parser, the one kg's loader uses
    except ValueError:
        return None
    return URIRef(candidate)


def _authority_end(rest: str) -> int:
    if not rest.startswith("//"):
        return 0
    ends = [i for i in (rest.find(c, 2) for c in "/?#") if i != -1]
    return min(ends, default=len(rest))


def _address_char(rest: str, i: int, in_authority: bool, fragment: int) -> str:
    char = rest[i]
    if char == "%":
        return char if set(rest[i + 1 : i + 3]) <= _HEX and len(rest[i + 1 : i + 3]) == 2 else "%25"
    if char == "#":
        return char if i == fragment else "%23"
    if char in "[]":
        return char if in_authority else _escape(char)
    if char in _ADDRESS or is_ucschar(char):
        return char
    return _escape(char)


def wikipedia_page(title: str) -> URIRef:
    """The zh.wikipedia address of a page title ("?", "#" and "%" escaped: they are part of the title)."""
    return URIRef(
        "https://zh.wikipedia.org/wiki/" + "".join(c if c == "/" else _path_char(c) for c in title.replace(" ", "_"))
    )


def _escape(char: str) -> str:
    """A character's UTF-8 bytes percent-encoded; a lone surrogate, which has none, by the
    bytes it would have (so two texts never share an IRI)."""
    return "".join(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass"))


class Minter:
    """Mints every IRI of the graph from one base."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        parts = urlsplit(base)
        if parts.scheme != "https" or not parts.netloc or parts.query or parts.fragment:
            raise UsageError(f"the IRI base must be an https:// address without query or fragment, not '{base}'")
        self.base = base if base.endswith("/") else base + "/"

    def _iri(self, *segments: str) -> URIRef:
        return URIRef(self.base + "/".join(segments))

    def international(self, key: str) -> URIRef:
        return self._iri("international", segment(key))

    def conference(self, international: str, name: str) -> URIRef:
        """``name`` comes from ``conference_segments``: 10, 2003, 1994-基多, founding-2009."""
        return self._iri("international", segment(international), "conference", name)

    def attendance(self, conference: URIRef, row: RowKey) -> URIRef:
        return URIRef(f"{conference}/attendance/{row}")

    def delegation(self, conference: URIRef, row: RowKey) -> URIRef:
        return URIRef(f"{conference}/delegation/{row}")

    def membership(self, international: str, row: RowKey) -> URIRef:
        return self._iri("international", segment(international), "membership", str(row))

    def party(self, link: str | None, name: str, place: str) -> URIRef:
        """A linked party by its zh.wikipedia title; an unlinked one by its name and place."""
        return self._iri("party", segment(link) if link else f"{segment(name)}@{segment(place)}")

    def place(self, scheme: str, code: str) -> URIRef:
        """country/FR, region/142, subdivision/GB-SCT, area/kurdistan."""
        return self._iri(scheme, segment(code))

    def scheme(self, name: str) -> URIRef:
        return self._iri(name, "")

    def named(self, kind: str, title: str) -> URIRef:
        """Ideologies, publications and places, by the title the source gives them."""
        return self._iri(kind, segment(title))

    def inferred_graph(self) -> URIRef:
        """The named graph that holds what reasoning added."""
        return self._iri("graph", "inferred")

    def article(self, file_name: str) -> URIRef:
        return self._iri("source", segment(file_name))

    def location(self, file_name: str, line: int, col: int) -> URIRef:
        return URIRef(f"{self.article(file_name)}#L{line}C{col}")


@dataclass(frozen=True)
class RowKey:
    """Where a row node comes from: the source file's stem, table, row, and which party of
    the row's cell. Two articles about one international never share row IRIs."""

    source: str
    table: int
    row: int
    index: int = 1

    def __str__(self) -> str:
        """icmlpo-t1-r6 for a row's first party, icmlpo-t1-r6-2 for the second of one cell."""
        return f"{segment(self.source)}-t{self.table}-r{self.row}" + (f"-{self.index}" if self.index > 1 else "")


def _short_segment(conference: ConferenceId) -> str:
    """The ordinal where stated, else the date and place; the kind unless regular."""
    if conference.table:
        return f"untitled-{segment(conference.source)}-t{conference.table}"
    parts: list[str] = [conference.kind] if conference.kind != "regular" else []
    if conference.ordinal is not None:
        parts.append(str(conference.ordinal))
        return "-".join(parts)
    return "-".join([*parts, *_date_and_place(conference)]) or conference.kind


def _date_and_place(conference: ConferenceId) -> list[str]:
    parts = []
    if conference.year:
        month = f"-{conference.month:02d}" if conference.month else ""
        day = f"-{conference.day:02d}" if conference.month and conference.day else ""
        parts.append(f"{conference.year:04d}{month}{day}")
    if conference.place:
        parts.append(segment(conference.place))
    return parts


def conference_segments(conferences: Iterable[ConferenceId]) -> dict[ConferenceId, str]:
    """A readable, stable IRI segment per conference of one international: 10 (第十次会议),
    2003 (2003年会议), 1994-基多 (基多会议（1994年）), founding-2009 (成立大会); two conferences
    that would share one (第五次全会 and 第五次代表大会) both add their date and place."""
    distinct = sorted(set(conferences), key=repr)
    short = {c: _short_segment(c) for c in distinct}
    shared = Counter(short.values())
    segments = {}
    for conference in distinct:
        name = short[conference]
        if shared[name] > 1 and not conference.table:
            name = "-".join([name, *_date_and_place(conference)])
        segments[conference] = name
    return segments


_PERCENT_RUN = re.compile(r"(?:%[0-9A-Fa-f]{2})+")


def iri_from_uri(uri: str) -> str:
    """The IRI a URI stands for (RFC 3987 §3.2): percent-encoded UTF-8 that spells a character
    an IRI keeps as it is (the ones ``segment`` keeps) is decoded; anything else stays encoded,
    in upper case. A browser asks for /id/party/%E5%8A%B3… ; the graph's IRI is …/party/劳…"""
    return _PERCENT_RUN.sub(lambda match: _decode_run(match[0]), uri)


def _decode_run(run: str) -> str:
    data = bytes.fromhex(run.replace("%", ""))
    out, i = [], 0
    while i < len(data):
        char, size = _utf8_char(data, i)
        kept = char is not None and (char in _KEEP or (is_ucschar(char) and char.isprintable() and not char.isspace()))
        out.append(char if kept and char is not None else "".join(f"%{b:02X}" for b in data[i : i + size]))
        i += size
    return "".join(out)


def _utf8_char(data: bytes, i: int) -> tuple[str | None, int]:
    """The character the UTF-8 sequence at ``i`` encodes and its length; None for a bad byte."""
    lead = data[i]
    size = (
        1
        if lead < 0x80
        else 2
        if lead >> 5 == 0b110
        else 3
        if lead >> 4 == 0b1110
        else 4
        if lead >> 3 == 0b11110
        else 1
    )
    try:
        return data[i : i + size].decode("utf-8"), size
    except UnicodeDecodeError:
        return None, 1
