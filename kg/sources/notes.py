"""Notes on a membership, such as （2008年被开除） or （成员资格被X取代）, as end events."""

from __future__ import annotations

import re

from kg.fold import normalize_width, to_simplified
from kg.records import EndEvent, Year
from kg.spans import Span

# Words that say how a membership ended, in simplified form (notes are folded first).
END_WORDS = (
    ("expelled", re.compile(r"开除|除名|驱逐|逐出")),
    ("withdrew", re.compile(r"退出|脱离|离开")),
    ("ceased", re.compile(r"停止活动|停止运作|不再活动|解散|不复存在|消亡")),
)
_REPLACED = re.compile(r"(?:成员资格|席位)?(?:被|由|为)(?P<by>.+?)所?(?:取代|接替|替代)")
_NOTE_YEAR = re.compile(r"(?P<about>约|大约)?(?P<year>1[89]\d\d|20\d\d)年(?P<around>左右|前后)?")


_JOINED = re.compile(
    r"^(?P<about>约|大约)?(?P<year>1[89]\d\d|20\d\d)年(?P<around>左右|前后)?(?:加入|入会|成为成员|成为正式成员)$"
)


def read_join_note(note: str, span: Span) -> Year | None:
    """A join year given as a note, （2010年加入）."""
    match = _JOINED.match(to_simplified(normalize_width(note)).strip())
    if match is None:
        return None
    return Year(int(match.group("year")), bool(match.group("about") or match.group("around")), note, span)


def read_end_event(note: str, span: Span) -> EndEvent | None:
    """The end event a note states, or None when the note says none."""
    text = to_simplified(normalize_width(note))
    replaced = _REPLACED.search(text)
    if replaced:
        # The replacing party's name, as written (folding keeps character positions).
        by = note[replaced.start("by") : replaced.end("by")] if len(text) == len(note) else replaced.group("by")
        rest = text[: replaced.start("by")] + text[replaced.end("by") :]
        return EndEvent("replaced-by", _year(rest, note, span), by.strip(), note, span)
    for kind, words in END_WORDS:
        if words.search(text):
            return EndEvent(kind, _year(text, note, span), None, note, span)
    return None


def _year(text: str, raw: str, span: Span) -> Year | None:
    match = _NOTE_YEAR.search(text)
    if match is None:
        return None
    approximate = bool(match.group("about") or match.group("around"))
    return Year(int(match.group("year")), approximate, raw, span)
