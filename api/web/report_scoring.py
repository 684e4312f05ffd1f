"""The self-evaluation form as typed, read (see report_forms.py) and scored as far as it can be:
a line that cannot be read or scored is left out of the scores and listed, in words, so the
others still score while typing."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from api.web.report_forms import (
    BAND_LABELS,
    Problem,
    Reader,
    Typed,
    at_input,
    field_of,
    line_input,
    plain,
)
from domain import vocabulary
from domain.errors import DomainError
from domain.evaluation import (
    EvaluationForm,
    EvaluationLine,
    Scorecard,
    check_evaluation_form,
    scorecard,
)
from domain.reports import Basis, Target
from domain.scoring import EvaluationRules, ScoringInvalid, band_range
from domain.values import ValueKind
from domain.weights import weights_of
from service_layer.report_inputs import EvaluationEntry, EvaluationLineEntry, evaluation_form


@dataclass(frozen=True)
class ReadEvaluation:
    """An evaluation form as typed, with its problems; ``scored`` is what could be scored."""

    form: EvaluationForm | None
    problems: list[Problem]
    card: Scorecard | None = None
    executed_known: bool = False  # B was typed, so the execution score and total mean something
    general: Problem | None = None  # a problem of the whole form (weights, budget A)


def read_evaluation(
    basis: Basis, typed: Typed, rules: EvaluationRules, default_budget: Decimal | None
) -> ReadEvaluation:
    """The evaluation typed, scored as far as it can be: a line that cannot be read or scored
    is left out of the scores (and listed), so the others still score while typing."""
    reader = Reader(typed)
    budget = reader.amount("budget_full_year", "全年预算数（A）", required=True)
    executed = reader.amount("budget_executed", "全年执行数（B）", required=True)
    note = reader.text("budget_note", vocabulary.BUDGET_NOTE_LABEL)
    if budget is not None and basis.budget is not None and budget != basis.budget and not note:
        shown = vocabulary.BUDGET_NOTE_NEEDED.format(
            given=plain(budget), approved=plain(basis.budget)
        )
        reader.refuse(shown, "budget_note")
    entries = [_evaluation_entry(reader, target) for target in basis.targets]
    given = tuple(_line_of(entry) for entry in entries if entry is not None)
    form = None
    if budget is not None and executed is not None:
        form = EvaluationForm(
            budget_full_year=budget,
            budget_executed=executed,
            budget_note=note,
            lines=given,
            conclusion=reader.text("conclusion", "评价结论"),
            problems=reader.text("problems", "存在问题"),
            measures=reader.text("measures", "改进措施"),
            goal_result=reader.text("goal_result", "年度总体目标实际完成情况"),
        )
    problems = reader.problems
    bad = {item.indicator for item in problems if item.indicator}
    scored_form = EvaluationForm(
        budget_full_year=budget if budget and budget > 0 else (default_budget or Decimal(1)),
        budget_executed=executed if executed is not None else Decimal(0),
        lines=tuple(_unscored(line) if line.indicator_id in bad else line for line in given),
    )
    card, refused, general = _score(basis, scored_form, rules)
    problems += refused
    if general is not None:
        problems.append(general)
    if budget is not None and budget <= 0:
        problems.append(Problem("全年预算数（A）须大于 0", "budget_full_year"))
    return ReadEvaluation(form, problems, card, executed is not None, general)


def _evaluation_entry(reader: Reader, target: Target) -> EvaluationLineEntry | None:
    """A line's inputs that can be read (None when nothing is filled in)."""
    key = target.indicator_id
    qualitative = target.value.kind is ValueKind.TEXT
    actual = reader.value(line_input("actual", key), "实际完成值", target)
    weight = reader.number(line_input("weight", key), "分值", target)
    band = score = None
    if qualitative:
        band = reader.choice(line_input("band", key), BAND_LABELS, "达成程度", target)
        score = reader.number(line_input("score", key), "得分", target)
    explanation = reader.text(line_input("explain", key), f"「{target.name}」的偏差原因分析", key)
    if all(item is None for item in (actual, weight, band, score, explanation)):
        return None
    return EvaluationLineEntry(key, actual, weight, band, score, explanation)


