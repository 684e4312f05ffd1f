"""A mistake in one table refuses the whole file and names the cell, row or line it is in."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from infra.documents.cells import DocumentError
from infra.documents.reading import read_documents
from tests.conftest import NANCHANG
from tests.documents.form_grid import Form
from tests.documents.layout import Layout
from tests.documents.pages import Page, table_row
from tests.documents.published import (
    JIANGSU_CODE,
    NANCHANG_CODE,
    SOIL_SHEET,
    SOIL_TEXT,
    Book,
    forms,
    jiangsu,
    nanchang,
    page,
    soil,
    xlsx,
)

Change = Callable[[Form], Form]
GOOD_SHEET = "监控中心运维"
LAYOUT = Layout()


def _refusal(data: bytes, source: str, jurisdiction: str = NANCHANG_CODE) -> str:
    with pytest.raises(DocumentError) as refused:
        read_documents(data, source, jurisdiction)
    return str(refused.value)


def _book_with_bad_soil_table(change: Change) -> Book:
    """A good table on its own sheet first, then the soil table with one mistake."""
    good = forms(nanchang())[1]
    return xlsx([(GOOD_SHEET, [good]), (SOIL_SHEET, [change(forms(soil())[0])])], LAYOUT)


def _unknown_kind(form: Form) -> Form:
    return form.with_text("kind", "专项项目")


def _amount_in_words(form: Form) -> Form:
    return form.with_text("funds.total", "待定")


def _value_left_out(form: Form) -> Form:
    return form.with_text("indicator.1", "")


VALUE_MISTAKES = [
    pytest.param(_unknown_kind, "kind", "B5", "专项项目", id="unknown-kind"),
    pytest.param(_amount_in_words, "funds.total", "C7", "待定", id="amount-not-a-number"),
    pytest.param(_value_left_out, "indicator.1", "D13", "土壤监测点位", id="indicator-no-value"),
]


@pytest.mark.parametrize(("change", "key", "cell", "words"), VALUE_MISTAKES)
def test_workbook_mistake_names_its_cell(change: Change, key: str, cell: str, words: str) -> None:
    book = _book_with_bad_soil_table(change)
    assert book.cell(SOIL_SHEET, key) == cell

    message = _refusal(book.data, "bad.xlsx")

    assert f"bad.xlsx!{SOIL_SHEET}!{cell}: " in message
    assert words in message
    assert GOOD_SHEET not in message


def test_unknown_project_type_on_the_provincial_form_names_its_cell() -> None:
    tables = forms(jiangsu())
    bad = tables[3].with_text("kind", "专项资金")
    book = xlsx([("生态环境监控专项", tables[:1]), ("非现场监管", [bad])], LAYOUT)
    assert book.cell("非现场监管", "kind") == "B4"

    message = _refusal(book.data, "jiangsu.xlsx", JIANGSU_CODE)

    assert "jiangsu.xlsx!非现场监管!B4: " in message
    assert "专项资金" in message


def _name_left_out(form: Form) -> Form:
    return form.with_text("name", "")


def _header_left_out(form: Form) -> Form:
    return form.without_row("header")


ROW_MISTAKES = [
    pytest.param(_name_left_out, "项目名称", id="no-project-name"),
    pytest.param(_header_left_out, "一级指标", id="no-indicator-header"),
]


@pytest.mark.parametrize(("change", "words"), ROW_MISTAKES)
def test_workbook_missing_part_names_the_table_it_is_missing_from(
    change: Change, words: str
) -> None:
    book = _book_with_bad_soil_table(change)
    name_row = book.cell(SOIL_SHEET, "name")[1:]

    message = _refusal(book.data, "bad.xlsx")

    assert re.search(rf"bad\.xlsx!{SOIL_SHEET}![A-Z]+{name_row}: .*{words}", message)
    assert GOOD_SHEET not in message


PAGE_MISTAKES = [
    pytest.param(_unknown_kind, "kind", "专项项目", id="unknown-kind"),
    pytest.param(_amount_in_words, "funds.total", "待定", id="amount-not-a-number"),
    pytest.param(_value_left_out, "indicator.1", "土壤监测点位", id="indicator-no-value"),
    pytest.param(_name_left_out, "name", "项目名称", id="no-project-name"),
]


@pytest.mark.parametrize(("change", "key", "words"), PAGE_MISTAKES)
def test_page_mistake_names_its_table_and_row(change: Change, key: str, words: str) -> None:
    bad = change(forms(soil())[0])
    data = page([forms(nanchang())[1], bad], LAYOUT, Page())
    row = table_row(bad, LAYOUT, key)

    message = _refusal(data, "bad.html")

    assert f"bad.html!表格2!第{row}行: " in message
    assert words in message
    assert "表格1" not in message


def _soil_after_a_good_table(line: int, replacement: str | None) -> tuple[bytes, int]:
    """The Nanchang seed text, then the soil table with ``line`` changed (None: left out)."""
    good = NANCHANG.read_text(encoding="utf-8").rstrip("\n")
    lines = SOIL_TEXT.splitlines()
    if replacement is None:
        del lines[line - 1]
    else:
        lines[line - 1] = replacement
    text = "\n".join([good, *lines])
    return text.encode("utf-8"), len(good.splitlines()) + line


TEXT_MISTAKES = [
    pytest.param(
        5, "项目属性\t专项项目\t项目日期范围\t2026年3月1日", "专项项目", id="unknown-kind"
    ),
    pytest.param(7, "项目资金(万元)\t年度资金总额\t待定", "待定", id="amount-not-a-number"),
    pytest.param(13, "\t数量指标\t土壤监测点位\t", "土壤监测点位", id="indicator-no-value"),
    pytest.param(3, "项目名称\t", "项目名称", id="no-project-name"),
]


@pytest.mark.parametrize(("line", "replacement", "words"), TEXT_MISTAKES)
def test_text_mistake_names_its_line(line: int, replacement: str, words: str) -> None:
    data, number = _soil_after_a_good_table(line, replacement)

    message = _refusal(data, "bad.txt")

    assert f"bad.txt:{number}: " in message
    assert words in message


def test_text_without_an_indicator_header_names_its_table() -> None:
    data, _ = _soil_after_a_good_table(11, None)
    _, name_line = _soil_after_a_good_table(3, "项目名称\t土壤污染状况监测项目")

    message = _refusal(data, "bad.txt")

    assert f"bad.txt:{name_line}: " in message
    assert "一级指标" in message
