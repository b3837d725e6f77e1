"""The organisation an article is about, from its lead and prose.

Pattern extraction over sentences: each fact is taken only where the text states it in a
recognisable construction (缩写为X, 成立于DATE, 前身, 更名为, 刊物《X》, 奉行[[X主义]] …), and
remembers the paragraph it came from. Nothing is filled in from outside the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from kg.errors import SourceError
from kg.fold import fold, normalize_width, to_simplified
from kg.geo import gazetteer
from kg.lexicon import lexicon
from kg.records import Organisation, Publication, StatedPlace
from kg.sources.dates import DateValue, find_dates
from kg.sources.document import Document, Fragment, Link
from kg.sources.infobox import infobox_facts
from kg.spans import Span, diagnose

# "毛主义国际主义运动思想”（MIM Thought）": the org's name glossed in English with a short
# form; two or more glosses that agree on it give the abbreviation.
_GLOSS = r"{name}[^，。“”《》()（）]{{0,6}}[”》]?\s*[(（](?P<abbr>[A-Z]{{2,10}})\s+[A-Za-z][A-Za-z ]*[)）]"
_ENGLISH = re.compile(r"英语[:：]\s*(?P<en>[A-Za-z][^，。;；)）]+)")
_OWN_COUNTRY = re.compile(r"是(?P<place>[^，。的]{2,10}?)的")
_FOUNDED_AT = re.compile(r"[于在]")
# 成立于[[波兰]]的什克拉尔斯卡-波伦巴: the place inside the linked one.
_PLACE_INSIDE = re.compile(r"的(?P<place>[^，。；、,;()（）\s的]{2,12})(?=[，。；,;]|$)")
_SAME_YEAR = re.compile(r"同年(?P<m>1[0-2]|0?[1-9])月(?:(?P<d>[0-3]?\d)日)?")
_QUOTED = re.compile(r"[“\"「](?P<name>[^”\"」]+)[”\"」]")
_CONJUNCTION = re.compile(r"^\s*(?:和|与|及|以及|、|,|，)\s*$")
_ANY_TITLE = re.compile(r"《(?P<title>[^》]+)》(?:\s*[(（](?P<english>[A-Za-z][^)）]*)[)）])?")
_IS_A_BEFORE = re.compile(r"(?:是|一个)[”\"]?$")
_SENTENCE_END = re.compile(r"[。；;]")


def _any(section: str, name: str) -> str:
    return "|".join(re.escape(w) for w in lexicon().prose_words(section, name))


@dataclass(frozen=True)
class _Patterns:
    """The reader's constructions filled with the words of kg/lexicon/prose.toml."""

    abbreviation: re.Pattern[str]
    defunct: re.Pattern[str]
    founding_verb: re.Pattern[str]
    former_name: re.Pattern[str]
    renamed: re.Pattern[str]
    predecessor_before: re.Pattern[str]
    predecessor_after: re.Pattern[str]
    publication_word: re.Pattern[str]
    ideology_target: re.Pattern[str]
    follows: re.Pattern[str]
    opposes: re.Pattern[str]
    is_a_after: re.Pattern[str]
    is_a_text: re.Pattern[str]
    made_of: re.Pattern[str]
    kind_international: re.Pattern[str]


