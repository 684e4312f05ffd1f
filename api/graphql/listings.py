"""Lists: one generic connection for every paged list, and the rows listed."""

from __future__ import annotations

import json
from typing import Any, Generic, Self, TypeVar, cast

import strawberry
from strawberry.scalars import JSON

from api.graphql.tables import TargetTableType
from api.graphql.types import Finding, Indicator, Kind, Status
from domain import model
from domain.submission import EntryStatus
from projections.current import value_from_json

T = TypeVar("T")


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    total_count: int
    edges: list[Edge[T]]
    page_info: PageInfo

    @classmethod
    def of(cls, total: int, has_next: bool, edges: list[Edge[T]]) -> Self:
        end = edges[-1].cursor if edges else None
        return cls(
            total_count=total,
            edges=edges,
            page_info=PageInfo(has_next_page=has_next, end_cursor=end),
        )


@strawberry.type(name="Submission")
class SubmissionType:
    """One submitted version of a table, as the reviewer received it."""

    table_id: strawberry.ID
    version: int
    jurisdiction: str
    fiscal_year: int
    name: str
    status: EntryStatus
    submitted_at: str
    submitted_by: str
    decided_at: str | None
    decided_by: str | None
    error_count: int
    warning_count: int
    chain_head: str | None
    history_mismatch: str | None = strawberry.field(
        description="set when the child's earlier submitted history no longer matches"
    )
    submit_reason: str | None = strawberry.field(description="the clerk's 提交说明")
    adjustment_reason: str | None = strawberry.field(
        description="the 申请调整 reason when this version adjusts an approved table"
    )
    document_text: strawberry.Private[str]

    @strawberry.field
    def is_adjustment(self) -> bool:
        """Whether this version adjusts an approved table (an adjustment always has a reason)."""
        return self.adjustment_reason is not None

    @classmethod
    def from_row(cls, row: Any) -> SubmissionType:
        return cls(
            table_id=strawberry.ID(row.table_id),
            version=row.version,
            jurisdiction=row.jurisdiction,
            fiscal_year=row.fiscal_year,
            name=row.name,
            status=EntryStatus(row.status),
            submitted_at=row.submitted_at,
            submitted_by=row.submitted_by,
            decided_at=row.decided_at,
            decided_by=row.decided_by,
            error_count=row.error_count,
            warning_count=row.warning_count,
            chain_head=row.chain_head,
            history_mismatch=row.history_mismatch,
            submit_reason=row.submit_reason,
            adjustment_reason=row.adjustment_reason,
            document_text=row.document,
        )

    @strawberry.field
    def document(self) -> JSON:
        return cast(JSON, json.loads(self.document_text))

    @strawberry.field
    def findings(self) -> list[Finding]:
        found = json.loads(self.document_text).get("findings", [])
        return [Finding(**item) for item in found]


@strawberry.type
class IndicatorHit:
    """An indicator found by a search across tables, with the table it belongs to."""

    table_id: strawberry.ID
    table_name: str
    indicator: Indicator

    @classmethod
    def from_row(cls, row: Any) -> IndicatorHit:
        full_year = value_from_json(row.full_year)
        if full_year is None:
            raise ValueError(f"indicator {row.indicator_id} is stored without a full-year value")
        item = model.Indicator(
            id=row.indicator_id,
            level1=row.level1,
            level1_code=row.level1_code,
            level2=row.level2,
            level2_code=row.level2_code,
            name=row.name,
            half_year=value_from_json(row.half_year),
            full_year=full_year,
        )
        return cls(
            table_id=strawberry.ID(row.table_id),
            table_name=row.table_name,
            indicator=Indicator.from_indicator(item),
        )


@strawberry.type(name="TableConnection")
class TableConnection(Connection[TargetTableType]):
    pass


@strawberry.type(name="SubmissionConnection")
class SubmissionConnection(Connection[SubmissionType]):
    pass


@strawberry.type(name="IndicatorHitConnection")
class IndicatorHitConnection(Connection[IndicatorHit]):
    pass


@strawberry.type
class Rollup:
    jurisdiction: str
    fiscal_year: int
    kind: Kind
    status: Status
    tables: int
    funds_total: str
    indicators: int

    @classmethod
    def from_row(cls, row: Any) -> Rollup:
        return cls(
            jurisdiction=row.jurisdiction,
            fiscal_year=row.fiscal_year,
            kind=model.Kind(row.kind),
            status=model.Status(row.status),
            tables=row.tables,
            funds_total=row.funds_total,
            indicators=row.indicators,
        )
