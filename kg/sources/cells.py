"""Type a table cell by what it holds, with its column's header as a hint.

Conversions lose cells and shift the rest left, so a column header is only a hint: a
fragment is a place if its text, its flag template or the page it links to names one, a year
if it reads as one, a role if it is a role word, a note if it is bracketed or says how a
membership began or ended, and a party otherwise. The header decides only what content alone
cannot: text under a country column that names no place and no party is an unknown place;
text under a note column is a note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from kg.fold import fold, to_simplified
from kg.geo import Place, gazetteer
from kg.lexicon import ColumnKind, Role, lexicon
from kg.records import PartyName, PlaceEvidence, StatedPlace, Year
from kg.sources.dates import find_dates, read_date
from kg.sources.document import Fragment, Link, Template
from kg.spans import Span

TypedKind = Literal[
    "empty",
    "continent",
    "country",
    "year",
    "note",
    "role",
    "party",
    "unknown-template",
    "unknown-place",
    "unknown-role",
]

_BRACKETED = re.compile(r"^[(\[（【](?P<inner>.*)[)\]）】]$")
_TRAILING_NOTE = re.compile(r"^(?P<name>.*?)\s*[(（](?P<note>[^()（）]*)[)）]\s*$")
# 爱尔兰海盗党——2011年3月解散: a note after a dash or a colon.
_DASH_NOTE = re.compile(r"^(?P<name>[^—–:：]+?)\s*(?:——|—|–|：|:)\s*(?P<note>.+)$")
_DASHED = re.compile(r"^\s*(?:——|—|–|：|:)\s*")
_SEPARATORS = frozenset("、，,；;")
_PLACEHOLDER = re.compile(r"^[\s\-–—―‐−?？…·/／]*$")  # a cell written "—": nothing stated
_LINK_JOINERS = frozenset({"和", "与", "及", "以及", "、", "，", ",", "；", ";"})


@dataclass(frozen=True)
class Typed:
    """One fragment of a cell with the kind of value it holds."""

    kind: TypedKind
    fragment: Fragment
    place: StatedPlace | None = None
    year: Year | None = None
    party: PartyName | None = None
    role: Role | None = None
    delegation: bool = False  # an anonymous delegation; ``place`` says where from


def header_kind(text: str) -> ColumnKind | None:
    """What a header names ("continent", "country", ...), None when it says nothing known."""
    return lexicon().columns.find(text) if text.strip() else None


def read_year(text: str, span: Span) -> Year | None:
    """A year such as 2010年, 约2009年 or 2002年左右; None if ``text`` is not one."""
    value = read_date(text)
    return Year(value.year, value.approximate, text, span) if value else None


def _stated(found: Place, raw: str, evidence: PlaceEvidence, span: Span) -> StatedPlace:
    return StatedPlace(found.code, found.kind, raw, evidence, span)


def flag_place(template: Template) -> Place | None:
    """The country a flag template shows: {{ARG}}, {{伊朗}}, {{flag|阿富汗}}, {{flagicon|ESP}}."""
    if not template.is_flag:
        return None
    places = gazetteer()
    for candidate in (template.name, *template.args[:1]):
        if found := places.lookup(candidate):
            return found
    return None


def _template_call(template: Template) -> str:
    return "{{" + "|".join((template.name, *template.args)) + "}}"


def _flag(fragment: Fragment) -> StatedPlace | None:
    for template in fragment.templates:
        if found := flag_place(template):
            return _stated(found, _template_call(template), "flag-template", template.span)
    return None


def _linked_place(fragment: Fragment) -> StatedPlace | None:
    """The place a fragment's link points to ([[法国|法兰西]]), when the link is all its text."""
    links = [x for x in fragment.links if x.target]
    if len(links) == 1 and fold(links[0].text) == fold(fragment.text):
        found = gazetteer().lookup(links[0].target)
        if found is not None:
            return _stated(found, links[0].target, "link", links[0].span)
    return None


def _place_kind(found: Place) -> TypedKind:
    return "continent" if found.is_region else "country"


