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
from kg.sources.infobox import infobox_facts
from kg.spans import Span, diagnose

_ABBREVIATION = re.compile(r"(?:缩写|简称|缩写为|简称为)[为是:：]?\s*(?P<abbr>[A-Z][A-Za-z0-9&.\-–]{1,15})")
# "毛主义国际主义运动思想”（MIM Thought）": the org's name glossed in English with a short
# form; two or more glosses that agree on it give the abbreviation.
_GLOSS = r"{name}[^，。“”《》()（）]{{0,6}}[”》]?\s*[(（](?P<abbr>[A-Z]{{2,10}})\s+[A-Za-z][A-Za-z ]*[)）]"
_ENGLISH = re.compile(r"英语[:：]\s*(?P<en>[A-Za-z][^，。;；)）]+)")
_OWN_COUNTRY = re.compile(r"是(?P<place>[^，。的]{2,10}?)的")
_DEFUNCT = re.compile(r"已不存在|已经不存在|已解散|已经解散|已停止活动|已停止运作|已消亡|已不复存在")
_FOUNDING_VERB = re.compile(r"成立|创建|创立|创办|建立|组建")
_FOUNDED_AT = re.compile(r"[于在]")
_DATE = re.compile(r"(?P<y>1[89]\d\d|20\d\d)年(?:(?P<m>1[0-2]|0?[1-9])月(?:(?P<d>[0-3]?\d)日)?)?")
_FORMER_NAME = re.compile(
    r"(?:那时|当时|原|旧|曾)(?:它的|其)?(?:名字|名称|名|称)(?:是|为|叫)?[“\"](?P<name>[^”\"]+)[”\"]"
)
_RENAMED = re.compile(r"(?P<year>1[89]\d\d|20\d\d)年[^。]{0,12}?(?:更名|改名|易名)为[“\"](?P<name>[^”\"]+)[”\"]")
_PREDECESSOR_BEFORE = re.compile(r"是(?:它|其|该组织|该党)的前身")
_PREDECESSOR_AFTER = re.compile(r"前身(?:是|为)[“\"](?P<name>[^”\"]+)[”\"]")
_QUOTED = re.compile(r"[“\"](?P<name>[^”\"]+)[”\"]")
_CONJUNCTION = re.compile(r"^\s*(?:和|与|及|以及|、|,|，)\s*$")
# A periodical noun right before the title (刊物《X》), or the organisation publishing it
# (出版不定期通讯《X》; not 出版的《X》, which says only that something was published).
_PUBLICATION_WORD = re.compile(
    r"(?:(?:刊物|报纸|期刊|月刊|周报|双周报|季刊|杂志|机关报|通讯|会刊)(?:名为|为|是)?"
    r"|(?:出版|发行)(?!的)[^《》。，“”]{0,8}?)《(?P<title>[^》]+)》"
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


def _written_in(written: str, simple: str, match: re.Match[str], group: str) -> str:
    """A group matched in the simplified text, as the source wrote it (folding keeps
    character positions whenever the two texts have the same length)."""
    if len(simple) == len(written):
        return written[match.start(group) : match.end(group)].strip()
    return match.group(group).strip()


def _written(sentence: _Sentence, match: re.Match[str], group: str) -> str:
    return _written_in(sentence.written, sentence.text, match, group)


class _Facts:
    """Facts in the order they were read, each with the span of its paragraph."""

    def __init__(self) -> None:
        self.found: list[tuple[str, str, Span]] = []

    def add(self, name: str, value: str, span: Span) -> None:
        if value and fold(value) not in {fold(v) for v in self.all(name)}:
            self.found.append((name, value, span))

    def all(self, name: str) -> tuple[str, ...]:
        return tuple(value for n, value, _ in self.found if n == name)

    def first(self, name: str) -> str:
        return next(iter(self.all(name)), "")

    def span_of(self, name: str, value: str) -> Span:
        return next(span for n, v, span in self.found if n == name and v == value)

    def spans(self) -> tuple[tuple[str, Span], ...]:
        return tuple((name, span) for name, _, span in self.found if not name.startswith("english:"))


def _lead(doc: Document) -> list[Fragment]:
    return [f for s in doc.sections if s.level == 0 for f in s.paragraphs]


def _prose(doc: Document) -> Iterator[tuple[str, Fragment]]:
    for section in doc.sections:
        for fragment in section.paragraphs:
            yield section.title, fragment


def own_names(doc: Document) -> tuple[str, ...]:
    """The names the lead gives the organisation (bold, and an abbreviation it states), which
    headings and conference names repeat (圣保罗论坛第二十届会议)."""
    lead = _lead(doc)
    names = [bold for fragment in lead for bold, _ in fragment.bold]
    names += [m.group("abbr") for f in lead if (m := _ABBREVIATION.search(_simple(f.text)))]
    return tuple(dict.fromkeys(n for n in names if n))


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
    for field, value, span in infobox_facts(doc):
        facts.add(field, value, span)
    name, name_span = named.bold[0]
    for fragment in lead:
        for bold, span in fragment.bold:
            if fold(bold) != fold(name):
                facts.add("other_names", bold, span)
    _read_lead(facts, lead)
    if not facts.first("abbreviation"):
        _read_glossed_abbreviation(facts, name, [f for _, f in _prose(doc)])
    for title, fragment in _prose(doc):
        _read_sentences(facts, fragment, name)
        _read_publications(facts, title, fragment)
        _read_ideologies(facts, fragment)
    publications = tuple(
        Publication(t, facts.first(f"english:{t}"), facts.span_of("publications", t)) for t in facts.all("publications")
    )
    first = next(_sentences(named))
    return Organisation(
        name=name,
        span=name_span,
        kind="international" if has_entries or _KIND_INTERNATIONAL.search(first.text) else "organisation",
        abbreviation=facts.first("abbreviation"),
        english_name=facts.first("english_name"),
        other_names=facts.all("other_names"),
        founded=facts.first("founded"),
        founding_place=facts.first("founding_place"),
        country=_own_country(first),
        defunct=bool(_DEFUNCT.search(first.text)) or bool(facts.first("dissolved")),
        dissolved=facts.first("dissolved"),
        headquarters=facts.first("headquarters"),
        website=facts.first("website"),
        affiliations=facts.all("affiliations"),
        former_names=facts.all("former_names"),
        renamed_year=int(facts.first("renamed_year") or 0),
        predecessors=facts.all("predecessors"),
        publications=publications,
        ideologies=facts.all("ideologies"),
        opposes=facts.all("opposes"),
        distinguished_from=_same_name_pages(name, lead),
        categories=tuple(dict.fromkeys(c.target for c in doc.categories)),
        external_links=tuple(dict.fromkeys(x.url for x in doc.external_links)),
        fact_spans=facts.spans(),
    )


def _read_glossed_abbreviation(facts: _Facts, name: str, prose: list[Fragment]) -> None:
    pattern = re.compile(_GLOSS.format(name=re.escape(_simple(name))))
    found = [(m.group("abbr"), f.span) for f in prose for m in pattern.finditer(_simple(f.text))]
    if len(found) >= 2 and len({abbr for abbr, _ in found}) == 1:
        facts.add("abbreviation", found[0][0], found[0][1])


def _read_lead(facts: _Facts, lead: list[Fragment]) -> None:
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
        verb = _FOUNDING_VERB.search(sentence.text)
        if verb and _mentions_self(sentence, name) and not facts.first("founded"):
            _read_founding(facts, sentence, verb)
        for match in _FORMER_NAME.finditer(sentence.text):
            facts.add("former_names", _written(sentence, match, "name"), span)
        for match in _RENAMED.finditer(sentence.text):
            if fold(match.group("name")) == fold(name):
                facts.add("renamed_year", match.group("year"), span)
        if predecessor := _predecessor(sentence):
            facts.add("predecessors", predecessor, span)


def _read_founding(facts: _Facts, sentence: _Sentence, verb: re.Match[str]) -> None:
    """The date nearest before the founding verb (else after it), and the place: a link
    between 在 and the verb (在[[基多]]…成立) or right after it (创办于[[布鲁塞尔]])."""
    dates = list(_DATE.finditer(sentence.text))
    before = [d for d in dates if d.end() <= verb.start()]
    date = before[-1] if before else next(iter(dates), None)
    if date is None:
        return
    parts = [date.group("y")] + [f"{int(date.group(g)):02d}" for g in ("m", "d") if date.group(g)]
    facts.add("founded", "-".join(parts), sentence.fragment.span)
    at = sentence.text.rfind("在", 0, verb.start())
    offsets = [(x.at - sentence.start, x) for x in sentence.links()]
    between = [x for offset, x in offsets if 0 <= at < offset < verb.start()]
    following = _FOUNDED_AT.match(sentence.text, verb.end())
    after = [x for offset, x in offsets if following and offset == following.end()]
    if places := between or after:
        facts.add("founding_place", places[-1].target, sentence.fragment.span)


def _predecessor(sentence: _Sentence) -> str:
    """The quoted name or link just before 是它的前身, or just after 前身是."""
    if match := _PREDECESSOR_AFTER.search(sentence.text):
        return _written(sentence, match, "name")
    marker = _PREDECESSOR_BEFORE.search(sentence.text)
    if marker is None:
        return ""
    quotes = [(m.end(), _written(sentence, m, "name")) for m in _QUOTED.finditer(sentence.text, 0, marker.start())]
    links = [(x.at - sentence.start + len(x.text), x.text) for x in sentence.links()]
    found = [(end, text) for end, text in quotes + links if end <= marker.start()]
    return max(found)[1] if found else ""


def _read_publications(facts: _Facts, section: str, fragment: Fragment) -> None:
    simple = _simple(fragment.text)
    titles = _ANY_TITLE if any(w in fold(section) for w in ("出版", "刊物")) else _PUBLICATION_WORD
    for match in titles.finditer(simple):
        title = _written_in(fragment.text, simple, match, "title")
        facts.add("publications", title, fragment.span)
        english = _ANY_TITLE.match(simple, match.start("title") - 1)
        if english and english.group("english"):
            facts.add(f"english:{title}", " ".join(english.group("english").split()), fragment.span)


def _title_end(simple: str, link: Link) -> int:
    """Where the linked page's title ends in the text. pandoc's conversion lets a link's text
    run past the title ([修正主义和](…/修正主义)); the words after the title are plain text."""
    shown, title = _simple(link.text), _simple(link.target)
    return link.at + (len(title) if shown.startswith(title) else len(link.text))


def _read_ideologies(facts: _Facts, fragment: Fragment) -> None:
    """Linked -主义/-派 terms it follows or opposes; 奉行[[A]]和[[B]] gives both."""
    simple = _simple(fragment.text)
    previous, previous_end = "", -1
    for link in fragment.links:
        if not link.target or not _IDEOLOGY_TARGET.search(fold(link.target)):
            continue
        end = _title_end(simple, link)
        before = simple[max(0, link.at - 8) : link.at]
        after = simple[end : end + 6]
        kind = ""
        if previous and _CONJUNCTION.match(simple[previous_end : link.at]):
            kind = previous
        elif _OPPOSES.search(before):
            kind = "opposes"
        elif _FOLLOWS.search(before) or (
            _IS_A_BEFORE.search(before) and (_IS_A_AFTER.match(after) or _IS_A_TEXT.search(_simple(link.text)))
        ):
            kind = "ideologies"
        if kind:
            facts.add(kind, link.target, fragment.span)
        previous, previous_end = kind, end


def _same_name_pages(name: str, lead: list[Fragment]) -> tuple[str, ...]:
    """Pages of other organisations with this name: hatnotes and same-name links."""
    pages: list[str] = []
    for fragment in lead:
        for template in fragment.templates:
            if template.name.strip().lower() in _HATNOTES:
                pages.extend(arg for arg in template.args if fold(name) in fold(arg))
        pages.extend(x.target for x in fragment.links if x.target and fold(x.target).startswith(fold(name)))
    return tuple(dict.fromkeys(p.replace("_", " ") for p in pages if fold(p) != fold(name)))
