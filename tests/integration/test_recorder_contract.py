"""eventsourcing's own recorder contract, run against OneTripRecorder on the real PostgreSQL.

The node's store is a ``OneTripRecorder``: the application's process recorder, and so also its
application and tracking recorder. eventsourcing's test cases for those three roles run here
unchanged, plus its non-interleaving test; the aggregate recorder case runs through a view that
checks the notification ids instead of expecting none (see ``_AggregateView``). Then what the
one-trip path promises beyond the stock contract: it takes the table lock, and a reader
following the log while many writers insert never passes over a gap that is filled later.

A database of its own is created for this module and dropped afterwards; each test gets a fresh
schema in it (the nodes keep their events in a schema too). No PostgreSQL: every test fails.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from threading import Barrier, Event, Thread
from time import monotonic, sleep
from typing import Any, ClassVar
from unittest import TestCase
from uuid import UUID

import psycopg
import pytest
from eventsourcing.persistence import (
    AggregateRecorder,
    Notification,
    StoredEvent,
    Tracking,
)
from eventsourcing.postgres import PostgresDatastore
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from infra.recorder import OneTripRecorder
from tests.conftest import POSTGRES_ADMIN_URL
from tests.contract_cases import contract

pytestmark = pytest.mark.postgres

# The names a node's factory gives the tables (application name "jixiao").
EVENTS_TABLE = "jixiao_events"
TRACKING_TABLE = "jixiao_tracking"

_DATABASE = f"jixiao_contract_{uuid.uuid4().hex[:12]}"
_DATABASE_URL = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{_DATABASE}"


def setUpModule() -> None:
    try:
        admin = psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        pytest.fail(
            f"PostgreSQL is required at {POSTGRES_ADMIN_URL} (set JIXIAO_TEST_POSTGRES_URL) "
            f"and is not reachable: {error}"
        )
    with admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(_DATABASE)))


def tearDownModule() -> None:
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(_DATABASE))
        )


class OneTripDatastore(TestCase):
    """A PostgresDatastore on a fresh schema of the module's database, as eventsourcing's own
    postgres tests set one up (they point at their fixed ``eventsourcing`` database instead)."""

    pool_size: ClassVar[int] = 2
    max_overflow: ClassVar[int] = 14

    def setUp(self) -> None:
        super().setUp()
        self.schema = f"contract_{uuid.uuid4().hex[:10]}"
        self._admin_execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(self.schema)))
        params = conninfo_to_dict(_DATABASE_URL)
        self.datastore = PostgresDatastore(
            dbname=_DATABASE,
            host=str(params.get("host") or "127.0.0.1"),
            port=str(params.get("port") or "5432"),
            user=str(params.get("user") or "postgres"),
            password=str(params.get("password") or ""),
            schema=self.schema,
            pool_size=self.pool_size,
            max_overflow=self.max_overflow,
        )

    def tearDown(self) -> None:
        self.datastore.close()
        self._admin_execute(
            sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(self.schema))
        )
        super().tearDown()

    def create_one_trip_recorder(self) -> OneTripRecorder:
        recorder = OneTripRecorder(
            self.datastore, events_table_name=EVENTS_TABLE, tracking_table_name=TRACKING_TABLE
        )
        recorder.create_table()
        return recorder

    def _admin_execute(self, statement: sql.Composed) -> None:
        with psycopg.connect(_DATABASE_URL, autocommit=True, connect_timeout=5) as connection:
            connection.execute(statement)


class _AggregateView(AggregateRecorder):
    """OneTripRecorder seen as an aggregate recorder.

    eventsourcing's aggregate contract expects ``insert_events`` to return None: an aggregate
    recorder issues no notification ids. An application recorder (stock PostgreSQL's included)
    returns them, so that one assertion cannot hold for any of them. This view checks instead
    that a write returns one id per event, consecutive (the table lock gives a write a run of
    ids of its own), and None for no events, then hands the test None; the rest of the
    contract (atomic writes, conflicts, version ranges, order, limits) is asserted unchanged.
    """

    def __init__(self, recorder: OneTripRecorder) -> None:
        self.recorder = recorder

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids = self.recorder.insert_events(stored_events, **kwargs)
        if not stored_events:
            assert ids is None
            return None
        assert ids is not None
        assert list(ids) == list(range(ids[0], ids[0] + len(stored_events)))
        return None

    def select_events(
        self,
        originator_id: UUID | str,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Sequence[StoredEvent]:
        events: Sequence[StoredEvent] = self.recorder.select_events(
            originator_id, gt=gt, lte=lte, desc=desc, limit=limit
        )
        return events


class TestOneTripRecorderAsAggregateRecorder(OneTripDatastore, contract.AggregateRecorderTestCase):
    def create_recorder(self) -> AggregateRecorder:
        return _AggregateView(self.create_one_trip_recorder())


class TestOneTripRecorderAsApplicationRecorder(
    OneTripDatastore, contract.ApplicationRecorderTestCase[OneTripRecorder]
):
    def create_recorder(self) -> OneTripRecorder:
        return self.create_one_trip_recorder()

    def test_insert_subscribe(self) -> None:
        # Optional in the base case (not every recorder can be subscribed to); the projections
        # and the relay follow this store by LISTEN/NOTIFY, so here it is part of the contract.
        self.optional_test_insert_subscribe()


class TestOneTripRecorderAsTrackingRecorder(OneTripDatastore, contract.TrackingRecorderTestCase):
    def create_recorder(self) -> OneTripRecorder:
        return self.create_one_trip_recorder()


class TestOneTripRecorderAsProcessRecorder(OneTripDatastore, contract.ProcessRecorderTestCase):
    def create_recorder(self) -> OneTripRecorder:
        return self.create_one_trip_recorder()


class TestOneTripRecorderNonInterleavingNotificationIds(
    OneTripDatastore, contract.NonInterleavingNotificationIDsBaseCase
):
    def create_recorder(self) -> OneTripRecorder:
        return self.create_one_trip_recorder()


class TestOneTripRecorderTableLock(OneTripDatastore):
    """The one-trip functions take the EXCLUSIVE table lock before they draw notification ids.

    A transaction holding ROW SHARE on the events table does not block a plain INSERT (ROW
    EXCLUSIVE) but does block an EXCLUSIVE lock: an insert that waits for it took the lock.
    """

    def test_one_event_waits_for_the_table_lock(self) -> None:
        self._assert_insert_waits_for_table_lock(events=1)

    def test_many_events_wait_for_the_table_lock(self) -> None:
        self._assert_insert_waits_for_table_lock(events=5)

    def test_events_with_tracking_wait_for_the_table_lock(self) -> None:
        self._assert_insert_waits_for_table_lock(events=2, tracking=Tracking("upstream", 1))

    def _assert_insert_waits_for_table_lock(
        self, events: int, tracking: Tracking | None = None
    ) -> None:
        recorder = self.create_one_trip_recorder()
        originator_id = uuid.uuid4()
        stored = [
            StoredEvent(originator_id, version, "topic", b"state") for version in range(events)
        ]
        table = sql.SQL("{}.{}").format(sql.Identifier(self.schema), sql.Identifier(EVENTS_TABLE))
        finished = Event()
        results: list[Sequence[int] | None] = []
        errors: list[BaseException] = []

        def insert() -> None:
            try:
                results.append(recorder.insert_events(stored, tracking=tracking))
            except BaseException as error:
                errors.append(error)
            finally:
                finished.set()

        with psycopg.connect(_DATABASE_URL, connect_timeout=5) as holder:
            holder.execute(sql.SQL("LOCK TABLE {} IN ROW SHARE MODE").format(table))
            thread = Thread(target=insert, daemon=True)
            thread.start()
            waiting = self._lock_requests_waiting(holder, table, finished)
            assert not finished.is_set(), (
                f"inserted {events} event(s) while another transaction held ROW SHARE on the "
                f"table: no EXCLUSIVE table lock was taken (errors: {errors})"
            )
            assert waiting == ["ExclusiveLock"]
            holder.rollback()
        assert finished.wait(10), "the insert did not finish once the lock was free"
        thread.join(10)
        assert errors == []
        assert results == [list(range(1, events + 1))]
        assert len(recorder.select_events(originator_id)) == events

    def _lock_requests_waiting(
        self, holder: psycopg.Connection[Any], table: sql.Composed, finished: Event
    ) -> list[str]:
        """The lock modes requested on ``table`` and not granted, once there are any (or once
        the insert has finished, or after 10 s)."""
        query = sql.SQL(
            "SELECT mode FROM pg_locks WHERE relation = {}::regclass AND NOT granted"
        ).format(sql.Literal(table.as_string(holder)))
        deadline = monotonic() + 10
        with psycopg.connect(_DATABASE_URL, autocommit=True, connect_timeout=5) as observer:
            while True:
                modes = [str(row[0]) for row in observer.execute(query).fetchall()]
                if modes or finished.is_set() or monotonic() > deadline:
                    return modes
                sleep(0.01)


class TestOneTripRecorderRestart(OneTripDatastore):
    def test_creating_the_tables_again_keeps_the_log_and_its_ids(self) -> None:
        # Every node start calls create_table(): the functions are replaced, the log is kept.
        first = self.create_one_trip_recorder()
        assert first.insert_events(_events(uuid.uuid4(), 2)) == [1, 2]
        second = self.create_one_trip_recorder()
        assert second.insert_events(_events(uuid.uuid4(), 1)) == [3]
        assert first.insert_events(_events(uuid.uuid4(), 3)) == [4, 5, 6]
        assert second.max_notification_id() == 6


def _events(originator_id: UUID, count: int, first_version: int = 1) -> list[StoredEvent]:
    return [
        StoredEvent(originator_id, version, "topic", f"{originator_id}:{version}".encode())
        for version in range(first_version, first_version + count)
    ]


class TestOneTripRecorderConcurrentWritersAndFollowingReader(OneTripDatastore):
    """Writers race while a reader tails the log from the last id it saw.

    The writes take all three paths: the one-event function (an edit), the many-events function
    (an import) and, with a tracking record, eventsourcing's transaction (a sync consumer).
    """

    writers: ClassVar[int] = 6
    commands_per_writer: ClassVar[int] = 120
    # Events per write, in turn; every tenth write also records a consumed position.
    sizes: ClassVar[tuple[int, ...]] = (1, 1, 1, 4, 1, 9)
    aggregates_per_writer: ClassVar[int] = 3
    pool_size = 8
    max_overflow = 4

    def test_reader_sees_every_event_once_in_contiguous_increasing_ids(self) -> None:
        recorder = self.create_one_trip_recorder()
        start = recorder.max_notification_id() or 0
        started = Barrier(self.writers + 1)
        writers_done = Event()
        errors: list[BaseException] = []
        returned: dict[tuple[UUID | str, int], int] = {}  # event -> id insert_events gave it
        seen: list[Notification] = []
        gaps: list[str] = []

        def write(writer: int) -> None:
            try:
                aggregates = [uuid.uuid4() for _ in range(self.aggregates_per_writer)]
                versions = dict.fromkeys(aggregates, 0)
                tracked = 0
                started.wait()
                for command in range(self.commands_per_writer):
                    aggregate = aggregates[command % len(aggregates)]
                    count = self.sizes[command % len(self.sizes)]
                    events = _events(aggregate, count, versions[aggregate] + 1)
                    versions[aggregate] += count
                    tracking = None
                    if command % 10 == 9:
                        tracked += 1
                        tracking = Tracking(f"upstream-{writer}", tracked)
                    ids = recorder.insert_events(events, tracking=tracking)
                    assert ids is not None, "insert_events returned no notification ids"
                    assert len(ids) == len(events), f"{len(events)} events, ids {ids}"
                    for event, notification_id in zip(events, ids, strict=True):
                        returned[(event.originator_id, event.originator_version)] = notification_id
            except BaseException as error:
                errors.append(error)
                started.abort()

        def read() -> None:
            last = start
            deadline = monotonic() + 180
            try:
                started.wait()
                while monotonic() < deadline:
                    everything_written = writers_done.is_set()
                    page = recorder.select_notifications(
                        start=last, limit=100, inclusive_of_start=False
                    )
                    if not page:
                        if everything_written:
                            return
                        sleep(0.0005)
                        continue
                    for notification in page:
                        if notification.id != last + 1:
                            gaps.append(f"after id {last} the reader saw id {notification.id}")
                        last = notification.id
                        seen.append(notification)
                errors.append(TimeoutError("the reader did not catch up within 180 s"))
            except BaseException as error:
                errors.append(error)

        reader = Thread(target=read, daemon=True)
        threads = [Thread(target=write, args=(n,), daemon=True) for n in range(self.writers)]
        reader.start()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(180)
        writers_done.set()
        reader.join(200)

        assert not reader.is_alive(), "the reader is still running"
        assert errors == []
        assert gaps == [], "the reader passed over ids that were committed later"
        per_writer = (self.sizes[c % len(self.sizes)] for c in range(self.commands_per_writer))
        total = self.writers * sum(per_writer)
        assert len(returned) == total
        ids = [notification.id for notification in seen]
        assert ids == list(range(start + 1, start + 1 + total))
        keys = Counter((item.originator_id, item.originator_version) for item in seen)
        assert set(keys) == set(returned), "the reader saw other events than written"
        assert [key for key, times in keys.items() if times != 1] == []
        for item in seen:
            assert returned[item.originator_id, item.originator_version] == item.id
            assert item.state == f"{item.originator_id}:{item.originator_version}".encode()
        assert recorder.max_notification_id() == start + total
