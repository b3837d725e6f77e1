"""Write synthetic article files shaped like the seeds, at any size (run on demand).

    python bench/generate_text.py MEGABYTES OUTDIR

Each file is one article about one invented international (国际共产主义团结联盟, abbreviation
ICUL0 …): an infobox, a lead, a history paragraph, numbered conferences (第N次会议), each with
the table of the parties that attended, the members by continent with their join years, the
former members with how and when they left, and sometimes observers. Half the text (by bytes)
is raw wikitext (``.wiki``, shaped like seeds/icmlpo.wiki), half pandoc Markdown with HTML
tables (``.md``, shaped like seeds/cipoml.md; pandoc drops templates, so these, like the seeds'
``.md`` files, have no infobox, no flags and no English name).

Parties come from one numbered pool. Each article draws from a window of numbers that overlaps
its neighbours' windows, and from a small core that many articles share, so one party is named
in several articles (by the same link target, or by the same unlinked name in the same
country) and the resolver must merge those on evidence. Names are made of a country,
adjectives and a noun, so different parties have similar names (阿根廷革命共产党 and
阿根廷革命先锋共产党; 战斗团体 in two countries, linked as 战斗团体 (秘鲁) and 战斗团体 (希腊)).
Every year a row states falls in 2006–2016, so no two rows of one party are too far apart in
time to be merged by name.

Deterministic: article N is seeded by N, and the same arguments give byte-identical files. More
megabytes means more articles, not bigger ones, and a larger set holds every file of a smaller.
Only the standard library is used.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from pathlib import Path

MEGABYTE = 1_000_000  # bytes of UTF-8 text


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 alpha-2
    alpha3: str  # the flag template named after it: {{ARG}}
    name: str  # its short Chinese name
    continent: str  # the continent heading it is listed under


_COUNTRIES = {
    "亚洲": "AF AFG 阿富汗, BD BGD 孟加拉国, IN IND 印度, IR IRN 伊朗, JP JPN 日本, NP NPL 尼泊尔, PH PHL 菲律宾, "
    "TR TUR 土耳其, LK LKA 斯里兰卡, PK PAK 巴基斯坦, LB LBN 黎巴嫩, SY SYR 叙利亚, JO JOR 约旦, TH THA 泰国, "
    "MY MYS 马来西亚, KR KOR 韩国",
    "欧洲": "DE DEU 德国, FR FRA 法国, GR GRC 希腊, IT ITA 意大利, LU LUX 卢森堡, NL NLD 荷兰, NO NOR 挪威, "
    "RU RUS 俄罗斯, ES ESP 西班牙, PT PRT 葡萄牙, SE SWE 瑞典, DK DNK 丹麦, FI FIN 芬兰, AT AUT 奥地利, "
    "BE BEL 比利时, CH CHE 瑞士, PL POL 波兰, RS SRB 塞尔维亚, BG BGR 保加利亚, IE IRL 爱尔兰",
    "非洲": "ZA ZAF 南非, TN TUN 突尼斯, MA MAR 摩洛哥, BJ BEN 贝宁, TG TGO 多哥, SN SEN 塞内加尔, EG EGY 埃及, "
    "KE KEN 肯尼亚, GH GHA 加纳, NG NGA 尼日利亚",
    "北美洲": "US USA 美国, CA CAN 加拿大, MX MEX 墨西哥, PA PAN 巴拿马, HT HTI 海地, DO DOM 多米尼加, CU CUB 古巴",
    "南美洲": "AR ARG 阿根廷, BO BOL 玻利维亚, BR BRA 巴西, CL CHL 智利, CO COL 哥伦比亚, EC ECU 厄瓜多尔, "
    "PY PRY 巴拉圭, PE PER 秘鲁, UY URY 乌拉圭, VE VEN 委内瑞拉",
    "大洋洲": "AU AUS 澳大利亚, NZ NZL 新西兰",
}
COUNTRIES = tuple(
    Country(code, alpha3, name, continent)
    for continent, items in _COUNTRIES.items()
    for code, alpha3, name in (item.split() for item in items.split(", "))
)
CONTINENTS = {"亚洲": "142", "欧洲": "150", "非洲": "002", "北美洲": "003", "南美洲": "005", "大洋洲": "009"}
# Regions an anonymous delegation comes from (来自南亚的组织), by UN M49 code.
REGIONS = {"南亚": "034", "西非": "011", "南欧": "039", "东南亚": "035", "中美洲": "013"}


def _list(words: str) -> tuple[str, ...]:
    return tuple(words.split())


def _words(chinese: str, english: str) -> tuple[tuple[str, str], ...]:
    """Chinese words and their English, as pairs: ``"国际 世界", "International/World"``."""
    return tuple(zip(chinese.split(" "), english.split("/"), strict=True))


# Party names: a country, one or two adjectives and a noun (阿根廷革命共产党), the same with a
# qualifier (秘鲁共产党（马列）), or adjectives and a noun with no country in them (战斗团体).
# No adjective starts a noun and no two adjectives make a third, so every name is one party's.
ADJECTIVES = _list("革命 人民 统一 新 马列主义 毛主义 无产阶级 进步 联合 红色 团结 先锋 民族 爱国 真正 独立")
NATIONAL_NOUNS = _list("共产党 工人党 劳动党 共产主义工人党 社会主义党")
GROUP_NOUNS = _list("共产主义组织 共产主义者联盟 解放运动 战斗团体 爱国阵线 斗争同盟 共产主义小组 重建委员会")
QUALIFIERS = _list("马列 马列毛 毛主义 革命 重建 国际主义")
SCRAMBLE = 7919  # a prime that divides no capacity below: neighbouring numbers get unlike names


# Internationals: 国际 + ideology + aim + (people) + body, and the English words for each.
ORG_PARTS = (
    _words("国际 世界 全球", "International/World/Global"),
    _words(
        "共产主义 马列主义 工人 革命 社会主义 劳动者 左翼 毛主义 反帝",
        "Communist/Marxist–Leninist/Workers'/Revolutionary/Socialist/Toilers'/Left/Maoist/Anti-Imperialist",
    ),
    _words(
        "团结 统一 协调 合作 进步 和平 解放 复兴",
        "Unity/Union/Coordination/Cooperation/Progress/Peace/Liberation/Renewal",
    ),
    _words(" 人民 青年 民主 自由 独立", "/Peoples'/Youth/Democratic/Free/Independent"),
    _words(
        "联盟 同盟 会议 协调会 论坛 联合会 中心 委员会",
        "League/Alliance/Conference/Council/Forum/Federation/Centre/Committee",
    ),
)
CITIES = _list(
    "雅典 布鲁塞尔 基多 加拉加斯 里斯本 伊斯坦布尔 加德满都 马尼拉 墨西哥城 约翰内斯堡"
    " 柏林 罗马 马德里 哈瓦那 利马 蒙得维的亚 布宜诺斯艾利斯 汉堡 奥斯陆 巴黎"
)
IDEOLOGIES = _list("马克思列宁主义 共产主义 反修正主义 毛泽东思想 国际主义 社会主义")
OPPOSED = _list("修正主义 帝国主义 资本主义 法西斯主义 霸权主义")
PUBLICATIONS = _list("国际团结 团结和斗争 国际通讯 红色旗帜 人民之声 前进 斗争 新世界")

# The years rows state (conferences, joining, leaving): all within kg.resolve.SAME_NAME_YEARS (10)
# of each other, so that no row is too far in time from another of its party to merge by name.
FIRST_YEAR, LAST_YEAR = 2006, 2016
CORE, STRIDE, WINDOW = 40, 30, 90  # parties many articles share; each article's own window


@dataclass(frozen=True)
class Party:
    number: int
    name: str  # as most rows display it
    country: Country
    link: str | None  # the page title its rows link to; None when it has no article
    alias: str = ""  # another name some rows display for the same link


@dataclass(frozen=True)
class Row:
    """One party named in one table row."""

    party: Party
    shown: str  # the name this row displays
    stated: bool  # the row's country cell names the party's country (else it is empty)
    note: str = ""  # a bracketed note after the name: （东道主）, （2012年退出）


@dataclass(frozen=True)
class Conference:
    ordinal: int
    year: int
    month: int
    city: str
    rows: tuple[Row, ...]
    delegation: str = ""  # a region an anonymous delegation came from (来自南亚的组织)


@dataclass(frozen=True)
class Member:
    row: Row
    joined: int
    approximate: bool  # 2014年左右
    end: str = ""  # former members: "withdrew", "expelled" or "ceased"
    ended: int = 0


@dataclass(frozen=True)
class International:
    number: int
    name: str
    english: str
    abbreviation: str
    founded: tuple[int, int]  # year, month
    city: str
    ideologies: tuple[str, ...]
    opposes: tuple[str, ...]
    publication: str
    conferences: tuple[Conference, ...]  # in the order the article lists them
    members: tuple[tuple[str, tuple[Member, ...]], ...]  # by continent heading
    former: tuple[Member, ...]
    observers: tuple[Row, ...]
    series: bool  # conferences under == 历次会议 == (else a heading of their own each)
    rowspan: bool  # members in one table with rowspan continent cells (else a table per continent)


def _digits(value: int, radices: tuple[int, ...]) -> list[int]:
    """``value`` in mixed radix, least significant first."""
    digits = []
    for radix in radices:
        value, digit = divmod(value, radix)
        digits.append(digit)
    return digits


def _adjectives(pair: int) -> str:
    """One adjective, or two different ones: 256 pairs, each its own text."""
    first, second = divmod(pair, len(ADJECTIVES))
    return ADJECTIVES[first] + ("" if first == second else ADJECTIVES[second])


def _scrambled(index: int, capacity: int) -> int:
    if index >= capacity:
        raise ValueError(f"the party pool holds {capacity} names of this shape; ask for fewer megabytes")
    return index * SCRAMBLE % capacity


def party(number: int) -> Party:
    """Party ``number`` of the pool: the same party in every article that names it."""
    group, shape = divmod(number, 10)
    rng = random.Random(f"party {number}")
    pairs = len(ADJECTIVES) ** 2
    if shape < 4:  # 阿根廷革命共产党: the country in the name, linked or not
        radices: tuple[int, ...] = (len(COUNTRIES), pairs, len(NATIONAL_NOUNS))
        country, pair, noun = _digits(_scrambled(group * 4 + shape, _capacity(radices)), radices)
        base = _adjectives(pair) + NATIONAL_NOUNS[noun]
        name = COUNTRIES[country].name + base
        link = None if rng.random() < 0.3 else name if rng.random() < 0.9 else f"{name} ({rng.randint(1990, 2005)}年)"
        alias = base if link and rng.random() < 0.3 else ""
        return Party(number, name, COUNTRIES[country], link, alias)
    if shape < 6:  # 秘鲁共产党（马列）
        radices = (len(COUNTRIES), len(ADJECTIVES) + 1, len(NATIONAL_NOUNS), len(QUALIFIERS))
        country, adjective, noun, qualifier = _digits(_scrambled(group * 2 + shape - 4, _capacity(radices)), radices)
        words = ("", *ADJECTIVES)[adjective] + NATIONAL_NOUNS[noun]
        name = f"{COUNTRIES[country].name}{words}（{QUALIFIERS[qualifier]}）"
        return Party(number, name, COUNTRIES[country], name if rng.random() < 0.6 else None)
    # 战斗团体: no country in the name; linked, the page title says it: 战斗团体 (秘鲁)
    radices = (len(COUNTRIES), pairs, len(GROUP_NOUNS))
    country, pair, noun = _digits(_scrambled(group * 4 + shape - 6, _capacity(radices)), radices)
    name = _adjectives(pair) + GROUP_NOUNS[noun]
    link = f"{name} ({COUNTRIES[country].name})" if rng.random() < 0.5 else None
    return Party(number, name, COUNTRIES[country], link)


def _capacity(radices: tuple[int, ...]) -> int:
    total = 1
    for radix in radices:
        total *= radix
    return total


def _row(rng: random.Random, party: Party, note: str = "") -> Row:
    shown = party.alias if party.alias and rng.random() < 0.35 else party.name
    # Only a linked row may leave its country out, and only where the name or the link still
    # says it (an alias does not): it merges by its link, not by a name and a place.
    stated = party.link is None or shown == party.alias or rng.random() < 0.95
    return Row(party, shown, stated, note)


def _organisation_name(number: int) -> tuple[str, str, str]:
    """Name, English name and abbreviation, unlike every other international's."""
    radices = tuple(len(p) for p in ORG_PARTS)
    capacity = _capacity(radices)
    # Scrambled so that neighbours differ; past the capacity (10,368) names repeat, and the
    # abbreviation, which ends in the number, keeps the internationals apart.
    digits = _digits(number * SCRAMBLE % capacity, radices)
    words = [part[digit] for part, digit in zip(ORG_PARTS, digits, strict=True)]
    name = "".join(zh for zh, _ in words)
    english = " ".join(en for _, en in words if en)
    initials = "".join(word[0] for word in english.replace("–", " ").split())
    return name, english, f"{initials}{number}"


