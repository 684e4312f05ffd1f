"""Self-evaluations as 项目支出绩效自评表 workbooks: written, and read back.

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
from infra.documents.cells import Line, fiscal_year_in
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
    label_keys,
    read_value,
    total_row,
)

EVALUATION_TITLE = "项目支出绩效自评表"
BAND_LABELS = {Band.ACHIEVED: "达成", Band.PARTLY: "部分达成", Band.NOT_ACHIEVED: "未达成"}
_FULL_YEAR_BUDGET, _EXECUTED = "全年预算数", "全年执行数"
_WEIGHT, _SCORE = "分值", "得分"
_DASH = "—"
_ACTUAL, _BAND, _EXPLANATION = "实际完成值", "完成程度", "偏差原因分析及改进措施"
_SUM, _GRADE = "总分", "自评等级："
_CONCLUSION, _PROBLEMS, _IMPROVEMENTS = "评价结论", "存在问题", "改进措施"
_RESULT = "实际完成情况"
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
    headings = [INITIAL_BUDGET, _FULL_YEAR_BUDGET, _EXECUTED, _WEIGHT, RATE, _SCORE]
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
    grid.goal((3, 0), ("预期目标", _RESULT), basis.annual_goal, result)
    header = (LEVEL1, LEVEL2, NAME, TARGET, _ACTUAL, _WEIGHT, _SCORE, _BAND, _EXPLANATION)
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


_EVALUATION_COLUMNS = label_keys(
    {
        **INDICATOR_LABELS,
        "actual": (_ACTUAL, "全年实际完成值", "实际完成情况", "完成值"),
        "weight": (_WEIGHT, "权重"),
        "score": (_SCORE,),
        "band": (_BAND, "达成程度"),
        "explanation": (_EXPLANATION, "偏差原因分析及改进措施说明", "未完成原因分析"),
    }
)
_EVALUATION_FUNDS = label_keys(
    {
        "full_year": (_FULL_YEAR_BUDGET, "调整后预算数"),
        "executed": (_EXECUTED, "预算执行数"),
    }
)
_BANDS = {
    fold(label): band
    for band, labels in {
        Band.ACHIEVED: ("达成", "完成", "全部达成"),
        Band.PARTLY: ("部分达成", "部分完成", "基本达成"),
        Band.NOT_ACHIEVED: ("未达成", "未完成"),
    }.items()
    for label in labels
}
_EVALUATION_ENDS = frozenset(
    fold(label) for label in (_SUM, "合计", _CONCLUSION, _PROBLEMS, _IMPROVEMENTS)
)
_CLOSING = {_CONCLUSION: "conclusion", _PROBLEMS: "problems", _IMPROVEMENTS: "measures"}


def read_evaluation_workbook(data: bytes, source: str, basis: Basis) -> EvaluationForm:
    """The evaluation form a filled-in 项目支出绩效自评表 gives."""

    def is_header(line: Line) -> bool:
        return is_indicator_header(line, lambda word: _EVALUATION_COLUMNS.get(word) == "actual")

    reader = find_sheet(data, source, is_header, EVALUATION_TITLE)
    header = reader.find(is_header)
    assert header is not None
    for line in reader.lines[:header]:
        year = fiscal_year_in(line)
        if year is not None:
            check_year(reader, line, basis.fiscal_year, year)
    reader.project(basis, header)
    full_year, executed = _evaluation_funds(reader, header)
    columns = heading_columns([reader.lines[header]], _EVALUATION_COLUMNS)
    for key, label in (("actual", _ACTUAL), ("weight", _WEIGHT)):
        if key not in columns:
            reader.problem(reader.lines[header], None, f"the header has no {label}")
    entries = [
        columns[key]
        for key in ("actual", "weight", "score", "band", "explanation")
        if key in columns
    ]

    def ends(line: Line) -> bool:
        return bool(line.filled) and fold(line.filled[0]) in _EVALUATION_ENDS

    lines: list[EvaluationLine] = []
    for line, target in indicator_rows(reader, header + 1, columns, entries, ends, basis):
        item = _evaluation_line(reader, line, target, columns)
        if item != EvaluationLine(indicator_id=target.indicator_id):
            lines.append(item)
    closing = _closing(reader, header)
    result = _goal_result(reader, header)
    reader.done()
    assert full_year is not None
    assert executed is not None
    return EvaluationForm(
        budget_full_year=full_year,
        budget_executed=executed,
        lines=in_order(basis, lines),
        goal_result=result,
        **closing,
    )


def _goal_result(reader: Reader, header: int) -> str | None:
    """What is written under 年度总体目标's 实际完成情况 (the row under its headings)."""
    found = reader.find(lambda line: GOAL in (fold(text) for text in line.filled))
    if found is None or found + 1 >= header:
        return None
    headings = reader.lines[found].filled_at()
    column = next((at for at, text in headings if fold(text) == _RESULT), None)
    return cell_at(reader.lines[found + 1], column) or None


def _evaluation_line(
    reader: Reader, line: Line, target: Target, columns: dict[str, int]
) -> EvaluationLine:
    band_text = cell_at(line, columns.get("band"))
    band = _BANDS.get(fold(band_text)) if band_text else None
    if band_text and band is None:
        words = "、".join(BAND_LABELS.values())
        reader.problem(line, columns.get("band"), f"{_BAND} is one of {words}, not {band_text!r}")
    qualitative = target.value.kind is ValueKind.TEXT
    score = reader.amount(line, columns.get("score"), _SCORE, money=False) if qualitative else None
    return EvaluationLine(
        indicator_id=target.indicator_id,
        actual=read_value(reader, line, columns.get("actual"), target),
        weight=reader.amount(line, columns.get("weight"), _WEIGHT, money=False),
        band=band,
        score=score,
        explanation=cell_at(line, columns.get("explanation")) or None,
    )


def _evaluation_funds(reader: Reader, header: int) -> tuple[Decimal | None, Decimal | None]:
    """全年预算数 (A) and 全年执行数 (B) from the 年度资金总额 row; both must be given."""
    found = reader.find(lambda line: len(heading_columns([line], _EVALUATION_FUNDS)) == 2)
    if found is None or found > header:
        reader.problem(
            reader.lines[header],
            None,
            f"the {FUNDS} block with {_FULL_YEAR_BUDGET} and {_EXECUTED} is missing "
            "above the indicators",
        )
        return None, None
    at = heading_columns([reader.lines[found]], _EVALUATION_FUNDS)
    total = total_row(reader, found + 1, header)
    if total is None:
        return None, None
    amounts: list[Decimal | None] = []
    for key, label in (("full_year", _FULL_YEAR_BUDGET), ("executed", _EXECUTED)):
        amount = reader.amount(total, at[key], label)
        if amount is None and not cell_at(total, at[key]):
            reader.problem(total, at[key], f"{label} is needed")
        amounts.append(amount)
    full_year, executed = amounts
    if full_year is not None and full_year <= 0:
        reader.problem(total, at["full_year"], f"{_FULL_YEAR_BUDGET} must be above 0")
    return full_year, executed


def _closing(reader: Reader, header: int) -> dict[str, str | None]:
    """评价结论, 存在问题 and 改进措施: the text after each label, below the indicators."""
    found: dict[str, str | None] = dict.fromkeys(_CLOSING.values())
    for line in reader.lines[header + 1 :]:
        cells = line.filled
        key = _CLOSING.get(fold(cells[0])) if cells else None
        if key is not None and found[key] is None:
            found[key] = "\n".join(cells[1:]) or None
    return found
