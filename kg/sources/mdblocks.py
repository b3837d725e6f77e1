"""The block structure of pandoc Markdown, as lines: headings, fences, lists, footnotes, and
tables in every form pandoc writes (HTML, grid, pipe, simple, multiline).

Works on a list of line pieces (source offsets), so the same scanner reads a whole file, a
list item with its indentation cut off, or a grid-table cell. Table cells come back as the
pieces of source they cover; the reader parses their content.

Column positions in pandoc's plain-text tables are display columns: a CJK character takes two,
as pandoc lays them out (East Asian Width W and F).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

Piece = tuple[int, int]  # [start, end) in the source text, one line without its newline

_ATX = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$|^(#{1,6})[ \t]*$")
_SETEXT = re.compile(r"^(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})[ \t]*(\{=(?P<raw>[\w-]+)\}|[\w+-]*)?[ \t]*$")
_HTML_TABLE = re.compile(r"^[ \t]*<table\b", re.IGNORECASE)
_HTML_BLOCK = re.compile(r"^[ \t]*<(section|div|ol|ul|hr|p|figure|blockquote)\b", re.IGNORECASE)
_GRID_BORDER = re.compile(r"^[ \t]*\+[-=:+]+\+[ \t]*$")
_PIPE_SEPARATOR = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_DASH_RUNS = re.compile(r"^[ \t]*-+([ \t]+-+)*[ \t]*$")
_BULLET = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[-*+]|\d+[.)]|#\.)(?P<space>[ \t]+|$)")
_FOOTNOTE_DEF = re.compile(r"^\[\^(?P<label>[^\]\s]+)\]:[ \t]?")
_HR = re.compile(r"^[ \t]*([-*_])([ \t]*\1){2,}[ \t]*$")

TableForm = Literal["html", "grid", "pipe", "simple", "multiline"]


def display_width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


@dataclass(frozen=True)
class GridCell:
    pieces: tuple[Piece, ...]
    row: int  # 0-based row of the table where the cell starts
    col: int  # 0-based column
    rowspan: int = 1
    colspan: int = 1
    header: bool = False


@dataclass(frozen=True)
class Block:
    kind: Literal["heading", "raw", "html", "table", "item", "footnote", "paragraph"]
    pieces: tuple[Piece, ...]  # the lines the block's content is written on
    level: int = 0  # heading level; list item depth
    label: str = ""  # footnote label; raw block format; item marker
    form: TableForm | None = None
    cells: tuple[GridCell, ...] = ()
    start: int = 0  # offset where the whole block starts (a table's first line)
    end: int = 0


@dataclass
class _Lines:
    text: str
    pieces: list[Piece]
    blocks: list[Block] = field(default_factory=list)

    def line(self, i: int) -> str:
        start, end = self.pieces[i]
        return self.text[start:end]

    def blank(self, i: int) -> bool:
        return not self.line(i).strip()


def split_lines(text: str, start: int = 0, end: int | None = None) -> list[Piece]:
    end = len(text) if end is None else end
    pieces, pos = [], start
    while pos <= end:
        stop = text.find("\n", pos, end)
        stop = end if stop < 0 else stop
        pieces.append((pos, stop))
        pos = stop + 1
    return pieces


def scan(text: str, pieces: list[Piece]) -> list[Block]:
    """The blocks written on ``pieces`` (lines of ``text``), in order."""
    lines = _Lines(text, pieces)
    i = 0
    while i < len(pieces):
        i = _block_at(lines, i)
    return lines.blocks


def _block_at(lines: _Lines, i: int) -> int:
    """Read the block starting at line ``i``; the index of the line after it."""
    if lines.blank(i):
        return i + 1
    line = lines.line(i)
    for reader in _READERS:
        after = reader(lines, i, line)
        if after is not None:
            return after
    return _paragraph(lines, i)


def _heading(lines: _Lines, i: int, line: str) -> int | None:
    match = _ATX.match(line)
    if match:
        level = len(match.group(1) or match.group(3))
        start = lines.pieces[i][0] + (match.start(2) if match.group(2) is not None else len(line))
        title_end = lines.pieces[i][0] + (match.end(2) if match.group(2) is not None else len(line))
        lines.blocks.append(Block("heading", ((start, _strip_attributes(lines.text, start, title_end)),), level))
        return i + 1
    if i + 1 < len(lines.pieces) and not line.startswith((" ", "\t")) and _SETEXT.match(lines.line(i + 1)):
        underline = lines.line(i + 1)
        if underline.startswith("=") or not _DASH_RUNS.match(line):
            start, end = lines.pieces[i]
            level = 1 if underline.startswith("=") else 2
            lines.blocks.append(Block("heading", ((start, _strip_attributes(lines.text, start, end)),), level))
            return i + 2
    return None


def _strip_attributes(text: str, start: int, end: int) -> int:
    """The end of a heading's title without a trailing {#id .class} attribute block."""
    match = re.search(r"[ \t]*\{[^{}]*\}[ \t]*$", text[start:end])
    return start + match.start() if match else end


