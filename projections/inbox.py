"""The reviewer's inbox: each submitted version, what it said, and what was decided.

A root jurisdiction reviews its own tables, so its own submissions arrive here too; a child
jurisdiction's submissions arrive through sync.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, bindparam, insert, update

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
        entries = [self._entry(item) for item in transitions if item.event_type == "Submitted"]
        decisions = [self._decision(item) for item in transitions if item.event_type in _DECIDED]
        if entries:
            connection.execute(insert(inbox), entries)
        if decisions:
            statement = (
                update(inbox)
                .where(inbox.c.table_id == bindparam("key_table"))
                .where(inbox.c.version == bindparam("key_version"))
            )
            connection.execute(statement, decisions)

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

    def _decision(self, transition: Transition) -> dict[str, Any]:
        """Each decision names the submitted version it decides, so it lands on that entry."""
        return {
            "key_table": str(transition.table_id),
            "key_version": transition.event.version,
            "status": _DECIDED[transition.event_type],
            "decided_at": transition.at,
            "decided_by": transition.actor.name,
        }
