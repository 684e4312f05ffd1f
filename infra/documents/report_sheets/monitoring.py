"""Monitoring rounds as 项目支出绩效目标执行监控表 workbooks: written, and read back.

项目支出绩效目标执行监控表 (the 2019 monitoring form), 16 columns A–P::

    项目名称 (A:B) | the project (C:P)
    主管部门 (A:B) | department (C:F) | 实施单位 (G:I) | the implementing unit (J:P)
    项目资金（万元） (A:B) | (C) | 年初预算数 (D:E) | 1-M月执行数 (F:I) | 执行率(%) (J:N)
      | 全年预计执行数 (O:P)
      rows 年度资金总额 (filled), 其中：财政拨款 and 其他资金 (their 年初预算数 from the
      approved sources, see ``vocabulary.REPORT_FUND_ROWS``)
    年度总体目标 (A:B) | 全年目标 (C:I) | 1-M月执行情况 (J:P), then a row: the approved
      年度目标 under 全年目标, and under 1-M月执行情况 how the goal stands (read back)
    一级指标 | 二级指标 | 三级指标 | 年度指标值 | 1-M月执行情况 | 全年预计完成情况 (A–F)
      | 偏差原因分析: 经费保障 制度保障 人员保障 硬件条件保障 其他 (G–K, √)
      | 完成目标可能性: 确定能 有可能 完全不可能 (L–N, √) | 原因说明 (O) | 纠偏措施 (P)

The execution rate is a number: the domain's rate against the time elapsed
(``scoring.execution_rate``), in percent, present when ``figures`` are given. A form with no
line for an indicator prints its row with the approved target only; a line ticks its
likelihood (确定能 by default). The lights are not printed: the official form has no place for
them. Reading, the 1-M月执行数 left empty is 0 (as ``EMPTY_FORM`` has it), 全年预计执行数 left
empty is none, and a row with nothing filled in gives no line.
"""

from __future__ import annotations

import re
from decimal import Decimal

from domain import vocabulary
from domain.monitoring import (
    EMPTY_FORM,
    Figures,
    MonitoringForm,
    MonitoringLine,
    check_monitoring_form,
)
from domain.reports import Basis, Target
from domain.scoring import Cause, Likelihood, ScoringInvalid
from infra.documents.cells import Line
from infra.documents.layout import Role
from infra.documents.report_sheets.common import (
    FUNDS,
    INITIAL_BUDGET,
    LEVEL1,
    LEVEL2,
    NAME,
    RATE,
    TARGET,
    TICK,
    TOTAL,
    fold,
)
from infra.documents.report_sheets.grid import (
    GOAL,
    Cell,
    Grid,
    book_bytes,
    choices,
    money_row,
    raw,
    save,
)
from infra.documents.report_sheets.reader import (
    INDICATOR_LABELS,
    Reader,
    cell_at,
    check_year,
    find_sheet,
    heading_columns,
    in_order,
    indicator_rows,
    is_indicator_header,
    is_ticked,
    label_keys,
    read_value,
    total_row,
)

MONITORING_TITLE = "项目支出绩效目标执行监控表"
CAUSE_LABELS = {
    Cause.FUNDING: "经费保障",
    Cause.SYSTEM: "制度保障",
    Cause.STAFF: "人员保障",
    Cause.HARDWARE: "硬件条件保障",
    Cause.OTHER: "其他",
}
LIKELIHOOD_LABELS = {
    Likelihood.CERTAIN: "确定能",
    Likelihood.POSSIBLE: "有可能",
    Likelihood.IMPOSSIBLE: "完全不可能",
}
_FORECAST, _FORECAST_BUDGET = "全年预计完成情况", "全年预计执行数"
_NOTE, _MEASURES = "原因说明", "纠偏措施"
_MONITORING_WIDTHS = (10, 12, 22, 12, 14, 14, 7, 7, 7, 7, 7, 7, 7, 7, 18, 18)


def _month_label(month: int, what: str) -> str:
    return f"1-{month}月{what}"


def _tick(ticked: bool) -> Cell:
    return (Role.CATEGORY, TICK if ticked else None)


