"""Places: every written form in the articles to an ISO 3166 or UN M49 code.

Names come from maintained data, not from hand-typed lists: CLDR territory names in
简体/繁體 (babel), the ISO 3166-1/-2/-3 code lists and their Chinese translations
(pycountry), and UN M49 regions with each territory's region (rigour). What those miss (short
names of former states, sub-national places as the articles write them, areas with no code)
is data in ``kg/lexicon/places.toml``. Every name is indexed in each form MediaWiki's
variants write it (zh-hans, zh-hant, zh-tw, zh-hk, zh-cn, zh-sg), folded.
"""

from __future__ import annotations

import gettext
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Literal

import pycountry
import rigour.territories
import zhconv_rs
from babel import Locale

from kg.fold import fold
from kg.lexicon import lexicon

PlaceKind = Literal["country", "historic", "subdivision", "area", "region"]
# The variants zh.wikipedia shows a page in; a name written in any of them is the same name.
# Folding already maps 繁 to 简 characters; these add the regional words (紐西蘭, 賴比瑞亞).
ZH_VARIANTS: tuple[Literal["zh-tw", "zh-hk"], ...] = ("zh-tw", "zh-hk")
# UN M49 codes (unstats.un.org/unsd/methodology/m49) of the region names that rigour's
# territory data uses. rigour's "Central Europe" is not an M49 area and is left out.
M49_BY_RIGOUR_NAME = {
    "Africa": "002",
    "Americas": "019",
    "Asia": "142",
    "Europe": "150",
    "Oceania": "009",
    "Northern Africa": "015",
    "Eastern Africa": "014",
    "Middle Africa": "017",
    "Southern Africa": "018",
    "Western Africa": "011",
    "Caribbean": "029",
    "Central America": "013",
    "South America": "005",
    "Northern America": "021",
    "Central Asia": "143",
    "Eastern Asia": "030",
    "South-eastern Asia": "035",
    "Southern Asia": "034",
    "Western Asia": "145",
    "Eastern Europe": "151",
    "Northern Europe": "154",
    "Southern Europe": "039",
    "Western Europe": "155",
    "Australia and New Zealand": "053",
    "Melanesia": "054",
    "Micronesia": "057",
    "Polynesia": "061",
}

# CLDR territoryContainment groupings that cut across M49's tree (北美洲 in Chinese
# usage includes Central America and the Caribbean; 拉丁美洲 is 419).
REGION_GROUPS = {
    "003": frozenset({"021", "013", "029"}),
    "419": frozenset({"005", "013", "029"}),
    "202": frozenset({"011", "014", "017", "018"}),
}
# The continent each of those groupings lies in.
GROUP_CONTINENT = {"003": "019", "419": "019", "202": "002"}
WORLD = "001"

_CHINESE_LOCALES = ("zh", "zh_Hant", "zh_Hant_HK")
_PYCOUNTRY_LOCALES = ("zh_CN", "zh_TW", "zh_HK")


@dataclass(frozen=True)
class Place:
    """A resolved place: a country (ISO 3166-1 alpha-2), a former state (ISO 3166-3 alpha-4),
    a sub-national place (ISO 3166-2), an area (an id of places.toml) or a region (UN M49)."""

    code: str
    kind: PlaceKind

    @property
    def is_region(self) -> bool:
        return self.kind == "region"

    @property
    def is_country(self) -> bool:
        return self.kind in ("country", "historic")


def _historic_codes() -> dict[str, str]:
    """ISO 3166-3 alpha-3 (SCG) to alpha-4 (CSXX)."""
    return {c.alpha_3: c.alpha_4 for c in pycountry.historic_countries}


@cache
def _translations(domain: str) -> tuple[gettext.NullTranslations, ...]:
    return tuple(
        gettext.translation(domain, pycountry.LOCALES_DIR, languages=[locale], fallback=True)
        for locale in _PYCOUNTRY_LOCALES
    )


