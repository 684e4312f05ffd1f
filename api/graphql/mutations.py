"""Every edit a bureau makes and every review step: parse → check the role → command → result."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import strawberry

from api.graphql import inputs as i
from api.graphql.context import Context, blocking
from api.graphql.results import REFUSALS, EditResult, InvalidArgument, TableChanged, refusal_of
from api.graphql.types import TargetTable
from domain.access import Operation
from domain.categories import category_for
from domain.errors import Forbidden
from domain.model import Actor, Indicator, Period
from domain.submission import ReceivedTable
from domain.table import TargetTable as Table

Info = strawberry.Info[Context, None]
Change = Callable[[Table, Actor], None]
Decide = Callable[[ReceivedTable, Actor], None]
READ_YOUR_WRITES_SECONDS = 2.0


async def _command(
    info: Info, table_id: str, version: int, operation: Operation, change: Change
) -> EditResult:
    context = info.context
    try:
        actor = context.check(operation)
        if operation is Operation.REVIEW and not context.services.place.is_root:
            place = context.services.place
            raise Forbidden(
                f"{place.code} {place.name}'s tables are reviewed at its parent's node "
                f"({place.parent}); decisions arrive through sync"
            )
        identity = i.table_id_of(table_id)
        saved = await blocking(
            context.services.app.edit, identity, version, lambda table: change(table, actor)
        )
    except REFUSALS as error:
        return refusal_of(error)
    await _settle(context, saved.position)
    return TableChanged(table=TargetTable.from_aggregate(saved.table, current=True))


async def _decide(info: Info, table_id: str, decide: Decide) -> EditResult | None:
    """A decision on a child's submission, when ``table_id`` is one; None for own tables."""
    context = info.context
    try:
        identity = i.table_id_of(table_id)
        received = await blocking(context.services.app.received_table, identity)
        if received is None:
            return None
        actor = context.check(Operation.REVIEW, received.jurisdiction)
        decide(received, actor)
        position = await blocking(context.services.app.save_tracked, None, received)
    except REFUSALS as error:
        return refusal_of(error)
    await _settle(context, position)
    latest = received.latest
    assert latest is not None
    row = await blocking(context.services.reads.submission, str(received.id), latest.version)
    return TableChanged(table=TargetTable.from_submission(row))


async def _settle(context: Context, position: int) -> None:
    """Let the relay publish at once, and wait until the read models show the change."""
    context.services.relay.nudge()
    await blocking(context.services.runner.wait_for, position, READ_YOUR_WRITES_SECONDS)


async def _edit(info: Info, data: i.Edit, change: Change) -> EditResult:
    return await _command(info, data.table_id, data.expected_version, Operation.EDIT, change)


