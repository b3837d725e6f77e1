"""Notes on a membership (（2008年被开除）, 备注: 2004年并入X) as begin and end events.

The words are data (``kg/lexicon/events.toml``); dates come from the one date grammar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.fold import fold
from kg.lexicon import lexicon
from kg.records import EndEvent, Year
from kg.sources.dates import find_dates
from kg.spans import Span


def _year(text: str, raw: str, span: Span) -> Year | None:
    dates = find_dates(text)
    if not dates:
        return None
    return Year(dates[0].value.year, dates[0].value.approximate, raw, span)


def read_join_note(note: str, span: Span) -> Year | None:
    """A join year given as a note: （2010年加入）, 1921年入会."""
    if lexicon().begin.find(note) is None or any(e.pattern.search(fold(note)) for e in lexicon().ends):
        return None
    return _year(note, note, span)


# Words a note may open with before its event: （被开除）, 已解散, 宣布退出, 于2001年退出.
_OPENERS = re.compile(r"^(?:被|已|已经|宣布|正式|后|于|其后|随后|后来|最终|因故)*")


def read_end_event(note: str, span: Span) -> EndEvent | None:
    """The end event a note states, or None when the note says none. A bare two-character verb
    counts only where the note opens with it or gives a date: 主张波多黎各脱离美国独立 says how
    a party thinks, not how its membership ended; 因路线分歧宣布退出 does say it."""
    folded = fold(note)
    dated = bool(find_dates(note))
    for event in lexicon().ends:
        match = event.pattern.search(folded)
        opener = _OPENERS.match(folded)
        explicit = match is not None and (
            match.end() - match.start() >= 3 or match.start() <= (opener.end() if opener else 0)
        )
        if match is None or not (dated or explicit):
            continue
        other = _as_written(note, folded, match.start("other"), match.end("other")) if event.has_other else None
        rest = folded[: match.start()] + " " + folded[match.end() :] if other else folded
        return EndEvent(event.kind, _year(rest, note, span), other.strip() if other else None, note, span)
    return None


def _as_written(note: str, folded: str, start: int, end: int) -> str:
    """A part of the folded note as the source wrote it (folding keeps positions when it keeps length)."""
    return note[start:end] if len(note) == len(folded) else folded[start:end]


_CLAUSE = re.compile(r"[，,；;。]")


@dataclass(frozen=True)
class NoteRead:
    joined: Year | None
    end: EndEvent | None


def read_note(note: str, span: Span) -> NoteRead | None:
    """A note's clauses (1921年加入，1948年被开除) read one by one: when the membership began
    and how it ended; None when no clause says either."""
    joined, end = None, None
    for clause in (c.strip() for c in _CLAUSE.split(note)):
        if not clause or lexicon().formation.find(clause):
            continue  # 由X与Y合并组成: how the party was formed
        if joined is None and (year := read_join_note(clause, span)) is not None:
            joined = Year(year.value, year.approximate, note, span)
        elif end is None and (event := read_end_event(clause, span)) is not None:
            end = EndEvent(event.kind, event.year, event.other, note, span)
    return NoteRead(joined, end) if joined or end else None
