"""The organisation an article is about, from its lead and prose.

Pattern extraction over sentences: each fact is taken only where the text states it in a
recognisable construction (缩写为X, 成立于DATE, 前身, 更名为, 刊物《X》, 奉行[[X主义]] …), and
remembers the paragraph it came from. Nothing is filled in from outside the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kg.errors import SourceError
from kg.fold import fold, normalize_width, to_simplified
from kg.geo import gazetteer
from kg.records import Organisation, Publication, StatedPlace
from kg.sources.document import Document, Fragment, Link
from kg.spans import Span, diagnose

_ABBREVIATION = re.compile(r"(?:缩写|简称|缩写为|简称为)[为是:：]?\s*(?P<abbr>[A-Z][A-Za-z0-9&.\-–]{1,15})")
_ENGLISH = re.compile(r"英语[:：]\s*(?P<en>[A-Za-z][^，。;；)）]+)")
_OWN_COUNTRY = re.compile(r"是(?P<place>[^，。的]{2,10}?)的")
_DEFUNCT = re.compile(r"已不存在|已经不存在|已解散|已经解散|已停止活动|已停止运作|已消亡|已不复存在")
_FOUNDING_VERB = re.compile(r"成立|创建|创立|建立|组建")
_DATE = re.compile(r"(?P<y>1[89]\d\d|20\d\d)年(?:(?P<m>1[0-2]|0?[1-9])月(?:(?P<d>[0-3]?\d)日)?)?")
_FORMER_NAME = re.compile(
    r"(?:那时|当时|原|旧|曾)(?:它的|其)?(?:名字|名称|名|称)(?:是|为|叫)?[“\"](?P<name>[^”\"]+)[”\"]"
)
_RENAMED = re.compile(r"(?P<year>1[89]\d\d|20\d\d)年[^。]{0,12}?(?:更名|改名|易名)为[“\"](?P<name>[^”\"]+)[”\"]")
_PREDECESSOR = re.compile(
    r"[“\"](?P<a>[^”\"]+)[”\"][^“”\"。]{0,40}?是(?:它|其|该组织)的前身|前身(?:是|为)[“\"](?P<b>[^”\"]+)[”\"]"
)
_PUBLICATION_WORD = re.compile(
    r"(?:刊物|报纸|期刊|月刊|周报|双周报|季刊|杂志|机关报)(?:名为|为|是)?《(?P<title>[^》]+)》"
)
_ANY_TITLE = re.compile(r"《(?P<title>[^》]+)》(?:\s*[(（](?P<english>[A-Za-z][^)）]*)[)）])?")
_IDEOLOGY_TARGET = re.compile(r"(?:主义|派|思想)$")
_FOLLOWS = re.compile(r"(?<!大多)(?<!部分)(?<!多数)(?:奉行|标榜|遵循|信奉|崇尚|追随|赞成|支持)[“\"]?$")
_OPPOSES = re.compile(r"(?:反对|消灭|推翻|打倒|抵制)[“\"]?$")
_IS_A_BEFORE = re.compile(r"(?:是|一个|的)[”\"]?$")
_IS_A_AFTER = re.compile(r"^(?:国际组织|国际政党组织|政党|组织|团体)")
_IS_A_TEXT = re.compile(r"(?:国际组织|国际政党组织|政党|组织|团体)$")
_KIND_INTERNATIONAL = re.compile(r"国际组织|国际政党组织|国际会议|的会议|国际协调")
_HATNOTES = frozenset({"not", "distinguish", "about", "for", "otheruses", "other uses", "redirect"})
_SENTENCE_END = re.compile(r"[。；;]")


def _simple(text: str) -> str:
    return to_simplified(normalize_width(text))


@dataclass(frozen=True)
class _Sentence:
    text: str  # simplified, for matching
    written: str  # as written
    start: int  # offset inside its fragment's text
    fragment: Fragment

    def links(self) -> list[Link]:
        return [x for x in self.fragment.links if self.start <= x.at < self.start + len(self.written)]


def _sentences(fragment: Fragment) -> Iterator[_Sentence]:
    start = 0
    for piece in _SENTENCE_END.split(fragment.text):
        yield _Sentence(_simple(piece), piece, start, fragment)
        start += len(piece) + 1


def _written(sentence: _Sentence, match: re.Match[str], group: str) -> str:
    """A matched group as the source wrote it (folding keeps positions when lengths agree)."""
    if len(sentence.text) == len(sentence.written):
        return sentence.written[match.start(group) : match.end(group)].strip()
    return match.group(group).strip()


class _Facts:
    """Collects facts and the span each one was read from."""

    def __init__(self) -> None:
        self.values: dict[str, list[str]] = {}
        self.spans: list[tuple[str, Span]] = []

    def add(self, name: str, value: str, span: Span) -> None:
        values = self.values.setdefault(name, [])
        if value and fold(value) not in {fold(v) for v in values}:
            values.append(value)
            self.spans.append((name, span))

    def first(self, name: str) -> str:
        return next(iter(self.values.get(name, [])), "")

    def all(self, name: str) -> tuple[str, ...]:
        return tuple(self.values.get(name, []))


def _lead(doc: Document) -> list[Fragment]:
    return [f for s in doc.sections if s.level == 0 for f in s.paragraphs]


def _prose(doc: Document) -> Iterator[tuple[str, Fragment]]:
    for section in doc.sections:
        for fragment in section.paragraphs:
            yield section.title, fragment


def read_organisation(doc: Document, has_entries: bool) -> Organisation:
    """The organisation the article is about, from its prose."""
    lead = _lead(doc)
    named = next((f for f in lead if f.bold), None)
    if named is None:
        where = lead[0].span if lead else doc.sections[0].span
        raise SourceError(
            diagnose(where, "error", "no-name", "the lead names no organisation in bold ('''name''' or **name**)")
        )
    facts = _Facts()
    name = named.bold[0]
    for fragment in lead:
        for bold in fragment.bold:
            if fold(bold) != fold(name):
                facts.add("other_names", bold, fragment.span)
    _read_lead(facts, named, lead)
    for title, fragment in _prose(doc):
        _read_sentences(facts, fragment, name)
        _read_publications(facts, title, fragment)
        _read_ideologies(facts, fragment)
    publications = tuple(Publication(t, e, s) for t, e, s in _publications(doc, facts))
    first = next(_sentences(named))
    return Organisation(
        name=name,
        span=named.span,
        kind="international" if has_entries or _KIND_INTERNATIONAL.search(first.text) else "organisation",
        abbreviation=facts.first("abbreviation"),
        english_name=facts.first("english_name"),
        other_names=facts.all("other_names"),
        founded=facts.first("founded"),
        founding_place=facts.first("founding_place"),
        country=_own_country(first),
        defunct=bool(_DEFUNCT.search(first.text)),
        former_names=facts.all("former_names"),
        renamed_year=int(facts.first("renamed_year") or 0),
        predecessors=facts.all("predecessors"),
        publications=publications,
        ideologies=facts.all("ideologies"),
        opposes=facts.all("opposes"),
        distinguished_from=_same_name_pages(doc, name, lead),
        categories=tuple(dict.fromkeys(c.target for c in doc.categories)),
        external_links=tuple(dict.fromkeys(x.url for x in doc.external_links)),
        fact_spans=tuple(facts.spans),
    )


def _read_lead(facts: _Facts, named: Fragment, lead: list[Fragment]) -> None:
    for fragment in lead:
        simple = _simple(fragment.text)
        if match := _ABBREVIATION.search(simple):
            facts.add("abbreviation", match.group("abbr"), fragment.span)
        for template in fragment.templates:
            if template.name.lower() == "lang-en" and template.args:
                facts.add("english_name", template.args[0], fragment.span)
        if match := _ENGLISH.search(simple):
            facts.add("english_name", match.group("en").strip(), fragment.span)


def _own_country(first: _Sentence) -> StatedPlace | None:
    match = _OWN_COUNTRY.search(first.text)
    if match is None:
        return None
    place = gazetteer().lookup(match.group("place"))
    if place is None or place.is_region:
        return None
    return StatedPlace(place.code, place.kind, _written(first, match, "place"), "lead-text", first.fragment.span)


def _mentions_self(sentence: _Sentence, name: str) -> bool:
    return any(word in sentence.text for word in ("该组织", "它", "本组织", "其")) or fold(name) in fold(sentence.text)


def _read_sentences(facts: _Facts, fragment: Fragment, name: str) -> None:
    for sentence in _sentences(fragment):
        span = fragment.span
        if _FOUNDING_VERB.search(sentence.text) and _mentions_self(sentence, name):
            _read_founding(facts, sentence)
        for match in _FORMER_NAME.finditer(sentence.text):
            facts.add("former_names", _written(sentence, match, "name"), span)
        for match in _RENAMED.finditer(sentence.text):
            if fold(match.group("name")) == fold(name):
                facts.add("renamed_year", match.group("year"), span)
        for match in _PREDECESSOR.finditer(sentence.text):
            facts.add("predecessors", _written(sentence, match, "a" if match.group("a") else "b"), span)


def _read_founding(facts: _Facts, sentence: _Sentence) -> None:
    date = _DATE.search(sentence.text)
    if date is None or facts.first("founded"):
        return
    parts = [date.group("y")] + [f"{int(date.group(g)):02d}" for g in ("m", "d") if date.group(g)]
    facts.add("founded", "-".join(parts), sentence.fragment.span)
    where = sentence.text.find("在")
    places = [x.target for x in sentence.links() if where >= 0 and x.at - sentence.start > where]
    if places:
        facts.add("founding_place", places[-1], sentence.fragment.span)


def _read_publications(facts: _Facts, section: str, fragment: Fragment) -> None:
    simple = _simple(fragment.text)
    titles = _ANY_TITLE if any(w in fold(section) for w in ("出版", "刊物")) else _PUBLICATION_WORD
    for match in titles.finditer(simple):
        facts.add("publications", match.group("title"), fragment.span)


def _publications(doc: Document, facts: _Facts) -> Iterator[tuple[str, str, Span]]:
    """Each publication with the English title written after it, if any."""
    for title in facts.all("publications"):
        english, span = "", doc.sections[0].span
        for _, fragment in _prose(doc):
            for match in _ANY_TITLE.finditer(_simple(fragment.text)):
                if match.group("title") == title:
                    english, span = english or (match.group("english") or "").strip(), fragment.span
        yield title, " ".join(english.split()), span


def _read_ideologies(facts: _Facts, fragment: Fragment) -> None:
    simple = _simple(fragment.text)
    for link in fragment.links:
        if not link.target or not _IDEOLOGY_TARGET.search(fold(link.target)):
            continue
        before = simple[max(0, link.at - 8) : link.at]
        after = simple[link.at + len(link.text) : link.at + len(link.text) + 6]
        if _OPPOSES.search(before):
            facts.add("opposes", link.target, fragment.span)
        elif _FOLLOWS.search(before) or (
            _IS_A_BEFORE.search(before) and (_IS_A_AFTER.match(after) or _IS_A_TEXT.search(_simple(link.text)))
        ):
            facts.add("ideologies", link.target, fragment.span)


def _same_name_pages(doc: Document, name: str, lead: list[Fragment]) -> tuple[str, ...]:
    """Pages of other organisations with this name: hatnotes and same-name links."""
    pages: list[str] = []
    for fragment in lead:
        for template in fragment.templates:
            if template.name.strip().lower() in _HATNOTES:
                pages.extend(arg for arg in template.args if fold(name) in fold(arg))
        pages.extend(x.target for x in fragment.links if x.target and fold(x.target).startswith(fold(name)))
    return tuple(dict.fromkeys(p.replace("_", " ") for p in pages if fold(p) != fold(name)))
