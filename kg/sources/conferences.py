"""What identifies a conference, from the words of a heading, a table row or a sentence.

One grammar for every form (words from ``kg/lexicon/headings.toml``, dates from
``kg.sources.dates``): an ordinal if stated (第十次, 第10届), a date (2011年, 1999年9月), a
meeting word (会议, 全会, 代表大会, 论坛 …), a founding or preparatory word (成立大会, 筹备会议),
and a place (基多会议, 1968年布達佩斯籌備會議, or a link). The organisation's own name is taken
out first, so 圣保罗论坛第二十届会议 names no place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from kg.fold import fold, normalize_width, to_simplified
from kg.lexicon import lexicon
from kg.records import ConferenceKind
from kg.sources.dates import DateValue, FoundDate, chinese_number, find_dates, month_and_day
from kg.sources.document import Fragment, Link

_NUMERAL = "[0-9一二三四五六七八九十百零〇两]+"
_PUNCTUATION = re.compile(r"[\s()（）\[\]【】「」『』“”\"'《》:：,，.。、;；\-－—–~～·]+")
_HELD = re.compile(r"在(?P<place>[^，。；,在于]{1,30}?)(?:举行|召开|举办|开幕|开会|会晤|成立)")
_HELD_VERBS = re.compile(r"举行|召开|举办|开幕|开会|会晤")


@dataclass(frozen=True)
class ConferenceName:
    """What a text says of one conference; ``named`` when it names a meeting at all."""

    ordinal: int | None = None
    date: DateValue | None = None
    place: str = ""
    kind: ConferenceKind = "regular"
    named: bool = False

    def filled_from(self, other: ConferenceName) -> ConferenceName:
        """This name with what it leaves unsaid taken from ``other`` (prose beside a table): a
        date of the same year says the month (2004年 and 2004年5月2日), a month and day
        without a year (于5月13日至15日举行) say the month of this name's year."""
        ordinal = self.ordinal if self.ordinal is not None or self.kind != "regular" else other.ordinal
        date = self.date or (other.date if other.date and other.date.year else None)
        if self.date and other.date and other.date.year in (self.date.year, 0):
            same_month = self.date.month in (0, other.date.month)
            if same_month and (not self.date.month or (other.date.day and not self.date.day)):
                date = replace(other.date, year=self.date.year)  # 2000年9月 and 2000年9月17日
        founding = self.kind == "regular" and other.kind == "founding" and self.ordinal in (None, 1)
        kind = other.kind if founding else self.kind
        return replace(self, ordinal=ordinal, date=date, place=self.place or other.place, kind=kind)


def _folded(text: str) -> str:
    return to_simplified(normalize_width(text))


def _ordinal(folded: str) -> tuple[int | None, tuple[int, int] | None]:
    counters = "|".join(re.escape(c) for c in lexicon().conferences.counters)
    match = re.search(rf"第\s*({_NUMERAL})\s*(?:{counters})", folded)
    if match is None:
        return None, None
    try:
        return chinese_number(match.group(1)), match.span()
    except KeyError:
        return None, None


