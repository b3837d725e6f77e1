"""A table's rows laid out by column, with its header rows and what each column holds."""

from __future__ import annotations

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

    def column(self, index: int) -> ColumnKind | None:
        return self.columns[index] if index < len(self.columns) else None


def _layout(rows: tuple[Row, ...]) -> list[list[Placed]]:
    pending: dict[int, tuple[Cell, int]] = {}
    grid = []
    for row in rows:
        out: list[Placed] = []
        cells = list(row.cells)
        while cells or any(col >= len(out) for col in pending):
            col = len(out)
            if col in pending:
                cell, left = pending.pop(col)
                if left > 1:
                    pending[col] = (cell, left - 1)
                out.append(Placed(cell, True))
            elif cells:
                cell = cells.pop(0)
                for offset in range(cell.colspan):
                    out.append(Placed(cell, offset > 0))
                    if cell.rowspan > 1:
                        pending[col + offset] = (cell, cell.rowspan - 1)
            else:
                break
        grid.append(out)
    return grid


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
    rows = _layout(table.rows)
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
    return Grid(tuple(tuple(r) for r in rows), header_rows, tuple(columns))