def international(number: int) -> International:
    """International ``number``, with its conferences and members, drawn from the party pool."""
    rng = random.Random(f"international {number}")
    name, english, abbreviation = _organisation_name(number)
    window = [CORE + number * STRIDE + k for k in range(WINDOW)]
    pool = [party(n) for n in rng.sample(window, 50) + rng.sample(range(CORE), 10)]
    conferences = _conferences(rng, pool)
    members = rng.sample(pool, rng.randint(25, 45))
    rest = [p for p in pool if p not in members]
    former = rest[: rng.randint(2, 5)]
    observers = rest[len(former) : len(former) + rng.choice((0, 0, 2, 3))]
    by_continent = {
        continent: tuple(_member(rng, p) for p in members if p.country.continent == continent)
        for continent in CONTINENTS
    }
    return International(
        number=number,
        name=name,
        english=english,
        abbreviation=abbreviation,
        founded=(rng.randint(1990, FIRST_YEAR - 1), rng.randint(1, 12)),
        city=rng.choice(CITIES),
        ideologies=tuple(rng.sample(IDEOLOGIES, 2)),
        opposes=tuple(rng.sample(OPPOSED, 2)),
        publication=rng.choice(PUBLICATIONS),
        conferences=conferences,
        members=tuple((c, rows) for c, rows in by_continent.items() if rows),
        former=tuple(_former(rng, p) for p in former),
        observers=tuple(_row(rng, p) for p in observers),
        series=rng.random() < 0.5,
        rowspan=rng.random() < 0.5,
    )


