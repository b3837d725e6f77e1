"""Countries and regions from every form the articles write (expected codes by hand)."""

from __future__ import annotations

import pytest

from kg.geo import Place, gazetteer, places_compatible, regions_containing
from kg.sources.cells import flag_place
from kg.sources.document import Template
from kg.spans import Span

SPAN = Span("t", 0, 0, 1, 1)


@pytest.mark.parametrize(
    ("text", "code", "kind"),
    [
        ("ARG", "AR", "country"),  # alpha-3 template {{ARG}}
        ("阿富汗", "AF", "country"),
        ("刚果民主共和国", "CD", "country"),  # pycountry's zh_CN, not CLDR's 刚果（金）
        ("剛果民主共和國", "CD", "country"),
        ("印尼", "ID", "country"),  # zh_HK short form
        ("孟加拉国", "BD", "country"),
        ("塞尔维亚和黑山", "CSXX", "historic"),
        ("SCG", "CSXX", "historic"),
        ("捷克斯洛伐克", "CSHH", "historic"),  # documented alias
        ("苏联", "SUHH", "historic"),
        ("Brazil", "BR", "country"),
        ("希臘", "GR", "country"),
        ("南欧", "039", "region"),
        ("南亚", "034", "region"),
        ("西歐", "155", "region"),
        ("拉丁美洲", "419", "region"),
        ("北美洲", "003", "region"),
    ],
)
def test_lookup(text: str, code: str, kind: str) -> None:
    assert gazetteer().lookup(text) == Place(code, kind)


def test_congo_alone_is_ambiguous() -> None:
    assert gazetteer().lookup("刚果") is None
    assert gazetteer().is_ambiguous("刚果")
    assert gazetteer().names_in("刚果革命组织") == [("刚果", None)]


@pytest.mark.parametrize(
    ("name", "codes"),
    [
        ("印度尼西亚革命者", ["ID"]),  # longest match, not 印度
        ("布尔什维克党（北库尔德斯坦－土耳其）", ["TR"]),
        ("捷克斯洛伐克共产党－捷克斯洛伐克劳动党", ["CSHH", "CSHH"]),
        ("苏格兰马列主义倾向", []),
        ("南欧共产主义组织", []),  # regions are not countries
    ],
)
def test_country_names_inside_a_name(name: str, codes: list[str]) -> None:
    assert [p.code for _, p in gazetteer().names_in(name) if p] == codes


@pytest.mark.parametrize(
    ("template", "code"),
    [
        ("{{ARG}}", "AR"),
        ("{{flag|阿富汗}}", "AF"),
        ("{{伊朗}}", "IR"),
        ("{{flagicon|ESP}}", "ES"),
        ("{{flagcountry|Brazil}}", "BR"),
    ],
)
def test_flag_templates(template: str, code: str) -> None:
    name, *args = template.strip("{}").split("|")
    found = flag_place(Template(name, tuple(args), SPAN, "country"))  # as the reader's catalogue marks a flag
    assert found is not None and found.code == code


def test_region_containment() -> None:
    assert {"029", "419", "003", "019"} <= regions_containing("DO")  # the Caribbean is in 北美洲 and 拉丁美洲
    assert "002" in regions_containing("CD")
    assert "150" in regions_containing("CSXX")
    assert "142" in regions_containing("TR")


def test_compatibility() -> None:
    assert places_compatible(Place("DO", "country"), Place("003", "region")) == "region"
    assert places_compatible(Place("CSXX", "historic"), Place("RS", "country")) == "country"
    assert places_compatible(Place("FR", "country"), Place("DE", "country")) is None
    assert places_compatible(Place("FR", "country"), Place("142", "region")) is None
    assert places_compatible(Place("150", "region"), Place("039", "region")) == "region"
    assert places_compatible(Place("003", "region"), Place("419", "region")) is None  # overlap only
