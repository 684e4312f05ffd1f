"""Workbooks laid out as bureaus publish them read to the same tables as the seed text."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from domain.document import TableDocument
from infra.documents.reading import read_documents
from tests.documents.layout import Grid, Layout, Placed, Spread, sheet
from tests.documents.published import (
    JIANGSU_CODE,
    JIANGSU_SHEETS,
    NANCHANG_CODE,
    NANCHANG_SHEETS,
    SOIL_SHEET,
    WORKBOOK_VARIANTS,
    Variant,
    comparable,
    forms,
    jiangsu,
    nanchang,
    one_per_sheet,
    soil,
    xls,
    xlsx,
)
from tests.documents.workbooks import SheetGrid, xls_bytes, xlsx_bytes


def same_tables(
    read: Sequence[TableDocument], expected: Sequence[TableDocument], layout: Layout
) -> bool:
    """Equal in count, order and content; an Excel date value is compared by its date."""
    if layout.dates_as_excel:
        return comparable(read) == comparable(expected)
    return list(read) == list(expected)


@pytest.mark.parametrize("variant", WORKBOOK_VARIANTS, ids=lambda variant: variant.name)
def test_xlsx_layout_reads_as_the_seed_tables(variant: Variant) -> None:
    book = xlsx(variant.sheets(), variant.layout)

    read = read_documents(book.data, f"{variant.name}.xlsx", variant.jurisdiction)

    assert same_tables(read, variant.documents(), variant.layout)


def test_percentage_written_as_a_number_reads_as_its_percent() -> None:
    layout = Layout(percents_as_numbers=True)
    book = xlsx([(SOIL_SHEET, forms(soil()))], layout)

    [table] = read_documents(book.data, "soil.xlsx", NANCHANG_CODE)

    rate = next(item for item in table.indicators if item.name == "监测数据有效率")
    assert rate.full_year.raw == "95%"
    assert [table] == list(soil())


def test_amount_formatted_with_two_decimals_keeps_them() -> None:
    layout = Layout(amounts_as_numbers=True)
    book = xlsx(one_per_sheet(NANCHANG_SHEETS, forms(nanchang())), layout)

    read = read_documents(book.data, "nanchang.xlsx", NANCHANG_CODE)

    assert [str(table.funds.total) for table in read] == ["78.00", "65.34", "36.20", "436.41"]


def test_excel_dates_read_as_the_dates_they_show() -> None:
    layout = Layout(dates_as_excel=True)
    book = xlsx([(SOIL_SHEET, forms(soil()))], layout)

    [table] = read_documents(book.data, "soil.xlsx", NANCHANG_CODE)

    due = next(item for item in table.indicators if item.name == "监测报告完成时间")
    assert (table.project.start, table.project.end) == ("2026-03-01", "2026-11-30")
    assert due.full_year.date == "2026-11-30"


def test_tables_of_two_projects_stacked_with_their_own_tables_on_other_sheets() -> None:
    layout = Layout(levels=Spread.REPEAT, blank_under_title=1)
    tables = forms(nanchang())
    sheets = [(SOIL_SHEET, [*forms(soil()), tables[0]]), ("其他项目", tables[1:])]
    book = xlsx(sheets, layout)

    read = read_documents(book.data, "mixed.xlsx", NANCHANG_CODE)

    assert read == [*soil(), *nanchang()]


def test_workbook_named_as_text_is_read_as_a_workbook() -> None:
    book = xlsx([(SOIL_SHEET, forms(soil()))], Layout())

    assert read_documents(book.data, "upload.txt", NANCHANG_CODE) == list(soil())


XLS_LAYOUTS = {
    "jiangsu-provincial": (
        Layout(amounts_as_numbers=True, years_as_numbers=True, percents_as_numbers=True),
        JIANGSU_CODE,
    ),
    "nanchang-municipal": (
        Layout(left=1, blank_under_title=1, amounts_as_numbers=True, dates_as_excel=True),
        NANCHANG_CODE,
    ),
}


@pytest.mark.parametrize("name", XLS_LAYOUTS)
def test_xls_workbook_reads_as_the_seed_tables(name: str) -> None:
    layout, jurisdiction = XLS_LAYOUTS[name]
    documents = jiangsu() if jurisdiction == JIANGSU_CODE else nanchang()
    names = JIANGSU_SHEETS if jurisdiction == JIANGSU_CODE else NANCHANG_SHEETS
    book = xls(one_per_sheet(names, forms(documents, layout.printing)), layout)

    read = read_documents(book.data, f"{name}.xls", jurisdiction)

    assert same_tables(read, documents, layout)


def test_xls_with_tables_stacked_on_one_sheet() -> None:
    layout = Layout(levels=Spread.FIRST, amounts_as_numbers=True, dates_as_excel=True)
    book = xls([("项目支出绩效目标表", forms(nanchang()))], layout)

    read = read_documents(book.data, "stacked.xls", NANCHANG_CODE)

    assert same_tables(read, nanchang(), layout)


def _instructions() -> Grid:
    lines = ("填表说明", "1. 金额单位为万元。", "2. 指标值请写明≥、≤或=。")
    return Grid(tuple(Placed(row, 0, line, line) for row, line in enumerate(lines)))


@pytest.mark.parametrize("writer", [xlsx_bytes, xls_bytes], ids=["xlsx", "xls"])
def test_instructions_sheet_and_empty_sheet_are_passed_over(
    writer: Callable[[Sequence[SheetGrid]], bytes],
) -> None:
    tables = sheet(forms(soil()), Layout())
    data = writer([("填表说明", _instructions()), (SOIL_SHEET, tables), ("Sheet2", Grid(()))])

    assert read_documents(data, "with-notes", NANCHANG_CODE) == list(soil())