def _reason(data: i.Edit) -> str | None:
    return i.text_of("reason", data.reason)


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def set_project_field(self, info: Info, input: i.SetProjectFieldInput) -> EditResult:
        return await _edit(
            info,
            input,
            lambda table, actor: table.set_project_field(
                input.field.value, i.text_of("value", input.value), actor, _reason(input)
            ),
        )

    @strawberry.mutation
    async def set_fund_total(self, info: Info, input: i.SetFundTotalInput) -> EditResult:
        return await _edit(
            info,
            input,
            lambda table, actor: table.set_fund_total(
                i.amount_of("amount", input.amount), actor, _reason(input)
            ),
        )

    @strawberry.mutation
    async def set_fund_source(self, info: Info, input: i.SetFundSourceInput) -> EditResult:
        return await _edit(
            info,
            input,
            lambda table, actor: table.set_fund_source(
                i.source_of(input.source),
                i.amount_of("amount", input.amount),
                actor,
                _reason(input),
            ),
        )

    @strawberry.mutation
    async def add_expenditure(self, info: Info, input: i.AddExpenditureInput) -> EditResult:
        return await _edit(
            info,
            input,
            lambda table, actor: table.set_expenditure(
                len(table.content.expenditures), i.line_of(input.line), actor, _reason(input)
            ),
        )

    @strawberry.mutation
    async def set_expenditure(self, info: Info, input: i.SetExpenditureInput) -> EditResult:
        return await _edit(
            info,
            input,
            lambda table, actor: table.set_expenditure(
                _existing_line(table, input.index), i.line_of(input.line), actor, _reason(input)
            ),
        )

    @strawberry.mutation
    async def remove_expenditure(self, info: Info, input: i.RemoveExpenditureInput) -> EditResult:
        return await _edit(
            info,
            input,
            lambda table, actor: table.set_expenditure(
                _existing_line(table, input.index), None, actor, _reason(input)
            ),
        )

    @strawberry.mutation
    async def set_goal(self, info: Info, input: i.SetGoalInput) -> EditResult:
        return await _edit(
            info,
            input,
            lambda table, actor: table.set_goal(
                input.goal.value, i.text_of("text", input.text), actor, _reason(input)
            ),
        )

    @strawberry.mutation
    async def add_indicator(self, info: Info, input: i.AddIndicatorInput) -> EditResult:
        def change(table: Table, actor: Actor) -> None:
            category = category_for(input.level1, input.level2)
            full_year = i.value_of("fullYear", input.full_year)
            assert full_year is not None
            item = Indicator(
                id=uuid.uuid4().hex[:12],
                level1=category.level1,
                level1_code=category.level1_code,
                level2=category.level2,
                level2_code=category.level2_code,
                name=i.name_of("name", input.name),
                half_year=i.value_of("halfYear", input.half_year),
                full_year=full_year,
            )
            table.add_indicator(item, _position(table, input.position), actor, _reason(input))

        return await _edit(info, input, change)

    @strawberry.mutation
    async def set_indicator_value(self, info: Info, input: i.SetIndicatorValueInput) -> EditResult:
        return await _edit(
            info,
            input,
            lambda table, actor: table.set_indicator_value(
                input.indicator_id,
                Period(input.period),
                i.value_of("value", input.value),
                actor,
                _reason(input),
            ),
        )

    @strawberry.mutation
    async def rename_indicator(self, info: Info, input: i.RenameIndicatorInput) -> EditResult:
        return await _edit(
            info,
            input,
            lambda table, actor: table.rename_indicator(
                input.indicator_id, i.name_of("name", input.name), actor, _reason(input)
            ),
        )

    @strawberry.mutation
    async def move_indicator(self, info: Info, input: i.MoveIndicatorInput) -> EditResult:
        return await _edit(
            info,
            input,
            lambda table, actor: table.move_indicator(
                input.indicator_id,
                category_for(input.level1, input.level2),
                actor,
                _reason(input),
            ),
        )

    @strawberry.mutation
    async def remove_indicator(self, info: Info, input: i.RemoveIndicatorInput) -> EditResult:
        return await _edit(
            info,
            input,
            lambda table, actor: table.remove_indicator(input.indicator_id, actor, _reason(input)),
        )

    @strawberry.mutation
    async def submit_table(self, info: Info, input: i.SubmitTableInput) -> EditResult:
        return await _edit(info, input, lambda table, actor: table.submit(actor, _reason(input)))

    @strawberry.mutation
    async def open_adjustment(self, info: Info, input: i.OpenAdjustmentInput) -> EditResult:
        return await _edit(
            info, input, lambda table, actor: table.open_adjustment(actor, _reason(input))
        )

    @strawberry.mutation
    async def approve_submission(self, info: Info, input: i.ApproveSubmissionInput) -> EditResult:
        child = await _decide(
            info,
            input.table_id,
            lambda received, actor: received.approve(
                input.version, i.text_of("comment", input.comment), actor
            ),
        )
        if child is not None:
            return child
        return await _command(
            info,
            input.table_id,
            input.version,
            Operation.REVIEW,
            lambda table, actor: table.approve(
                input.version, i.text_of("comment", input.comment), actor
            ),
        )

    @strawberry.mutation
    async def return_submission(self, info: Info, input: i.ReturnSubmissionInput) -> EditResult:
        def change(table: Table | ReceivedTable, actor: Actor) -> None:
            comments = {
                item.indicator_id: i.text_of("comment", item.comment) or ""
                for item in input.indicator_comments
            }
            reason = i.text_of("reason", input.reason) or ""
            table.return_for_changes(input.version, reason, comments, actor)

        child = await _decide(info, input.table_id, change)
        if child is not None:
            return child
        return await _command(info, input.table_id, input.version, Operation.REVIEW, change)


def _existing_line(table: Table, index: int) -> int:
    count = len(table.content.expenditures)
    if not 0 <= index < count:
        raise InvalidArgument("index", f"no expenditure line {index}; the table has {count}")
    return index


def _position(table: Table, position: int | None) -> int | None:
    count = len(table.content.indicators)
    if position is not None and not 0 <= position <= count:
        raise InvalidArgument("position", f"position {position} is outside 0..{count}")
    return position
