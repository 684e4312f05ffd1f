"""Every edit a bureau makes and every review step: parse → call the use case → present."""

from __future__ import annotations

from collections.abc import Callable

import strawberry

from api.deps import read_your_writes
from api.graphql import inputs as i
from api.graphql.context import Context, blocking
from api.graphql.results import REFUSALS, EditResult, TableChanged, refusal_of
from api.graphql.tables import TargetTableType
from domain.model import Actor, Period
from infra.bootstrap import NodeServices
from service_layer.parsing import table_id_of
from service_layer.store import Saved
from service_layer.workflow import Reviewed

Info = strawberry.Info[Context, None]


async def _run(info: Info, call: Callable[[Actor], Saved | Reviewed]) -> EditResult:
    """Run one use case off the event loop; answer the changed table or the typed refusal."""
    context = info.context
    try:
        return await blocking(_changed, context.services, call, context.who())
    except REFUSALS as error:
        return refusal_of(error)


def _changed(
    services: NodeServices, call: Callable[[Actor], Saved | Reviewed], actor: Actor
) -> TableChanged:
    """The use case, then read-your-writes: answered once the read models show the change.

    One trip to a worker thread for all of it: under load every trip back to the event loop
    and out again waits for its turn at the interpreter.
    """
    outcome = call(actor)
    read_your_writes(services, outcome.position)
    if isinstance(outcome, Reviewed):
        row = services.reads.submission(str(outcome.received_id), outcome.version)
        return TableChanged(table=TargetTableType.from_submission(row))
    return TableChanged(table=TargetTableType.from_aggregate(outcome.table, current=True))


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def set_project_field(self, info: Info, input: i.SetProjectFieldInput) -> EditResult:
        use = info.context.services.editing
        return await _run(
            info,
            lambda actor: use.set_project_field(
                actor,
                table_id_of(input.table_id),
                input.expected_version,
                input.field.value,
                input.value,
                input.reason,
            ),
        )

    @strawberry.mutation
    async def set_fund_total(self, info: Info, input: i.SetFundTotalInput) -> EditResult:
        use = info.context.services.editing
        return await _run(
            info,
            lambda actor: use.set_fund_total(
                actor,
                table_id_of(input.table_id),
                input.expected_version,
                input.amount,
                input.reason,
            ),
        )

    @strawberry.mutation
    async def set_fund_source(self, info: Info, input: i.SetFundSourceInput) -> EditResult:
        use = info.context.services.editing
        return await _run(
            info,
            lambda actor: use.set_fund_source(
                actor,
                table_id_of(input.table_id),
                input.expected_version,
                input.source,
                input.amount,
                input.reason,
            ),
        )

    @strawberry.mutation
    async def add_expenditure(self, info: Info, input: i.AddExpenditureInput) -> EditResult:
        use, line = info.context.services.editing, input.line
        return await _run(
            info,
            lambda actor: use.add_expenditure(
                actor,
                table_id_of(input.table_id),
                input.expected_version,
                line.name,
                line.full_year,
                line.half_year,
                input.reason,
            ),
        )

    @strawberry.mutation
    async def set_expenditure(self, info: Info, input: i.SetExpenditureInput) -> EditResult:
        use, line = info.context.services.editing, input.line
        return await _run(
            info,
            lambda actor: use.set_expenditure(
                actor,
                table_id_of(input.table_id),
                input.expected_version,
                input.index,
                line.name,
                line.full_year,
                line.half_year,
                input.reason,
            ),
        )

    @strawberry.mutation
    async def remove_expenditure(self, info: Info, input: i.RemoveExpenditureInput) -> EditResult:
        use = info.context.services.editing
        return await _run(
            info,
            lambda actor: use.remove_expenditure(
                actor,
                table_id_of(input.table_id),
                input.expected_version,
                input.index,
                input.reason,
            ),
        )

    @strawberry.mutation
    async def set_goal(self, info: Info, input: i.SetGoalInput) -> EditResult:
        use = info.context.services.editing
        return await _run(
            info,
            lambda actor: use.set_goal(
                actor,
                table_id_of(input.table_id),
                input.expected_version,
                input.goal.value,
                input.text,
                input.reason,
            ),
        )

    @strawberry.mutation
    async def add_indicator(self, info: Info, input: i.AddIndicatorInput) -> EditResult:
        use = info.context.services.editing
        return await _run(
            info,
            lambda actor: use.add_indicator(
                actor,
                table_id_of(input.table_id),
                input.expected_version,
                input.level1,
                input.level2,
                input.name,
                input.full_year,
                input.half_year,
                input.position,
                input.reason,
            ),
        )

    @strawberry.mutation
    async def set_indicator_value(self, info: Info, input: i.SetIndicatorValueInput) -> EditResult:
        use = info.context.services.editing
        return await _run(
            info,
            lambda actor: use.set_indicator_value(
                actor,
                table_id_of(input.table_id),
                input.expected_version,
                input.indicator_id,
                Period(input.period),
                input.value,
                input.reason,
            ),
        )

    @strawberry.mutation
    async def rename_indicator(self, info: Info, input: i.RenameIndicatorInput) -> EditResult:
        use = info.context.services.editing
        return await _run(
            info,
            lambda actor: use.rename_indicator(
                actor,
                table_id_of(input.table_id),
                input.expected_version,
                input.indicator_id,
                input.name,
                input.reason,
            ),
        )

    @strawberry.mutation
    async def move_indicator(self, info: Info, input: i.MoveIndicatorInput) -> EditResult:
        use = info.context.services.editing
        return await _run(
            info,
            lambda actor: use.move_indicator(
                actor,
                table_id_of(input.table_id),
                input.expected_version,
                input.indicator_id,
                input.level1,
                input.level2,
                input.reason,
            ),
        )

    @strawberry.mutation
    async def explain_indicator(self, info: Info, input: i.ExplainIndicatorInput) -> EditResult:
        """指标解释 and 指标值设定依据 of one indicator (null clears them)."""
        use, basis = info.context.services.editing, input.basis
        return await _run(
            info,
            lambda actor: use.explain_indicator(
                actor,
                table_id_of(input.table_id),
                input.expected_version,
                input.indicator_id,
                input.explanation,
                None if basis is None else basis.kind.value,
                None if basis is None else basis.text,
                input.reason,
            ),
        )

    @strawberry.mutation
    async def remove_indicator(self, info: Info, input: i.RemoveIndicatorInput) -> EditResult:
        use = info.context.services.editing
        return await _run(
            info,
            lambda actor: use.remove_indicator(
                actor,
                table_id_of(input.table_id),
                input.expected_version,
                input.indicator_id,
                input.reason,
            ),
        )

    @strawberry.mutation
    async def submit_table(self, info: Info, input: i.SubmitTableInput) -> EditResult:
        use = info.context.services.workflow
        return await _run(
            info,
            lambda actor: use.submit(
                actor, table_id_of(input.table_id), input.expected_version, input.reason
            ),
        )

    @strawberry.mutation
    async def open_adjustment(self, info: Info, input: i.OpenAdjustmentInput) -> EditResult:
        use = info.context.services.workflow
        return await _run(
            info,
            lambda actor: use.open_adjustment(
                actor, table_id_of(input.table_id), input.expected_version, input.reason
            ),
        )

    @strawberry.mutation
    async def approve_submission(self, info: Info, input: i.ApproveSubmissionInput) -> EditResult:
        use = info.context.services.workflow
        return await _run(
            info,
            lambda actor: use.approve(
                actor, table_id_of(input.table_id), input.version, input.comment
            ),
        )

    @strawberry.mutation
    async def return_submission(self, info: Info, input: i.ReturnSubmissionInput) -> EditResult:
        use = info.context.services.workflow
        comments = {item.indicator_id: item.comment for item in input.indicator_comments}
        return await _run(
            info,
            lambda actor: use.return_for_changes(
                actor, table_id_of(input.table_id), input.version, input.reason, comments
            ),
        )
