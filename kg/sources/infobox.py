"""Infoboxes ({{Infobox political party}}, {{Infobox organization}}, 政党信息框 …) as facts
about the article's subject, each with the span of the parameter that states it.

Which parameter states which fact is data (``kg/lexicon/infoboxes.toml``); values are read as
the prose is: a linked page by its title, dates by the one date grammar, one value per line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kg.fold import fold
from kg.lexicon import InfoboxField, lexicon
from kg.sources.dates import first_date
from kg.sources.document import Document, Fragment, InfoboxParam
from kg.spans import Span

Fact = tuple[str, str, Span]  # (organisation field, value, where)


@dataclass(frozen=True)
class _Reader:
    field: str  # the Organisation field it fills

    def values(self, fragment: Fragment) -> Iterator[str]:
        yield fragment.text


class _Date(_Reader):
    def values(self, fragment: Fragment) -> Iterator[str]:
        if (date := first_date(fragment.text)) is not None:
            yield date.iso()


class _Page(_Reader):
    """The linked page where the value is one link, else the text as written."""

    def values(self, fragment: Fragment) -> Iterator[str]:
        pages = [x.target for x in fragment.links if x.target]
        yield from pages if pages else [fragment.text]


class _Ideologies(_Reader):
    """Linked pages whose titles end as ideologies do (主义, 派, 思想): a bare word is not a
    concept to point at, and a purpose's other links are not ideologies."""

    def values(self, fragment: Fragment) -> Iterator[str]:
        suffixes = lexicon().prose_words("ideologies", "suffixes")
        yield from (x.target for x in fragment.links if x.target and fold(x.target).endswith(suffixes))


class _Names(_Reader):
    """One or more short names: CDI / IDC."""

    def values(self, fragment: Fragment) -> Iterator[str]:
        yield from (part.strip() for part in re.split(r"[/／、,，;；]", fragment.text) if part.strip())


class _Address(_Reader):
    def values(self, fragment: Fragment) -> Iterator[str]:
        urls = [x.url for x in fragment.links if x.url]
        text = fragment.text.strip()
        if urls:
            yield urls[0]
        elif text and " " not in text and "." in text:
            yield text if "://" in text else "https://" + text


READERS: dict[InfoboxField, _Reader] = {
    "name": _Reader("infobox_name"),
    "english_name": _Reader("english_name"),
    "abbreviation": _Names("abbreviation"),
    "founded": _Date("founded"),
    "dissolved": _Date("dissolved"),
    "headquarters": _Page("headquarters"),
    "ideology": _Ideologies("ideologies"),
    "affiliations": _Page("affiliations"),
    "website": _Address("website"),
    "predecessor": _Page("predecessors"),
}


def _param_facts(param: InfoboxParam) -> Iterator[Fact]:
    reader = READERS[param.field]
    for fragment in param.values:
        for value in reader.values(fragment):
            if value.strip():
                yield reader.field, value.strip(), param.span


def infobox_facts(doc: Document) -> list[Fact]:
    """The facts of the article's first infobox (the one about its subject)."""
    if not doc.infoboxes:
        return []
    return [fact for param in doc.infoboxes[0].params for fact in _param_facts(param)]
