"""Drawing the pictures of kg.plot: an attendance heatmap, a membership timeline and a party network.

The data comes from SPARQL SELECT queries (the module constants below) run through the
:class:`~kg.store.Store` interface, with the international bound as an RDF term, never pasted
into the text. The pictures are drawn with matplotlib's object-oriented API on an Agg canvas
(a :class:`~matplotlib.figure.Figure` of our own, never pyplot's global figures), so drawing is
safe inside a server process; a lock serialises drawing, since matplotlib's settings
(``rcParams``, read while drawing) and its font cache are shared by the whole process.

The output is deterministic: the same store gives byte-identical SVG and PNG. Every row is
sorted before it is drawn, figure sizes are multiples of a quarter inch (so the pixel size is
exact at 100 dpi), SVG ids are hashed with a fixed salt (``svg.hashsalt``) and neither format
records a date or the software's version.

Fonts. The labels are Chinese. Any installed font with CJK glyphs that matplotlib's font
manager knows is put first in the font list; the list also names the common CJK families of
browsers' systems (Noto Sans CJK SC, PingFang SC, Microsoft YaHei, …). SVG keeps text as text
(``svg.fonttype = "none"``): the file stays small and searchable, and the browser draws the
Chinese with whatever CJK font it has. PNG is drawn here: without a CJK font (the development
container has only DejaVu and Liberation, ``fc-list :lang=zh`` lists nothing) the characters
come out as matplotlib's Last Resort placeholder boxes; the picture is still made, and the
"Glyph … missing from font" warnings matplotlib gives for each character are silenced while
drawing. No font is downloaded: install one (Debian: fonts-noto-cjk) to get readable PNGs.
"""

from __future__ import annotations

import io
import math
import re
import threading
import unicodedata
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache, partial
from typing import Any
from urllib.parse import unquote

import matplotlib
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import MaxNLocator
from matplotlib.typing import RcKeyType
from rdflib import URIRef
from rdflib.term import Identifier

from kg.errors import UsageError
from kg.lexicon import lexicon
from kg.query import RESOLVERS
from kg.store import Result, Store
from kg.vocab import role_term

DPI = 100  # PNG pixels per inch; every size is a multiple of 1/4 inch, so pixel sizes are exact
ROW_INCHES = 0.25  # one heatmap or timeline row
HEATMAP_TOP = 1.0  # title and conference labels
HEATMAP_BOTTOM = 0.25
TIMELINE_TOP = 0.75
TIMELINE_BOTTOM = 0.75  # the year axis
MAX_ROWS = 300  # parties (heatmap, network) or memberships (timeline) drawn at most
MAX_LABEL = 30  # characters of a label drawn at most
FONT_POINTS = 9.0
TITLE_POINTS = 11.0
_SALT = "kg.plot"

# CJK families a browser's system may have (Linux, macOS, Windows); SVG text names them, and
# matplotlib draws with any of them that is installed here.
BROWSER_CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei")
_PALETTE = ("#3b6ea8", "#e08a2c", "#5a9e4b", "#b04a5a", "#7b5ea7", "#3fa3a3", "#a67c52", "#c9b22e")
_GREY = "#8c8c8c"  # a role outside the lexicon; a faded bar's legend
_FILL = "#3b6ea8"
_LOCK = threading.Lock()

_PREFIXES = """\
PREFIX kgo: <https://kg.example.org/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX time: <http://www.w3.org/2006/time#>
"""

# Each query projects ?international, so that Oxigraph can bind it. An attendee without a
# zh-Hans name (a delegation: 来自南亚的组织) is called what the attendance table lists it as.
INTERNATIONALS = (
    _PREFIXES
    + """
SELECT ?international ?abbreviation ?label WHERE {
  ?international a kgo:International .
  OPTIONAL { ?international kgo:abbreviation ?abbreviation }
  OPTIONAL { ?international skos:prefLabel ?label . FILTER (langMatches(lang(?label), "zh-Hans")) }
}
"""
)

CONFERENCES = (
    _PREFIXES
    + """
SELECT ?conference ?ordinal ?date ?name ?international WHERE {
  ?conference a kgo:Conference ; schema:organizer ?international .
  OPTIONAL { ?conference kgo:ordinal ?ordinal }
  OPTIONAL { ?conference schema:startDate ?date }
  OPTIONAL { ?conference schema:name ?name }
}
"""
)