def _conferences(rng: random.Random, pool: list[Party]) -> tuple[Conference, ...]:
    count = rng.randint(5, 9)
    years = sorted(rng.sample(range(FIRST_YEAR, LAST_YEAR + 1), count))
    first = rng.randint(1, 6)
    conferences = []
    for ordinal, year in enumerate(years, start=first):
        attendees = rng.sample(pool, rng.randint(15, 28))
        host = rng.randrange(len(attendees)) if rng.random() < 0.3 else -1
        rows = tuple(_row(rng, p, "（东道主）" if i == host else "") for i, p in enumerate(attendees))
        delegation = rng.choice(list(REGIONS)) if rng.random() < 0.25 else ""
        conferences.append(Conference(ordinal, year, rng.randint(1, 12), rng.choice(CITIES), rows, delegation))
    return tuple(reversed(conferences) if rng.random() < 0.5 else conferences)  # newest first, as icmlpo.wiki


def _member(rng: random.Random, party: Party) -> Member:
    return Member(_row(rng, party), rng.randint(FIRST_YEAR, LAST_YEAR), rng.random() < 0.1)


END_NOTES = {"withdrew": "退出", "expelled": "被开除", "ceased": "停止活动"}


def _former(rng: random.Random, party: Party) -> Member:
    joined = rng.randint(FIRST_YEAR, LAST_YEAR - 2)
    end, ended = rng.choice(list(END_NOTES)), rng.randint(joined + 1, LAST_YEAR)
    return Member(_row(rng, party, f"（{ended}年{END_NOTES[end]}）"), joined, False, end, ended)


