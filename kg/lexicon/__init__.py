"""The words, templates and place names the readers recognise: data, not code.

Each ``kg/lexicon/*.toml`` file holds one kind of word; this module loads them once, folds
every word the way the readers fold the text they look in (NFKC, 简体, case), and hands out
typed tables. A new heading word, role, column word, end-event word, template or place name is
an edit of a TOML file (and a test), never of a reader.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any, Generic, Literal, TypeVar, get_args

from kg.fold import fold

EndKind = Literal["expelled", "withdrew", "ceased", "dissolved", "merged", "renamed", "replaced-by"]
END_KINDS: tuple[EndKind, ...] = get_args(EndKind)
ColumnKind = Literal[
    "continent",
    "country",
    "party",
    "year",
    "english",
    "native",
    "role",
    "note",
    "ordinal",
    "place",
    "participants",
    "host",
    "person",
    "abbreviation",
]
COLUMN_KINDS: tuple[ColumnKind, ...] = get_args(ColumnKind)
TemplateKind = Literal["country", "link", "wrapper", "list", "date", "note", "external", "hatnote", "infobox", "drop"]
InfoboxField = Literal[
    "name",
    "english_name",
    "abbreviation",
    "founded",
    "dissolved",
    "headquarters",
    "ideology",
    "affiliations",
    "website",
    "predecessor",
]
INFOBOX_FIELDS: tuple[InfoboxField, ...] = get_args(InfoboxField)

V = TypeVar("V")


class LexiconError(ValueError):
    """A lexicon file that does not say what the readers need (a bug in the data, caught by tests)."""


@dataclass(frozen=True)
class WordTable(Generic[V]):
    """Folded words with the value each stands for, longest first."""

    words: tuple[tuple[str, V], ...]

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, V]]) -> WordTable[V]:
        folded = {fold(word): value for word, value in pairs if fold(word)}
        return cls(tuple(sorted(folded.items(), key=lambda item: (-len(item[0]), item[0]))))

    def find(self, text: str) -> V | None:
        """The value of the longest word written inside ``text``."""
        folded = fold(text)
        return next((value for word, value in self.words if word in folded), None)

    def exact(self, text: str) -> V | None:
        folded = fold(text)
        return next((value for word, value in self.words if word == folded), None)

    def found_word(self, text: str) -> str:
        folded = fold(text)
        return next((word for word, _ in self.words if word in folded), "")


@dataclass(frozen=True)
class Role:
    id: str
    term: str  # local name of its org:Role in ontology/kg.ttl
    zh: str
    en: str


@dataclass(frozen=True)
class EventPattern:
    """A way a note says how a membership ended: literal words, ``other`` for a party's name."""

    kind: EndKind
    pattern: re.Pattern[str]
    has_other: bool


@dataclass(frozen=True)
class LinkRule:
    zh_arg: int
    foreign_arg: int
    lang: str  # "" when an argument or the name's suffix says it
    lang_arg: int = 0
    lang_from_suffix: bool = False


@dataclass(frozen=True)
class TemplateRule:
    kind: TemplateKind
    arg: int = 0  # country: the country's argument; wrapper: the argument kept
    shown_arg: int = 0  # country: the argument holding the name shown
    link: LinkRule | None = None


@dataclass(frozen=True)
class Templates:
    exact: Mapping[str, TemplateRule]
    patterns: tuple[tuple[str, TemplateRule], ...]  # ("infobox *", rule): "*" at either end

    def rule(self, name: str) -> TemplateRule | None:
        key = fold(name)
        if (found := self.exact.get(key)) is not None:
            return found
        for pattern, rule in self.patterns:
            if _glob_matches(pattern, key):
                return rule
        return None


def _glob_matches(pattern: str, name: str) -> bool:
    core = pattern.strip("*")
    if pattern.startswith("*") and pattern.endswith("*"):
        return core in name
    if pattern.startswith("*"):
        return name.endswith(core)
    return name.startswith(core)


@dataclass(frozen=True)
class Area:
    """A place with no ISO code of its own (库尔德斯坦): a stable id and where it lies."""

    id: str
    names: tuple[str, ...]
    within: str  # ISO 3166-1 alpha-2 or UN M49 code


@dataclass(frozen=True)
class Places:
    countries: Mapping[str, tuple[str, ...]]  # codes ISO 3166-1 lacks (XK)
    historic: Mapping[str, str]
    ambiguous: frozenset[str]
    subdivisions: Mapping[str, tuple[str, ...]]
    areas: tuple[Area, ...]