def _cldr_pairs() -> Iterator[tuple[str, Place]]:
    """CLDR territory names: countries, and UN M49 regions (numeric codes)."""
    for locale in (*_CHINESE_LOCALES, "en"):
        for code, name in Locale.parse(locale).territories.items():
            if code.isdigit():
                yield name, Place(code, "region")
            elif len(code) == 2 and (pycountry.countries.get(alpha_2=code) or code in lexicon().places.countries):
                yield name, Place(code, "country")


def _name_pairs() -> Iterator[tuple[str, Place]]:
    """Every (name, country or region) pair the libraries know, Chinese and English."""
    yield from _cldr_pairs()
    for country in pycountry.countries:
        place = Place(country.alpha_2, "country")
        for attr in ("name", "common_name", "official_name"):
            if name := getattr(country, attr, None):
                yield name, place
        for tr in _translations("iso3166-1"):
            yield tr.gettext(country.name), place
            if official := getattr(country, "official_name", None):
                yield tr.gettext(official), place
    for old in pycountry.historic_countries:
        place = Place(old.alpha_4, "historic")
        yield old.name, place
        for tr in _translations("iso3166-3"):
            yield tr.gettext(old.name), place
    places = lexicon().places
    for name, code in places.historic.items():
        yield name, Place(code, "historic")
    for code, names in places.countries.items():
        yield from ((name, Place(code, "country")) for name in names)


def _lexicon_local_pairs() -> Iterator[tuple[str, Place]]:
    """The sub-national places and areas of places.toml."""
    places = lexicon().places
    for code, names in places.subdivisions.items():
        yield from ((name, Place(code, "subdivision")) for name in names)
    for area in places.areas:
        yield from ((name, Place(area.id, "area")) for name in area.names)


def _iso_local_pairs() -> Iterator[tuple[str, Place]]:
    """ISO 3166-2 sub-national places by pycountry's Chinese translations of their names."""
    for subdivision in pycountry.subdivisions:
        place = Place(subdivision.code, "subdivision")
        for tr in _translations("iso3166-2"):
            if (name := tr.gettext(subdivision.name)) != subdivision.name:
                yield name, place


def _variants(pairs: Iterable[tuple[str, Place]]) -> Iterator[tuple[str, Place]]:
    """Each name in every variant MediaWiki writes it in (新西兰, 紐西蘭, 新西蘭 …)."""
    for name, place in pairs:
        yield name, place
        if not name.isascii():
            for variant in ZH_VARIANTS:
                yield str(zhconv_rs.zhconv(name, variant)), place


@dataclass(frozen=True)
class Gazetteer:
    """Folded name → place, with names that point to two places left out."""

    by_name: dict[str, Place]
    ambiguous: frozenset[str]
    by_code: dict[str, Place]
    name_pattern: re.Pattern[str]

    def lookup(self, text: str) -> Place | None:
        """The place ``text`` names: an ISO/M49 code or a name, as a whole. ISO 3166-2's
        thousands of names are consulted only for a text that could be a place's (short,
        no word of a party's name), and indexed the first time one is."""
        token = text.strip()
        if place := self.by_code.get(token.upper()) if token.isascii() else None:
            return place
        key = fold(token)
        if (found := self.by_name.get(key)) is not None or len(key) > _PLACE_NAME_LENGTH:
            return found
        if lexicon().party_words.find(key) is not None:
            return None
        return _iso_local_index().get(key)

    def is_ambiguous(self, text: str) -> bool:
        return fold(text) in self.ambiguous

    def names_in(self, text: str) -> list[tuple[str, Place | None]]:
        """Country names written inside ``text``, the longest at each position.

        An ambiguous name (刚果) comes back with ``None`` so the caller can say why it
        inferred nothing; region names are not returned.
        """
        found: list[tuple[str, Place | None]] = []
        for match in self.name_pattern.finditer(fold(text)):
            place = self.by_name.get(match.group(0))
            if place is None or place.is_country:
                found.append((match.group(0), place))
        return found