def _fence(lines: _Lines, i: int, line: str) -> int | None:
    match = _FENCE.match(line)
    if match is None:
        return None
    fence = match.group(1)
    j = i + 1
    while j < len(lines.pieces) and not lines.line(j).strip().startswith(fence[0] * len(fence)):
        j += 1
    content = tuple(lines.pieces[i + 1 : j])
    lines.blocks.append(Block("raw", content, label=match.group("raw") or "code"))
    return min(j + 1, len(lines.pieces))


def _html_table(lines: _Lines, i: int, line: str) -> int | None:
    if not _HTML_TABLE.match(line):
        return None
    start = lines.pieces[i][0]
    close = re.compile(r"</table\s*>", re.IGNORECASE).search(lines.text, start)
    if close is None:
        lines.blocks.append(Block("html", (), label="unclosed", start=start, end=start))
        return len(lines.pieces)
    j = i
    while j < len(lines.pieces) and lines.pieces[j][1] < close.end():
        j += 1
    lines.blocks.append(Block("table", (), form="html", start=start, end=close.end()))
    return j + 1


def _html_block(lines: _Lines, i: int, line: str) -> int | None:
    """Other raw HTML blocks (pandoc's footnote <section>): skipped up to their closing tag."""
    match = _HTML_BLOCK.match(line)
    if match is None:
        return None
    tag = match.group(1).lower()
    close = re.compile(rf"</{tag}\s*>", re.IGNORECASE)
    j = i
    while j < len(lines.pieces) and not close.search(lines.line(j)) and not (j > i and lines.blank(j)):
        j += 1
    lines.blocks.append(Block("html", tuple(lines.pieces[i : j + 1]), label=tag))
    return j + 1


