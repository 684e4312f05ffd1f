"""How much of a grid one document may fill: a budget of the cells a sheet or table covers.

A few bytes of a file can cover millions of grid cells: ``rowspan="1000" colspan="1000"`` in
a page, ``<mergeCell ref="A1:XFD1048576"/>`` in a workbook, one value in column XFD. The
readers place every covered cell, so such a file would fill a node's memory. The budget is
spent by every span, merge and row of one sheet or table together (a limit per span lets a
thousand spans through), and a merge reaching beyond the cells a sheet holds is refused
outright: it covers nothing a person sees. A real form covers a few thousand cells.
"""

from __future__ import annotations

from collections.abc import Iterable

from openpyxl.utils import get_column_letter

from domain import vocabulary
from infra.documents.cells import DocumentError, Origin, Place

# Cells one sheet of a workbook or one table of a page may cover, and a whole page.
MAX_TABLE_CELLS = 200_000
MAX_PAGE_CELLS = 1_000_000

# (first row, first column, last row, last column), 1-based and inclusive, as sheets name them.
Merge = tuple[int, int, int, int]


class GridRefused(ValueError):
    """A sheet or table refused for what it covers; the reader adds the file's name."""

    def __init__(self, place: Place, message: str) -> None:
        super().__init__(message)
        self.place = place
        self.message = message

    def of(self, source: str) -> DocumentError:
        return DocumentError(source, [(self.place, self.message)])


class CellBudget:
    """The cells a sheet, table or page may still cover; ``spend`` refuses past the limit."""

    def __init__(self, limit: int, what: str) -> None:
        self.left = limit
        self.limit = limit
        self.what = what

    def spend(self, cells: int, origin: Origin, row: int, column: int | None = None) -> None:
        """Spend ``cells`` for the cell at ``row``/``column`` (1-based row, 0-based column)."""
        self.left -= cells
        if self.left < 0:
            message = vocabulary.GRID_TOO_LARGE.format(what=self.what, limit=self.limit)
            raise GridRefused(origin.place(row, column), message)


def merge_range(merge: Merge) -> str:
    """A merge as a sheet names it: ``A1:XFD1048576``."""
    first_row, first_column, last_row, last_column = merge
    return (
        f"{get_column_letter(first_column)}{first_row}:{get_column_letter(last_column)}{last_row}"
    )


def check_merges(
    merges: Iterable[Merge], used: tuple[int, int], origin: Origin, budget: CellBudget
) -> None:
    """Refuse a merge reaching beyond the sheet's used range (``used``: its last row and
    column holding a cell), and spend what each merge covers from the sheet's budget."""
    last_row, last_column = max(used[0], 1), max(used[1], 1)
    for merge in merges:
        first_row, first_column, end_row, end_column = merge
        if end_row > last_row or end_column > last_column:
            message = vocabulary.MERGE_BEYOND_USED.format(
                merge=merge_range(merge), used=merge_range((1, 1, last_row, last_column))
            )
            raise GridRefused(origin.place(first_row, first_column - 1), message)
        area = (end_row - first_row + 1) * (end_column - first_column + 1)
        budget.spend(area, origin, first_row, first_column - 1)