ATTENDANCE = (
    _PREFIXES
    + """
SELECT DISTINCT ?party ?label ?conference ?international WHERE {
  ?conference a kgo:Conference ; schema:organizer ?international .
  ?attendance kgo:conference ?conference ; schema:attendee ?party .
  OPTIONAL { ?party skos:prefLabel ?name . FILTER (langMatches(lang(?name), "zh-Hans")) }
  OPTIONAL { ?attendance kgo:listedAs ?listed }
  BIND (COALESCE(?name, STR(?listed)) AS ?label)
}
"""
)

MEMBERSHIPS = (
    _PREFIXES
    + """
SELECT ?membership ?party ?label ?role ?joined ?left ?international WHERE {
  ?membership a org:Membership ; org:organization ?international ; org:member ?party .
  OPTIONAL { ?membership org:role ?role }
  OPTIONAL { ?party skos:prefLabel ?label . FILTER (langMatches(lang(?label), "zh-Hans")) }
  OPTIONAL { ?membership org:memberDuring/time:hasBeginning/time:inXSDgYear ?joined }
  OPTIONAL { ?membership org:memberDuring/time:hasEnd/time:inXSDgYear ?left }
}
"""
)

TIES = (
    _PREFIXES
    + """
SELECT DISTINCT ?party ?label ?international WHERE {
  { ?membership org:member ?party ; org:organization ?international . }
  UNION
  { ?attendance schema:attendee ?party ; kgo:conference/schema:organizer ?international . }
  ?party a kgo:Party .
  OPTIONAL { ?party skos:prefLabel ?label . FILTER (langMatches(lang(?label), "zh-Hans")) }
}
"""
)

Row = dict[str, str]
Point = tuple[float, float]
Box = tuple[float, float, float, float]  # x0, y0, x1, y1


# ---------------------------------------------------------------- the entry point


def draw(store: Store, name: str, fmt: str, international: str | None = None) -> bytes:
    """The picture ``name`` (checked by kg.plot) as ``fmt`` bytes; the data is read first, then
    drawn under a lock."""
    picture = _PREPARE[name](store, international)
    with _LOCK, warnings.catch_warnings(), matplotlib.rc_context(_settings(fmt)):
        # Without a CJK font, matplotlib warns for each missing character every time it draws.
        # (catch_warnings swaps the process's filters: another thread's warnings raised while
        # a picture is drawn are filtered the same way, which only silences this message.)
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font", category=UserWarning)
        return _save(picture(), fmt)


def _settings(fmt: str) -> dict[RcKeyType, Any]:
    """matplotlib settings of every picture: fonts that have Chinese, text kept as SVG text,
    fixed SVG ids. An SVG names the browsers' CJK families only, never this machine's fonts,
    so it is the same file wherever it is drawn; a PNG is drawn with an installed one."""
    installed = installed_cjk_fonts() if fmt == "png" else []
    return {
        "font.family": "sans-serif",
        "font.sans-serif": [*installed, *BROWSER_CJK_FONTS, "DejaVu Sans"],
        "font.size": FONT_POINTS,
        "svg.fonttype": "none",
        "svg.hashsalt": _SALT,
        "axes.unicode_minus": False,
    }


def _save(fig: Figure, fmt: str) -> bytes:
    """The figure's bytes, with no date (SVG) and no software version (PNG) recorded."""
    buffer = io.BytesIO()
    metadata: dict[str, str | None] = {"Date": None} if fmt == "svg" else {"Software": None}
    fig.savefig(buffer, format=fmt, dpi=DPI, metadata=metadata)
    return buffer.getvalue()


@cache
def installed_cjk_fonts() -> tuple[str, ...]:
    """The families matplotlib can find here that have Chinese glyphs (empty: none is
    installed), found once per process by asking each font for 中, 国 and 党: three glyphs, not
    one placeholder for every character (Last Resort)."""
    found: set[str] = set()
    for entry in sorted(font_manager.fontManager.ttflist, key=lambda e: (e.name, str(e.fname))):
        try:
            font = font_manager.get_font(entry.fname)
        except (OSError, RuntimeError, ValueError):
            continue
        glyphs = {font.get_char_index(ord(c)) for c in "中国党"}
        if 0 not in glyphs and len(glyphs) == 3:  # Last Resort draws all three with one glyph
            found.add(entry.name)
    preferred = {name: rank for rank, name in enumerate(BROWSER_CJK_FONTS)}
    return tuple(sorted(found, key=lambda name: (preferred.get(name, len(preferred)), name)))


