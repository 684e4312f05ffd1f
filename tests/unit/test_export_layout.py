"""The exported workbook is the official form: merges, widths, styles, numbers, text, printing."""

from __future__ import annotations

import dataclasses
import zipfile
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.cell import MergedCell
from openpyxl.worksheet.worksheet import Worksheet

from domain import vocabulary
from domain.document import TableDocument
from domain.model import BasisKind, ValueBasis
from infra.documents.form_words import period_text, printed_date
from infra.documents.workbook import SheetTitles, workbook_bytes
from tests.conftest import JIANGSU, NANCHANG, seed_documents

EXAMPLES = Path("/work/shared/examples")


def sheets(documents: list[TableDocument]) -> list[Worksheet]:
    book = load_workbook(BytesIO(workbook_bytes(documents)))
    return [sheet for sheet in book.worksheets if isinstance(sheet, Worksheet)]


@pytest.fixture(scope="module")
def jiangsu() -> list[Worksheet]:
    return sheets(seed_documents(JIANGSU, "320000"))


@pytest.fixture(scope="module")
def nanchang() -> list[Worksheet]:
    return sheets(seed_documents(NANCHANG, "360100"))


def merges(sheet: Worksheet) -> set[str]:
    return {str(merged) for merged in sheet.merged_cells.ranges}


def test_each_table_gets_a_sheet_named_after_its_project(nanchang: list[Worksheet]) -> None:
    names = [item.project.name for item in seed_documents(NANCHANG, "360100")]
    assert [sheet.title for sheet in nanchang] == [name[:31] for name in names]
    assert len(names[1]) > 31


def test_sheet_titles_drop_forbidden_characters_and_stay_unique() -> None:
    titles = SheetTitles()
    taken = [titles.take(name) for name in ("a/b:c*d?[e]\\f", "项目" * 20, "项目" * 20, "", "")]
    assert taken[0] == "a_b_c_d__e__f"
    assert taken[1] == "项目" * 15 + "项"
    assert taken[2] == "项目" * 14 + "(2)"
    assert taken[3] == "Sheet"
    assert taken[4] == "Sheet(2)"
    assert all(len(title) <= 31 for title in taken)


def test_provincial_sheets_have_the_published_cells_and_merges(jiangsu: list[Worksheet]) -> None:
    """Every cell of the published Jiangsu workbook is where it was, with the same text or
    amount, and every merged range of it is merged here too."""
    published = load_workbook(EXAMPLES / "jiangsu-320000-provincial.xlsx")
    for sheet, example in zip(jiangsu, published.worksheets, strict=True):
        assert isinstance(example, Worksheet)
        assert merges(example) <= merges(sheet)
        for row in example.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                ours = sheet[cell.coordinate].value
                if isinstance(cell.value, int | float):
                    assert ours == cell.value, cell.coordinate
                else:
                    assert isinstance(ours, str), cell.coordinate
                    assert isinstance(cell.value, str), cell.coordinate
                    folded = vocabulary.normalise_label(ours)
                    assert folded == vocabulary.normalise_label(cell.value), cell.coordinate


def test_level_cells_are_merged_over_the_rows_of_their_category(
    jiangsu: list[Worksheet],
) -> None:
    first = jiangsu[0]
    assert first["A35"].value == "产出指标"
    assert first["B35"].value == "数量指标"
    assert {"A35:A46", "B35:B38", "B39:B41", "B42:B45"} <= merges(first)
    assert {"A1:E1", "A2:E2", "D3:E3", "B7:E7", "C11:D11", "B10:B18", "B19:B20"} <= merges(first)


def test_an_empty_category_is_a_level2_row_with_no_indicator(jiangsu: list[Worksheet]) -> None:
    first = jiangsu[0]
    assert [first[f"{column}47"].value for column in "ABCDE"] == [
        "效益指标",
        "经济效益",
        None,
        None,
        None,
    ]
    assert first["B48"].value == "社会效益"


def test_municipal_sheet_is_the_municipal_form(nanchang: list[Worksheet]) -> None:
    carryover = nanchang[3]
    assert carryover["A1"].value == vocabulary.FORM_TITLES["municipal"]
    assert carryover["A2"].value == "(2026年度)"
    assert carryover["B4"].value == "402-南昌市生态环境局(部门)"
    assert carryover["B5"].value == "上年结转项目"
    assert carryover["D5"].value == "2025年4月1日-2026年4月30日"
    assert carryover["B7"].value == "其中:财政拨款"
    assert carryover["D10"].value == vocabulary.INDICATOR_VALUE_WORD
    assert str(carryover["A30"].value).startswith("注:")
    assert {"A1:D1", "B3:D3", "A6:A8", "C6:D6", "B9:D9", "A12:A26", "B12:B18", "A30:D30"} <= (
        merges(carryover)
    )


def test_amounts_are_numbers_shown_with_the_decimals_they_were_written_with(
    jiangsu: list[Worksheet], nanchang: list[Worksheet]
) -> None:
    total = jiangsu[1]["E11"]
    assert (total.value, total.data_type, total.number_format) == (880, "n", "0")
    assert (jiangsu[1]["D20"].value, jiangsu[1]["E20"].value) == (50, 230)
    assert jiangsu[1]["D20"].number_format == "0"
    assert nanchang[2]["C6"].value == pytest.approx(36.2)
    assert nanchang[2]["C6"].number_format == "0.00"