def _cut(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with the given spans replaced by a separator."""
    out, cursor = [], 0
    for start, end in sorted(spans):
        if start > cursor:
            out.append(text[cursor:start])
            out.append(" ")
        cursor = max(cursor, end)
    out.append(text[cursor:])
    return "".join(out)


def _word_spans(folded: str, words: list[str]) -> list[tuple[int, int]]:
    return [m.span() for word in words if word for m in re.finditer(re.escape(word), folded)]


def read_conference_name(
    text: str, links: tuple[Link, ...] = (), own: tuple[str, ...] = (), in_series: bool = False
) -> ConferenceName:
    """What ``text`` (a heading or a cell) says of a conference. A date alone names one only
    ``in_series`` (a sub-heading of 历次会议, or of an attendance heading)."""
    written = _folded(text)
    folded = written.casefold()
    own_spans = _word_spans(folded, [fold(name) for name in own if len(fold(name)) >= 2])
    words = lexicon()
    founding = words.conferences.founding.find(folded)
    meeting = words.conferences.meeting_words.found_word(_cut(folded, own_spans))
    ordinal, ordinal_span = _ordinal(folded)
    dates = find_dates(text)
    named = bool(founding or ordinal is not None or meeting) or (
        bool(dates) and in_series and _only_date(folded, dates)
    )
    if not named:
        return ConferenceName()
    removed = [*own_spans, *([ordinal_span] if ordinal_span else []), *((f.start, f.end) for f in dates)]
    removed += _word_spans(folded, [w for w, _ in words.conferences.founding.words])
    removed += _word_spans(folded, [w for w, _ in words.conferences.meeting_words.words])
    removed += _word_spans(folded, [w for w, _ in words.attendance.words])
    place = _place(written, text, removed, links, own)
    return ConferenceName(ordinal, dates[0].value if dates else None, place, _kind(founding), True)


def _kind(founding: str | None) -> ConferenceKind:
    return "preparatory" if founding == "preparatory" else "founding" if founding == "founding" else "regular"


def _only_date(folded: str, dates: list[FoundDate]) -> bool:
    """A heading that is a date and attendance words only (=== 2008年 ===, 1999年9月与会者)."""
    spans = [(d.start, d.end) for d in dates]
    rest = _cut(folded, [*spans, *_word_spans(folded, [w for w, _ in lexicon().attendance.words])])
    return not _PUNCTUATION.sub("", rest)


def _place(
    folded: str, written: str, removed: list[tuple[int, int]], links: tuple[Link, ...], own: tuple[str, ...]
) -> str:
    """A linked page in the heading, else the words left once ordinal, dates, meeting words
    and filler are taken out (基多会议 → 基多), as written."""
    owns = {fold(name) for name in own}
    for link in links:
        if link.target and fold(link.target) not in owns and fold(link.text) not in owns:
            return link.target
    filler = [f for f in lexicon().conferences.filler if f]
    rest = _cut(folded.casefold(), [*removed, *_word_spans(folded.casefold(), filler)])
    parts = [p for p in _PUNCTUATION.split(rest) if p]
    if len(parts) != 1 or not 2 <= len(parts[0]) <= 8 or lexicon().party_words.find(parts[0]):
        return ""
    if any(char.isdigit() for char in parts[0]):  # a date the grammar does not take (99999年), no place
        return ""
    at = folded.casefold().find(parts[0])
    if len(folded) == len(written) and at >= 0:
        return written[at : at + len(parts[0])]
    return parts[0]


def _sentence_date(sentence: str) -> DateValue | None:
    """A sentence's first date; a month and day without a year give year 0 (the heading says it)."""
    dates = find_dates(sentence, strict=True)
    return dates[0].value if dates else month_and_day(sentence)


def read_prose(fragments: tuple[Fragment, ...], own: tuple[str, ...]) -> ConferenceName:
    """What the prose beside a table says of its conference: the first sentence that says a
    meeting was held (举行, 召开 …) gives the ordinal, date and place (在X举行) it names; failing
    one, the first sentence that gives a date gives that date."""
    sentences = [(s, f) for f in fragments for s in re.split(r"[。；;]", f.text) if s.strip()]
    for sentence, fragment in sentences:
        if _HELD_VERBS.search(_folded(sentence)):
            ordinal, _ = _ordinal(_folded(sentence))
            place = _held_at(sentence, fragment, own)
            kind: ConferenceKind = "founding" if _founds_itself(sentence, own) else "regular"
            return ConferenceName(ordinal, _sentence_date(sentence), place, kind, named=True)
    dated = next((d for s, _ in sentences if (d := _sentence_date(s)) is not None), None)
    return ConferenceName(date=dated, named=dated is not None)


def _founds_itself(sentence: str, own: tuple[str, ...]) -> bool:
    """The sentence says the organisation itself came into being (宣告亚洲政党国际会议成立)."""
    folded = fold(sentence)
    names = [fold(name) for name in own if len(fold(name)) >= 2]
    verb = lexicon().conferences.founding_verbs.found_word(folded)
    return bool(verb) and any(name in folded and folded.find(name) < folded.rfind(verb) for name in names)


def _held_at(sentence: str, fragment: Fragment, own: tuple[str, ...]) -> str:
    """在[[布鲁塞尔]]举行 → 布鲁塞尔: a linked page, or a short place name, never a long phrase."""
    match = _HELD.search(_folded(sentence))
    if match is None:
        return ""
    words = match.group("place")
    for link in fragment.links:
        if link.target and fold(link.text) in fold(words) and fold(link.target) not in {fold(o) for o in own}:
            return link.target
    stripped = _PUNCTUATION.sub("", _cut(words, [(d.start, d.end) for d in find_dates(words)]))
    city = re.match(r"^(?P<city>[^市]{2,6})市", stripped)  # 在聖保羅市…酒店舉行: the city it names first
    if city and len(stripped) > 6:
        stripped = city.group("city")
    if 2 <= len(stripped) <= 6 and not lexicon().party_words.find(stripped):
        start = _folded(sentence).find(stripped)
        return sentence[start : start + len(stripped)] if start >= 0 else stripped
    return ""
