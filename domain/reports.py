"""What monitoring rounds and self-evaluations share: the approved targets they report on,
their workflow, and their identities.

A report is opened on an approved (or adjusting) table and copies what it reports against —
the approved version's targets and budget, and what the report forms print of the project
(实施单位, the budget's sources, 年度目标) — into its first event, so that it reads the same
whatever later happens to the table. Reports opened before the forms printed these have them
empty (the fields have defaults, so their stored events read unchanged).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Protocol
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.errors import DomainError, TransitionRefused, VersionConflict
from domain.model import Actor, Funds, Indicator, Status
from domain.table import TargetTable
from domain.values import Value

_NAMESPACE = uuid5(NAMESPACE_URL, "https://jixiao.invalid/report")


class Stage(StrEnum):
    MONITORING = "monitoring"
    SELF_EVALUATION = "self_evaluation"


class ReportStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"


EDITABLE = frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED})
REPORTABLE = frozenset({Status.APPROVED, Status.ADJUSTING})


def report_id(stage: Stage, table_id: UUID, through_month: int | None = None) -> UUID:
    """One monitoring round per table and cut-off month; one self-evaluation per table."""
    key = f"{stage.value}|{table_id}|{through_month or ''}"
    return uuid5(_NAMESPACE, key)


@dataclass(frozen=True, kw_only=True)
class Target:
    """One indicator as approved: what a report's line is measured against."""

    indicator_id: str
    level1: str
    level1_code: str
    level2: str
    name: str
    value: Value
    half_year: Value | None = None  # the Jiangsu form's 半年 target, where the table has one

    @classmethod
    def of(cls, item: Indicator) -> Target:
        return cls(
            indicator_id=item.id,
            level1=item.level1,
            level1_code=item.level1_code,
            level2=item.level2,
            name=item.name,
            value=item.full_year,
            half_year=item.half_year,
        )


@dataclass(frozen=True, kw_only=True)
class Basis:
    """The approved table a report is about, as it stood when the report was opened."""

    table_id: str
    jurisdiction: str
    fiscal_year: int
    table_version: int
    project_name: str
    department: str
    budget: Decimal | None
    targets: tuple[Target, ...]
    implementing_unit: str = ""
    funds: Funds | None = None
    annual_goal: str | None = None

    def target(self, indicator_id: str) -> Target | None:
        return next((item for item in self.targets if item.indicator_id == indicator_id), None)

    def budget_part(self, codes: tuple[str, ...]) -> Decimal | None:
        """The approved budget from the sources ``codes`` (the forms' 其中 rows); None when the
        table names none of them."""
        given = [] if self.funds is None else [self.funds.sources.get(code) for code in codes]
        amounts = [amount for amount in given if amount is not None]
        return sum(amounts, Decimal(0)) if amounts else None


class ReportNotOpen(DomainError):
    """The table is not approved, so there is nothing to report against yet."""

    def __init__(self, status: str) -> None:
        super().__init__(
            f"the table is {status}; monitoring and self-evaluation start once it is approved"
        )
        self.status = status


class ReportLocked(DomainError):
    def __init__(self, status: str) -> None:
        super().__init__(f"the report is {status}; it can be changed only as a draft or returned")
        self.status = status


class NoApprovedVersion(ReportNotOpen):
    """The table is adjusting, yet this node holds no approved version of it (an admin
    imported it as adjusting): there is nothing approved to report against."""

    def __init__(self, status: str) -> None:
        DomainError.__init__(
            self,
            f"the table is {status}, and this node holds no approved version of it to report "
            "against; monitoring and self-evaluation start once it is approved",
        )
        self.status = status


def basis_of(table: TargetTable, approved: TargetTable | None) -> Basis:
    """The basis of a report on ``table``: its approved version ``approved`` (see
    ``approved_version``), never the working copy of an adjustment."""
    if table.status not in REPORTABLE:
        raise ReportNotOpen(table.status.value)
    if approved is None or approved.status is not Status.APPROVED:
        raise NoApprovedVersion(table.status.value)
    content = approved.content
    return Basis(
        table_id=str(table.id),
        jurisdiction=table.jurisdiction,
        fiscal_year=table.fiscal_year,
        table_version=approved.version,
        project_name=content.project.name,
        department=content.project.department,
        budget=content.funds.total,
        targets=tuple(Target.of(item) for item in content.indicators),
        implementing_unit=content.project.implementing_unit,
        funds=content.funds,
        annual_goal=content.goals.annual,
    )


def approved_version(table: TargetTable) -> int | None:
    """The version holding the table's last approved content, which a report is measured
    against: the table itself while approved; during an adjustment, the approval before it
    (which directly followed the version decided on) or, for a table an admin's import
    registered with its document's status and no approval on this node, that registration
    (version 1). None when the node holds no approved content."""
    if table.status is Status.APPROVED:
        return table.version
    decision = table.decision
    if decision is not None and decision.action == "approve":
        return decision.version + 1
    if table.status_from_document:
        return 1  # ``basis_of`` checks that the registration was an approved one
    return None


def check_editable(status: ReportStatus) -> None:
    if status not in EDITABLE:
        raise ReportLocked(status.value)


def check_submittable(status: ReportStatus) -> None:
    if status not in EDITABLE:
        raise TransitionRefused("submit", status.value, "report")


def check_decidable(status: ReportStatus, action: str, version: int, current: int) -> None:
    if status is not ReportStatus.SUBMITTED:
        raise TransitionRefused(action, status.value, "report")
    if version != current:
        raise VersionConflict(version, current, "report")


@dataclass(frozen=True)
class ReportDecision:
    """The reviewer's latest word on a submitted version of a report."""

    action: str  # approve, return, recheck
    version: int
    actor: Actor
    reason: str | None
    score: Decimal | None = None  # the 复核 score, for ``recheck``
    line_comments: tuple[tuple[str, str], ...] = ()


class Decidable(Protocol):
    decision: ReportDecision | None


def applied_already(report: Decidable, version: int, action: str) -> bool:
    """The decision ``action`` on ``version`` is the last one the report took (a repeat)."""
    last = report.decision
    return last is not None and (last.action, last.version) == (action, version)