# ---------------------------------------------------------------- reading the graph


def _select(store: Store, text: str, bindings: Mapping[str, Identifier]) -> list[Row]:
    """A SELECT query's rows as text, unbound variables left out."""
    answer = store.query(text, bindings)
    if not isinstance(answer, Result):
        raise TypeError("a plot's query must be a SELECT query")
    return [{c: str(t) for c, t in zip(answer.columns, row, strict=True) if t is not None} for row in answer.rows]


def _first(rows: Iterable[Row], key: str, value: str) -> dict[str, str]:
    """For each ``key``, the least of its ``value``s: a term with several labels gets one, the
    same whichever order the engine gives the rows in."""
    found: dict[str, str] = {}
    for row in rows:
        if value in row and (row[key] not in found or row[value] < found[row[key]]):
            found[row[key]] = row[value]
    return found


def _tail(iri: str) -> str:
    """A readable stand-in for a missing label: the IRI's last path segment."""
    return unquote(iri.rstrip("/").rsplit("/", 1)[-1])


def _year(text: str | None) -> int | None:
    """The year a gYear, date or gYearMonth starts with."""
    match = re.match(r"-?\d{4,}", text or "")
    return int(match[0]) if match else None


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def _international_names(store: Store) -> dict[str, str]:
    """Each international's short name: its abbreviation, else its zh-Hans name."""
    rows = _select(store, INTERNATIONALS, {})
    abbreviations, labels = _first(rows, "international", "abbreviation"), _first(rows, "international", "label")
    return {
        row["international"]: abbreviations.get(row["international"])
        or labels.get(row["international"])
        or _tail(row["international"])
        for row in rows
    }


def _international(store: Store, value: str | None, name: str) -> tuple[URIRef, str]:
    """The international a plot is of, and its short name; none or an unknown one is an error."""
    if not value:
        raise UsageError(f"the {name} plot needs an international: its IRI (or abbreviation)")
    iri = RESOLVERS["international"](store, "international", value)
    return URIRef(str(iri)), _international_names(store).get(str(iri), _tail(str(iri)))


def _cut(shown: int, total: int, what: str) -> str:
    return f"first {shown} of {total} {what}" if shown < total else f"{total} {what}"


# ---------------------------------------------------------------- attendance heatmap


@dataclass(frozen=True)
class Conference:
    iri: str
    year: int | None
    ordinal: int | None
    name: str

    def label(self) -> str:
        """第N次 YYYY, or what of it is known."""
        year = "" if self.year is None else str(self.year)
        if self.ordinal is None:
            return year or _short(self.name or _tail(self.iri))
        return f"第{self.ordinal}次 {year}".strip()

    def key(self) -> tuple[int, int, str]:
        """Chronological order; undated conferences last."""
        return (self.year if self.year is not None else 1 << 30, self.ordinal or 0, self.iri)


@dataclass(frozen=True)
class Heatmap:
    title: str
    parties: list[str]
    conferences: list[str]
    cells: list[tuple[int, int]]  # (row, column) of each attendance


def _conferences(store: Store, bindings: Mapping[str, Identifier]) -> list[Conference]:
    rows = _select(store, CONFERENCES, bindings)
    ordinals, dates, names = (_first(rows, "conference", v) for v in ("ordinal", "date", "name"))
    iris = sorted({row["conference"] for row in rows})
    found = [
        Conference(iri, _year(dates.get(iri)), int(ordinals[iri]) if iri in ordinals else None, names.get(iri, ""))
        for iri in iris
    ]
    return sorted(found, key=Conference.key)


