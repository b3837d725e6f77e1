"""One key per real party across all articles, merged only on evidence.

Rules, strongest first:
1. Same wiki link target (after MediaWiki title normalisation and 简/繁 folding) → one
   party, whatever text the link displays. Different targets → different parties.
2. An unlinked name joins a party of the same (folded) name only when its row states a
   place that agrees with every place that party's rows state: the same country
   ("same-name-country"), or a country inside a region or one region inside the other
   ("same-name-region"). Rows that state no place never merge.
3. Anonymous delegations (来自南亚的组织) are not parties and never merge.
Every merge keeps its evidence; near-misses are reported as non-merges with the reason.
Countries are inferred only for rows that state none, from a link disambiguator
(革命共产党_(巴西)) or a country name inside the party name, and say which.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kg.fold import fold
from kg.geo import Place, gazetteer, places_compatible
from kg.records import Article, Attendance, ConferenceId, Entry, Membership, PlaceKind, StatedPlace

_DISAMBIGUATOR = re.compile(r"^(?P<base>.+?) \((?P<what>[^()]+)\)$")
# Rows that speak of years more than this far apart are not one party by name alone.
SAME_NAME_YEARS = 10
OPEN_END = 9999  # an international that still exists
STRENGTH = {"same-link": "strong", "same-name-country": "medium", "same-name-region": "weak"}


@dataclass(frozen=True)
class Mention:
    """One party named in one row of one article."""

    id: str  # "path:line:col" of the name
    international: str  # key of the organisation whose table it is in
    entry: Entry
    period: tuple[int, int] | None = None  # the years the row speaks of, where it says

    @property
    def place(self) -> StatedPlace | None:
        """The most precise place the row states: its country, else its region/continent."""
        entry = self.entry
        continent = entry.continent if isinstance(entry, Membership) else None
        return entry.country or entry.region or continent


@dataclass(frozen=True)
class InferredCountry:
    code: str
    kind: PlaceKind
    evidence: str  # "disambiguator" or "name"
    text: str  # the words it was read from


@dataclass(frozen=True)
class Evidence:
    rule: str  # "same-link", "same-name-country", "same-name-region"
    strength: str
    mention: str  # the mention that joined
    joined: str  # a mention already in the party that it agreed with
    detail: str


@dataclass(frozen=True)
class NonMerge:
    mentions: tuple[str, str]
    reason: str


@dataclass
class Party:
    key: str
    label: str
    link: str | None
    mentions: list[Mention] = field(default_factory=list)
    place: str = ""  # unlinked parties: the place code their key carries
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return list(dict.fromkeys(m.entry.party.name for m in self.mentions))

    @property
    def places(self) -> list[StatedPlace]:
        return [p for m in self.mentions if (p := m.place) is not None]


@dataclass
class International:
    key: str
    name: str
    article: str


@dataclass(frozen=True)
class ConferenceMerge:
    """Two ways of naming one conference of one international, taken as one and why."""

    international: str
    merged: ConferenceId
    into: ConferenceId
    detail: str


@dataclass
class Resolution:
    internationals: list[International]
    parties: list[Party]
    delegations: list[Mention]
    party_of: dict[str, str]  # mention id → party key
    inferred: dict[str, InferredCountry]  # mention id → country inferred for that row
    not_inferred: dict[str, str]  # mention id → why no country could be inferred
    non_merges: list[NonMerge]
    conference_of: dict[tuple[str, ConferenceId], ConferenceId] = field(default_factory=dict)
    conference_merges: list[ConferenceMerge] = field(default_factory=list)

    def conference(self, international: str, conference: ConferenceId) -> ConferenceId:
        """The conference a record's conference is, once resolved."""
        return self.conference_of.get((international, conference), conference)


def international_key(article: Article) -> str:
    """The abbreviation where the article gives one (ICMLPO, CIPOML), else the name."""
    return article.organisation.abbreviation or article.organisation.name


def mention_id(entry: Entry) -> str:
    span = entry.party.span
    return f"{span.path}:{span.line}:{span.col}"


def _year(iso: str) -> int | None:
    return int(iso[:4]) if iso[:4].isdigit() else None


