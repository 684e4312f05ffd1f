"""Writing a report form: its boxes put row by row on a grid, saved as a one-sheet workbook."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from itertools import groupby

from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from domain.model import Form
from domain.reports import Basis, Target
from domain.values import Value
from infra.documents.layout import Box, FormLayout, Role, printable
from infra.documents.report_sheets.common import PROJECT
from infra.documents.workbook import SheetTitles, box_range, write_form

_DEPARTMENT, _UNIT = "主管部门", "实施单位"
GOAL = "年度总体目标"
# FormLayout names the table form a layout prints; write_form does not read it.
_LAYOUT_FORM = Form.PROVINCIAL

Cell = tuple[Role, str | Decimal | None]


@dataclass
class Grid:
    """Boxes put row by row on a grid ``width`` columns wide."""

    width: int
    boxes: list[Box] = field(default_factory=list)
    row: int = 0

    def put(
        self,
        column: int,
        role: Role,
        value: str | Decimal | None = None,
        *,
        width: int = 1,
        height: int = 1,
    ) -> None:
        if isinstance(value, str):
            value = printable(value) or None
        self.boxes.append(Box(self.row, column, role, value, width, height))

    def rest(self, column: int, role: Role, value: str | Decimal | None = None) -> None:
        """A box to the right edge, ending the row."""
        self.put(column, role, value, width=self.width - column)
        self.row += 1

    def spans(self, row: Sequence[tuple[int, Cell]]) -> None:
        """One row of boxes, each (its width, its cell), the last to the right edge."""
        column = 0
        for width, (role, value) in row[:-1]:
            self.put(column, role, value, width=width)
            column += width
        role, value = row[-1][1]
        self.rest(column, role, value)

    def project(self, basis: Basis, department_width: int, unit_width: int) -> None:
        self.put(0, Role.LABEL, PROJECT, width=2)
        self.rest(2, Role.TEXT, basis.project_name)
        self.spans(
            [
                (2, (Role.LABEL, _DEPARTMENT)),
                (department_width, (Role.TEXT, basis.department)),
                (unit_width, (Role.LABEL, _UNIT)),
                (0, (Role.TEXT, basis.implementing_unit)),
            ]
        )

    def goal(
        self,
        widths: tuple[int, int],
        headings: tuple[str, str],
        goal: str | None,
        progress: str | None = None,
    ) -> None:
        """年度总体目标: the approved annual goal, and beside it how it went (``progress``)."""
        self.put(0, Role.LABEL, GOAL, width=2, height=2)
        self.put(2, Role.HEADING, headings[0], width=widths[0])
        self.rest(2 + widths[0], Role.HEADING, headings[1])
        self.put(2, Role.LONG, goal, width=widths[0])
        self.rest(2 + widths[0], Role.LONG, progress)

    def indicators(
        self, targets: Sequence[Target], cells: Callable[[Target], Sequence[Cell]]
    ) -> None:
        """A row per target, its 一级指标 and 二级指标 merged down over their runs."""
        for level1, block in groupby(targets, key=lambda target: target.level1):
            members = list(block)
            self.put(0, Role.CATEGORY, level1, height=len(members))
            for level2, group in groupby(members, key=lambda target: target.level2):
                items = list(group)
                self.put(1, Role.CATEGORY, level2, height=len(items))
                for target in items:
                    for column, (role, value) in enumerate(cells(target), start=2):
                        self.put(column, role, value)
                    self.row += 1

    def area(self, first_row: int, columns: range) -> Box | None:
        """The box covering ``columns`` from ``first_row`` down to the last row, if any."""
        if self.row <= first_row:
            return None
        return Box(first_row, columns.start, Role.TEXT, None, len(columns), self.row - first_row)


def save(
    grid: Grid, basis: Basis, title: str, year: str, widths: tuple[int, ...]
) -> tuple[Workbook, Worksheet]:
    layout = FormLayout(_LAYOUT_FORM, basis.project_name, title, year, widths, tuple(grid.boxes))
    book = Workbook(write_only=True)
    return book, write_form(book, SheetTitles().take(title), layout)


def choices(sheet: Worksheet, area: Box | None, values: Sequence[str]) -> None:
    """A drop-down list on the cells of ``area``; other text is allowed after a warning."""
    if area is None:
        return
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(values) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
    )
    validation.add(box_range(area))
    sheet.data_validations.append(validation)


def book_bytes(book: Workbook) -> bytes:
    stream = BytesIO()
    book.save(stream)
    return stream.getvalue()


def raw(value: Value | None) -> str | None:
    return None if value is None else value.raw


def money_row(
    grid: Grid, widths: Sequence[int], values: Sequence[str | Decimal | None], role: Role
) -> None:
    """The cells after the row's label in column C, ``widths`` wide from D."""
    column = 3
    for width, value in zip(widths[:-1], values[:-1], strict=True):
        grid.put(column, role, value, width=width)
        column += width
    grid.rest(column, role, values[-1])