def heatmap_data(store: Store, international: str | None) -> Heatmap:
    """Parties (most conferences first, then by name) × conferences (in the order held)."""
    iri, short = _international(store, international, "attendance-heatmap")
    bindings = {"international": iri}
    conferences = _conferences(store, bindings)
    rows = _select(store, ATTENDANCE, bindings)
    if not rows:
        held = f"its {len(conferences)} conferences record no attendance" if conferences else "it has no conferences"
        raise UsageError(f"no attendance heatmap for {short}: {held} in the graph")
    labels = _first(rows, "party", "label")
    pairs = {(row["party"], row["conference"]) for row in rows}
    counts = Counter(party for party, _ in pairs)
    order = sorted(counts, key=lambda p: (-counts[p], labels.get(p, _tail(p)), p))[:MAX_ROWS]
    row_of = {party: i for i, party in enumerate(order)}
    column_of = {c.iri: j for j, c in enumerate(conferences)}
    cells = sorted((row_of[p], column_of[c]) for p, c in pairs if p in row_of)
    title = (
        f"{short}: conference attendance ({_cut(len(order), len(counts), 'parties')} × {len(conferences)} conferences)"
    )
    return Heatmap(title, [_short(labels.get(p, _tail(p))) for p in order], [c.label() for c in conferences], cells)


def _draw_heatmap(data: Heatmap) -> Figure:
    column = _quarter(max(0.75, max(_text_inches(c) for c in data.conferences) + 0.15))
    left = _label_margin(data.parties)
    margins = (left, 0.5, HEATMAP_TOP, HEATMAP_BOTTOM)
    fig, ax = _figure(left + column * len(data.conferences) + 0.5, len(data.parties), margins, data.title)
    cells = [Rectangle((j - 0.4, i - 0.4), 0.8, 0.8) for i, j in data.cells]
    ax.add_collection(PatchCollection(cells, facecolors=_FILL, edgecolors="none", gid="attended"))
    ax.set_xlim(-0.5, len(data.conferences) - 0.5)
    ax.set_ylim(len(data.parties) - 0.5, -0.5)
    ax.xaxis.tick_top()
    ax.set_xticks(range(len(data.conferences)), data.conferences)
    ax.set_yticks(range(len(data.parties)), data.parties)
    _cell_grid(ax, len(data.conferences), len(data.parties))
    return fig


def _cell_grid(ax: Axes, columns: int, rows: int) -> None:
    """Thin lines between the cells, so an empty cell still reads as a cell: one collection of
    lines, since a minor tick per line costs more than drawing the cells."""
    lines = [[(j - 0.5, -0.5), (j - 0.5, rows - 0.5)] for j in range(columns + 1)]
    lines += [[(-0.5, i - 0.5), (columns - 0.5, i - 0.5)] for i in range(rows + 1)]
    ax.add_collection(LineCollection(lines, colors="#dddddd", linewidths=0.6, zorder=0.5, gid="grid"))
    ax.tick_params(length=0)


# ---------------------------------------------------------------- membership timeline


@dataclass(frozen=True)
class Bar:
    label: str
    role: str  # a role id of kg/lexicon/roles.toml, or ''
    joined: int | None
    left: int | None


@dataclass(frozen=True)
class Timeline:
    title: str
    bars: list[Bar]
    first: int
    last: int


def _role_ids() -> dict[str, str]:
    return {str(role_term(role.id)): role.id for role in lexicon().roles}


def _bars(rows: list[Row]) -> list[Bar]:
    """One bar per membership (a membership with several rows gets its least label and role,
    its earliest join and latest leave year), ordered by join year (unknown last), then name."""
    by_membership: defaultdict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_membership[row["membership"]].append(row)
    roles = _role_ids()
    bars = []
    for membership, group in sorted(by_membership.items()):
        labels = sorted(row["label"] for row in group if "label" in row) or [_tail(group[0]["party"])]
        role = min((roles.get(row["role"], "") for row in group if "role" in row), default="")
        joined = min((y for row in group if (y := _year(row.get("joined"))) is not None), default=None)
        left = max((y for row in group if (y := _year(row.get("left"))) is not None), default=None)
        bars.append((Bar(_short(labels[0]), role, joined, left), membership))
    bars.sort(key=lambda item: (item[0].joined is None, item[0].joined or 0, item[0].label, item[1]))
    return [bar for bar, _ in bars]


