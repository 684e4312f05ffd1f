"""Monitoring rounds and self-evaluations: fill in, submit, review — parse → use case → present.

``schema.py`` merges these mutations into the one ``Mutation`` type.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from uuid import UUID

import strawberry

from api.graphql import report_inputs as r
from api.graphql.context import Context, blocking
from api.graphql.inputs import IndicatorCommentInput
from api.graphql.reports import MonitoringRoundType, SelfEvaluationType
from api.graphql.results import (
    REPORT_REFUSALS,
    InvalidInput,
    MonitoringChanged,
    MonitoringResult,
    ReportRefusal,
    SelfEvaluationChanged,
    SelfEvaluationResult,
    TableLocked,
    report_refusal_of,
)
from domain.errors import UnknownIndicator
from domain.model import Actor
from domain.reports import ReportNotOpen, Stage
from service_layer import report_inputs as ri
from service_layer.parsing import table_id_of
from service_layer.reports import SavedReport

Info = strawberry.Info[Context, None]
Call = Callable[[Actor, UUID], SavedReport]


async def _report(
    info: Info, table_id: strawberry.ID, call: Call, lines: tuple[str, Sequence[str]]
) -> SavedReport | ReportRefusal:
    """Run one report use case off the event loop: the saved report, or the typed refusal.

    A refusal about one line names it by its place in the input (``lines[1].causes``), given
    ``lines``: the input list's name and the indicators its items name, in order.
    """
    context = info.context
    try:
        identity = table_id_of(table_id)
        saved = await blocking(call, context.who(), identity)
    except ReportNotOpen as error:  # the table is not approved: its status is why
        table = await blocking(context.services.app.table, identity)
        return TableLocked(message=str(error), status=table.status)
    except REPORT_REFUSALS as error:
        refusal = report_refusal_of(error)
        if isinstance(refusal, InvalidInput):
            prefix, indicators = lines
            if isinstance(error, UnknownIndicator):
                refusal.field = ri.unknown_indicator_field(prefix, error.indicator_id, indicators)
            else:
                refusal.field = ri.located(refusal.field, prefix, indicators)
        return refusal
    context.services.relay.nudge()  # a submission or a decision travels at once
    return saved


async def _monitoring(
    info: Info, table_id: strawberry.ID, call: Call, lines: tuple[str, Sequence[str]]
) -> MonitoringResult:
    outcome = await _report(info, table_id, call, lines)
    if isinstance(outcome, SavedReport):
        return MonitoringChanged(monitoring=MonitoringRoundType.from_view(outcome.view))
    return outcome


async def _self_evaluation(
    info: Info, table_id: strawberry.ID, call: Call, lines: tuple[str, Sequence[str]]
) -> SelfEvaluationResult:
    outcome = await _report(info, table_id, call, lines)
    if isinstance(outcome, SavedReport):
        shown = SelfEvaluationType.from_view(outcome.view)
        return SelfEvaluationChanged(self_evaluation=shown)
    return outcome


def _lines(given: Sequence[r.MonitoringLineInput | r.EvaluationLineInput]) -> tuple[str, list[str]]:
    return "lines", [line.indicator_id for line in given]


def _commented(given: list[IndicatorCommentInput] | None) -> tuple[str, list[str]]:
    return "lineComments", [item.indicator_id for item in given or ()]


def _comments(given: list[IndicatorCommentInput] | None) -> dict[str, str]:
    pairs = [(item.indicator_id, item.comment) for item in given or ()]
    return ri.line_comments_of("lineComments", pairs)


NO_LINES: tuple[str, list[str]] = ("lines", [])


@strawberry.type
class ReportMutation:
    @strawberry.mutation
    async def set_monitoring(self, info: Info, input: r.SetMonitoringInput) -> MonitoringResult:
        """Fill in a monitoring round (双监控) to month ``throughMonth``: the whole form at once."""
        use = info.context.services.reports

        def call(actor: Actor, table_id: UUID) -> SavedReport:
            month = ri.month_of("throughMonth", input.through_month)
            form = ri.monitoring_form(input.entry())
            return use.set_monitoring(
                actor, table_id, month, input.expected_version, form, input.reason
            )

        return await _monitoring(info, input.table_id, call, _lines(input.lines))

    @strawberry.mutation
    async def submit_monitoring(
        self, info: Info, input: r.SubmitMonitoringInput
    ) -> MonitoringResult:
        use = info.context.services.reports

        def call(actor: Actor, table_id: UUID) -> SavedReport:
            month = ri.month_of("throughMonth", input.through_month)
            return use.submit(actor, Stage.MONITORING, table_id, month, input.version, input.reason)

        return await _monitoring(info, input.table_id, call, NO_LINES)

    @strawberry.mutation
    async def review_monitoring(
        self, info: Info, input: r.ReviewMonitoringInput
    ) -> MonitoringResult:
        """通过 or 退回 a submitted monitoring round (a child's, or a root's own)."""
        use = info.context.services.reports

        def call(actor: Actor, table_id: UUID) -> SavedReport:
            month = ri.month_of("throughMonth", input.through_month)
            action = r.MonitoringReviewAction(input.action).value
            comments = _comments(input.line_comments)
            return use.decide(
                actor,
                Stage.MONITORING,
                table_id,
                month,
                action,
                input.version,
                input.reason,
                line_comments=comments,
            )

        return await _monitoring(info, input.table_id, call, _commented(input.line_comments))

    @strawberry.mutation
    async def set_self_evaluation(
        self, info: Info, input: r.SetSelfEvaluationInput
    ) -> SelfEvaluationResult:
        """Fill in the self-evaluation (自评): the whole form at once."""
        use = info.context.services.reports

        def call(actor: Actor, table_id: UUID) -> SavedReport:
            form = ri.evaluation_form(input.entry())
            return use.set_self_evaluation(
                actor, table_id, input.expected_version, form, input.reason
            )

        return await _self_evaluation(info, input.table_id, call, _lines(input.lines))

    @strawberry.mutation
    async def submit_self_evaluation(
        self, info: Info, input: r.SubmitSelfEvaluationInput
    ) -> SelfEvaluationResult:
        use = info.context.services.reports

        def call(actor: Actor, table_id: UUID) -> SavedReport:
            stage = Stage.SELF_EVALUATION
            return use.submit(actor, stage, table_id, None, input.version, input.reason)

        return await _self_evaluation(info, input.table_id, call, NO_LINES)

    @strawberry.mutation
    async def review_self_evaluation(
        self, info: Info, input: r.ReviewSelfEvaluationInput
    ) -> SelfEvaluationResult:
        """Accept the bureau's score, set a 复核 score with a reason, or return the form."""
        use = info.context.services.reports

        def call(actor: Actor, table_id: UUID) -> SavedReport:
            score = ri.decimal_of("score", input.score)
            action = r.SelfEvaluationReviewAction(input.action).value
            comments = _comments(input.line_comments)
            return use.decide(
                actor,
                Stage.SELF_EVALUATION,
                table_id,
                None,
                action,
                input.version,
                input.reason,
                score=score,
                line_comments=comments,
            )

        return await _self_evaluation(info, input.table_id, call, _commented(input.line_comments))
