"""A table's rows laid out by column, with its header rows and what each column holds."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from kg.lexicon import ColumnKind
from kg.sources.cells import header_kind, type_fragment
from kg.sources.document import Cell, Row, Table


@dataclass(frozen=True)
class Placed:
    cell: Cell
    carried: bool  # the cell reaches here from a row above (rowspan) or a column to the left (colspan)


@dataclass(frozen=True)
class Grid:
    """Rows laid out by column, rowspan/colspan cells repeated where they reach."""

    rows: tuple[tuple[Placed, ...], ...]
    header_rows: int
    columns: tuple[ColumnKind | None, ...]
    cut: int = 0  # cells whose span reached past the table's width or end, cut there

    def column(self, index: int) -> ColumnKind | None:
        return self.columns[index] if index < len(self.columns) else None


# No article's table is this wide; a span beyond it adds no column, only work.
MAX_COLUMNS = 200


def _width(rows: tuple[Row, ...]) -> int:
    """How wide the table is: each row's spans added up, a span counted as at most as many
    columns as the row with most cells has (so one huge colspan cannot widen the table)."""
    most = max((len(row.cells) for row in rows), default=0)
    return min(MAX_COLUMNS, max((sum(min(c.colspan, most) for c in row.cells) for row in rows), default=0))


def _layout(rows: tuple[Row, ...]) -> tuple[list[list[Placed]], int]:
    """The rows by column, and how many spans were cut to the table's width or end. A row
    holds at most the table's width plus its own cells, so work and memory grow with the
    rows times the width, whatever the spans claim."""
    width, cut = _width(rows), 0
    pending: dict[int, tuple[Cell, int]] = {}
    grid = []
    for index, row in enumerate(rows):
        out: list[Placed] = []
        cells = deque(row.cells)
        while cells or any(col >= len(out) for col in pending):
            col = len(out)
            if col in pending:
                cell, left = pending.pop(col)
                if left > 1:
                    pending[col] = (cell, left - 1)
                out.append(Placed(cell, True))
            elif cells:
                cell = cells.popleft()
                # A cell past the table's width keeps its text but spans nothing: else each
                # row's spans could push the next row's further right, without end.
                inside = col < width
                colspan = min(cell.colspan, width - col) if inside else 1
                rowspan = min(cell.rowspan, len(rows) - index) if inside else 1
                cut += colspan < cell.colspan or rowspan < cell.rowspan
                out.append(Placed(cell, False))
                out.extend([Placed(cell, True)] * (colspan - 1))
                if rowspan > 1:
                    pending.update(dict.fromkeys(range(col, col + colspan), (cell, rowspan - 1)))
            else:
                break
        grid.append(out)
    return grid, cut


def _is_header(row: list[Placed], first: bool) -> bool:
    """Header cells (``!``/<th>), or a first row whose every cell is a known column name
    (plain text, no link: a name such as 中国共产党 holds 党 but is no header)."""
    cells = [placed.cell for placed in row if placed.cell.text]
    if cells and all(cell.header for cell in cells):
        return True
    return first and len(cells) >= 2 and all(_names_a_column(c) for c in cells)


def _names_a_column(cell: Cell) -> bool:
    fragment = cell.fragments[0]
    plain = not fragment.links and not fragment.templates and len(cell.text) <= 8
    return plain and bool(header_kind(cell.text)) and type_fragment(fragment).kind == "party"


def lay_out(table: Table) -> Grid:
    rows, cut = _layout(table.rows)
    header_rows = 0
    while header_rows < len(rows) and not table.is_list and _is_header(rows[header_rows], header_rows == 0):
        header_rows += 1
    columns: list[ColumnKind | None] = []
    if header_rows:
        last = rows[header_rows - 1]
        columns = [header_kind(placed.cell.text) for placed in last]
        for upper in rows[: header_rows - 1]:  # a header row above names a column its own row leaves blank
            columns = [
                kind or (header_kind(u.cell.text) if i < len(upper) and (u := upper[i]) else None)
                for i, kind in enumerate(columns)
            ]
    return Grid(tuple(tuple(r) for r in rows), header_rows, tuple(columns), cut)
