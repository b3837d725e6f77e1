"""Links from the graph's parties and internationals to Wikidata, with evidence; abstain rather than guess.

- exact: the zh.wikipedia page the sources link (or the article itself, for an international)
  is the sitelink of one Wikidata item → skos:exactMatch; failing that, the en.wikipedia page an
  interlanguage link template names ({{link-en|中文|English}}) is one item's en sitelink.
- candidate: no sitelink, but an item carries the name as a Chinese label; scored 0.5, +0.25
  if typed as a party or organisation, +0.25 if in a country the rows state (an item in
  another country is not considered). Only a single best item with all three (score 1.0)
  becomes skos:closeMatch; the rest wait in the review file for a person.
- reviewed: a candidate a person accepted in the review file → skos:exactMatch. A rejected one
  is never proposed again.
The linkset (CSV, committed) makes builds reproducible offline; only `kg link wikidata
--refresh` asks the service.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Collection
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from kg.delimited import csv_text
from kg.errors import Diagnostic, SourceError
from kg.fold import fold
from kg.geo import wikidata_qid
from kg.graph import Triple
from kg.vocab import KGO, ORG, RDF, SDO, SKOS, WD
from kg.wikidata import ZH_TAGS, WikidataClient, load_template, qid, variants

ACCEPT = 1.0  # an automatic candidate needs all three: Chinese label, party type, stated country
MATCHES = ("exact", "reviewed", "candidate")
DECISIONS = ("", "accept", "reject")


@dataclass(frozen=True)
class Link:
    iri: str
    label: str
    qid: str
    match: str  # "exact", "reviewed" or "candidate"
    score: float
    evidence: str
    checked: str  # ISO date the service was asked


@dataclass(frozen=True)
class Review:
    iri: str
    label: str
    qid: str
    score: float
    evidence: str
    decision: str  # "", "accept" or "reject"


@dataclass(frozen=True)
class Target:
    """Something in the graph to link: its title on zh.wikipedia if known, names, country."""

    iri: str
    label: str
    title: str
    names: tuple[str, ...]
    countries: tuple[str, ...]  # Wikidata ids of the countries its rows state
    english_titles: tuple[str, ...] = ()  # en.wikipedia titles the articles' link templates give


# ---------------------------------------------------------------- what to link


def targets(graph: Graph) -> list[Target]:
    """Parties and internationals, each with what the graph knows to look it up by."""
    found = []
    for cls in (KGO.Party, KGO.International):
        for node in sorted({URIRef(str(n)) for n in graph.subjects(RDF.type, cls)}, key=str):
            names = tuple(sorted({str(o) for p in (SKOS.prefLabel, SKOS.altLabel) for o in graph.objects(node, p)}))
            english = tuple(sorted(str(o) for o in graph.objects(node, KGO.enwikiTitle)))
            label, title, countries = _label(graph, node), _title(graph, node), _countries(graph, node)
            found.append(Target(str(node), label, title, names, countries, english))
    return found


def _label(graph: Graph, node: URIRef) -> str:
    return next(
        (str(o) for o in graph.objects(node, SKOS.prefLabel) if isinstance(o, Literal) and o.language == "zh-Hans"), ""
    )


def _title(graph: Graph, node: URIRef) -> str:
    """The zh.wikipedia title: the one the sources link, or the article the node is about."""
    title = next(iter(graph.objects(node, KGO.zhwikiTitle)), None)
    if title is None:
        title = next((graph.value(article, SDO.name) for article in graph.subjects(SDO.about, node)), None)
    return str(title) if title is not None else ""


def _countries(graph: Graph, node: URIRef) -> tuple[str, ...]:
    rows = [*graph.subjects(SDO.attendee, node), *graph.subjects(ORG.member, node)]
    codes = {str(graph.value(place, SKOS.notation)) for row in rows for place in graph.objects(row, KGO.listedUnder)}
    codes |= {str(graph.value(place, SKOS.notation)) for place in graph.objects(node, KGO.country)}
    return tuple(sorted(q for code in codes if (q := wikidata_qid(code))))


# ---------------------------------------------------------------- asking the service


def _sitelinked(client: WikidataClient, template: str, asked: dict[str, Target], lang: str) -> dict[str, set[str]]:
    """Target iri → the items whose sitelink (in ``template``'s wiki) is one of the asked titles."""
    items: dict[str, set[str]] = defaultdict(set)
    for row in client.select(load_template(template), [Literal(v, lang=lang) for v in sorted(asked)]):
        if row.get("title") in asked and qid(row.get("item", "")):
            items[asked[row["title"]].iri].add(qid(row["item"]))
    return items


def _exact(client: WikidataClient, todo: list[Target], checked: str) -> dict[str, Link]:
    """Links by sitelink: the title in any script variant is one item's zh.wikipedia page, or,
    for a party the articles name by an interlanguage template, its title one item's en page."""
    zh = _sitelinked(client, "sitelinks", {v: t for t in todo if t.title for v in variants(t.title)}, "zh")
    links = {}
    for target in todo:
        if len(found := zh.get(target.iri, set())) == 1:
            evidence = f"zh.wikipedia sitelink '{target.title}'"
            links[target.iri] = Link(target.iri, target.label, found.pop(), "exact", 1.0, evidence, checked)
    rest = {title: t for t in todo if t.iri not in links for title in t.english_titles}
    en = _sitelinked(client, "en-sitelinks", rest, "en") if rest else {}
    for target in todo:
        if target.iri not in links and len(found := en.get(target.iri, set())) == 1:
            evidence = f"en.wikipedia sitelink '{target.english_titles[0]}' (the article's interlanguage link)"
            links[target.iri] = Link(target.iri, target.label, found.pop(), "exact", 1.0, evidence, checked)
    return links


def _candidates(client: WikidataClient, todo: list[Target]) -> dict[str, list[tuple[str, float, str]]]:
    """(item, score, evidence) for each target by its names as Chinese labels."""
    by_name = {fold(n): t for t in todo for n in t.names}
    terms = sorted(
        {Literal(v, lang=tag) for t in todo for n in t.names for v in variants(n) for tag in ZH_TAGS},
        key=lambda x: (str(x), x.language or ""),
    )
    facts: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: {"types": set(), "countries": set()})
    for row in client.select(load_template("labels"), terms):
        target, item = by_name.get(fold(row.get("name", ""))), qid(row.get("item", ""))
        if target is None or not item:
            continue
        entry = facts[target.iri, item]
        entry["types"] |= {row["partyType"]} if row.get("partyType") else set()
        entry["countries"] |= {qid(row["country"])} if row.get("country") else set()
    scored: dict[str, list[tuple[str, float, str]]] = defaultdict(list)
    targets_by_iri = {t.iri: t for t in todo}
    for (iri, item), entry in sorted(facts.items()):
        target = targets_by_iri[iri]
        typed, placed = bool(entry["types"]), bool(set(target.countries) & entry["countries"])
        if target.countries and entry["countries"] and not placed:
            continue  # the item is in another country than the rows say: not this party
        score = 0.5 + 0.25 * typed + 0.25 * placed
        evidence = (
            f"Chinese label '{target.label}'"
            + (", party/organisation type" if typed else "")
            + (", same country" if placed else "")
        )
        scored[iri].append((item, score, evidence))
    return scored