_NUMERALS = "零一二三四五六七八九"


def chinese(number: int) -> str:
    """1-99 in Chinese numerals: 十, 十一, 二十三."""
    tens, ones = divmod(number, 10)
    return ("" if tens == 0 else "十" if tens == 1 else _NUMERALS[tens] + "十") + (_NUMERALS[ones] if ones else "")


def _heading(conference: Conference, with_city: bool) -> str:
    where = f"，{conference.city}" if with_city else ""
    return f"第{chinese(conference.ordinal)}次会议（{conference.year}年{where}）"


def _held(conference: Conference, city: str) -> str:
    parties = len(conference.rows) + bool(conference.delegation)
    return f"第{chinese(conference.ordinal)}次会议于{conference.year}年{conference.month}月在{city}举行，共有{parties}个政党和组织出席。"


def _joined(member: Member, rng: random.Random) -> str:
    if member.approximate:
        return f"{member.joined}年左右"
    return f"{member.joined}年" if rng.random() < 0.8 else str(member.joined)


HISTORY = (
    "该组织成立之初只有少数几个成员党，此后逐步吸收了来自各大洲的政党和组织。",
    "成员党之间就国际形势、反对帝国主义战争和支持工人运动等问题交换意见，并发表联合声明。",
    "该组织不设常设领导机构，日常工作由各成员党代表组成的协调委员会负责，协调委员会每年开会一次。",
    "部分成员党因政治路线分歧先后退出，也有一些政党因违反共同纲领被开除。",
)


