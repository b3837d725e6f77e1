"""One grammar for the years and dates the articles write, wherever they write them.

    date   := about? year ("年" (month "月" (day "日")?)?)? around?
            | year "-" month ("-" day)?          (ISO forms, also with "/" or ".")
    about  := 约 | 大约 | 约于 | 大概 | 约在
    around := 左右 | 前后 | 前后左右 | 上下
    year   := four digits from 1800 to 2099
    month, day := digits, or Chinese numerals (九月, 二十日)
    month-day := month "月" (day "日")?        (a year the context gives: 于5月13日举行)

Text is folded to ASCII digits and 简体 first (２０１０年, 約2009年). Cells, notes, headings,
prose and infobox values all read dates with these functions.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from kg.fold import normalize_width, to_simplified

_NUMERAL = "[0-9一二三四五六七八九十〇零两]"
_ABOUT = r"(?P<about>约于|约在|大约|大概|约)?\s*"
_AROUND = r"\s*(?P<around>前后左右|左右|前后|上下)?"
_YEAR = r"1[89]\d\d|20\d\d"
_CJK_DATE = (
    rf"(?P<year>{_YEAR})\s*年(?:\s*(?P<month>{_NUMERAL}{{1,2}})\s*月(?:\s*(?P<day>{_NUMERAL}{{1,3}})\s*[日号])?)?"
)
_ISO_DATE = rf"(?P<iyear>{_YEAR})(?:[-/.](?P<imonth>1[0-2]|0?[1-9])(?:[-/.](?P<iday>3[01]|[12]\d|0?[1-9]))?)?(?![\d])"
_DATE = re.compile(rf"(?<!\d){_ABOUT}(?:{_CJK_DATE}|{_ISO_DATE}){_AROUND}")
_WHOLE = re.compile(rf"^\s*{_DATE.pattern}\s*$")
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


@dataclass(frozen=True)
class DateValue:
    """A date as precise as the text: year, and month and day where written."""

    year: int
    month: int = 0
    day: int = 0
    approximate: bool = False

    def __post_init__(self) -> None:
        """Only what the calendar has: past month 12 the year alone is kept, past the month's
        last day (2011年2月30日) the year and month; year 0 (a year the context gives) allows
        29 February."""
        if not 1 <= self.month <= 12:
            object.__setattr__(self, "month", 0)
        if not self.month or not 1 <= self.day <= calendar.monthrange(self.year or 2000, self.month)[1]:
            object.__setattr__(self, "day", 0)

    def iso(self) -> str:
        """1994, 1994-08 or 2010-10-06."""
        parts = [f"{self.year:04d}"] + [f"{n:02d}" for n in (self.month, self.day) if n]
        return "-".join(parts if self.month else parts[:1])


@dataclass(frozen=True)
class FoundDate:
    value: DateValue
    start: int  # offsets in the text as given (folding keeps positions, see _folded)
    end: int


def chinese_number(text: str) -> int:
    """十 → 10, 二十一 → 21, 一百零二 → 102, 12 → 12."""
    if text.isdecimal():  # not isdigit: "²" is a digit that int() refuses
        return int(text)
    total, current = 0, 0
    for char in text:
        if char == "百":
            total += (current or 1) * 100
            current = 0
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _DIGITS[char]
    return total + current


def _folded(text: str) -> str:
    """ASCII digits and 简体; the same length as ``text`` whenever folding keeps it, which
    NFKC does for full-width digits and zhconv for single characters."""
    return to_simplified(normalize_width(text))


def _value(match: re.Match[str]) -> DateValue:
    month = match.group("month") or match.group("imonth")
    day = match.group("day") or match.group("iday")
    approximate = bool(match.group("about") or match.group("around"))
    year = int(match.group("year") or match.group("iyear"))
    return DateValue(year, chinese_number(month) if month else 0, chinese_number(day) if day else 0, approximate)


def read_date(text: str) -> DateValue | None:
    """The date ``text`` is, as a whole (a cell, a note, an infobox value); else None."""
    match = _WHOLE.match(_folded(text))
    return _value(match) if match else None


def find_dates(text: str, strict: bool = False) -> list[FoundDate]:
    """Every date written inside ``text``, in order. ``strict`` (prose): a bare four-digit
    number is no date (《2002曼谷宣言》); 2002年 and 2002-11 are."""
    folded = _folded(text)
    same = len(folded) == len(text)
    found = []
    for match in _DATE.finditer(folded):
        if strict and match.group("iyear") and not match.group("imonth"):
            continue
        start, end = (match.start(), match.end()) if same else (0, len(text))
        found.append(FoundDate(_value(match), start, end))
    return found


_MONTH_DAY = re.compile(rf"(?<![\d年])(?P<month>{_NUMERAL}{{1,2}})\s*月(?:\s*(?P<day>{_NUMERAL}{{1,3}})\s*[日号])?")


def month_and_day(text: str) -> DateValue | None:
    """A month (and day) written without a year (于5月13日至15日举行): year 0, for the year the
    heading gives."""
    match = _MONTH_DAY.search(_folded(text))
    if match is None:
        return None
    date = DateValue(0, chinese_number(match.group("month")), chinese_number(match.group("day") or "0"))
    return date if date.month else None


def first_date(text: str) -> DateValue | None:
    dates = find_dates(text)
    return dates[0].value if dates else None
