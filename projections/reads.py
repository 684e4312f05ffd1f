"""Queries over the read models, in batches: what the API reads, and all it reads."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Engine, Select, func, literal, select, tuple_

from domain.history import Change
from domain.model import Actor, Role
from projections.schema import inbox, indicators, parked, rollups, tables, timeline
from projections.timeline import changes_from_json

SUMMARY_COLUMNS = [
    column for column in tables.c if column.name not in {"document", "decision", "search"}
]


@dataclass(frozen=True)
class TableFilter:
    jurisdiction: str | None = None
    fiscal_year: int | None = None
    status: str | None = None
    kind: str | None = None
    search: str | None = None


@dataclass(frozen=True)
class IndicatorFilter:
    level1_code: str | None = None
    level2_code: str | None = None
    search: str | None = None


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    total: int
    has_next: bool


@dataclass(frozen=True)
class Submissions:
    """Every submitted version of one table in the inbox, oldest first, each with the
    decision taken on it."""

    rows: list[Any]


@dataclass(frozen=True)
class TimelineEntry:
    table_id: str
    version: int
    event_type: str
    at: str
    actor_id: str
    actor_name: str
    actor_role: str
    actor_jurisdiction: str
    reason: str | None
    changes: list[Change]

    @property
    def actor(self) -> Actor:
        return Actor(self.actor_id, self.actor_name, Role(self.actor_role), self.actor_jurisdiction)


class ReadModel:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def tables(self, where: TableFilter, first: int, after: int | None) -> Page:
        conditions = _table_conditions(where)
        listing = select(*SUMMARY_COLUMNS).where(*conditions).order_by(tables.c.seq)
        counting = select(func.count()).select_from(tables).where(*conditions)
        return self._page(listing, counting, tables.c.seq, first, after)

    def table_summaries(self, ids: Sequence[str]) -> dict[str, Any]:
        return self._by_id(select(*SUMMARY_COLUMNS).where(tables.c.id.in_(ids)))

    def table_rows(self, ids: Sequence[str]) -> dict[str, Any]:
        """Whole rows, document included: one query for a single-table read."""
        return self._by_id(select(tables).where(tables.c.id.in_(ids)))

    def table_documents(self, ids: Sequence[str]) -> dict[str, Any]:
        statement = select(
            tables.c.id,
            tables.c.version,
            tables.c.document,
            tables.c.decision,
            tables.c.submit_reason,
            tables.c.adjustment_reason,
        )
        return self._by_id(statement.where(tables.c.id.in_(ids)))

    def indicators(self, where: IndicatorFilter, first: int, after: tuple[str, int] | None) -> Page:
        """Indicators across the node's tables, in table and printed order."""
        conditions = _indicator_conditions(where)
        key = tuple_(indicators.c.table_id, indicators.c.position)
        listing = (
            select(indicators, tables.c.name.label("table_name"))
            .join(tables, tables.c.id == indicators.c.table_id)
            .where(*conditions)
            .order_by(indicators.c.table_id, indicators.c.position)
        )
        if after is not None:
            listing = listing.where(key > tuple_(literal(after[0]), literal(after[1])))
        counting = select(func.count()).select_from(indicators).where(*conditions)
        with self.engine.connect() as connection:
            rows = list(connection.execute(listing.limit(first + 1)))
            total = int(connection.scalar(counting) or 0)
        return Page(rows[:first], total, len(rows) > first)

    def timelines(self, table_ids: Sequence[str]) -> dict[str, list[TimelineEntry]]:
        statement = (
            select(timeline)
            .where(timeline.c.table_id.in_(table_ids))
            .order_by(timeline.c.table_id, timeline.c.version)
        )
        grouped: dict[str, list[TimelineEntry]] = defaultdict(list)
        with self.engine.connect() as connection:
            for row in connection.execute(statement):
                values = row._asdict()
                values.pop("seq")
                values["changes"] = changes_from_json(values["changes"])
                grouped[row.table_id].append(TimelineEntry(**values))
        return grouped

    def version_at(self, table_id: str, moment: str) -> int | None:
        """The table's version at ``moment`` (UTC ISO text): the last event at or before it."""
        statement = select(func.max(timeline.c.version)).where(
            timeline.c.table_id == table_id, timeline.c.at <= moment
        )
        with self.engine.connect() as connection:
            found = connection.scalar(statement)
        return None if found is None else int(found)

    def inbox(self, status: str | None, first: int, after: int | None) -> Page:
        conditions = [inbox.c.status == status] if status else []
        listing = select(inbox).where(*conditions).order_by(inbox.c.seq)
        counting = select(func.count()).select_from(inbox).where(*conditions)
        return self._page(listing, counting, inbox.c.seq, first, after)

    def submission(self, origin: str, version: int) -> Any:
        """One inbox entry: the submitted version of a table as it was received."""
        statement = select(inbox).where(inbox.c.origin == origin, inbox.c.version == version)
        with self.engine.connect() as connection:
            return connection.execute(statement).one()

    def table_submissions(self, table_id: str) -> Submissions:
        """The inbox entries of one table (to compare a version with the one before it)."""
        entries = select(inbox).where(inbox.c.table_id == table_id).order_by(inbox.c.version)
        with self.engine.connect() as connection:
            return Submissions(list(connection.execute(entries)))

    def parked(self, status: str | None) -> list[Any]:
        statement = select(parked).order_by(parked.c.seq)
        if status:
            statement = statement.where(parked.c.status == status)
        with self.engine.connect() as connection:
            return list(connection.execute(statement))

    def parked_counts(self) -> dict[tuple[str, str], int]:
        """How many parked messages and refused decisions there are, by (kind, status)."""
        statement = select(parked.c.kind, parked.c.status, func.count()).group_by(
            parked.c.kind, parked.c.status
        )
        with self.engine.connect() as connection:
            return {(kind, status): count for kind, status, count in connection.execute(statement)}

    def rollups(self, jurisdiction: str | None, fiscal_year: int | None) -> list[Any]:
        statement = select(rollups).order_by(*rollups.primary_key.columns)
        if jurisdiction:
            statement = statement.where(rollups.c.jurisdiction == jurisdiction)
        if fiscal_year:
            statement = statement.where(rollups.c.fiscal_year == fiscal_year)
        with self.engine.connect() as connection:
            return list(connection.execute(statement))

    def _page(
        self,
        listing: Select[Any],
        counting: Select[Any],
        key: ColumnElement[int],
        first: int,
        after: int | None,
    ) -> Page:
        if after is not None:
            listing = listing.where(key > after)
        with self.engine.connect() as connection:
            rows = list(connection.execute(listing.limit(first + 1)))
            total = int(connection.scalar(counting) or 0)
        return Page(rows[:first], total, len(rows) > first)

    def _by_id(self, statement: Select[Any]) -> dict[str, Any]:
        with self.engine.connect() as connection:
            return {row.id: row for row in connection.execute(statement)}


def _indicator_conditions(where: IndicatorFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if where.level1_code:
        conditions.append(indicators.c.level1_code == where.level1_code)
    if where.level2_code:
        conditions.append(indicators.c.level2_code == where.level2_code)
    if where.search:
        conditions.append(indicators.c.name.ilike(_contains(where.search), escape="\\"))
    return conditions


def _contains(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _table_conditions(where: TableFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if where.jurisdiction:
        conditions.append(tables.c.jurisdiction == where.jurisdiction)
    if where.fiscal_year:
        conditions.append(tables.c.fiscal_year == where.fiscal_year)
    if where.status:
        conditions.append(tables.c.status == where.status)
    if where.kind:
        conditions.append(tables.c.kind == where.kind)
    if where.search:
        conditions.append(tables.c.search.ilike(_contains(where.search), escape="\\"))
    return conditions
