"""What a table's surroundings say of it: each heading above it read for the words of
``kg/lexicon/headings.toml`` and ``roles.toml``, its grid and columns, the prose beside it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from kg.fold import fold
from kg.geo import gazetteer
from kg.lexicon import ColumnKind, Role, lexicon
from kg.records import StatedPlace
from kg.sources.conferences import ConferenceName, read_conference_name
from kg.sources.document import Fragment, Heading, Table
from kg.sources.grid import Grid, lay_out

_PUNCTUATION = re.compile(r"[\s()（）\[\]【】:：,，.。、/／\-－—–]+")


@dataclass(frozen=True)
class Signal:
    """What one heading says: a kind of section, a conference, a role, a place."""

    heading: Heading
    conference: ConferenceName
    attendance: bool = False
    role: Role | None = None
    membership: bool = False
    series: bool = False
    skip: bool = False
    place: StatedPlace | None = None

    @property
    def decides(self) -> bool:
        return self.attendance or self.conference.named or self.role is not None or self.membership or self.skip


@dataclass(frozen=True)
class TableContext:
    table: Table
    index: int
    grid: Grid
    signals: tuple[Signal, ...]  # nearest heading first
    own: tuple[str, ...]  # the organisation's names, taken out of headings
    section_prose: Mapping[int, tuple[Fragment, ...]]  # heading start offset → its prose

    @property
    def columns(self) -> frozenset[ColumnKind | None]:
        return frozenset(self.grid.columns)

    def place(self) -> StatedPlace | None:
        """The nearest heading that names a place (=== 亚洲 ===, === 法国 ===)."""
        return next((s.place for s in self.signals if s.place is not None), None)

    def prose_up_to(self, signal: Signal | None) -> tuple[Fragment, ...]:
        """The prose before the table in its own section, then in each enclosing section up
        to the heading ``signal`` names (a table under === 与会者 === of a conference heading)."""
        found = list(self.table.prose)
        for current in self.signals[1:]:
            found.extend(self.section_prose.get(current.heading.span.start, ()))
            if current is signal:
                break
        return tuple(found)


def _stripped(text: str, own: tuple[str, ...]) -> str:
    folded = fold(text)
    for name in own:
        if len(fold(name)) >= 2:
            folded = folded.replace(fold(name), " ")
    return _PUNCTUATION.sub("", folded)


def _heading_place(heading: Heading, rest: str) -> StatedPlace | None:
    words = lexicon()
    for written in (heading.title, rest):
        text = written
        for table in (words.role_words, words.membership):
            text = text.replace(table.found_word(text), "") if table.found_word(text) else text
        found = gazetteer().lookup(text) if text else None
        if found is not None:
            return StatedPlace(found.code, found.kind, heading.title, "heading", heading.span)
    return None


def read_signal(heading: Heading, own: tuple[str, ...], in_series: bool) -> Signal:
    words = lexicon()
    rest = _stripped(heading.title, own)
    conference = read_conference_name(heading.title, heading.links, own, in_series)
    unnumbered = conference.ordinal is None and conference.date is None and conference.kind == "regular"
    series = unnumbered and bool(words.series.exact(rest) or words.series_markers.find(rest))
    if series:
        conference = ConferenceName()
    return Signal(
        heading,
        conference,
        attendance=bool(words.attendance.find(rest)),
        role=words.role_words.find(rest),
        membership=bool(words.membership.find(rest)),
        series=series,
        skip=bool(words.skip.exact(rest)) or _starts_with_skip(rest),
        place=_heading_place(heading, rest),
    )


def _starts_with_skip(rest: str) -> bool:
    return any(rest.startswith(word) for word, _ in lexicon().skip.words if len(word) >= 2)


def signals_of(headings: tuple[Heading, ...], own: tuple[str, ...]) -> tuple[Signal, ...]:
    """Each heading's signal, nearest first; a date alone names a conference under a series
    or attendance heading (== 历次会议 == / === 2008年 ===)."""
    found: list[Signal] = []
    for heading in headings:
        parent = found[-1] if found else None
        in_series = parent is not None and (parent.series or parent.attendance)
        found.append(read_signal(heading, own, in_series))
    return tuple(reversed(found))


def context_of(
    table: Table, index: int, own: tuple[str, ...], prose: Mapping[int, tuple[Fragment, ...]]
) -> TableContext:
    return TableContext(table, index, lay_out(table), signals_of(table.headings, own), own, prose)
