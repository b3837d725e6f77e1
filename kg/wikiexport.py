"""Exports for Wikidata editors and for civic-data tools: QuickStatements v1 and Popolo JSON.

QuickStatements states only what the graph holds, only between entities linked by
skos:exactMatch (a sitelink or a reviewed link; never a mere candidate), each with a reference
to the zh.wikipedia article (S143 Q30239 "imported from: Chinese Wikipedia", S4656 its URL):
- membership → P463 (member of), P580/P582 start/end with year precision;
- an observer → P463 with P2868 (subject has role) the observer role's item, only when the
  linkset links kgo:ObserverRole; a former member only when the end year is known (a
  P463 without end would read as current);
- attendance → P1344 (participant in) a conference item, when the conference is linked.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from rdflib import Graph, URIRef
from rdflib.term import Node

from kg.vocab import KGO, ORG, PROV, RDF, SDO, SKOS, TIME
from kg.wikidata import qid

CHINESE_WIKIPEDIA = "Q30239"


def _item(graph: Graph, node: Node | None) -> str:
    """The Q-id a node is skos:exactMatch to, or ''."""
    return next((q for o in graph.objects(node, SKOS.exactMatch) if (q := qid(str(o)))), "") if node else ""


def _year(graph: Graph, membership: Node, edge: URIRef) -> str:
    interval = graph.value(membership, ORG.memberDuring)
    instant = graph.value(interval, edge) if interval is not None else None
    value = graph.value(instant, TIME.inXSDgYear) if instant is not None else None
    return str(value)[:4] if value is not None else ""


def _source(graph: Graph, node: Node) -> str:
    article = graph.value(node, PROV.hadPrimarySource)
    url = graph.value(article, SDO.url) if article is not None else None
    reference = f"\tS143\t{CHINESE_WIKIPEDIA}"
    return reference + (f'\tS4656\t"{_qs_address(str(url))}"' if url is not None else "")


def _qs_address(url: str) -> str:
    """An address as a QuickStatements string: it has no escapes, so a quote, a tab or a line
    break (which would end the value, the field or the command) is percent-encoded."""
    unsafe = set('"\x7f\x85\u2028\u2029') | {chr(code) for code in range(0x21)}
    return "".join("".join(f"%{b:02X}" for b in c.encode()) if c in unsafe else c for c in url)


def _when(year: str) -> str:
    return f"+{year}-00-00T00:00:00Z/9"


def _membership_line(graph: Graph, membership: Node, observer: str) -> str | None:
    party, international = (
        _item(graph, graph.value(membership, ORG.member)),
        _item(graph, graph.value(membership, ORG.organization)),
    )
    role = graph.value(membership, ORG.role)
    start, end = _year(graph, membership, TIME.hasBeginning), _year(graph, membership, TIME.hasEnd)
    if (
        not party
        or not international
        or (role == KGO.ObserverRole and not observer)
        or (role == KGO.FormerMemberRole and not end)
    ):
        return None
    line = f"{party}\tP463\t{international}"
    line += f"\tP580\t{_when(start)}" if start else ""
    line += f"\tP582\t{_when(end)}" if end else ""
    line += f"\tP2868\t{observer}" if role == KGO.ObserverRole else ""
    return line + _source(graph, membership)


def _attendance_line(graph: Graph, attendance: Node) -> str | None:
    party, conference = (
        _item(graph, graph.value(attendance, SDO.attendee)),
        _item(graph, graph.value(attendance, KGO.conference)),
    )
    return f"{party}\tP1344\t{conference}{_source(graph, attendance)}" if party and conference else None


def quickstatements(graph: Graph) -> tuple[str, list[str]]:
    """The QuickStatements v1 commands, and notes on what was left out and why."""
    observer = _item(graph, KGO.ObserverRole)
    lines, skipped = set(), 0
    for row in graph.subjects(PROV.hadPrimarySource, None):
        member = (row, ORG.member, None) in graph
        line = _membership_line(graph, row, observer) if member else _attendance_line(graph, row)
        if line:
            lines.add(line)
        else:
            skipped += 1
    notes = [
        f"{len(lines)} statements; {skipped} rows left out (an entity not linked, an observer role not linked, or a former membership without its end year)"
    ]
    return "".join(line + "\n" for line in sorted(lines)), notes


def _organisations(graph: Graph) -> Iterator[dict[str, object]]:
    for cls, kind in ((KGO.International, "international"), (KGO.Party, "party")):
        for node in sorted(set(graph.subjects(RDF.type, cls)), key=str):
            identifiers = [{"scheme": "wikidata", "identifier": q} for q in [_item(graph, node)] if q]
            title = graph.value(node, KGO.zhwikiTitle)
            identifiers += [{"scheme": "zhwiki", "identifier": str(title)}] if title is not None else []
            names = sorted({str(o) for o in graph.objects(node, SKOS.altLabel)})
            yield {
                "id": str(node),
                "name": str(
                    next(
                        (o for o in graph.objects(node, SKOS.prefLabel) if getattr(o, "language", "") == "zh-Hans"), ""
                    )
                ),
                "classification": kind,
                "other_names": [{"name": n} for n in names],
                "identifiers": identifiers,
            }


def _memberships(graph: Graph) -> Iterator[dict[str, object]]:
    for membership in sorted(set(graph.subjects(ORG.member, None)), key=str):
        location = graph.value(membership, PROV.wasDerivedFrom)
        article = graph.value(membership, PROV.hadPrimarySource)
        source = {
            "url": str(graph.value(article, SDO.url) or article),
            "note": f"{graph.value(graph.value(location, KGO.inArticle), KGO.sourceFile)}:{graph.value(location, KGO.line)}",
        }
        role = graph.value(membership, ORG.role)
        record: dict[str, object] = {
            "id": str(membership),
            "organization_id": str(graph.value(membership, ORG.organization)),
            "member": {"@type": "Organization", "id": str(graph.value(membership, ORG.member))},
            "role": str(role).rsplit("#", 1)[-1].removesuffix("Role").lower() if role else "",
            "sources": [source],
        }
        for key, edge in (("start_date", TIME.hasBeginning), ("end_date", TIME.hasEnd)):
            if year := _year(graph, membership, edge):
                record[key] = year
        yield record


def popolo(graph: Graph) -> str:
    """Organizations and memberships in the Popolo data specification's JSON."""
    document = {"organizations": list(_organisations(graph)), "memberships": list(_memberships(graph))}
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
