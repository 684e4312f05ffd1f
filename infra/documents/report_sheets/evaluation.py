"""Self-evaluations as 项目支出绩效自评表 workbooks: written (read back in ``evaluation_reading``).

项目支出绩效自评表 (财预〔2020〕10号), 9 columns A–I::

    项目名称 (A:B) | the project (C:I)
    主管部门 (A:B) | department (C:E) | 实施单位 (F:G) | the implementing unit (H:I)
    项目资金（万元） (A:B) | (C) | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率(%)
      | 得分 (D–I)
      rows 年度资金总额 (年初预算数 the approved budget, A, B, the execution weight, rate and
      score), 其中：当年财政拨款, 上年结转资金, 其他资金 (their 年初预算数 from the approved
      sources, see ``vocabulary.REPORT_FUND_ROWS``; 分值 and 得分 "—")
    年度总体目标 (A:B) | 预期目标 (C:E) | 实际完成情况 (F:I), then a row: the approved 年度目标
      under 预期目标, and under 实际完成情况 how it was met (read back)
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
"""

from __future__ import annotations

from decimal import Decimal

from domain import vocabulary
from domain.evaluation import EvaluationForm, EvaluationLine, Scorecard, ScoredLine
from domain.reports import Basis, Target
from domain.scoring import Band
from domain.values import ValueKind
from infra.documents.layout import Role
from infra.documents.report_sheets.common import (
    FUNDS,
    INITIAL_BUDGET,
    LEVEL1,
    LEVEL2,
    NAME,
    RATE,
    TARGET,
    TOTAL,
)
from infra.documents.report_sheets.grid import (
    Cell,
    Grid,
    book_bytes,
    choices,
    money_row,
    raw,
    save,
)

EVALUATION_TITLE = "项目支出绩效自评表"
BAND_LABELS = {Band.ACHIEVED: "达成", Band.PARTLY: "部分达成", Band.NOT_ACHIEVED: "未达成"}
FULL_YEAR_BUDGET, EXECUTED = "全年预算数", "全年执行数"
WEIGHT, SCORE = "分值", "得分"
_DASH = "—"
ACTUAL, BAND, EXPLANATION = "实际完成值", "完成程度", "偏差原因分析及改进措施"
SUM, _GRADE = "总分", "自评等级："
CONCLUSION, PROBLEMS, IMPROVEMENTS = "评价结论", "存在问题", "改进措施"
RESULT = "实际完成情况"
_EVALUATION_WIDTHS = (12, 14, 24, 14, 14, 12, 10, 12, 30)


def evaluation_workbook(
    basis: Basis,
    form: EvaluationForm | None,
    card: Scorecard | None,
    execution_weight: Decimal,
) -> bytes:
    """The self-evaluation as a 项目支出绩效自评表; no form gives the form to fill in."""
    grid = Grid(len(_EVALUATION_WIDTHS))
    grid.project(basis, department_width=3, unit_width=2)
    grid.put(0, Role.LABEL, FUNDS, width=2, height=5)
    grid.put(2, Role.HEADING)
    headings = [INITIAL_BUDGET, FULL_YEAR_BUDGET, EXECUTED, WEIGHT, RATE, SCORE]
    money_row(grid, [1] * 6, headings, Role.HEADING)
    grid.put(2, Role.LABEL, TOTAL)
    money_row(
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
    for label, part in (
        ("其中：当年财政拨款", "fiscal"),
        ("上年结转资金", "carryover"),
        ("其他资金", "other"),
    ):
        grid.put(2, Role.LABEL, label)
        initial = basis.budget_part(vocabulary.REPORT_FUND_ROWS[part])
        for column, value in enumerate((initial, None, None, _DASH, None, _DASH), start=3):
            role = Role.CATEGORY if value == _DASH else Role.AMOUNT
            grid.put(column, role, value)
        grid.row += 1
    result = None if form is None else form.goal_result
    grid.goal((3, 0), ("预期目标", RESULT), basis.annual_goal, result)
    header = (LEVEL1, LEVEL2, NAME, TARGET, ACTUAL, WEIGHT, SCORE, BAND, EXPLANATION)
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
            (Role.TEXT, raw(line.actual)),
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
            (5, (Role.LABEL, SUM)),
            (1, (Role.AMOUNT, total_weight)),
            (1, (Role.AMOUNT, None if card is None else card.total)),
            (0, (Role.LABEL, _GRADE if card is None else _GRADE + card.grade)),
        ]
    )
    closing = (
        (None, None, None) if form is None else (form.conclusion, form.problems, form.measures)
    )
    for label, text in zip((CONCLUSION, PROBLEMS, IMPROVEMENTS), closing, strict=True):
        grid.put(0, Role.LABEL, label, width=2)
        grid.rest(2, Role.LONG, text)
    year = f"（{basis.fiscal_year}年度）"
    book, sheet = save(grid, basis, EVALUATION_TITLE, year, _EVALUATION_WIDTHS)
    choices(sheet, bands, list(BAND_LABELS.values()))
    return book_bytes(book)


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
