"""Identity across the whole corpus against tests/expected/corpus-merges.toml, judged by hand.

The candidates a person judged are every group of mentions whose names or link targets
coincide (the only mentions any rule could merge); [[same]] groups are real parties,
[[distinct]] pairs are different parties with alike names, [[unsure]] ones are left out.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from pathlib import Path

import pytest

from kg.records import Article, Entry
from kg.resolve import Resolution, mention_id
from tests.expectations import load_expected

EXPECTED = load_expected("corpus-merges")


def _keys(corpus: dict[str, Article]) -> dict[str, Entry]:
    """ "stem:table:party[:nth]" → the entry it names."""
    found: dict[str, Entry] = {}
    for stem, article in corpus.items():
        seen: dict[tuple[int, str], int] = defaultdict(int)
        for entry in sorted(article.entries, key=lambda e: (e.row.table, e.row.row, e.party.span.start)):
            seen[entry.row.table, entry.party.name] += 1
            nth = seen[entry.row.table, entry.party.name]
            found[f"{stem}:{entry.row.table}:{entry.party.name}" + (f":{nth}" if nth > 1 else "")] = entry
    return found


@pytest.fixture(scope="module")
def party_of(corpus: dict[str, Article], corpus_resolution: Resolution) -> dict[str, str]:
    """Mention key → the party the resolver gives it ("delegation" for delegations)."""
    return {key: corpus_resolution.party_of.get(mention_id(e), "delegation") for key, e in _keys(corpus).items()}


def test_every_judged_mention_is_read(party_of: dict[str, str]) -> None:
    judged = {m for kind in ("same", "distinct", "unsure") for group in EXPECTED[kind] for m in group["mentions"]}
    assert judged <= set(party_of), sorted(judged - set(party_of))[:5]


@pytest.mark.parametrize("pair", EXPECTED["distinct"], ids=lambda p: " vs ".join(p["mentions"]))
def test_different_parties_are_never_merged(pair: dict[str, list[str]], party_of: dict[str, str]) -> None:
    for a, b in itertools.combinations(pair["mentions"], 2):
        assert party_of[a] != party_of[b], pair["why"]


def test_no_merge_joins_two_parties_a_person_tells_apart(party_of: dict[str, str]) -> None:
    """0 false merges: each party the resolver makes holds mentions of one [[same]] group."""
    group_of = {m: n for n, group in enumerate(EXPECTED["same"]) for m in group["mentions"]}
    unsure = {m for group in EXPECTED["unsure"] for m in group["mentions"]}
    groups_by_party: dict[str, set[int]] = defaultdict(set)
    for key, party in party_of.items():
        if key in group_of and key not in unsure and party != "delegation":
            groups_by_party[party].add(group_of[key])
    false = {party: groups for party, groups in groups_by_party.items() if len(groups) > 1}
    assert not false, [[EXPECTED["same"][g]["why"] for g in groups] for groups in false.values()]


def merge_recall(party_of: dict[str, str]) -> tuple[int, int]:
    """Pairs of mentions of one real party that the resolver merged, of all such pairs."""
    pairs = [p for group in EXPECTED["same"] for p in itertools.combinations(group["mentions"], 2)]
    return sum(party_of[a] == party_of[b] for a, b in pairs), len(pairs)


def test_merges_found_are_counted(party_of: dict[str, str]) -> None:
    merged, pairs = merge_recall(party_of)
    assert 0 < merged <= pairs


def test_judgement_file_exists() -> None:
    assert Path(__file__).with_name("expected").joinpath("corpus-merges.toml").is_file()
