"""A child jurisdiction's table as its reviewers at the parent node see it.

The parent keeps every submitted version (its document and chain head) and decides on the
latest one; the decision travels back down through sync and is applied by the child.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.document import TableDocument
from domain.errors import (
    SubmissionRejected,
    TransitionRefused,
    UnknownIndicator,
    VersionConflict,
)
from domain.model import Actor, Status
from domain.table import check_reason
from domain.text import check_text

_NAMESPACE = uuid5(NAMESPACE_URL, "https://jixiao.invalid/received-table")


class EntryStatus(StrEnum):
    """Where one submitted version stands at the reviewers' node: awaiting review, decided,
    or superseded (a later version of the table arrived or was decided before it was)."""

    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    SUPERSEDED = "superseded"


def received_id(table_id: UUID) -> UUID:
    return uuid5(_NAMESPACE, str(table_id))


@dataclass(frozen=True)
class SubmitterSaid:
    """What the child's clerk wrote with a submission: the 提交说明 and, for an adjustment of an
    approved table, the 申请调整 reason (an adjustment always has one)."""

    reason: str | None = None
    adjustment_reason: str | None = None


@dataclass(frozen=True)
class ReceivedVersion:
    version: int
    chain_head: str
    event_id: str


class ReceivedTable(Aggregate):
    """Every version a child submitted of one table, and the decisions taken on them."""

    class Event(Aggregate.Event):
        pass

    class Opened(Event, Aggregate.Created):
        table_id: UUID
        jurisdiction: str

    class SubmissionReceived(Event):
        """A version arrived; ``submitted_by`` is the child's editor who submitted it, with
        their 提交说明 and, for an adjustment of an approved table, its 申请调整 reason."""

        document: TableDocument
        version: int
        chain_head: str
        event_id: str
        submitted_by: Actor
        submit_reason: str | None
        adjustment_reason: str | None
        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["submit_reason"] = None
            state["adjustment_reason"] = None

    class HistoryMismatch(Event):
        version: int
        broken_version: int
        expected: str
        found: str

    class Decided(Event):
        """The reviewer's decision on one received version, and why."""

        actor: Actor
        reason: str | None
        version: int

    class Approved(Decided):
        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["reason"] = state.pop("comment")

    class Returned(Decided):
        indicator_comments: dict[str, str]

    @event(Opened)
    def __init__(self, table_id: UUID, jurisdiction: str) -> None:
        self.table_id = table_id
        self.jurisdiction = jurisdiction
        self.received: list[ReceivedVersion] = []
        self._status = str(Status.SUBMITTED)
        self.mismatch: int | None = None
        self.indicator_ids: tuple[str, ...] = ()  # of the latest version received

    @staticmethod
    def create_id(table_id: UUID, jurisdiction: str) -> UUID:
        return received_id(table_id)

    @property
    def status(self) -> Status:
        return Status(self._status)

    @property
    def latest(self) -> ReceivedVersion | None:
        return self.received[-1] if self.received else None

    def has_received(self, event_id: str) -> bool:
        return any(item.event_id == event_id for item in self.received)

    def receive(
        self,
        document: TableDocument,
        version: int,
        chain: list[str],
        event_id: str,
        submitted_by: Actor,
        said: SubmitterSaid | None = None,
    ) -> bool:
        """Take in a submitted version with its hash chain; False when it was received already.

        The chain must extend every head received before: if the child's earlier history no
        longer matches, the submission is still received (the reviewer must see it) and the
        mismatch is recorded beside it.
        """
        if self.has_received(event_id):
            return False
        said = said or SubmitterSaid()
        check_text(
            document=document,
            chain=chain,
            event_id=event_id,
            submitted_by=submitted_by,
            submit_reason=said.reason,
            adjustment_reason=said.adjustment_reason,
        )
        latest = self.latest
        if latest is not None and version <= latest.version:
            raise SubmissionRejected(
                f"version {version} of {self.table_id} arrived after version {latest.version}"
            )
        if len(chain) != version:
            raise SubmissionRejected(f"version {version} came with {len(chain)} chain links")
        broken = self.rewritten_since(chain)
        self._receive(
            document,
            version,
            chain[-1],
            event_id,
            submitted_by,
            said.reason,
            said.adjustment_reason,
        )
        if broken is not None:
            self._flag(version, broken.version, broken.chain_head, chain[broken.version - 1])
        return True

    def rewritten_since(self, chain: list[str]) -> ReceivedVersion | None:
        """The first earlier submission whose head the new chain no longer passes through."""
        for earlier in self.received:
            if len(chain) < earlier.version or chain[earlier.version - 1] != earlier.chain_head:
                return earlier
        return None

    @event(HistoryMismatch)
    def _flag(self, version: int, broken_version: int, expected: str, found: str) -> None:
        self.mismatch = broken_version

    @event(SubmissionReceived)
    def _receive(
        self,
        document: TableDocument,
        version: int,
        chain_head: str,
        event_id: str,
        submitted_by: Actor,
        submit_reason: str | None,
        adjustment_reason: str | None,
    ) -> None:
        self.received.append(ReceivedVersion(version, chain_head, event_id))
        self._status = str(Status.SUBMITTED)
        self.indicator_ids = tuple(item.id for item in document.indicators)

    def approve(self, version: int, reason: str | None, actor: Actor) -> None:
        self.check_decidable(version, "approve")
        check_text(actor=actor, reason=reason)
        self._approve(version, reason, actor)

    @event(Approved)
    def _approve(self, version: int, reason: str | None, actor: Actor) -> None:
        self._status = str(Status.APPROVED)

    def return_for_changes(
        self, version: int, reason: str, indicator_comments: dict[str, str], actor: Actor
    ) -> None:
        self.check_decidable(version, "return")
        check_reason(reason, "returning a table")
        for indicator_id in indicator_comments:  # the child could not apply it: both must agree
            if indicator_id not in self.indicator_ids:
                raise UnknownIndicator(indicator_id)
        check_text(actor=actor, reason=reason, indicator_comments=indicator_comments)
        self._return(version, reason, indicator_comments, actor)

    @event(Returned)
    def _return(
        self, version: int, reason: str, indicator_comments: dict[str, str], actor: Actor
    ) -> None:
        self._status = str(Status.RETURNED)

    def check_decidable(self, version: int, action: str) -> None:
        if self.status is not Status.SUBMITTED:
            raise TransitionRefused(action, self.status.value)
        latest = self.latest
        current = latest.version if latest else 0
        if version != current:
            raise VersionConflict(version, current)
