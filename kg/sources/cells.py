"""Type a table cell by what it holds, not by the column it stands in.

Conversions lose cells and shift the rest left, so a column header is only a hint: a
fragment is a continent if its text names a region, a country if a flag template or its
text names a country, a year if it reads as one, a note if it is all in brackets, and a
party otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.fold import fold, normalize_width, to_simplified
from kg.geo import Place, gazetteer
from kg.records import PartyName, StatedPlace, Year
from kg.sources.document import Fragment, Link, Template
from kg.spans import Span

# What a column header says the column holds, by words in the (folded) header.
HEADER_WORDS = (
    ("continent", ("大洲", "洲别")),
    ("country", ("国家", "国别", "地区")),
    ("party", ("政党", "组织", "党", "名称")),
    ("year", ("加入", "时间", "年份", "年")),
    ("role", ("地位", "身份")),
    ("note", ("备注", "注释")),
)

# Templates whose first argument is the displayed name of a page zh.wikipedia lacks:
# {{link-en|中文名|English}}, {{ill|中文名|en|English}}; {{tsl|en|English|中文名}}.
LINK_TEMPLATE_NAME_ARG = {"ill": 0, "tsl": 2}
ROLE_WORDS = {"成员": "member", "正式成员": "member", "观察员": "observer", "前成员": "former"}

_YEAR = re.compile(r"^(?P<about>约|大约|约于)?\s*(?P<year>1[89]\d\d|20\d\d)\s*年?\s*(?P<around>左右|前后|前后左右)?$")
_BRACKETED = re.compile(r"^[(\[（【](?P<inner>.*)[)\]）】]$")
_TRAILING_NOTE = re.compile(r"^(?P<name>.*?)\s*[(（](?P<note>[^()（）]*)[)）]\s*$")
_NOTE_HINT = re.compile(r"\d{4}|开除|除名|退出|解散|停止|取代|成员资格|不再|加入")
_DELEGATION = re.compile(r"^来自(?P<place>[^的]+?)的[^的]{0,8}(?:组织|政党|代表团|代表|同志|代表们|团体)$")


@dataclass(frozen=True)
class Typed:
    """One fragment of a cell with the kind of value it holds."""

    kind: str  # "empty", "continent", "country", "year", "note", "role", "party", "unknown-template"
    fragment: Fragment
    place: StatedPlace | None = None
    year: Year | None = None
    party: PartyName | None = None
    role: str = ""
    delegation: bool = False  # an anonymous delegation; ``place`` says where from


def header_kind(text: str) -> str:
    """What a header names ("continent", "country", ...), "" when it says nothing known."""
    folded = fold(text)
    for kind, words in HEADER_WORDS:
        if any(word in folded for word in words):
            return kind
    return ""


def read_year(text: str, span: Span) -> Year | None:
    """A year such as 2010年, 约2009年 or 2002年左右; None if ``text`` is not one."""
    match = _YEAR.match(to_simplified(normalize_width(text)).strip())
    if match is None:
        return None
    approximate = bool(match.group("about") or match.group("around"))
    return Year(int(match.group("year")), approximate, text, span)


def _place(found: Place, raw: str, evidence: str, span: Span) -> StatedPlace:
    return StatedPlace(found.code, found.kind, raw, evidence, span)


def flag_place(template: Template) -> Place | None:
    """The country a flag template shows: {{ARG}}, {{伊朗}}, {{flag|阿富汗}}, {{flagicon|ESP}}."""
    places = gazetteer()
    for candidate in (template.name, *template.args[:1]):
        if found := places.lookup(candidate):
            return found
    return None


def _template_call(template: Template) -> str:
    return "{{" + "|".join((template.name, *template.args)) + "}}"


def _linked_name(fragment: Fragment) -> tuple[str, Link | None, str]:
    """Displayed name, its link and any note after it. The link's target is the truth
    about which page is meant; its displayed text is the name as this article wrote it."""
    links = [link for link in fragment.links if link.target]
    if len(links) == 1 and fragment.text.startswith(links[0].text):
        link = links[0]
        rest = fragment.text[len(link.text) :].strip()
        note = _BRACKETED.match(rest)
        return link.text, link, note.group("inner") if note else rest
    match = _TRAILING_NOTE.match(fragment.text)
    if match and _NOTE_HINT.search(match.group("note")):
        return match.group("name"), None, match.group("note")
    return fragment.text, None, ""


def _template_name(fragment: Fragment) -> str:
    """The displayed name from a {{link-xx|…}} / {{ill|…}} / {{tsl|…}} template, if any."""
    for template in fragment.templates:
        name = template.name.strip().lower()
        index = 0 if name.startswith("link-") else LINK_TEMPLATE_NAME_ARG.get(name)
        if index is not None and len(template.args) > index:
            return template.args[index]
    return ""


def type_fragment(fragment: Fragment) -> Typed:
    """What one fragment of a cell holds, judged by its content alone."""
    text = fragment.text or _template_name(fragment)
    if not text:
        return _type_templates(fragment)
    places = gazetteer()
    if found := places.lookup(text):
        kind = "continent" if found.is_region else "country"
        return Typed(kind, fragment, place=_place(found, text, "cell-text", fragment.span))
    if year := read_year(text, fragment.span):
        return Typed("year", fragment, year=year)
    if role := ROLE_WORDS.get(fold(text)):
        return Typed("role", fragment, role=role)
    if _BRACKETED.match(text):
        return Typed("note", fragment)
    return _type_party(fragment, text)


def _type_templates(fragment: Fragment) -> Typed:
    for template in fragment.templates:
        if found := flag_place(template):
            return Typed(
                "country", fragment, place=_place(found, _template_call(template), "flag-template", template.span)
            )
    return Typed("unknown-template" if fragment.templates else "empty", fragment)


def _bracketed_place(name: str, note: str) -> tuple[str, str, Place | None]:
    """A place written in brackets after the name, 劳动党（突尼斯）: (name, note, place)."""
    if note and (found := gazetteer().lookup(note)) is not None:
        return name, "", found
    match = _TRAILING_NOTE.match(name) if not note else None
    if match and match.group("name") and (found := gazetteer().lookup(match.group("note"))) is not None:
        return match.group("name"), "", found
    return name, note, None


def _type_party(fragment: Fragment, text: str) -> Typed:
    name, link, note = _linked_name(fragment) if fragment.text else (text, None, "")
    name, note, where = _bracketed_place(name, note)
    party = PartyName(name, link.target if link else None, fragment.span, note)
    if where is not None:
        return Typed("party", fragment, place=_place(where, where.code, "cell-text", fragment.span), party=party)
    flags = [(t, found) for t in fragment.templates if (found := flag_place(t)) is not None]
    if flags:  # {{flagicon|TUN}} 劳动党: a flag beside the name in one cell or list item
        template, found = flags[0]
        return Typed(
            "party",
            fragment,
            place=_place(found, _template_call(template), "flag-template", template.span),
            party=party,
        )
    delegation = _DELEGATION.match(to_simplified(name))
    if delegation and link is None:
        where = gazetteer().lookup(delegation.group("place"))
        place = _place(where, delegation.group("place"), "cell-text", fragment.span) if where else None
        return Typed("party", fragment, place=place, party=party, delegation=True)
    return Typed("party", fragment, party=party)
