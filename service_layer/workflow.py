"""The workflow of a table: submitting, opening an adjustment, and the reviewer's decisions.

A root jurisdiction's reviewers decide on its own tables here; every other node's tables are
decided on at the parent's node, where they arrive as received submissions, and the decision
travels back down through sync.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from domain.access import Operation
from domain.model import Actor
from domain.submission import ReceivedTable
from domain.table import TargetTable
from service_layer import parsing as p
from service_layer.access import Gate
from service_layer.editing import Editing
from service_layer.store import Saved, TablesApplication


@dataclass(frozen=True)
class Reviewed:
    """A decision on a child's submitted version, stored at this (parent) node."""

    table_id: UUID
    received_id: UUID
    version: int
    position: int


Decide = Callable[[TargetTable], None]


class Workflow:
    def __init__(self, app: TablesApplication, gate: Gate, editing: Editing) -> None:
        self.app = app
        self.gate = gate
        self._editing = editing

    def submit(
        self, actor: Actor, table_id: UUID, version: int, reason: str | None = None
    ) -> Saved:
        why = p.text_of("reason", reason)
        return self._editing.edit(actor, table_id, version, lambda t: t.submit(actor, why))

    def open_adjustment(
        self, actor: Actor, table_id: UUID, version: int, reason: str | None
    ) -> Saved:
        """申请调整: an approved table is edited again; the reason is required."""
        why = p.text_of("reason", reason)
        return self._editing.edit(actor, table_id, version, lambda t: t.open_adjustment(actor, why))

    def approve(
        self, actor: Actor, table_id: UUID, version: int, reason: str | None = None
    ) -> Saved | Reviewed:
        """审核通过 the submitted ``version``: a child's submission, or a root's own table."""
        why = p.text_of("reason", reason)
        received = self.app.received_table(table_id)
        if received is not None:
            self.gate.check(actor, Operation.REVIEW, received.jurisdiction)
            received.approve(version, why, actor)
            return self._reviewed(received, version)
        return self._decide_own(actor, table_id, version, lambda t: t.approve(version, why, actor))

    def return_for_changes(
        self,
        actor: Actor,
        table_id: UUID,
        version: int,
        reason: str,
        indicator_comments: dict[str, str] | None = None,
    ) -> Saved | Reviewed:
        """退回 the submitted ``version`` with a reason, and comments at indicators if needed."""
        why = p.text_of("reason", reason) or ""
        comments = {
            indicator_id: p.text_of("comment", comment) or ""
            for indicator_id, comment in (indicator_comments or {}).items()
        }
        received = self.app.received_table(table_id)
        if received is not None:
            self.gate.check(actor, Operation.REVIEW, received.jurisdiction)
            received.return_for_changes(version, why, comments, actor)
            return self._reviewed(received, version)
        return self._decide_own(
            actor,
            table_id,
            version,
            lambda t: t.return_for_changes(version, why, comments, actor),
        )

    def _decide_own(self, actor: Actor, table_id: UUID, version: int, decide: Decide) -> Saved:
        self.gate.check(actor, Operation.REVIEW)
        self.gate.check_reviews_here()
        return self._editing.store(table_id, version, decide)

    def _reviewed(self, received: ReceivedTable, version: int) -> Reviewed:
        position = self.app.save_tracked(None, received)
        return Reviewed(received.table_id, received.id, version, position)
