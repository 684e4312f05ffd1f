"""The year-end self-evaluation (绩效自评) of one table, and the level above's 复核.

The bureau fills in the whole form (budget A and B, per indicator the actual, weight and, for
a qualitative target, a band and score, explanations; conclusion, problems, measures); the
scores follow from ``domain.scoring``. The reviewer accepts the score or sets a 复核 score
with a reason; both stay on the record.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.model import Actor
from domain.monitoring import check_basis, check_known
from domain.reports import (
    Basis,
    ReportDecision,
    ReportStatus,
    Stage,
    check_decidable,
    check_editable,
    check_submittable,
    report_id,
)
from domain.scoring import (
    HUNDRED,
    Band,
    EvaluationRules,
    LineScore,
    ScoringInvalid,
    cents,
    check_actual_sign,
    execution_score,
    grade_of,
    score_line,
)
from domain.table import check_reason
from domain.text import check_text
from domain.values import Value, ValueKind, check_amount, check_number
from domain.weights import check_points, weights_of


@dataclass(frozen=True, kw_only=True)
class EvaluationLine:
    indicator_id: str
    actual: Value | None = None
    weight: Decimal | None = None
    band: Band | None = None
    score: Decimal | None = None  # given for a qualitative target only
    explanation: str | None = None  # 偏差原因分析及改进措施


@dataclass(frozen=True, kw_only=True)
class EvaluationForm:
    budget_full_year: Decimal  # 全年预算数 A (万元)
    budget_executed: Decimal  # 全年执行数 B
    # Why A is not the approved table's 年度资金总额 (an adjusted budget, say): A starts as that
    # budget, and a different A is scored only with its reason, which the reviewer reads.
    budget_note: str | None = None
    lines: tuple[EvaluationLine, ...] = ()
    conclusion: str | None = None  # 评价结论
    problems: str | None = None  # 存在问题
    measures: str | None = None  # 改进措施
    goal_result: str | None = None  # 年度总体目标's 实际完成情况

    def line(self, indicator_id: str) -> EvaluationLine | None:
        return next((item for item in self.lines if item.indicator_id == indicator_id), None)


@dataclass(frozen=True)
class ScoredLine:
    indicator_id: str
    weight: Decimal
    actual: Value | None
    score: Decimal | None  # None until the actual (or band) is given
    band: Band | None
    explanation_required: bool
    explanation: str | None


@dataclass(frozen=True)
class Scorecard:
    execution_rate: Decimal  # B ÷ A × 100, to 0.01
    execution_score: Decimal
    lines: tuple[ScoredLine, ...]
    total: Decimal
    grade: str


def scorecard(basis: Basis, form: EvaluationForm, rules: EvaluationRules) -> Scorecard:
    """Score ``form``; refuses (``ScoringInvalid``) a form the rules do not allow."""
    check_known(basis, [line.indicator_id for line in form.lines])
    given = [line.indicator_id for line in form.lines]
    twice = next((key for index, key in enumerate(given) if key in given[:index]), None)
    if twice is not None:
        raise ScoringInvalid(f"lines.{twice}", f"indicator {twice} is given twice")
    weights = weights_of(basis, form.lines, rules)
    if form.budget_executed < 0:
        raise ScoringInvalid("budgetExecuted", "全年执行数 cannot be negative")
    rate = (
        cents(form.budget_executed / form.budget_full_year * HUNDRED)
        if (form.budget_full_year > 0)
        else Decimal(0)
    )
    executed = execution_score(form.budget_full_year, form.budget_executed, rules)
    lines = [
        _scored(target.indicator_id, target.value, form.line(target.indicator_id), weight, rules)
        for target, weight in zip(basis.targets, weights, strict=True)
    ]
    total = executed + sum((line.score or Decimal(0) for line in lines), Decimal(0))
    return Scorecard(rate, executed, tuple(lines), total, grade_of(total, rules))


def _scored(
    indicator_id: str,
    target: Value,
    line: EvaluationLine | None,
    weight: Decimal,
    rules: EvaluationRules,
) -> ScoredLine:
    qualitative = target.kind is ValueKind.TEXT
    if line is None or (line.actual is None and (line.band is None or not qualitative)):
        return ScoredLine(indicator_id, weight, None, None, None, False, None)
    actual = line.actual or Value(raw="", kind=target.kind)
    scored: LineScore = score_line(
        indicator_id, target, actual, weight, line.band, line.score, rules
    )
    return ScoredLine(
        indicator_id,
        weight,
        line.actual,
        scored.score,
        scored.band,
        scored.explanation_required,
        line.explanation,
    )


class SelfEvaluation(Aggregate):
    """One table's self-evaluation after the year."""

    class Event(Aggregate.Event):
        actor: Actor
        reason: str | None

    class Opened(Event, Aggregate.Created):
        basis: Basis
        rules: EvaluationRules

    class Reported(Event):
        form: EvaluationForm

    class Submitted(Event):
        pass

    class Returned(Event):
        version: int
        line_comments: dict[str, str]

    class Accepted(Event):
        version: int

    class Rechecked(Event):
        """复核: the reviewer's own score for the submitted version, and why."""

        version: int
        score: Decimal

    @event(Opened)
    def __init__(
        self, basis: Basis, rules: EvaluationRules, actor: Actor, reason: str | None
    ) -> None:
        self.basis = basis
        self.rules = rules
        self.form: EvaluationForm | None = None
        self._status = str(ReportStatus.DRAFT)
        self.decision: ReportDecision | None = None

    @staticmethod
    def create_id(basis: Basis, rules: EvaluationRules, actor: Actor, reason: str | None) -> UUID:
        return report_id(Stage.SELF_EVALUATION, UUID(basis.table_id))

    @classmethod
    def open(cls, basis: Basis, rules: EvaluationRules, actor: Actor) -> SelfEvaluation:
        check_basis(basis)
        return cls(basis=basis, rules=rules, actor=actor, reason=None)

    @property
    def status(self) -> ReportStatus:
        return ReportStatus(self._status)

    def scorecard(self) -> Scorecard | None:
        return None if self.form is None else scorecard(self.basis, self.form, self.rules)

    def missing(self) -> list[str]:
        """What must still be filled in before the evaluation can be submitted."""
        card = self.scorecard()
        if card is None:
            return ["the form is empty"]
        gaps: list[str] = []
        for target, line in zip(self.basis.targets, card.lines, strict=True):
            if line.score is None:
                gaps.append(f"{target.name}: the actual value (or band and score) is needed")
            elif line.explanation_required and not (line.explanation or "").strip():
                gaps.append(f"{target.name}: 偏差原因分析及改进措施 is needed")
        return gaps

    # --- commands -------------------------------------------------------------

    def report(self, form: EvaluationForm, actor: Actor, reason: str | None) -> None:
        check_editable(self.status)
        check_text(form, actor=actor, reason=reason)
        check_evaluation_form(self.basis, form)
        scorecard(self.basis, form, self.rules)  # every figure, before the event
        check_budget_note(self.basis, form)
        if form != self.form:
            self._report(form, actor, reason)

    @event(Reported)
    def _report(self, form: EvaluationForm, actor: Actor, reason: str | None) -> None:
        self.form = form

    def submit(self, actor: Actor, reason: str | None) -> None:
        check_submittable(self.status)
        check_text(actor=actor, reason=reason)
        if self.form is not None:  # an older release may have stored it
            check_evaluation_form(self.basis, self.form)
        gaps = self.missing()
        if gaps:
            raise ScoringInvalid("lines", "the evaluation is not complete: " + "; ".join(gaps))
        self._submit(actor, reason)

    @event(Submitted)
    def _submit(self, actor: Actor, reason: str | None) -> None:
        self._status = str(ReportStatus.SUBMITTED)

    def return_for_changes(
        self, version: int, reason: str, line_comments: dict[str, str], actor: Actor
    ) -> None:
        check_decidable(self.status, "return", version, self.version)
        check_reason(reason, "returning a self-evaluation")
        check_known(self.basis, line_comments)
        check_text(actor=actor, reason=reason, line_comments=line_comments)
        self._return(version, line_comments, actor, reason)

    @event(Returned)
    def _return(
        self, version: int, line_comments: dict[str, str], actor: Actor, reason: str | None
    ) -> None:
        self._status = str(ReportStatus.RETURNED)
        self.decision = ReportDecision(
            "return", version, actor, reason, line_comments=tuple(line_comments.items())
        )

    def accept(self, version: int, reason: str | None, actor: Actor) -> None:
        check_decidable(self.status, "accept", version, self.version)
        check_text(actor=actor, reason=reason)
        self._accept(version, actor, reason)

    @event(Accepted)
    def _accept(self, version: int, actor: Actor, reason: str | None) -> None:
        self._status = str(ReportStatus.APPROVED)
        self.decision = ReportDecision("approve", version, actor, reason)

    def set_recheck(self, version: int, score: Decimal, reason: str, actor: Actor) -> None:
        check_decidable(self.status, "recheck", version, self.version)
        check_reason(reason, "setting a 复核 score")
        check_text(actor=actor, reason=reason)
        check_recheck_score(score, self.rules)
        self._recheck(version, cents(score), actor, reason)

    @event(Rechecked)
    def _recheck(self, version: int, score: Decimal, actor: Actor, reason: str | None) -> None:
        self._status = str(ReportStatus.APPROVED)
        self.decision = ReportDecision("recheck", version, actor, reason, score)


