"""GraphQL output types, built from domain objects and read-model rows by ``from_*`` methods."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import strawberry
from strawberry.scalars import JSON

from domain import model, vocabulary
from domain import values as domain_values
from domain.document import TableDocument, document_of
from domain.findings import Finding as DomainFinding
from domain.history import Change as DomainChange
from domain.table import TargetTable as DomainTable
from projections.base import finding_counts
from projections.current import decision_from_json, value_from_json
from projections.documents import document_from_json, document_json
from projections.reads import TimelineEntry
from service_layer.history import BlameLine as AuditLine

if TYPE_CHECKING:
    from api.graphql.context import Context

strawberry.enum(model.Status, name="TableStatus")
strawberry.enum(model.Form, name="TableForm")
strawberry.enum(model.Kind, name="ProjectKind")
strawberry.enum(model.Role, name="Role")
strawberry.enum(model.Period, name="Period")
strawberry.enum(domain_values.ValueKind, name="ValueKind")
Status = model.Status
Form = model.Form
Kind = model.Kind
Role = model.Role
Period = model.Period
ValueKind = domain_values.ValueKind


@dataclass(frozen=True)
class Stored:
    """A table's full content, as one version of it said."""

    document: TableDocument
    decision: model.Decision | None

    @classmethod
    def from_row(cls, row: Any) -> Stored:
        return cls(document_from_json(row.document), decision_from_json(row.decision))


@strawberry.type
class Value:
    raw: str
    kind: ValueKind
    op: str | None
    number: str | None
    unit: str | None
    date: str | None
    text: str | None

    @classmethod
    def from_value(cls, value: domain_values.Value) -> Value:
        number = None if value.number is None else str(value.number)
        return cls(
            raw=value.raw,
            kind=value.kind,
            op=value.op,
            number=number,
            unit=value.unit,
            date=value.date,
            text=value.text,
        )


@strawberry.type
class Indicator:
    id: str
    level1: str
    level1_code: str
    level2: str
    level2_code: str
    name: str
    half_year: Value | None
    full_year: Value

    @classmethod
    def from_indicator(cls, item: model.Indicator) -> Indicator:
        half = None if item.half_year is None else Value.from_value(item.half_year)
        return cls(
            id=item.id,
            level1=item.level1,
            level1_code=item.level1_code,
            level2=item.level2,
            level2_code=item.level2_code,
            name=item.name,
            half_year=half,
            full_year=Value.from_value(item.full_year),
        )


@strawberry.type
class IndicatorHit:
    """An indicator found by a search across tables, with the table it belongs to."""

    table_id: strawberry.ID
    table_name: str
    indicator: Indicator

    @classmethod
    def from_row(cls, row: Any) -> IndicatorHit:
        full_year = value_from_json(row.full_year)
        assert full_year is not None, "a stored full-year value is never null"
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


@strawberry.type
class IndicatorHitEdge:
    cursor: str
    node: IndicatorHit


@strawberry.type
class IndicatorHitConnection:
    total_count: int
    edges: list[IndicatorHitEdge]
    page_info: PageInfo


@strawberry.type
class Category:
    level1: str
    level1_code: str
    level2: str
    level2_code: str


@strawberry.type
class Finding:
    code: str
    severity: str
    message: str
    path: str

    @classmethod
    def from_finding(cls, finding: DomainFinding) -> Finding:
        return cls(
            code=finding.code,
            severity=finding.severity.value,
            message=finding.message,
            path=finding.path,
        )


@strawberry.type
class Project:
    name: str
    department: str
    department_code: str | None
    implementing_unit: str
    kind: Kind
    kind_label: str
    start: str | None
    end: str | None
    level: str | None
    manager: str | None
    necessity: str | None
    feasibility: str | None
    content: str | None
    carried_over_from: str | None

    @classmethod
    def from_project(cls, project: model.Project) -> Project:
        return cls(**{name: getattr(project, name) for name in cls.__annotations__})


@strawberry.type
class FundSource:
    code: str
    label: str
    amount: str


