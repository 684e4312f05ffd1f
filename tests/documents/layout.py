"""Where a bureau puts a form on a sheet, and how it writes spans and figures.

A ``Layout`` is a small declarative description (title merged or not, blank rows under it,
the column the table starts in, merged or repeated category cells, amounts as numbers...);
``arrange`` turns forms into a ``Grid`` of placed cells that any writer can put on paper.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import Enum

from tests.documents.form_grid import Figure, Form, FormCell, Printing

UNIT_LINE = "单位：万元"
CHINESE_DATE = 'yyyy"年"m"月"d"日"'


class Spread(Enum):
    """How a cell that spans several rows or columns is written."""

    MERGE = "merge"  # one merged cell
    REPEAT = "repeat"  # its text in every row it spans, as after unmerging with fill-down
    FIRST = "first"  # its text in the first cell, the others blank, as PDF-to-Excel leaves it


@dataclass(frozen=True)
class Layout:
    top: int = 0  # blank rows above the title
    left: int = 0  # blank columns before the table (1: it starts in column B)
    title_merged: bool = True
    blank_under_title: int = 0
    unit_line: bool = False  # '单位：万元' at the right under the year
    footer: bool = True
    levels: Spread = Spread.MERGE  # 一级/二级指标 cells over their rows
    labels: Spread = Spread.MERGE  # labels over rows, such as 项目资金(万元)
    values: Spread = Spread.MERGE  # cells across columns, such as 项目名称's value
    amounts_as_numbers: bool = False
    years_as_numbers: bool = False
    dates_as_excel: bool = False
    percents_as_numbers: bool = False
    date_format: str = CHINESE_DATE
    blank_between: int = 2  # between tables stacked on one sheet
    printing: Printing = field(default_factory=Printing)


CellValue = str | int | Decimal | datetime


@dataclass(frozen=True)
class Placed:
    row: int  # 0-based
    column: int  # 0-based
    text: str  # as printed
    value: CellValue  # as written into a workbook
    number_format: str = "General"
    rows: int = 1
    columns: int = 1
    key: str | None = None
    table: int = 0

    def shifted(self, rows: int, columns: int, table: int) -> Placed:
        return Placed(
            self.row + rows,
            self.column + columns,
            self.text,
            self.value,
            self.number_format,
            self.rows,
            self.columns,
            self.key,
            table,
        )


@dataclass(frozen=True)
class Grid:
    cells: tuple[Placed, ...]

    @property
    def height(self) -> int:
        return max((cell.row + cell.rows for cell in self.cells), default=0)

    def where(self, key: str, table: int = 0) -> tuple[int, int]:
        """The 0-based (row, column) of the cell named ``key`` in the ``table``-th form."""
        for cell in self.cells:
            if cell.key == key and cell.table == table:
                return cell.row, cell.column
        raise KeyError(key)


def arrange(form: Form, layout: Layout) -> Grid:
    """The form's own rows (no title), from row 0 and column 0."""
    placed: list[Placed] = []
    for index, row in enumerate(form.rows):
        for cell in row:
            placed.extend(_place(cell, index, layout))
    return Grid(tuple(placed))


def sheet(forms: Sequence[Form], layout: Layout) -> Grid:
    """Forms stacked down one sheet, each under its title and year, with blank rows between."""
    placed: list[Placed] = []
    row = layout.top
    for table, form in enumerate(forms):
        if table:
            row += layout.blank_between
        heading = [form.title, form.year]
        if layout.unit_line:
            heading.append(UNIT_LINE)
        for text in heading:
            placed.append(_heading(text, row, form.width, layout).shifted(0, layout.left, table))
            row += 1
        row += layout.blank_under_title
        body = arrange(form, layout)
        placed.extend(cell.shifted(row, layout.left, table) for cell in body.cells)
        row += body.height
        if form.footer and layout.footer:
            placed.append(Placed(row, layout.left, form.footer, form.footer, table=table))
            row += 1
    return Grid(tuple(placed))


def _heading(text: str, row: int, width: int, layout: Layout) -> Placed:
    if text == UNIT_LINE:
        return Placed(row, width - 1, text, text)
    return Placed(row, 0, text, text, columns=width if layout.title_merged else 1)


def _place(cell: FormCell, row: int, layout: Layout) -> list[Placed]:
    value, number_format = _written(cell, layout)
    down = layout.levels if cell.category else layout.labels
    if cell.once and down is Spread.REPEAT:
        down = Spread.FIRST
    rows = cell.down if down is Spread.MERGE else 1
    columns = cell.across if layout.values is Spread.MERGE else 1
    first = Placed(row, cell.column, cell.text, value, number_format, rows, columns, cell.key)
    if down is not Spread.REPEAT or not cell.text:
        return [first]
    copies = [
        Placed(row + offset, cell.column, cell.text, value, number_format, 1, columns)
        for offset in range(1, cell.down)
    ]
    return [first, *copies]


def _written(cell: FormCell, layout: Layout) -> tuple[CellValue, str]:
    """The value a workbook holds for the cell, and its number format."""
    text = cell.text
    if not text:
        return text, "General"
    if cell.figure is Figure.AMOUNT and layout.amounts_as_numbers:
        return Decimal(text), _decimals_format(text)
    if cell.figure is Figure.YEAR and layout.years_as_numbers:
        return int(text.rstrip("年")), '0"年"'
    if cell.figure is Figure.DATE and layout.dates_as_excel:
        return _date(text), layout.date_format
    if cell.figure is Figure.PERCENT and layout.percents_as_numbers:
        number = text.rstrip("%")
        return Decimal(number) / 100, _decimals_format(number) + "%"
    return text, "General"


def _decimals_format(text: str) -> str:
    """``0.00`` for '36.20', ``0`` for '249': the format that prints the amount as written."""
    _, _, decimals = text.partition(".")
    return "0." + "0" * len(decimals) if decimals else "0"


def _date(text: str) -> datetime:
    year, rest = text.split("年")
    month, rest = rest.split("月")
    return datetime(int(year), int(month), int(rest.rstrip("日")))
