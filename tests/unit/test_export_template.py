"""Blank workbooks of each form: every label, drop-down lists, and a filled-in one imports."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook
from openpyxl.cell import MergedCell
from openpyxl.worksheet.worksheet import Worksheet

from domain import vocabulary
from domain.model import EmptyCategory, Expenditure, Form, Kind
from infra.documents.form_layout import blank_layout
from infra.documents.groups import form_groups
from infra.documents.layout import Choice
from infra.documents.reading import read_documents
from infra.documents.template import LISTS_SHEET, blank_workbook, template_bytes


def open_template(form: Form, fiscal_year: int | None = 2027) -> Worksheet:
    sheet = load_workbook(BytesIO(template_bytes(form, fiscal_year))).worksheets[0]
    assert isinstance(sheet, Worksheet)
    return sheet


def texts(sheet: Worksheet) -> list[str]:
    return [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value]


def validations(sheet: Worksheet) -> dict[str, tuple[str, str]]:
    """Each list's first cell → (its choices, the cells it covers)."""
    return {
        str(item.sqref).split(":")[0]: (str(item.formula1), str(item.sqref))
        for item in sheet.data_validations.dataValidation
    }


@pytest.mark.parametrize("form", list(Form))
def test_a_template_prints_every_label_and_no_value(form: Form) -> None:
    sheet = open_template(form)
    layout = blank_layout(form, 2027)
    printed = texts(sheet)
    labels = [str(box.value) for box in layout.boxes if box.value is not None]
    assert printed == [layout.title, layout.year, *labels]
    assert layout.year in ("2027年度", "(2027年度)")
    assert all(
        box.role.value in ("label", "heading", "category", "note")
        for box in layout.boxes
        if box.value
    )
    for group in form_groups(form, 1):
        assert group.level2 in printed


def test_the_choices_are_the_vocabularys_kinds_and_the_forms_categories() -> None:
    found = validations(open_template(Form.MUNICIPAL))
    kinds = '"' + ",".join(vocabulary.KIND_LABELS.values()) + '"'
    assert found["B5"] == (kinds, "B5")
    level1, covered = found["A11"]
    assert level1 == '"成本指标,产出指标,效益指标,满意度指标"'
    assert covered.split() == ["A11:A16", "A17:A22", "A23:A30", "A31:A32"]
    level2, _ = found["B11"]
    for category in ("经济成本指标", "数量指标", "服务对象满意度指标"):
        assert category in level2
    assert ",成本指标," not in level2  # cost is a level 1 here
    provincial = validations(open_template(Form.PROVINCIAL))
    assert provincial["B4"] == (kinds, "B4")
    assert provincial["A26"][0] == '"决策,过程,产出指标,效益指标,满意度指标"'
    assert ",成本指标," in provincial["B26"][0]  # under 产出指标 on the provincial form


def test_a_list_too_long_to_write_inline_is_kept_on_a_hidden_sheet() -> None:
    long = tuple(f"很长的二级指标名称第{index}号" for index in range(40))
    layout = dataclasses.replace(
        blank_layout(Form.MUNICIPAL, 2027), choices=((Choice.LEVEL2, long),)
    )
    saved = load_workbook(BytesIO(blank_workbook(layout)))
    lists = saved[LISTS_SHEET]
    assert lists.sheet_state == "hidden"
    assert [row[0] for row in lists.iter_rows(values_only=True)] == list(long)
    (validation,) = saved.worksheets[0].data_validations.dataValidation
    assert validation.formula1 == f"'{LISTS_SHEET}'!$A$1:$A$40"


def fill(sheet: Worksheet, coordinate: str, value: str | int) -> None:
    sheet[coordinate].value = value
    if isinstance(value, str):
        sheet[coordinate].data_type = "s"  # as typed into a text cell: =50% stays text


def rows_under(sheet: Worksheet, level2: str) -> list[int]:
    """The rows of a level-2 group: where its label is, and the merged rows below it."""
    (start,) = [cell.row for cell in sheet["B"] if cell.value == level2]
    rows = [start]
    while isinstance(sheet.cell(rows[-1] + 1, 2), MergedCell):
        rows.append(rows[-1] + 1)
    return rows