def _code_index() -> dict[str, Place]:
    codes: dict[str, Place] = {}
    for country in pycountry.countries:
        place = Place(country.alpha_2, "country")
        codes[country.alpha_3] = place
        codes[country.alpha_2] = place
    for alpha_3, alpha_4 in _historic_codes().items():
        codes.setdefault(alpha_3, Place(alpha_4, "historic"))
        codes[alpha_4] = Place(alpha_4, "historic")
    return codes


def _places_by_name(pairs: Iterable[tuple[str, Place]]) -> dict[str, set[Place]]:
    seen: dict[str, set[Place]] = defaultdict(set)
    for name, place in _variants(pairs):
        if key := fold(name):
            seen[key].add(place)
    for places in seen.values():
        current = {p for p in places if p.kind == "country"}
        if len(current) == 1 and len(places) > 1 and all(p.kind == "historic" for p in places - current):
            places.intersection_update(current)  # 东帝汶: today's TL, not the historic code it replaced
    return seen


# Place names are short: a longer text is looked up among ISO 3166-2's names no further.
_PLACE_NAME_LENGTH = 10
_SHARED = Place("", "area")  # marks a name two places of one tier share, so later tiers skip it


def _name_index() -> tuple[dict[str, Place], frozenset[str]]:
    """Folded name → place. Countries and regions come first: a name that points to two of
    them is ambiguous. Then places.toml's sub-national places and areas, then ISO 3166-2's,
    each only where no earlier tier has the name; a name two places of one tier share is left out."""
    seen = _places_by_name(_name_pairs())
    ambiguous = {key for key, places in seen.items() if len(places) > 1} | set(lexicon().places.ambiguous)
    by_name = {key: next(iter(places)) for key, places in seen.items() if key not in ambiguous}
    return _add_tier(by_name, ambiguous, _lexicon_local_pairs()), frozenset(ambiguous)


def _add_tier(
    known: dict[str, Place], ambiguous: set[str] | frozenset[str], pairs: Iterable[tuple[str, Place]]
) -> dict[str, Place]:
    """``known`` with the names of a lower tier that no earlier tier has; a name two places
    of the tier share is left out."""
    found = dict(known)
    for key, places in _places_by_name(pairs).items():
        if key in known or key in ambiguous:
            continue
        found[key] = next(iter(places)) if len(places) == 1 else _SHARED
    return {k: p for k, p in found.items() if p is not _SHARED}


@cache
def _iso_local_index() -> dict[str, Place]:
    """ISO 3166-2 names (pycountry's Chinese translations) not taken by an earlier tier."""
    places = gazetteer()
    taken = dict.fromkeys([*places.by_name, *places.ambiguous], _SHARED)
    return _add_tier(taken, frozenset(), _iso_local_pairs())


@cache
def gazetteer() -> Gazetteer:
    """The shared index, built once per process (about 0.2 s)."""
    by_name, ambiguous = _name_index()
    # Only country names of two or more characters are searched inside other text, longest
    # first, so 印度尼西亚 wins over 印度 and 捷克斯洛伐克 over 捷克.
    names = [*(n for n, p in by_name.items() if p.is_country or p.is_region), *ambiguous]
    searchable = sorted((n for n in names if len(n) >= 2 and not n.isascii()), key=lambda n: (-len(n), n))
    pattern = re.compile("|".join(re.escape(n) for n in searchable))
    return Gazetteer(by_name, ambiguous, _code_index(), pattern)


def parent_code(code: str) -> str:
    """The country a sub-national place lies in (GB-SCT → GB), or the country or region an
    area lies in (places.toml); "" for a country or region."""
    if "-" in code[:3] and code[:2].isalpha() and code[:2].isupper():
        return code[:2]
    return next((area.within for area in lexicon().places.areas if area.id == code), "")


