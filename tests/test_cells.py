"""Cell typing by content, years, notes and conference headings (expected values by hand)."""

from __future__ import annotations

import pytest

from kg.sources.cells import header_kind, read_year
from kg.sources.notes import read_end_event
from kg.sources.tables import chinese_number, conference_of, role_of
from kg.spans import Span

SPAN = Span("t", 0, 0, 1, 1)


@pytest.mark.parametrize(
    ("text", "value", "approximate"),
    [
        ("2010年", 2010, False),
        ("2014年左右", 2014, True),
        ("约2009年", 2009, True),
        ("20１0年", 2010, False),
        ("1999", 1999, False),
    ],
)
def test_years(text: str, value: int, approximate: bool) -> None:
    year = read_year(text, SPAN)
    assert year is not None and (year.value, year.approximate) == (value, approximate)


@pytest.mark.parametrize(
    "text", ["保加利亚共产党 (1990年)", "不详", "2010年代", "争取重组1918年－55年的希腊共产党运动"]
)
def test_not_years(text: str) -> None:
    assert read_year(text, SPAN) is None


@pytest.mark.parametrize(
    ("note", "kind", "year", "approximate", "by"),
    [
        ("2008年被开除", "expelled", 2008, False, None),
        ("2015年被開除", "expelled", 2015, False, None),
        ("2002年左右停止活动", "ceased", 2002, True, None),
        ("约2009年解散", "ceased", 2009, True, None),
        ("2012年退出", "withdrew", 2012, False, None),
        (
            "成员资格被争取重组1918年－55年的希腊共产党运动取代",
            "replaced-by",
            None,
            False,
            "争取重组1918年－55年的希腊共产党运动",
        ),
    ],
)
def test_end_events(note: str, kind: str, year: int | None, approximate: bool, by: str | None) -> None:
    event = read_end_event(note, SPAN)
    assert event is not None
    assert (event.kind, event.year.value if event.year else None, bool(event.year and event.year.approximate)) == (
        kind,
        year,
        approximate,
    )
    assert event.replaced_by == by


def test_note_without_end_event() -> None:
    assert read_end_event("创始成员", SPAN) is None


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("第十次会议（2011年）参加者", (10, 2011)),
        ("第二十三次會議（2014年）與會者", (23, 2014)),
        ("第3次会议（2016年）", (3, 2016)),
        ("第一百零二次大会（2020年）", (102, 2020)),
        ("成员", None),
    ],
)
def test_conference_headings(heading: str, expected: tuple[int, int] | None) -> None:
    assert conference_of(heading) == expected


def test_chinese_numbers() -> None:
    assert [chinese_number(t) for t in ["十", "十一", "二十", "二十一", "九", "12"]] == [10, 11, 20, 21, 9, 12]


@pytest.mark.parametrize(
    ("heading", "role"),
    [("成员", "member"), ("前成员", "former"), ("前成員", "former"), ("觀察員", "observer"), ("参见", "")],
)
def test_roles(heading: str, role: str) -> None:
    assert role_of(heading) == role


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("大洲", "continent"),
        ("国家", "country"),
        ("國家或地區", "country"),
        ("政党或组织", "party"),
        ("政黨或組織", "party"),
        ("加入時間", "year"),
    ],
)
def test_header_kinds(header: str, kind: str) -> None:
    assert header_kind(header) == kind
