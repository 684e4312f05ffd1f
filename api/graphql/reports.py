"""Monitoring rounds (双监控) and self-evaluations (自评) as GraphQL shows and takes them.

A report reads the same on the bureau's node and, once submitted, on its parent's
(``received`` tells which). Amounts, rates, weights and scores are decimal strings, as the
table's amounts are; a line lists every approved target, filled in or not.
(The inputs are in ``api.graphql.report_inputs``, the mutations in ``report_mutations``.)
"""

from __future__ import annotations

import strawberry

from api.graphql.types import ActorType, IndicatorComment, Value
from domain import values as domain_values
from domain.evaluation import ScoredLine
from domain.monitoring import LineLight, MonitoringLine
from domain.reports import ReportDecision, ReportStatus, Stage, Target
from domain.scoring import Band, Cause, Light, Likelihood
from service_layer.reports import ReportView

strawberry.enum(ReportStatus, name="ReportStatus")
strawberry.enum(Light, name="Light", description="绿灯 / 黄灯 / 红灯")
strawberry.enum(Likelihood, name="Likelihood", description="完成目标可能性")
strawberry.enum(Cause, name="DeviationCause", description="偏差原因")
strawberry.enum(Band, name="ScoreBand", description="达成 / 部分达成 / 未达成")


def _amount(amount: object) -> str | None:
    return None if amount is None else str(amount)


def _value(value: domain_values.Value | None) -> Value | None:
    return None if value is None else Value.from_value(value)


# --- what is shown ------------------------------------------------------------------


@strawberry.type
class ReportReview:
    """The reviewer's word on a submitted version.

    ``action`` is approve or return for a monitoring round; accept, recheck (复核, with its
    ``score``) or return for a self-evaluation.
    """

    action: str
    version: int
    actor: ActorType
    reason: str | None
    score: str | None
    line_comments: list[IndicatorComment]

    @classmethod
    def from_decision(cls, decision: ReportDecision, stage: Stage) -> ReportReview:
        accepted = stage is Stage.SELF_EVALUATION and decision.action == "approve"
        return cls(
            action="accept" if accepted else decision.action,
            version=decision.version,
            actor=ActorType.from_actor(decision.actor),
            reason=decision.reason,
            score=_amount(decision.score),
            line_comments=[
                IndicatorComment(indicator_id=indicator, comment=comment)
                for indicator, comment in decision.line_comments
            ],
        )


@strawberry.type(name="MonitoringLine")
class MonitoringLineType:
    """One approved target and how it stands at the cut-off month."""

    indicator_id: str
    name: str
    level1: str
    level2: str
    target: Value
    light: Light | None = strawberry.field(
        description="null until the line has a forecast or a likelihood"
    )
    actual_to_date: Value | None = strawberry.field(description="1–M月执行情况")
    year_end_forecast: Value | None = strawberry.field(description="全年预计完成情况")
    likelihood: Likelihood | None
    causes: list[Cause]
    cause_note: str | None
    measures: str | None = strawberry.field(description="纠偏措施")
    comment: str | None = strawberry.field(description="the reviewer's comment on this line")


@strawberry.type(name="MonitoringRound")
class MonitoringRoundType:
    """绩效运行监控 of one approved table to the end of month ``throughMonth``."""

    table_id: strawberry.ID
    jurisdiction: str
    fiscal_year: int
    project_name: str
    table_version: int = strawberry.field(description="the approved version reported against")
    through_month: int
    version: int
    status: ReportStatus
    received: bool = strawberry.field(description="a child's round, as received by this node")
    budget: str | None = strawberry.field(description="年度资金总额 of the approved table")
    budget_executed: str
    budget_forecast: str | None
    goal_progress: str | None = strawberry.field(description="年度总体目标 1–M月执行情况")
    execution_rate: str | None = strawberry.field(description="预算执行率 (%) to the month")
    execution_light: Light | None
    watched: bool = strawberry.field(description="重点监控")
    lines: list[MonitoringLineType]
    missing: list[str] = strawberry.field(description="what must be filled in to submit")
    fault: str | None = strawberry.field(
        description="why the figures of this stored round cannot be computed (an old store)"
    )
    decision: ReportReview | None

    @classmethod
    def from_view(cls, view: ReportView) -> MonitoringRoundType:
        basis, form, figures = view.basis, view.monitoring, view.figures
        lights: dict[str, LineLight] = {
            item.indicator_id: item for item in (figures.lights if figures else ())
        }
        comments = dict(view.decision.line_comments) if view.decision else {}
        lines = [
            _monitoring_line(
                target,
                form.line(target.indicator_id) if form else None,
                lights.get(target.indicator_id),
                comments.get(target.indicator_id),
            )
            for target in basis.targets
        ]
        return cls(
            table_id=strawberry.ID(basis.table_id),
            jurisdiction=basis.jurisdiction,
            fiscal_year=basis.fiscal_year,
            project_name=basis.project_name,
            table_version=basis.table_version,
            through_month=view.through_month or 0,
            version=view.version,
            status=view.status,
            received=view.received,
            budget=_amount(basis.budget),
            budget_executed=str(form.budget_executed) if form else "0",
            budget_forecast=_amount(form.budget_forecast) if form else None,
            goal_progress=form.goal_progress if form else None,
            execution_rate=_amount(figures.execution_rate) if figures else None,
            execution_light=figures.execution_light if figures else None,
            watched=figures.watched if figures else False,
            lines=lines,
            missing=list(view.missing),
            fault=view.fault,
            decision=(
                None
                if view.decision is None
                else ReportReview.from_decision(view.decision, view.stage)
            ),
        )