@cache
def regions_containing(code: str) -> frozenset[str]:
    """M49 regions that contain the place ``code`` (itself included)."""
    if parent := parent_code(code):
        return frozenset({code}) | regions_containing(parent)
    found = {code, WORLD}
    territory = rigour.territories.get_territory(code.lower())
    if territory is not None:
        for name in (territory.region, territory.subregion):
            if name in M49_BY_RIGOUR_NAME:
                found.add(M49_BY_RIGOUR_NAME[name])
    found |= {group for group, members in REGION_GROUPS.items() if found & members}
    found |= {GROUP_CONTINENT[group] for group in found & GROUP_CONTINENT.keys()}
    for parent in {M49_BY_RIGOUR_NAME[n] for n in _m49_parents(code)}:
        found.add(parent)
    return frozenset(found)


def _m49_parents(code: str) -> Iterator[str]:
    """Continent names of an M49 sub-region, read from rigour's territories."""
    for territory in rigour.territories.get_territories():
        if M49_BY_RIGOUR_NAME.get(territory.subregion or "") == code and territory.region:
            yield territory.region
            return


CONTINENTS = ("002", "019", "142", "150", "009")  # UN M49: Africa, Americas, Asia, Europe, Oceania


def continent_of(code: str) -> str | None:
    """The UN M49 continent a country or region lies in (None for a continent or the world)."""
    if code in CONTINENTS or code == WORLD:
        return None
    return next((c for c in CONTINENTS if c in regions_containing(code)), None)


def successor_codes(code: str) -> frozenset[str]:
    """Current states that succeeded a historic state (CSXX → RS, ME), per rigour."""
    territory = rigour.territories.get_territory(code.lower())
    if territory is None:
        return frozenset()
    return frozenset(t.code.upper() for t in territory.successors if len(t.code) == 2)


def places_compatible(a: Place, b: Place) -> str | None:
    """How two stated places agree: "country" (the same country, or the same sub-national
    place), "region" (one inside the other) or None. A sub-national place and the country it
    lies in do not agree: the party of Scotland is not known to be the party of Britain."""
    if a.is_country and b.is_country:
        same = a.code == b.code or b.code in successor_codes(a.code) or a.code in successor_codes(b.code)
        return "country" if same else None
    if not a.is_region and not b.is_region:
        return "country" if a == b else None
    if a.is_region and b.is_region:
        nested = a.code in regions_containing(b.code) or b.code in regions_containing(a.code)
        return "region" if nested else None
    country, region = (b, a) if a.is_region else (a, b)
    return "region" if region.code in regions_containing(country.code) else None


@cache
def _subdivision_names() -> dict[str, str]:
    return {str(s.code): str(s.name) for s in pycountry.subdivisions}


@cache
def place_names(code: str) -> tuple[str, str]:
    """(Chinese, English) names of a country, historic state, sub-national place, area or region."""
    zh, en = Locale.parse("zh").territories, Locale.parse("en").territories
    if code in zh:
        return zh[code], en.get(code, code)
    places = lexicon().places
    if area := next((a for a in places.areas if a.id == code), None):
        return area.names[0], area.id.replace("-", " ").title()
    if english := _subdivision_names().get(code):
        chinese = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True)
        own = places.subdivisions.get(code, ())
        return (own[0] if own else chinese.gettext(english)), english
    old = pycountry.historic_countries.get(alpha_4=code)
    if old is None:
        return code, code
    chinese = gettext.translation("iso3166-3", pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True)
    short = next((name for name, alias in places.historic.items() if alias == code), "")
    return short or chinese.gettext(old.name), old.name


def wikidata_qid(code: str) -> str:
    """The Wikidata item of a country or historic state, from rigour's territory data."""
    if code.isdigit() or parent_code(code):
        return ""
    territory = rigour.territories.get_territory(code.lower())
    return str(territory.qid) if territory is not None and territory.qid else ""
