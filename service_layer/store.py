"""One node's event-sourced application: the tables of one jurisdiction.

Every method is get → call → save; the aggregate decides, this module only loads and stores.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from copy import deepcopy
from dataclasses import dataclass, replace
from typing import Any, ClassVar, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.domain import Aggregate, MutableOrImmutableAggregate
from eventsourcing.persistence import (
    IntegrityError,
    JSONTranscoder,
    ProcessRecorder,
    Recording,
    Tracking,
    Transcoder,
)
from eventsourcing.utils import get_topic

from domain.chain import links
from domain.document import TableDocument
from domain.errors import ImportHitsLockedTables, ImportRefused, TableLocked, VersionConflict
from domain.model import Actor
from domain.revision import revise
from domain.submission import ReceivedTable, received_id
from domain.sync import SyncRecord, sync_record_id
from domain.table import TargetTable
from service_layer.admission import admitted, check_unchanged, new_table

T = TypeVar("T")


class AlreadyTracked(Exception):
    """This position of a consumed stream was processed before (a redelivery)."""

    def __init__(self, tracking: Tracking) -> None:
        super().__init__(f"{tracking.application_name} {tracking.notification_id} already done")
        self.tracking = tracking


@dataclass(frozen=True)
class Saved:
    """A table just stored, and the notification position of its last event."""

    table: TargetTable
    position: int


@dataclass(frozen=True)
class ImportOutcome:
    """One document's table, and the notification position of the import that stored it
    (0 when the import stored nothing)."""

    table_id: UUID
    name: str
    created: bool
    events: int
    position: int = 0


class TablesApplication(Application[UUID]):
    name = "jixiao"
    snapshotting_intervals: ClassVar[dict[type[MutableOrImmutableAggregate[Any]], int]] = {
        TargetTable: 50
    }

    def __init__(
        self,
        jurisdiction: str,
        transcoder: Callable[[], JSONTranscoder],
        env: dict[str, str] | None = None,
    ) -> None:
        """``transcoder`` makes the store's transcoder; the application registers its types."""
        self.jurisdiction = jurisdiction
        self._new_transcoder = transcoder
        super().__init__(env)

    def construct_recorder(self) -> ProcessRecorder:
        """A recorder that also tracks consumed positions, atomically with the events."""
        return self.factory.process_recorder()

    def construct_transcoder(self) -> Transcoder:
        transcoder = self._new_transcoder()
        self.register_transcodings(transcoder)
        return transcoder

    # --- reading ---------------------------------------------------------

    def table(self, table_id: UUID, version: int | None = None) -> TargetTable:
        found: object = self.repository.get(table_id, version=version)
        if not isinstance(found, TargetTable):
            raise TypeError(f"{table_id} is not a target table")
        return found

    def find_table(self, table_id: UUID) -> TargetTable | None:
        try:
            return self.table(table_id)
        except AggregateNotFoundError:
            return None

    def table_ids(self) -> Iterator[UUID]:
        """Every table in the order it was registered, read from the notification log."""
        return self.originators(f"{get_topic(TargetTable)}.Registered")

    def originators(self, topic: str) -> Iterator[UUID]:
        """The aggregates with an event of ``topic`` (e.g. their creation), in log order."""
        position: int | None = None
        while True:
            page = self.recorder.select_notifications(
                start=position, limit=1000, topics=[topic], inclusive_of_start=False
            )
            for notification in page:
                yield UUID(str(notification.originator_id))
            if len(page) < 1000:
                return
            position = page[-1].id

    def tables(self) -> list[TargetTable]:
        return [self.table(table_id) for table_id in self.table_ids()]

    def received_table(self, table_id: UUID) -> ReceivedTable | None:
        """A child's table as this (parent) node received it, if it did."""
        return self._find(received_id(table_id), ReceivedTable)

    def sync_record(self, table_key: str) -> SyncRecord | None:
        return self._find(sync_record_id(table_key), SyncRecord)

    def tracked(self, application_name: str) -> int | None:
        """The last position recorded for a consumed stream (e.g. a Kafka partition)."""
        recorder = self.recorder
        if not isinstance(recorder, ProcessRecorder):
            raise TypeError("this store records no consumed positions")
        return recorder.max_tracking_id(application_name)

    def chain(self, table_id: UUID, upto: int | None = None) -> list[str]:
        """The hash chain of a table's stored events (up to version ``upto``), as stored now."""
        return links(self.recorder.select_events(table_id, lte=upto))

    def save_tracked(self, tracking: Tracking | None, *aggregates: Aggregate) -> int:
        """Store the aggregates' new events and the consumed position in one transaction.

        A position recorded before raises ``AlreadyTracked``; nothing is stored then.
        """
        processing: ProcessingEvent[UUID] = ProcessingEvent(tracking)
        processing.collect_events(*aggregates)
        try:
            recordings = self._record(processing)
        except IntegrityError:
            if tracking is not None and (self.tracked(tracking.application_name) or 0) >= (
                tracking.notification_id
            ):
                raise AlreadyTracked(tracking) from None
            raise
        self._take_snapshots(processing)
        return max((item.notification.id for item in recordings), default=0)

    def _record(self, processing_event: ProcessingEvent[UUID]) -> list[Recording[UUID]]:
        """Store, then keep a copy of each stored table in the cache.

        eventsourcing caches saved aggregates only without fast-forward; with it, the next load
        would fetch and replay the event just written. A copy at the stored version makes that
        load one empty "events after v" query; a newer write by another process is still found.
        """
        recordings = super()._record(processing_event)
        cache = self.repository.cache
        if cache is not None and self.repository.fastforward:
            for aggregate_id, aggregate in processing_event.aggregates.items():
                if isinstance(aggregate, TargetTable):
                    cache.put(aggregate_id, deepcopy(aggregate))
        return recordings

    def _take_snapshots(self, processing_event: ProcessingEvent[UUID]) -> None:
        """Snapshot a table that reached an interval; from memory when it is the saved version."""
        snapshots = self.snapshots
        if snapshots is None:
            return
        interval = self.snapshotting_intervals[TargetTable]
        for event in processing_event.events:
            aggregate = processing_event.aggregates.get(event.originator_id)
            version = event.originator_version
            if not isinstance(aggregate, TargetTable) or version % interval:
                continue
            table = aggregate if aggregate.version == version else self.table(aggregate.id, version)
            snapshots.put([TargetTable.Snapshot.take(table)])

    def find(self, aggregate_id: UUID, kind: type[T]) -> T | None:
        """The aggregate ``aggregate_id`` if it exists (``TypeError`` if it is another kind)."""
        return self._find(aggregate_id, kind)

    def _find(self, aggregate_id: UUID, kind: type[T]) -> T | None:
        try:
            found: object = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        if not isinstance(found, kind):
            raise TypeError(f"{aggregate_id} is not a {kind.__name__}")
        return found

    # --- writing ---------------------------------------------------------

    def import_documents(
        self,
        documents: Sequence[TableDocument],
        actor: Actor,
        reason: str | None,
        *,
        keep_status: bool = False,
        create_only: bool = False,
    ) -> list[ImportOutcome]:
        """Register new tables (as drafts, unless ``keep_status``) and revise known ones; all of
        it is stored or none of it. What may be imported at all: ``service_layer.admission``.

        ``create_only`` (seeds) registers new tables and leaves every known one as it is."""
        table_ids = admitted(documents, self.jurisdiction, self.find_table, keep_status)
        outcomes: list[ImportOutcome] = []
        changed: list[TargetTable] = []
        locked: list[tuple[str, str]] = []
        seen: dict[UUID, int] = {}
        for at, (table_id, document) in enumerate(zip(table_ids, documents, strict=True), 1):
            if table_id in seen:
                raise ImportRefused(
                    f"{document.project.name}: documents {seen[table_id]} and {at} are the same "
                    f"table ({table_id}); import it once"
                )
            seen[table_id] = at
            if create_only and self.find_table(table_id) is not None:
                outcomes.append(ImportOutcome(table_id, document.project.name, False, 0))
                continue
            try:
                table, outcome = self._import_one(table_id, document, actor, reason, keep_status)
            except TableLocked as error:  # every such table is named, not only the first
                locked.append((document.project.name, error.status))
                continue
            outcomes.append(outcome)
            if outcome.events:
                changed.append(table)
        if locked:
            raise ImportHitsLockedTables(locked)
        position = self._save(*changed)
        return [replace(outcome, position=position) for outcome in outcomes]

    def edit(
        self, table_id: UUID, expected_version: int, change: Callable[[TargetTable], None]
    ) -> Saved:
        """Load the table, refuse a stale version, apply ``change``, save."""
        table = self._cached_at(table_id, expected_version) or self.table(table_id)
        table.check_version(expected_version)
        change(table)
        return Saved(table, self._save(table))

    def _cached_at(self, table_id: UUID, version: int) -> TargetTable | None:
        """A copy of the cached table if it is at ``version``, without asking the store.

        The version is the one the editor last saw. Should another process have stored a newer
        one meanwhile, the insert collides with it on (table, version) and ``_save`` reports the
        conflict with the version read from the store, so skipping the query loses nothing.
        """
        cache = self.repository.cache
        if cache is None:
            return None
        try:
            cached = cache.get(table_id)
        except KeyError:
            return None
        if not isinstance(cached, TargetTable) or cached.version != version:
            return None
        return deepcopy(cached)

    def _import_one(
        self,
        table_id: UUID,
        document: TableDocument,
        actor: Actor,
        reason: str | None,
        keep_status: bool,
    ) -> tuple[TargetTable, ImportOutcome]:
        table = self.find_table(table_id)
        if table is None:
            table = new_table(table_id, document, actor, reason, keep_status, self.find_table)
            return table, ImportOutcome(table_id, document.project.name, True, 1)
        if (table.fiscal_year, table.form) != (document.fiscal_year, document.form):
            raise ImportRefused(
                f"{document.project.name}: table {table_id} is a {table.fiscal_year} "
                f"{table.form} table; the document says {document.fiscal_year} {document.form}"
            )
        events = revise(table, document.content, actor, reason)
        check_unchanged(document, table, events, keep_status)
        return table, ImportOutcome(table_id, document.project.name, False, events)

    def _save(self, *tables: TargetTable) -> int:
        """Store every pending event in one transaction; a lost race is a ``VersionConflict``.

        Returns the notification id of the last event stored (0 when there was nothing to store).
        """
        if not tables:
            return 0
        loaded = {table.id: table.version - len(table.pending_events) for table in tables}
        try:
            recordings = self.save(*tables)
            return max((item.notification.id for item in recordings), default=0)
        except IntegrityError:
            for table_id, version in loaded.items():
                current = self.table(table_id).version
                if current != version:
                    raise VersionConflict(version, current) from None
            raise
