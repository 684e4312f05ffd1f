"""The workflow of a table: submitting, opening an adjustment, and the reviewer's decisions.

A root jurisdiction's reviewers decide on its own tables here; every other node's tables are
decided on at the parent's node, where they arrive as received submissions, and the decision
travels back down through sync.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.access import Operation
from domain.model import Actor
from domain.submission import ReceivedTable
from service_layer import parsing as p
from service_layer.access import Gate, requires
from service_layer.editing import Editing
from service_layer.store import Saved, TablesApplication


@dataclass(frozen=True)
class Reviewed:
    """A decision on a child's submitted version, stored at this (parent) node."""

    table_id: UUID
    received_id: UUID
    version: int
    position: int


class Workflow:
    def __init__(self, app: TablesApplication, gate: Gate, editing: Editing) -> None:
        self.app = app
        self.gate = gate
        self._editing = editing

    @requires(Operation.EDIT)
    def submit(
        self, actor: Actor, table_id: UUID, version: int, reason: str | None = None
    ) -> Saved:
        why = p.text_of("reason", reason)
        return self._editing.store(table_id, version, lambda t: t.submit(actor, why))

    @requires(Operation.EDIT)
    def open_adjustment(
        self, actor: Actor, table_id: UUID, version: int, reason: str | None
    ) -> Saved:
        """申请调整: an approved table is edited again; the reason is required."""
        why = p.text_of("reason", reason)
        return self._editing.store(table_id, version, lambda t: t.open_adjustment(actor, why))

    def approve(
        self, actor: Actor, table_id: UUID, version: int, reason: str | None = None
    ) -> Saved | Reviewed:
        """审核通过 the submitted ``version``: a child's submission, or a root's own table."""
        received = self._reviewer_may_decide(actor, table_id)
        why = p.text_of("reason", reason)
        if received is not None:
            received.approve(version, why, actor)
            return self._reviewed(received, version)
        return self._editing.store(table_id, version, lambda t: t.approve(version, why, actor))

    def return_for_changes(
        self,
        actor: Actor,
        table_id: UUID,
        version: int,
        reason: str,
        indicator_comments: dict[str, str] | None = None,
    ) -> Saved | Reviewed:
        """退回 the submitted ``version`` with a reason, and comments at indicators if needed."""
        received = self._reviewer_may_decide(actor, table_id)
        why = p.text_of("reason", reason) or ""
        comments = {
            indicator_id: p.text_of("comment", comment) or ""
            for indicator_id, comment in (indicator_comments or {}).items()
        }
        if received is not None:
            received.return_for_changes(version, why, comments, actor)
            return self._reviewed(received, version)
        return self._editing.store(
            table_id, version, lambda t: t.return_for_changes(version, why, comments, actor)
        )

    def _reviewer_may_decide(self, actor: Actor | None, table_id: UUID) -> ReceivedTable | None:
        """The received submission to decide on, or None for this (root) node's own table."""
        received = self.app.received_table(table_id)
        if received is not None:
            self.gate.check(actor, Operation.REVIEW, received.jurisdiction)
            return received
        self.gate.check(actor, Operation.REVIEW)
        self.gate.check_reviews_here()
        return None

    def _reviewed(self, received: ReceivedTable, version: int) -> Reviewed:
        position = self.app.save_tracked(None, received)
        return Reviewed(received.table_id, received.id, version, position)
