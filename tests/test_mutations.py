"""Seed articles with lines deleted, repeated, cut or broken: read or rejected, never a crash.

A fast deterministic subset; the larger fuzz run belongs to the hardening issue.
"""

from __future__ import annotations

import random

import pytest

from kg.errors import SourceError
from kg.resolve import resolve
from kg.sources import expand_sources, read_source
from kg.spans import SourceText
from tests.expectations import ROOT

TEXTS = [p.read_text(encoding="utf-8") for p in expand_sources([ROOT / "seeds", ROOT / "tests" / "articles"])]
BREAKERS = ["<br />", "||", "|}", "{|", "<tr>", "</td>", "**", "'''", "{{", "[[", "\x0b", "（", "2010年", "1.5"]


def _mutate(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 6)):
        at = rng.randrange(len(lines)) if lines else 0
        action = rng.randrange(5)
        if not lines:
            break
        if action == 0:
            del lines[at]
        elif action == 1:
            lines.insert(at, lines[at])
        elif action == 2:
            lines = lines[: rng.randrange(len(lines) + 1)]
        elif action == 3:
            lines[at] = lines[at][: rng.randrange(len(lines[at]) + 1)]
        else:
            lines[at] += rng.choice(BREAKERS)
    return "\n".join(lines)


@pytest.mark.parametrize("seed", range(150))
def test_mutated_article_is_read_or_rejected_with_a_location(seed: int) -> None:
    rng = random.Random(seed)
    text = _mutate(rng, rng.choice(TEXTS))
    try:
        article = read_source(SourceText("mutated.md", text))
    except SourceError as error:
        assert error.diagnostic.path == "mutated.md" and error.diagnostic.line >= 1
        return
    resolve([article])
    for entry in article.entries:
        assert _shown_in(entry.party.name, text[entry.party.span.start : entry.party.span.end])


def _shown_in(name: str, written: str) -> bool:
    """The name's characters appear in order in the text its span covers: names are read
    with their spacing folded and the markup inside them (links, bold) taken out."""
    rest = iter(written)
    return all(char in rest for char in name if not char.isspace())
