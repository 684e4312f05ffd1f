"""Reads: parse the arguments, call the use case with the caller, present the rows."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from uuid import UUID

import strawberry
from graphql import GraphQLError

from api.graphql.context import Context, blocking
from api.graphql.listings import (
    Edge,
    IndicatorHit,
    IndicatorHitConnection,
    Rollup,
    SubmissionConnection,
    SubmissionType,
    TableConnection,
)
from api.graphql.reports import MonitoringRoundType, SelfEvaluationType
from api.graphql.tables import TargetTableType
from api.graphql.types import ActorType, BlameLine, ChangeType, Kind, Status, TableEvent
from domain.access import Operation
from domain.errors import Forbidden
from domain.model import Actor
from domain.reports import Stage
from projections.reads import IndicatorFilter, TableFilter
from service_layer.errors import InvalidArgument, Unauthenticated, UnknownTable
from service_layer.parsing import table_id_of
from service_layer.report_inputs import month_of
from service_layer.reports import ReportView, UnknownReport

Info = strawberry.Info[Context, None]


@contextmanager
def refused_as_errors() -> Iterator[None]:
    """A refused read becomes a GraphQL error with a machine-readable code."""
    try:
        yield
    except (Forbidden, Unauthenticated) as error:
        raise GraphQLError(str(error), extensions={"code": "FORBIDDEN"}) from None
    except (InvalidArgument, UnknownTable) as error:
        raise GraphQLError(
            str(error), extensions={"code": "INVALID_INPUT", "field": error.field}
        ) from None


@strawberry.type
class Query:
    @strawberry.field
    def me(self, info: Info) -> ActorType:
        with refused_as_errors():
            return ActorType.from_actor(info.context.services.reading.who(info.context.actor))

    @strawberry.field
    async def tables(
        self,
        info: Info,
        jurisdiction: str | None = None,
        fiscal_year: int | None = None,
        status: Status | None = None,
        kind: Kind | None = None,
        search: str | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> TableConnection:
        reading, actor = info.context.services.reading, info.context.actor
        where = TableFilter(
            jurisdiction=jurisdiction,
            fiscal_year=fiscal_year,
            status=None if status is None else Status(status).value,
            kind=None if kind is None else Kind(kind).value,
            search=search,
        )
        with refused_as_errors():
            page = await blocking(reading.tables, actor, where, first, _after("table", after))
        edges = [
            Edge(cursor=_cursor("table", row.seq), node=TargetTableType.from_row(row))
            for row in page.rows
        ]
        return TableConnection.of(page.total, page.has_next, edges)

    @strawberry.field
    async def table(
        self,
        info: Info,
        id: strawberry.ID,
        version: int | None = None,
        as_of: datetime | None = None,
    ) -> TargetTableType | None:
        """The table now (from the read model), at a past version, or as it stood at a time."""
        services, actor = info.context.services, info.context.actor
        with refused_as_errors():
            table_id = table_id_of(id)
            if version is None and as_of is None:
                row = await info.context.table_row(str(table_id))
                return TargetTableType.from_row(row, with_document=True)
            past = await blocking(services.history.table, actor, table_id, version, as_of)
        return TargetTableType.from_aggregate(past, current=False)

    @strawberry.field
    async def indicators(
        self,
        info: Info,
        level1_code: str | None = None,
        level2_code: str | None = None,
        search: str | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> IndicatorHitConnection:
        """Indicators across the node's current tables, e.g. every 满意度 target."""
        reading, actor = info.context.services.reading, info.context.actor
        with refused_as_errors():
            where = IndicatorFilter(level1_code, level2_code, search)
            page = await blocking(reading.indicators, actor, where, first, _indicator_after(after))
        edges = [
            Edge(
                cursor=_cursor("indicator", f"{row.table_id}:{row.position}"),
                node=IndicatorHit.from_row(row),
            )
            for row in page.rows
        ]
        return IndicatorHitConnection.of(page.total, page.has_next, edges)

    @strawberry.field
    async def diff(
        self, info: Info, table_id: strawberry.ID, from_version: int, to_version: int
    ) -> list[ChangeType]:
        """Exactly what differs between two versions (auditors and admins)."""
        history, actor = info.context.services.history, info.context.actor
        with refused_as_errors():
            identity = table_id_of(table_id)
            found = await blocking(history.diff, actor, identity, from_version, to_version)
        return [ChangeType.from_change(item) for item in found]

    @strawberry.field
    async def blame(self, info: Info, table_id: strawberry.ID) -> list[BlameLine]:
        """For every field and value, the event that last set it (auditors and admins)."""
        history, actor = info.context.services.history, info.context.actor
        with refused_as_errors():
            lines = await blocking(history.blame, actor, table_id_of(table_id))
        return [BlameLine.from_line(line) for line in lines]

    @strawberry.field
    async def timeline(self, info: Info, table_id: strawberry.ID) -> list[TableEvent]:
        with refused_as_errors():
            info.context.services.gate.check(info.context.actor, Operation.READ)
            key = str(table_id_of(table_id))
        return await info.context.loaders.timelines.load(key)

    @strawberry.field
    async def inbox(
        self,
        info: Info,
        status: Status | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> SubmissionConnection:
        reading, actor = info.context.services.reading, info.context.actor
        wanted = None if status is None else Status(status).value
        with refused_as_errors():
            page = await blocking(reading.inbox, actor, wanted, first, _after("submission", after))
        edges = [
            Edge(cursor=_cursor("submission", row.seq), node=SubmissionType.from_row(row))
            for row in page.rows
        ]
        return SubmissionConnection.of(page.total, page.has_next, edges)

    @strawberry.field
    async def monitoring(
        self, info: Info, table_id: strawberry.ID, through_month: int
    ) -> MonitoringRoundType | None:
        """The monitoring round of a table to month ``throughMonth``: the node's own, or a
        child's as received here; null until it is opened (or, above, submitted)."""
        services, actor = info.context.services, info.context.actor
        with refused_as_errors():
            identity, month = table_id_of(table_id), month_of("throughMonth", through_month)
            found = await blocking(_report, services.reports.report, actor, identity, month)
        return None if found is None else MonitoringRoundType.from_view(found)

    @strawberry.field
    async def monitoring_rounds(
        self, info: Info, table_id: strawberry.ID
    ) -> list[MonitoringRoundType]:
        """Every monitoring round of a table on this node, by cut-off month."""
        services, actor = info.context.services, info.context.actor
        with refused_as_errors():
            identity = table_id_of(table_id)
            found = await blocking(services.reports.rounds_of, actor, identity)
        return [MonitoringRoundType.from_view(view) for view in found]

    @strawberry.field
    async def watched_rounds(
        self, info: Info, through_month: int | None = None
    ) -> list[MonitoringRoundType]:
        """重点监控: the rounds on this node (own and received) the jurisdiction's rule lists."""
        services, actor = info.context.services, info.context.actor
        with refused_as_errors():
            month = None if through_month is None else month_of("throughMonth", through_month)
            found = await blocking(services.reports.watched, actor, month)
        return [MonitoringRoundType.from_view(view) for view in found]

    @strawberry.field
    async def self_evaluation(
        self, info: Info, table_id: strawberry.ID
    ) -> SelfEvaluationType | None:
        """The self-evaluation of a table (the node's own, or a child's as received here);
        null until it is opened (or, above, submitted)."""
        services, actor = info.context.services, info.context.actor
        with refused_as_errors():
            identity = table_id_of(table_id)
            found = await blocking(_report, services.reports.report, actor, identity, None)
        return None if found is None else SelfEvaluationType.from_view(found)

    @strawberry.field
    async def rollups(self, info: Info, fiscal_year: int | None = None) -> list[Rollup]:
        reading, actor = info.context.services.reading, info.context.actor
        with refused_as_errors():
            rows = await blocking(reading.rollups, actor, fiscal_year)
        return [Rollup.from_row(row) for row in rows]


def _report(
    read: Callable[[Actor | None, Stage, UUID, int | None], ReportView],
    actor: Actor | None,
    table_id: UUID,
    through_month: int | None,
) -> ReportView | None:
    """A monitoring round (with its month) or the self-evaluation; None when there is none."""
    stage = Stage.SELF_EVALUATION if through_month is None else Stage.MONITORING
    try:
        return read(actor, stage, table_id, through_month)
    except UnknownReport:
        return None


# The read models keep positions as INTEGER: 32 bits in PostgreSQL (the views' ``seq``).
MAX_POSITION = 2**31 - 1


def _cursor(kind: str, key: int | str) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{key}".encode()).decode()


def _cursor_key(kind: str, cursor: str) -> str:
    try:
        prefix, _, key = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        prefix, key = "", ""
    if prefix != kind or not key:
        raise InvalidArgument("after", f"{cursor!r} is not a {kind} cursor from this API")
    return key


def _position(text: str) -> int | None:
    """A position inside a cursor: plain ASCII digits that fit the database's integers."""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_POSITION)):
        return None
    position = int(text)
    return position if position <= MAX_POSITION else None


def _after(kind: str, cursor: str | None) -> int | None:
    if cursor is None:
        return None
    position = _position(_cursor_key(kind, cursor))
    if position is None:
        raise InvalidArgument("after", f"{cursor!r} is not a {kind} cursor from this API")
    return position


def _indicator_after(cursor: str | None) -> tuple[str, int] | None:
    if cursor is None:
        return None
    table_id, _, text = _cursor_key("indicator", cursor).rpartition(":")
    position = _position(text)
    if not table_id or position is None:
        raise InvalidArgument("after", f"{cursor!r} is not an indicator cursor from this API")
    return table_id, position