def _is_event_note(fragment: Fragment) -> bool:
    """A note, not a name: it opens with a date or an event word and says when a membership
    began or ended (2001年退出, 1921年加入，1948年被开除, 宣布退出); a name comes first otherwise."""
    text = fragment.text
    if [x for x in fragment.links if x.target]:
        return False
    folded = fold(text)
    said = [m for event in lexicon().ends if (m := event.pattern.search(folded))]
    begun = lexicon().begin.found_word(text)
    dates = find_dates(text)
    opens_with_date = bool(dates) and dates[0].start == 0
    opens_with_word = any(m.start() == 0 for m in said) or bool(begun and folded.startswith(begun))
    return bool(said or begun) and (opens_with_date or opens_with_word)


def looks_like_party(text: str) -> bool:
    return lexicon().party_words.find(text) is not None


def type_fragment(fragment: Fragment, column: ColumnKind | None = None) -> Typed:
    """What one fragment of a cell holds: its content first, its column where content is silent."""
    text = fragment.text
    if not text or _PLACEHOLDER.match(text):
        return _type_templates(fragment)
    if found := gazetteer().lookup(text):
        return Typed(_place_kind(found), fragment, place=_stated(found, text, "cell-text", fragment.span))
    if place := _linked_place(fragment):
        return Typed("continent" if place.is_region else "country", fragment, place=place)
    if column == "country":
        return _type_country_cell(fragment)
    return _type_by_content(fragment, text, column)


def _type_by_content(fragment: Fragment, text: str, column: ColumnKind | None) -> Typed:
    if year := read_year(text, fragment.span):
        return Typed("year", fragment, year=year)
    if role := lexicon().role_words.exact(text):
        return Typed("role", fragment, role=role)
    if column == "role":
        found = lexicon().role_words.find(text)
        return Typed("role", fragment, role=found) if found else Typed("unknown-role", fragment)
    if _BRACKETED.match(text) or column == "note" or _is_event_note(fragment):
        return Typed("note", fragment)
    return _type_party(fragment, text)


def _type_country_cell(fragment: Fragment) -> Typed:
    """A country column's cell whose text names no known place: its flag or link may; a name
    that reads as a party's is a party (cells shift); anything else is an unknown place, which
    the row reads as its party only when it names no other (``as_party``)."""
    if place := _flag(fragment):
        return Typed("continent" if place.is_region else "country", fragment, place=place)
    text = fragment.text
    unlinked = not [x for x in fragment.links if x.target]
    if (
        unlinked
        and not looks_like_party(text)
        and read_year(text, fragment.span) is None
        and not _BRACKETED.match(text)
    ):
        return Typed("unknown-place", fragment)
    return _type_by_content(fragment, text, None)


def as_party(typed: Typed) -> Typed:
    """A fragment first read as an unknown place, read as a party instead: in a row that
    names no other party, the name has shifted into the country column (ICOR's rows)."""
    return _type_by_content(typed.fragment, typed.fragment.text, None)


def _type_templates(fragment: Fragment) -> Typed:
    if place := _flag(fragment):
        return Typed("continent" if place.is_region else "country", fragment, place=place)
    unknown = [t for t in fragment.templates if t.kind is None]
    return Typed("unknown-template" if unknown else "empty", fragment)


def _note_part(note: str) -> bool:
    """A bracketed text after a name that is a note (a date, or a note word), not part of it."""
    return bool(find_dates(note)) or lexicon().note_hints.find(note) is not None


def _linked_name(fragment: Fragment) -> tuple[str, Link | None, str]:
    """Displayed name, its link and any note after it. The link's target is the truth
    about which page is meant; its displayed text is the name as this article wrote it."""
    links = [link for link in fragment.links if link.target]
    if links and links[0].at == 0 and fragment.text.startswith(links[0].text):
        link = links[0]
        rest = fragment.text[len(link.text) :].strip()
        note = _BRACKETED.match(rest)
        if len(links) == 1 or note or _DASHED.match(rest):  # [[X]]（1948年与Y合并为[[Z]]）: the note may link too
            return link.text, link, note.group("inner") if note else _DASHED.sub("", rest)
    match = _TRAILING_NOTE.match(fragment.text)
    if match and _note_part(match.group("note")):
        return match.group("name"), None, match.group("note")
    dashed = _DASH_NOTE.match(fragment.text)
    if dashed and (looks_like_party(dashed.group("name")) or _note_part(dashed.group("note"))):
        return dashed.group("name"), None, dashed.group("note")
    return fragment.text, None, ""


