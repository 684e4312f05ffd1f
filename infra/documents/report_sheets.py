"""Monitoring rounds and self-evaluations as Excel workbooks in the Ministry of Finance's layouts.

Both forms are written by ``workbook.write_form`` (title and period merged above the grid,
widths, bold shaded headings, borders, A4 landscape; amounts as numbers shown with two
decimals; every text cell text, so that ``=…`` is never a formula; control characters
replaced), one sheet each, and read back through ``xlsx.xlsx_sheets`` (streamed, merged cells
known, numbers as their format shows them). Problems name the file, sheet and cell.

项目支出绩效目标执行监控表 (the 2019 monitoring form), 16 columns A–P::

    项目名称 (A:B) | the project (C:P)
    主管部门 (A:B) | department (C:F) | 实施单位 (G:I) | left empty (J:P)
    项目资金（万元） (A:B) | (C) | 年初预算数 (D:E) | 1-M月执行数 (F:I) | 执行率(%) (J:N)
      | 全年预计执行数 (O:P)
      rows 年度资金总额 (filled), 其中：财政拨款 and 其他资金 (left empty)
    年度总体目标 (A:B) | 全年目标 (C:I) | 1-M月执行情况 (J:P), then an empty row to write in
    一级指标 | 二级指标 | 三级指标 | 年度指标值 | 1-M月执行情况 | 全年预计完成情况 (A–F)
      | 偏差原因分析: 经费保障 制度保障 人员保障 硬件条件保障 其他 (G–K, √)
      | 完成目标可能性: 确定能 有可能 完全不可能 (L–N, √) | 原因说明 (O) | 纠偏措施 (P)

The execution rate is a number: the domain's rate against the time elapsed
(``scoring.execution_rate``), in percent, present when ``figures`` are given. A form with no
line for an indicator prints its row with the approved target only; a line ticks its
likelihood (确定能 by default). The lights are not printed: the official form has no place for
them. Reading, the 1-M月执行数 left empty is 0 (as ``EMPTY_FORM`` has it), 全年预计执行数 left
empty is none, and a row with nothing filled in gives no line.

项目支出绩效自评表 (财预〔2020〕10号), 9 columns A–I::

    项目名称 (A:B) | the project (C:I)
    主管部门 (A:B) | department (C:E) | 实施单位 (F:G) | left empty (H:I)
    项目资金（万元） (A:B) | (C) | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率(%)
      | 得分 (D–I)
      rows 年度资金总额 (年初预算数 the approved budget, A, B, the execution weight, rate and
      score), 其中：当年财政拨款, 上年结转资金, 其他资金 (left empty, 分值 and 得分 "—")
    年度总体目标 (A:B) | 预期目标 (C:E) | 实际完成情况 (F:I), then an empty row to write in
    一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 完成程度
      | 偏差原因分析及改进措施 (A–I)
    总分 (A:E) | the weights' sum (F) | the total (G) | 自评等级：优/良/中/差 (H:I)
    评价结论, 存在问题, 改进措施 (A:B) | the text (C:I)

完成程度 is the column this export adds after 得分, where a qualitative target's band is
written as 达成, 部分达成 or 未达成 (the score of its band goes under 得分); a numeric or date
target leaves it empty, its 得分 following from the actual. Reading, 得分 is taken for a
qualitative target only (a numeric one's is worked out again), 分值 for every row that gives
it. A form that leaves the weights to the defaults is printed with the scorecard's weights,
and so reads back with them given.

Reading either form, the sheet is found by its indicator header, which may sit anywhere
(shifted down or right, a 绩效指标 column before it, headings merged over two rows); columns
are found by their headings, rows matched to the approved targets by 三级指标 (and by 二级指标,
then 一级指标, where names repeat). 1-M月执行情况, 全年预计完成情况 and 实际完成值 are read as
the sheet shows them and parsed with ``parse_value``; a tick is √ (or ✓ ✔ ☑ v).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from itertools import groupby
from typing import TypeVar

from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from domain import vocabulary
from domain.evaluation import EvaluationForm, EvaluationLine, Scorecard, ScoredLine
from domain.model import Form
from domain.monitoring import (
    EMPTY_FORM,
    Figures,
    MonitoringForm,
    MonitoringLine,
    check_monitoring_form,
)
from domain.reports import Basis, Target
from domain.scoring import Band, Cause, Likelihood, ScoringInvalid, check_comparable
from domain.values import Value, ValueKind, parse_amount, parse_value
from infra.documents.cells import DocumentError, Line, Place, fiscal_year_in, is_footer
from infra.documents.layout import Box, FormLayout, Role, printable
from infra.documents.workbook import SheetTitles, box_range, write_form
from infra.documents.xlsx import xlsx_sheets

MONITORING_TITLE = "项目支出绩效目标执行监控表"
EVALUATION_TITLE = "项目支出绩效自评表"
TICK = "√"
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
BAND_LABELS = {Band.ACHIEVED: "达成", Band.PARTLY: "部分达成", Band.NOT_ACHIEVED: "未达成"}

_PROJECT, _DEPARTMENT, _UNIT = "项目名称", "主管部门", "实施单位"
_FUNDS = "项目资金（万元）"
_TOTAL = vocabulary.FUND_TOTAL_LABELS[1]  # 年度资金总额
_GOAL = "年度总体目标"
_INITIAL_BUDGET, _RATE = "年初预算数", "执行率(%)"
_FULL_YEAR_BUDGET, _EXECUTED = "全年预算数", "全年执行数"
_WEIGHT, _SCORE = "分值", "得分"
_DASH = "—"
_LEVEL1, _LEVEL2, _NAME = vocabulary.INDICATOR_HEADER
_TARGET = "年度指标值"
_FORECAST, _FORECAST_BUDGET = "全年预计完成情况", "全年预计执行数"
_NOTE, _MEASURES = "原因说明", "纠偏措施"
_ACTUAL, _BAND, _EXPLANATION = "实际完成值", "完成程度", "偏差原因分析及改进措施"
_SUM, _GRADE = "总分", "自评等级："
_CONCLUSION, _PROBLEMS, _IMPROVEMENTS = "评价结论", "存在问题", "改进措施"

_MONITORING_WIDTHS = (10, 12, 22, 12, 14, 14, 7, 7, 7, 7, 7, 7, 7, 7, 18, 18)
_EVALUATION_WIDTHS = (12, 14, 24, 14, 14, 12, 10, 12, 30)
# FormLayout names the table form a layout prints; write_form does not read it.
_LAYOUT_FORM = Form.PROVINCIAL

Cell = tuple[Role, str | Decimal | None]
_Line = TypeVar("_Line", MonitoringLine, EvaluationLine)


def _fold(text: str) -> str:
    return vocabulary.normalise_label(text).rstrip(":")


def _month_label(month: int, what: str) -> str:
    return f"1-{month}月{what}"


# --- writing ----------------------------------------------------------------------


@dataclass
class _Grid:
    """Boxes put row by row on a grid ``width`` columns wide."""

    width: int
    boxes: list[Box] = field(default_factory=list)
    row: int = 0

    def put(
        self,
        column: int,
        role: Role,
        value: str | Decimal | None = None,
        *,
        width: int = 1,
        height: int = 1,
    ) -> None:
        if isinstance(value, str):
            value = printable(value) or None
        self.boxes.append(Box(self.row, column, role, value, width, height))

    def rest(self, column: int, role: Role, value: str | Decimal | None = None) -> None:
        """A box to the right edge, ending the row."""
        self.put(column, role, value, width=self.width - column)
        self.row += 1

    def spans(self, row: Sequence[tuple[int, Cell]]) -> None:
        """One row of boxes, each (its width, its cell), the last to the right edge."""
        column = 0
        for width, (role, value) in row[:-1]:
            self.put(column, role, value, width=width)
            column += width
        role, value = row[-1][1]
        self.rest(column, role, value)

    def project(self, basis: Basis, department_width: int, unit_width: int) -> None:
        self.put(0, Role.LABEL, _PROJECT, width=2)
        self.rest(2, Role.TEXT, basis.project_name)
        self.spans(
            [
                (2, (Role.LABEL, _DEPARTMENT)),
                (department_width, (Role.TEXT, basis.department)),
                (unit_width, (Role.LABEL, _UNIT)),
                (0, (Role.TEXT, None)),
            ]
        )

    def goal(self, widths: tuple[int, int], headings: tuple[str, str]) -> None:
        self.put(0, Role.LABEL, _GOAL, width=2, height=2)
        self.put(2, Role.HEADING, headings[0], width=widths[0])
        self.rest(2 + widths[0], Role.HEADING, headings[1])
        self.put(2, Role.LONG, width=widths[0])
        self.rest(2 + widths[0], Role.LONG)

    def indicators(
        self, targets: Sequence[Target], cells: Callable[[Target], Sequence[Cell]]
    ) -> None:
        """A row per target, its 一级指标 and 二级指标 merged down over their runs."""
        for level1, block in groupby(targets, key=lambda target: target.level1):
            members = list(block)
            self.put(0, Role.CATEGORY, level1, height=len(members))
            for level2, group in groupby(members, key=lambda target: target.level2):
                items = list(group)
                self.put(1, Role.CATEGORY, level2, height=len(items))
                for target in items:
                    for column, (role, value) in enumerate(cells(target), start=2):
                        self.put(column, role, value)
                    self.row += 1

    def area(self, first_row: int, columns: range) -> Box | None:
        """The box covering ``columns`` from ``first_row`` down to the last row, if any."""
        if self.row <= first_row:
            return None
        return Box(first_row, columns.start, Role.TEXT, None, len(columns), self.row - first_row)


def _save(
    grid: _Grid, basis: Basis, title: str, year: str, widths: tuple[int, ...]
) -> tuple[Workbook, Worksheet]:
    layout = FormLayout(_LAYOUT_FORM, basis.project_name, title, year, widths, tuple(grid.boxes))
    book = Workbook(write_only=True)
    return book, write_form(book, SheetTitles().take(title), layout)


def _choices(sheet: Worksheet, area: Box | None, values: Sequence[str]) -> None:
    """A drop-down list on the cells of ``area``; other text is allowed after a warning."""
    if area is None:
        return
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(values) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
    )
    validation.add(box_range(area))
    sheet.data_validations.append(validation)


def _bytes(book: Workbook) -> bytes:
    stream = BytesIO()
    book.save(stream)
    return stream.getvalue()


def _raw(value: Value | None) -> str | None:
    return None if value is None else value.raw


def _tick(ticked: bool) -> Cell:
    return (Role.CATEGORY, TICK if ticked else None)


def monitoring_workbook(
    basis: Basis, through_month: int, form: MonitoringForm, figures: Figures | None
) -> bytes:
    """The round as a 项目支出绩效目标执行监控表; ``EMPTY_FORM`` gives the form to fill in."""
    grid = _Grid(len(_MONITORING_WIDTHS))
    grid.project(basis, department_width=4, unit_width=3)
    executed = _month_label(through_month, "执行数")
    grid.put(0, Role.LABEL, _FUNDS, width=2, height=4)
    money = (2, 4, 5, 0)  # the widths of the four amount columns, from D
    grid.put(2, Role.HEADING)
    _money_row(grid, money, [_INITIAL_BUDGET, executed, _RATE, _FORECAST_BUDGET], Role.HEADING)
    blank = form == EMPTY_FORM
    amounts: list[str | Decimal | None] = [
        basis.budget,
        None if blank else form.budget_executed,
        None if figures is None else figures.execution_rate,
        form.budget_forecast,
    ]
    grid.put(2, Role.LABEL, _TOTAL)
    _money_row(grid, money, amounts, Role.AMOUNT)
    for label in ("其中：财政拨款", "其他资金"):
        grid.put(2, Role.LABEL, label)
        _money_row(grid, money, [None] * 4, Role.AMOUNT)
    grid.goal((7, 0), ("全年目标", _month_label(through_month, "执行情况")))
    _monitoring_header(grid, through_month)
    first = grid.row

    def cells(target: Target) -> list[Cell]:
        given = form.line(target.indicator_id)
        line = given or MonitoringLine(indicator_id=target.indicator_id)
        likely = None if given is None else given.likelihood
        return [
            (Role.TEXT, target.name),
            (Role.TEXT, target.value.raw),
            (Role.TEXT, _raw(line.actual_to_date)),
            (Role.TEXT, _raw(line.year_end_forecast)),
            *(_tick(cause in line.causes) for cause in CAUSE_LABELS),
            *(_tick(likelihood is likely) for likelihood in LIKELIHOOD_LABELS),
            (Role.TEXT, line.cause_note),
            (Role.TEXT, line.measures),
        ]

    grid.indicators(basis.targets, cells)
    ticks = grid.area(first, range(6, 14))
    year = f"（{basis.fiscal_year}年1-{through_month}月）"
    book, sheet = _save(grid, basis, MONITORING_TITLE, year, _MONITORING_WIDTHS)
    _choices(sheet, ticks, [TICK])
    return _bytes(book)


def _money_row(
    grid: _Grid, widths: Sequence[int], values: Sequence[str | Decimal | None], role: Role
) -> None:
    """The cells after the row's label in column C, ``widths`` wide from D."""
    column = 3
    for width, value in zip(widths[:-1], values[:-1], strict=True):
        grid.put(column, role, value, width=width)
        column += width
    grid.rest(column, role, values[-1])


