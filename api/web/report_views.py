"""What the monitoring and self-evaluation pages show: one row per approved indicator with what
was typed (or saved), its light or score, and the reviewer's word; status and decisions in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from api.web.report_forms import Problem, Typed, line_input
from api.web.report_scoring import ReadEvaluation
from domain import vocabulary
from domain.evaluation import EvaluationForm, ScoredLine
from domain.monitoring import Figures, MonitoringForm
from domain.reports import Basis, ReportDecision, ReportStatus, Stage, Target
from domain.scoring import EvaluationRules, Light, cents, grade_of
from domain.values import ValueKind
from service_layer.reports import ReportView

LIGHT_WORDS = {Light.GREEN: "绿", Light.YELLOW: "黄", Light.RED: "红"}
STATUS_WORDS = {
    ReportStatus.DRAFT: "填报中",
    ReportStatus.SUBMITTED: "待审核",
    ReportStatus.RETURNED: "已退回",
    ReportStatus.APPROVED: "已通过",
}
DECISION_WORDS = {"approve": "审核通过", "return": "退回", "recheck": "复核"}
EVALUATION_DECISION_WORDS = {"approve": "接受自评结果", "return": "退回", "recheck": "复核"}


def status_words(view: ReportView | None) -> str:
    """The report's status, and that its figures cannot be computed when they cannot."""
    if view is None:
        return "未填报"
    words = STATUS_WORDS[view.status]
    if view.stage is Stage.SELF_EVALUATION and view.status is ReportStatus.APPROVED:
        decision = view.decision
        words = "已复核" if decision is not None and decision.action == "recheck" else "已接受"
    return f"{words}（{vocabulary.REPORT_FAULT_WORD}）" if view.faulty else words


def decision_words(stage: Stage, decision: ReportDecision) -> str:
    words = EVALUATION_DECISION_WORDS if stage is Stage.SELF_EVALUATION else DECISION_WORDS
    return words.get(decision.action, decision.action)


def shown(amount: Decimal | None) -> str:
    return "" if amount is None else format(amount, "f")


def comments_of(view: ReportView | None) -> dict[str, str]:
    """The reviewer's per-indicator comments with the last return, if it is still the word."""
    if view is None or view.decision is None or view.status is not ReportStatus.RETURNED:
        return {}
    return dict(view.decision.line_comments)


# --- monitoring ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MonitoringRow:
    target: Target
    actual: str
    forecast: str
    likelihood: str
    causes: tuple[str, ...]
    note: str
    measures: str
    light: Light | None
    comment: str
    problems: tuple[Problem, ...]

    @property
    def id(self) -> str:
        return self.target.indicator_id

    def input(self, kind: str) -> str:
        return line_input(kind, self.id)

    def invalid(self, kind: str) -> bool:
        return any(item.input == self.input(kind) for item in self.problems)


def typed_monitoring(form: MonitoringForm | None) -> Typed:
    """A saved monitoring form as if it had just been typed."""
    typed = Typed()
    if form is None:
        return typed
    typed.fields["budget_executed"] = shown(form.budget_executed)
    typed.fields["budget_forecast"] = shown(form.budget_forecast)
    typed.fields["goal_progress"] = form.goal_progress or ""
    for line in form.lines:
        key = line.indicator_id
        typed.fields[line_input("actual", key)] = (
            line.actual_to_date.raw if line.actual_to_date else ""
        )
        typed.fields[line_input("forecast", key)] = (
            line.year_end_forecast.raw if line.year_end_forecast else ""
        )
        typed.fields[line_input("likelihood", key)] = line.likelihood.value
        typed.fields[line_input("note", key)] = line.cause_note or ""
        typed.fields[line_input("measures", key)] = line.measures or ""
        typed.causes[key] = tuple(item.value for item in line.causes)
    return typed


def monitoring_rows(
    basis: Basis,
    typed: Typed,
    figures: Figures | None,
    comments: dict[str, str],
    problems: list[Problem],
) -> list[MonitoringRow]:
    lights = {item.indicator_id: item.light for item in figures.lights} if figures else {}
    rows = []
    for target in basis.targets:
        key = target.indicator_id
        rows.append(
            MonitoringRow(
                target=target,
                actual=typed.get(line_input("actual", key)),
                forecast=typed.get(line_input("forecast", key)),
                likelihood=typed.get(line_input("likelihood", key)) or "CERTAIN",
                causes=typed.causes.get(key, ()),
                note=typed.get(line_input("note", key)),
                measures=typed.get(line_input("measures", key)),
                light=lights.get(key),
                comment=comments.get(key, ""),
                problems=tuple(item for item in problems if item.indicator == key),
            )
        )
    return rows


def monitoring_missing(basis: Basis, form: MonitoringForm | None, month: int) -> list[str]:
    """What must still be filled in before the round can be submitted, in words."""
    gaps = []
    for target in basis.targets:
        line = form.line(target.indicator_id) if form else None
        if line is None or line.actual_to_date is None or line.year_end_forecast is None:
            gaps.append(f"「{target.name}」：请填写1–{month}月执行情况和全年预计完成情况")
    return gaps


# --- self-evaluation -------------------------------------------------------------------


