"""Make a synthetic graph shaped like the seeds' graph, at any size (run on demand).

    python bench/generate.py TRIPLES OUT.nt

It makes records, not text: internationals with numbered conferences and attendance rows,
members with join years, continents and end events, parties linked and unlinked, with
countries stated or left to infer. They go through the real resolve → graph path, so the
graph has the IRIs, n-ary nodes, provenance and merge evidence the seeds' graph has.
Deterministic for a given size.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

from kg.files import write_file
from kg.graph import build_graph
from kg.records import (
    Article,
    Attendance,
    Conference,
    EndEvent,
    Membership,
    Organisation,
    PartyName,
    RowRef,
    SourceInfo,
    StatedPlace,
    Year,
)
from kg.resolve import resolve
from kg.spans import Span

COUNTRIES = [
    "AF",
    "AR",
    "BD",
    "BO",
    "BR",
    "CD",
    "CO",
    "DE",
    "DO",
    "FR",
    "GR",
    "IN",
    "IR",
    "IT",
    "JP",
    "LU",
    "NL",
    "NO",
    "NP",
    "PA",
    "PE",
    "PH",
    "PY",
    "RU",
    "TR",
    "US",
    "UY",
    "ZA",
]
CONTINENT = {
    "AF": "142",
    "BD": "142",
    "IN": "142",
    "IR": "142",
    "JP": "142",
    "NP": "142",
    "PH": "142",
    "TR": "142",
    "CD": "002",
    "ZA": "002",
    "DE": "150",
    "FR": "150",
    "GR": "150",
    "IT": "150",
    "LU": "150",
    "NL": "150",
    "NO": "150",
    "RU": "150",
}
TRIPLES_PER_ROW = 20  # measured: ~25,000 triples for ~1,230 generated rows
CONFERENCES, ATTENDEES, MEMBERS, POOL = 8, 25, 40, 60  # per international, as in the seeds


def _span(path: str, line: int) -> Span:
    return Span(path, line * 40, line * 40 + 10, line, 5)


def _party(rng: random.Random, number: int, path: str, line: int) -> tuple[PartyName, StatedPlace]:
    country = COUNTRIES[number % len(COUNTRIES)]
    linked = number % 10 < 7  # seven in ten parties have a zh.wikipedia article
    name = f"合成{country}党{number}"
    place = StatedPlace(country, "country", f"{{{{{country}}}}}", "flag-template", _span(path, line))
    return PartyName(name, name if linked else None, _span(path, line)), place


def _international(rng: random.Random, index: int, pool: list[int]) -> Article:
    """One international of the seeds' shape: 8 conferences of ~25 parties, ~40 members."""
    path = f"synthetic-{index:05d}.wiki"
    key = f"SI{index:05d}"
    article = Article(
        path, "wikitext", Organisation(f"合成国际{index}", _span(path, 1), "international", abbreviation=key)
    )
    article.source = SourceInfo(retrieved="2026-11-21")
    line = 10
    for ordinal in range(1, CONFERENCES + 1):
        year = 1980 + 3 * ordinal
        article.conferences.append(
            Conference(ordinal, year, f"第{ordinal}次会议（{year}年）", ordinal, _span(path, line))
        )
        for row, number in enumerate(sorted(rng.sample(pool, ATTENDEES)), start=2):
            line += 2
            party, country = _party(rng, number, path, line)
            article.attendances.append(
                Attendance(
                    party=party, row=RowRef(ordinal, row, _span(path, line)), country=country, conference=ordinal
                )
            )
    for row, number in enumerate(sorted(rng.sample(pool, MEMBERS)), start=2):
        line += 2
        article.memberships.append(
            _membership(rng, number, path, line, RowRef(CONFERENCES + 1, row, _span(path, line)))
        )
    return article


def _membership(rng: random.Random, number: int, path: str, line: int, row: RowRef) -> Membership:
    party, country = _party(rng, number, path, line)
    region = CONTINENT.get(country.code, "019")
    continent = StatedPlace(region, "region", region, "continent-heading", _span(path, line))
    ended = rng.random() < 0.1
    end = (
        EndEvent("expelled", Year(2000 + number % 20, False, "", _span(path, line)), None, "", _span(path, line))
        if ended
        else None
    )
    joined = Year(1990 + number % 30, number % 7 == 0, "", _span(path, line))
    return Membership(
        party=party, row=row, role="former" if ended else "member", continent=continent, joined=joined, end=end
    )


def generate(triples: int, seed: int = 1) -> list[Article]:
    """Articles whose graph has about ``triples`` triples. Each international draws its
    parties from a window of the party numbers, so neighbouring internationals share some."""
    rng = random.Random(seed)
    rows = max(1, triples // TRIPLES_PER_ROW)
    count = max(2, rows // (CONFERENCES * ATTENDEES + MEMBERS))
    parties = max(POOL * 2, rows // 8)
    articles = []
    for index in range(count):
        start = (index * POOL // 2) % parties
        window = [(start + k) % parties for k in range(POOL * 3 // 2)]
        articles.append(_international(rng, index, rng.sample(window, POOL)))
    return articles


def main() -> None:
    triples, out = int(sys.argv[1]), Path(sys.argv[2])
    start = time.perf_counter()
    articles = generate(triples)
    graph = build_graph(articles, resolve(articles))
    write_file(out, graph.serialize(format="nt", encoding="utf-8"))
    print(
        f"{len(graph)} triples from {sum(len(a.entries) for a in articles)} rows in {time.perf_counter() - start:.1f} s → {out}"
    )


if __name__ == "__main__":
    main()
