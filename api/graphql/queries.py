"""Reads: listings and tables from the projections, past versions from the event store."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import strawberry
from eventsourcing.application import AggregateNotFoundError
from graphql import GraphQLError

from api.graphql.context import Context, blocking
from api.graphql.inputs import table_id_of, text_of
from api.graphql.results import InvalidArgument
from api.graphql.types import (
    ActorType,
    BlameLine,
    Change,
    IndicatorHit,
    IndicatorHitConnection,
    IndicatorHitEdge,
    Kind,
    PageInfo,
    Rollup,
    Status,
    Submission,
    SubmissionConnection,
    SubmissionEdge,
    TableConnection,
    TableEdge,
    TableEvent,
    TargetTable,
)
from domain.access import Operation
from domain.errors import Forbidden
from domain.model import Kind as DomainKind
from domain.model import Status as DomainStatus
from projections.reads import IndicatorFilter, TableFilter

Info = strawberry.Info[Context, None]
MAX_PAGE = 100


@contextmanager
def refused_as_errors() -> Iterator[None]:
    """A refused read becomes a GraphQL error with a machine-readable code."""
    try:
        yield
    except Forbidden as error:
        raise GraphQLError(str(error), extensions={"code": "FORBIDDEN"}) from None
    except InvalidArgument as error:
        raise GraphQLError(
            str(error), extensions={"code": "INVALID_INPUT", "field": error.field}
        ) from None


@strawberry.type
class Query:
    @strawberry.field
    def me(self, info: Info) -> ActorType:
        return ActorType.from_actor(info.context.who())

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
        with refused_as_errors():
            info.context.check(Operation.READ)
            where = TableFilter(
                jurisdiction=jurisdiction,
                fiscal_year=fiscal_year,
                status=None if status is None else DomainStatus(status).value,
                kind=None if kind is None else DomainKind(kind).value,
                search=text_of("search", search, 200),
            )
            page = await blocking(
                info.context.services.reads.tables, where, _first(first), _after("table", after)
            )
        edges = [
            TableEdge(cursor=_cursor("table", row.seq), node=TargetTable.from_row(row))
            for row in page.rows
        ]
        return TableConnection(
            total_count=page.total,
            edges=edges,
            page_info=_page_info(page.has_next, [edge.cursor for edge in edges]),
        )

    @strawberry.field
    async def table(
        self,
        info: Info,
        id: strawberry.ID,
        version: int | None = None,
        as_of: datetime | None = None,
    ) -> TargetTable | None:
        services = info.context.services
        with refused_as_errors():
            info.context.check(Operation.READ)
            table_id = str(table_id_of(id))
            rows = await info.context.table_rows([table_id])
            if table_id not in rows:
                raise InvalidArgument("id", f"no table {table_id} in {services.place.code}")
            current = rows[table_id]
            if as_of is not None:
                version = await _version_at(info, table_id, as_of, version)
            if version is None or version == current.version:
                return TargetTable.from_row(current, with_document=True)
            if not 1 <= version <= current.version:
                raise InvalidArgument(
                    "version", f"table {table_id} has versions 1..{current.version}, not {version}"
                )
            try:
                past = await blocking(services.app.table, table_id_of(id), version)
            except AggregateNotFoundError:
                raise InvalidArgument("version", f"no version {version} of {table_id}") from None
        return TargetTable.from_aggregate(past, current=False)

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
        with refused_as_errors():
            info.context.check(Operation.READ)
            where = IndicatorFilter(level1_code, level2_code, text_of("search", search, 200))
            page = await blocking(
                info.context.services.reads.indicators,
                where,
                _first(first),
                _indicator_after(after),
            )
        edges = [
            IndicatorHitEdge(
                cursor=_cursor("indicator", f"{row.table_id}:{row.position}"),
                node=IndicatorHit.from_row(row),
            )
            for row in page.rows
        ]
        return IndicatorHitConnection(
            total_count=page.total,
            edges=edges,
            page_info=_page_info(page.has_next, [edge.cursor for edge in edges]),
        )

    @strawberry.field
    async def diff(
        self, info: Info, table_id: strawberry.ID, from_version: int, to_version: int
    ) -> list[Change]:
        """Exactly what differs between two versions (auditors and admins)."""
        services = info.context.services
        with refused_as_errors():
            info.context.check(Operation.AUDIT)
            identity = table_id_of(table_id)
            current = await _current_version(info, str(identity))
            for name, version in (("fromVersion", from_version), ("toVersion", to_version)):
                if not 1 <= version <= current:
                    raise InvalidArgument(
                        name, f"the table has versions 1..{current}, not {version}"
                    )
        found = await blocking(services.audit.diff, identity, from_version, to_version)
        return [Change.from_change(item) for item in found]

    @strawberry.field
    async def blame(self, info: Info, table_id: strawberry.ID) -> list[BlameLine]:
        """For every field and value, the event that last set it (auditors and admins)."""
        with refused_as_errors():
            info.context.check(Operation.AUDIT)
            identity = table_id_of(table_id)
            await _current_version(info, str(identity))
        lines = await blocking(info.context.services.audit.blame, identity)
        return [BlameLine.from_line(line) for line in lines]

    @strawberry.field
    async def timeline(self, info: Info, table_id: strawberry.ID) -> list[TableEvent]:
        with refused_as_errors():
            info.context.check(Operation.READ)
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
        with refused_as_errors():
            info.context.check(Operation.REVIEW_READ)
            wanted = None if status is None else DomainStatus(status).value
            page = await blocking(
                info.context.services.reads.inbox,
                wanted,
                _first(first),
                _after("submission", after),
            )
        edges = [
            SubmissionEdge(cursor=_cursor("submission", row.seq), node=Submission.from_row(row))
            for row in page.rows
        ]
        return SubmissionConnection(
            total_count=page.total,
            edges=edges,
            page_info=_page_info(page.has_next, [edge.cursor for edge in edges]),
        )

    @strawberry.field
    async def rollups(self, info: Info, fiscal_year: int | None = None) -> list[Rollup]:
        with refused_as_errors():
            info.context.check(Operation.READ)
        rows = await blocking(info.context.services.reads.rollups, None, fiscal_year)
        return [Rollup.from_row(row) for row in rows]


async def _current_version(info: Info, table_id: str) -> int:
    rows = await blocking(info.context.services.reads.table_summaries, [table_id])
    if table_id not in rows:
        raise InvalidArgument(
            "tableId", f"no table {table_id} in {info.context.services.place.code}"
        )
    return int(rows[table_id].version)


async def _version_at(info: Info, table_id: str, moment: datetime, version: int | None) -> int:
    if version is not None:
        raise InvalidArgument("asOf", "give either version or asOf, not both")
    if moment.tzinfo is None:
        raise InvalidArgument("asOf", "asOf needs a time zone, e.g. 2026-03-01T09:00:00+08:00")
    stamp = moment.astimezone(UTC).isoformat(timespec="microseconds")
    found = await blocking(info.context.services.reads.version_at, table_id, stamp)
    if found is None:
        raise InvalidArgument("asOf", f"table {table_id} did not exist yet at {moment.isoformat()}")
    return found


def _page_info(has_next: bool, cursors: list[str]) -> PageInfo:
    return PageInfo(has_next_page=has_next, end_cursor=cursors[-1] if cursors else None)


def _first(first: int) -> int:
    if not 1 <= first <= MAX_PAGE:
        raise InvalidArgument("first", f"first must be between 1 and {MAX_PAGE}, not {first}")
    return first


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


def _after(kind: str, cursor: str | None) -> int | None:
    if cursor is None:
        return None
    key = _cursor_key(kind, cursor)
    if not key.isdigit():
        raise InvalidArgument("after", f"{cursor!r} is not a {kind} cursor from this API")
    return int(key)


def _indicator_after(cursor: str | None) -> tuple[str, int] | None:
    if cursor is None:
        return None
    table_id, _, position = _cursor_key("indicator", cursor).rpartition(":")
    if not table_id or not position.isdigit():
        raise InvalidArgument("after", f"{cursor!r} is not an indicator cursor from this API")
    return table_id, int(position)
