"""Excel workbooks (.xlsx): each sheet's rows as lines of the form's grid, one sheet at a time.

The workbook is opened read-only, so its sheets are streamed from the file: only the sheet
being read is held, as lines of text. openpyxl's read-only sheets do not report merged cells;
the sheet parser that reads their rows does, after the rows (where the file stores them), so
it is used directly — openpyxl is pinned, and tests/documents reads merged workbooks.

A value typed as ``=100%`` or ``=1次`` is stored by Excel as a formula. Such a formula that is
a literal value is read as typed (the ``=`` is the indicator's operator); any other formula is
read by the value Excel last computed for it. A cell holding an error value (#NAME?, #DIV/0!)
refuses the file, naming the cell and the error, as in .xls.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from io import BytesIO
from typing import Any

from openpyxl import load_workbook
from openpyxl.cell.read_only import ReadOnlyCell
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

from infra.documents.cells import Container, DocumentError, Line, Origin
from infra.documents.sheets import (
    ErrorCell,
    Merge,
    cell_text,
    lines_of,
    read_as_typed,
    refuse_error_values,
)

# What a workbook may unpack to: a 5,000-table workbook is a few hundred megabytes.
MAX_UNPACKED_BYTES = 2 * 1024**3


def xlsx_sheets(data: bytes, source: str) -> Iterator[list[Line]]:
    """The lines of each worksheet, in the workbook's order (hidden sheets included)."""
    archive_names(data, source)
    try:
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise DocumentError(source, [(0, f"cannot open the workbook: {error}")]) from None
    try:
        for sheet in book.worksheets:
            if isinstance(sheet, ReadOnlyWorksheet):
                yield _sheet_lines(sheet, source)
    finally:
        book.close()


def archive_names(data: bytes, source: str) -> set[str]:
    """The names in a ZIP file (an .xlsx is one), refused when damaged or too big unpacked."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            items = archive.infolist()
    except (zipfile.BadZipFile, NotImplementedError, ValueError, EOFError, OSError) as error:
        raise DocumentError(source, [(0, f"a damaged ZIP/Excel file: {error}")]) from None
    unpacked = sum(item.file_size for item in items)
    if unpacked > MAX_UNPACKED_BYTES:
        size = unpacked // 1024**2
        raise DocumentError(source, [(0, f"the file unpacks to {size} MB, over the limit")])
    return {item.filename for item in items}


def _sheet_lines(sheet: ReadOnlyWorksheet, source: str) -> list[Line]:
    errors: list[ErrorCell] = []
    try:
        lines = _lines(sheet, errors)
    # A damaged sheet fails in many ways: cut-off XML (a SyntaxError), an entry zipfile cannot
    # unpack (NotImplementedError, zlib.error, EOFError), values openpyxl cannot convert.
    except Exception as error:
        problem = f"the sheet {sheet.title!r} is damaged and cannot be read: {error}"
        raise DocumentError(source, [(0, problem)]) from None
    refuse_error_values(errors, Origin(Container.SHEET, sheet.title), source)
    return lines


def _lines(sheet: ReadOnlyWorksheet, errors: list[ErrorCell]) -> list[Line]:
    """The sheet's lines; each cell holding an error value is added to ``errors``."""
    # The read-only sheet's own parts, as its _cells_by_row hands them to the parser.
    inside: Any = sheet
    book: Any = sheet.parent
    rows: list[tuple[int, dict[int, str]]] = []
    with inside._get_source() as stream:
        parser = _Parser(
            stream,
            inside._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for number, cells in parser.parse():
            errors += [(number, cell["column"], cell["value"]) for cell in cells if _error(cell)]
            texts = {
                cell["column"]: cell_text(cell["value"], ReadOnlyCell(sheet, **cell).number_format)
                for cell in cells
                if cell["value"] is not None and not _error(cell)
            }
            if texts:
                rows.append((number, texts))
        merges = _merges(parser)
    return lines_of(rows, merges, Origin(Container.SHEET, sheet.title))


class _Parser(WorkSheetParser):
    """Reads cached values, but a literal formula (``=100%``) as typed."""

    def parse_cell(self, element: Any) -> dict[str, Any]:
        cell: dict[str, Any] = super().parse_cell(element)
        formula = element.findtext(FORMULA_TAG)
        if formula and read_as_typed(formula, cell["value"]):
            cell.update(value=f"={formula}", data_type="s")
        return cell


def _error(cell: dict[str, Any]) -> bool:
    return bool(cell["data_type"] == "e" and cell["value"] is not None)


def _merges(parser: WorkSheetParser) -> list[Merge]:
    if not parser.merged_cells:
        return []
    found: list[Merge] = []
    for merged in parser.merged_cells.mergeCell:
        first_column, first_row, last_column, last_row = range_boundaries(merged.ref)
        if first_column and first_row and last_column and last_row:
            found.append((first_row, first_column, last_row, last_column))
    return found
