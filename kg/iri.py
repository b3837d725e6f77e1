"""Stable, readable IRIs: the same records always get the same IRIs.

Everything hangs under one configurable HTTPS base. Names are kept readable (Chinese
characters stay as they are); only characters an IRI may not hold, and "/" inside a name,
are percent-encoded, so any label yields a valid IRI.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from rdflib import URIRef

from kg.errors import UsageError
from kg.records import ConferenceId

DEFAULT_BASE = "https://kg.example.org/id/"
# RFC 3987 iunreserved (ASCII part) and sub-delims, plus ":" and "@"; "/" is not kept.
_KEEP = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@")


def segment(text: str) -> str:
    """One IRI path segment for ``text``: spaces as "_", unsafe characters percent-encoded."""
    out = []
    for char in text.strip().replace(" ", "_"):
        if char in _KEEP or (ord(char) > 0x9F and char.isprintable() and not char.isspace()):
            out.append(char)
        else:
            out.append(_escape(char))
    return "".join(out) or "_"


# Characters Turtle's IRIREF forbids, plus space and controls.
_NOT_IN_IRI = frozenset('<>"{}|^`\\ ')


def external(url: str) -> URIRef:
    """An address taken from a source, made safe to write as an IRI."""
    return URIRef("".join(_escape(c) if c in _NOT_IN_IRI or ord(c) < 0x20 else c for c in url.strip()))


def wikipedia_page(title: str) -> URIRef:
    """The zh.wikipedia address of a page title ("?" and "#" escaped: they are part of the title)."""
    return external(
        "https://zh.wikipedia.org/wiki/" + "".join(_escape(c) if c in "?#%" else c for c in title.replace(" ", "_"))
    )


def _escape(char: str) -> str:
    return "".join(f"%{byte:02X}" for byte in char.encode("utf-8"))


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