@dataclass(frozen=True)
class Conferences:
    counters: tuple[str, ...]
    meeting_words: WordTable[str]
    founding: WordTable[str]  # value: "founding" or "preparatory"
    founding_verbs: WordTable[str]
    filler: tuple[str, ...]


@dataclass(frozen=True)
class Lexicon:
    conferences: Conferences
    attendance: WordTable[str]
    series: WordTable[str]
    series_markers: WordTable[str]
    membership: WordTable[str]
    skip: WordTable[str]
    roles: tuple[Role, ...]
    role_words: WordTable[Role]
    columns: WordTable[ColumnKind]
    ends: tuple[EventPattern, ...]
    begin: WordTable[str]
    formation: WordTable[str]
    note_hints: WordTable[str]
    templates: Templates
    infobox: WordTable[InfoboxField]
    places: Places
    party_words: WordTable[str]
    delegation: re.Pattern[str]
    prose: Mapping[str, Mapping[str, tuple[str, ...]]]  # prose.toml: section → list → words

    def prose_words(self, section: str, name: str) -> tuple[str, ...]:
        """A word list of prose.toml, folded, longest first (for regex alternations)."""
        return self.prose[section][name]

    def role(self, role_id: str) -> Role:
        return next(r for r in self.roles if r.id == role_id)


def _load(directory: Traversable, name: str) -> dict[str, Any]:
    return tomllib.loads(directory.joinpath(name).read_text(encoding="utf-8"))


def _words(values: Iterable[str], value: V) -> Iterable[tuple[str, V]]:
    return ((word, value) for word in values)


def _conferences(data: dict[str, Any]) -> Conferences:
    section = data["conference"]
    founding = [*_words(section["founding"], "founding"), *_words(section["preparatory"], "preparatory")]
    return Conferences(
        tuple(fold(c) for c in section["counters"]),
        WordTable.of((w, w) for w in section["meeting_words"]),
        WordTable.of(founding),
        WordTable.of((w, w) for w in section["founding_verbs"]),
        tuple(fold(f) for f in section["filler"]),
    )


def _roles(data: dict[str, Any]) -> tuple[tuple[Role, ...], WordTable[Role]]:
    roles: list[Role] = []
    pairs: list[tuple[str, Role]] = []
    for entry in data["role"]:
        role = Role(entry["id"], entry["term"], entry["zh"], entry["en"])
        roles.append(role)
        pairs.extend(_words(entry["words"], role))
    return tuple(roles), WordTable.of(pairs)


def _columns(data: dict[str, Any]) -> WordTable[ColumnKind]:
    pairs: list[tuple[str, ColumnKind]] = []
    for kind, words in data.items():
        if kind not in COLUMN_KINDS:
            raise LexiconError(f"columns.toml: unknown column kind '{kind}'")
        pairs.extend(_words(words, _column_kind(kind)))
    return WordTable.of(pairs)


def _column_kind(kind: str) -> ColumnKind:
    return next(k for k in COLUMN_KINDS if k == kind)


def _end_kind(kind: str) -> EndKind:
    for known in END_KINDS:
        if known == kind:
            return known
    raise LexiconError(f"events.toml: unknown end kind '{kind}'")


# A party's name at the end of a note runs to the end of its clause: up to punctuation, a
# date, or the end; inside a note it runs up to the words that follow it.
_OTHER_LAST = r"(?P<other>.+?)(?=\s*(?:[，。；;,、]|于?\d{4}年|$))"
_OTHER_INSIDE = r"(?P<other>.+?)"


def event_regex(pattern: str) -> re.Pattern[str]:
    """``并入{other}`` → a regex whose group ``other`` holds the party's name."""
    before, sep, after = pattern.partition("{other}")
    if not sep:
        return re.compile(re.escape(fold(pattern)))
    other = _OTHER_INSIDE if fold(after) else _OTHER_LAST
    return re.compile(re.escape(fold(before)) + other + re.escape(fold(after)))


def _ends(data: dict[str, Any]) -> tuple[EventPattern, ...]:
    return tuple(
        EventPattern(_end_kind(entry["kind"]), event_regex(pattern), "{other}" in pattern)
        for entry in data["end"]
        for pattern in entry["patterns"]
    )