def monitoring_workbook(
    basis: Basis, through_month: int, form: MonitoringForm, figures: Figures | None
) -> bytes:
    """The round as a 项目支出绩效目标执行监控表; ``EMPTY_FORM`` gives the form to fill in."""
    grid = Grid(len(_MONITORING_WIDTHS))
    grid.project(basis, department_width=4, unit_width=3)
    executed = _month_label(through_month, "执行数")
    grid.put(0, Role.LABEL, FUNDS, width=2, height=4)
    money = (2, 4, 5, 0)  # the widths of the four amount columns, from D
    grid.put(2, Role.HEADING)
    money_row(grid, money, [INITIAL_BUDGET, executed, RATE, _FORECAST_BUDGET], Role.HEADING)
    blank = form == EMPTY_FORM
    amounts: list[str | Decimal | None] = [
        basis.budget,
        None if blank else form.budget_executed,
        None if figures is None else figures.execution_rate,
        form.budget_forecast,
    ]
    grid.put(2, Role.LABEL, TOTAL)
    money_row(grid, money, amounts, Role.AMOUNT)
    for label, part in (("其中：财政拨款", "fiscal"), ("其他资金", "other")):
        grid.put(2, Role.LABEL, label)
        initial = basis.budget_part(vocabulary.REPORT_FUND_ROWS[part])
        money_row(grid, money, [initial, None, None, None], Role.AMOUNT)
    progress = _month_label(through_month, "执行情况")
    grid.goal((7, 0), ("全年目标", progress), basis.annual_goal, form.goal_progress)
    _monitoring_header(grid, through_month)
    first = grid.row

    def cells(target: Target) -> list[Cell]:
        given = form.line(target.indicator_id)
        line = given or MonitoringLine(indicator_id=target.indicator_id)
        likely = None if given is None else given.likelihood
        return [
            (Role.TEXT, target.name),
            (Role.TEXT, target.value.raw),
            (Role.TEXT, raw(line.actual_to_date)),
            (Role.TEXT, raw(line.year_end_forecast)),
            *(_tick(cause in line.causes) for cause in CAUSE_LABELS),
            *(_tick(likelihood is likely) for likelihood in LIKELIHOOD_LABELS),
            (Role.TEXT, line.cause_note),
            (Role.TEXT, line.measures),
        ]

    grid.indicators(basis.targets, cells)
    ticks = grid.area(first, range(6, 14))
    year = f"（{basis.fiscal_year}年1-{through_month}月）"
    book, sheet = save(grid, basis, MONITORING_TITLE, year, _MONITORING_WIDTHS)
    choices(sheet, ticks, [TICK])
    return book_bytes(book)


def _monitoring_header(grid: Grid, through_month: int) -> None:
    for column, label in enumerate(
        (LEVEL1, LEVEL2, NAME, TARGET, _month_label(through_month, "执行情况"), _FORECAST)
    ):
        grid.put(column, Role.HEADING, label, height=2)
    grid.put(6, Role.HEADING, "偏差原因分析", width=len(CAUSE_LABELS))
    grid.put(11, Role.HEADING, "完成目标可能性", width=len(LIKELIHOOD_LABELS))
    grid.put(14, Role.HEADING, _NOTE, height=2)
    grid.put(15, Role.HEADING, _MEASURES, height=2)
    grid.row += 1
    for column, label in enumerate([*CAUSE_LABELS.values(), *LIKELIHOOD_LABELS.values()], 6):
        grid.put(column, Role.HEADING, label)
    grid.row += 1


_MONTH_COLUMN = re.compile(r"^1[-—–~～至到](\d{1,2})月(执行情况|执行数)$")
_MONTH_LINE = re.compile(r"^\(?(\d{4})年(?:度)?1[-—–~～至到](\d{1,2})月\)?$")
_MONITORING_COLUMNS = label_keys(
    {
        **INDICATOR_LABELS,
        "forecast": (_FORECAST, "全年预计完成值"),
        **{f"cause.{cause}": (label,) for cause, label in CAUSE_LABELS.items()},
        f"cause.{Cause.OTHER}": ("其他", "其它"),
        f"cause.{Cause.HARDWARE}": ("硬件条件保障", "硬件保障"),
        **{f"likely.{item}": (label,) for item, label in LIKELIHOOD_LABELS.items()},
        "note": (_NOTE, "偏差原因说明", "备注"),
        "measures": (_MEASURES, "纠偏措施说明", "改进措施"),
    }
)
_SUB_HEADINGS = label_keys(
    {"sub": (*CAUSE_LABELS.values(), "其它", "硬件保障", *LIKELIHOOD_LABELS.values())}
)
_MONITORING_FUNDS = label_keys({"forecast": (_FORECAST_BUDGET,)})


def _month_columns(
    reader: Reader, line: Line, what: str, through_month: int
) -> tuple[int | None, bool]:
    """The column of ``1-M月{what}`` in ``line``, and whether it names another month."""
    for column, text in line.filled_at():
        match = _MONTH_COLUMN.match(fold(text))
        if match and match[2] == what:
            if int(match[1]) != through_month:
                other = {"month": match[1], "text": text, "through": through_month}
                reader.problem(line, column, vocabulary.SHEET_OTHER_MONTH.format(**other))
                return column, True
            return column, False
    return None, False