def timeline_data(store: Store, international: str | None) -> Timeline:
    """The memberships with a join or leave year; those with neither cannot be placed."""
    iri, short = _international(store, international, "membership-timeline")
    every = _bars(_select(store, MEMBERSHIPS, {"international": iri}))
    dated = [bar for bar in every if bar.joined is not None or bar.left is not None]
    if not dated:
        held = f"none of its {len(every)} memberships states a year" if every else "it has no memberships"
        raise UsageError(f"no membership timeline for {short}: {held} in the graph")
    years = [y for bar in dated for y in (bar.joined, bar.left) if y is not None]
    shown = dated[:MAX_ROWS]
    undated = f"; {len(every) - len(dated)} without a year not drawn" if len(dated) < len(every) else ""
    title = f"{short}: membership timeline ({_cut(len(shown), len(dated), 'memberships')}{undated})"
    return Timeline(title, shown, min(years), max(years))


def _role_colour(role: str) -> str:
    ids = [r.id for r in lexicon().roles]
    return _PALETTE[ids.index(role) % len(_PALETTE)] if role in ids else _GREY


def _draw_timeline(data: Timeline) -> Figure:
    left = _label_margin([bar.label for bar in data.bars])
    width = left + max(6.0, 0.25 * (data.last - data.first + 3)) + 2.25
    fig, ax = _figure(width, len(data.bars), (left, 2.25, TIMELINE_TOP, TIMELINE_BOTTOM), data.title)
    rects, colours, open_ended = [], [], []
    for i, bar in enumerate(data.bars):
        start = bar.joined if bar.joined is not None else data.first
        end = max(start, bar.left if bar.left is not None else data.last) + 1
        rects.append(Rectangle((start, i - 0.35), end - start, 0.7))
        colours.append(_role_colour(bar.role) + ("ff" if bar.joined is not None else "55"))
        if bar.left is None:
            open_ended.append((end, i))
    ax.add_collection(PatchCollection(rects, facecolors=colours, edgecolors="none", gid="memberships"))
    if open_ended:
        xs, ys = zip(*open_ended, strict=True)
        ax.plot(xs, ys, linestyle="none", marker=">", markersize=5, color="#333333", gid="open-ended")
    ax.set_xlim(data.first - 0.5, data.last + 1.5)
    ax.set_ylim(len(data.bars) - 0.5, -0.5)
    ax.set_yticks(range(len(data.bars)), [bar.label for bar in data.bars])
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(axis="y", length=0)
    ax.legend(handles=_timeline_legend(data), loc="upper left", bbox_to_anchor=(1.02, 1), frameon=False)
    return fig


def _timeline_legend(data: Timeline) -> list[Patch | Line2D]:
    """The roles drawn, in the lexicon's order, and the two marks of a bar with a year unknown."""
    drawn = {bar.role for bar in data.bars}
    handles: list[Patch | Line2D] = [
        Patch(facecolor=_role_colour(role.id), label=role.en) for role in lexicon().roles if role.id in drawn
    ]
    if any(bar.joined is None for bar in data.bars):
        handles.append(Patch(facecolor=_GREY + "55", label="join year not stated"))
    if any(bar.left is None for bar in data.bars):
        handles.append(Line2D([], [], linestyle="none", marker=">", color="#333333", label="no leave year stated"))
    return handles


# ---------------------------------------------------------------- party network

INCHES_PER_UNIT = 3.0  # the network's scale: the circle of internationals has radius 1 (or more)
NETWORK_ROW = 0.25  # inches between the labels of a column of parties
NETWORK_TOP = 0.5


@dataclass(frozen=True)
class Network:
    title: str
    internationals: list[tuple[str, str]]  # (IRI, short name), in the circle's order
    parties: list[tuple[str, tuple[str, ...]]]  # (label, IRIs of its internationals)


def network_data(store: Store, international: str | None = None) -> Network:
    """Every international, and each party tied to two or more of them (most ties first)."""
    names = _international_names(store)
    rows = _select(store, TIES, {})
    labels = _first(rows, "party", "label")
    ties: defaultdict[str, set[str]] = defaultdict(set)
    for row in rows:
        ties[row["party"]].add(row["international"])
    shared = sorted(
        (party for party, those in ties.items() if len(those) > 1),
        key=lambda p: (-len(ties[p]), labels.get(p, _tail(p)), p),
    )
    if not names:
        raise UsageError("no party network: the graph has no internationals")
    circle = sorted(names.items(), key=lambda item: (item[1], item[0]))
    shown = [(_short(labels.get(p, _tail(p))), tuple(sorted(ties[p]))) for p in shared[:MAX_ROWS]]
    title = (
        f"Parties in several internationals ({_cut(len(shown), len(shared), 'parties')}, {len(names)} internationals)"
    )
    return Network(title, circle, shown)