def test_an_amount_with_more_decimals_shows_them_all() -> None:
    document = seed_documents(NANCHANG, "360100")[0]
    funds = dataclasses.replace(document.funds, total=Decimal("78.125"))
    (sheet,) = sheets([dataclasses.replace(document, funds=funds)])
    assert (sheet["C6"].value, sheet["C6"].number_format) == (78.125, "0.000")


def test_a_value_written_with_equals_stays_text_never_a_formula(
    jiangsu: list[Worksheet],
) -> None:
    half = jiangsu[0]["D31"]
    assert (half.value, half.data_type, half.quotePrefix) == ("=50%", "s", True)
    assert half.number_format == "@"
    data = workbook_bytes(seed_documents(JIANGSU, "320000"))
    with zipfile.ZipFile(BytesIO(data)) as archive:
        parts = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        assert parts
        assert not any(b"<f>" in archive.read(name) for name in parts)


def test_print_setup_is_a4_landscape_at_a_scale_that_fits_the_width(
    jiangsu: list[Worksheet],
) -> None:
    for sheet in jiangsu:
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.paperSize == 9  # A4
        # A fixed scale, not "fit to width", under which Excel drops manual page breaks.
        pr = sheet.sheet_properties.pageSetUpPr
        assert pr is None or not pr.fitToPage
        assert 80 <= int(sheet.page_setup.scale or 0) <= 100


def test_every_cell_names_the_fonts_of_government_pcs(
    jiangsu: list[Worksheet], nanchang: list[Worksheet]
) -> None:
    for sheet in (*jiangsu, *nanchang):
        fonts = {
            cell.font.name
            for row in sheet.iter_rows()
            for cell in row
            if cell.has_style and not isinstance(cell, MergedCell)  # openpyxl restyles those
        }
        assert fonts == {"宋体", "黑体"}
        assert sheet["A1"].font.name == "黑体"
        assert sheet["A3"].font.charset == 134  # GB2312: Excel's mark of a Chinese font


def test_each_page_repeats_the_title_and_the_indicator_header(jiangsu: list[Worksheet]) -> None:
    for sheet in jiangsu:
        header = next(
            row[0].row
            for row in sheet.iter_rows()
            if row[0].value == vocabulary.INDICATOR_HEADER[0]
        )
        assert sheet.print_title_rows == f"${header}:${header}"
        top, bottom = sheet.oddHeader, sheet.oddFooter
        assert top is not None
        assert bottom is not None
        assert top.center.text == "江苏省省级项目预算绩效目标表"
        assert bottom.center.text == "第 &P 页，共 &N 页"


def test_page_breaks_fall_between_merged_blocks(jiangsu: list[Worksheet]) -> None:
    broken = 0
    for sheet in jiangsu:
        breaks = [item.id for item in sheet.row_breaks.brk]
        broken += len(breaks)
        for merged in sheet.merged_cells.ranges:
            # A break after row ``id`` splits a block that starts at or above it and ends below.
            assert not [row for row in breaks if merged.min_row <= row < merged.max_row], merged
    assert broken >= 4  # every Jiangsu table runs to more than one page


def test_widths_borders_bold_headings_and_wrapped_text(jiangsu: list[Worksheet]) -> None:
    sheet = jiangsu[0]
    widths = {key: sheet.column_dimensions[key].width for key in "ABCDE"}
    assert widths == {"A": 16, "B": 20, "C": 40, "D": 22, "E": 22}
    assert sheet["A1"].font.b
    assert sheet["A1"].font.sz == 16
    assert all(sheet[f"{column}23"].font.b for column in "ABCDE")
    assert sheet["C24"].border.left.style == "thin"
    assert sheet["E9"].border.bottom.style == "thin"  # inside a merged cell, still bordered
    assert sheet["B7"].alignment.wrap_text
    assert (sheet.row_dimensions[21].height or 0) > 100  # the long 中长期目标 gets its lines


def test_explanation_and_basis_columns_appear_when_an_indicator_has_them() -> None:
    document = seed_documents(NANCHANG, "360100")[0]
    first, *rest = document.indicators
    explained = dataclasses.replace(
        first,
        explanation="合同金额",
        basis=ValueBasis(BasisKind.PLAN, "《采购合同》"),
    )
    (sheet,) = sheets([dataclasses.replace(document, indicators=(explained, *rest))])
    headings = [sheet.cell(10, column).value for column in range(1, 7)]
    assert headings[4:] == [vocabulary.EXPLANATION_HEADERS[0], vocabulary.BASIS_HEADERS[0]]
    assert [sheet["E11"].value, sheet["F11"].value] == ["合同金额", "计划标准：《采购合同》"]
    assert "B3:F3" in merges(sheet)


@pytest.mark.parametrize(
    ("iso", "printed"),
    [
        ("2024", "2024年"),
        ("2026-03", "2026年3月"),
        ("2026-01-01", "2026年1月1日"),
        (None, ""),
        ("明年", "明年"),
    ],
)
def test_dates_print_as_the_forms_print_them(iso: str | None, printed: str) -> None:
    assert printed_date(iso) == printed


def test_a_period_prints_its_start_and_end() -> None:
    assert period_text("2025-04-01", "2026-04-30") == "2025年4月1日-2026年4月30日"
    assert period_text(None, None) == ""


def test_a_thousand_tables_stream_into_one_workbook() -> None:
    documents = seed_documents(NANCHANG, "360100") * 250
    book = load_workbook(BytesIO(workbook_bytes(documents)), read_only=True)
    assert len(book.sheetnames) == 1000
    assert len(set(book.sheetnames)) == 1000