class _Wikitext:
    """An article as raw MediaWiki wikitext, shaped like seeds/icmlpo.wiki."""

    def __init__(self, org: International) -> None:
        self.org = org
        self.rng = random.Random(f"wikitext {org.number}")
        self.lines: list[str] = []

    def text(self) -> str:
        org = self.org
        year, month = org.founded
        self.lines += [
            "{{Infobox organization",
            f"| name           = {org.name}",
            f"| abbreviation   = {org.abbreviation}",
            f"| formation      = {{{{start date and age|{year}|{month}}}}}",
            "| type           = [[政党国际]]",
            f"| purpose        = {'<br />'.join(f'[[{i}]]' for i in org.ideologies)}",
            f"| headquarters   = [[{org.city}]]",
            f"| website        = {{{{URL|https://www.{org.abbreviation.lower()}.org}}}}",
            "}}",
            f"'''{org.name}'''（{{{{lang-en|{org.english}}}}}，缩写为'''{org.abbreviation}'''）是一个由多个共产主义政党和组织"
            f"组成的[[国际政党组织]]，{year}年{month}月在[[{org.city}]]成立。<ref>《{org.publication}》创刊号，{year + 1}年。</ref>",
            "",
            f"该组织奉行{'和'.join(f'[[{i}]]' for i in org.ideologies)}，反对{'和'.join(f'[[{o}]]' for o in org.opposes)}，"
            f"出版刊物《{org.publication}》。",
            "",
            "== 历史 ==",
            "".join(self.rng.sample(HISTORY, 3)),
            "",
        ]
        self._conferences()
        self._members()
        self._table_section("前成员", [m.row for m in org.former], [str(m.joined) + "年" for m in org.former])
        if org.observers:
            self._table_section("观察员", list(org.observers), None)
        self.lines += ["== 参见 ==", "* [[左翼国际政党组织列表]]", "", "== 参考资料 ==", "{{reflist}}", ""]
        self.lines += ["[[Category:政党国际]]", "[[Category:共产主义组织]]", f"[[Category:{year}年建立的组织]]", ""]
        return "\n".join(self.lines)

    def _party(self, row: Row) -> str:
        link = row.party.link
        if link is None:
            text = row.shown
        elif link == row.shown and self.rng.random() < 0.5:
            text = f"[[{link}]]"
        else:
            text = f"[[{link.replace(' ', '_')}|{row.shown}]]"
        return text + row.note

    def _country(self, row: Row) -> str:
        if not row.stated:
            return ""
        country = row.party.country
        forms = (f"{{{{flag|{country.name}}}}}", f"{{{{{country.alpha3}}}}}", f"[[{country.name}]]")
        return self.rng.choices(forms, (4, 4, 2))[0]

    def _cells(self, cells: list[str]) -> None:
        pad = " " * self.rng.randint(1, 4)
        self.lines += ["|-", f"|{pad}" + f"{pad}||{pad}".join(cells)]

    def _table(self, header: list[str]) -> None:
        self.lines += ['{| class="wikitable"', "|-", "! " + " !! ".join(header)]

    def _attendance(self, conference: Conference) -> None:
        self._table(["国家或地区", "政党或组织"])
        for row in conference.rows:
            self._cells([self._country(row), self._party(row)])
        if conference.delegation:
            self._cells([f"[[{conference.delegation}]]", f"来自{conference.delegation}的组织"])
        self.lines += ["|}", ""]

    def _conferences(self) -> None:
        if self.org.series:
            self.lines += ["== 历次会议 ==", ""]
        for conference in self.org.conferences:
            if self.org.series:
                self.lines += [f"=== {_heading(conference, False)} ===", _held(conference, f"[[{conference.city}]]")]
            else:
                self.lines.append(f"== {_heading(conference, self.rng.random() < 0.3)}参加者 ==")
            self._attendance(conference)

    def _members(self) -> None:
        self.lines += ["== 成员 ==", ""]
        if self.org.rowspan:
            self._table(["大洲", "国家或地区", "政党或组织", "加入时间"])
            for continent, members in self.org.members:
                for i, member in enumerate(members):
                    cells = [self._country(member.row), self._party(member.row), _joined(member, self.rng)]
                    if i == 0:
                        span = f'rowspan="{len(members)}" | ' if len(members) > 1 else ""
                        cells.insert(0, f"{span}[[{continent}]]")
                    self._cells(cells)
            self.lines += ["|}", ""]
            return
        for continent, members in self.org.members:
            self.lines.append(f"=== {continent} ===")
            self._table(["国家", "政党或组织", "加入年份"])
            for member in members:
                self._cells([self._country(member.row), self._party(member.row), _joined(member, self.rng)])
            self.lines += ["|}", ""]

    def _table_section(self, heading: str, rows: list[Row], years: list[str] | None) -> None:
        self.lines += [f"== {heading} ==", ""]
        self._table(["国家或地区", "政党或组织", *(["加入时间"] if years else [])])
        for i, row in enumerate(rows):
            self._cells([self._country(row), self._party(row), *([years[i]] if years else [])])
        self.lines += ["|}", ""]