@dataclass(frozen=True)
class EvaluationRow:
    target: Target
    actual: str
    weight: str
    band: str
    score: str
    explanation: str
    scored: ScoredLine | None
    comment: str
    problems: tuple[Problem, ...]

    @property
    def id(self) -> str:
        return self.target.indicator_id

    @property
    def qualitative(self) -> bool:
        return self.target.value.kind is ValueKind.TEXT

    def input(self, kind: str) -> str:
        return line_input(kind, self.id)

    def invalid(self, kind: str) -> bool:
        return any(item.input == self.input(kind) for item in self.problems)

    @property
    def line_score(self) -> str:
        return "" if self.scored is None or self.scored.score is None else str(self.scored.score)

    @property
    def effective_weight(self) -> str:
        return "" if self.scored is None else str(self.scored.weight)

    @property
    def required(self) -> bool:
        return self.scored is not None and self.scored.explanation_required


def typed_evaluation(form: EvaluationForm | None, budget: Decimal | None) -> Typed:
    """A saved evaluation form as if it had just been typed; a new one starts from budget A."""
    typed = Typed()
    if form is None:
        typed.fields["budget_full_year"] = shown(budget)
        return typed
    typed.fields["budget_full_year"] = shown(form.budget_full_year)
    typed.fields["budget_executed"] = shown(form.budget_executed)
    typed.fields["budget_note"] = form.budget_note or ""
    typed.fields["conclusion"] = form.conclusion or ""
    typed.fields["goal_result"] = form.goal_result or ""
    typed.fields["problems"] = form.problems or ""
    typed.fields["measures"] = form.measures or ""
    for line in form.lines:
        key = line.indicator_id
        typed.fields[line_input("actual", key)] = line.actual.raw if line.actual else ""
        typed.fields[line_input("weight", key)] = shown(line.weight)
        typed.fields[line_input("band", key)] = line.band.value if line.band else ""
        typed.fields[line_input("score", key)] = shown(line.score)
        typed.fields[line_input("explain", key)] = line.explanation or ""
    return typed


def evaluation_rows(
    basis: Basis,
    typed: Typed,
    read: ReadEvaluation,
    comments: dict[str, str],
    problems: list[Problem],
) -> list[EvaluationRow]:
    scored = {line.indicator_id: line for line in read.card.lines} if read.card else {}
    rows = []
    for target in basis.targets:
        key = target.indicator_id
        rows.append(
            EvaluationRow(
                target=target,
                actual=typed.get(line_input("actual", key)),
                weight=typed.get(line_input("weight", key)),
                band=typed.get(line_input("band", key)),
                score=typed.get(line_input("score", key)),
                explanation=typed.get(line_input("explain", key)),
                scored=scored.get(key),
                comment=comments.get(key, ""),
                problems=tuple(item for item in problems if item.indicator == key),
            )
        )
    return rows


@dataclass(frozen=True)
class Summary:
    """The scores above the lines: what the preview updates while typing."""

    execution_rate: str
    execution_score: str
    indicator_score: str
    total: str
    grade: str


def summary_of(read: ReadEvaluation) -> Summary:
    card = read.card
    if card is None:
        return Summary("", "", "", "", "")
    indicators = cents(sum((line.score or Decimal(0) for line in card.lines), Decimal(0)))
    if not read.executed_known:
        return Summary("", "", str(indicators), "", "")
    return Summary(
        f"{card.execution_rate}%",
        str(card.execution_score),
        str(indicators),
        str(card.total),
        card.grade,
    )


def preview_json(read: ReadEvaluation) -> dict[str, Any]:
    """The preview's answer: every line's weight, score and whether it needs an explanation."""
    scored = {line.indicator_id: line for line in read.card.lines} if read.card else {}
    summary = summary_of(read)
    lines = {}
    for key, line in scored.items():
        lines[key] = {
            "weight": str(line.weight),
            "score": "" if line.score is None else str(line.score),
            "required": line.explanation_required,
            "problem": "；".join(item.message for item in read.problems if item.indicator == key),
        }
    for item in read.problems:
        if item.indicator and item.indicator not in lines:
            lines[item.indicator] = {"weight": "", "score": "", "required": False, "problem": ""}
            lines[item.indicator]["problem"] = item.message
    general = [item.message for item in read.problems if item.indicator is None and not item.blank]
    return {
        "lines": lines,
        "executionRate": summary.execution_rate,
        "executionScore": summary.execution_score,
        "indicatorScore": summary.indicator_score,
        "total": summary.total,
        "grade": summary.grade,
        "problems": general,
    }


def evaluation_missing(basis: Basis, read: ReadEvaluation) -> list[str]:
    """What must still be filled in before the evaluation can be submitted, in words."""
    if read.card is None:
        return ["请先填写并保存全年预算数、全年执行数和各指标的实际完成值"]
    gaps = []
    for target, line in zip(basis.targets, read.card.lines, strict=True):
        if line.score is None:
            what = (
                "请选择达成程度并填写得分"
                if target.value.kind is ValueKind.TEXT
                else "请填写实际完成值"
            )
            gaps.append(f"「{target.name}」：{what}")
        elif line.explanation_required and not (line.explanation or "").strip():
            gaps.append(
                f"「{target.name}」：未完成目标或超出目标较多，请填写偏差原因分析及改进措施"
            )
    return gaps


def recheck_grade(decision: ReportDecision | None, rules: EvaluationRules) -> str:
    if decision is None or decision.score is None:
        return ""
    return grade_of(decision.score, rules)