def _line_of(entry: EvaluationLineEntry) -> EvaluationLine:
    """One line read as ``report_inputs`` reads every entry point's (the page's own form holds
    the amounts, read above, so the form around the line here is only its carrier)."""
    return evaluation_form(EvaluationEntry("0", "0", (entry,))).lines[0]


def _unscored(line: EvaluationLine) -> EvaluationLine:
    """A line whose inputs were refused: only its weight (and explanation) still count."""
    return replace(line, actual=None, band=None, score=None)


def _score(
    basis: Basis, form: EvaluationForm, rules: EvaluationRules
) -> tuple[Scorecard | None, list[Problem], Problem | None]:
    """Score ``form``, leaving out each line the rules refuse (said as a problem) until the
    rest scores; a refusal of the whole form (the weights) scores nothing."""
    refused: list[Problem] = []
    for _ in range(len(basis.targets) + 1):
        try:
            check_evaluation_form(basis, form)  # the reader kept to its bounds already
            return scorecard(basis, form, rules), refused, None
        except ScoringInvalid as error:
            key = _indicator_in(field_of(error))
            target = basis.target(key) if key else None
            if target is None:
                return (
                    None,
                    refused,
                    Problem(evaluation_words(error, basis, form, rules), *_whole(error)),
                )
            line = form.line(target.indicator_id)
            refused.append(
                Problem(evaluation_words(error, basis, form, rules), *at_input(error, target))
            )
            form = replace(
                form,
                lines=tuple(_unscored(item) if item is line else item for item in form.lines),
            )
        except DomainError as error:  # an indicator the table does not have: not from a form
            return None, refused, Problem(f"无法计算得分：{error}")
    return None, refused, None


def _indicator_in(field_name: str) -> str | None:
    parts = field_name.split(".")
    return parts[1] if len(parts) == 3 and parts[0] == "lines" else None


def _whole(error: ScoringInvalid) -> tuple[str | None]:
    inputs = {
        "budgetFullYear": "budget_full_year",
        "budgetExecuted": "budget_executed",
        "budgetNote": "budget_note",
    }
    return (inputs.get(field_of(error)),)


def evaluation_words(
    error: ScoringInvalid, basis: Basis, form: EvaluationForm, rules: EvaluationRules
) -> str:
    """A self-evaluation refused by the scoring rules, in words."""
    if field_of(error) == "lines.weight":
        given = {line.indicator_id: line.weight for line in form.lines if line.weight is not None}
        missing = [target.name for target in basis.targets if target.indicator_id not in given]
        if missing:
            listed = "、".join(f"「{name}」" for name in missing[:5])
            more = f" 等 {len(missing)} 个指标" if len(missing) > 5 else ""
            return f"分值要么每个指标都填写，要么全部留空（按默认分值）；{listed}{more}未填写分值"
        total = sum((weight for weight in given.values() if weight is not None), Decimal(0))
        return f"各指标分值合计为 {plain(total)} 分，应为 {plain(rules.indicator_weight)} 分"
    if field_of(error) == "budgetFullYear":
        return "全年预算数（A）须大于 0"
    if field_of(error) == "budgetExecuted":
        return "全年执行数（B）不能为负数"
    key = _indicator_in(field_of(error))
    target = basis.target(key) if key else None
    name = f"「{target.name}」：" if target else ""
    if field_of(error).endswith(".band"):
        return f"{name}定性指标请选择达成程度（达成、部分达成、未达成）并填写得分"
    if field_of(error).endswith(".score") and target is not None:
        line = form.line(target.indicator_id)
        weights = dict(
            zip(
                (item.indicator_id for item in basis.targets),
                weights_of(basis, form.lines, rules),
                strict=True,
            )
        )
        weight = weights[target.indicator_id]
        if line is not None and line.band is not None and line.score is not None:
            low, high, closed = band_range(line.band, weight, rules)
            span = f"{plain(low)}–{plain(high)} 分" + ("" if closed else f"（不含 {plain(high)}）")
            label = BAND_LABELS[line.band.value]
            return (
                f"{name}分值为 {plain(weight)} 分时，“{label}”的得分应在 {span}，"
                f"不能是 {plain(line.score)} 分"
            )
    if field_of(error).endswith(".weight"):
        return f"{name}分值不能为负数"
    return f"{name}填写有误（{error}）"
