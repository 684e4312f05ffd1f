"""Table documents as an Excel workbook in the official layout, one sheet per table.

The workbook is written in openpyxl's write-only mode, so that thousands of tables stream to
the file a sheet at a time: merged cells, column widths, row heights, styles, data validations
and the print setup (A4 landscape at a scale that fits the width, the title in the page
header, the indicator header repeated, page breaks between blocks; see ``print_pages``) all
work in that mode.

Every text cell stays text: a value such as ``=50%`` or ``=1次`` is written as a string
(``t="inlineStr"``, the text number format ``@`` and Excel's quote prefix), never as a formula,
so that nothing a bureau wrote is evaluated. Amounts are numbers shown with exactly the decimals
they were written with (``249`` as ``0``, ``36.20`` as ``0.00``), so that they read back as
written; an amount a spreadsheet's double cannot hold exactly (over 15 digits) is text.
Characters XML cannot carry become U+FFFD (see ``layout``); text over Excel's 32,767
characters per cell is cut there by openpyxl.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from io import BytesIO
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from domain import vocabulary
from domain.document import TableDocument
from infra.documents.form_layout import document_layout
from infra.documents.layout import Box, FormLayout, Role, printable
from infra.documents.print_pages import BOTTOM_MARGIN, HEADER_MARGIN, SIDE_MARGIN, TOP_MARGIN, pages

AMOUNT_FORMAT = "0.00"
_EXACT_DIGITS = 15  # what a spreadsheet's double keeps of a number
TEXT_FORMAT = "@"
_TITLE_ROWS = 2  # the title, then the year, above the form's grid
_TITLE_HEIGHTS = (30.0, 20.0)
_LINE_HEIGHT = 15.0  # points per line of 11-point text
_DEFAULT_HEIGHT = 15.0  # a row the office software sizes itself, as first printed
_BLANK_PROSE_LINES = 5
# Fonts of the printed forms, as government PCs have them: 宋体 (SimSun) for the form, 黑体
# (SimHei) for its title. A machine without them substitutes one font for the whole cell (on
# Debian, fontconfig's sans with WenQuanYi for the Chinese), so that digits and Chinese match;
# an unnamed font printed digits in a serif beside sans Chinese.
BODY_FONT, TITLE_FONT = "宋体", "黑体"
_GB2312 = 134  # the character set Excel records for Chinese fonts
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTRED = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
# How each kind of box is drawn: (alignment, bold and shaded, number format).
_LOOKS = {
    Role.LABEL: (_CENTRED, True, "General"),
    Role.HEADING: (_CENTRED, True, "General"),
    Role.CATEGORY: (_CENTRED, False, "General"),
    Role.TEXT: (_LEFT, False, TEXT_FORMAT),  # what a user types here stays text too
    Role.LONG: (Alignment(horizontal="left", vertical="top", wrap_text=True), False, TEXT_FORMAT),
    Role.AMOUNT: (Alignment(horizontal="right", vertical="center"), False, AMOUNT_FORMAT),
    Role.NOTE: (_LEFT, False, "General"),
}
_STYLE = "jixiao-{}"
_TITLE_STYLE = _STYLE.format("title")
_YEAR_STYLE = _STYLE.format("year")
# What Excel would read as something other than text when typed: a formula, or an error code.
_FORMULA_LIKE = ("=", "+", "-", "@")
_FORBIDDEN_IN_TITLE = re.compile(r"[\[\]:*?/\\]")
_TITLE_LIMIT = 31


def workbook_bytes(documents: Iterable[TableDocument]) -> bytes:
    """The documents as one workbook: a sheet per table, in the order given."""
    stream = BytesIO()
    write_workbook(documents, stream)
    return stream.getvalue()


def write_workbook(documents: Iterable[TableDocument], stream: BinaryIO) -> None:
    """Stream the documents' workbook to ``stream``, one table's sheet at a time."""
    book = Workbook(write_only=True)
    titles = SheetTitles()
    for document in documents:
        layout = document_layout(document)
        write_form(book, titles.take(layout.name), layout)
    if not book.worksheets:
        book.create_sheet(titles.take(""))  # a workbook needs a sheet, even with no table
    book.save(stream)


class SheetTitles:
    """Sheet titles Excel accepts: no []:*?/\\, at most 31 characters, unique in the book."""

    def __init__(self) -> None:
        self.used = {"history"}  # Excel reserves it

    def take(self, name: str) -> str:
        base = _FORBIDDEN_IN_TITLE.sub("_", printable(name)).strip().strip("'")
        base = base[:_TITLE_LIMIT] or "Sheet"
        title, count = base, 1
        while title.casefold() in self.used:
            count += 1
            suffix = f"({count})"
            title = base[: _TITLE_LIMIT - len(suffix)] + suffix
        self.used.add(title.casefold())
        return title


def write_form(book: Workbook, title: str, layout: FormLayout) -> Worksheet:
    """Append a sheet holding one form: title, year, then the grid, merged and styled, with
    its print setup (see ``print_pages``).

    ``book`` is write-only: the sheet it makes has the parts of a ``Worksheet`` used here
    (openpyxl's stubs leave them off ``WriteOnlyWorksheet``), and rows are only appended.
    """
    sheet: Worksheet = book.create_sheet(title)
    columns = len(layout.widths)
    for index, width in enumerate(layout.widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    _add_styles(book)
    for row, (text, style) in enumerate(
        ((layout.title, _TITLE_STYLE), (layout.year, _YEAR_STYLE)), start=1
    ):
        cell = WriteOnlyCell(sheet, value=text)
        cell.style = style
        sheet.row_dimensions[row].height = _TITLE_HEIGHTS[row - 1]
        sheet.append([cell])
        sheet.merged_cells.add(f"A{row}:{get_column_letter(columns)}{row}")
    cells = layout.cells()
    heights = list(_TITLE_HEIGHTS)
    for row in range(layout.height):
        boxes = [cells[(row, column)] for column in range(columns)]
        heights.append(_write_row(sheet, layout, boxes, row))
    for box in layout.boxes:
        if box.width > 1 or box.height > 1:
            sheet.merged_cells.add(box_range(box))
    _print_setup(sheet, layout, heights)
    return sheet


def box_range(box: Box) -> str:
    """The cells a box covers on its sheet, as ``B3:E3``."""
    first = f"{get_column_letter(box.column + 1)}{box.row + 1 + _TITLE_ROWS}"
    last = f"{get_column_letter(box.column + box.width)}{box.row + box.height + _TITLE_ROWS}"
    return first if first == last else f"{first}:{last}"


def _print_setup(sheet: Worksheet, layout: FormLayout, heights: list[float]) -> None:
    """A4 landscape at the scale that fits the columns; the title in every page's header, the
    indicator header repeated, blocks kept together, pages numbered."""
    found = pages(layout, heights, _TITLE_ROWS)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.scale = found.scale
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = SIDE_MARGIN
    sheet.page_margins.top, sheet.page_margins.bottom = TOP_MARGIN, BOTTOM_MARGIN
    sheet.page_margins.header = sheet.page_margins.footer = HEADER_MARGIN
    if found.repeated is not None:
        sheet.print_title_rows = f"{found.repeated[0]}:{found.repeated[1]}"
    for row in found.breaks:
        sheet.row_breaks.append(Break(id=row))
    header, footer = sheet.oddHeader, sheet.oddFooter  # openpyxl makes both; its stubs say maybe
    if header is not None and footer is not None:
        header.center.text = layout.title.replace("&", "&&")
        footer.center.text = vocabulary.PAGE_NUMBER.format(page="&P", pages="&N")


def _write_row(sheet: Worksheet, layout: FormLayout, boxes: list[Box], row: int) -> float:
    """One row of the grid; cells a box covers but does not start in are styled like it, so
    that the borders of merged cells print. Returns the row's height as it will print."""
    cells = [
        _cell(sheet, box, first=(box.row, box.column) == (row, column))
        for column, box in enumerate(boxes)
    ]
    starting = list(dict.fromkeys(box for box in boxes if box.row == row))
    height = _row_height(layout, starting)
    if height is not None:
        sheet.row_dimensions[row + 1 + _TITLE_ROWS].height = height
    sheet.append(cells)
    return height or _DEFAULT_HEIGHT


def _cell(sheet: Worksheet, box: Box, first: bool) -> Cell:
    cell = WriteOnlyCell(sheet)
    cell.style = _STYLE.format(box.role.value)
    if not first or box.value is None:
        return cell
    value = box.value
    if isinstance(value, Decimal) and len(value.as_tuple().digits) > _EXACT_DIGITS:
        value = format(value, "f")  # a double would round it: the written digits as text
        cell.number_format = TEXT_FORMAT
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula nor an error code, whatever the text says
        cell.quotePrefix = value.startswith(_FORMULA_LIKE)
    elif isinstance(value, Decimal):
        cell.number_format = amount_format(value)
    return cell


def _add_styles(book: Workbook) -> None:
    """The book's named styles, one per role: set by name, a cell's style costs no lookup."""
    if _TITLE_STYLE in book.named_styles:
        return
    title = Font(name=TITLE_FONT, bold=True, size=16, charset=_GB2312)
    book.add_named_style(NamedStyle(_TITLE_STYLE, font=title, alignment=_CENTRED))
    book.add_named_style(NamedStyle(_YEAR_STYLE, font=_font(), alignment=_CENTRED))
    for role, (alignment, strong, number_format) in _LOOKS.items():
        style = NamedStyle(_STYLE.format(role.value), alignment=alignment, font=_font())
        style.number_format = number_format
        if role is not Role.NOTE:
            style.border = _BORDER
        if strong:
            style.font = _font(bold=True)
            style.fill = PatternFill("solid", fgColor="F2F2F2")
        book.add_named_style(style)


def _font(bold: bool = False) -> Font:
    return Font(name=BODY_FONT, size=11, bold=bold, charset=_GB2312)


def amount_format(value: Decimal) -> str:
    """The number format that shows the amount as written: ``0`` for 249, ``0.00`` for 36.20."""
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return "0." + "0" * places if places else "0"


def _row_height(layout: FormLayout, boxes: list[Box]) -> float | None:
    """Tall enough for the wrapped text of the row's one-row boxes; an empty prose box (a
    template's 立项必要性) leaves room for a paragraph. None for a row with nothing written:
    the office software fits its height to what is typed there (not to merged cells, hence
    the room left in prose boxes)."""
    lines = 0
    for box in boxes:
        if box.height != 1:
            continue
        if isinstance(box.value, str):
            width = sum(layout.widths[box.column : box.column + box.width])
            lines = max(lines, _lines_needed(box.value, width))
        elif box.role is Role.LONG:
            lines = max(lines, _BLANK_PROSE_LINES)
    return lines * _LINE_HEIGHT + 3 if lines else None


def _lines_needed(text: str, width: int) -> int:
    """Lines of wrapped text in a cell ``width`` characters wide (a CJK character is two)."""
    usable = max(1, width - 2)
    return sum(
        max(
            1,
            math.ceil(
                sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in part) / usable
            ),
        )
        for part in text.split("\n")
    )
