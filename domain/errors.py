"""Domain exceptions: each business rule that can refuse a command has its own.

Every one of them means: the command was refused and nothing was stored. The entry points turn
them into typed results (GraphQL), an exit code and one line (CLI), or a parked message (sync).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from domain.findings import Finding


class DomainError(Exception):
    """A command was refused by a business rule; nothing was stored."""


class InvalidEdit(DomainError):
    """An edit that is malformed in itself; ``field`` names the part of the input at fault."""

    field: str | None = None


# --- versions and workflow ---------------------------------------------------


class VersionConflict(DomainError):
    def __init__(self, expected: int, current: int, what: str = "table") -> None:
        super().__init__(
            f"the {what} changed since version {expected}; reload version {current} and retry"
        )
        self.expected = expected
        self.current = current


class TableLocked(DomainError):
    def __init__(self, status: str) -> None:
        super().__init__(
            f"the table is {status}; edits are accepted only in draft, returned or adjusting"
        )
        self.status = status


class TransitionRefused(DomainError):
    def __init__(self, action: str, status: str, what: str = "table") -> None:
        super().__init__(f"cannot {action} a {what} that is {status}")
        self.action = action
        self.status = status


class ReasonRequired(InvalidEdit):
    field = "reason"

    def __init__(self, action: str) -> None:
        super().__init__(f"{action} requires a reason")
        self.action = action


class SubmissionBlocked(DomainError):
    def __init__(self, findings: Sequence[Finding]) -> None:
        listed = "; ".join(f"{finding.path}: {finding.message}" for finding in findings)
        super().__init__(f"the table has {len(findings)} error finding(s): {listed}")
        self.findings = tuple(findings)


# --- the content of a table ---------------------------------------------------


class UnknownIndicator(InvalidEdit):
    field = "indicatorId"

    def __init__(self, indicator_id: str) -> None:
        super().__init__(f"no indicator with id {indicator_id!r} in this table")
        self.indicator_id = indicator_id


class DuplicateIndicator(InvalidEdit):
    field = "indicatorId"

    def __init__(self, indicator_id: str) -> None:
        super().__init__(f"indicator id {indicator_id!r} is already used in this table")
        self.indicator_id = indicator_id


class InvalidIndicatorId(InvalidEdit):
    field = "indicatorId"

    def __init__(self, indicator_id: str, why: str) -> None:
        super().__init__(f"indicator id {indicator_id!r} {why}")
        self.indicator_id = indicator_id


class IndicatorNameRequired(InvalidEdit):
    field = "name"

    def __init__(self) -> None:
        super().__init__("an indicator needs a name")


class FullYearValueRequired(InvalidEdit):
    field = "value"

    def __init__(self) -> None:
        super().__init__("the full-year value cannot be removed")


class UnsafeText(InvalidEdit):
    """Text with a character no field may hold (see ``domain.text``)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class UnknownProjectField(InvalidEdit):
    field = "field"

    def __init__(self, name: str) -> None:
        super().__init__(f"unknown project field {name!r}")


class UnknownProjectKind(InvalidEdit):
    field = "value"

    def __init__(self, value: str | None, known: Sequence[str]) -> None:
        super().__init__(f"unknown project kind {value!r}; expected one of {', '.join(known)}")


class ProjectFieldRequired(InvalidEdit):
    """项目名称, 主管部门 and 实施单位: every table has them, and the read models rely on it."""

    field = "value"

    def __init__(self, project_field: str) -> None:
        super().__init__(f"the project's {project_field} cannot be empty")
        self.project_field = project_field


class UnknownFundSource(InvalidEdit):
    field = "source"

    def __init__(self, source: str, known: str) -> None:
        super().__init__(f"unknown funding source {source!r}; expected one of {known}")


class NoSuchExpenditureLine(InvalidEdit):
    field = "index"

    def __init__(self, index: int, count: int) -> None:
        super().__init__(f"no expenditure line {index}; the table has {count}")


class UnknownGoal(InvalidEdit):
    field = "goal"

    def __init__(self, goal: str, known: Sequence[str]) -> None:
        super().__init__(f"unknown goal {goal!r}; expected one of {sorted(known)}")


class UnknownCategory(InvalidEdit):
    field = "level1"

    def __init__(self, label: str, known: str) -> None:
        super().__init__(f"unknown level-1 category {label!r}; expected one of {known}")


class CategoryRequired(InvalidEdit):
    field = "level2"

    def __init__(self) -> None:
        super().__init__("the level-2 category cannot be empty")


class IndicatorPositionOutOfRange(InvalidEdit):
    field = "position"

    def __init__(self, position: int, count: int) -> None:
        super().__init__(f"position {position} is outside 0..{count}")


class OutOfRange(InvalidEdit):
    """An amount or an indicator's number beyond what a form can hold (``domain.values``)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


class UnknownValueBasis(InvalidEdit):
    field = "basis"

    def __init__(self, basis: str, known: Sequence[str]) -> None:
        super().__init__(f"unknown basis {basis!r}; expected one of {', '.join(known)}")


# --- who may do what ------------------------------------------------------------


class Forbidden(DomainError):
    """The actor's role or jurisdiction does not grant the operation."""


# --- documents and sync -----------------------------------------------------------


class ImportRefused(DomainError):
    """A document that does not belong in this node, or contradicts the table it names."""


class ImportHitsLockedTables(TableLocked):
    """Documents that would change tables which cannot be edited now: each named, with its
    status, as (project name, status) pairs in the order of the documents. A ``TableLocked``
    (of the first one's status) to whoever does not tell them apart."""

    def __init__(self, locked: Sequence[tuple[str, str]]) -> None:
        self.locked = list(locked)
        self.status = self.locked[0][1]
        listed = "; ".join(f"the table {name} is {status}" for name, status in self.locked)
        DomainError.__init__(
            self,
            f"{len(self.locked)} table(s) in the documents cannot be changed now: {listed}; "
            "edits are accepted only in draft, returned or adjusting",
        )


class SubmissionRejected(DomainError):
    """A submitted version that cannot be taken in (older than one already received)."""


class CannotApply(DomainError):
    """A well-formed sync message this node cannot apply (unknown table, wrong sender…)."""


class NothingParked(DomainError):
    pass


class ParkedOutOfOrder(DomainError):
    """Parked messages of one table are resolved in the order they arrived."""