def period_of(entry: Entry, article: Article) -> tuple[int, int] | None:
    """The years a row speaks of: its conference's year; a membership's join and end years;
    else the years its international existed (founded … dissolved, or to this day)."""
    if isinstance(entry, Attendance):
        return (entry.conference.year, entry.conference.year) if entry.conference.year else None
    if isinstance(entry, Membership):
        start = entry.joined.value if entry.joined else None
        end = entry.end.year.value if entry.end and entry.end.year else None
        if start or end:
            return (start or end or 0, end or start or 0)
    founded = _year(article.organisation.founded)
    return (founded, _year(article.organisation.dissolved) or OPEN_END) if founded else None


def _mentions(articles: Iterable[Article]) -> list[Mention]:
    found: list[Mention] = []
    for article in sorted(articles, key=lambda a: a.path):
        key = international_key(article)
        entries = sorted(article.entries, key=lambda e: e.party.span.start)
        found.extend(Mention(mention_id(e), key, e, period_of(e, article)) for e in entries)
    return found


@functools.cache  # a party's link is asked about at each of its rows; the gazetteer never changes
def _place_disambiguator(title: str) -> bool:
    match = _DISAMBIGUATOR.match(title)
    return match is not None and gazetteer().lookup(match.group("what")) is not None


def _base_title(title: str) -> str:
    match = _DISAMBIGUATOR.match(title)
    return match.group("base") if match else title


@dataclass
class _Rows:
    """What a party's rows state so far, kept up as they join, so that whether one more row
    agrees costs the party's distinct places rather than its rows."""

    span: tuple[int, int] | None = None  # the earliest and latest year its rows speak of
    # each place stated → (index and mention of its first row, index and mention of its last)
    places: dict[tuple[str, PlaceKind], tuple[int, Mention, int, Mention]] = field(default_factory=dict)
    count: int = 0

    def add(self, mention: Mention) -> None:
        if (period := mention.period) is not None:
            self.span = period if self.span is None else (min(self.span[0], period[0]), max(self.span[1], period[1]))
        if (place := mention.place) is not None:
            key = (place.code, place.kind)
            first = self.places.get(key, (self.count, mention, 0, mention))[:2]
            self.places[key] = (*first, self.count, mention)
        self.count += 1


