"""The built documents are what their layouts claim (checked with openpyxl, not our reader)."""

from __future__ import annotations

import io
from datetime import datetime

import xlrd
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from tests.documents.form_grid import Printing
from tests.documents.layout import Layout, Spread
from tests.documents.pages import Page
from tests.documents.published import (
    JIANGSU_SHEETS,
    NANCHANG_SHEETS,
    WORKBOOK_VARIANTS,
    forms,
    nanchang,
    one_per_sheet,
    page,
    xls,
    xlsx,
)


def _variant_sheets(name: str) -> tuple[dict[str, Worksheet], dict[str, str]]:
    """The variant's sheets by name, and a lookup of its first sheet's named cells."""
    variant = next(item for item in WORKBOOK_VARIANTS if item.name == name)
    book = xlsx(variant.sheets(), variant.layout)
    workbook = load_workbook(io.BytesIO(book.data))
    first = workbook.sheetnames[0]
    keys = ("name", "kind", "start", "funds.total", "header", "indicator.6", "indicator.7")
    cells = {}
    for key in keys:
        try:
            cells[key] = book.cell(first, key)
        except KeyError:
            continue
    return {sheet.title: sheet for sheet in workbook.worksheets}, cells


def _merged(sheet: Worksheet) -> set[str]:
    return {str(cell_range) for cell_range in sheet.merged_cells.ranges}


def test_merged_jiangsu_workbook_merges_title_values_and_categories() -> None:
    sheets, cells = _variant_sheets("jiangsu-merged-numbers")
    sheet = sheets[JIANGSU_SHEETS[0]]

    assert list(sheets) == list(JIANGSU_SHEETS)
    assert {"A1:E1", "B5:C5"} <= _merged(sheet)  # title; 项目名称's value under 单位 and a gap
    assert cells["name"] == "B5"
    header_row = int(cells["header"][1:])
    assert f"A{header_row + 1}:A{header_row + 6}" in _merged(sheet)  # 决策 over its six rows
    total = sheet[cells["funds.total"]]
    assert (total.value, total.number_format) == (249, "0")
    start = sheet[cells["start"]]
    assert (start.value, start.number_format) == (2024, '0"年"')
    funds_arrived = sheet[cells["indicator.6"]]  # 资金到位率, full year 100%
    assert (funds_arrived.value, funds_arrived.number_format) == (1, "0%")


def test_shifted_workbook_starts_in_column_b_below_blank_rows() -> None:
    sheets, cells = _variant_sheets("jiangsu-shifted-unmerged")
    sheet = sheets[JIANGSU_SHEETS[0]]

    assert sheet["B3"].value == "江苏省省级项目预算绩效目标表"
    assert cells["name"] == "C8"
    # Only 项目资金(万元) stays merged down its rows; categories are written on every row.
    assert {cell_range[0] + cell_range.split(":")[1][0] for cell_range in _merged(sheet)} == {"BB"}
    header_row = int(cells["header"][1:])
    assert sheet[f"B{header_row + 1}"].value == sheet[f"B{header_row + 2}"].value == "决策"


def test_dated_nanchang_workbook_holds_real_dates_under_a_label_over_two_rows() -> None:
    sheets, cells = _variant_sheets("nanchang-excel-dates-merged")
    sheet = sheets[NANCHANG_SHEETS[0]]

    start = sheet[cells["start"]]
    assert isinstance(start.value, datetime)
    assert start.is_date
    row = int(cells["start"][1:])
    assert f"D{row}:D{row + 1}" in _merged(sheet)  # 项目日期范围
    assert sheet[cells["indicator.7"]].value == datetime(2026, 11, 30)
    total = sheet[cells["funds.total"]]
    assert total.number_format == "0.00"


def test_stacked_workbook_has_every_table_on_one_sheet() -> None:
    sheets, _ = _variant_sheets("nanchang-stacked-repeated")
    [sheet] = sheets.values()

    titles = [cell.value for cell in sheet["A"] if cell.value == "项目支出绩效目标表"]
    assert len(titles) == 4


def test_gbk_page_is_not_utf8_and_names_its_charset() -> None:
    data = page(forms(nanchang()), Layout(), Page(encoding="gbk", meta_charset="gbk"))

    assert b'<meta charset="gbk">' in data
    assert "生态环境".encode("gbk") in data
    assert "生态环境".encode() not in data


def test_page_writes_spans_paragraphs_and_blank_cells_as_sites_do() -> None:
    printing = Printing(period_in_one_cell=True, period_separator="\n")
    layout = Layout(levels=Spread.MERGE, printing=printing)
    text = page(forms(nanchang(), printing), layout, Page()).decode()

    assert 'rowspan="' in text
    assert 'colspan="3"' in text
    assert "<p>目标1:" in text
    assert "2025年4月1日<br>2026年4月30日" in text
    assert "&nbsp;</td>" in text  # 其他资金 left blank
    assert "发布日期" in text
    assert text.count("<table") == 4


def test_xls_workbook_holds_merges_numbers_and_dates() -> None:
    layout = Layout(amounts_as_numbers=True, dates_as_excel=True)
    book = xls(one_per_sheet(NANCHANG_SHEETS, forms(nanchang())), layout)
    workbook = xlrd.open_workbook(file_contents=book.data, formatting_info=True)
    sheet = workbook.sheet_by_name(NANCHANG_SHEETS[0])

    def at(key: str) -> xlrd.sheet.Cell:
        row, column = book.grids[NANCHANG_SHEETS[0]].where(key)
        return sheet.cell(row, column)

    assert (0, 1, 0, 4) in sheet.merged_cells  # the title across the table
    assert at("start").ctype == xlrd.XL_CELL_DATE
    assert at("indicator.7").ctype == xlrd.XL_CELL_DATE
    assert (at("funds.total").ctype, at("funds.total").value) == (xlrd.XL_CELL_NUMBER, 78.0)
