"""The same article given twice (two names for one file, its wikitext and its pandoc Markdown,
two copies of one revision) is read once: else every membership and attendance would be stated
twice, by two sources that are one.

Two articles are the same when their organisation has one name and what they state is alike:
at least SAME_ROWS of the rows of either are rows of the other (party, and role or
conference), so a conversion that reads one row differently is still the same article, while
two articles about one international that list different things are both read. Articles with
no rows are alike when they give the organisation the same facts (founding, seat, names).
"""

from __future__ import annotations

from collections import Counter

from kg.errors import Diagnostic
from kg.fold import fold
from kg.records import Article, Attendance, Entry, Membership
from kg.spans import diagnose

SAME_ROWS = 0.9
# Which of two forms of one article to read: wikitext is what the editors wrote, and its
# provenance lines are theirs; then by path, for the same choice on every run.
_FORMAT_ORDER = {"wikitext": 0, "markdown": 1}

Row = tuple[str, ...]


def read_once(articles: list[Article]) -> list[Article]:
    """``articles`` without the second reading of any article, in their order; the one kept
    carries a warning naming each file it stands for."""
    kept: dict[str, list[Article]] = {}  # by the organisation's folded name, which the same article shares
    for article in sorted(articles, key=lambda a: (_FORMAT_ORDER.get(a.format, 2), a.path)):
        group = kept.setdefault(fold(article.organisation.name), [])
        same = next((k for k in group if _same_article(k, article)), None)
        if same is None:
            group.append(article)
        else:
            same.diagnostics.append(_read_once_warning(same, article))
    chosen = {id(article) for group in kept.values() for article in group}
    return [article for article in articles if id(article) in chosen]


def _rows(article: Article) -> Counter[Row]:
    return Counter(_row(entry) for entry in article.entries)


def _row(entry: Entry) -> Row:
    """What a row says, less its country: a flag one form shows and the other names in words
    may be read in one and not the other."""
    if isinstance(entry, Attendance):
        c = entry.conference
        return ("attended", fold(entry.party.name), str(c.ordinal), str(c.year), c.kind)
    return ("member", fold(entry.party.name), entry.role if isinstance(entry, Membership) else "")


def _alike(first: Counter[Row], second: Counter[Row]) -> tuple[int, bool]:
    shared = sum((first & second).values())
    larger = max(sum(first.values()), sum(second.values()))
    return shared, larger > 0 and shared >= SAME_ROWS * larger


def _same_article(first: Article, second: Article) -> bool:
    if fold(first.organisation.name) != fold(second.organisation.name):
        return False
    if not first.entries and not second.entries:  # prose only: what it says of the organisation
        return _facts(first) == _facts(second)
    return _alike(_rows(first), _rows(second))[1]


def _facts(article: Article) -> tuple[str, ...]:
    o = article.organisation
    return (o.abbreviation, o.english_name, o.founded, o.founding_place, o.dissolved, o.headquarters, o.website)


def _read_once_warning(kept: Article, dropped: Article) -> Diagnostic:
    shared, _ = _alike(_rows(kept), _rows(dropped))
    alike = f"{shared} of {len(dropped.entries)} rows alike" if dropped.entries else "no rows, the same facts"
    message = (
        f"{dropped.path} is the same article as this one ('{kept.organisation.name}', {alike}): "
        "read once, from this file"
    )
    return diagnose(kept.organisation.span, "warning", "same-article", message)