def _bracketed_place(name: str, note: str) -> tuple[str, str, Place | None]:
    """A place written in brackets after the name, 劳动党（突尼斯）: (name, note, place)."""
    if note and (found := gazetteer().lookup(note)) is not None:
        return name, "", found
    match = _TRAILING_NOTE.match(name) if not note else None
    if match and match.group("name") and (found := gazetteer().lookup(match.group("note"))) is not None:
        return match.group("name"), "", found
    return name, note, None


def _type_party(fragment: Fragment, text: str) -> Typed:
    name, link, note = _linked_name(fragment)
    name, note, where = _bracketed_place(name, note)
    english = link.english if link else next((x.english for x in fragment.links if x.english), "")
    party = PartyName(name, link.target if link else None, fragment.span, note, english)
    if where is not None:
        return Typed("party", fragment, place=_stated(where, where.code, "name-note", fragment.span), party=party)
    if place := _flag(fragment):  # {{flagicon|TUN}} 劳动党: a flag beside the name in one cell or list item
        return Typed("party", fragment, place=place, party=party)
    delegation = lexicon().delegation.match(to_simplified(name))
    if delegation and link is None:
        found = gazetteer().lookup(delegation.group("place"))
        place = _stated(found, delegation.group("place"), "cell-text", fragment.span) if found else None
        return Typed("party", fragment, place=place, party=party, delegation=True)
    return Typed("party", fragment, party=party)


def split_parties(fragment: Fragment) -> list[Fragment]:
    """Two or more parties written in one line: links joined by 、/和/与 …, or names that each
    read as a party's, separated by 、 or ， outside brackets. One fragment otherwise."""
    linked = _split_links(fragment)
    if linked:
        return linked
    parts = [_part(fragment, text, at) for text, at in _split_at_separators(fragment.text)]
    if len(parts) < 2 or not all(_names_a_party(part) for part in parts):
        return [fragment]
    return parts


def _names_a_party(part: Fragment) -> bool:
    linked = [x for x in part.links if x.target]
    if linked:
        return len(linked) == 1 and part.text.startswith(linked[0].text)
    return looks_like_party(part.text) and gazetteer().lookup(part.text) is None


def _split_links(fragment: Fragment) -> list[Fragment]:
    links = [x for x in fragment.links if x.target]
    if len(links) < 2 or fragment.text[: links[0].at].strip():
        return []
    pieces = []
    for link, following in zip(links, [*links[1:], None], strict=True):
        end = link.at + len(link.text)
        gap = fragment.text[end : following.at] if following else ""
        if following and gap.strip() not in _LINK_JOINERS:
            return []
        tail = "" if following else fragment.text[end:]
        if tail.strip() and not _BRACKETED.match(tail.strip()):
            return []
        pieces.append(
            Fragment(link.text + tail, link.span, (Link(link.target, link.text, link.span, link.url, 0, link.english),))
        )
    return pieces


def _split_at_separators(text: str) -> list[tuple[str, int]]:
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text):
        depth += char in "(（[【"
        depth -= char in ")）]】"
        if depth == 0 and char in _SEPARATORS:
            parts.append((text[start:index], start))
            start = index + 1
    parts.append((text[start:], start))
    return [(part.strip(), at + len(part) - len(part.lstrip())) for part, at in parts if part.strip()]


def _part(fragment: Fragment, text: str, at: int) -> Fragment:
    """A piece of a fragment's text, with the links inside it; its span is the link's where
    it is linked, the piece's where the text is as written, else the fragment's."""
    inside = tuple(
        Link(x.target, x.text, x.span, x.url, x.at - at, x.english)
        for x in fragment.links
        if at <= x.at < at + len(text)
    )
    span = fragment.span
    if inside:
        span = inside[0].span
    elif fragment.span.end - fragment.span.start == len(fragment.text):
        start = span.start + at
        span = Span(span.path, start, start + len(text), span.line, span.col + at)
    return Fragment(text, span, inside, fragment.templates)
