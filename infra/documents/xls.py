"""Excel 97–2003 workbooks (.xls), read with xlrd: each sheet's rows as lines of the grid.

Sheets are loaded on demand and let go once read, so only one is held at a time; rows are
kept ragged (xlrd would pad every row to the widest, and a merge widens the sheet), and the
sheet's merges are checked against its cell budget before its cells are read. Values are
read as the sheet shows them (their number formats); a formula that is a literal value
(``=50%``, as LibreOffice saves one) as typed, as in .xlsx (see ``xls_formulas``); a cell
holding an error value (#NAME?) refuses the file, naming the cell and the error.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import xlrd
from xlrd.sheet import Sheet

from domain import vocabulary
from infra.documents.cells import Container, DocumentError, Line, Origin
from infra.documents.coverage import GridRefused
from infra.documents.sheets import (
    ErrorCell,
    cell_text,
    lines_of,
    read_as_typed,
    refuse_error_values,
)
from infra.documents.xls_formulas import literal_formulas


def xls_sheets(data: bytes, source: str) -> Iterator[list[Line]]:
    try:
        book = xlrd.open_workbook(
            file_contents=data,
            formatting_info=True,
            on_demand=True,
            ragged_rows=True,
            logfile=io.StringIO(),
        )
    except Exception as error:  # xlrd raises many kinds for a damaged or foreign file
        raise DocumentError(source, [(0, vocabulary.XLS_UNREADABLE.format(detail=error))]) from None
    try:
        for index in range(book.nsheets):
            yield _sheet_lines(book, index, source)
            book.unload_sheet(index)
    finally:
        book.release_resources()


def _sheet_lines(book: xlrd.Book, index: int, source: str) -> list[Line]:
    errors: list[ErrorCell] = []
    try:
        sheet = book.sheet_by_index(index)
        lines = _lines(book, sheet, literal_formulas(book, index), errors)
    except GridRefused as refused:
        raise refused.of(source) from None
    except Exception as error:  # a damaged sheet fails in xlrd in many ways
        problem = vocabulary.XLS_SHEET_DAMAGED.format(number=index + 1, detail=error)
        raise DocumentError(source, [(0, problem)]) from None
    refuse_error_values(errors, Origin(Container.SHEET, sheet.name), source)
    return lines


def _lines(
    book: xlrd.Book, sheet: Sheet, formulas: dict[tuple[int, int], str], errors: list[ErrorCell]
) -> list[Line]:
    """The sheet's lines; the cells holding an error value are added to ``errors``."""
    merges = [
        (first_row + 1, first_column + 1, end_row, end_column)
        for first_row, end_row, first_column, end_column in sheet.merged_cells
    ]
    used = (sheet.nrows, sheet.ncols)
    rows = _rows(book, sheet, formulas, errors)
    return lines_of(rows, merges, Origin(Container.SHEET, sheet.name), used)


def _rows(
    book: xlrd.Book, sheet: Sheet, formulas: dict[tuple[int, int], str], errors: list[ErrorCell]
) -> Iterator[tuple[int, dict[int, str]]]:
    """The sheet's rows holding text, read as ``lines_of`` asks for them."""
    for row in range(sheet.nrows):
        texts: dict[int, str] = {}
        for column in range(sheet.row_len(row)):
            cell = sheet.cell(row, column)
            formula = formulas.get((row, column))
            if formula is not None and read_as_typed(formula, cell.value):
                texts[column + 1] = f"={formula}"
            elif cell.ctype == xlrd.XL_CELL_ERROR:
                errors.append((row + 1, column + 1, _error_text(cell.value)))
            elif text := _text(book, cell):
                texts[column + 1] = text
        if texts:
            yield row + 1, texts


def _error_text(code: object) -> str:
    return str(xlrd.error_text_from_code.get(code, f"#{code}"))


def _text(book: xlrd.Book, cell: xlrd.sheet.Cell) -> str:
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    if cell.ctype == xlrd.XL_CELL_DATE:
        return cell_text(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return cell_text(bool(cell.value))
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        return cell_text(cell.value, _number_format(book, cell.xf_index))
    return cell_text(cell.value)


def _number_format(book: xlrd.Book, xf_index: int | None) -> str:
    if xf_index is None:
        return "General"
    found = book.format_map.get(book.xf_list[xf_index].format_key)
    return found.format_str if found is not None else "General"