def read_monitoring_workbook(
    data: bytes, source: str, basis: Basis, through_month: int
) -> MonitoringForm:
    """The monitoring form a filled-in 项目支出绩效目标执行监控表 gives."""

    def is_header(line: Line) -> bool:
        return is_indicator_header(line, lambda word: word == fold(_FORECAST))

    reader = find_sheet(data, source, is_header, MONITORING_TITLE)
    header = reader.find(is_header)
    assert header is not None
    for line in reader.lines[:header]:
        if match := _MONTH_LINE.match(fold(line.text)):
            check_year(reader, line, basis.fiscal_year, int(match[1]))
            if int(match[2]) != through_month:
                other = {"month": match[2], "text": line.text, "through": through_month}
                reader.problem(line, None, vocabulary.SHEET_OTHER_MONTH.format(**other))
    reader.project(basis, header)
    executed, forecast = _monitoring_funds(reader, header, through_month)
    progress = _goal_progress(reader, header, through_month)
    heads = reader.lines[header : header + 2]
    if len(heads) > 1 and not heading_columns(heads[1:], _SUB_HEADINGS):
        heads = heads[:1]  # no sub-headings under the header: the rows start right under it
    columns = heading_columns(heads, _MONITORING_COLUMNS)
    actual, wrong_month = _month_columns(reader, heads[0], "执行情况", through_month)
    if actual is None and not wrong_month:
        missing = _month_label(through_month, "执行情况")
        reader.problem(heads[0], None, vocabulary.SHEET_HEADER_LACKS.format(label=missing))
    start = header + len(heads)
    causes = {cause: columns.get(f"cause.{cause}") for cause in Cause}
    likely = {item: columns.get(f"likely.{item}") for item in Likelihood}
    note, measures = columns.get("note"), columns.get("measures")
    entries = [
        column
        for column in (actual, columns.get("forecast"), note, measures, *causes.values())
        if column is not None
    ] + [column for column in likely.values() if column is not None]
    lines: list[MonitoringLine] = []
    for line, target in indicator_rows(reader, start, columns, entries, lambda _: False, basis):
        if not any(cell_at(line, column) for column in entries):
            continue
        ticked = [item for item, column in likely.items() if is_ticked(reader, line, column)]
        if len(ticked) > 1:
            first, second = (LIKELIHOOD_LABELS[item] for item in ticked[:2])
            words = vocabulary.SHEET_TICKED_TWICE.format(first=first, second=second)
            reader.problem(line, likely[ticked[1]], words)
        item = MonitoringLine(
            indicator_id=target.indicator_id,
            actual_to_date=read_value(reader, line, actual, target),
            year_end_forecast=read_value(reader, line, columns.get("forecast"), target),
            likelihood=ticked[0] if ticked else Likelihood.CERTAIN,
            causes=tuple(
                cause for cause, column in causes.items() if is_ticked(reader, line, column)
            ),
            cause_note=cell_at(line, note) or None,
            measures=cell_at(line, measures) or None,
        )
        try:
            check_monitoring_form(basis, MonitoringForm(budget_executed=Decimal(0), lines=(item,)))
        except ScoringInvalid as error:
            at = {"causes": likely.get(item.likelihood), "causeNote": note}
            reader.problem(
                line, at.get((error.field or "").rsplit(".", 1)[-1], columns["name"]), str(error)
            )
        lines.append(item)
    reader.done()
    return MonitoringForm(
        budget_executed=executed or Decimal(0),
        budget_forecast=forecast,
        lines=in_order(basis, lines),
        goal_progress=progress,
    )


def _goal_progress(reader: Reader, header: int, through_month: int) -> str | None:
    """What is written under 年度总体目标's 1-M月执行情况 (the row under its headings)."""
    found = reader.find(lambda line: GOAL in (fold(text) for text in line.filled))
    if found is None or found + 1 >= header:
        return None
    column, _ = _month_columns(reader, reader.lines[found], "执行情况", through_month)
    return cell_at(reader.lines[found + 1], column) or None


def _monitoring_funds(
    reader: Reader, header: int, through_month: int
) -> tuple[Decimal | None, Decimal | None]:
    """1-M月执行数 and 全年预计执行数 from the 年度资金总额 row."""

    def is_funds(line: Line) -> bool:
        matches = (_MONTH_COLUMN.match(fold(text)) for text in line.filled)
        return any(match is not None and match[2] == "执行数" for match in matches)

    found = reader.find(is_funds)
    if found is None or found > header:
        where = reader.lines[header]
        columns = _month_label(through_month, "执行数")
        reader.problem(
            where, None, vocabulary.SHEET_FUNDS_MISSING.format(columns=columns, funds=FUNDS)
        )
        return None, None
    heading = reader.lines[found]
    executed_at, _ = _month_columns(reader, heading, "执行数", through_month)
    forecast_at = heading_columns([heading], _MONITORING_FUNDS).get("forecast")
    total = total_row(reader, found + 1, header)
    if total is None:
        return None, None
    return (
        reader.amount(total, executed_at, _month_label(through_month, "执行数")),
        reader.amount(total, forecast_at, _FORECAST_BUDGET),
    )
