"""The reviewer's inbox: each submitted version, what it said, and what was decided.

Submissions from child jurisdictions arrive through sync as received tables; a root
jurisdiction reviews its own tables, so its own submissions arrive here too.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, Table, bindparam, update

from domain.document import TableDocument
from domain.submission import EntryStatus, ReceivedTable
from domain.table import TargetTable
from projections.base import bulk_insert, finding_counts
from projections.documents import document_json
from projections.schema import inbox
from projections.transitions import Other, Transition

Decision = TargetTable.Approved | TargetTable.Returned | ReceivedTable.Decided
_WORKFLOW = (TargetTable.Submitted, TargetTable.Approved, TargetTable.Returned)
_ENTRY_UPDATE = (
    update(inbox)
    .where(inbox.c.origin == bindparam("key_origin"))
    .where(inbox.c.version == bindparam("key_version"))
)
# A version still awaiting review once a later one of its table arrived or was decided: no
# reviewer can decide on it any more (only the latest is decidable), so it leaves the queue.
_SUPERSEDE = (
    update(inbox)
    .where(inbox.c.origin == bindparam("key_origin"))
    .where(inbox.c.version < bindparam("key_version"))
    .where(inbox.c.status == EntryStatus.SUBMITTED.value)
    .values(status=EntryStatus.SUPERSEDED.value)
)


class Inbox:
    name = "inbox"
    owns: tuple[Table, ...] = (inbox,)

    def __init__(self, reviews_own_tables: bool) -> None:
        self.reviews_own_tables = reviews_own_tables

    def wants(self, transition: Transition) -> bool:
        """The table events this view reads: its own tables' workflow, where it reviews them."""
        return self.reviews_own_tables and isinstance(transition.event, _WORKFLOW)

    def apply(
        self, connection: Connection, transitions: list[Transition], others: list[Other]
    ) -> None:
        entries: list[dict[str, Any]] = []
        decisions: list[dict[str, Any]] = []
        flags: list[dict[str, Any]] = []
        if self.reviews_own_tables:
            for transition in transitions:
                event = transition.event
                if isinstance(event, TargetTable.Submitted):
                    entries.append(self._own_entry(transition, event))
                elif isinstance(event, TargetTable.Approved | TargetTable.Returned):
                    decisions.append(_decision(event, transition.at))
        for other in others:
            match other.event:
                case ReceivedTable.SubmissionReceived() as received:
                    entries.append(self._received_entry(received, other))
                case ReceivedTable.Decided() as decided:
                    decisions.append(_decision(decided, other.at))
                case ReceivedTable.HistoryMismatch() as mismatch:
                    flags.append(_flag(mismatch))
        bulk_insert(connection, inbox, entries)
        for changes in (decisions, flags):  # each row names the entry it changes
            if changes:
                connection.execute(_ENTRY_UPDATE, changes)
        latest = _latest_versions(entries, decisions)
        if latest:
            connection.execute(_SUPERSEDE, latest)

    def _own_entry(self, transition: Transition, event: TargetTable.Submitted) -> dict[str, Any]:
        entry = _entry(transition.document, transition.position, transition.at)
        return {
            **entry,
            "origin": transition.key,
            "submitted_by": transition.actor.name,
            "submit_reason": event.reason,
            "adjustment_reason": event.adjustment_reason,
        }

    def _received_entry(
        self, event: ReceivedTable.SubmissionReceived, other: Other
    ) -> dict[str, Any]:
        entry = _entry(event.document, other.position, other.at)
        return {
            **entry,
            "origin": str(event.originator_id),
            "submitted_by": event.submitted_by.name,
            "chain_head": event.chain_head,
            "submit_reason": event.submit_reason,
            "adjustment_reason": event.adjustment_reason,
        }


def _entry(document: TableDocument, position: int, at: str) -> dict[str, Any]:
    error_count, warning_count = finding_counts(document)
    return {
        "table_id": document.id,
        "version": document.version,
        "seq": position,
        "jurisdiction": document.jurisdiction,
        "fiscal_year": document.fiscal_year,
        "name": document.project.name,
        "status": "submitted",
        "submitted_at": at,
        "error_count": error_count,
        "warning_count": warning_count,
        "document": document_json(document),
        "chain_head": None,
        "history_mismatch": None,
    }


def _latest_versions(
    entries: list[dict[str, Any]], decisions: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The latest version each table reached in this batch, submitted or decided."""
    latest: dict[str, int] = {}
    for origin, version in [
        *((entry["origin"], entry["version"]) for entry in entries),
        *((change["key_origin"], change["key_version"]) for change in decisions),
    ]:
        latest[origin] = max(version, latest.get(origin, version))
    return [{"key_origin": origin, "key_version": version} for origin, version in latest.items()]


def _decision(event: Decision, at: str) -> dict[str, Any]:
    """Each decision names the submitted version it decides, so it lands on that entry."""
    approved = isinstance(event, TargetTable.Approved | ReceivedTable.Approved)
    status = "approved" if approved else "returned"
    return {
        "key_origin": str(event.originator_id),
        "key_version": event.version,
        "status": status,
        "decided_at": at,
        "decided_by": event.actor.name,
        "decision_reason": event.reason,
        "indicator_comments": _comments_json(event),
    }


def _comments_json(event: Decision) -> str | None:
    """A return's comments at indicators, kept with the entry so its page shows them for ever."""
    if isinstance(event, TargetTable.Returned | ReceivedTable.Returned):
        return json.dumps(event.indicator_comments, ensure_ascii=False)
    return None


def _flag(event: ReceivedTable.HistoryMismatch) -> dict[str, Any]:
    return {
        "key_origin": str(event.originator_id),
        "key_version": event.version,
        "history_mismatch": (
            f"the history behind version {event.broken_version}, received earlier with chain "
            f"head {event.expected}, now reads {event.found}: the child rewrote it"
        ),
    }
