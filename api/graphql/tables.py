"""One table as GraphQL shows it: current (from the read model) or at a past version."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

import strawberry
from strawberry.scalars import JSON

from api.graphql.types import (
    Category,
    Expenditure,
    Finding,
    Form,
    Funds,
    Goals,
    Indicator,
    Kind,
    Project,
    Review,
    Status,
    TableEvent,
)
from domain import model
from domain.document import TableDocument, document_of
from domain.table import TargetTable
from projections.base import finding_counts
from projections.current import decision_from_json
from projections.documents import document_from_json, document_json

if TYPE_CHECKING:
    from api.graphql.context import Context


@dataclass(frozen=True)
class Stored:
    """A table's full content, as one version of it said."""

    document: TableDocument
    decision: model.Decision | None
    note: model.SubmissionNote = field(default_factory=model.SubmissionNote)

    @classmethod
    def from_row(cls, row: Any) -> Stored:
        note = model.SubmissionNote(row.submit_reason, row.adjustment_reason)
        return cls(document_from_json(row.document), decision_from_json(row.decision), note)


@strawberry.type(name="TargetTable")
class TargetTableType:
    """One project's target table, current or as it stood at a past version."""

    id: strawberry.ID
    name: str
    version: int
    status: Status
    jurisdiction: str
    fiscal_year: int
    form: Form
    kind: Kind
    funds_total: str | None
    indicator_count: int
    error_count: int
    warning_count: int
    updated_at: str | None
    stored: strawberry.Private[Stored | None] = None
    current: strawberry.Private[bool] = True
    row: strawberry.Private[Any] = None

    @classmethod
    def from_row(cls, row: Any, with_document: bool = False) -> TargetTableType:
        """A row of the current tables projection; without its document, it loads on demand."""
        return cls(
            row=row if with_document else None,
            id=strawberry.ID(row.id),
            name=row.name,
            version=row.version,
            status=model.Status(row.status),
            jurisdiction=row.jurisdiction,
            fiscal_year=row.fiscal_year,
            form=model.Form(row.form),
            kind=model.Kind(row.kind),
            funds_total=row.funds_total,
            indicator_count=row.indicator_count,
            error_count=row.error_count,
            warning_count=row.warning_count,
            updated_at=row.updated_at,
        )

    @classmethod
    def from_aggregate(cls, table: TargetTable, current: bool) -> TargetTableType:
        document = document_of(table)
        errors, warnings = finding_counts(document)
        return cls(
            id=strawberry.ID(str(table.id)),
            name=document.project.name,
            version=table.version,
            status=table.status,
            jurisdiction=table.jurisdiction,
            fiscal_year=table.fiscal_year,
            form=table.form,
            kind=document.project.kind,
            funds_total=None if document.funds.total is None else str(document.funds.total),
            indicator_count=len(document.indicators),
            error_count=errors,
            warning_count=warnings,
            updated_at=None,
            stored=Stored(document, table.decision, table.note),
            current=current,
        )

    @classmethod
    def from_submission(cls, row: Any) -> TargetTableType:
        """A child's table as submitted to this node, with the status of its review."""
        document = document_from_json(row.document)
        return cls(
            id=strawberry.ID(row.table_id),
            name=row.name,
            version=row.version,
            status=model.Status(row.status),
            jurisdiction=row.jurisdiction,
            fiscal_year=row.fiscal_year,
            form=document.form,
            kind=document.project.kind,
            funds_total=None if document.funds.total is None else str(document.funds.total),
            indicator_count=len(document.indicators),
            error_count=row.error_count,
            warning_count=row.warning_count,
            updated_at=row.decided_at or row.submitted_at,
            stored=Stored(document, None),
            current=False,
        )

    async def _stored(self, info: strawberry.Info[Context, None]) -> Stored:
        if self.stored is None and self.row is not None:
            self.stored = Stored.from_row(self.row)
        if self.stored is None:
            self.stored = await info.context.loaders.stored.load(str(self.id))
        return self.stored

    @strawberry.field
    async def document(self, info: strawberry.Info[Context, None]) -> JSON:
        """The table document (schema 1), the same JSON as export and sync."""
        stored = await self._stored(info)
        return cast(JSON, json.loads(document_json(stored.document)))

    @strawberry.field
    async def project(self, info: strawberry.Info[Context, None]) -> Project:
        return Project.from_project((await self._stored(info)).document.project)

    @strawberry.field
    async def funds(self, info: strawberry.Info[Context, None]) -> Funds:
        return Funds.from_funds((await self._stored(info)).document.funds)

    @strawberry.field
    async def expenditures(self, info: strawberry.Info[Context, None]) -> list[Expenditure]:
        lines = (await self._stored(info)).document.expenditures
        return [
            Expenditure(
                name=line.name,
                half_year=None if line.half_year is None else str(line.half_year),
                full_year=str(line.full_year),
            )
            for line in lines
        ]

    @strawberry.field
    async def goals(self, info: strawberry.Info[Context, None]) -> Goals:
        goals = (await self._stored(info)).document.goals
        return Goals(long_term=goals.long_term, annual=goals.annual)

    @strawberry.field
    async def indicators(self, info: strawberry.Info[Context, None]) -> list[Indicator]:
        items = (await self._stored(info)).document.indicators
        return [Indicator.from_indicator(item) for item in items]

    @strawberry.field
    async def empty_categories(self, info: strawberry.Info[Context, None]) -> list[Category]:
        items = (await self._stored(info)).document.empty_categories
        return [
            Category(
                level1=i.level1,
                level1_code=i.level1_code,
                level2=i.level2,
                level2_code=i.level2_code,
            )
            for i in items
        ]

    @strawberry.field
    async def findings(self, info: strawberry.Info[Context, None]) -> list[Finding]:
        items = (await self._stored(info)).document.findings
        return [Finding.from_finding(item) for item in items]

    @strawberry.field
    async def review(self, info: strawberry.Info[Context, None]) -> Review | None:
        """The reviewer's latest decision (return comments stay visible while it is edited)."""
        decision = (await self._stored(info)).decision
        return None if decision is None else Review.from_decision(decision)

    @strawberry.field
    async def timeline(self, info: strawberry.Info[Context, None]) -> list[TableEvent]:
        """Every event up to this version, oldest first."""
        entries = await info.context.loaders.timelines.load(str(self.id))
        return [event for event in entries if event.version <= self.version]