def check_evaluation_form(basis: Basis, form: EvaluationForm) -> None:
    """The bounds a filled-in self-evaluation keeps, checked before it is scored or stored
    (scoring then cannot overflow); the scoring rules follow in ``scorecard``."""
    check_amount("budgetFullYear", form.budget_full_year)
    check_amount("budgetExecuted", form.budget_executed)
    for line in form.lines:
        where = f"lines.{line.indicator_id}"
        check_points(f"{where}.weight", line.weight)
        check_points(f"{where}.score", line.score)
        check_number(f"{where}.actual", line.actual)
        target = basis.target(line.indicator_id)
        if target is not None and line.actual is not None:
            check_actual_sign(line.indicator_id, target.value, line.actual)


def check_budget_note(basis: Basis, form: EvaluationForm) -> None:
    """全年预算数 A is the approved 年度资金总额 unless a reason says why not: otherwise any A
    equal to B would score the execution weight in full."""
    approved = basis.budget
    if approved is None or form.budget_full_year == approved:
        return
    if not (form.budget_note or "").strip():
        raise ScoringInvalid(
            "budgetNote",
            f"全年预算数 A ({form.budget_full_year}) is not the approved 年度资金总额 "
            f"({approved}): say why in budgetNote, or give the approved budget",
        )


def check_recheck_score(score: Decimal, rules: EvaluationRules) -> None:
    most = rules.execution_weight + rules.indicator_weight
    if not Decimal(0) <= score <= most:
        raise ScoringInvalid("score", f"a 复核 score lies between 0 and {most}, not {score}")
