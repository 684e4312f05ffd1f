"""What spreadsheet cells say, as text, and how a sheet's rows become lines of the grid.

Numbers are written the way the sheet shows them (``0.00`` keeps two decimals, ``0%`` makes
0.95 read ``95%``); dates the way the forms print them (``2026年12月30日``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from domain import vocabulary
from domain.values import ValueKind, parse_value
from infra.documents.cells import DocumentError, Line, Origin, Place
from infra.documents.coverage import MAX_TABLE_CELLS, CellBudget, Merge, check_merges

_SECTION = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
_DECIMALS = re.compile(r"\.([0#?]+)")


def cell_text(value: object, number_format: str = "General") -> str:
    """The text a cell shows; '' for an empty cell."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return date_text(value.date()) if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date):
        return date_text(value)
    if isinstance(value, time | timedelta):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return number_text(value, number_format)
    return str(value).strip()


def read_as_typed(formula: str, computed: object) -> bool:
    """Whether a formula (its text after ``=``) is read as typed rather than by its result:
    when it is a literal value (``=100%``, ``=1次``) or was never computed."""
    return computed is None or parse_value(f"={formula}").kind is not ValueKind.TEXT


# (row, column, error), 1-based as sheets name cells: a cell holding #NAME?, #DIV/0!, …
ErrorCell = tuple[int, int, str]


def refuse_error_values(errors: list[ErrorCell], origin: Origin, source: str) -> None:
    """Refuse a sheet with cells holding error values, naming each: nothing can be read there."""
    if errors:
        problems: list[tuple[Place | int, str]] = [
            (origin.place(row, column - 1), vocabulary.CELL_ERROR_VALUE.format(error=error))
            for row, column, error in errors
        ]
        raise DocumentError(source, problems)


def date_text(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def number_text(value: int | float | Decimal, number_format: str) -> str:
    """A number as its format shows it: its decimals, and ×100 with ``%`` for a percentage."""
    # A float as Excel's General shows it: 15 significant digits, so 0.1+0.2 reads 0.3.
    number = Decimal(f"{value:.15g}") if isinstance(value, float) else Decimal(value)
    section = _SECTION.sub("", (number_format or "General").split(";")[0])
    percent = "%" in section
    if percent:
        number *= 100
    decimals = _DECIMALS.search(section)
    if section.lower() == "general" or not any(digit in section for digit in "0#?"):
        text = format(number.normalize(), "f")
    else:
        places = decimals.group(1).count("0") if decimals else 0
        text = format(number.quantize(Decimal(1).scaleb(-places)), "f")
    return f"{text}%" if percent else text


def lines_of(
    rows: Iterable[tuple[int, dict[int, str]]],
    merges: Iterable[Merge],
    origin: Origin,
    used: tuple[int, int],
    budget: CellBudget | None = None,
) -> list[Line]:
    """The sheet's non-empty rows as lines: cells by column, merged-over cells left empty.

    A merged cell's text is in its first cell only (as spreadsheets store it); its width
    across columns is kept, so that a header cell covers every column under it. ``used`` is
    the sheet's last row and column holding a cell: no merge may reach beyond it, and the
    merges and lines together stay within a sheet's budget (``infra.documents.coverage``).
    ``rows`` may be lazy: they are read only once the merges have passed. ``budget`` is the
    sheet's, when its reader already spent from it (for the cells it read).
    """
    merges = list(merges)
    budget = budget or CellBudget(MAX_TABLE_CELLS, vocabulary.GRID_SHEET)
    check_merges(merges, used, origin, budget)
    widths: dict[tuple[int, int], int] = {}
    covered: set[tuple[int, int]] = set()
    for first_row, first_column, last_row, last_column in merges:
        widths[(first_row, first_column)] = last_column - first_column + 1
        for row in range(first_row, last_row + 1):
            for column in range(first_column, last_column + 1):
                if (row, column) != (first_row, first_column):
                    covered.add((row, column))
    lines: list[Line] = []
    for number, cells in rows:
        shown = {
            column: text
            for column, text in cells.items()
            if text and (number, column) not in covered
        }
        if not shown:
            continue
        last = max(shown)
        budget.spend(last, origin, number, last - 1)
        spans = tuple(
            (column - 1, widths[(number, column)])
            for column in sorted(shown)
            if widths.get((number, column), 1) > 1
        )
        texts = tuple(shown.get(column, "") for column in range(1, last + 1))
        lines.append(Line(number, texts, origin, spans))
    return lines