class _Resolver:
    def __init__(self) -> None:
        self.rows: dict[str, _Rows] = {}  # party key → what its rows state
        self.parties: list[Party] = []
        self.by_link: dict[str, Party] = {}
        # every folded name a party is known by → its parties by key, in the order they came
        self.by_name: dict[str, dict[str, Party]] = {}
        self.keys: set[str] = set()
        self.non_merges: list[NonMerge] = []

    def _attach(self, party: Party, mention: Mention) -> None:
        """Add a mention to a party and index the names it brings."""
        if not party.mentions:
            self.parties.append(party)
            self.keys.add(party.key)
        party.mentions.append(mention)
        self.rows.setdefault(party.key, _Rows()).add(mention)
        names = {fold(mention.entry.party.name)}
        if party.link:
            names.add(fold(party.link))
            if _place_disambiguator(party.link):  # 劳动党 (塞尔维亚) is 劳动党; 新西兰共产党 (1991年) is one of several
                names.add(fold(_base_title(party.link)))
        for name in names:
            self.by_name.setdefault(name, {}).setdefault(party.key, party)

    def add_linked(self, mention: Mention) -> None:
        link = mention.entry.party.link
        assert link is not None
        party = self.by_link.get(fold(link))
        if party is None:
            party = Party(f"zhwiki:{link}", mention.entry.party.name, link)
            self.by_link[fold(link)] = party
        else:
            first = party.mentions[0]
            shown = f"displayed as '{mention.entry.party.name}'" + (
                "" if mention.entry.party.name == first.entry.party.name else f" and '{first.entry.party.name}'"
            )
            party.evidence.append(
                Evidence("same-link", STRENGTH["same-link"], mention.id, first.id, f"both link [[{link}]], {shown}")
            )
        self._attach(party, mention)

    def add_unlinked(self, mention: Mention) -> None:
        name = fold(mention.entry.party.name)
        candidates = list(self.by_name.get(name, {}).values())
        place = mention.place
        if place is None:
            for other in candidates:
                self.non_merges.append(
                    NonMerge((mention.id, other.mentions[0].id), "same name, but this row states no country or region")
                )
            self._new_party(mention)
            return
        agreeing = [
            (p, found) for p in candidates if (found := _agreement(mention.period, place, self.rows[p.key])) is not None
        ]
        if len(agreeing) == 1:
            party, (rule, joined) = agreeing[0]
            detail = (
                f"'{mention.entry.party.name}' in {place.raw} agrees with {joined.place.raw if joined.place else ''}"
            )
            party.evidence.append(Evidence(rule, STRENGTH[rule], mention.id, joined.id, detail))
            self._attach(party, mention)
            return
        reason = (
            "same name in more than one party with agreeing places" if agreeing else "same name, places do not agree"
        )
        for other in candidates:
            self.non_merges.append(NonMerge((mention.id, other.mentions[0].id), reason))
        self._new_party(mention)

    def _new_party(self, mention: Mention) -> None:
        """A party known by an unlinked name; its key is the name and the place stated."""
        place = mention.place
        where = place.code if place else ""
        if not where or f"name:{mention.entry.party.name}@{where}" in self.keys:
            span = mention.entry.party.span  # no place, or same name and place but not merged
            where = f"{Path(span.path).stem}-{span.line}-{span.col}"
        party = Party(f"name:{mention.entry.party.name}@{where}", mention.entry.party.name, None, place=where)
        self._attach(party, mention)

    def note_same_display(self) -> None:
        """Same displayed text, different link targets: different parties, said so."""
        by_name: dict[str, list[Party]] = {}
        for party in self.parties:
            if party.link:
                for name in {fold(n) for n in party.names}:
                    by_name.setdefault(name, []).append(party)
        for parties in by_name.values():
            for a, b in itertools.pairwise(parties):
                self.non_merges.append(
                    NonMerge(
                        (a.mentions[0].id, b.mentions[0].id),
                        f"same displayed name, different link targets [[{a.link}]] and [[{b.link}]]",
                    )
                )