def _single_best(options: list[tuple[str, float, str]]) -> tuple[str, float, str] | None:
    """The one highest-scoring option if it reaches ACCEPT; None when tied or too weak."""
    if not options:
        return None
    top = max(score for _, score, _ in options)
    best = [o for o in options if o[1] == top]
    return best[0] if len(best) == 1 and top >= ACCEPT else None


def refresh(
    graph: Graph, client: WikidataClient, review: list[Review], checked: str
) -> tuple[list[Link], list[Review]]:
    """New links for the graph, and the review file with new candidates added."""
    todo = targets(graph)
    labels = {t.iri: t.label for t in todo}
    links = _exact(client, todo, checked)
    for r in review:
        if r.decision == "accept" and r.iri not in links:
            links[r.iri] = Link(
                r.iri, r.label, r.qid, "reviewed", r.score, f"accepted in review: {r.evidence}", checked
            )
    rejected = {(r.iri, r.qid) for r in review if r.decision == "reject"}
    pending = {(r.iri, r.qid): r for r in review}
    for iri, options in _candidates(client, [t for t in todo if t.iri not in links]).items():
        kept = [o for o in options if (iri, o[0]) not in rejected]
        for item, score, evidence in kept:
            pending.setdefault((iri, item), Review(iri, labels[iri], item, score, evidence, ""))
        if (best := _single_best(kept)) is not None:
            item, score, evidence = best
            links[iri] = Link(iri, labels[iri], item, "candidate", score, evidence, checked)
    return sorted(links.values(), key=lambda link: link.iri), sorted(pending.values(), key=lambda r: (r.iri, r.qid))


