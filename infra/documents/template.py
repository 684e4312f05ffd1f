"""Blank workbooks in the official layout of a form, for bureaus to fill in and import.

Every label is printed and every value cell is empty, with a few empty rows under each
category the form asks for. Where the form has fixed choices (项目类型 or 项目属性, 一级指标,
二级指标) the cells offer them as a drop-down list; a value outside the list is allowed after a
warning, since the forms in use word some categories their own way (满意度 for 满意度指标).
A list longer than Excel's 255 characters for an inline list is kept on a hidden sheet.
"""

from __future__ import annotations

from collections import defaultdict
from io import BytesIO

from openpyxl import Workbook
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from domain.model import Form
from infra.documents.form_layout import blank_layout
from infra.documents.layout import Choice, FormLayout
from infra.documents.workbook import SheetTitles, box_range, write_form

INLINE_LIST_LIMIT = 255
LISTS_SHEET = "lists"


def template_bytes(form: Form, fiscal_year: int | None = None) -> bytes:
    """An empty workbook of the form; its year line reads ``2026年度`` when a year is given."""
    return blank_workbook(blank_layout(form, fiscal_year))


def blank_workbook(layout: FormLayout) -> bytes:
    """The workbook of a blank layout, with its choice lists."""
    book = Workbook(write_only=True)
    titles = SheetTitles()
    sheet = write_form(book, titles.take(layout.title), layout)
    offer_choices(book, sheet, layout, titles)
    stream = BytesIO()
    book.save(stream)
    return stream.getvalue()


def offer_choices(
    book: Workbook, sheet: Worksheet, layout: FormLayout, titles: SheetTitles
) -> None:
    """A drop-down list on every box of the layout that has fixed choices."""
    ranges: dict[Choice, list[str]] = defaultdict(list)
    for box in layout.boxes:
        if box.choice is not None:
            ranges[box.choice].append(box_range(box))
    sources = {choice: _inline(values) for choice, values in layout.choices}
    lists = ""
    if None in sources.values():
        lists = _lists_sheet(book, titles.take(LISTS_SHEET), layout.choices)
    for column, (choice, values) in enumerate(layout.choices, start=1):
        letter = get_column_letter(column)
        validation = DataValidation(
            type="list",
            formula1=sources[choice]
            or f"{quote_sheetname(lists)}!${letter}$1:${letter}${len(values)}",
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
        )
        for cells in ranges[choice]:
            validation.add(cells)
        sheet.data_validations.append(validation)


def _inline(values: tuple[str, ...]) -> str | None:
    """The values as an inline list ``"a,b"``, or None when Excel cannot hold them so."""
    text = ",".join(values)
    if len(text) > INLINE_LIST_LIMIT or any("," in value or '"' in value for value in values):
        return None
    return f'"{text}"'


def _lists_sheet(
    book: Workbook, title: str, choices: tuple[tuple[Choice, tuple[str, ...]], ...]
) -> str:
    """A hidden sheet with each list of choices in a column, in order; returns its title."""
    lists: Worksheet = book.create_sheet(title)
    lists.sheet_state = "hidden"
    longest = max(len(values) for _, values in choices)
    for row in range(longest):
        lists.append([values[row] if row < len(values) else None for _, values in choices])
    return title