@cache
def _patterns() -> _Patterns:
    hedges = "".join(f"(?<!{re.escape(h)})" for h in lexicon().prose_words("ideologies", "hedges"))
    nouns = _any("ideologies", "is_a_nouns")
    return _Patterns(
        abbreviation=re.compile(
            rf"(?:{_any('abbreviation', 'words')})[为是:：]?\s*(?P<abbr>[A-Z][A-Za-z0-9&.\-–]{{1,15}})"
        ),
        defunct=re.compile(_any("defunct", "words")),
        founding_verb=re.compile(_any("founding", "verbs")),
        former_name=re.compile(
            rf"(?:{_any('names', 'former_markers')})(?:它的|其)?(?:{_any('names', 'name_nouns')})(?:是|为|叫)?"
            r"[“\"「](?P<name>[^”\"」]+)[”\"」]"
        ),
        renamed=re.compile(
            rf"(?P<year>1[89]\d\d|20\d\d)年[^。]{{0,24}}?(?:{_any('names', 'rename_verbs')})为?"
            r"(?:[“\"「](?P<quoted>[^”\"」]+)[”\"」]|(?P<plain>[^，。；、,;（(“\"「\s]{2,24}))"
        ),
        predecessor_before=re.compile(rf"是(?:{_any('names', 'predecessor_subjects')})的前身"),
        predecessor_after=re.compile(
            r"前身(?:是|为|可追溯至|可追溯到)(?:[^，。；“\"「]{0,16}?的)?"
            r"(?:[“\"「](?P<name>[^”\"」]+)[”\"」]|(?P<plain>[^，。；、,;（(“\"「\s]{2,24}))"
        ),
        publication_word=re.compile(
            rf"(?:(?:{_any('publications', 'nouns')})(?:名为|为|是)?"
            rf"|(?:{_any('publications', 'verbs')})(?!的)[^《》。，“”]{{0,8}}?)《(?P<title>[^》]+)》"
        ),
        ideology_target=re.compile(rf"(?:{_any('ideologies', 'suffixes')})$"),
        follows=re.compile(rf"{hedges}(?:{_any('ideologies', 'follows')})[“\"]?$"),
        opposes=re.compile(rf"(?:{_any('ideologies', 'opposes')})[“\"]?$"),
        is_a_after=re.compile(rf"^(?:{nouns})"),
        is_a_text=re.compile(rf"(?:{nouns})$"),
        made_of=re.compile(_any("ideologies", "made_of")),
        kind_international=re.compile(_any("kind", "international")),
    )


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
    """The fragment's sentences, split at 。 and ；, never inside brackets（…；…）."""
    start, depth = 0, 0
    text = fragment.text
    for index, char in enumerate(text):
        depth += char in "(（[【"
        depth = max(0, depth - (char in ")）]】"))
        if depth == 0 and _SENTENCE_END.match(char):
            yield _Sentence(_simple(text[start:index]), text[start:index], start, fragment)
            start = index + 1
    yield _Sentence(_simple(text[start:]), text[start:], start, fragment)


def _written_in(written: str, simple: str, match: re.Match[str], group: str | int) -> str:
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
    names += [m.group("abbr") for f in lead if (m := _patterns().abbreviation.search(_simple(f.text)))]
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
        kind="international" if has_entries or _patterns().kind_international.search(first.text) else "organisation",
        abbreviation=facts.first("abbreviation"),
        english_name=facts.first("english_name"),
        other_names=facts.all("other_names"),
        founded=facts.first("founded"),
        founding_place=facts.first("founding_place"),
        country=_own_country(first),
        defunct=bool(_patterns().defunct.search(first.text)) or bool(facts.first("dissolved")),
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
        if match := _patterns().abbreviation.search(simple):
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


def _self_words(name: str) -> list[str]:
    """How a sentence names the subject: its name, 该组织 …, or, opening the sentence, the head
    noun of its name (会议始于1998年 in the article on 共产党和工人党国际会议)."""
    head = next((h for h in lexicon().prose_words("self", "heads") if _simple(name).endswith(h)), "")
    return [_simple(name), *lexicon().prose_words("self", "words"), *([head] if head else [])]


def _mentions_self(sentence: _Sentence, name: str) -> bool:
    words = lexicon().prose_words("self", "words")
    head = _self_words(name)[-1]
    opens = head not in (_simple(name), *words) and sentence.text.lstrip().startswith(head)
    return opens or any(word in sentence.text for word in words) or fold(name) in fold(sentence.text)


def _founding_verb(sentence: _Sentence) -> re.Match[str] | None:
    """The founding verb of a sentence about the subject's own founding: not one that
    qualifies a noun (1923年在[[汉堡]]成立的[[社会主义工人国际]] founds something else)."""
    for verb in _patterns().founding_verb.finditer(sentence.text):
        if not sentence.text.startswith("的", verb.end()):
            return verb
    return None


