"""The data-quality report of ``kg inspect``: what was read, repaired, inferred and merged.

Its rule: every data row of every table is accounted for, as entries or as a skipped row
with its reason, and anything the readers did not understand is listed with its place.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

from kg.records import Article, Attendance, Entry, Membership, TableReport
from kg.resolve import Resolution, mention_id


def _entry_line(entry: Entry, resolution: Resolution) -> str:
    mid = mention_id(entry)
    party = entry.party
    parts = [f"{mid}", f"t{entry.row.table}r{entry.row.row}"]
    if isinstance(entry, Attendance):
        parts.append(f"conference {entry.conference}")
    if isinstance(entry, Membership):
        parts.append(entry.role)
    parts.append(party.name + (f" [[{party.link}]]" if party.link else ""))
    place = entry.country or entry.region
    if isinstance(entry, Membership) and entry.continent:
        parts.append(f"continent {entry.continent.code}")
    if place:
        parts.append(f"{place.kind} {place.code}")
    if inferred := resolution.inferred.get(mid):
        parts.append(f"inferred {inferred.code} ({inferred.evidence})")
    if isinstance(entry, Membership) and entry.joined:
        parts.append(f"joined {entry.joined.value}{'~' if entry.joined.approximate else ''}")
    if isinstance(entry, Membership) and entry.end:
        year = entry.end.year
        parts.append(
            f"{entry.end.kind}"
            + (f" {year.value}{'~' if year.approximate else ''}" if year else "")
            + (f" → {entry.end.other}" if entry.end.other else "")
        )
    if entry.delegation:
        parts.append("delegation")
    parts.append(f"-> {resolution.party_of.get(mid, 'delegation')}")
    return "  ".join(parts)


def records_text(articles: list[Article], resolution: Resolution) -> Iterator[str]:
    for article in articles:
        org = article.organisation
        yield (
            f"{article.path} ({article.format}): {org.name}"
            + (f" ({org.abbreviation})" if org.abbreviation else "")
            + f", {org.kind}"
        )
        for name, value in _organisation_facts(article):
            yield f"  {name}: {value}"
        for entry in sorted(article.entries, key=lambda e: e.party.span.start):
            yield "  " + _entry_line(entry, resolution)


def _organisation_facts(article: Article) -> Iterator[tuple[str, str]]:
    org = article.organisation
    skip = {"name", "span", "kind", "abbreviation", "fact_spans"}
    for field in dataclasses.fields(org):
        value = getattr(org, field.name)
        if field.name in skip or value in ("", (), 0, False, None):
            continue
        if field.name == "publications":
            value = "; ".join(p.title + (f" ({p.english})" if p.english else "") for p in value)
        elif field.name == "country":
            value = f"{value.code} ({value.raw})"
        elif isinstance(value, tuple):
            value = "; ".join(value)
        yield field.name, str(value)


def report_text(articles: list[Article], resolution: Resolution) -> Iterator[str]:
    """The quality report, as lines for a person."""
    yield from _tables_section(articles)
    yield from _coverage_section(articles)
    yield from _repairs_section(articles)
    yield from _inference_section(articles, resolution)
    yield from _merges_section(resolution)
    yield from _diagnostics_section(articles)
    yield _summary(articles, resolution)


def _tables_section(articles: list[Article]) -> Iterator[str]:
    yield "Tables (data rows read → entries; rows without an entry and why):"
    for article in articles:
        for table in article.tables:
            what = f"{table.kind} ({table.why})" if table.why else table.kind
            yield f"  {article.path}:{table.span.line}  table {table.index} '{table.section}' {what}: {table.rows} rows → {table.entries} entries"
            for reason, count in sorted(Counter(_reason_kind(r) for _, r in table.skipped).items()):
                rows = ", ".join(str(n) for n, r in table.skipped if _reason_kind(r) == reason)
                yield f"      {count} × {reason} (rows {rows})"


def _coverage(tables: list[TableReport]) -> tuple[int, int, int]:
    """(rows in the source, rows that gave records, rows explained without one)."""
    return sum(t.rows for t in tables), sum(t.kept for t in tables), sum(len(t.skipped) for t in tables)


def _coverage_line(label: str, tables: list[TableReport]) -> str:
    present, kept, explained = _coverage(tables)
    share = f"{100 * kept / present:.1f}%" if present else "-"
    lost = present - kept - explained
    return (
        f"  {label}: {kept} of {present} rows kept ({share}) in {len(tables)} tables and lists; "
        f"{explained} explained without a record; {lost} lost"
    )


def _coverage_section(articles: list[Article]) -> Iterator[str]:
    """Rows in the source (table rows and list items under member and attendance headings)
    against rows kept, per article: a silent loss shows as a row neither kept nor explained."""
    yield "Coverage (rows in the source → rows that gave records):"
    for article in articles:
        yield _coverage_line(article.path, article.tables)
    yield _coverage_line("all", [t for a in articles for t in a.tables])


def _reason_kind(reason: str) -> str:
    return "continent heading" if reason.startswith("continent heading") else reason


def _repairs_section(articles: list[Article]) -> Iterator[str]:
    repaired = [e for a in articles for e in a.entries if e.repairs]
    yield f"Cells repaired ({len(repaired)} entries read away from their header's column):"
    for how, count in sorted(Counter("; ".join(e.repairs) for e in repaired).items()):
        yield f"  {count} × {how}"
    for entry in repaired:
        yield f"    {mention_id(entry)}  {entry.party.name}"


def _inference_section(articles: list[Article], resolution: Resolution) -> Iterator[str]:
    names = {mention_id(e): e.party.name for a in articles for e in a.entries}
    yield f"Countries inferred ({len(resolution.inferred)} rows that state none):"
    for mid, country in resolution.inferred.items():
        yield f"  {mid}  {names[mid]} → {country.code} from the {country.evidence} '{country.text}'"
    yield f"Countries not inferred ({len(resolution.not_inferred)} rows, no evidence):"
    for mid, why in resolution.not_inferred.items():
        yield f"  {mid}  {names[mid]}: {why}"


def _merges_section(resolution: Resolution) -> Iterator[str]:
    merged = [p for p in resolution.parties if len(p.mentions) > 1]
    mentions = sum(len(p.mentions) for p in resolution.parties)
    yield f"Parties: {len(resolution.parties)} from {mentions} mentions; {len(merged)} named more than once; {len(resolution.delegations)} anonymous delegations"
    for party in merged:
        rules = Counter(e.rule for e in party.evidence)
        how = ", ".join(f"{rule} ×{n}" for rule, n in sorted(rules.items()))
        internationals = ", ".join(sorted({m.international for m in party.mentions}))
        yield f"  {party.key}: {len(party.mentions)} mentions in {internationals}; {how}"
        for evidence in party.evidence:
            shown_differently = " and '" in evidence.detail  # same link, other displayed text
            if evidence.rule != "same-link" or shown_differently:
                yield f"      {evidence.rule} ({evidence.strength}) {evidence.mention}: {evidence.detail}"
    keys_by_name: dict[str, set[str]] = {}
    for international in resolution.internationals:
        keys_by_name.setdefault(international.name, set()).add(international.key)
    for international in resolution.internationals:
        if len(keys_by_name[international.name]) > 1:
            yield f"  international {international.key}: '{international.name}' ({international.article}), kept apart from the others of that name by its abbreviation"
    yield f"Not merged ({len(resolution.non_merges)} near-misses):"
    for non_merge in resolution.non_merges:
        yield f"  {non_merge.mentions[0]} vs {non_merge.mentions[1]}: {non_merge.reason}"


def _diagnostics_section(articles: list[Article]) -> Iterator[str]:
    diagnostics = [d for a in articles for d in a.diagnostics]
    yield f"Not understood ({len(diagnostics)}):"
    for diagnostic in diagnostics:
        yield f"  {diagnostic}"


def _summary(articles: list[Article], resolution: Resolution) -> str:
    rows = sum(t.rows for a in articles for t in a.tables)
    entries = sum(t.entries for a in articles for t in a.tables)
    skipped = sum(len(t.skipped) for a in articles for t in a.tables)
    warnings = sum(len(a.diagnostics) for a in articles)
    return (
        f"Summary: {len(articles)} articles, {sum(len(a.tables) for a in articles)} tables, {rows} data rows → "
        f"{entries} entries + {skipped} rows explained without an entry; {len(resolution.parties)} parties; {warnings} warnings"
    )


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def records_json(articles: list[Article], resolution: Resolution) -> str:
    """Records, resolution and report as one JSON document (stable key order)."""
    document = {
        "articles": _plain(articles),
        "resolution": {
            "internationals": _plain(resolution.internationals),
            "parties": [
                {
                    "key": p.key,
                    "label": p.label,
                    "link": p.link,
                    "names": p.names,
                    "mentions": [m.id for m in p.mentions],
                    "evidence": _plain(p.evidence),
                }
                for p in resolution.parties
            ],
            "delegations": [m.id for m in resolution.delegations],
            "inferred_countries": _plain(resolution.inferred),
            "countries_not_inferred": resolution.not_inferred,
            "non_merges": _plain(resolution.non_merges),
        },
        "report": list(report_text(articles, resolution)),
    }
    return json.dumps(document, ensure_ascii=False, indent=1)
