"""Load the hand-written expectations (tests/expected/*.toml) and the actual values to compare.

The expected side is written by a person from the article text (see tests/expected/README.md);
this module only reads what ``kg`` produced into the same plain shape.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from kg.records import Article, Attendance, Entry, Membership
from kg.resolve import Resolution, mention_id

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = ROOT / "tests" / "expected"


def load_expected(stem: str) -> dict[str, Any]:
    with (EXPECTED / f"{stem}.toml").open("rb") as handle:
        return tomllib.load(handle)


def organisation_values(article: Article) -> dict[str, Any]:
    org = article.organisation
    return {
        "name": org.name,
        "abbreviation": org.abbreviation,
        "english_name": org.english_name,
        "kind": org.kind,
        "founded": org.founded,
        "founding_place": org.founding_place,
        "country": org.country.code if org.country else "",
        "defunct": org.defunct,
        "former_names": list(org.former_names),
        "renamed_year": org.renamed_year,
        "predecessors": list(org.predecessors),
        "publications": [p.title for p in org.publications],
        "ideologies": list(org.ideologies),
        "opposes": list(org.opposes),
        "categories": list(org.categories),
    }


def table_values(article: Article) -> list[dict[str, Any]]:
    return [
        {
            "line": t.span.line,
            "kind": t.kind,
            "role": t.role,
            "conference": t.conference.ordinal if t.conference else 0,
            "year": t.conference.year if t.conference else 0,
            "rows": t.entries,
        }
        for t in article.tables
    ]


def entry_values(entry: Entry, resolution: Resolution) -> dict[str, Any]:
    inferred = resolution.inferred.get(mention_id(entry))
    membership = entry if isinstance(entry, Membership) else None
    end = membership.end if membership else None
    joined = membership.joined if membership else None
    return {
        "line": entry.party.span.line,
        "party": entry.party.name,
        "link": entry.party.link or "",
        "country": entry.country.code if entry.country else "",
        "region": entry.region.code if isinstance(entry, Attendance) and entry.region else "",
        "continent": membership.continent.code if membership and membership.continent else "",
        "inferred_country": inferred.code if inferred else "",
        "inferred_from": inferred.evidence if inferred else "",
        "role": membership.role if membership else "",
        "joined": joined.value if joined else 0,
        "joined_approx": joined.approximate if joined else False,
        "end": end.kind if end else "",
        "end_year": end.year.value if end and end.year else 0,
        "end_approx": end.year.approximate if end and end.year else False,
        "replaced_by": (end.replaced_by or "") if end else "",
        "delegation": entry.delegation,
        "repaired": bool(entry.repairs),
    }


def entries_on_line(article: Article, line: int) -> list[Entry]:
    return [e for e in article.entries if e.party.span.line == line]


def subset(actual: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any]:
    """The actual values of just the keys the expectation names."""
    return {key: actual.get(key, "<missing>") for key in expected}
