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
from typing import Any, BinaryIO

from openpyxl import load_workbook
from openpyxl.cell.read_only import ReadOnlyCell
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

from domain import vocabulary
from infra.documents.cells import Container, DocumentError, Line, Origin
from infra.documents.coverage import MAX_TABLE_CELLS, CellBudget, GridRefused, Merge
from infra.documents.sheets import (
    ErrorCell,
    cell_text,
    lines_of,
    read_as_typed,
    refuse_error_values,
)

# What a workbook may unpack to: a 5,000-table workbook is a few hundred megabytes.
MAX_UNPACKED_BYTES = 2 * 1024**3
# What one part read whole (shared strings, styles …) may unpack to; sheets are streamed.
MAX_PART_BYTES = 128 * 1024**2
_STREAMED = "xl/worksheets/"
# What the list of a workbook's parts may take: 5,000 sheets take 400 KB. Python builds an
# object per part listed before a single one is read.
MAX_DIRECTORY_BYTES = 4 * 1024**2
_END = b"PK\x05\x06"
_END64_LOCATOR = b"PK\x06\x07"
_END64 = b"PK\x06\x06"


def xlsx_sheets(data: bytes, source: str) -> Iterator[list[Line]]:
    """The lines of each worksheet, in the workbook's order (hidden sheets included)."""
    archive_names(data, source)
    try:
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise DocumentError(
            source, [(0, vocabulary.XLSX_UNREADABLE.format(detail=error))]
        ) from None
    try:
        for sheet in book.worksheets:
            if isinstance(sheet, ReadOnlyWorksheet):
                yield _sheet_lines(sheet, source)
    finally:
        book.close()


def archive_names(data: bytes, source: str) -> set[str]:
    """The names in a ZIP file (an .xlsx is one), refused when damaged or too big unpacked."""
    listed = _directory_bytes(data)
    if listed > MAX_DIRECTORY_BYTES:
        words = vocabulary.DIRECTORY_TOO_LARGE.format(
            size=listed // 1024**2, limit=MAX_DIRECTORY_BYTES // 1024**2
        )
        raise DocumentError(source, [(0, words)])
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            items = archive.infolist()
    except (zipfile.BadZipFile, NotImplementedError, ValueError, EOFError, OSError) as error:
        raise DocumentError(source, [(0, vocabulary.ZIP_DAMAGED.format(detail=error))]) from None
    unpacked = sum(item.file_size for item in items)
    if unpacked > MAX_UNPACKED_BYTES:
        size = unpacked // 1024**2
        raise DocumentError(source, [(0, vocabulary.UNPACKED_TOO_LARGE.format(size=size))])
    for item in items:
        if item.file_size > MAX_PART_BYTES and not item.filename.startswith(_STREAMED):
            words = vocabulary.PART_TOO_LARGE.format(
                part=item.filename, size=item.file_size // 1024**2, limit=MAX_PART_BYTES // 1024**2
            )
            raise DocumentError(source, [(0, words)])
    return {item.filename for item in items}


def _directory_bytes(data: bytes) -> int:
    """The size of the ZIP's central directory as its end record states it (the size Python
    reads), or 0 when there is no end record (``zipfile`` then says what is damaged)."""
    at = data.rfind(_END, max(0, len(data) - 65_557))  # the record, then a comment ≤ 64 KB
    if at < 0 or at + 22 > len(data):
        return 0
    size = int.from_bytes(data[at + 12 : at + 16], "little")
    locator = data[max(0, at - 20) : at]
    if size == 0xFFFFFFFF and locator.startswith(_END64_LOCATOR):
        offset = int.from_bytes(locator[8:16], "little")
        record = data[offset : offset + 56]
        if record.startswith(_END64):
            size = int.from_bytes(record[40:48], "little")
    return size


def _sheet_lines(sheet: ReadOnlyWorksheet, source: str) -> list[Line]:
    errors: list[ErrorCell] = []
    try:
        lines = _lines(sheet, errors)
    except GridRefused as refused:
        raise refused.of(source) from None
    # A damaged sheet fails in many ways: cut-off XML (a SyntaxError), an entry zipfile cannot
    # unpack (NotImplementedError, zlib.error, EOFError), values openpyxl cannot convert.
    except Exception as error:
        problem = vocabulary.XLSX_SHEET_DAMAGED.format(sheet=sheet.title, detail=error)
        raise DocumentError(source, [(0, problem)]) from None
    refuse_error_values(errors, Origin(Container.SHEET, sheet.title), source)
    return lines


def _lines(sheet: ReadOnlyWorksheet, errors: list[ErrorCell]) -> list[Line]:
    """The sheet's lines; each cell holding an error value is added to ``errors``."""
    # The read-only sheet's own parts, as its _cells_by_row hands them to the parser.
    inside: Any = sheet
    book: Any = sheet.parent
    rows: list[tuple[int, dict[int, str]]] = []
    origin = Origin(Container.SHEET, sheet.title)
    budget = _sheet_budget(inside, origin)
    # The used range: the sheet's declared dimension and every cell it holds, empty ones too.
    last_row, last_column = sheet.max_row or 0, sheet.max_column or 0
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
            if cells:
                last_row = max(last_row, number)
                last_column = max(last_column, max(cell["column"] for cell in cells))
            errors += [(number, cell["column"], cell["value"]) for cell in cells if _error(cell)]
            texts = {
                cell["column"]: cell_text(cell["value"], ReadOnlyCell(sheet, **cell).number_format)
                for cell in cells
                if cell["value"] is not None and not _error(cell)
            }
            if texts:
                budget.spend(len(texts), origin, number, max(texts) - 1)
                rows.append((number, texts))
        merges = _merges(parser)
    return lines_of(rows, merges, origin, (last_row, last_column), budget)


_CHUNK = 1 << 20


def _sheet_budget(sheet: Any, origin: Origin) -> CellBudget:
    """The sheet's budget, less one cell per merge its XML lists. The merges follow the rows
    in the file: the cells read spend from it next, and the merges' areas last."""
    budget = CellBudget(MAX_TABLE_CELLS, vocabulary.GRID_SHEET)
    with sheet._get_source() as stream:
        budget.spend(_merges_written(stream), origin, 1, 0)
    return budget


def _merges_written(stream: BinaryIO) -> int:
    """How many merges the sheet's XML holds, at most: counted in its raw text, since the
    parser builds every merge as an object before any could be refused."""
    count, tail = 0, b""
    while chunk := stream.read(_CHUNK):
        text = tail + chunk
        # A merge is written ``<mergeCell …/>`` (or with a prefix, or closed by a tag of its
        # own, counted twice), inside ``<mergeCells>``; a word cut by the chunk is in the tail.
        count += text.count(b"mergeCell") - text.count(b"mergeCells")
        tail = text[-len(b"mergeCells") + 1 :]
    return count


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
