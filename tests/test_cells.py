"""Cell typing by content, years, notes and conference headings (expected values by hand)."""

from __future__ import annotations

import pytest

from kg.lexicon import lexicon
from kg.sources.cells import header_kind, read_year
from kg.sources.conferences import read_conference_name
from kg.sources.dates import chinese_number, find_dates, month_and_day
from kg.sources.notes import read_end_event
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
        ("约2009年解散", "dissolved", 2009, True, None),
        ("1943年被共产国际解散", "dissolved", 1943, False, None),
        ("2004年并入尼泊尔共产党（毛主义）", "merged", 2004, False, "尼泊尔共产党（毛主义）"),
        ("1948年与波兰社会党合并", "merged", 1948, False, "波兰社会党"),
        ("1990年更名为民主左翼党", "renamed", 1990, False, "民主左翼党"),
        ("宣布退出", "withdrew", None, False, None),
        ("1999年退党", "withdrew", 1999, False, None),
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
    assert event.other == by


def test_note_without_end_event() -> None:
    assert read_end_event("创始成员", SPAN) is None


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("第十次会议（2011年）参加者", (10, 2011, 0, "", "regular")),
        ("第二十三次會議（2014年）與會者", (23, 2014, 0, "", "regular")),
        ("第3次会议（2016年）", (3, 2016, 0, "", "regular")),
        ("第一百零二次大会（2020年）", (102, 2020, 0, "", "regular")),
        ("2003年会议", (None, 2003, 0, "", "regular")),
        ("1999年会议代表", (None, 1999, 0, "", "regular")),
        ("成立大会", (None, None, 0, "", "founding")),
        ("創立會議", (None, None, 0, "", "founding")),
        ("筹备会议", (None, None, 0, "", "preparatory")),
        ("2014年第五次全会", (5, 2014, 0, "", "regular")),
        ("基多会议（1994年）", (None, 1994, 0, "基多", "regular")),
        ("1968年布達佩斯籌備會議", (None, 1968, 0, "布達佩斯", "preparatory")),
        ("第十届", (10, None, 0, "", "regular")),
        ("第二届全体代表大会", (2, None, 0, "", "regular")),
        ("2016年峰会", (None, 2016, 0, "", "regular")),
    ],
)
def test_conference_headings(heading: str, expected: tuple[int | None, int | None, int, str, str]) -> None:
    name = read_conference_name(heading)
    assert name.named
    found = (
        name.ordinal,
        name.date.year if name.date else None,
        name.date.month if name.date else 0,
        name.place,
        name.kind,
    )
    assert found == expected


@pytest.mark.parametrize("heading", ["成员", "参加者", "历史", "2008年"])
def test_headings_that_name_no_conference(heading: str) -> None:
    assert not read_conference_name(heading).named


def test_a_date_names_a_conference_under_a_series_heading() -> None:
    name = read_conference_name("1999年9月", in_series=True)
    assert name.named and name.date is not None and (name.date.year, name.date.month) == (1999, 9)


def test_the_organisation_s_own_name_is_no_place() -> None:
    name = read_conference_name("圣保罗论坛第二十届会议", own=("圣保罗论坛",))
    assert (name.ordinal, name.place) == (20, "")


def test_chinese_numbers() -> None:
    assert [chinese_number(t) for t in ["十", "十一", "二十", "二十一", "九", "12"]] == [10, 11, 20, 21, 9, 12]


@pytest.mark.parametrize(
    ("heading", "role"),
    [
        ("成员", "member"),
        ("前成员", "former"),
        ("前成員", "former"),
        ("觀察員", "observer"),
        ("名誉成员", "honorary"),
        ("聯繫成員", "associate"),
        ("咨询成员", "consultative"),
        ("夥伴組織", "partner"),
        ("参见", None),
    ],
)
def test_roles(heading: str, role: str | None) -> None:
    found = lexicon().role_words.find(heading)
    assert (found.id if found else None) == role


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("大洲", "continent"),
        ("国家", "country"),
        ("國家或地區", "country"),
        ("政党或组织", "party"),
        ("政黨或組織", "party"),
        ("加入時間", "year"),
        ("地位", "role"),
        ("備註", "note"),
        ("届次", "ordinal"),
        ("举办地点", "place"),
        ("与会政党", "participants"),
        ("主办政党", "host"),
    ],
)
def test_header_kinds(header: str, kind: str) -> None:
    assert header_kind(header) == kind


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("1994年8月", "1994-08"),
        ("2010年10月6日", "2010-10-06"),
        ("１９９９年九月", "1999-09"),
        ("2005年11月18日—20日", "2005-11-18"),
        ("1994-08", "1994-08"),
    ],
)
def test_one_date_grammar(text: str, iso: str) -> None:
    (found, *_) = find_dates(text)
    assert found.value.iso() == iso


def test_prose_dates_need_a_year_word() -> None:
    """《2002曼谷宣言》 is a title, not a date; 2002年 and 2002-11 are dates."""
    assert find_dates("通过了《2002曼谷宣言》", strict=True) == []
    assert [d.value.year for d in find_dates("2002年和2003-11", strict=True)] == [2002, 2003]


def test_a_month_and_day_without_year() -> None:
    found = month_and_day("本届研讨会于5月13日至15日举行")
    assert found is not None and (found.year, found.month, found.day) == (0, 5, 13)
    assert month_and_day("2011年5月") is None  # a full date, not a month alone