def _template_rule(kind: TemplateKind, section: dict[str, Any]) -> TemplateRule:
    return TemplateRule(kind, int(section.get("country_arg", 0)), int(section.get("shown_arg", 0)))


def _templates(data: dict[str, Any]) -> Templates:
    pairs: list[tuple[str, TemplateRule]] = []
    for kind in ("country", "list", "date", "note", "external", "hatnote", "infobox", "drop"):
        rule = _template_rule(kind, data[kind])
        pairs.extend((name, rule) for name in data[kind]["names"])
    for name, arg in data["wrapper"].items():
        pairs.append((name, TemplateRule("wrapper", int(arg))))
    for entry in data["link"]:
        lang = str(entry.get("lang", ""))
        link = LinkRule(
            int(entry["zh_arg"]),
            int(entry["foreign_arg"]),
            "" if lang == "suffix" else lang,
            int(entry.get("lang_arg", 0)),
            lang == "suffix",
        )
        pairs.extend((name, TemplateRule("link", link=link)) for name in entry["names"])
    exact = {fold(name): rule for name, rule in pairs if "*" not in name}
    patterns = tuple((fold(name), rule) for name, rule in pairs if "*" in name)
    return Templates(exact, patterns)


def _infobox(data: dict[str, Any]) -> WordTable[InfoboxField]:
    pairs: list[tuple[str, InfoboxField]] = []
    for field in INFOBOX_FIELDS:
        pairs.extend(_words(data.get(field, []), field))
    unknown = set(data) - set(INFOBOX_FIELDS)
    if unknown:
        raise LexiconError(f"infoboxes.toml: unknown fields {sorted(unknown)}")
    return WordTable.of(pairs)


def _places(data: dict[str, Any]) -> Places:
    areas = tuple(Area(a["id"], tuple(a["names"]), a["within"]) for a in data["area"])
    subdivisions = {code: tuple(names) for code, names in data["subdivision"].items()}
    countries = {code: tuple(names) for code, names in data["country"].items()}
    return Places(
        countries, dict(data["historic"]), frozenset(fold(n) for n in data["ambiguous"]["names"]), subdivisions, areas
    )


def _delegation(data: dict[str, Any]) -> re.Pattern[str]:
    nouns = "|".join(re.escape(fold(noun)) for noun in sorted(data["nouns"], key=len, reverse=True))
    return re.compile(rf"^来自(?P<place>[^的]+?)的[^的]{{0,8}}(?:{nouns})$")


def _prose(data: dict[str, Any]) -> dict[str, dict[str, tuple[str, ...]]]:
    return {
        section: {name: tuple(sorted((fold(w) for w in words), key=len, reverse=True)) for name, words in lists.items()}
        for section, lists in data.items()
    }


@cache
def lexicon() -> Lexicon:
    """The readers' lexicon (the files beside this module), loaded once per process."""
    return load_lexicon(resources.files(__package__))


def load_lexicon(directory: Traversable) -> Lexicon:
    """The lexicon of the TOML files in ``directory``."""

    def _load_here(name: str) -> dict[str, Any]:
        return _load(directory, name)

    headings = _load_here("headings.toml")
    events = _load_here("events.toml")
    roles, role_words = _roles(_load_here("roles.toml"))
    names = _load_here("names.toml")
    return Lexicon(
        conferences=_conferences(headings),
        attendance=WordTable.of((w, w) for w in headings["attendance"]["words"]),
        series=WordTable.of((w, w) for w in headings["series"]["words"]),
        series_markers=WordTable.of((w, w) for w in headings["series"]["markers"]),
        membership=WordTable.of((w, w) for w in headings["membership"]["words"]),
        skip=WordTable.of((w, w) for w in headings["skip"]["words"]),
        roles=roles,
        role_words=role_words,
        columns=_columns(_load_here("columns.toml")),
        ends=_ends(events),
        begin=WordTable.of((w, w) for w in events["begin"]["patterns"]),
        formation=WordTable.of((w, w) for w in events["formation"]["words"]),
        note_hints=WordTable.of((w, w) for w in events["notes"]["hints"]),
        templates=_templates(_load_here("templates.toml")),
        infobox=_infobox(_load_here("infoboxes.toml")),
        places=_places(_load_here("places.toml")),
        party_words=WordTable.of((w, w) for w in names["party"]["words"]),
        delegation=_delegation(names["delegation"]),
        prose=_prose(_load_here("prose.toml")),
    )
