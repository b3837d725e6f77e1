"""The readers' words are data (kg/lexicon/*.toml): checked against the ontology and the code
lists they name, and a new form is a data edit (a copy of the lexicon with one more word)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pycountry
import pytest
from babel import Locale
from rdflib import Literal

from kg.graph import CONFERENCE_KINDS, END_KINDS
from kg.lexicon import COLUMN_KINDS, lexicon, load_lexicon
from kg.lexicon import END_KINDS as LEXICON_END_KINDS
from kg.resources import ontology
from kg.vocab import ORG, RDF, SKOS, role_term
from tests.expectations import ROOT

LEXICON = ROOT / "kg" / "lexicon"


def test_every_role_is_an_org_role_of_the_ontology() -> None:
    for role in lexicon().roles:
        term = role_term(role.id)
        assert (term, RDF.type, ORG.Role) in ontology(), role.id
        assert Literal(role.en, lang="en") in set(ontology().objects(term, SKOS.prefLabel)), role.id


def test_no_role_word_names_two_roles() -> None:
    words = [w for w, _ in lexicon().role_words.words]
    assert len(words) == len(set(words))


def test_every_end_kind_has_its_term_and_conference_kinds_theirs() -> None:
    assert set(END_KINDS) == set(LEXICON_END_KINDS)
    assert {event.kind for event in lexicon().ends} == set(LEXICON_END_KINDS)
    for term in (*END_KINDS.values(), *CONFERENCE_KINDS.values()):
        assert (term, None, None) in ontology(), term


def test_places_name_real_codes() -> None:
    places = lexicon().places
    for code in places.subdivisions:
        assert pycountry.subdivisions.get(code=code) is not None, code
    regions = {c for c in Locale.parse("en").territories if c.isdigit()}
    for area in places.areas:
        assert pycountry.countries.get(alpha_2=area.within) or area.within in regions, area.id
    for code in places.historic.values():
        assert pycountry.historic_countries.get(alpha_4=code) is not None, code


def test_column_words_name_known_kinds() -> None:
    assert {kind for _, kind in lexicon().columns.words} <= set(COLUMN_KINDS)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("flagicon", "country"),
        ("Flagcountry", "country"),
        ("link-fr", "link"),
        ("tsl", "link"),
        ("lang-en", "wrapper"),
        ("nowrap", "wrapper"),
        ("efn", "note"),
        ("Infobox political party", "infobox"),
        ("政党信息框", "infobox"),
        ("cite web", "drop"),
        ("Maoism sidebar", "drop"),
        ("來源請求", "drop"),
        ("start date and age", "date"),
        ("ubl", "list"),
    ],
)
def test_the_template_catalogue(name: str, kind: str) -> None:
    rule = lexicon().templates.rule(name)
    assert rule is not None and rule.kind == kind


def test_a_new_role_is_a_data_edit(tmp_path: Path) -> None:
    """中央委员会成员 is no role word today; one more [[role]] in roles.toml makes it one."""
    copy = tmp_path / "lexicon"
    shutil.copytree(LEXICON, copy)
    assert lexicon().role_words.find("中央委员会成员").id == "member"  # 成员 inside it, today
    with (copy / "roles.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[[role]]\nid = "central-committee"\nterm = "CentralCommitteeRole"\nzh = "中央委员会成员"\n')
        handle.write('en = "central committee member"\nwords = ["中央委员会成员"]\n')
    edited = load_lexicon(copy)
    found = edited.role_words.find("中央委員會成員")
    assert found is not None and found.id == "central-committee"


def test_a_new_template_is_a_data_edit(tmp_path: Path) -> None:
    copy = tmp_path / "lexicon"
    shutil.copytree(LEXICON, copy)
    assert lexicon().templates.rule("party shading") is None
    text = (copy / "templates.toml").read_text(encoding="utf-8")
    (copy / "templates.toml").write_text(
        text.replace("nowrap = 1", 'nowrap = 1\n"party shading" = 1'), encoding="utf-8"
    )
    rule = load_lexicon(copy).templates.rule("Party shading")
    assert rule is not None and (rule.kind, rule.arg) == ("wrapper", 1)
