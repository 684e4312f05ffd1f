"""GraphQL types of a table's parts, built from the domain's objects by ``from_*`` methods.

Enums are the domain's own; the object types mirror the domain's dataclasses field for field
(tests/unit/test_graphql_types.py holds them equal).
"""

from __future__ import annotations

import strawberry

from domain import model, vocabulary
from domain import values as domain_values
from domain.findings import Finding as DomainFinding
from domain.history import Change, basis_text
from domain.submission import EntryStatus
from projections.reads import TimelineEntry
from service_layer.history import BlameLine as AuditLine

strawberry.enum(model.Status, name="TableStatus")
strawberry.enum(EntryStatus, name="SubmissionStatus")
strawberry.enum(model.Form, name="TableForm")
strawberry.enum(model.Kind, name="ProjectKind")
strawberry.enum(model.Role, name="Role")
strawberry.enum(model.Period, name="Period")
strawberry.enum(model.BasisKind, name="ValueBasisKind")
strawberry.enum(domain_values.ValueKind, name="ValueKind")
Status = model.Status
Form = model.Form
Kind = model.Kind
Role = model.Role
Period = model.Period
BasisKind = model.BasisKind
ValueKind = domain_values.ValueKind


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
    explanation: str | None = strawberry.field(description="指标解释")
    basis: ValueBasis | None = strawberry.field(description="指标值设定依据")

    @classmethod
    def from_indicator(cls, item: model.Indicator) -> Indicator:
        half = None if item.half_year is None else Value.from_value(item.half_year)
        basis = None if item.basis is None else ValueBasis.from_basis(item.basis)
        return cls(
            id=item.id,
            level1=item.level1,
            level1_code=item.level1_code,
            level2=item.level2,
            level2_code=item.level2_code,
            name=item.name,
            half_year=half,
            full_year=Value.from_value(item.full_year),
            explanation=item.explanation,
            basis=basis,
        )


@strawberry.type
class ValueBasis:
    """指标值设定依据: 计划标准, 行业标准, 历史标准 or 其他标准, and what it says."""

    kind: BasisKind
    label: str
    text: str | None
    shown: str

    @classmethod
    def from_basis(cls, basis: model.ValueBasis) -> ValueBasis:
        return cls(
            kind=basis.kind,
            label=vocabulary.BASIS_LABELS[basis.kind.value],
            text=basis.text,
            shown=basis_text(basis) or "",
        )


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


@strawberry.type(name="Change")
class ChangeType:
    path: str
    before: str | None
    after: str | None

    @classmethod
    def from_change(cls, change: Change) -> ChangeType:
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
    changes: list[ChangeType]

    @classmethod
    def from_entry(cls, entry: TimelineEntry) -> TableEvent:
        return cls(
            version=entry.version,
            type=entry.event_type,
            at=entry.at,
            actor=ActorType.from_actor(entry.actor),
            reason=entry.reason,
            changes=[ChangeType.from_change(item) for item in entry.changes],
        )
