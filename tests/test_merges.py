"""Identity across articles against tests/expected/merges.toml (written by hand)."""

from __future__ import annotations

from typing import Any

import pytest

from kg.records import Article
from kg.resolve import Resolution, international_key, mention_id
from tests.expectations import entries_on_line, load_expected

EXPECTED = load_expected("merges")


def _keys(mention: str, seeds: dict[str, Article], resolution: Resolution) -> set[str]:
    """The keys of what is named at "<stem>:<line>": parties, or the article's organisation."""
    stem, line = mention.split(":")
    article = seeds[stem]
    if article.organisation.span.line == int(line):
        return {"international:" + international_key(article)}
    entries = entries_on_line(article, int(line))
    assert entries, f"{mention}: no entry read on this line"
    return {resolution.party_of[mention_id(e)] for e in entries}


@pytest.mark.parametrize("group", EXPECTED["merges"], ids=lambda g: g["mentions"][0])
def test_merged_with_evidence(group: dict[str, Any], seeds: dict[str, Article], seed_resolution: Resolution) -> None:
    keys = set().union(*(_keys(m, seeds, seed_resolution) for m in group["mentions"]))
    assert len(keys) == 1, f"{group['mentions']} resolved to {sorted(keys)}"
    party = next(p for p in seed_resolution.parties if p.key in keys)
    rules = {e.rule for e in party.evidence}
    assert group["evidence"] in rules


@pytest.mark.parametrize("group", EXPECTED["distinct"], ids=lambda g: g["mentions"][0])
def test_kept_apart(group: dict[str, Any], seeds: dict[str, Article], seed_resolution: Resolution) -> None:
    keys = [_keys(m, seeds, seed_resolution) for m in group["mentions"]]
    for i, first in enumerate(keys):
        for second in keys[i + 1 :]:
            assert not first & second, group["why"]


def test_every_merge_records_evidence_and_strength(seed_resolution: Resolution) -> None:
    for party in seed_resolution.parties:
        assert len(party.evidence) == len(party.mentions) - 1, party.key
        assert {(e.rule, e.strength) for e in party.evidence} <= {
            ("same-link", "strong"),
            ("same-name-country", "medium"),
            ("same-name-region", "weak"),
        }


def test_delegation_is_not_a_party(seeds: dict[str, Article], seed_resolution: Resolution) -> None:
    (delegation,) = seed_resolution.delegations
    assert delegation.entry.party.name == "来自南亚的组织"
    assert delegation.id not in seed_resolution.party_of