# ---------------------------------------------------------------- files


def _read_rows(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != columns:
            raise SourceError(
                Diagnostic(str(path), 1, 1, "error", "bad-linkset", f"columns must be: {','.join(columns)}")
            )
        return list(reader)


def _check(path: Path, number: int, ok: bool, message: str) -> None:
    if not ok:
        raise SourceError(Diagnostic(str(path), number, 1, "error", "bad-linkset", message))


def read_linkset(path: Path) -> list[Link]:
    links = []
    for number, row in enumerate(_read_rows(path, tuple(f.name for f in fields(Link))), start=2):
        _check(
            path,
            number,
            row["match"] in MATCHES and row["qid"].startswith("Q"),
            f"match must be one of {', '.join(MATCHES)} and qid a Q-id",
        )
        links.append(
            Link(
                row["iri"], row["label"], row["qid"], row["match"], float(row["score"]), row["evidence"], row["checked"]
            )
        )
    return links


def read_review(path: Path) -> list[Review]:
    reviews = []
    for number, row in enumerate(_read_rows(path, tuple(f.name for f in fields(Review))), start=2):
        _check(path, number, row["decision"].strip() in DECISIONS, "decision must be empty, accept or reject")
        reviews.append(
            Review(row["iri"], row["label"], row["qid"], float(row["score"]), row["evidence"], row["decision"].strip())
        )
    return reviews


def to_csv(rows: list[Link] | list[Review]) -> bytes:
    columns = [f.name for f in fields(Link if not rows or isinstance(rows[0], Link) else Review)]
    values = ([f"{v:.2f}" if isinstance(v, float) else str(v) for v in asdict(row).values()] for row in rows)
    return csv_text([columns, *values]).encode("utf-8")


# ---------------------------------------------------------------- into the graph, and measured


def link_triples(triples: Collection[Triple], links: list[Link]) -> list[Triple]:
    """skos:exactMatch for exact and reviewed links, skos:closeMatch for candidates, of the
    nodes ``triples`` have (as subject or object); links to other nodes are left out."""
    wanted = {URIRef(link.iri) for link in links}
    present = {s for s, _, _ in triples if s in wanted} | {o for _, _, o in triples if o in wanted}
    return [
        (URIRef(link.iri), SKOS.closeMatch if link.match == "candidate" else SKOS.exactMatch, WD[link.qid])
        for link in links
        if URIRef(link.iri) in present
    ]


def read_gold(path: Path) -> dict[str, str]:
    """Hand-checked links: iri → Q-id, or '' where no Wikidata item exists."""
    return {row["iri"]: row["qid"] for row in _read_rows(path, ("iri", "qid"))}


def evaluate(links: list[Link], gold: dict[str, str]) -> list[str]:
    """Precision and recall of exact and candidate links against hand-checked gold (iri → Q-id or '')."""
    lines = []
    for match in ("exact", "candidate"):
        made = [link for link in links if link.match == match]
        right = [link for link in made if gold.get(link.iri) == link.qid]
        expected = [iri for iri, q in gold.items() if q]
        precision = len(right) / len(made) if made else 1.0
        lines.append(
            f"{match}: {len(made)} links, {len(right)} right; precision {precision:.2f}, recall {len(right) / len(expected) if expected else 1.0:.2f}"
        )
    everything = [link for link in links if gold.get(link.iri) == link.qid]
    lines.append(
        f"all: {len(everything)} of {sum(1 for q in gold.values() if q)} expected links found; wrong links: {len(links) - len(everything)}"
    )
    return lines