def _monitoring_header(grid: _Grid, through_month: int) -> None:
    for column, label in enumerate(
        (_LEVEL1, _LEVEL2, _NAME, _TARGET, _month_label(through_month, "执行情况"), _FORECAST)
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


def evaluation_workbook(
    basis: Basis,
    form: EvaluationForm | None,
    card: Scorecard | None,
    execution_weight: Decimal,
) -> bytes:
    """The self-evaluation as a 项目支出绩效自评表; no form gives the form to fill in."""
    grid = _Grid(len(_EVALUATION_WIDTHS))
    grid.project(basis, department_width=3, unit_width=2)
    grid.put(0, Role.LABEL, _FUNDS, width=2, height=5)
    grid.put(2, Role.HEADING)
    headings = [_INITIAL_BUDGET, _FULL_YEAR_BUDGET, _EXECUTED, _WEIGHT, _RATE, _SCORE]
    _money_row(grid, [1] * 6, headings, Role.HEADING)
    grid.put(2, Role.LABEL, _TOTAL)
    _money_row(
        grid,
        [1] * 6,
        [
            basis.budget,
            None if form is None else form.budget_full_year,
            None if form is None else form.budget_executed,
            execution_weight,
            None if card is None else card.execution_rate,
            None if card is None else card.execution_score,
        ],
        Role.AMOUNT,
    )
    for label in ("其中：当年财政拨款", "上年结转资金", "其他资金"):
        grid.put(2, Role.LABEL, label)
        for column, value in enumerate((None, None, None, _DASH, None, _DASH), start=3):
            role = Role.CATEGORY if value else Role.AMOUNT
            grid.put(column, role, value)
        grid.row += 1
    grid.goal((3, 0), ("预期目标", "实际完成情况"))
    header = (_LEVEL1, _LEVEL2, _NAME, _TARGET, _ACTUAL, _WEIGHT, _SCORE, _BAND, _EXPLANATION)
    for column, label in enumerate(header):
        grid.put(column, Role.HEADING, label)
    grid.row += 1
    first = grid.row
    scored = {line.indicator_id: line for line in card.lines} if card else {}
    printed = [
        _printed_line(target, None if form is None else form.line(target.indicator_id), scored)
        for target in basis.targets
    ]
    by_id = {line.indicator_id: line for line in printed}

    def cells(target: Target) -> list[Cell]:
        line = by_id[target.indicator_id]
        return [
            (Role.TEXT, target.name),
            (Role.TEXT, target.value.raw),
            (Role.TEXT, _raw(line.actual)),
            (Role.AMOUNT, line.weight),
            (Role.AMOUNT, line.score),
            (Role.CATEGORY, BAND_LABELS[line.band] if line.band else None),
            (Role.LONG, line.explanation),
        ]

    grid.indicators(basis.targets, cells)
    bands = grid.area(first, range(7, 8))
    weights = [line.weight for line in printed]
    total_weight = (
        execution_weight + sum((weight for weight in weights if weight is not None), Decimal(0))
        if all(weight is not None for weight in weights)
        else None
    )
    grid.spans(
        [
            (5, (Role.LABEL, _SUM)),
            (1, (Role.AMOUNT, total_weight)),
            (1, (Role.AMOUNT, None if card is None else card.total)),
            (0, (Role.LABEL, _GRADE if card is None else _GRADE + card.grade)),
        ]
    )
    closing = (
        (None, None, None) if form is None else (form.conclusion, form.problems, form.measures)
    )
    for label, text in zip((_CONCLUSION, _PROBLEMS, _IMPROVEMENTS), closing, strict=True):
        grid.put(0, Role.LABEL, label, width=2)
        grid.rest(2, Role.LONG, text)
    year = f"（{basis.fiscal_year}年度）"
    book, sheet = _save(grid, basis, EVALUATION_TITLE, year, _EVALUATION_WIDTHS)
    _choices(sheet, bands, list(BAND_LABELS.values()))
    return _bytes(book)


def _printed_line(
    target: Target, line: EvaluationLine | None, scored: dict[str, ScoredLine]
) -> EvaluationLine:
    """What a row shows: the form's own entries, else the scorecard's."""
    given = line or EvaluationLine(indicator_id=target.indicator_id)
    card = scored.get(target.indicator_id)
    if card is None:
        return given
    qualitative = target.value.kind is ValueKind.TEXT
    return EvaluationLine(
        indicator_id=target.indicator_id,
        actual=given.actual or card.actual,
        weight=given.weight if given.weight is not None else card.weight,
        band=given.band or card.band,
        score=given.score if qualitative and given.score is not None else card.score,
        explanation=given.explanation or card.explanation,
    )


# --- reading ----------------------------------------------------------------------

_TICKS = frozenset({"√", "✓", "✔", "☑", "v", "V"})
_MONTH_COLUMN = re.compile(r"^1[-—–~～至到](\d{1,2})月(执行情况|执行数)$")
_MONTH_LINE = re.compile(r"^\(?(\d{4})年(?:度)?1[-—–~～至到](\d{1,2})月\)?$")
# Lines under a form that end its indicator table: who filled it in, and the notes.
_SIGNATURES = ("填报人", "填表人", "单位负责人", "项目负责人", "财务负责人", "联系电话")


def _labels(pairs: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {_fold(label): key for key, labels in pairs.items() for label in labels}


_INDICATOR_LABELS = {"level1": (_LEVEL1,), "level2": (_LEVEL2,), "name": (_NAME,)}
_MONITORING_COLUMNS = _labels(
    {
        **_INDICATOR_LABELS,
        "forecast": (_FORECAST, "全年预计完成值"),
        **{f"cause.{cause}": (label,) for cause, label in CAUSE_LABELS.items()},
        f"cause.{Cause.OTHER}": ("其他", "其它"),
        f"cause.{Cause.HARDWARE}": ("硬件条件保障", "硬件保障"),
        **{f"likely.{item}": (label,) for item, label in LIKELIHOOD_LABELS.items()},
        "note": (_NOTE, "偏差原因说明", "备注"),
        "measures": (_MEASURES, "纠偏措施说明", "改进措施"),
    }
)
_SUB_HEADINGS = _labels(
    {"sub": (*CAUSE_LABELS.values(), "其它", "硬件保障", *LIKELIHOOD_LABELS.values())}
)
_MONITORING_FUNDS = _labels({"forecast": (_FORECAST_BUDGET,)})
_EVALUATION_COLUMNS = _labels(
    {
        **_INDICATOR_LABELS,
        "actual": (_ACTUAL, "全年实际完成值", "实际完成情况", "完成值"),
        "weight": (_WEIGHT, "权重"),
        "score": (_SCORE,),
        "band": (_BAND, "达成程度"),
        "explanation": (_EXPLANATION, "偏差原因分析及改进措施说明", "未完成原因分析"),
    }
)
_EVALUATION_FUNDS = _labels(
    {
        "full_year": (_FULL_YEAR_BUDGET, "调整后预算数"),
        "executed": (_EXECUTED, "预算执行数"),
    }
)
_BANDS = {
    _fold(label): band
    for band, labels in {
        Band.ACHIEVED: ("达成", "完成", "全部达成"),
        Band.PARTLY: ("部分达成", "部分完成", "基本达成"),
        Band.NOT_ACHIEVED: ("未达成", "未完成"),
    }.items()
    for label in labels
}
_TOTALS = frozenset(_fold(label) for label in vocabulary.FUND_TOTAL_LABELS)
_EVALUATION_ENDS = frozenset(
    _fold(label) for label in (_SUM, "合计", _CONCLUSION, _PROBLEMS, _IMPROVEMENTS)
)
_CLOSING = {_CONCLUSION: "conclusion", _PROBLEMS: "problems", _IMPROVEMENTS: "measures"}


def _cell(line: Line, column: int | None) -> str:
    if column is None or column >= len(line.cells):
        return ""
    return line.cells[column]


@dataclass
class _Reader:
    """One sheet's lines, and the problems found reading them."""

    source: str
    lines: list[Line]
    problems: list[tuple[Place | int, str]] = field(default_factory=list)

    def place(self, line: Line, column: int | None) -> Place:
        return line.origin.place(line.number, column)

    def problem(self, line: Line, column: int | None, message: str) -> None:
        self.problems.append((self.place(line, column), message))

    def done(self) -> None:
        if self.problems:
            raise DocumentError(self.source, self.problems)

    def find(self, test: Callable[[Line], bool], start: int = 0) -> int | None:
        return next(
            (index for index in range(start, len(self.lines)) if test(self.lines[index])), None
        )

    def amount(
        self, line: Line, column: int | None, what: str, *, money: bool = True
    ) -> Decimal | None:
        """The number in a cell (in 万元 when ``money``); None when empty or refused."""
        text = _cell(line, column)
        if not text:
            return None
        found = parse_amount(text.removesuffix("万元") if money else text)
        if found is None:
            kind = "an amount in 万元" if money else "a number"
            self.problem(line, column, f"{what} must be {kind}, not {text!r}")
        elif found < 0:
            self.problem(line, column, f"{what} cannot be negative ({text})")
            return None
        return found

    def project(self, basis: Basis, upto: int) -> None:
        """A sheet naming another project than the basis's is refused."""
        wanted = _fold(basis.project_name)
        for line in self.lines[:upto]:
            cells = line.filled_at()
            for index, (_, text) in enumerate(cells[:-1]):
                if _fold(text) == _PROJECT:
                    column, given = cells[index + 1]
                    if wanted and wanted not in _fold(given):
                        self.problem(
                            line,
                            column,
                            f"this sheet is about {given!r}, not the project "
                            f"{basis.project_name!r} this report is on",
                        )
                    return


def _sheet(data: bytes, source: str, is_header: Callable[[Line], bool], form: str) -> _Reader:
    for lines in xlsx_sheets(data, source):
        if any(is_header(line) for line in lines):
            return _Reader(source, lines)
    raise DocumentError(
        source, [(0, f"no sheet has the indicator header of a {form} ({_LEVEL1}, {_NAME}, …)")]
    )


def _is_indicator_header(line: Line, needs: Callable[[str], bool]) -> bool:
    folded = [_fold(cell) for cell in line.filled]
    return all(label in folded for label in vocabulary.INDICATOR_HEADER) and any(
        needs(word) for word in folded
    )


def _columns(lines: Sequence[Line], labels: dict[str, str]) -> dict[str, int]:
    """Each known heading's column, the first found winning."""
    found: dict[str, int] = {}
    for line in lines:
        for column, text in line.filled_at():
            key = labels.get(_fold(text))
            if key is not None:
                found.setdefault(key, column)
    return found


def _month_columns(
    reader: _Reader, line: Line, what: str, through_month: int
) -> tuple[int | None, bool]:
    """The column of ``1-M月{what}`` in ``line``, and whether it names another month."""
    for column, text in line.filled_at():
        match = _MONTH_COLUMN.match(_fold(text))
        if match and match[2] == what:
            if int(match[1]) != through_month:
                reader.problem(
                    line,
                    column,
                    f"this sheet reports to month {match[1]} ({text}); the round is to month "
                    f"{through_month} (1-{through_month}月)",
                )
                return column, True
            return column, False
    return None, False


@dataclass
class _Targets:
    """Rows matched to the basis's targets by 三级指标, then 二级指标 and 一级指标."""

    basis: Basis
    taken: set[str] = field(default_factory=set)

    def match(self, name: str, level1: str, level2: str) -> Target | str:
        """The row's target, or why there is none."""
        candidates = [item for item in self.basis.targets if _fold(item.name) == _fold(name)]
        if not candidates:
            known = "、".join(dict.fromkeys(item.name for item in self.basis.targets))
            return f"{name!r} is not an indicator of the approved table ({known})"
        for level, of in ((level2, "level2"), (level1, "level1")):
            if len(candidates) > 1 and level:
                candidates = [
                    item for item in candidates if _fold(getattr(item, of)) == _fold(level)
                ] or candidates
        free = [item for item in candidates if item.indicator_id not in self.taken]
        if not free:
            return f"the indicator {name!r} is given twice"
        self.taken.add(free[0].indicator_id)
        return free[0]


def _rows(
    reader: _Reader,
    start: int,
    columns: dict[str, int],
    values: Sequence[int],
    ends: Callable[[Line], bool],
    basis: Basis,
) -> Iterator[tuple[Line, Target]]:
    """Each indicator row under the header and its target; merged levels carried down."""
    targets = _Targets(basis)
    level1 = level2 = ""
    for line in reader.lines[start:]:
        if is_footer(line) or line.text.startswith(_SIGNATURES) or ends(line):
            return
        if given := _cell(line, columns["level1"]):
            level1, level2 = given, ""
        level2 = _cell(line, columns["level2"]) or level2
        name = _cell(line, columns["name"])
        if not name:
            filled = [column for column in values if _cell(line, column)]
            if filled:
                reader.problem(line, filled[0], f"a row with entries needs its {_NAME}")
            continue
        target = targets.match(name, level1, level2)
        if isinstance(target, str):
            reader.problem(line, columns["name"], target)
            continue
        yield line, target


def _value(reader: _Reader, line: Line, column: int | None, target: Target) -> Value | None:
    """What a value cell says, as shown; refused when it cannot be set against the target."""
    text = _cell(line, column)
    if not text:
        return None
    value = parse_value(text)
    try:
        check_comparable(target.indicator_id, target.value, value)
    except ScoringInvalid as error:
        said = str(error).removeprefix(f"indicator {target.indicator_id}: ")
        reader.problem(line, column, f"{target.name}: {said}")
        return None
    return value


def _ticked(reader: _Reader, line: Line, column: int | None) -> bool:
    text = _cell(line, column).replace("\ufe0f", "")
    if not text:
        return False
    if text in _TICKS:
        return True
    reader.problem(line, column, f"tick the box with {TICK} or leave it empty, not {text!r}")
    return False


def read_monitoring_workbook(
    data: bytes, source: str, basis: Basis, through_month: int
) -> MonitoringForm:
    """The monitoring form a filled-in 项目支出绩效目标执行监控表 gives."""

    def is_header(line: Line) -> bool:
        return _is_indicator_header(line, lambda word: word == _fold(_FORECAST))

    reader = _sheet(data, source, is_header, MONITORING_TITLE)
    header = reader.find(is_header)
    assert header is not None
    for line in reader.lines[:header]:
        if match := _MONTH_LINE.match(_fold(line.text)):
            _check_year(reader, line, basis.fiscal_year, int(match[1]))
            if int(match[2]) != through_month:
                reader.problem(
                    line,
                    None,
                    f"this sheet is for 1-{match[2]}月; the round is to month {through_month}",
                )
    reader.project(basis, header)
    executed, forecast = _monitoring_funds(reader, header, through_month)
    heads = reader.lines[header : header + 2]
    if len(heads) > 1 and not _columns(heads[1:], _SUB_HEADINGS):
        heads = heads[:1]  # no sub-headings under the header: the rows start right under it
    columns = _columns(heads, _MONITORING_COLUMNS)
    actual, wrong_month = _month_columns(reader, heads[0], "执行情况", through_month)
    if actual is None and not wrong_month:
        missing = _month_label(through_month, "执行情况")
        reader.problem(heads[0], None, f"the header has no {missing}")
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
    for line, target in _rows(reader, start, columns, entries, lambda _: False, basis):
        if not any(_cell(line, column) for column in entries):
            continue
        ticked = [item for item, column in likely.items() if _ticked(reader, line, column)]
        if len(ticked) > 1:
            reader.problem(
                line,
                likely[ticked[1]],
                f"完成目标可能性 is ticked twice ({LIKELIHOOD_LABELS[ticked[0]]} and "
                f"{LIKELIHOOD_LABELS[ticked[1]]}); tick one",
            )
        item = MonitoringLine(
            indicator_id=target.indicator_id,
            actual_to_date=_value(reader, line, actual, target),
            year_end_forecast=_value(reader, line, columns.get("forecast"), target),
            likelihood=ticked[0] if ticked else Likelihood.CERTAIN,
            causes=tuple(
                cause for cause, column in causes.items() if _ticked(reader, line, column)
            ),
            cause_note=_cell(line, note) or None,
            measures=_cell(line, measures) or None,
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
        lines=_in_order(basis, lines),
    )


def _in_order(basis: Basis, lines: list[_Line]) -> tuple[_Line, ...]:
    """The lines in the order of the basis's targets, whatever the order of the sheet's rows."""
    order = {item.indicator_id: index for index, item in enumerate(basis.targets)}
    return tuple(sorted(lines, key=lambda line: order[line.indicator_id]))


def _check_year(reader: _Reader, line: Line, fiscal_year: int, year: int) -> None:
    if year != fiscal_year:
        reader.problem(line, None, f"this sheet is for {year}; the report is on {fiscal_year}")


def _monitoring_funds(
    reader: _Reader, header: int, through_month: int
) -> tuple[Decimal | None, Decimal | None]:
    """1-M月执行数 and 全年预计执行数 from the 年度资金总额 row."""

    def is_funds(line: Line) -> bool:
        matches = (_MONTH_COLUMN.match(_fold(text)) for text in line.filled)
        return any(match is not None and match[2] == "执行数" for match in matches)

    found = reader.find(is_funds)
    if found is None or found > header:
        where = reader.lines[header]
        reader.problem(
            where,
            None,
            f"the {_FUNDS} block with {_month_label(through_month, '执行数')} is missing "
            "above the indicators",
        )
        return None, None
    heading = reader.lines[found]
    executed_at, _ = _month_columns(reader, heading, "执行数", through_month)
    forecast_at = _columns([heading], _MONITORING_FUNDS).get("forecast")
    total = _total_row(reader, found + 1, header)
    if total is None:
        return None, None
    return (
        reader.amount(total, executed_at, _month_label(through_month, "执行数")),
        reader.amount(total, forecast_at, _FORECAST_BUDGET),
    )


def _total_row(reader: _Reader, start: int, end: int) -> Line | None:
    index = reader.find(lambda line: any(_fold(text) in _TOTALS for text in line.filled), start)
    if index is None or index >= end:
        reader.problem(reader.lines[start - 1], None, f"the {_TOTAL} row is missing")
        return None
    return reader.lines[index]


def read_evaluation_workbook(data: bytes, source: str, basis: Basis) -> EvaluationForm:
    """The evaluation form a filled-in 项目支出绩效自评表 gives."""

    def is_header(line: Line) -> bool:
        return _is_indicator_header(line, lambda word: _EVALUATION_COLUMNS.get(word) == "actual")

    reader = _sheet(data, source, is_header, EVALUATION_TITLE)
    header = reader.find(is_header)
    assert header is not None
    for line in reader.lines[:header]:
        year = fiscal_year_in(line)
        if year is not None:
            _check_year(reader, line, basis.fiscal_year, year)
    reader.project(basis, header)
    full_year, executed = _evaluation_funds(reader, header)
    columns = _columns([reader.lines[header]], _EVALUATION_COLUMNS)
    for key, label in (("actual", _ACTUAL), ("weight", _WEIGHT)):
        if key not in columns:
            reader.problem(reader.lines[header], None, f"the header has no {label}")
    entries = [
        columns[key]
        for key in ("actual", "weight", "score", "band", "explanation")
        if key in columns
    ]

    def ends(line: Line) -> bool:
        return bool(line.filled) and _fold(line.filled[0]) in _EVALUATION_ENDS

    lines: list[EvaluationLine] = []
    for line, target in _rows(reader, header + 1, columns, entries, ends, basis):
        item = _evaluation_line(reader, line, target, columns)
        if item != EvaluationLine(indicator_id=target.indicator_id):
            lines.append(item)
    closing = _closing(reader, header)
    reader.done()
    assert full_year is not None
    assert executed is not None
    return EvaluationForm(
        budget_full_year=full_year,
        budget_executed=executed,
        lines=_in_order(basis, lines),
        **closing,
    )


def _evaluation_line(
    reader: _Reader, line: Line, target: Target, columns: dict[str, int]
) -> EvaluationLine:
    band_text = _cell(line, columns.get("band"))
    band = _BANDS.get(_fold(band_text)) if band_text else None
    if band_text and band is None:
        words = "、".join(BAND_LABELS.values())
        reader.problem(line, columns.get("band"), f"{_BAND} is one of {words}, not {band_text!r}")
    qualitative = target.value.kind is ValueKind.TEXT
    score = reader.amount(line, columns.get("score"), _SCORE, money=False) if qualitative else None
    return EvaluationLine(
        indicator_id=target.indicator_id,
        actual=_value(reader, line, columns.get("actual"), target),
        weight=reader.amount(line, columns.get("weight"), _WEIGHT, money=False),
        band=band,
        score=score,
        explanation=_cell(line, columns.get("explanation")) or None,
    )


def _evaluation_funds(reader: _Reader, header: int) -> tuple[Decimal | None, Decimal | None]:
    """全年预算数 (A) and 全年执行数 (B) from the 年度资金总额 row; both must be given."""
    found = reader.find(lambda line: len(_columns([line], _EVALUATION_FUNDS)) == 2)
    if found is None or found > header:
        reader.problem(
            reader.lines[header],
            None,
            f"the {_FUNDS} block with {_FULL_YEAR_BUDGET} and {_EXECUTED} is missing "
            "above the indicators",
        )
        return None, None
    at = _columns([reader.lines[found]], _EVALUATION_FUNDS)
    total = _total_row(reader, found + 1, header)
    if total is None:
        return None, None
    amounts: list[Decimal | None] = []
    for key, label in (("full_year", _FULL_YEAR_BUDGET), ("executed", _EXECUTED)):
        amount = reader.amount(total, at[key], label)
        if amount is None and not _cell(total, at[key]):
            reader.problem(total, at[key], f"{label} is needed")
        amounts.append(amount)
    full_year, executed = amounts
    if full_year is not None and full_year <= 0:
        reader.problem(total, at["full_year"], f"{_FULL_YEAR_BUDGET} must be above 0")
    return full_year, executed


def _closing(reader: _Reader, header: int) -> dict[str, str | None]:
    """评价结论, 存在问题 and 改进措施: the text after each label, below the indicators."""
    found: dict[str, str | None] = dict.fromkeys(_CLOSING.values())
    for line in reader.lines[header + 1 :]:
        cells = line.filled
        key = _CLOSING.get(_fold(cells[0])) if cells else None
        if key is not None and found[key] is None:
            found[key] = "\n".join(cells[1:]) or None
    return found