def _apart(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    """Two rows that speak of years further apart than one party can be told by its name:
    a refounded party or one of a split keeps the old name (the 芬兰共产党 of 1918 and of 1997)."""
    if a is None or b is None:
        return False
    return max(b[0] - a[1], a[0] - b[1]) > SAME_NAME_YEARS


def _agreement(mention_period: tuple[int, int] | None, place: StatedPlace, rows: _Rows) -> tuple[str, Mention] | None:
    """The rule by which ``place`` agrees with every place a party's rows state, in years close
    enough to the years its rows speak of; and the row it agrees with: the last row of a
    country it agrees with, else the first of a region."""
    if _apart(mention_period, rows.span):
        return None
    country: tuple[int, Mention] | None = None
    region: tuple[int, Mention] | None = None
    for (code, kind), (first_index, first, last_index, last) in rows.places.items():
        found = places_compatible(Place(place.code, place.kind), Place(code, kind))
        if found is None:
            return None
        if found == "country" and (country is None or last_index > country[0]):
            country = (last_index, last)
        elif found == "region" and (region is None or first_index < region[0]):
            region = (first_index, first)
    if country:
        return "same-name-country", country[1]
    return ("same-name-region", region[1]) if region else None


def infer_country(entry: Entry) -> tuple[InferredCountry | None, str]:
    """A country for a row that states none, from evidence; or None and why not."""
    if entry.country is not None:
        return None, ""
    link = entry.party.link or ""
    if match := _DISAMBIGUATOR.match(link):
        place = gazetteer().lookup(match.group("what"))
        if place is not None and not place.is_region:
            return InferredCountry(place.code, place.kind, "disambiguator", link), ""
    found = gazetteer().names_in(entry.party.name)
    codes = {p.code for _, p in found if p is not None}
    if len(codes) == 1:
        place = next(p for _, p in found if p is not None)
        return _checked(entry, InferredCountry(place.code, place.kind, "name", entry.party.name))
    if any(p is None for _, p in found):
        return None, f"'{next(n for n, p in found if p is None)}' names more than one country"
    if len(codes) > 1:
        return None, f"the name holds several countries: {', '.join(sorted(codes))}"
    return None, "no country name or disambiguator"


def _checked(entry: Entry, inferred: InferredCountry) -> tuple[InferredCountry | None, str]:
    """An inferred country must lie in the region the row states, if it states one."""
    region = entry.region or (entry.continent if isinstance(entry, Membership) else None)
    if region is None or places_compatible(Place(inferred.code, inferred.kind), Place(region.code, region.kind)):
        return inferred, ""
    return None, f"{inferred.code} from the name is not in {region.raw}"


def resolve(articles: list[Article]) -> Resolution:
    """Keys for every party named in the articles, with evidence for each merge."""
    mentions = _mentions(articles)
    resolver = _Resolver()
    delegations = [m for m in mentions if m.entry.delegation]
    named = [m for m in mentions if not m.entry.delegation]
    for mention in named:
        if mention.entry.party.link:
            resolver.add_linked(mention)
    # Rows that state a country go first, so a region-only row meets countries to agree with.
    unlinked = [m for m in named if not m.entry.party.link]
    for mention in sorted(unlinked, key=lambda m: m.place is None or m.place.kind == "region"):
        resolver.add_unlinked(mention)
    resolver.note_same_display()
    inferred, not_inferred = {}, {}
    for mention in named:
        country, why = infer_country(mention.entry)
        if country:
            inferred[mention.id] = country
        elif why:
            not_inferred[mention.id] = why
    conference_of, conference_merges = resolve_conferences(articles)
    return Resolution(
        internationals=_internationals(articles),
        parties=resolver.parties,
        delegations=delegations,
        party_of={m.id: p.key for p in resolver.parties for m in p.mentions},
        inferred=inferred,
        not_inferred=not_inferred,
        non_merges=resolver.non_merges,
        conference_of=conference_of,
        conference_merges=conference_merges,
    )


def _internationals(articles: list[Article]) -> list[International]:
    return [
        International(international_key(a), a.organisation.name, a.path) for a in sorted(articles, key=lambda a: a.path)
    ]


def _agree(a: ConferenceId, b: ConferenceId) -> bool:
    """Two names of one conference: same kind and year, and no stated field that differs."""
    if a.kind != b.kind or a.year is None or a.year != b.year or a.table or b.table:
        return False
    pairs = ((a.ordinal, b.ordinal), (a.month, b.month), (a.day, b.day))
    same_place = not a.place or not b.place or fold(a.place) == fold(b.place)
    return same_place and all(x is None or y is None or x == y for x, y in pairs)


def _union(ids: list[ConferenceId]) -> ConferenceId:
    """One conference with every field any of its names states."""

    def first(values: Iterable[int | None]) -> int | None:
        return next((v for v in values if v is not None), None)

    return ConferenceId(
        first(c.ordinal for c in ids),
        ids[0].year,
        first(c.month for c in ids),
        first(c.day for c in ids),
        next((c.place for c in ids if c.place), ""),
        ids[0].kind,
    )


def resolve_conferences(
    articles: list[Article],
) -> tuple[dict[tuple[str, ConferenceId], ConferenceId], list[ConferenceMerge]]:
    """Conferences of one international named in several ways (a table row 第三届 2004年 北京, a
    heading 第三届 with the year in the prose) are one conference when they share kind and year
    and no stated field differs; a year with names that disagree merges nothing."""
    names: dict[tuple[str, int | None, str], list[ConferenceId]] = {}
    for article in sorted(articles, key=lambda a: a.path):
        key = international_key(article)
        for conference in article.conferences:
            group = names.setdefault((key, conference.id.year, conference.id.kind), [])
            if conference.id not in group:
                group.append(conference.id)
    mapping: dict[tuple[str, ConferenceId], ConferenceId] = {}
    merges: list[ConferenceMerge] = []
    for (key, _, _), group in names.items():
        if len(group) < 2 or not all(_agree(a, b) for a, b in itertools.combinations(group, 2)):
            continue
        into = _union(group)
        for named in group:
            mapping[key, named] = into
            if named != into:
                detail = "same kind and year, and every other field either agrees or is unstated"
                merges.append(ConferenceMerge(key, named, into, detail))
    return mapping, merges