def _monitoring_line(
    target: Target, line: MonitoringLine | None, light: LineLight | None, comment: str | None
) -> MonitoringLineType:
    return MonitoringLineType(
        indicator_id=target.indicator_id,
        name=target.name,
        level1=target.level1,
        level2=target.level2,
        target=Value.from_value(target.value),
        light=light.light if light else None,
        actual_to_date=_value(line.actual_to_date) if line else None,
        year_end_forecast=_value(line.year_end_forecast) if line else None,
        likelihood=line.likelihood if line else None,
        causes=list(line.causes) if line else [],
        cause_note=line.cause_note if line else None,
        measures=line.measures if line else None,
        comment=comment,
    )


@strawberry.type(name="EvaluationLine")
class EvaluationLineType:
    """One approved target, its weight (分值) and what it scored."""

    indicator_id: str
    name: str
    level1: str
    level2: str
    target: Value
    weight: str | None
    actual: Value | None
    score: str | None = strawberry.field(description="null until the actual (or band) is given")
    band: Band | None
    explanation_required: bool
    explanation: str | None = strawberry.field(description="偏差原因分析及改进措施")
    comment: str | None = strawberry.field(description="the reviewer's comment on this line")


@strawberry.type(name="SelfEvaluation")
class SelfEvaluationType:
    """绩效自评 of one approved table, and the level above's 复核."""

    table_id: strawberry.ID
    jurisdiction: str
    fiscal_year: int
    project_name: str
    table_version: int
    version: int
    status: ReportStatus
    received: bool
    budget: str | None = strawberry.field(description="年度资金总额 of the approved table")
    budget_full_year: str | None = strawberry.field(description="全年预算数 A")
    budget_executed: str | None = strawberry.field(description="全年执行数 B")
    budget_note: str | None = strawberry.field(
        description="why A is not the approved 年度资金总额, as the bureau gave it"
    )
    execution_rate: str | None = strawberry.field(description="B ÷ A × 100")
    execution_score: str | None
    total_score: str | None = strawberry.field(description="the bureau's own score")
    grade: str | None
    recheck_score: str | None = strawberry.field(description="the reviewer's 复核 score")
    conclusion: str | None
    goal_result: str | None = strawberry.field(description="年度总体目标 实际完成情况")
    problems: str | None
    measures: str | None
    lines: list[EvaluationLineType]
    missing: list[str]
    fault: str | None = strawberry.field(
        description="why the scores of this stored evaluation cannot be computed (an old store)"
    )
    decision: ReportReview | None

    @classmethod
    def from_view(cls, view: ReportView) -> SelfEvaluationType:
        basis, form, card = view.basis, view.evaluation, view.scorecard
        scored: dict[str, ScoredLine] = {
            item.indicator_id: item for item in (card.lines if card else ())
        }
        decision = view.decision
        comments = dict(decision.line_comments) if decision else {}
        rechecked = decision is not None and decision.action == "recheck"
        return cls(
            table_id=strawberry.ID(basis.table_id),
            jurisdiction=basis.jurisdiction,
            fiscal_year=basis.fiscal_year,
            project_name=basis.project_name,
            table_version=basis.table_version,
            version=view.version,
            status=view.status,
            received=view.received,
            budget=_amount(basis.budget),
            budget_full_year=_amount(form.budget_full_year) if form else None,
            budget_executed=_amount(form.budget_executed) if form else None,
            budget_note=form.budget_note if form else None,
            execution_rate=_amount(card.execution_rate) if card else None,
            execution_score=_amount(card.execution_score) if card else None,
            total_score=_amount(card.total) if card else None,
            grade=card.grade if card else None,
            recheck_score=_amount(decision.score) if decision and rechecked else None,
            conclusion=form.conclusion if form else None,
            goal_result=form.goal_result if form else None,
            problems=form.problems if form else None,
            measures=form.measures if form else None,
            lines=[
                _evaluation_line(
                    target, scored.get(target.indicator_id), comments.get(target.indicator_id)
                )
                for target in basis.targets
            ],
            missing=list(view.missing),
            fault=view.fault,
            decision=None if decision is None else ReportReview.from_decision(decision, view.stage),
        )


def _evaluation_line(
    target: Target, line: ScoredLine | None, comment: str | None
) -> EvaluationLineType:
    return EvaluationLineType(
        indicator_id=target.indicator_id,
        name=target.name,
        level1=target.level1,
        level2=target.level2,
        target=Value.from_value(target.value),
        weight=_amount(line.weight) if line else None,
        actual=_value(line.actual) if line else None,
        score=_amount(line.score) if line else None,
        band=line.band if line else None,
        explanation_required=line.explanation_required if line else False,
        explanation=line.explanation if line else None,
        comment=comment,
    )
