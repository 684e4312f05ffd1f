"""The two published forms as grids of labelled cells, filled in from a table document.

A form here is what a bureau prints, cell by cell, before any layout: which label sits in
which column, which values span columns, which labels span rows. It is written from the
forms' structure (江苏省省级项目预算绩效目标表, 南昌市项目支出绩效目标表), never from an
exporter of ours; ``layout.py`` then decides where the grid goes and how spans are written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from domain.document import TableDocument
from domain.model import Form as FormKind
from domain.model import Indicator
from tests.documents.form_grid import AS_PRINTED, Figure, Form, FormCell, Printing, Row

PROVINCIAL_SOURCES = (
    ("general_public_budget", "一般公共预算资金"),
    ("government_fund", "政府性基金"),
    ("state_capital", "国有资本金"),
    ("social_insurance_fund", "社保基金"),
    ("special_account", "财政专户管理资金"),
    ("prior_year_carryover", "上年结转资金"),
    ("other", "其他资金"),
)
MUNICIPAL_SOURCES = (("fiscal_appropriation", "其中:财政拨款"), ("other", "其他资金"))
MUNICIPAL_FOOTER = "注:若为空表,则为该部门(单位)无部门预算项目支出。"

_PRINTED_DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
_PERCENT = re.compile(r"^\d+(?:\.\d+)?%$")


def form_of(document: TableDocument, printing: Printing = AS_PRINTED) -> Form:
    if document.form is FormKind.PROVINCIAL:
        return provincial_form(document)
    return municipal_form(document, printing)


def provincial_form(document: TableDocument) -> Form:
    """江苏省省级项目预算绩效目标表: five columns, half-year and full-year values."""
    project = document.project
    rows: list[Row] = [
        _pair("项目名称", project.name, "name", "主管部门", project.department, "department"),
        _pair("项目类型", project.kind_label, "kind", "项目级次", project.level, "level"),
        _pair(
            "开始时间",
            _year(project.start),
            "start",
            "完成时间",
            _year(project.end),
            "end",
            Figure.YEAR,
        ),
        _pair(
            "实施单位",
            project.implementing_unit,
            "implementing_unit",
            "项目负责人/联系电话",
            project.manager,
            "manager",
        ),
        _wide("立项必要性", project.necessity, "necessity", 5),
        _wide("实施可行性", project.feasibility, "feasibility", 5),
        _wide("项目实施内容", project.content, "content", 5),
        *_provincial_funds(document),
        _wide("中长期目标", document.goals.long_term, "long_term", 5),
        _wide("年度目标", document.goals.annual, "annual", 5),
        _header("一级指标", "二级指标", "三级指标", "半年(程)指标值", "全年(程)指标值"),
        *_indicator_rows(document, periods=2),
    ]
    return Form("江苏省省级项目预算绩效目标表", f"{document.fiscal_year}年度", 5, tuple(rows))


def municipal_form(document: TableDocument, printing: Printing = AS_PRINTED) -> Form:
    """项目支出绩效目标表 as Nanchang prints it: four columns, one annual value."""
    project = document.project
    department = project.department
    if project.department_code:
        department = f"{project.department_code}-{project.department}(部门)"
    rows: list[Row] = [
        (FormCell("项目名称", 0), FormCell(project.name, 1, across=3, key="name")),
        (
            FormCell("主管部门", 0),
            FormCell(department, 1, key="department"),
            FormCell("实施单位", 2),
            FormCell(project.implementing_unit, 3, key="implementing_unit"),
        ),
        *_municipal_period(document, printing),
        *_municipal_funds(document),
        *_municipal_goal(document, printing),
        _header("一级指标", "二级指标", "三级指标", "指标值"),
        *_indicator_rows(document, periods=1),
    ]
    year = f"({document.fiscal_year}年度)"
    return Form("项目支出绩效目标表", year, 4, tuple(rows), MUNICIPAL_FOOTER)


def _pair(
    label: str,
    value: str | None,
    key: str,
    second: str,
    other: str | None,
    other_key: str,
    figure: Figure = Figure.TEXT,
) -> Row:
    return (
        FormCell(label, 0),
        FormCell(value or "", 1, across=2, key=key, figure=figure),
        FormCell(second, 3),
        FormCell(other or "", 4, key=other_key, figure=figure),
    )


def _wide(label: str, text: str | None, key: str, width: int) -> Row:
    return (FormCell(label, 0), FormCell(text or "", 1, across=width - 1, key=key))


def _header(*labels: str) -> Row:
    return tuple(
        FormCell(label, column, key="header" if column == 0 else None)
        for column, label in enumerate(labels)
    )


def _provincial_funds(document: TableDocument) -> list[Row]:
    funds = document.funds
    income: list[Row] = [
        (FormCell("收入", 1), FormCell("全年(程)预算数", 4)),
        (FormCell("资金总额", 2, across=2), _amount(funds.total, 4, "funds.total")),
    ]
    for code, label in PROVINCIAL_SOURCES:
        amount = _amount(funds.sources.get(code), 4, f"funds.{code}")
        income.append((FormCell(label, 2, across=2), amount))
    spending: list[Row] = [
        (FormCell("支出", 1), FormCell("半年(程)计划执行数", 3), FormCell("全年(程)预算数", 4))
    ]
    for index, line in enumerate(document.expenditures):
        spending.append(
            (
                FormCell(line.name, 1, across=2, key=f"expenditure.{index}"),
                _amount(line.half_year, 3, f"expenditure.{index}.half"),
                _amount(line.full_year, 4, f"expenditure.{index}.full"),
            )
        )
    return _label_down("项目资金(万元)", [*income, *spending])


def _municipal_period(document: TableDocument, printing: Printing) -> list[Row]:
    project = document.project
    start, end = _printed_date(project.start), _printed_date(project.end)
    if printing.period_in_one_cell:
        period = f"{start}{printing.period_separator}{end}"
        return [
            (
                FormCell("项目属性", 0),
                FormCell(project.kind_label, 1, key="kind"),
                FormCell("项目日期范围", 2),
                FormCell(period, 3, key="period"),
            )
        ]
    return [
        (
            FormCell("项目属性", 0, down=2, once=True),
            FormCell(project.kind_label, 1, down=2, key="kind", once=True),
            FormCell("项目日期范围", 2, down=2, once=True),
            FormCell(start, 3, figure=Figure.DATE, key="start"),
        ),
        (FormCell(end, 3, figure=Figure.DATE, key="end"),),
    ]


def _municipal_funds(document: TableDocument) -> list[Row]:
    funds = document.funds
    rows: list[Row] = [
        (FormCell("年度资金总额", 1), _amount(funds.total, 2, "funds.total", across=2)),
    ]
    for code, label in MUNICIPAL_SOURCES:
        amount = _amount(funds.sources.get(code), 2, f"funds.{code}", across=2)
        rows.append((FormCell(label, 1), amount))
    return _label_down("项目资金(万元)", rows)


def _municipal_goal(document: TableDocument, printing: Printing) -> list[Row]:
    annual = document.goals.annual or ""
    if printing.goal_below_label:
        return [
            (FormCell("年度绩效目标", 0, across=4),),
            (FormCell(annual, 0, across=4, key="annual"),),
        ]
    return [_wide("年度绩效目标", annual, "annual", 4)]


def _label_down(label: str, rows: list[Row]) -> list[Row]:
    """Rows under one label cell in the first column that spans them all."""
    first = (FormCell(label, 0, down=len(rows)), *rows[0])
    return [first, *rows[1:]]


def _amount(amount: object, column: int, key: str | None, across: int = 1) -> FormCell:
    text = "" if amount is None else format(amount, "f")
    return FormCell(text, column, across=across, figure=Figure.AMOUNT, key=key)


@dataclass(frozen=True)
class _Entry:
    """One printed indicator row: an indicator, or an empty category kept in its place."""

    level1: str
    level2: str
    indicator: Indicator | None
    number: int


def _indicator_rows(document: TableDocument, periods: int) -> list[Row]:
    entries = list(_entries(document))
    rows: list[Row] = []
    for index, entry in enumerate(entries):
        cells = list(_category_cells(entries, index))
        key = f"indicator.{entry.number}" if entry.indicator else None
        name = entry.indicator.name if entry.indicator else ""
        cells.append(FormCell(name, 2, key=key and f"{key}.name"))
        half, full = _values(entry.indicator, periods)
        if periods == 2:
            cells.append(_value_cell(half, 3, key and f"{key}.half"))
        cells.append(_value_cell(full, 2 + periods, key))
        rows.append(tuple(cells))
    return rows


def _entries(document: TableDocument) -> Iterator[_Entry]:
    """Indicators in order; an empty category comes first in its 一级指标 group, as printed."""
    pending = list(document.empty_categories)
    for number, indicator in enumerate(document.indicators):
        for empty in [item for item in pending if item.level1 == indicator.level1]:
            pending.remove(empty)
            yield _Entry(empty.level1, empty.level2, None, -1)
        yield _Entry(indicator.level1, indicator.level2, indicator, number)
    for empty in pending:
        yield _Entry(empty.level1, empty.level2, None, -1)


def _category_cells(entries: list[_Entry], index: int) -> Iterator[FormCell]:
    """The 一级/二级 cells starting at this row, each spanning the rows of its group."""

    def run(same: Callable[[_Entry], bool]) -> int:
        length = 1
        while index + length < len(entries) and same(entries[index + length]):
            length += 1
        return length

    entry = entries[index]
    previous = entries[index - 1] if index else None
    if previous is None or previous.level1 != entry.level1:
        down = run(lambda other: other.level1 == entry.level1)
        yield FormCell(entry.level1, 0, down=down, category=True)
    if previous is None or (previous.level1, previous.level2) != (entry.level1, entry.level2):
        down = run(lambda other: (other.level1, other.level2) == (entry.level1, entry.level2))
        yield FormCell(entry.level2, 1, down=down, category=True)


def _values(indicator: Indicator | None, periods: int) -> tuple[str, str]:
    """The half-year and full-year texts (the municipal form prints only the second)."""
    if indicator is None:
        return "", ""
    half = indicator.half_year.raw if indicator.half_year and periods == 2 else ""
    return half, indicator.full_year.raw


def _value_cell(text: str, column: int, key: str | None) -> FormCell:
    figure = Figure.TEXT
    if _PRINTED_DATE.match(text):
        figure = Figure.DATE
    elif _PERCENT.match(text):
        figure = Figure.PERCENT
    return FormCell(text, column, figure=figure, key=key)


def _year(iso: str | None) -> str:
    return f"{iso}年" if iso else ""


def _printed_date(iso: str | None) -> str:
    if not iso:
        return ""
    year, month, day = (int(part) for part in iso.split("-"))
    return f"{year}年{month}月{day}日"