@strawberry.type
class Funds:
    total: str | None
    sources: list[FundSource]

    @classmethod
    def from_funds(cls, funds: model.Funds) -> Funds:
        return cls(
            total=None if funds.total is None else str(funds.total),
            sources=[
                FundSource(
                    code=code, label=vocabulary.FUND_SOURCES.get(code, code), amount=str(amount)
                )
                for code, amount in funds.sources.items()
            ],
        )


@strawberry.type
class Expenditure:
    name: str
    half_year: str | None
    full_year: str


@strawberry.type
class Goals:
    long_term: str | None
    annual: str | None


@strawberry.type(name="Actor")
class ActorType:
    id: str
    name: str
    role: Role
    jurisdiction: str

    @classmethod
    def from_actor(cls, actor: model.Actor) -> ActorType:
        return cls(id=actor.id, name=actor.name, role=actor.role, jurisdiction=actor.jurisdiction)


@strawberry.type
class IndicatorComment:
    indicator_id: str
    comment: str


@strawberry.type
class Review:
    action: str
    version: int
    reviewer: ActorType
    comment: str | None
    indicator_comments: list[IndicatorComment]

    @classmethod
    def from_decision(cls, decision: model.Decision) -> Review:
        return cls(
            action=decision.action,
            version=decision.version,
            reviewer=ActorType.from_actor(decision.actor),
            comment=decision.comment,
            indicator_comments=[
                IndicatorComment(indicator_id=indicator_id, comment=comment)
                for indicator_id, comment in decision.indicator_comments.items()
            ],
        )


@strawberry.type
class Change:
    path: str
    before: str | None
    after: str | None

    @classmethod
    def from_change(cls, change: DomainChange) -> Change:
        return cls(path=change.path, before=change.before, after=change.after)


@strawberry.type
class BlameLine:
    """The event that last set one field or value of the current table."""

    path: str
    value: str | None
    version: int
    at: str
    actor: ActorType
    reason: str | None

    @classmethod
    def from_line(cls, line: AuditLine) -> BlameLine:
        entry = line.entry
        return cls(
            path=line.path,
            value=line.value,
            version=entry.version,
            at=entry.at,
            actor=ActorType.from_actor(entry.actor),
            reason=entry.reason,
        )


@strawberry.type
class TableEvent:
    version: int
    type: str
    at: str
    actor: ActorType
    reason: str | None
    changes: list[Change]

    @classmethod
    def from_entry(cls, entry: TimelineEntry) -> TableEvent:
        return cls(
            version=entry.version,
            type=entry.event_type,
            at=entry.at,
            actor=ActorType.from_actor(entry.actor),
            reason=entry.reason,
            changes=[Change.from_change(item) for item in entry.changes],
        )


@strawberry.type
class TargetTable:
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
    def from_row(cls, row: Any, with_document: bool = False) -> TargetTable:
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
    def from_aggregate(cls, table: DomainTable, current: bool) -> TargetTable:
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
            stored=Stored(document, table.decision),
            current=current,
        )

    @classmethod
    def from_submission(cls, row: Any) -> TargetTable:
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


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class TableEdge:
    cursor: str
    node: TargetTable


@strawberry.type
class TableConnection:
    total_count: int
    edges: list[TableEdge]
    page_info: PageInfo


@strawberry.type
class Submission:
    """One submitted version of a table, as the reviewer received it."""

    table_id: strawberry.ID
    version: int
    jurisdiction: str
    fiscal_year: int
    name: str
    status: Status
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
    document_text: strawberry.Private[str]

    @classmethod
    def from_row(cls, row: Any) -> Submission:
        return cls(
            table_id=strawberry.ID(row.table_id),
            version=row.version,
            jurisdiction=row.jurisdiction,
            fiscal_year=row.fiscal_year,
            name=row.name,
            status=model.Status(row.status),
            submitted_at=row.submitted_at,
            submitted_by=row.submitted_by,
            decided_at=row.decided_at,
            decided_by=row.decided_by,
            error_count=row.error_count,
            warning_count=row.warning_count,
            chain_head=row.chain_head,
            history_mismatch=row.history_mismatch,
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
class SubmissionEdge:
    cursor: str
    node: Submission


@strawberry.type
class SubmissionConnection:
    total_count: int
    edges: list[SubmissionEdge]
    page_info: PageInfo


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