def test_a_filled_in_provincial_template_imports() -> None:
    data = template_bytes(Form.PROVINCIAL, 2027)
    book = load_workbook(BytesIO(data))
    sheet = book.worksheets[0]
    assert isinstance(sheet, Worksheet)
    provincial: dict[str, str | int] = {
        "B3": "测试监控项目",
        "D3": "江苏省生态环境厅",
        "B4": "常年安排项目",
        "D4": "省本级",
        "B5": "2026年",
        "D5": "2027年",
        "B6": "江苏省生态环境监控中心",
        "D6": "张三/025-1234567",
        "B7": "保障监控系统运行。",
        "E11": 100,
        "E12": 80,
        "E18": 20,
        "C20": "系统运维",
        "D20": 40,
        "E20": 100,
        "B23": "三年内建成监控体系。",
        "B24": "完成年度运维。",
    }
    for coordinate, value in provincial.items():
        fill(sheet, coordinate, value)
    entries = {
        "项目立项": [("立项依据充分性", "充分", "充分"), ("立项程序规范性", "规范", "规范")],
        "资金管理": [("预算执行率", "=50%", "=100%")],
        "数量指标": [("监测报告", "≥2份", "≥4份")],
        "社会效益指标": [("群众信访数", "≤0件", "≤0件")],
        "服务对象满意度指标": [("使用人员满意率", "≥85%", "≥90%")],
    }
    for level2, written in entries.items():
        for row, (name, half, full) in zip(rows_under(sheet, level2), written, strict=False):
            fill(sheet, f"C{row}", name)
            fill(sheet, f"D{row}", half)
            fill(sheet, f"E{row}", full)
    stream = BytesIO()
    book.save(stream)

    (document,) = read_documents(stream.getvalue(), "filled.xlsx", "320000")

    assert (document.form, document.fiscal_year) == (Form.PROVINCIAL, 2027)
    project = document.project
    assert (project.name, project.kind, project.start, project.end) == (
        "测试监控项目",
        Kind.RECURRING,
        "2026",
        "2027",
    )
    assert (project.level, project.manager, project.necessity) == (
        "省本级",
        "张三/025-1234567",
        "保障监控系统运行。",
    )
    assert document.funds.total == Decimal(100)
    assert document.funds.sources == {
        **{code: Decimal(80) for code in ("general_public_budget",)},
        "other": Decimal(20),
    }
    assert document.expenditures == (
        Expenditure(name="系统运维", half_year=Decimal(40), full_year=Decimal(100)),
    )
    assert document.goals.annual == "完成年度运维。"
    found = [
        (item.level2, item.name, item.half_year.raw if item.half_year else None, item.full_year.raw)
        for item in document.indicators
    ]
    assert found == [
        (level2, name, half, full)
        for level2, written in entries.items()
        for name, half, full in written
    ]
    filled = set(entries)
    assert document.empty_categories == tuple(
        EmptyCategory(group.level1, group.level1_code, group.level2, group.level2_code)
        for group in form_groups(Form.PROVINCIAL, 1)
        if group.level2 not in filled
    )


def test_a_filled_in_municipal_template_imports() -> None:
    book = load_workbook(BytesIO(template_bytes(Form.MUNICIPAL, 2027)))
    sheet = book.worksheets[0]
    assert isinstance(sheet, Worksheet)
    municipal: dict[str, str | int] = {
        "B3": "城市环境卫生_道路清扫保洁项目",
        "B4": "305-九江市城市管理局(部门)",
        "D4": "九江市环境卫生服务中心",
        "B5": "上年结转项目",
        "D5": "2026年4月1日-2027年3月31日",
        "C6": 120,
        "C7": 120,
        "B9": "保持主次干道整洁。",
    }
    for coordinate, value in municipal.items():
        fill(sheet, coordinate, value)
    entries = {
        "经济成本指标": ("保洁服务费", "≤120万"),
        "数量指标": ("清扫道路", "=1次"),
        "服务对象满意度指标": ("市民满意度", "≥90%"),
    }
    for level2, (name, value) in entries.items():
        row = rows_under(sheet, level2)[0]
        fill(sheet, f"C{row}", name)
        fill(sheet, f"D{row}", value)
    stream = BytesIO()
    book.save(stream)

    (document,) = read_documents(stream.getvalue(), "filled.xlsx", "360400")

    project = document.project
    assert (project.department, project.department_code, project.kind) == (
        "九江市城市管理局",
        "305",
        Kind.CARRYOVER,
    )
    assert (project.start, project.end) == ("2026-04-01", "2027-03-31")
    assert document.funds.sources == {"fiscal_appropriation": Decimal(120)}
    assert [(item.level2, item.name, item.full_year.raw) for item in document.indicators] == [
        (level2, name, value) for level2, (name, value) in entries.items()
    ]
    assert all(item.half_year is None for item in document.indicators)


def test_a_template_without_a_year_leaves_the_year_to_the_bureau() -> None:
    sheet = open_template(Form.MUNICIPAL, None)
    assert sheet["A2"].value == "(年度)"
    with pytest.raises(ValueError, match="项目名称"):
        read_documents(template_bytes(Form.MUNICIPAL), "blank.xlsx", "360100", 2027)


@pytest.mark.parametrize("form", list(Form))
def test_a_template_leaves_room_for_prose_and_lets_the_other_rows_grow(form: Form) -> None:
    sheet = open_template(form)
    prose = {"立项必要性", "实施可行性", "项目实施内容", "中长期目标", "年度目标", "年度绩效目标"}
    heights = {
        str(row[0].value): sheet.row_dimensions[row[0].row].height
        for row in sheet.iter_rows(min_row=3)
        if row[0].value
    }
    assert {label for label in prose if label in heights}
    for label in prose & heights.keys():
        assert (heights[label] or 0) >= 5 * 15, label  # five lines to write a paragraph in
    named = next(row[0].row for row in sheet.iter_rows() if row[0].value == "一级指标")
    # Indicator rows have no fixed height: Excel and LibreOffice fit them to what is typed.
    assert sheet.row_dimensions[named + 1].height is None
    assert not sheet.row_dimensions[named + 1].customHeight
