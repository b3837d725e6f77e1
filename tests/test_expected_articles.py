"""Each article against the values a person wrote down from its text (tests/expected/)."""

from __future__ import annotations

from typing import Any

import pytest

from kg.geo import gazetteer
from kg.records import Article
from kg.resolve import Resolution
from kg.sources import expand_sources
from tests.expectations import (
    ROOT,
    compare_table,
    entries_for,
    entry_values,
    load_expected,
    normalise_table,
    organisation_values,
    subset,
    table_values,
    table_without_known,
    without_known,
)

SEEDS = sorted(p.stem for p in expand_sources([ROOT / "seeds"]))
CORPUS = sorted(p.stem for p in expand_sources([ROOT / "tests" / "articles"]))


def _cases(stems: list[str], kind: str) -> list[tuple[str, int, dict[str, Any]]]:
    return [(stem, i, row) for stem in stems for i, row in enumerate(load_expected(stem).get(kind, []))]


def _article(stem: str, seeds: dict[str, Article], corpus: dict[str, Article]) -> Article:
    return seeds.get(stem) or corpus[stem]


def _resolution(stem: str, seed_resolution: Resolution, corpus_resolution: Resolution) -> Resolution:
    return seed_resolution if stem in SEEDS else corpus_resolution


@pytest.mark.parametrize("stem", SEEDS + CORPUS)
def test_organisation(stem: str, seeds: dict[str, Article], corpus: dict[str, Article]) -> None:
    expected = without_known(stem, "organisation", load_expected(stem)["organisation"])
    actual = organisation_values(_article(stem, seeds, corpus))
    assert subset(actual, expected) == expected


@pytest.mark.parametrize("stem", SEEDS + CORPUS)
def test_every_table_and_its_row_count(stem: str, seeds: dict[str, Article], corpus: dict[str, Article]) -> None:
    tables = load_expected(stem).get("tables", [])
    expected = [table_without_known(stem, n, normalise_table(t)) for n, t in enumerate(tables, start=1)]
    actual = table_values(_article(stem, seeds, corpus))
    assert [compare_table(a, e) for a, e in zip(actual, expected, strict=False)] == expected
    assert len(actual) == len(expected)


@pytest.mark.parametrize(
    ("stem", "index", "row"),
    _cases(SEEDS + CORPUS, "rows"),
    ids=lambda v: (
        str(v) if not isinstance(v, dict) else f"line{v['line']}" if "line" in v else f"t{v['table']}-{v['party']}"
    ),
)
def test_row_in_full(
    stem: str,
    index: int,
    row: dict[str, Any],
    seeds: dict[str, Article],
    corpus: dict[str, Article],
    seed_resolution: Resolution,
    corpus_resolution: Resolution,
) -> None:
    del index
    article = _article(stem, seeds, corpus)
    entries = entries_for(article, row)
    assert entries, f"{stem}: no entry read for {row.get('line') or (row['table'], row['party'])}"
    resolution = _resolution(stem, seed_resolution, corpus_resolution)
    actual = [subset(entry_values(e, resolution, article), row) for e in entries]
    assert {k: v for k, v in row.items() if k != "nth"} in actual


KNOWN = [(f["stem"], f["value"]) for f in load_expected("known-failures")["failure"]]


@pytest.mark.parametrize(("stem", "value"), KNOWN, ids=[f"{s}-{v}" for s, v in KNOWN])
def test_a_known_failure_still_fails(stem: str, value: str, corpus: dict[str, Article]) -> None:
    """Each listed failure is real: the reader still reads something else for it."""
    expected = load_expected(stem)
    section, *path = value.split(".")
    if section == "organisation":
        actual: Any = organisation_values(corpus[stem])[path[0]]
        wanted: Any = expected["organisation"][path[0]]
    else:
        table = int(path[0])
        actual, wanted = table_values(corpus[stem])[table - 1], normalise_table(expected["tables"][table - 1])
        for key in path[1:]:
            actual, wanted = actual[key], wanted[key]
    assert actual != wanted, f"{stem} {value} now reads {actual!r}: take it out of known-failures.toml"


def test_no_place_becomes_a_party(seeds: dict[str, Article], corpus: dict[str, Article]) -> None:
    """A cell that is a place (a country, 苏格兰, 库尔德斯坦, 巴勒斯坦 …) is never a party's name."""
    named = [(stem, e.party.name) for stem, a in {**seeds, **corpus}.items() for e in a.entries]
    assert [(stem, name) for stem, name in named if gazetteer().lookup(name) is not None] == []
