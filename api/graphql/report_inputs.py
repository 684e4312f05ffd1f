"""What the report mutations take: the whole form at once, as text, which
``service_layer.report_inputs`` reads into the domain's forms (naming any field at fault)."""

from __future__ import annotations

from enum import StrEnum

import strawberry

from api.graphql.inputs import IndicatorCommentInput
from domain.scoring import Band, Cause, Likelihood
from service_layer.report_inputs import (
    EvaluationEntry,
    EvaluationLineEntry,
    MonitoringEntry,
    MonitoringLineEntry,
)


@strawberry.enum
class MonitoringReviewAction(StrEnum):
    APPROVE = "approve"
    RETURN = "return"


@strawberry.enum
class SelfEvaluationReviewAction(StrEnum):
    """ACCEPT takes the bureau's score; RECHECK (复核) sets the reviewer's own, with a reason."""

    ACCEPT = "approve"
    RECHECK = "recheck"
    RETURN = "return"


@strawberry.input
class MonitoringLineInput:
    indicator_id: str
    actual_to_date: str | None = strawberry.field(default=None, description="1–M月执行情况")
    year_end_forecast: str | None = strawberry.field(default=None, description="全年预计完成情况")
    likelihood: Likelihood | None = Likelihood.CERTAIN
    causes: list[Cause] | None = strawberry.field(
        default_factory=list, description="needed unless CERTAIN"
    )
    cause_note: str | None = strawberry.field(default=None, description="needed with OTHER")
    measures: str | None = strawberry.field(
        default=None, description="纠偏措施, needed unless CERTAIN"
    )

    def entry(self) -> MonitoringLineEntry:
        return MonitoringLineEntry(
            indicator_id=self.indicator_id,
            actual_to_date=self.actual_to_date,
            year_end_forecast=self.year_end_forecast,
            likelihood=None if self.likelihood is None else Likelihood(self.likelihood).value,
            causes=[Cause(item).value for item in self.causes or ()],
            cause_note=self.cause_note,
            measures=self.measures,
        )


@strawberry.input
class SetMonitoringInput:
    """The whole monitoring form of one month at once; ``expectedVersion`` 0 opens it."""

    table_id: strawberry.ID
    through_month: int
    expected_version: int
    budget_executed: str = strawberry.field(description="1–M月预算执行数 (万元)")
    budget_forecast: str | None = strawberry.field(
        default=None, description="全年预计执行数 (万元)"
    )
    lines: list[MonitoringLineInput] = strawberry.field(default_factory=list)
    goal_progress: str | None = strawberry.field(
        default=None, description="年度总体目标 1–M月执行情况"
    )
    reason: str | None = None

    def entry(self) -> MonitoringEntry:
        return MonitoringEntry(
            budget_executed=self.budget_executed,
            budget_forecast=self.budget_forecast,
            lines=[line.entry() for line in self.lines],
            goal_progress=self.goal_progress,
        )


@strawberry.input
class EvaluationLineInput:
    indicator_id: str
    actual: str | None = None
    weight: str | None = strawberry.field(
        default=None, description="分值; give every line's (adding up to 90) or none"
    )
    band: Band | None = strawberry.field(default=None, description="for a qualitative target")
    score: str | None = strawberry.field(default=None, description="for a qualitative target")
    explanation: str | None = strawberry.field(default=None, description="偏差原因分析及改进措施")

    def entry(self) -> EvaluationLineEntry:
        return EvaluationLineEntry(
            indicator_id=self.indicator_id,
            actual=self.actual,
            weight=self.weight,
            band=None if self.band is None else Band(self.band).value,
            score=self.score,
            explanation=self.explanation,
        )


@strawberry.input
class SetSelfEvaluationInput:
    """The whole self-evaluation form at once; ``expectedVersion`` 0 opens it."""

    table_id: strawberry.ID
    expected_version: int
    budget_full_year: str = strawberry.field(description="全年预算数 A (万元)")
    budget_executed: str = strawberry.field(description="全年执行数 B (万元)")
    budget_note: str | None = strawberry.field(
        default=None, description="why A is not the approved 年度资金总额 (required then)"
    )
    lines: list[EvaluationLineInput] = strawberry.field(default_factory=list)
    conclusion: str | None = None
    problems: str | None = None
    measures: str | None = None
    goal_result: str | None = strawberry.field(
        default=None, description="年度总体目标 实际完成情况"
    )
    reason: str | None = None

    def entry(self) -> EvaluationEntry:
        return EvaluationEntry(
            budget_full_year=self.budget_full_year,
            budget_executed=self.budget_executed,
            budget_note=self.budget_note,
            lines=[line.entry() for line in self.lines],
            conclusion=self.conclusion,
            problems=self.problems,
            measures=self.measures,
            goal_result=self.goal_result,
        )


@strawberry.input
class SubmitMonitoringInput:
    table_id: strawberry.ID
    through_month: int
    version: int
    reason: str | None = None


@strawberry.input
class ReviewMonitoringInput:
    """The reviewer's decision on the submitted ``version`` (a reason is needed to return)."""

    table_id: strawberry.ID
    through_month: int
    version: int
    action: MonitoringReviewAction
    reason: str | None = None
    line_comments: list[IndicatorCommentInput] | None = strawberry.field(default_factory=list)


@strawberry.input
class SubmitSelfEvaluationInput:
    table_id: strawberry.ID
    version: int
    reason: str | None = None


@strawberry.input
class ReviewSelfEvaluationInput:
    """ACCEPT, RECHECK with the reviewer's ``score`` and a reason, or RETURN with a reason."""

    table_id: strawberry.ID
    version: int
    action: SelfEvaluationReviewAction
    score: str | None = None
    reason: str | None = None
    line_comments: list[IndicatorCommentInput] | None = strawberry.field(default_factory=list)
