"""Workbooks written the way bureaus save them: .xlsx with openpyxl, .xls with xlwt."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

import xlwt
from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from tests.documents.layout import Grid

SheetGrid = tuple[str, Grid]

# Column widths a bureau would set: labels narrow, names and long texts wide.
_WIDTHS = (14, 16, 40, 16, 16, 16)


def xlsx_bytes(sheets: Sequence[SheetGrid]) -> bytes:
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for name, grid in sheets:
        worksheet = book.create_sheet(name)
        for index, width in enumerate(_WIDTHS, start=1):
            worksheet.column_dimensions[get_column_letter(index)].width = width
        for cell in grid.cells:
            target = worksheet.cell(cell.row + 1, cell.column + 1, cell.value)
            target.number_format = cell.number_format
            target.alignment = Alignment(wrap_text=True, vertical="center")
            if cell.rows > 1 or cell.columns > 1:
                worksheet.merge_cells(
                    start_row=cell.row + 1,
                    start_column=cell.column + 1,
                    end_row=cell.row + cell.rows,
                    end_column=cell.column + cell.columns,
                )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xls_bytes(sheets: Sequence[SheetGrid]) -> bytes:
    book = xlwt.Workbook(encoding="utf-8")
    styles: dict[str, xlwt.XFStyle] = {}
    for name, grid in sheets:
        worksheet = book.add_sheet(name)
        for cell in grid.cells:
            style = styles.get(cell.number_format)
            if style is None:
                style = styles[cell.number_format] = xlwt.easyxf(
                    "align: wrap on, vert centre", num_format_str=cell.number_format
                )
            value = _xls_value(cell.value)
            if cell.rows > 1 or cell.columns > 1:
                last_row = cell.row + cell.rows - 1
                last_column = cell.column + cell.columns - 1
                worksheet.write_merge(cell.row, last_row, cell.column, last_column, value, style)
            else:
                worksheet.write(cell.row, cell.column, value, style)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def cell_name(grid: Grid, key: str, table: int = 0) -> str:
    """Where the cell named ``key`` is, as a workbook names it: ``B5``."""
    row, column = grid.where(key, table)
    return f"{get_column_letter(column + 1)}{row + 1}"


def _xls_value(value: object) -> object:
    # xlwt writes floats, not Decimals; 65.34 as a float prints as 65.34 again.
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value
    return value
