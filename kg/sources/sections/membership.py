"""Membership tables and member lists: who belongs to the international, in which role.

A table is one when its headings say so (成员, 观察员, 前成员 … from roles.toml) or, under no
heading that decides, when its columns do (a status, join-year or continent column, or
country and party columns under a heading that names a place)."""

from __future__ import annotations

from kg.lexicon import Role, lexicon
from kg.records import Membership, TableReport
from kg.sources.rows import entry_fields, read_notes
from kg.sources.sections.base import (
    BY_COLUMNS,
    Claim,
    RowTally,
    TablesRead,
    report,
    skip_reason,
    typed_rows,
)
from kg.sources.sections.context import TableContext
from kg.spans import diagnose

_MEMBER_COLUMNS = frozenset({"role", "year", "continent"})
_NAME_COLUMNS = frozenset({"party", "country"})


def claim(ctx: TableContext) -> Claim | None:
    for distance, signal in enumerate(ctx.signals):
        if (
            signal.decides
            and (signal.role or signal.membership)
            and not signal.attendance
            and not signal.conference.named
        ):
            role = signal.role.id if signal.role else "member"
            return Claim("membership", distance, f"heading '{signal.heading.title}'", signal, role)
    columns = ctx.columns
    if columns & _MEMBER_COLUMNS and (columns & _NAME_COLUMNS or not ctx.grid.header_rows):
        named = ", ".join(sorted(c for c in columns & _MEMBER_COLUMNS if c))
        return Claim("membership", BY_COLUMNS, f"columns ({named})", role="member")
    if ctx.place() is not None and columns & _NAME_COLUMNS:
        return Claim("membership", BY_COLUMNS + 1, "party columns under a heading that names a place", role="member")
    return None


def read(ctx: TableContext, claim: Claim, out: TablesRead) -> TableReport:
    tally = RowTally()
    heading_place = ctx.place()
    continent = heading_place if heading_place is not None and heading_place.is_region else None
    country = heading_place if heading_place is not None and not heading_place.is_region else None
    for number, ref, parts in typed_rows(ctx, tally, out):
        if not parts.parties:
            continent = parts.region or continent  # a row that is a continent heading
            tally.skipped.append((number, skip_reason(ref, parts, out)))
            continue
        continent = parts.region_in(ctx.grid, continent=True) or (
            continent if ctx.grid.header_rows else parts.region or continent
        )
        region = parts.region_in(ctx.grid, continent=False) if ctx.grid.header_rows else None
        for party in parts.parties:
            fields, said = entry_fields(ctx.grid, ref, parts, party, parts.country or country)
            notes = read_notes(fields["party"], parts)
            role = parts.role or _note_role(notes.unread)
            for note in notes.unread:
                if lexicon().role_words.exact(note) is None:
                    message = (
                        f"note '{note}' states no event this reader knows (kg/lexicon/events.toml); kept as written"
                    )
                    out.diagnostics.append(diagnose(fields["party"].span, "warning", "unread-note", message))
            fields["raw"] = (*fields["raw"], *(n for n in notes.unread if lexicon().role_words.exact(n) is None))
            entry = Membership(
                **fields,
                region=said or region,
                role=role.id if role else claim.role,
                continent=continent,
                joined=notes.joined,
                end=notes.end,
            )
            out.memberships.append(entry)
            tally.entries += 1
        tally.kept += 1
    return report(ctx, claim, tally)


def _note_role(notes: tuple[str, ...]) -> Role | None:
    """A role written as a note after the name: 南非共产党（观察员）."""
    return next((role for note in notes if (role := lexicon().role_words.exact(note))), None)
