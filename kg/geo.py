"""Countries and regions: every written form in the articles to an ISO or UN M49 code.

Names come from maintained data, not from hand-typed lists: CLDR territory names in
简体/繁體 (babel), the ISO 3166-1/-3 code lists and their Chinese translations
(pycountry), and UN M49 regions with each territory's region (rigour). Only what those
miss is listed below, each entry with its reason.
"""

from __future__ import annotations

import gettext
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

import pycountry
import rigour.territories
from babel import Locale

from kg.fold import fold

# Short forms of states that no longer exist; pycountry only has their full official
# names (捷克斯洛伐克社会主义共和国), the articles write the short ones.
HISTORIC_ALIASES = {
    "捷克斯洛伐克": "CSHH",
    "苏联": "SUHH",
    "南斯拉夫": "YUCS",
    "东德": "DDDE",
    "民主德国": "DDDE",
}

# Short names that Chinese text uses for more than one country: never resolved.
# 刚果 is both 刚果（布） (CG) and 刚果（金） (CD); pycountry's zh_CN gives it to CG only.
AMBIGUOUS_NAMES = frozenset({"刚果"})

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
    """A resolved country (ISO 3166 code) or region (UN M49 code)."""

    code: str
    kind: str  # "country" (alpha-2), "historic" (ISO 3166-3 alpha-4) or "region" (M49)

    @property
    def is_region(self) -> bool:
        return self.kind == "region"


def _historic_codes() -> dict[str, str]:
    """ISO 3166-3 alpha-3 (SCG) to alpha-4 (CSXX)."""
    return {c.alpha_3: c.alpha_4 for c in pycountry.historic_countries}


def _translations(domain: str) -> Iterator[gettext.NullTranslations]:
    for locale in _PYCOUNTRY_LOCALES:
        yield gettext.translation(domain, pycountry.LOCALES_DIR, languages=[locale], fallback=True)


def _cldr_pairs() -> Iterator[tuple[str, Place]]:
    """CLDR territory names: countries, and UN M49 regions (numeric codes)."""
    for locale in (*_CHINESE_LOCALES, "en"):
        for code, name in Locale.parse(locale).territories.items():
            if code.isdigit():
                yield name, Place(code, "region")
            elif len(code) == 2 and pycountry.countries.get(alpha_2=code):
                yield name, Place(code, "country")


def _name_pairs() -> Iterator[tuple[str, Place]]:
    """Every (name, place) pair the libraries know, Chinese and English."""
    yield from _cldr_pairs()
    for country in pycountry.countries:
        place = Place(country.alpha_2, "country")
        for attr in ("name", "common_name", "official_name"):
            if name := getattr(country, attr, None):
                yield name, place
        for tr in _translations("iso3166-1"):
            yield tr.gettext(country.name), place
    for old in pycountry.historic_countries:
        place = Place(old.alpha_4, "historic")
        yield old.name, place
        for tr in _translations("iso3166-3"):
            yield tr.gettext(old.name), place
    for name, code in HISTORIC_ALIASES.items():
        yield name, Place(code, "historic")


@dataclass(frozen=True)
class Gazetteer:
    """Folded name → place, with names that point to two places left out."""

    by_name: dict[str, Place]
    ambiguous: frozenset[str]
    by_code: dict[str, Place]
    name_pattern: re.Pattern[str]

    def lookup(self, text: str) -> Place | None:
        """The place ``text`` names: an ISO/M49 code or a name, as a whole."""
        token = text.strip()
        if place := self.by_code.get(token.upper()) if token.isascii() else None:
            return place
        return self.by_name.get(fold(token))

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
            if place is None or not place.is_region:
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


def _name_index(pairs: Iterable[tuple[str, Place]]) -> tuple[dict[str, Place], frozenset[str]]:
    seen: dict[str, set[Place]] = defaultdict(set)
    for name, place in pairs:
        if key := fold(name):
            seen[key].add(place)
    for places in seen.values():
        current = {p for p in places if p.kind == "country"}
        if len(current) == 1 and len(places) > 1 and all(p.kind == "historic" for p in places - current):
            places.intersection_update(current)  # 东帝汶: today's TL, not the historic code it replaced
    ambiguous = {key for key, places in seen.items() if len(places) > 1}
    ambiguous |= {fold(name) for name in AMBIGUOUS_NAMES}
    by_name = {key: next(iter(places)) for key, places in seen.items() if key not in ambiguous}
    return by_name, frozenset(ambiguous)


@cache
def gazetteer() -> Gazetteer:
    """The shared index, built once per process (about 0.2 s)."""
    by_name, ambiguous = _name_index(_name_pairs())
    # Only names of two or more characters are searched inside other text, longest
    # first, so 印度尼西亚 wins over 印度 and 捷克斯洛伐克 over 捷克.
    names = [*by_name, *ambiguous]
    searchable = sorted((n for n in names if len(n) >= 2 and not n.isascii()), key=lambda n: (-len(n), n))
    pattern = re.compile("|".join(re.escape(n) for n in searchable))
    return Gazetteer(by_name, ambiguous, _code_index(), pattern)


@cache
def regions_containing(code: str) -> frozenset[str]:
    """M49 regions that contain the country or region ``code`` (itself included)."""
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
    """How two stated places agree: "country", "region" (one inside the other) or None."""
    if not a.is_region and not b.is_region:
        same = a.code == b.code or b.code in successor_codes(a.code) or a.code in successor_codes(b.code)
        return "country" if same else None
    if a.is_region and b.is_region:
        nested = a.code in regions_containing(b.code) or b.code in regions_containing(a.code)
        return "region" if nested else None
    country, region = (b, a) if a.is_region else (a, b)
    return "region" if region.code in regions_containing(country.code) else None


@cache
def place_names(code: str) -> tuple[str, str]:
    """(Chinese, English) names of a country, historic state or region code."""
    zh, en = Locale.parse("zh").territories, Locale.parse("en").territories
    if code in zh:
        return zh[code], en.get(code, code)
    old = pycountry.historic_countries.get(alpha_4=code)
    if old is None:
        return code, code
    chinese = gettext.translation("iso3166-3", pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True)
    short = next((name for name, alias in HISTORIC_ALIASES.items() if alias == code), "")
    return short or chinese.gettext(old.name), old.name


def wikidata_qid(code: str) -> str:
    """The Wikidata item of a country or historic state, from rigour's territory data."""
    territory = rigour.territories.get_territory(code.lower()) if not code.isdigit() else None
    return str(territory.qid) if territory is not None and territory.qid else ""
