"""Several processes serving one node: one leads each role, another takes over when it dies,
and what each process keeps in memory never hides what another one wrote (real PostgreSQL)."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest

from domain.errors import VersionConflict
from domain.model import Actor, Period, Role
from domain.table import TargetTable
from domain.values import parse_value
from infra.bootstrap import NodeServices, build_node, build_services
from infra.leadership import AdvisoryLock, Leadership, ProcessLock
from infra.leadership import Role as LeadRole
from infra.settings import Settings
from tests.conftest import NANCHANG, seed_documents

EDITOR = Actor(id="u-1", name="王编报", role=Role.EDITOR, jurisdiction="360100")
POLL = 0.05


def eventually(check: Callable[[], bool], seconds: float = 30) -> None:
    """Wait until ``check`` holds; fail if it never does (a bound, not a timing claim)."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.02)


class Contender:
    """One process's contention for a role, with a role that only counts its runs."""

    def __init__(self, lock: AdvisoryLock | ProcessLock) -> None:
        self.leadership = Leadership("projections", lock, poll_seconds=POLL)
        self.runs = 0
        self.stopped = threading.Event()
        self._stop = threading.Event()
        role = LeadRole(self._start, lambda: None)
        self._thread = threading.Thread(target=self.leadership.run, args=(self._stop, role))

    def _start(self, stopping: threading.Event) -> list[threading.Thread]:
        self.runs += 1
        self.stopped.clear()

        def work() -> None:
            stopping.wait()
            self.stopped.set()

        worker = threading.Thread(target=work)
        worker.start()
        return [worker]

    def __enter__(self) -> Contender:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(timeout=30)


@pytest.fixture
def store() -> str:
    return f"lead{uuid.uuid4().hex[:8]}"


def terminate_holder(database_url: str, lock: AdvisoryLock) -> None:
    """End the session holding ``lock``, as a crashed machine or a cut network would."""
    with psycopg.connect(database_url, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' "
            "AND granted AND objsubid = 2 AND classid = %s AND objid = %s",
            lock.keys,
        )


def test_of_two_contenders_for_a_role_only_one_leads(postgres_database: str, store: str) -> None:
    locks = [AdvisoryLock(postgres_database, store, "projections") for _ in range(2)]
    with Contender(locks[0]) as first, Contender(locks[1]) as second:
        eventually(lambda: first.leadership.leading() or second.leadership.leading())
        leader, follower = (first, second) if first.leadership.leading() else (second, first)
        time.sleep(POLL * 10)  # several of the follower's tries
        assert (leader.runs, follower.runs) == (1, 0)
        assert not follower.leadership.leading()
        assert follower.leadership.holder() == leader.leadership.holder() is not None


def test_when_the_leaders_connection_dies_the_other_takes_over_and_the_leader_stops(
    postgres_database: str, store: str
) -> None:
    locks = [AdvisoryLock(postgres_database, store, "projections") for _ in range(2)]
    with Contender(locks[0]) as first, Contender(locks[1]) as second:
        eventually(lambda: first.leadership.leading() or second.leadership.leading())
        leader, follower = (first, second) if first.leadership.leading() else (second, first)
        terminate_holder(postgres_database, locks[0])

        eventually(lambda: follower.leadership.leading())
        eventually(leader.stopped.is_set)
        assert follower.runs == 1
        assert not leader.leadership.leading() or leader.runs == 2  # it may lead again later


def test_a_role_whose_leader_stopped_is_taken_over(postgres_database: str, store: str) -> None:
    second_lock = AdvisoryLock(postgres_database, store, "projections")
    with Contender(AdvisoryLock(postgres_database, store, "projections")) as first:
        eventually(first.leadership.leading)
        with Contender(second_lock) as second:
            first.__exit__()
            assert first.stopped.is_set()
            eventually(second.leadership.leading)


def test_roles_and_stores_have_locks_of_their_own(postgres_database: str, store: str) -> None:
    other_role = AdvisoryLock(postgres_database, store, "sync")
    other_store = AdvisoryLock(postgres_database, f"{store}x", "projections")
    with Contender(AdvisoryLock(postgres_database, store, "projections")) as first:
        eventually(first.leadership.leading)
        with Contender(other_role) as sync, Contender(other_store) as elsewhere:
            eventually(lambda: sync.leadership.leading() and elsewhere.leadership.leading())


def test_on_sqlite_the_one_process_leads_at_once() -> None:
    with Contender(ProcessLock()) as only:
        eventually(only.leadership.leading)
        assert only.leadership.holder() is not None


@pytest.fixture
def two_processes(postgres_database: str, tmp_path: Path) -> Iterator[list[NodeServices]]:
    """Two processes' worth of one node's services on one store (each with its own caches)."""
    settings = Settings(data_dir=tmp_path / "var", database_url=postgres_database)
    store = f"two{uuid.uuid4().hex[:6]}"
    opened = [build_services("360100", settings, store=store) for _ in range(2)]
    yield opened
    for services in opened:
        services.close()


def test_a_process_not_running_the_projections_still_reads_its_own_writes(
    two_processes: list[NodeServices],
) -> None:
    leader, follower = two_processes
    table_id = leader.app.import_documents(seed_documents(NANCHANG, "360100"), EDITOR, "seed")[
        0
    ].table_id
    stop = threading.Event()
    running = threading.Thread(target=leader.runner.run, args=(stop, POLL))
    running.start()
    try:
        assert not follower.leaders["projections"].leading()
        indicator = follower.app.table(table_id).content.indicators[0].id
        saved = follower.editing.set_indicator_value(
            EDITOR, table_id, 1, indicator, Period.FULL_YEAR, "≥70块", "实测"
        )
        assert follower.runner.wait_for(saved.position, timeout=30)
        assert follower.reads.table_summaries([str(table_id)])[str(table_id)].version == 2
    finally:
        stop.set()
        leader.runner.nudge()
        running.join(timeout=30)


def _set(value: str) -> Callable[[TargetTable], None]:
    def change(table: TargetTable) -> None:
        indicator = table.content.indicators[0].id
        table.set_indicator_value(indicator, Period.FULL_YEAR, parse_value(value), EDITOR, value)

    return change


def test_an_edit_on_a_copy_another_process_outdated_is_a_conflict_never_an_overwrite(
    postgres_database: str,
) -> None:
    settings = Settings(database_url=postgres_database)
    store = f"stale{uuid.uuid4().hex[:6]}"
    first, second = build_node("360100", settings, store), build_node("360100", settings, store)
    try:
        (outcome, *_) = first.import_documents(seed_documents(NANCHANG, "360100"), EDITOR, "s")
        table_id = outcome.table_id
        assert first.table(table_id).version == 1  # in the first process's cache now
        assert second.edit(table_id, 1, _set("≥71块")).table.version == 2

        with pytest.raises(VersionConflict) as conflict:
            first.edit(table_id, 1, _set("≥72块"))
        assert conflict.value.current == 2
        assert first.table(table_id).version == 2  # the cache caught up with the store
        assert first.edit(table_id, 2, _set("≥73块")).table.version == 3
        with pytest.raises(VersionConflict):
            second.edit(table_id, 2, _set("≥74块"))

        stored = [
            event.reason
            for event in second.repository.event_store.get(table_id)
            if isinstance(event, TargetTable.Event)
        ]
        assert stored == ["s", "≥71块", "≥73块"]
        assert second.table(table_id).version == first.table(table_id).version == 3
    finally:
        first.close()
        second.close()
