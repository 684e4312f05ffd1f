"""Monitoring and self-evaluation forms as workbooks: written in the official layouts, read back."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from domain.evaluation import EvaluationForm, EvaluationLine, scorecard
from domain.model import Funds
from domain.monitoring import EMPTY_FORM, MonitoringForm, MonitoringLine, figures
from domain.reports import Basis, Target
from domain.scoring import Band, Cause, EvaluationRules, Likelihood, MonitoringRules
from domain.values import parse_value
from infra.documents.cells import DocumentError
from infra.documents.report_sheets import (
    evaluation_workbook,
    monitoring_workbook,
    read_evaluation_workbook,
    read_monitoring_workbook,
)

MONITORING_SHEET = "项目支出绩效目标执行监控表"
EVALUATION_SHEET = "项目支出绩效自评表"
FIRST_ROW = 13  # the first indicator row of both forms as written
Given = str | int | float | datetime | None  # what a test writes into a cell


def target(indicator_id: str, level1: str, code: str, level2: str, name: str, raw: str) -> Target:
    return Target(
        indicator_id=indicator_id,
        level1=level1,
        level1_code=code,
        level2=level2,
        name=name,
        value=parse_value(raw),
    )


BASIS = Basis(
    table_id="6f1c1d52-6c55-4f38-9a53-3f7b2a4c9e01",
    jurisdiction="360100",
    fiscal_year=2026,
    table_version=3,
    project_name="土壤污染防治项目",
    department="南昌市生态环境局",
    budget=Decimal("300"),
    targets=(
        target("count", "产出指标", "output", "数量指标", "监测点位数", "≥66块"),
        target("quality", "产出指标", "output", "质量指标", "完成率", "≥95%"),
        target("time", "产出指标", "output", "时效指标", "完成率", "2026年12月31日"),
        target("social", "效益指标", "benefit", "社会效益指标", "群众认可度", "显著提升"),
        target("satisfied", "满意度指标", "satisfaction", "服务对象满意度指标", "满意度", "≥90%"),
    ),
)


MONITORING = MonitoringForm(
    budget_executed=Decimal("120.5"),
    budget_forecast=Decimal("290"),
    lines=(
        MonitoringLine(
            indicator_id="count",
            actual_to_date=parse_value("30块"),
            year_end_forecast=parse_value("≥66块"),
        ),
        MonitoringLine(
            indicator_id="quality",
            actual_to_date=parse_value("=50%"),
            year_end_forecast=parse_value("90%"),
            likelihood=Likelihood.POSSIBLE,
            causes=(Cause.FUNDING, Cause.OTHER),
            cause_note="=SUM(A1:A3) 资金晚到",
            measures="加快拨付\n每月调度",
        ),
        MonitoringLine(
            indicator_id="time",
            actual_to_date=parse_value("2026年5月1日"),
            year_end_forecast=parse_value("2027年3月31日"),
            likelihood=Likelihood.IMPOSSIBLE,
            causes=(Cause.HARDWARE,),
            measures="=调整工期",
        ),
        MonitoringLine(
            indicator_id="social",
            actual_to_date=parse_value("逐步提升"),
            year_end_forecast=parse_value("显著提升"),
        ),
    ),
)

EVALUATION = EvaluationForm(
    budget_full_year=Decimal("300"),
    budget_executed=Decimal("280.25"),
    lines=(
        EvaluationLine(indicator_id="count", actual=parse_value("70块"), weight=Decimal(20)),
        EvaluationLine(
            indicator_id="quality",
            actual=parse_value("=90%"),
            weight=Decimal("22.5"),
            explanation="=部分点位未验收；下年督办",
        ),
        EvaluationLine(
            indicator_id="time", actual=parse_value("2026年11月30日"), weight=Decimal("17.5")
        ),
        EvaluationLine(
            indicator_id="social",
            actual=parse_value("有所提升"),
            weight=Decimal(20),
            band=Band.PARTLY,
            score=Decimal("14.5"),
            explanation="宣传不足",
        ),
        EvaluationLine(indicator_id="satisfied", actual=parse_value("92%"), weight=Decimal(10)),
    ),
    conclusion="=项目总体完成较好",
    problems="个别点位建设滞后",
    measures="加强调度\n按月通报",
)


def sheet_of(data: bytes) -> Worksheet:
    return load_workbook(BytesIO(data)).worksheets[0]


def edited(data: bytes, **cells: Given) -> bytes:
    """The workbook with some cells (by coordinate) rewritten, as a bureau would."""
    book = load_workbook(BytesIO(data))
    sheet = book.worksheets[0]
    for coordinate, given in cells.items():
        sheet[coordinate] = given
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def problems(error: pytest.ExceptionInfo[DocumentError]) -> list[str]:
    return error.value.located()


def every_cell(sheet: Worksheet) -> Iterator[tuple[str, object, str]]:
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is not None:
                yield cell.coordinate, cell.value, cell.data_type


# Where the project block and the 年度总体目标 row print what was approved.
PROJECT_BASIS = replace(
    BASIS,
    implementing_unit="南昌市生态环境监测中心",
    funds=Funds(
        total=Decimal("300"),
        sources={"fiscal_appropriation": Decimal("250.50"), "other": Decimal("49.50")},
    ),
    annual_goal="完成66块监测点位建设，群众认可度显著提升",
)


# --- monitoring ---------------------------------------------------------------------


def test_the_monitoring_form_prints_the_unit_the_budget_sources_and_the_annual_goal() -> None:
    sheet = sheet_of(monitoring_workbook(PROJECT_BASIS, 6, EMPTY_FORM, None))
    assert (sheet["G4"].value, sheet["J4"].value) == ("实施单位", "南昌市生态环境监测中心")
    assert [(sheet[f"C{row}"].value, sheet[f"D{row}"].value) for row in (6, 7, 8)] == [
        ("年度资金总额", 300),
        ("其中：财政拨款", 250.5),
        ("其他资金", 49.5),
    ]
    assert sheet["D7"].number_format == "0.00"
    assert (sheet["C9"].value, sheet["C10"].value) == ("全年目标", PROJECT_BASIS.annual_goal)
    filled = monitoring_workbook(PROJECT_BASIS, 6, MONITORING, None)
    assert read_monitoring_workbook(filled, "m.xlsx", PROJECT_BASIS, 6) == MONITORING


def test_a_monitoring_form_reads_back_as_written() -> None:
    rates = figures(BASIS, 6, MonitoringRules(), MONITORING)
    data = monitoring_workbook(BASIS, 6, MONITORING, rates)

    assert read_monitoring_workbook(data, "m.xlsx", BASIS, 6) == MONITORING


def test_text_typed_under_the_goal_s_progress_is_read_back() -> None:
    blank = monitoring_workbook(PROJECT_BASIS, 6, EMPTY_FORM, None)
    assert sheet_of(blank)["J9"].value == "1-6月执行情况"
    typed = "监测点位已建成30块，\n其余按计划推进"
    filled = edited(blank, J10=typed)
    form = read_monitoring_workbook(filled, "m.xlsx", PROJECT_BASIS, 6)
    assert form.goal_progress == typed
    assert sheet_of(monitoring_workbook(PROJECT_BASIS, 6, form, None))["J10"].value == typed


def test_the_monitoring_workbook_is_laid_out_as_the_official_form() -> None:
    rates = figures(BASIS, 6, MonitoringRules(), MONITORING)
    sheet = sheet_of(monitoring_workbook(BASIS, 6, MONITORING, rates))

    assert sheet.title == MONITORING_SHEET
    assert (sheet["A1"].value, sheet["A2"].value) == (MONITORING_SHEET, "（2026年1-6月）")
    assert {"A1:P1", "A2:P2", "A5:B8", "G11:K11", "L11:N11", "A13:A15"} <= {
        str(merged) for merged in sheet.merged_cells.ranges
    }
    headers = [sheet.cell(11, column).value for column in range(1, 17)]
    assert headers[:7] == [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "1-6月执行情况",
        "全年预计完成情况",
        "偏差原因分析",
    ]
    assert [sheet.cell(12, column).value for column in range(7, 15)] == [
        "经费保障",
        "制度保障",
        "人员保障",
        "硬件条件保障",
        "其他",
        "确定能",
        "有可能",
        "完全不可能",
    ]
    assert (sheet["O11"].value, sheet["P11"].value) == ("原因说明", "纠偏措施")
    # 年初预算数, 1-6月执行数, the execution rate (against the time elapsed), the forecast.
    row = [sheet[coordinate] for coordinate in ("D6", "F6", "J6", "O6")]
    assert [cell.value for cell in row] == [300, 120.5, pytest.approx(80.33), 290]
    assert {cell.data_type for cell in row} == {"n"}
    # Each shown with the decimals it was written (or computed) with.
    assert [cell.number_format for cell in row] == ["0", "0.0", "0.00", "0"]
    assert [sheet[f"{column}14"].value for column in "GHIJKLMN"] == [
        "√",
        None,
        None,
        None,
        "√",
        None,
        "√",
        None,
    ]
    assert sheet["A11"].font.bold
    assert sheet["A11"].border.left.style == "thin"
    assert (sheet.page_setup.orientation, sheet.page_setup.paperSize) == ("landscape", 9)
    (ticks,) = sheet.data_validations.dataValidation
    assert (ticks.formula1, str(ticks.sqref)) == ('"√"', "G13:N17")


def test_a_blank_monitoring_form_prints_every_indicator_to_fill_in() -> None:
    data = monitoring_workbook(BASIS, 9, EMPTY_FORM, None)
    sheet = sheet_of(data)

    printed = [
        (sheet.cell(row, 3).value, sheet.cell(row, 4).value)
        for row in range(FIRST_ROW, FIRST_ROW + len(BASIS.targets))
    ]
    assert printed == [(item.name, item.value.raw) for item in BASIS.targets]
    filled = [
        sheet.cell(row, column).value
        for row in range(FIRST_ROW, FIRST_ROW + len(BASIS.targets))
        for column in range(5, 17)
    ]
    assert set(filled) == {None}
    assert sheet["E11"].value == "1-9月执行情况"
    assert (sheet["F6"].value, sheet["J6"].value, sheet["O6"].value) == (None, None, None)
    assert read_monitoring_workbook(data, "blank.xlsx", BASIS, 9) == EMPTY_FORM


def test_text_beginning_with_equals_stays_text_in_both_forms() -> None:
    hostile = replace(BASIS, project_name='=HYPERLINK("http://x")')
    monitoring = monitoring_workbook(hostile, 6, MONITORING, None)
    card = scorecard(hostile, EVALUATION, EvaluationRules())
    evaluation = evaluation_workbook(hostile, EVALUATION, card, Decimal(10))

    for data in (monitoring, evaluation):
        cells = list(every_cell(sheet_of(data)))
        assert [cell for cell in cells if cell[2] == "f"] == []
        assert all(kind == "s" for _, given, kind in cells if isinstance(given, str))
    assert sheet_of(monitoring)["O14"].value == "=SUM(A1:A3) 资金晚到"
    assert sheet_of(evaluation)["E14"].value == "=90%"
    assert read_monitoring_workbook(monitoring, "m.xlsx", hostile, 6) == MONITORING
    assert read_evaluation_workbook(evaluation, "e.xlsx", hostile) == EVALUATION


def test_control_characters_are_replaced_on_export() -> None:
    form = MonitoringForm(
        budget_executed=Decimal(1),
        lines=(MonitoringLine(indicator_id="count", measures="a\x07b", cause_note="c\x1bd"),),
    )
    sheet = sheet_of(monitoring_workbook(BASIS, 6, form, None))

    assert (sheet["O13"].value, sheet["P13"].value) == ("c\ufffdd", "a\ufffdb")


def _put(
    sheet: Worksheet,
    coordinate: str,
    given: Given,
    *,
    to: str | None = None,
    number_format: str | None = None,
) -> None:
    sheet[coordinate] = given
    if number_format is not None:
        sheet[coordinate].number_format = number_format
    if to is not None:
        sheet.merge_cells(f"{coordinate}:{to}")


def _saved(book: Workbook) -> bytes:
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def official_monitoring() -> bytes:
    """The form as a bureau keeps it: two rows lower and a column to the right of ours, a
    绩效指标 column before the indicators, 备注 for 原因说明, numbers stored as numbers."""
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = "附件2"
    _put(sheet, "B3", "项目支出绩效目标执行监控表", to="S3")
    _put(sheet, "B4", "（ 2026年1-6月 ）", to="S4")
    _put(sheet, "B5", "项目名称", to="C5")
    _put(sheet, "D5", "土壤污染防治项目", to="S5")
    _put(sheet, "B6", "主管部门及代码", to="C6")
    _put(sheet, "D6", "402-南昌市生态环境局", to="H6")
    _put(sheet, "I6", "实施单位", to="K6")
    _put(sheet, "B7", "项目资金\n（万元）", to="C10")
    for coordinate, label in (
        ("E7", "年初预算数"),
        ("F7", "1-6月执行数"),
        ("G7", "1-6月执行率"),
        ("H7", "全年预计执行数"),
    ):
        _put(sheet, coordinate, label)
    _put(sheet, "D8", "年度资金总额：")
    _put(sheet, "E8", 300, number_format="#,##0.00")
    _put(sheet, "F8", 120.5)
    _put(sheet, "G8", 0.4017, number_format="0.00%")
    _put(sheet, "H8", "290.00")
    _put(sheet, "D9", "其中：财政拨款")
    _put(sheet, "E9", 300)
    _put(sheet, "D10", "其他资金")
    _put(sheet, "B11", "年度总体目标", to="C12")
    _put(sheet, "D11", "全年目标", to="J11")
    _put(sheet, "K11", "1-6月执行情况", to="S11")
    _put(sheet, "D12", "完成土壤监测", to="J12")
    _put(sheet, "B13", "绩效指标", to="B19")
    for column, label in zip(
        "CDEF", ("一级指标", "二级指标", "三级指标", "年度指标值"), strict=True
    ):
        _put(sheet, f"{column}13", label, to=f"{column}14")
    _put(sheet, "G13", "1—6月执行情况", to="G14")
    _put(sheet, "H13", "全年预计完成情况", to="H14")
    _put(sheet, "I13", "偏差原因分析", to="M13")
    _put(sheet, "N13", "完成目标可能性", to="P13")
    _put(sheet, "Q13", "备注", to="Q14")
    _put(sheet, "R13", "纠偏措施", to="R14")
    for column, label in zip(
        "IJKLMN",
        ("经费保障", "制度保障", "人员保障", "硬件条件保障", "其它", "确定能"),
        strict=True,
    ):
        _put(sheet, f"{column}14", label)
    _put(sheet, "O14", "有可能")
    _put(sheet, "P14", "完全不可能")
    _put(sheet, "C15", "产出指标", to="C17")
    rows = (
        # 二级指标, 三级指标, 年度指标值, 1-6月执行情况, 全年预计完成情况, ticks
        ("D15", "数量指标", "监测点位数", "≥66块", (30, None), ("≥66块", None), ("N15",)),
        ("D16", "质量指标", "完成率", "≥95%", (0.5, "0%"), (0.9, "0%"), ("I16", "M16", "O16")),
        (
            "D17",
            "时效指标",
            "完成率",
            "2026年12月31日",
            (datetime(2026, 5, 1), "yyyy-mm-dd"),
            ("2027年3月31日", None),
            ("L17", "P17"),
        ),
    )
    for first, level2, name, goal, actual, forecast, ticks in rows:
        row = first[1:]
        _put(sheet, f"D{row}", level2)
        _put(sheet, f"E{row}", name)
        _put(sheet, f"F{row}", goal)
        _put(sheet, f"G{row}", actual[0], number_format=actual[1])
        _put(sheet, f"H{row}", forecast[0], number_format=forecast[1])
        for tick in ticks:
            _put(sheet, tick, "√")
    _put(sheet, "Q16", "资金晚到")
    _put(sheet, "R16", "加快拨付")
    _put(sheet, "R17", "调整工期")
    _put(sheet, "C18", "效益指标")
    _put(sheet, "D18", "社会效益指标")
    _put(sheet, "E18", "群众认可度")
    _put(sheet, "F18", "显著提升")
    _put(sheet, "C19", "满意度指标")
    _put(sheet, "D19", "服务对象满意度指标")
    _put(sheet, "E19", "满意度")
    _put(sheet, "B21", "填报人：张三")
    _put(sheet, "G21", "联系电话：0791-1234567")
    return _saved(book)


def test_an_official_monitoring_sheet_laid_out_elsewhere_is_read() -> None:
    form = read_monitoring_workbook(official_monitoring(), "bureau.xlsx", BASIS, 6)

    assert form == MonitoringForm(
        budget_executed=Decimal("120.5"),
        budget_forecast=Decimal("290.00"),
        lines=(
            MonitoringLine(
                indicator_id="count",
                actual_to_date=parse_value("30"),
                year_end_forecast=parse_value("≥66块"),
            ),
            MonitoringLine(
                indicator_id="quality",
                actual_to_date=parse_value("50%"),
                year_end_forecast=parse_value("90%"),
                likelihood=Likelihood.POSSIBLE,
                causes=(Cause.FUNDING, Cause.OTHER),
                cause_note="资金晚到",
                measures="加快拨付",
            ),
            MonitoringLine(
                indicator_id="time",
                actual_to_date=parse_value("2026年5月1日"),
                year_end_forecast=parse_value("2027年3月31日"),
                likelihood=Likelihood.IMPOSSIBLE,
                causes=(Cause.HARDWARE,),
                measures="调整工期",
            ),
        ),
    )


def test_monitoring_errors_name_the_file_sheet_and_cell() -> None:
    data = edited(
        monitoring_workbook(BASIS, 6, MONITORING, None),
        C13="监测点位",  # no such indicator
        F6="一百万",  # not an amount
        L14="√",  # 确定能 as well as 有可能
        G15="x",  # not a tick
        E16="30米",  # not a text target's unit problem: 群众认可度 is qualitative
        E17="50块",  # 满意度 is in %
    )

    with pytest.raises(DocumentError) as error:
        read_monitoring_workbook(data, "m.xlsx", BASIS, 6)

    where = f"m.xlsx!{MONITORING_SHEET}!"
    found = problems(error)
    assert any(line.startswith(f"{where}F6: ") and "一百万" in line for line in found)
    assert any(line.startswith(f"{where}C13: ") and "监测点位" in line for line in found)
    twice = f"{where}M14: 完成目标可能性勾选了两项（确定能、有可能），请只勾选一项"
    assert twice in found
    assert any(line.startswith(f"{where}G15: ") and "而不是「x」" in line for line in found)
    assert any(line.startswith(f"{where}E17: ") and "满意度" in line for line in found)
    assert not any(f"{where}E16" in line for line in found)


def test_a_sheet_for_another_month_is_refused_at_its_headings() -> None:
    data = monitoring_workbook(BASIS, 6, MONITORING, None)

    with pytest.raises(DocumentError) as error:
        read_monitoring_workbook(data, "m.xlsx", BASIS, 7)

    where = f"m.xlsx!{MONITORING_SHEET}!"
    assert [line.split(": ")[0] for line in problems(error)] == [
        f"{where}A2",
        f"{where}F5",
        f"{where}E11",
    ]


def test_a_may_miss_target_without_measures_is_refused_at_its_tick() -> None:
    data = edited(monitoring_workbook(BASIS, 6, MONITORING, None), P14=None)

    with pytest.raises(DocumentError) as error:
        read_monitoring_workbook(data, "m.xlsx", BASIS, 6)

    assert problems(error)[0].startswith(f"m.xlsx!{MONITORING_SHEET}!M14: 完成率")


def test_a_workbook_of_another_project_or_form_is_refused() -> None:
    other = replace(BASIS, project_name="大气监测")
    data = monitoring_workbook(BASIS, 6, MONITORING, None)

    with pytest.raises(DocumentError) as error:
        read_monitoring_workbook(data, "m.xlsx", other, 6)
    assert problems(error)[0].startswith(f"m.xlsx!{MONITORING_SHEET}!C3: ")

    evaluation = evaluation_workbook(BASIS, None, None, Decimal(10))
    with pytest.raises(DocumentError) as error:
        read_monitoring_workbook(evaluation, "e.xlsx", BASIS, 6)
    assert problems(error)[0].startswith("e.xlsx: 没有哪个工作表有")


# --- self-evaluation --------------------------------------------------------------


def test_an_evaluation_form_reads_back_as_written() -> None:
    card = scorecard(BASIS, EVALUATION, EvaluationRules())
    data = evaluation_workbook(BASIS, EVALUATION, card, Decimal(10))

    assert read_evaluation_workbook(data, "e.xlsx", BASIS) == EVALUATION
    assert read_evaluation_workbook(
        evaluation_workbook(BASIS, EVALUATION, None, Decimal(10)), "e.xlsx", BASIS
    ) == (EVALUATION)


def test_the_evaluation_workbook_is_laid_out_as_the_official_form() -> None:
    card = scorecard(BASIS, EVALUATION, EvaluationRules())
    sheet = sheet_of(evaluation_workbook(BASIS, EVALUATION, card, Decimal(10)))

    assert sheet.title == EVALUATION_SHEET
    assert (sheet["A1"].value, sheet["A2"].value) == (EVALUATION_SHEET, "（2026年度）")
    assert [sheet.cell(5, column).value for column in range(4, 10)] == [
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "分值",
        "执行率(%)",
        "得分",
    ]
    funds = [sheet.cell(6, column).value for column in range(3, 10)]
    assert funds == ["年度资金总额", 300, 300, 280.25, 10, 93.42, 9.34]
    assert [sheet[f"C{row}"].value for row in (7, 8, 9)] == [
        "其中：当年财政拨款",
        "上年结转资金",
        "其他资金",
    ]
    assert [sheet.cell(12, column).value for column in range(1, 10)] == [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "完成程度",
        "偏差原因分析及改进措施",
    ]
    social = [sheet.cell(16, column).value for column in range(3, 10)]
    assert social == ["群众认可度", "显著提升", "有所提升", 20, 14.5, "部分达成", "宣传不足"]
    assert sheet["G13"].value == 20  # a numeric target's score, from the scorecard
    total = [sheet[coordinate].value for coordinate in ("A18", "F18", "G18", "H18")]
    assert total == ["总分", 100, float(card.total), f"自评等级：{card.grade}"]
    (bands,) = sheet.data_validations.dataValidation
    assert (bands.formula1, str(bands.sqref)) == ('"达成,部分达成,未达成"', "H13:H17")
    closing = [(sheet[f"A{row}"].value, sheet[f"C{row}"].value) for row in (19, 20, 21)]
    assert closing == [
        ("评价结论", "=项目总体完成较好"),
        ("存在问题", "个别点位建设滞后"),
        ("改进措施", "加强调度\n按月通报"),
    ]


def test_the_evaluation_form_prints_the_unit_the_budget_sources_and_the_annual_goal() -> None:
    sheet = sheet_of(evaluation_workbook(PROJECT_BASIS, None, None, Decimal(10)))
    assert (sheet["F4"].value, sheet["H4"].value) == ("实施单位", "南昌市生态环境监测中心")
    assert [(sheet[f"C{row}"].value, sheet[f"D{row}"].value) for row in (7, 8, 9)] == [
        ("其中：当年财政拨款", 250.5),
        ("上年结转资金", None),
        ("其他资金", 49.5),
    ]
    assert (sheet["C10"].value, sheet["C11"].value) == ("预期目标", PROJECT_BASIS.annual_goal)
    card = scorecard(PROJECT_BASIS, EVALUATION, EvaluationRules())
    filled = evaluation_workbook(PROJECT_BASIS, EVALUATION, card, Decimal(10))
    assert read_evaluation_workbook(filled, "e.xlsx", PROJECT_BASIS) == EVALUATION


def test_text_typed_under_the_goal_s_result_is_read_back() -> None:
    card = scorecard(PROJECT_BASIS, EVALUATION, EvaluationRules())
    printed = evaluation_workbook(PROJECT_BASIS, EVALUATION, card, Decimal(10))
    assert sheet_of(printed)["F10"].value == "实际完成情况"
    typed = "建成监测点位66块，\n群众认可度明显提升"
    form = read_evaluation_workbook(edited(printed, F11=typed), "e.xlsx", PROJECT_BASIS)
    assert form == replace(EVALUATION, goal_result=typed)
    assert sheet_of(evaluation_workbook(PROJECT_BASIS, form, card, Decimal(10)))["F11"].value == (
        typed
    )


def test_a_blank_evaluation_form_prints_every_indicator_and_asks_for_the_budget() -> None:
    data = evaluation_workbook(BASIS, None, None, Decimal(10))
    sheet = sheet_of(data)

    printed = [
        (sheet.cell(row, 3).value, sheet.cell(row, 4).value)
        for row in range(FIRST_ROW, FIRST_ROW + len(BASIS.targets))
    ]
    assert printed == [(item.name, item.value.raw) for item in BASIS.targets]
    filled = {
        sheet.cell(row, column).value
        for row in range(FIRST_ROW, FIRST_ROW + len(BASIS.targets))
        for column in range(5, 10)
    }
    assert filled == {None}
    assert (sheet["D6"].value, sheet["G6"].value) == (300, 10)
    with pytest.raises(DocumentError) as error:
        read_evaluation_workbook(data, "e.xlsx", BASIS)
    where = f"e.xlsx!{EVALUATION_SHEET}!"
    assert [line.split(": ")[0] for line in problems(error)] == [f"{where}E6", f"{where}F6"]


def test_default_weights_are_printed_and_read_back_as_given() -> None:
    form = EvaluationForm(
        budget_full_year=Decimal(300),
        budget_executed=Decimal(300),
        lines=(EvaluationLine(indicator_id="count", actual=parse_value("70块")),),
    )
    card = scorecard(BASIS, form, EvaluationRules())

    read = read_evaluation_workbook(evaluation_workbook(BASIS, form, card, Decimal(10)), "e", BASIS)

    assert [line.weight for line in read.lines] == [line.weight for line in card.lines]
    assert scorecard(BASIS, read, EvaluationRules()).total == card.total


def official_evaluation() -> bytes:
    """The self-evaluation as a bureau keeps it: shifted, merged, numbers as numbers."""
    book = Workbook()
    sheet = book.worksheets[0]
    _put(sheet, "C2", "项目支出绩效自评表", to="M2")
    _put(sheet, "C3", "（2026年度）", to="M3")
    _put(sheet, "C4", "项目名称", to="D4")
    _put(sheet, "E4", "土壤污染防治项目", to="M4")
    _put(sheet, "C5", "项目资金（万元）", to="D9")
    for column, label in zip(
        "FGHIJK", ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"), strict=True
    ):
        _put(sheet, f"{column}5", label)
    _put(sheet, "E6", "年度资金总额")
    _put(sheet, "F6", 300)
    _put(sheet, "G6", 300.0, number_format="0.00")
    _put(sheet, "H6", "280.25")
    _put(sheet, "I6", 10)
    _put(sheet, "J6", 0.9342, number_format="0.00%")
    _put(sheet, "K6", 9.34)
    _put(sheet, "E7", "其中：当年财政拨款")
    _put(sheet, "E8", "上年结转资金")
    _put(sheet, "E9", "其他资金")
    _put(sheet, "C10", "年度总体目标", to="D11")
    _put(sheet, "E10", "预期目标", to="G10")
    _put(sheet, "H10", "实际完成情况", to="M10")
    _put(sheet, "C12", "绩效指标", to="C17")
    headers = (
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "完成程度",
        "偏差原因分析及改进措施",
    )
    for column, label in zip("DEFGHIJKL", headers, strict=True):
        _put(sheet, f"{column}12", label)
    _put(sheet, "D13", "产出指标", to="D15")
    rows: tuple[tuple[Given, ...], ...] = (
        # 二级指标, 三级指标, 年度指标值, 实际完成值, 分值, 得分, 完成程度, 偏差原因分析及改进措施
        ("数量指标", "监测点位数", "≥66块", 70, 20, 20, None, None),
        ("质量指标", "完成率", "≥95%", 0.9, 22.5, 21.32, None, "部分点位未验收"),
        ("时效指标", "完成率", "2026年12月31日", "2026年11月30日", 17.5, 17.5, None, None),
    )
    for row, entries in enumerate(rows, 13):
        for column, entry in zip("EFGHIJKL", entries, strict=True):
            _put(sheet, f"{column}{row}", entry)
    sheet["H14"].number_format = "0%"
    social: tuple[Given, ...] = (
        "效益指标",
        "社会效益指标",
        "群众认可度",
        "显著提升",
        "有所提升",
        20,
        14,
        "部分达成",
    )
    for column, entry in zip("DEFGHIJK", social, strict=True):
        _put(sheet, f"{column}16", entry)
    _put(sheet, "L16", "宣传不足")
    satisfied: tuple[Given, ...] = ("满意度指标", "服务对象满意度指标", "满意度", "≥90%", 0.92, 10)
    for column, entry in zip("DEFGHI", satisfied, strict=True):
        _put(sheet, f"{column}17", entry)
    sheet["H17"].number_format = "0%"
    _put(sheet, "C18", "总分", to="H18")
    _put(sheet, "I18", 100)
    _put(sheet, "J18", 92.16)
    _put(sheet, "C19", "评价结论", to="D19")
    _put(sheet, "E19", "项目总体完成较好", to="M19")
    _put(sheet, "C20", "存在问题", to="D20")
    _put(sheet, "C21", "改进措施", to="D21")
    _put(sheet, "E21", "加强调度", to="M21")
    return _saved(book)


def test_an_official_evaluation_sheet_laid_out_elsewhere_is_read() -> None:
    form = read_evaluation_workbook(official_evaluation(), "bureau.xlsx", BASIS)

    assert form == EvaluationForm(
        budget_full_year=Decimal(300),
        budget_executed=Decimal("280.25"),
        lines=(
            EvaluationLine(indicator_id="count", actual=parse_value("70"), weight=Decimal(20)),
            EvaluationLine(
                indicator_id="quality",
                actual=parse_value("90%"),
                weight=Decimal("22.5"),
                explanation="部分点位未验收",
            ),
            EvaluationLine(
                indicator_id="time",
                actual=parse_value("2026年11月30日"),
                weight=Decimal("17.5"),
            ),
            EvaluationLine(
                indicator_id="social",
                actual=parse_value("有所提升"),
                weight=Decimal(20),
                band=Band.PARTLY,
                score=Decimal(14),
                explanation="宣传不足",
            ),
            EvaluationLine(indicator_id="satisfied", actual=parse_value("92%"), weight=Decimal(10)),
        ),
        conclusion="项目总体完成较好",
        measures="加强调度",
    )


def test_evaluation_errors_name_the_file_sheet_and_cell() -> None:
    card = scorecard(BASIS, EVALUATION, EvaluationRules())
    data = edited(
        evaluation_workbook(BASIS, EVALUATION, card, Decimal(10)),
        E6=None,  # 全年预算数 left empty
        E13="70米",  # 监测点位数 is counted in 块
        F13="二十分",  # not a weight
        H14="差不多",  # not a band
        G16="很高",  # a qualitative score that is no number
        C17="监测点位数",  # the indicator given twice
    )

    with pytest.raises(DocumentError) as error:
        read_evaluation_workbook(data, "e.xlsx", BASIS)

    where = f"e.xlsx!{EVALUATION_SHEET}!"
    assert [line.split(": ")[0] for line in problems(error)] == [
        f"{where}E6",
        f"{where}E13",
        f"{where}F13",
        f"{where}H14",
        f"{where}G16",
        f"{where}C17",
    ]
    assert problems(error)[-1] == f"{where}C17: 指标「监测点位数」填了两次"


def test_duplicate_names_are_told_apart_by_their_level2() -> None:
    card = scorecard(BASIS, EVALUATION, EvaluationRules())
    data = edited(
        evaluation_workbook(BASIS, EVALUATION, card, Decimal(10)),
        B14="时效指标",
        B15="质量指标",
        E14="2026年11月30日",
        E15="=90%",
    )

    read = read_evaluation_workbook(data, "e.xlsx", BASIS)

    assert [(line.indicator_id, line.actual and line.actual.raw) for line in read.lines][1:3] == [
        ("quality", "=90%"),
        ("time", "2026年11月30日"),
    ]
