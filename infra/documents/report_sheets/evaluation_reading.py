"""Reading a filled-in 项目支出绩效自评表 back into an evaluation form.

The layout is described in ``evaluation``, which writes it; this module finds the sheet, its
indicator header and funds rows by their labels (see ``reader``) and gives the form they hold.
"""

from __future__ import annotations

from decimal import Decimal

from domain import vocabulary
from domain.evaluation import EvaluationForm, EvaluationLine
from domain.reports import Basis, Target
from domain.scoring import Band
from domain.values import ValueKind
from infra.documents.cells import Line, fiscal_year_in
from infra.documents.report_sheets.common import FUNDS, fold
from infra.documents.report_sheets.evaluation import (
    ACTUAL,
    BAND,
    BAND_LABELS,
    CONCLUSION,
    EVALUATION_TITLE,
    EXECUTED,
    EXPLANATION,
    FULL_YEAR_BUDGET,
    IMPROVEMENTS,
    PROBLEMS,
    RESULT,
    SCORE,
    SUM,
    WEIGHT,
)
from infra.documents.report_sheets.grid import GOAL
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

_EVALUATION_COLUMNS = label_keys(
    {
        **INDICATOR_LABELS,
        "actual": (ACTUAL, "全年实际完成值", "实际完成情况", "完成值"),
        "weight": (WEIGHT, "权重"),
        "score": (SCORE,),
        "band": (BAND, "达成程度"),
        "explanation": (EXPLANATION, "偏差原因分析及改进措施说明", "未完成原因分析"),
    }
)
_EVALUATION_FUNDS = label_keys(
    {
        "full_year": (FULL_YEAR_BUDGET, "调整后预算数"),
        "executed": (EXECUTED, "预算执行数"),
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
    fold(label) for label in (SUM, "合计", CONCLUSION, PROBLEMS, IMPROVEMENTS)
)
_CLOSING = {CONCLUSION: "conclusion", PROBLEMS: "problems", IMPROVEMENTS: "measures"}


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
    for key, label in (("actual", ACTUAL), ("weight", WEIGHT)):
        if key not in columns:
            reader.problem(
                reader.lines[header], None, vocabulary.SHEET_HEADER_LACKS.format(label=label)
            )
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
    column = next((at for at, text in headings if fold(text) == RESULT), None)
    return cell_at(reader.lines[found + 1], column) or None


def _evaluation_line(
    reader: Reader, line: Line, target: Target, columns: dict[str, int]
) -> EvaluationLine:
    band_text = cell_at(line, columns.get("band"))
    band = _BANDS.get(fold(band_text)) if band_text else None
    if band_text and band is None:
        words = "、".join(BAND_LABELS.values())
        words = vocabulary.SHEET_BAND_UNKNOWN.format(band=BAND, words=words, text=band_text)
        reader.problem(line, columns.get("band"), words)
    qualitative = target.value.kind is ValueKind.TEXT
    score = reader.amount(line, columns.get("score"), SCORE, money=False) if qualitative else None
    return EvaluationLine(
        indicator_id=target.indicator_id,
        actual=read_value(reader, line, columns.get("actual"), target),
        weight=reader.amount(line, columns.get("weight"), WEIGHT, money=False),
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
            vocabulary.SHEET_FUNDS_MISSING.format(
                columns=f"{FULL_YEAR_BUDGET}、{EXECUTED}", funds=FUNDS
            ),
        )
        return None, None
    at = heading_columns([reader.lines[found]], _EVALUATION_FUNDS)
    total = total_row(reader, found + 1, header)
    if total is None:
        return None, None
    amounts: list[Decimal | None] = []
    for key, label in (("full_year", FULL_YEAR_BUDGET), ("executed", EXECUTED)):
        amount = reader.amount(total, at[key], label)
        if amount is None and not cell_at(total, at[key]):
            reader.problem(total, at[key], vocabulary.SHEET_FIELD_NEEDED.format(label=label))
        amounts.append(amount)
    full_year, executed = amounts
    if full_year is not None and full_year <= 0:
        reader.problem(
            total, at["full_year"], vocabulary.SHEET_ABOVE_ZERO.format(label=FULL_YEAR_BUDGET)
        )
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
