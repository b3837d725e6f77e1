"""Load the hand-written expectations (tests/expected/*.toml) and the actual values to compare.

The expected side is written by a person from the article text (see tests/expected/README.md);
this module only reads what ``kg`` produced into the same plain shape. Two forms exist: the
first corpus keyed rows by ``line`` (one file per format), the format-neutral one keys them by
``table`` and ``party`` so one file serves the wikitext and every Markdown flavour pandoc writes.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from kg.geo import place_names
from kg.records import Article, Attendance, ConferenceId, Entry, Membership
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
        "dissolved": org.dissolved,
        "headquarters": org.headquarters,
        "website": org.website,
        "affiliations": list(org.affiliations),
        "former_names": list(org.former_names),
        "renamed_year": org.renamed_year,
        "predecessors": list(org.predecessors),
        "publications": [p.title for p in org.publications],
        "ideologies": list(org.ideologies),
        "opposes": list(org.opposes),
        "categories": list(org.categories),
    }


def _conference(conference: ConferenceId | None) -> dict[str, Any]:
    if conference is None:
        return {"ordinal": 0, "year": 0, "month": 0, "place": "", "kind": ""}
    return {
        "ordinal": conference.ordinal or 0,
        "year": conference.year or 0,
        "month": conference.month or 0,
        "place": conference.place,
        "kind": conference.kind,
    }


def table_values(article: Article) -> list[dict[str, Any]]:
    return [
        {
            "line": t.span.line,
            "kind": t.kind,
            "role": t.role,
            "conference": _conference(t.conference.id if t.conference else None),
            "rows": t.rows,
            "entries": t.entries,
        }
        for t in article.tables
    ]


def normalise_table(expected: dict[str, Any]) -> dict[str, Any]:
    """The first corpus wrote ``conference = 10, year = 2011, rows = <entries>``: the same
    values in the format-neutral form (``conference = {...}``, ``entries``)."""
    if isinstance(expected.get("conference", {}), dict):
        return expected
    table = {k: v for k, v in expected.items() if k not in ("conference", "year", "rows")}
    table["conference"] = {"ordinal": expected["conference"], "year": expected.get("year", 0)}
    if "rows" in expected:
        table["entries"] = expected["rows"]
    return table


def compare_table(actual: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any]:
    found = subset(actual, expected)
    if isinstance(expected.get("conference"), dict):
        found["conference"] = subset(actual["conference"], expected["conference"])
    return found


def entry_values(entry: Entry, resolution: Resolution, article: Article | None = None) -> dict[str, Any]:
    inferred = resolution.inferred.get(mention_id(entry))
    membership = entry if isinstance(entry, Membership) else None
    attendance = entry if isinstance(entry, Attendance) else None
    listed = article is not None and article.tables[entry.row.table - 1].kind == "conferences"
    conference = attendance.conference if attendance and listed else None
    end = membership.end if membership else None
    joined = membership.joined if membership else None
    return {
        "line": entry.party.span.line,
        "table": entry.row.table,
        "party": entry.party.name,
        "link": entry.party.link or "",
        "english": entry.party.english,
        "country": _place_code(entry),
        "region": entry.region.code if entry.region else "",
        "continent": membership.continent.code if membership and membership.continent else "",
        "inferred_country": inferred.code if inferred else "",
        "inferred_from": inferred.evidence if inferred else "",
        "role": membership.role if membership else "",
        "joined": joined.value if joined else 0,
        "joined_approx": joined.approximate if joined else False,
        "end": end.kind if end else "",
        "end_year": end.year.value if end and end.year else 0,
        "end_approx": end.year.approximate if end and end.year else False,
        "replaced_by": (end.other or "") if end and end.kind == "replaced-by" else "",
        "end_other": (end.other or "") if end else "",
        "delegation": entry.delegation,
        "repaired": bool(entry.repairs),
        # rows of a table whose rows are conferences say which conference they are
        "conference_ordinal": (conference.ordinal or 0) if conference else 0,
        "conference_year": (conference.year or 0) if conference else 0,
    }


def _place_code(entry: Entry) -> str:
    """ISO codes as they are; an area with no code of its own as "place:" + its name."""
    place = entry.country
    if place is None:
        return ""
    if place.kind == "area":
        return "place:" + place_names(place.code)[0]
    return place.code


def entries_on_line(article: Article, line: int) -> list[Entry]:
    return [e for e in article.entries if e.party.span.line == line]


def entries_for(article: Article, row: dict[str, Any]) -> list[Entry]:
    """The entries an expected row names: by line, or by table, party and ``nth``."""
    if "line" in row:
        return entries_on_line(article, row["line"])
    same = sorted(
        (e for e in article.entries if e.row.table == row["table"] and e.party.name == row["party"]),
        key=lambda e: (e.row.row, e.party.span.start),
    )
    nth = row.get("nth", 1)
    return same[nth - 1 : nth]


def subset(actual: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any]:
    """The actual values of just the keys the expectation names."""
    return {key: actual.get(key, "<missing>") for key in expected if key != "nth"}


def known_failures(stem: str) -> dict[str, str]:
    """tests/expected/known-failures.toml: value → reason, for one article."""
    found = load_expected("known-failures")["failure"]
    return {f["value"]: f["reason"] for f in found if f["stem"] == stem}


def without_known(stem: str, section: str, expected: dict[str, Any]) -> dict[str, Any]:
    """An expectation with the values known to fail (``section.key``) left out."""
    known = known_failures(stem)
    return {k: v for k, v in expected.items() if f"{section}.{k}" not in known}


def table_without_known(stem: str, number: int, expected: dict[str, Any]) -> dict[str, Any]:
    table = without_known(stem, f"tables.{number}", expected)
    if isinstance(table.get("conference"), dict):
        table["conference"] = without_known(stem, f"tables.{number}.conference", table["conference"])
    return table


def expectation_mismatches(stem: str, article: Article, resolution: Resolution) -> list[str]:
    """Every value of an article's expectation file it does not meet (known failures aside)."""
    expected = load_expected(stem)
    found = []
    organisation = without_known(stem, "organisation", expected.get("organisation", {}))
    actual = subset(organisation_values(article), organisation)
    found += [f"organisation.{k}: {actual[k]!r} != {v!r}" for k, v in organisation.items() if actual[k] != v]
    tables = table_values(article)
    wanted = [normalise_table(t) for t in expected.get("tables", [])]
    if len(tables) != len(wanted):
        found.append(f"{len(tables)} tables, expected {len(wanted)}")
    for number, (table, written) in enumerate(zip(tables, wanted, strict=False), start=1):
        want = table_without_known(stem, number, written)
        if compare_table(table, want) != want:
            found.append(f"table {number}: {compare_table(table, want)} != {want}")
    for row in expected.get("rows", []):
        entries = entries_for(article, row)
        want = {k: v for k, v in row.items() if k != "nth"}
        if not entries:
            found.append(f"row {row.get('table')} {row.get('party')}: not read")
        elif subset(entry_values(entries[0], resolution, article), want) != want:
            found.append(
                f"row {row.get('table')} {row.get('party')}: {subset(entry_values(entries[0], resolution, article), want)} != {want}"
            )
    return found