class _Markdown:
    """An article as pandoc Markdown with HTML tables, shaped like seeds/cipoml.md."""

    def __init__(self, org: International) -> None:
        self.org = org
        self.rng = random.Random(f"markdown {org.number}")
        self.lines: list[str] = []
        self.parity = 0

    def _page(self, title: str, text: str, html: bool) -> str:
        """A wiki link as pandoc writes it: to zh.wikipedia.org, or to a converted page."""
        target = title.replace(" ", "_")
        href = f"https://zh.wikipedia.org/wiki/{target}" if self.rng.random() < 0.5 else f"../Page/{target}.md"
        return f'<a href="{href}" title="wikilink">{text}</a>' if html else f'[{text}]({href} "wikilink")'

    def text(self) -> str:
        org = self.org
        year, month = org.founded
        ideologies = "和".join(self._page(i, i, False) for i in org.ideologies)
        opposes = "和".join(self._page(o, o, False) for o in org.opposes)
        self.lines += [
            f"**{org.name}**（，缩写为{org.abbreviation}）是一个由多个共产主义政党和组织组成的"
            f"{self._page('国际政党组织', '国际政党组织', False)}，{year}年{month}月在{self._page(org.city, org.city, False)}成立。\\[1\\]",
            "",
            f"该组织奉行{ideologies}，反对{opposes}，出版刊物《{org.publication}》。",
            "",
            "## 历史",
            "",
            "".join(self.rng.sample(HISTORY, 3)),
            "",
        ]
        self._conferences()
        self._members()
        self._table_section("前成员", [m.row for m in org.former], [f"{m.joined}年" for m in org.former])
        if org.observers:
            self._table_section("观察员", list(org.observers), None)
        self.lines += ["## 参见", "", f"  - {self._page('左翼国际政党组织列表', '左翼国际政党组织列表', False)}", ""]
        self.lines += ["## 参考资料", ""]
        for category in ("政党国际", "共产主义组织", f"{year}年建立的组织"):
            self.lines.append(f'[Category:{category}](https://zh.wikipedia.org/wiki/Category:{category} "wikilink")')
        self.lines += ["", f"1.  《{org.publication}》创刊号，{year + 1}年。", ""]
        return "\n".join(self.lines)

    def _party(self, row: Row) -> str:
        link = row.party.link
        return (row.shown if link is None else self._page(link, row.shown, True)) + row.note

    def _country(self, row: Row) -> str:
        if not row.stated:
            return ""
        name = row.party.country.name
        return self._page(name, name, True) if self.rng.random() < 0.4 else name

    def _table(self, header: list[str]) -> None:
        self.lines += ["<table>", "<thead>", '<tr class="header">']
        self.lines += [f"<th><p>{cell}</p></th>" for cell in header]
        self.lines += ["</tr>", "</thead>", "<tbody>"]
        self.parity = 0

    def _cells(self, cells: list[str], rowspan: int = 0) -> None:
        self.lines.append(f'<tr class="{("odd", "even")[self.parity]}">')
        self.parity ^= 1
        for i, cell in enumerate(cells):
            span = f' rowspan="{rowspan}"' if i == 0 and rowspan > 1 else ""
            self.lines.append(f"<td{span}><p>{cell}</p></td>" if cell else f"<td{span}></td>")
        self.lines.append("</tr>")

    def _end_table(self) -> None:
        self.lines += ["</tbody>", "</table>", ""]

    def _attendance(self, conference: Conference) -> None:
        self._table(["国家或地区", "政党或组织"])
        for row in conference.rows:
            self._cells([self._country(row), self._party(row)])
        if conference.delegation:
            region = conference.delegation
            self._cells([self._page(region, region, True), f"来自{region}的组织"])
        self._end_table()

    def _conferences(self) -> None:
        if self.org.series:
            self.lines += ["## 历次会议", ""]
        for conference in self.org.conferences:
            if self.org.series:
                city = self._page(conference.city, conference.city, False)
                self.lines += [f"### {_heading(conference, False)}", "", _held(conference, city), ""]
            else:
                self.lines += [f"## {_heading(conference, self.rng.random() < 0.3)}参加者", ""]
            self._attendance(conference)

    def _members(self) -> None:
        self.lines += ["## 成员", ""]
        if self.org.rowspan:
            self._table(["大洲", "国家或地区", "政党或组织", "加入时间"])
            for continent, members in self.org.members:
                for i, member in enumerate(members):
                    cells = [self._country(member.row), self._party(member.row), _joined(member, self.rng)]
                    if i == 0:
                        self._cells([self._page(continent, continent, True), *cells], len(members))
                    else:
                        self._cells(cells)
            self._end_table()
            return
        for continent, members in self.org.members:
            self.lines += [f"### {continent}", ""]
            self._table(["国家", "政党或组织", "加入年份"])
            for member in members:
                self._cells([self._country(member.row), self._party(member.row), _joined(member, self.rng)])
            self._end_table()

    def _table_section(self, heading: str, rows: list[Row], years: list[str] | None) -> None:
        self.lines += [f"## {heading}", ""]
        self._table(["国家或地区", "政党或组织", *(["加入时间"] if years else [])])
        for i, row in enumerate(rows):
            self._cells([self._country(row), self._party(row), *([years[i]] if years else [])])
        self._end_table()


def wikitext(org: International) -> str:
    return _Wikitext(org).text()


def markdown(org: International) -> str:
    return _Markdown(org).text()


def generate(megabytes: float, out: Path) -> list[Path]:
    """Article files totalling about ``megabytes`` MB in ``out``, half of the bytes in each
    format: each article is written in whichever format has fewer bytes so far."""
    out.mkdir(parents=True, exist_ok=True)
    sizes = {"wiki": 0, "md": 0}
    written, number = [], 0
    while sum(sizes.values()) < megabytes * MEGABYTE or number < 2:
        org = international(number)
        suffix = min(sizes, key=lambda s: (sizes[s], s != "wiki"))
        data = (wikitext(org) if suffix == "wiki" else markdown(org)).encode("utf-8")
        path = out / f"{number:05d}-{org.abbreviation.lower()}.{suffix}"
        path.write_bytes(data)
        sizes[suffix] += len(data)
        written.append(path)
        number += 1
    return written


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    megabytes, out = float(sys.argv[1]), Path(sys.argv[2])
    files = generate(megabytes, out)
    total = sum(p.stat().st_size for p in files)
    print(f"{len(files)} articles, {total / MEGABYTE:.2f} MB → {out}")


if __name__ == "__main__":
    main()