def _columns(data: Network) -> dict[tuple[str, ...], list[int]]:
    """The parties (by index) of each set of internationals: one column of labels each."""
    groups: defaultdict[tuple[str, ...], list[int]] = defaultdict(list)
    for index, (_, those) in enumerate(data.parties):
        groups[those].append(index)
    return dict(groups)


def _circle(data: Network, groups: dict[tuple[str, ...], list[int]]) -> dict[str, Point]:
    """The internationals on a circle, from the top clockwise, wide enough for the longest column."""
    tallest = max((len(members) for members in groups.values()), default=0) * NETWORK_ROW / INCHES_PER_UNIT
    radius = max(1.0, 0.6 * tallest)
    count = len(data.internationals)
    return {
        iri: (radius * math.sin(2 * math.pi * k / count), radius * math.cos(2 * math.pi * k / count))
        for k, (iri, _) in enumerate(data.internationals)
    }


def _overlaps(box: Box, others: list[Box]) -> bool:
    return any(box[0] < o[2] and o[0] < box[2] and box[1] < o[3] and o[1] < box[3] for o in others)


def _place(centre: Point, size: Point, taken: list[Box]) -> Box:
    """A box of ``size`` at ``centre``, else moved sideways (right, left, further…) until it
    overlaps none taken: a deterministic offset, so columns at the same mean stay apart."""
    width, height = size
    box = (centre[0] - width / 2, centre[1] - height / 2, centre[0] + width / 2, centre[1] + height / 2)
    for step in range(1, 25):
        if not _overlaps(box, taken):
            break
        shift = width * 1.05 * ((step + 1) // 2) * (1 if step % 2 else -1)
        box = (centre[0] + shift - width / 2, box[1], centre[0] + shift + width / 2, box[3])
    taken.append(box)
    return box


def _label_box(point: Point, text: str, points: float) -> Box:
    half_w = (_text_inches(text, points) + 0.2) / INCHES_PER_UNIT / 2
    half_h = (points / 72 + 0.12) / INCHES_PER_UNIT / 2
    return (point[0] - half_w, point[1] - half_h, point[0] + half_w, point[1] + half_h)


def network_layout(data: Network) -> tuple[dict[str, Point], list[Point]]:
    """Where each international and each party is drawn: internationals on a circle; the
    parties of one set of internationals in a column at the mean of their positions."""
    groups = _columns(data)
    circle = _circle(data, groups)
    taken = [_label_box(circle[iri], name, 11) for iri, name in data.internationals]
    spots: list[Point] = [(0.0, 0.0)] * len(data.parties)
    step = NETWORK_ROW / INCHES_PER_UNIT
    for those in sorted(groups, key=lambda key: (-len(groups[key]), key)):
        members = groups[those]
        mean = (sum(circle[i][0] for i in those) / len(those), sum(circle[i][1] for i in those) / len(those))
        width = max(_text_inches(data.parties[m][0], 8) + 0.25 for m in members) / INCHES_PER_UNIT
        box = _place(mean, (width, step * len(members)), taken)
        for row, member in enumerate(members):
            spots[member] = ((box[0] + box[2]) / 2, box[3] - step * (row + 0.5))
    return circle, spots


def _draw_network(data: Network) -> Figure:
    circle, spots = network_layout(data)
    boxes = [_label_box(p, data.parties[i][0], 8) for i, p in enumerate(spots)]
    boxes += [_label_box(circle[iri], name, 11) for iri, name in data.internationals]
    x0, y0 = min(b[0] for b in boxes) - 0.1, min(b[1] for b in boxes) - 0.1
    x1, y1 = max(b[2] for b in boxes) + 0.1, max(b[3] for b in boxes) + 0.1
    width = _quarter(max((x1 - x0) * INCHES_PER_UNIT, _text_inches(data.title, TITLE_POINTS) + 0.5))
    height = _quarter((y1 - y0) * INCHES_PER_UNIT)
    fig = _canvas(width, height + NETWORK_TOP)
    ax = fig.add_axes((0.0, 0.0, 1.0, height / (height + NETWORK_TOP)))
    ax.set_axis_off()
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    ax.set_xlim(cx - width / INCHES_PER_UNIT / 2, cx + width / INCHES_PER_UNIT / 2)
    ax.set_ylim(cy - height / INCHES_PER_UNIT / 2, cy + height / INCHES_PER_UNIT / 2)
    segments = [[spots[i], circle[iri]] for i, (_, those) in enumerate(data.parties) for iri in those]
    ax.add_collection(LineCollection(segments, colors="#9aa7b8", linewidths=0.7, zorder=1, gid="ties"))
    _network_labels(ax, data, circle, spots)
    _title(fig, data.title)
    return fig


def _network_labels(ax: Axes, data: Network, circle: dict[str, Point], spots: list[Point]) -> None:
    """Each node is its label in a box; ids international-N and party-N name them in SVG. An
    international no shown party is tied to is grey."""
    for k, (iri, name) in enumerate(data.internationals):
        tied = any(iri in those for _, those in data.parties)
        box = {"boxstyle": "round,pad=0.4", "facecolor": _PALETTE[k % len(_PALETTE)] if tied else "#bbbbbb"}
        box["edgecolor"] = "none"
        ax.text(*circle[iri], name, fontsize=11, color="white", bbox=box, zorder=3, gid=f"international-{k}", **_CENTRE)
    for i, (label, _) in enumerate(data.parties):
        ax.text(*spots[i], label, fontsize=8, bbox=_PARTY_BOX, zorder=2, gid=f"party-{i}", **_CENTRE)


_CENTRE: dict[str, Any] = {"ha": "center", "va": "center"}
_PARTY_BOX: dict[str, Any] = {
    "boxstyle": "round,pad=0.2",
    "facecolor": "#fffdf5",
    "edgecolor": "#b9b9b9",
    "linewidth": 0.5,
}


# ---------------------------------------------------------------- figures


def _quarter(inches: float) -> float:
    """Up to a multiple of 1/4 inch: exact in binary, so the pixel size is exactly inches × DPI."""
    return math.ceil(round(inches * 4, 6)) / 4


def _text_inches(text: str, points: float = FONT_POINTS) -> float:
    """About how wide ``text`` is drawn (a CJK character is an em, others 0.6 em): an estimate
    that does not depend on the fonts installed, so sizes are the same on every machine."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in text) * points / 72


def _label_margin(labels: list[str]) -> float:
    return _quarter(max((_text_inches(label) for label in labels), default=0.0) + 0.3)


def _canvas(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def _figure(width: float, rows: int, margins: tuple[float, float, float, float], title: str) -> tuple[Figure, Axes]:
    """A figure ``rows`` rows high with one axes and a title; ``margins``: left, right, top,
    bottom inches. It is at least as wide as its title."""
    left, right, top, bottom = margins
    width = _quarter(max(width, left + right + 1.0, _text_inches(title, TITLE_POINTS) + 0.5))
    height = top + bottom + rows * ROW_INCHES
    fig = _canvas(width, height)
    ax = fig.add_axes((left / width, bottom / height, (width - left - right) / width, rows * ROW_INCHES / height))
    _title(fig, title)
    return fig, ax


def _title(fig: Figure, title: str) -> None:
    """The title, centred, its top a fixed distance below the figure's (not a fraction of a
    height that grows with the rows)."""
    fig.suptitle(title, y=1 - 0.2 / fig.get_figheight(), fontsize=TITLE_POINTS, va="top")


def _heatmap(store: Store, international: str | None) -> Callable[[], Figure]:
    return partial(_draw_heatmap, heatmap_data(store, international))


def _timeline(store: Store, international: str | None) -> Callable[[], Figure]:
    return partial(_draw_timeline, timeline_data(store, international))


def _network(store: Store, international: str | None) -> Callable[[], Figure]:
    return partial(_draw_network, network_data(store, international))


# Each plot reads its data (outside the lock), and gives what draws it.
_PREPARE: dict[str, Callable[[Store, str | None], Callable[[], Figure]]] = {
    "attendance-heatmap": _heatmap,
    "membership-timeline": _timeline,
    "party-network": _network,
}