def _item(lines: _Lines, i: int, line: str) -> int | None:
    """A list item: its marker line and the lines indented under it (or lazily continuing)."""
    match = _BULLET.match(line)
    if match is None or _HR.match(line):
        return None
    indent = len(match.group("indent").expandtabs(4))
    content_col = match.end()
    start = lines.pieces[i][0]
    pieces = [(start + content_col, lines.pieces[i][1])]
    j = i + 1
    while j < len(lines.pieces):
        current = lines.line(j)
        if _BULLET.match(current) or _FOOTNOTE_DEF.match(current):
            break
        if not current.strip():
            if j + 1 < len(lines.pieces) and _indent(lines.line(j + 1)) >= content_col and lines.line(j + 1).strip():
                pieces.append(lines.pieces[j])
                j += 1
                continue
            break
        cut = min(_indent(current), content_col)
        if cut < content_col and _starts_block(current):
            break
        pieces.append((lines.pieces[j][0] + cut, lines.pieces[j][1]))
        j += 1
    lines.blocks.append(Block("item", tuple(pieces), level=indent // 2 + 1, label=match.group("marker")))
    return j


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _starts_block(line: str) -> bool:
    return bool(_ATX.match(line) or _FENCE.match(line) or _HTML_TABLE.match(line) or _GRID_BORDER.match(line))


def _footnote(lines: _Lines, i: int, line: str) -> int | None:
    match = _FOOTNOTE_DEF.match(line)
    if match is None:
        return None
    start = lines.pieces[i][0]
    pieces = [(start + match.end(), lines.pieces[i][1])]
    j = i + 1
    while j < len(lines.pieces):
        current = lines.line(j)
        if current.strip() and _indent(current) < 4:
            break
        if not current.strip() and not (j + 1 < len(lines.pieces) and _indent(lines.line(j + 1)) >= 4):
            break
        pieces.append((lines.pieces[j][0] + min(4, _indent(current)), lines.pieces[j][1]))
        j += 1
    lines.blocks.append(Block("footnote", tuple(pieces), label=match.group("label")))
    return j


def _paragraph(lines: _Lines, i: int) -> int:
    j = i + 1
    while j < len(lines.pieces) and not lines.blank(j) and not _interrupts(lines, j):
        j += 1
    lines.blocks.append(Block("paragraph", tuple(lines.pieces[i:j])))
    return j


def _interrupts(lines: _Lines, j: int) -> bool:
    line = lines.line(j)
    return bool(
        _ATX.match(line)
        or _FENCE.match(line)
        or _HTML_TABLE.match(line)
        or _GRID_BORDER.match(line)
        or (_BULLET.match(line) and not _HR.match(line))
        or _FOOTNOTE_DEF.match(line)
    )


# ---------------------------------------------------------------- plain-text tables


def _columns_of(line: str) -> list[int]:
    """The display column at which each character of ``line`` starts (and one past the end)."""
    cols, col = [], 0
    for char in line:
        cols.append(col)
        col += display_width(char)
    cols.append(col)
    return cols


def _slice(lines: _Lines, i: int, first: int, last: int | None) -> Piece:
    """The source piece of line ``i`` between display columns [first, last)."""
    line = lines.line(i)
    cols = _columns_of(line)
    start = next((k for k, c in enumerate(cols[:-1]) if c >= first), len(line))
    end = len(line) if last is None else next((k for k, c in enumerate(cols[:-1]) if c >= last), len(line))
    base = lines.pieces[i][0]
    end = max(start, end)
    while end > start and line[end - 1] in " \t":  # cells are padded to the column's width
        end -= 1
    return (base + start, base + end)


def _stripped_line(lines: _Lines, i: int) -> Piece:
    start = lines.pieces[i][0]
    line = lines.line(i)
    return (start + len(line) - len(line.lstrip()), start + len(line.rstrip()))


def _runs(line: str) -> list[tuple[int, int]]:
    """Display-column extents of the dash runs of a separator line."""
    cols = _columns_of(line)
    return [(cols[m.start()], cols[m.end()]) for m in re.finditer(r"-+", line)]


def _pipe(lines: _Lines, i: int, line: str) -> int | None:
    if "|" not in line or i + 1 >= len(lines.pieces) or not _PIPE_SEPARATOR.match(lines.line(i + 1)):
        return None
    if "|" not in lines.line(i + 1) and "|" not in line.strip()[1:-1]:
        return None
    rows = [[i]]
    j = i + 2
    while j < len(lines.pieces) and not lines.blank(j) and ("|" in lines.line(j) or _continues(lines, rows[-1])):
        if _continues(lines, rows[-1]):
            rows[-1].append(j)
        else:
            rows.append([j])
        j += 1
    cells = []
    header = _pipe_row(lines, rows[0])
    blank_header = all(not lines.text[a:b].strip() for piece in header for a, b in piece)  # headerless: |  |  |
    for number, row in enumerate(rows[1:] if blank_header else rows):
        for col, pieces in enumerate(_pipe_row(lines, row)):
            cells.append(GridCell(pieces, number, col, header=number == 0 and not blank_header))
    lines.blocks.append(
        Block("table", (), form="pipe", cells=tuple(cells), start=lines.pieces[i][0], end=lines.pieces[j - 1][1])
    )
    return j


def _unclosed(text: str) -> bool:
    """An inline HTML link or tag left open at the end of a line (pandoc wraps inside them,
    even in the rows of pipe and simple tables)."""
    return len(re.findall(r"<a\b", text)) > len(re.findall(r"</a\s*>", text)) or bool(re.search(r"<[^>]*$", text))


def _continues(lines: _Lines, row: list[int]) -> bool:
    return _unclosed(" ".join(lines.line(k) for k in row))


def _pipe_row(lines: _Lines, row: list[int]) -> list[tuple[Piece, ...]]:
    """The cells of a row written on one line, or wrapped onto the next (its first part
    continues the last cell)."""
    cells: list[tuple[Piece, ...]] = []
    for number, line in enumerate(row):
        pieces = list(_pipe_cells(lines, line))
        if number and cells and not lines.line(line).lstrip().startswith("|"):
            cells[-1] = (*cells[-1], pieces.pop(0))
        cells.extend((piece,) for piece in pieces)
    return cells


def _pipe_cells(lines: _Lines, i: int) -> Iterator[Piece]:
    line = lines.line(i)
    base = lines.pieces[i][0]
    bounds = [m.start() for m in re.finditer(r"(?<!\\)\|", line)]
    stripped = line.strip()
    if not stripped.startswith("|"):
        bounds = [-1, *bounds]
    if not stripped.endswith("|") or (stripped.endswith("\\|")):
        bounds = [*bounds, len(line)]
    for left, right in itertools.pairwise(bounds):
        yield (base + left + 1, base + right)


def _simple(lines: _Lines, i: int, line: str) -> int | None:
    """A simple table (header line, dash runs, rows up to a blank line) or a multiline one
    (a full dash line, header lines, dash runs, rows separated by blank lines, a full dash line)."""
    nxt = lines.line(i + 1) if i + 1 < len(lines.pieces) else ""
    if _DASH_RUNS.match(line) and len(_runs(line)) == 1 and not lines.blank(i + 1 if i + 1 < len(lines.pieces) else i):
        return _multiline(lines, i)
    if not _DASH_RUNS.match(line) and _DASH_RUNS.match(nxt) and (len(_runs(nxt)) > 1 or nxt.startswith((" ", "\t"))):
        return _simple_with_header(lines, i)
    if _DASH_RUNS.match(line) and len(_runs(line)) > 1:
        return _headerless_multiline(lines, i) or _headerless_simple(lines, i)
    return None


def _cells_of_line(lines: _Lines, i: int, runs: list[tuple[int, int]], row: int, header: bool) -> list[GridCell]:
    starts = [start for start, _ in runs]
    bounds = [*starts[1:], None]
    return [
        GridCell((_slice(lines, i, first, last),), row, col, header=header)
        for col, (first, last) in enumerate(zip(starts, bounds, strict=True))
    ]


def _simple_rows(lines: _Lines, first: int, runs: list[tuple[int, int]], row: int) -> tuple[list[GridCell], int]:
    """The rows of a simple table from line ``first`` up to a blank line or dash runs, a row a
    line, as pandoc reads them; a line that follows one left inside a link (pandoc wraps
    lines inside raw HTML links) continues the row above, column by column."""
    cells: list[GridCell] = []
    j = first
    while j < len(lines.pieces) and not _DASH_RUNS.match(lines.line(j)) and not _table_ends(lines, j):
        if lines.blank(j):
            pass  # spaces only, and the table goes on: the padding of a row pandoc wrapped
        elif cells and _continues(lines, [j - 1]):
            _continue_row(lines, j, runs, cells)
        else:
            cells.extend(_cells_of_line(lines, j, runs, row, False))
            row += 1
        j += 1
    return cells, j


def _table_ends(lines: _Lines, j: int) -> bool:
    """An empty line, or a line of spaces with no table line after it, ends a simple table."""
    line = lines.line(j)
    if line.strip():
        return False
    return not line or j + 1 >= len(lines.pieces) or lines.blank(j + 1)


def _continue_row(lines: _Lines, i: int, runs: list[tuple[int, int]], cells: list[GridCell]) -> None:
    width = len(runs)
    last_row = cells[-width:]
    for col, piece in enumerate(c.pieces[0] for c in _cells_of_line(lines, i, runs, 0, False)):
        if lines.text[piece[0] : piece[1]].strip() and col < len(last_row):
            cell = last_row[col]
            cells[len(cells) - width + col] = GridCell((*cell.pieces, piece), cell.row, cell.col, header=cell.header)


def _simple_with_header(lines: _Lines, i: int) -> int:
    runs = _runs(lines.line(i + 1))
    cells = _cells_of_line(lines, i, runs, 0, True)
    rows, j = _simple_rows(lines, i + 2, runs, 1)
    cells.extend(rows)
    end = j + 1 if j < len(lines.pieces) and _DASH_RUNS.match(lines.line(j)) else j
    lines.blocks.append(
        Block("table", (), form="simple", cells=tuple(cells), start=lines.pieces[i][0], end=lines.pieces[end - 1][1])
    )
    return end


def _headerless_simple(lines: _Lines, i: int) -> int:
    runs = _runs(lines.line(i))
    cells, j = _simple_rows(lines, i + 1, runs, 0)
    end = j + 1 if j < len(lines.pieces) and _DASH_RUNS.match(lines.line(j)) else j
    lines.blocks.append(
        Block("table", (), form="simple", cells=tuple(cells), start=lines.pieces[i][0], end=lines.pieces[end - 1][1])
    )
    return end


def _headerless_multiline(lines: _Lines, i: int) -> int | None:
    """Dash runs, rows split by blank lines, the same dash runs again: a multiline table
    without header (a headerless simple table has no blank line before its closing runs)."""
    runs = _runs(lines.line(i))
    close = next((k for k in range(i + 1, len(lines.pieces)) if _DASH_RUNS.match(lines.line(k))), None)
    if close is None or not any(lines.blank(k) for k in range(i + 1, close)):
        return None
    cells: list[GridCell] = []
    row_lines: list[int] = []
    row = 0
    for k in range(i + 1, close + 1):
        if k == close or lines.blank(k):
            if row_lines:
                cells.extend(_multiline_row(lines, row_lines, runs, row, False))
                row, row_lines = row + 1, []
        else:
            row_lines.append(k)
    lines.blocks.append(
        Block("table", (), form="multiline", cells=tuple(cells), start=lines.pieces[i][0], end=lines.pieces[close][1])
    )
    return close + 1


def _multiline(lines: _Lines, i: int) -> int | None:
    """From a full dash line: header lines up to the dash runs, then rows split by blank lines,
    up to the closing dash line. Without header, the first line holds the runs."""
    j = i + 1
    while j < len(lines.pieces) and not lines.blank(j) and not _DASH_RUNS.match(lines.line(j)):
        j += 1
    if j >= len(lines.pieces) or not _DASH_RUNS.match(lines.line(j)):
        return None
    runs = _runs(lines.line(j))
    cells = _multiline_row(lines, list(range(i + 1, j)), runs, 0, True) if j > i + 1 else []
    row_lines: list[int] = []
    row, k = (1 if j > i + 1 else 0), j + 1
    while k < len(lines.pieces):
        line = lines.line(k)
        if _DASH_RUNS.match(line) and len(_runs(line)) == 1 and (k + 1 >= len(lines.pieces) or lines.blank(k + 1)):
            break
        if lines.blank(k):
            if row_lines:
                cells.extend(_multiline_row(lines, row_lines, runs, row, False))
                row, row_lines = row + 1, []
        else:
            row_lines.append(k)
        k += 1
    if k >= len(lines.pieces):
        return None
    if row_lines:
        cells.extend(_multiline_row(lines, row_lines, runs, row, False))
    lines.blocks.append(
        Block("table", (), form="multiline", cells=tuple(cells), start=lines.pieces[i][0], end=lines.pieces[k][1])
    )
    return k + 1


def _multiline_row(
    lines: _Lines, row_lines: list[int], runs: list[tuple[int, int]], row: int, header: bool
) -> list[GridCell]:
    starts = [start for start, _ in runs]
    bounds = [*starts[1:], None]
    return [
        GridCell(tuple(_slice(lines, k, first, last) for k in row_lines), row, col, header=header)
        for col, (first, last) in enumerate(zip(starts, bounds, strict=True))
    ]


# ---------------------------------------------------------------- grid tables


def _grid(lines: _Lines, i: int, line: str) -> int | None:
    if not _GRID_BORDER.match(line):
        return None
    j = i + 1
    while j < len(lines.pieces) and lines.line(j).lstrip().startswith(("+", "|")):
        j += 1
    grid = [lines.line(k) for k in range(i, j)]
    cells = _grid_cells(lines, i, grid)
    lines.blocks.append(
        Block("table", (), form="grid", cells=tuple(cells), start=lines.pieces[i][0], end=lines.pieces[j - 1][1])
    )
    return j


def _char_at(grid: list[dict[int, str]], row: int, col: int) -> str:
    return grid[row].get(col, " ") if 0 <= row < len(grid) else " "


def _grid_cells(lines: _Lines, first: int, text_lines: list[str]) -> list[GridCell]:
    """Cells of a grid table as rectangles between "+" corners (rowspans and colspans too)."""
    grid = [{col: ch for ch, col in zip(line, _columns_of(line), strict=False)} for line in text_lines]
    header_rows = next(
        (r for r, line in enumerate(text_lines) if r and line.strip().startswith("+") and "=" in line), 0
    )
    found: list[tuple[int, int, int, int]] = []
    for r, row in enumerate(grid[:-1]):
        for c in sorted(col for col, ch in row.items() if ch == "+"):
            rect = _rectangle(grid, r, c)
            if rect is not None and not any(_inside(rect, other) for other in found):
                found.append(rect)
    tops = sorted({top for top, _, _, _ in found} | {bottom for _, _, bottom, _ in found})
    lefts = sorted({left for _, left, _, _ in found} | {right for _, _, _, right in found})
    cells = []
    for top, left, bottom, right in found:
        pieces = tuple(_slice(lines, first + k, left + 1, right) for k in range(top + 1, bottom))
        cells.append(
            GridCell(
                pieces,
                tops.index(top),
                lefts.index(left),
                tops.index(bottom) - tops.index(top),
                lefts.index(right) - lefts.index(left),
                header=bool(header_rows) and bottom <= header_rows,
            )
        )
    return sorted(cells, key=lambda cell: (cell.row, cell.col))


def _inside(rect: tuple[int, int, int, int], other: tuple[int, int, int, int]) -> bool:
    return rect == other


def _rectangle(grid: list[dict[int, str]], top: int, left: int) -> tuple[int, int, int, int] | None:
    """The smallest cell whose top-left corner is the "+" at (top, left)."""
    if _char_at(grid, top, left + 1) not in "-=:" or _char_at(grid, top + 1, left) not in "|+":
        return None
    right = left + 1
    while _char_at(grid, top, right) in "-=:+":
        if _char_at(grid, top, right) == "+" and _char_at(grid, top + 1, right) in "|+":
            bottom = _bottom(grid, top, left, right)
            if bottom is not None:
                return (top, left, bottom, right)
        right += 1
    return None


def _bottom(grid: list[dict[int, str]], top: int, left: int, right: int) -> int | None:
    row = top + 1
    while row < len(grid) and _char_at(grid, row, left) in "|+" and _char_at(grid, row, right) in "|+":
        if _char_at(grid, row, left) == "+" and _char_at(grid, row, right) == "+":
            edge = [_char_at(grid, row, c) for c in range(left + 1, right)]
            if all(ch in "-=:+" for ch in edge):
                return row
        row += 1
    return None


_READERS = (_heading, _fence, _html_table, _grid, _pipe, _simple, _html_block, _footnote, _item)
