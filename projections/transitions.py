"""Turn the notification log into transitions: each table event with its before → after.

The reader keeps recently seen tables in memory and applies each event to them, so a rebuild
reads every event once; a table it has not seen (or evicted) is loaded at the previous version.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import Notification

from domain.document import TableDocument, document_for
from domain.history import Change, changes, event_name, fields_in, scope_of
from domain.model import Actor, Decision, Form, Status, SubmissionNote, TableContent
from domain.table import TargetTable
from projections.faults import TRANSIENT, Fault, UnreadableEvent


@dataclass(frozen=True)
class Transition:
    """One stored table event, and the table right after it (immutable parts only)."""

    position: int
    table_id: UUID
    version: int
    event_type: str
    at: str
    actor: Actor
    reason: str | None
    changes: tuple[Change, ...]
    jurisdiction: str
    fiscal_year: int
    form: Form
    status: Status
    content: TableContent
    decision: Decision | None
    event: TargetTable.Event
    stored: Notification
    note: SubmissionNote

    @cached_property
    def key(self) -> str:
        """The table id as text, as the read models store it."""
        return str(self.table_id)

    @cached_property
    def document(self) -> TableDocument:
        """The table's document right after this event, findings included (made once)."""
        return document_for(
            self.key,
            self.jurisdiction,
            self.fiscal_year,
            self.form,
            self.status,
            self.version,
            self.content,
        )


@dataclass(frozen=True)
class Other:
    """A stored event of another aggregate (received submissions, sync records)."""

    position: int
    event: Aggregate.Event
    at: str


@dataclass(frozen=True)
class Batch:
    end: int
    transitions: list[Transition]
    others: list[Other]

    def in_order(self) -> list[Transition | Other]:
        """Every item of the batch, in the log's order."""
        return sorted([*self.transitions, *self.others], key=lambda item: item.position)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


class TransitionReader:
    def __init__(self, app: Application[UUID], cache_size: int = 5000) -> None:
        self._app = app
        self._cache: OrderedDict[UUID, TargetTable] = OrderedDict()
        self._cache_size = cache_size

    def head(self) -> int:
        return self._app.recorder.max_notification_id() or 0

    def read(self, after: int, limit: int) -> Batch | None:
        notifications = self._app.recorder.select_notifications(
            start=after, limit=limit, inclusive_of_start=False
        )
        if not notifications:
            return None
        transitions: list[Transition] = []
        others: list[Other] = []
        end = after
        for notification in notifications:
            try:
                event = self._app.mapper.to_domain_event(notification)
                if isinstance(event, TargetTable.Event):
                    transitions.append(self._apply(notification, event))
                elif isinstance(event, Aggregate.Event):
                    others.append(Other(notification.id, event, iso(event.timestamp)))
                else:
                    raise TypeError(f"{notification.topic} is not an event")
            except TRANSIENT:
                raise
            except Exception as error:  # whatever the event holds, it is reported, not a crash
                self.forget()  # its table may be half changed in memory
                if end > after:
                    break  # the events before it are projected; the next read reports it
                fault = Fault.of(
                    notification.id, notification.originator_id, notification.topic, error
                )
                raise UnreadableEvent(fault) from error
            end = notification.id
        return Batch(end, transitions, others)

    def forget(self) -> None:
        self._cache.clear()

    def _apply(self, notification: Notification, event: TargetTable.Event) -> Transition:
        table_id = event.originator_id
        version = event.originator_version
        before = self._previous(table_id, version)
        scope = scope_of(event)
        old = fields_in(before, scope)
        table = event.mutate(before)
        if not isinstance(table, TargetTable):
            raise TypeError(f"{table_id} is not a target table")
        self._remember(table)
        return Transition(
            position=notification.id,
            table_id=table_id,
            version=version,
            event_type=event_name(event),
            at=iso(event.timestamp),
            actor=event.actor,
            reason=event.reason,
            changes=tuple(changes(old, fields_in(table, scope))),
            jurisdiction=table.jurisdiction,
            fiscal_year=table.fiscal_year,
            form=table.form,
            status=table.status,
            content=table.content,
            decision=table.decision,
            event=event,
            stored=notification,
            note=table.note,
        )

    def _previous(self, table_id: UUID, version: int) -> TargetTable | None:
        if version == 1:
            return None
        cached = self._cache.get(table_id)
        if cached is not None and cached.version == version - 1:
            return cached
        loaded: object = self._app.repository.get(table_id, version=version - 1)
        if not isinstance(loaded, TargetTable):
            raise TypeError(f"{table_id} is not a target table")
        return loaded

    def _remember(self, table: TargetTable) -> None:
        self._cache[table.id] = table
        self._cache.move_to_end(table.id)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
