"""What a mutation answers: the changed table, or the typed reason it was refused.

Clients switch on ``__typename``; they never parse error strings.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from api.graphql.reports import MonitoringRoundType, SelfEvaluationType
from api.graphql.tables import TargetTableType
from api.graphql.types import Finding, Status
from domain import errors
from domain.model import Status as DomainStatus
from domain.reports import ReportLocked
from service_layer.errors import InvalidArgument, Unauthenticated, UnknownTable
from service_layer.reports import UnknownReport


@strawberry.type
class TableChanged:
    table: TargetTableType


@strawberry.type
class VersionConflict:
    message: str
    expected_version: int
    current_version: int


@strawberry.type
class TableLocked:
    message: str
    status: Status


@strawberry.type
class TransitionRefused:
    message: str
    status: Status


@strawberry.type
class SubmissionBlocked:
    message: str
    findings: list[Finding]


@strawberry.type
class Forbidden:
    message: str


@strawberry.type
class InvalidInput:
    message: str
    field: str | None = None


EditResult = Annotated[
    TableChanged
    | VersionConflict
    | TableLocked
    | TransitionRefused
    | SubmissionBlocked
    | Forbidden
    | InvalidInput,
    strawberry.union("EditResult"),
]


@strawberry.type
class MonitoringChanged:
    monitoring: MonitoringRoundType


@strawberry.type
class SelfEvaluationChanged:
    self_evaluation: SelfEvaluationType


# A report's refusals are the table's: TableLocked answers a report that is submitted or
# approved (its ``status`` is the report's) and a table not approved yet (the table's);
# TransitionRefused's ``status`` is the report's. A report or table that is not on this node
# is InvalidInput on ``tableId``.
MonitoringResult = Annotated[
    MonitoringChanged
    | VersionConflict
    | TableLocked
    | TransitionRefused
    | Forbidden
    | InvalidInput,
    strawberry.union("MonitoringResult"),
]
SelfEvaluationResult = Annotated[
    SelfEvaluationChanged
    | VersionConflict
    | TableLocked
    | TransitionRefused
    | Forbidden
    | InvalidInput,
    strawberry.union("SelfEvaluationResult"),
]

Refusal = (
    VersionConflict | TableLocked | TransitionRefused | SubmissionBlocked | Forbidden | InvalidInput
)
REFUSALS = (errors.DomainError, InvalidArgument, UnknownTable, Unauthenticated)
REPORT_REFUSALS = (*REFUSALS, UnknownReport)
ReportRefusal = VersionConflict | TableLocked | TransitionRefused | Forbidden | InvalidInput


def refusal_of(error: Exception) -> Refusal:
    """The typed result for a refused command; anything unexpected is re-raised by the caller."""
    match error:
        case errors.VersionConflict():
            return VersionConflict(
                message=str(error),
                expected_version=error.expected,
                current_version=error.current,
            )
        case errors.TableLocked() | ReportLocked():
            return TableLocked(message=str(error), status=DomainStatus(error.status))
        case errors.TransitionRefused():
            return TransitionRefused(message=str(error), status=DomainStatus(error.status))
        case errors.SubmissionBlocked():
            findings = [Finding.from_finding(item) for item in error.findings]
            return SubmissionBlocked(message=str(error), findings=findings)
        case errors.Forbidden() | Unauthenticated():
            return Forbidden(message=str(error))
        case errors.InvalidEdit() | InvalidArgument() | UnknownTable() | UnknownReport():
            return InvalidInput(message=str(error), field=error.field)
        case _:
            return InvalidInput(message=str(error))


def report_refusal_of(error: Exception) -> ReportRefusal:
    """The typed result for a refused report command (one of ``REPORT_REFUSALS``)."""
    refusal = refusal_of(error)
    if isinstance(refusal, SubmissionBlocked):  # tables only; a report's gaps are InvalidInput
        return InvalidInput(message=refusal.message, field="lines")
    return refusal