def _read_sentences(facts: _Facts, fragment: Fragment, name: str) -> None:
    for sentence in _sentences(fragment):
        span = fragment.span
        verb = _founding_verb(sentence)
        wanted = not facts.first("founded") or not facts.first("founding_place")
        if verb and wanted and _mentions_self(sentence, name):
            _read_founding(facts, sentence, verb)
        for match in _patterns().former_name.finditer(sentence.text):
            facts.add("former_names", _written(sentence, match, "name"), span)
        for match in _patterns().renamed.finditer(sentence.text):
            taken = _written(sentence, match, "quoted" if match.group("quoted") else "plain")
            if fold(taken) == fold(name):  # 1999年更名为中间派民主国际: the name it has now
                facts.add("renamed_year", match.group("year"), span)
            elif match.group("quoted"):  # 1982年改称“基督教民主国际”: a name it had in between
                facts.add("former_names", taken, span)
        if predecessor := _predecessor(sentence):
            facts.add("predecessors", predecessor, span)
        if headquarters := _headquarters(sentence):
            facts.add("headquarters", headquarters, span)
        if not facts.first("dissolved"):
            _read_dissolution(facts, sentence, name)


def _read_founding(facts: _Facts, sentence: _Sentence, verb: re.Match[str]) -> None:
    """The date nearest before the founding verb (else after it), and the place: a link
    between 在 and the verb (在[[基多]]…成立) or right after it (创办于[[布鲁塞尔]])."""
    dates = find_dates(sentence.text, strict=True)
    before = [d for d in dates if d.end <= verb.start()]
    found = before[-1] if before else next(iter(dates), None)
    if found is None:
        return
    date = found.value
    same_year = _SAME_YEAR.search(sentence.text, found.end, verb.start()) if before else None
    if same_year:  # 2004年1月开始筹组，同年5月8日…成立
        date = DateValue(date.year, int(same_year.group("m")), int(same_year.group("d") or 0))
    facts.add("founded", date.iso(), sentence.fragment.span)
    at = sentence.text.rfind("在", 0, verb.start())
    offsets = [(x.at - sentence.start, x) for x in sentence.links()]
    between = [x for offset, x in offsets if 0 <= at < offset < verb.start()]
    following = _FOUNDED_AT.match(sentence.text, verb.end())
    after = [x for offset, x in offsets if following and offset == following.end()]
    if after and (inside := _PLACE_INSIDE.match(sentence.text, after[0].at - sentence.start + len(after[0].text))):
        facts.add(
            "founding_place", _written_in(sentence.written, sentence.text, inside, "place"), sentence.fragment.span
        )
    elif places := between or after:
        facts.add("founding_place", places[-1].target, sentence.fragment.span)


_PLACE_WORDS = re.compile(r"[^\s，。、；;,:：()（）的和与及]{2,6}")


def _headquarters(sentence: _Sentence) -> str:
    """总部设在[[伦敦]]: the page linked right after the marker; 总部设于莫斯科: a short name."""
    for marker in lexicon().prose_words("headquarters", "markers"):
        at = sentence.text.find(marker)
        if at < 0:
            continue
        after = at + len(marker)
        for link in sentence.links():
            if link.target and link.at - sentence.start == after:
                return link.target
        if (words := _PLACE_WORDS.match(sentence.text, after)) is not None and words.end() - after <= 6:
            return _written_in(sentence.written, sentence.text, words, 0)
    return ""


def _subject_is_self(sentence: _Sentence, head: str, name: str) -> bool:
    """The subject named last before a verb is the organisation itself, not something of it
    (该组织的委员会停止运作 stops its committee) nor another one linked after it
    (是[[共产党和工人党情报局]]于1956年解散后… speaks of the bureau's end)."""
    found = [(head.rfind(n), n) for n in _self_words(name) if n and head.rfind(n) >= 0]
    if not found:
        return False
    at, named = max(found)
    later = [x for x in sentence.links() if at + len(named) <= x.at - sentence.start < len(head)]
    others = [x for x in later if lexicon().party_words.find(x.text)]  # another organisation linked after it
    rest = head[at + len(named) :]
    someone_else = any(w in rest for w in lexicon().prose_words("self", "others"))
    return not head.startswith("的", at + len(named)) and not others and not someone_else


def _read_dissolution(facts: _Facts, sentence: _Sentence, name: str) -> None:
    """1943年6月，共产国际正式宣布解散: the date nearest before the verb, the subject before it."""
    verbs = lexicon().prose_words("dissolution", "verbs")
    not_after = lexicon().prose_words("dissolution", "not_after")
    for verb in re.finditer("|".join(re.escape(v) for v in verbs), sentence.text):
        if any(sentence.text.endswith(w, 0, verb.start()) for w in not_after):
            continue
        head = sentence.text[: verb.start()]
        dates = find_dates(head, strict=True)
        if _subject_is_self(sentence, head, name) and dates:
            facts.add("dissolved", dates[-1].value.iso(), sentence.fragment.span)
            return


