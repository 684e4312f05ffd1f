"""Domain exceptions: each business rule that can refuse a command has its own."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from domain.findings import Finding


class DomainError(Exception):
    """A command was refused by a business rule; nothing was stored."""


class VersionConflict(DomainError):
    def __init__(self, expected: int, current: int) -> None:
        super().__init__(
            f"the table changed since version {expected}; reload version {current} and retry"
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
    def __init__(self, action: str, status: str) -> None:
        super().__init__(f"cannot {action} a table that is {status}")
        self.action = action
        self.status = status


class ReasonRequired(DomainError):
    def __init__(self, action: str) -> None:
        super().__init__(f"{action} requires a reason")
        self.action = action


class SubmissionBlocked(DomainError):
    def __init__(self, findings: Sequence[Finding]) -> None:
        listed = "; ".join(f"{finding.path}: {finding.message}" for finding in findings)
        super().__init__(f"the table has {len(findings)} error finding(s): {listed}")
        self.findings = tuple(findings)


class UnknownIndicator(DomainError):
    def __init__(self, indicator_id: str) -> None:
        super().__init__(f"no indicator with id {indicator_id!r} in this table")
        self.indicator_id = indicator_id


class InvalidEdit(DomainError):
    """An edit that is malformed in itself (empty name, unknown field, bad index)."""
