"""The reviewer's inbox: each submitted version, what it said, and what was decided.

A root jurisdiction reviews its own tables, so its own submissions arrive here too; a child
jurisdiction's submissions arrive through sync.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, insert, update

from infra.documents.jsondoc import document_json
from projections.base import document_at, finding_counts
from projections.schema import inbox
from projections.transitions import Transition

_DECIDED = {"Approved": "approved", "Returned": "returned"}


class Inbox:
    name = "inbox"
    owns: tuple[Table, ...] = (inbox,)

    def __init__(self, reviews_own_tables: bool) -> None:
        self.reviews_own_tables = reviews_own_tables

    def apply(self, connection: Connection, transitions: list[Transition]) -> None:
        if not self.reviews_own_tables:
            return
        for transition in transitions:
            if transition.event_type == "Submitted":
                connection.execute(insert(inbox), [self._entry(transition)])
            elif transition.event_type in _DECIDED:
                self._decide(connection, transition)

    def _entry(self, transition: Transition) -> dict[str, Any]:
        document = document_at(transition)
        error_count, warning_count = finding_counts(document)
        return {
            "table_id": str(transition.table_id),
            "version": transition.version,
            "seq": transition.position,
            "jurisdiction": transition.jurisdiction,
            "fiscal_year": transition.fiscal_year,
            "name": document.project.name,
            "status": "submitted",
            "submitted_at": transition.at,
            "submitted_by": transition.actor.name,
            "error_count": error_count,
            "warning_count": warning_count,
            "document": document_json(document),
        }

    def _decide(self, connection: Connection, transition: Transition) -> None:
        connection.execute(
            update(inbox)
            .where(inbox.c.table_id == str(transition.table_id))
            .where(inbox.c.version == transition.event.version)
            .values(
                status=_DECIDED[transition.event_type],
                decided_at=transition.at,
                decided_by=transition.actor.name,
            )
        )