def _predecessor(sentence: _Sentence) -> str:
    """The quoted name or link just before 是它的前身, or just after 前身是."""
    if match := _patterns().predecessor_after.search(sentence.text):
        group = "name" if match.group("name") else "plain"
        at = match.start(group)
        linked = [x.text for x in sentence.links() if x.at - sentence.start == at]
        return linked[0] if linked else _written(sentence, match, group)
    marker = _patterns().predecessor_before.search(sentence.text)
    if marker is None:
        return ""
    quotes = [(m.end(), _written(sentence, m, "name")) for m in _QUOTED.finditer(sentence.text, 0, marker.start())]
    links = [(x.at - sentence.start + len(x.text), x.text) for x in sentence.links()]
    found = [(end, text) for end, text in quotes + links if end <= marker.start()]
    return max(found)[1] if found else ""


def _read_publications(facts: _Facts, section: str, fragment: Fragment) -> None:
    simple = _simple(fragment.text)
    in_section = any(w in fold(section) for w in lexicon().prose_words("publications", "sections"))
    titles = _ANY_TITLE if in_section else _patterns().publication_word
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
    waiting: list[Link] = []  # unread ideologies joined to this one by 和/及/、 ([[A]]及[[B]]政党)
    for link in fragment.links:
        if not link.target or not _patterns().ideology_target.search(fold(link.target)):
            continue
        end = _title_end(simple, link)
        before = simple[max(0, link.at - 8) : link.at]
        after = simple[end : end + 6]
        joined = previous_end >= 0 and bool(_CONJUNCTION.match(simple[previous_end : link.at]))
        kind = ""
        if previous and joined:
            kind = previous
        elif _patterns().opposes.search(before):
            kind = "opposes"
        elif _patterns().follows.search(before) or _guided_by(before, after) or _is_one(simple, link, before, after):
            kind = "ideologies"
        waiting = waiting if joined else []
        if kind:
            for earlier in [*waiting, link]:
                facts.add(kind, earlier.target, fragment.span)
            waiting = []
        else:
            waiting.append(link)
        previous, previous_end = kind, end


def _guided_by(before: str, after: str) -> bool:
    """以[[马克思列宁主义]]为指导思想."""
    words = lexicon()
    return any(before.endswith(w) for w in words.prose_words("ideologies", "guide_before")) and any(
        after.startswith(w) for w in words.prose_words("ideologies", "guide_after")
    )


def _is_one(simple: str, link: Link, before: str, after: str) -> bool:
    """An ideology followed by a kind of organisation (政党, 国际组织) in a sentence that says
    what the subject is (是一个[[霍查主义]]国际组织, 是[[南亚]]各国[[毛主义]]政党和组织的协调机构)
    or what it is made of (由…[[共产主义]]政党和组织组成). The parties of an ideology it only
    hopes to unite (希望团结…的[[马克思列宁主义]]政党) say nothing of it."""
    patterns = _patterns()
    names_a_kind = bool(patterns.is_a_after.match(after) or patterns.is_a_text.search(_simple(link.text)))
    if not names_a_kind:
        return False
    if _IS_A_BEFORE.search(before):
        return True
    start = max((m.end() for m in _SENTENCE_END.finditer(simple, 0, link.at)), default=0)
    end = next((m.start() for m in _SENTENCE_END.finditer(simple, link.at)), len(simple))
    return bool(patterns.made_of.search(simple[start:end])) or "是" in simple[start : link.at]


def _same_name_pages(name: str, lead: list[Fragment]) -> tuple[str, ...]:
    """Pages of other organisations with this name: hatnotes and same-name links."""
    pages: list[str] = []
    for fragment in lead:
        for template in fragment.templates:
            if template.kind == "hatnote":
                pages.extend(arg for arg in template.args if fold(name) in fold(arg))
        pages.extend(x.target for x in fragment.links if x.target and fold(x.target).startswith(fold(name)))
    return tuple(dict.fromkeys(p.replace("_", " ") for p in pages if fold(p) != fold(name)))
