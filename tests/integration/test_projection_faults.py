"""A node is not stopped by its data: text PostgreSQL cannot hold is projected, and a projection
that cannot apply an event stops at exactly that event while the others go on, until a fix."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any
from uuid import UUID

import psycopg
import pytest
from sqlalchemy.exc import DataError

from domain.model import Actor, Period, Role
from domain.table import TargetTable
from domain.values import parse_value
from infra.bootstrap import NodeServices
from projections.faults import describe
from projections.schema import NUL_MARK
from projections.timeline import Timeline
from projections.transitions import Transition, TransitionReader
from tests.conftest import ServicesFactory
from tests.integration.test_projections import EDITOR, edit_values, seeded
from tests.views import dump_views

POISON = "毒"


def edit_for(services: NodeServices, table_id: UUID, reason: str) -> int:
    """Set the table's first value, for ``reason``; returns the event's position."""

    def change(target: TargetTable) -> None:
        indicator = target.content.indicators[0].id
        value = parse_value(f"≥{target.version}项")
        target.set_indicator_value(indicator, Period.FULL_YEAR, value, EDITOR, reason)

    return services.app.edit(table_id, services.app.table(table_id).version, change).position


def store_as_an_old_release_did(services: NodeServices, table_id: UUID, **changed: Any) -> int:
    """Store an event as it is, without the checks today's commands make (old stores hold
    events written before them, and events are kept for ever); returns its position."""
    kind = changed.pop("kind")
    table = services.app.table(table_id)
    return services.app.edit(
        table_id, table.version, lambda target: target.trigger_event(kind, **changed)
    ).position


def test_text_with_a_nul_from_an_old_store_is_projected_with_a_visible_mark(
    services_factory: ServicesFactory,
) -> None:
    services = services_factory("360100")
    table_id = seeded(services)[0]
    indicator = services.app.table(table_id).content.indicators[0].id
    for round_ in range(20):  # enough rows in one batch for PostgreSQL's COPY
        store_as_an_old_release_did(
            services,
            table_id,
            kind=TargetTable.IndicatorRenamed,
            indicator_id=indicator,
            name=f"新建\x00界标{round_}",
            actor=Actor("u-0", "旧\x00版本", Role.EDITOR, "360100"),
            reason="原因\x00",
        )
    store_as_an_old_release_did(
        services,
        table_id,
        kind=TargetTable.ProjectFieldChanged,
        field="name",
        value="项目\x00名称",
        label=None,
        actor=EDITOR,
        reason=None,
    )

    services.runner.catch_up()

    assert services.runner.faults() == {}
    assert {item.lag for item in services.runner.status()} == {0}
    key = str(table_id)
    assert services.reads.table_summaries([key])[key].name == f"项目{NUL_MARK}名称"
    entries = services.reads.timelines([key])[key]
    assert {entry.reason for entry in entries[1:-1]} == {f"原因{NUL_MARK}"}
    assert entries[1].actor_name == f"旧{NUL_MARK}版本"
    incremental = dump_views(services.engine)
    assert f"新建{NUL_MARK}界标19" in {row[7] for row in incremental["indicators"]}
    services.runner.rebuild()
    assert dump_views(services.engine) == incremental


def poison_the_timeline(monkeypatch: pytest.MonkeyPatch) -> None:
    """The timeline cannot apply an event whose reason is POISON (as if its code had a bug)."""
    original = Timeline._row

    def row(self: Timeline, transition: Transition) -> dict[str, Any]:
        if transition.reason == POISON:
            raise ValueError(f"cannot apply [/red]{transition.reason}")
        return original(self, transition)

    monkeypatch.setattr(Timeline, "_row", row)


@pytest.fixture
def poisoned(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    poison_the_timeline(monkeypatch)
    return monkeypatch


def test_a_projection_stops_at_exactly_the_event_it_cannot_apply_and_the_others_go_on(
    services_factory: ServicesFactory, poisoned: pytest.MonkeyPatch
) -> None:
    services = services_factory("360100")
    ids = seeded(services)
    services.runner.catch_up()
    edit_values(services, ids[0], ["≥1项", "≥2项"])
    before = services.runner.reader.head()
    poison = edit_for(services, ids[1], POISON)  # one event in the middle of a batch
    edit_values(services, ids[2], ["≥3项", "≥4项"])
    head = services.runner.reader.head()

    services.runner.catch_up()

    status = {item.name: item for item in services.runner.status()}
    timeline = status.pop("timeline")
    assert (timeline.position, timeline.stopped_at) == (before, poison)
    assert timeline.error == f"ValueError: cannot apply [/red]{POISON}"
    assert timeline.fault is not None
    assert timeline.fault.originator == str(ids[1])
    assert timeline.fault.topic == "domain.table:TargetTable.IndicatorValueChanged"
    assert {(item.position, item.stopped_at) for item in status.values()} == {(head, None)}
    assert services.reads.table_summaries([str(ids[2])])[str(ids[2])].version == 3

    # An edit right after is read back at once: read-your-writes does not wait for the timeline.
    later = edit_for(services, ids[3], "下一次")
    services.runner.catch_up()
    assert services.runner.wait_for(later, timeout=0)
    assert services.reads.table_summaries([str(ids[3])])[str(ids[3])].version == 2

    poisoned.undo()  # the fix is deployed
    services.runner.retry()
    assert services.runner.faults() == {}
    assert {item.lag for item in services.runner.status()} == {0}
    reasons = [entry.reason for entry in services.reads.timelines([str(ids[1])])[str(ids[1])]]
    assert reasons == ["seed", POISON]
    incremental = dump_views(services.engine)
    services.runner.rebuild()
    assert dump_views(services.engine) == incremental


def test_a_restarted_node_tries_the_event_again_and_resumes_once_it_is_fixed(
    services_factory: ServicesFactory, poisoned: pytest.MonkeyPatch
) -> None:
    services = services_factory("360100", store="restart")
    ids = seeded(services)
    poison = edit_for(services, ids[0], POISON)
    services.runner.catch_up()
    first = services.runner.faults()["timeline"]
    services.close()

    still = services_factory("360100", store="restart")
    still.runner.catch_up()  # tried again on start, and it fails again
    again = still.runner.faults()["timeline"]
    assert (again.position, again.error, again.since) == (poison, first.error, first.since)
    still.close()

    poisoned.undo()
    fixed = services_factory("360100", store="restart")
    fixed.runner.catch_up()
    assert fixed.runner.faults() == {}
    assert {item.lag for item in fixed.runner.status()} == {0}


def test_a_running_node_tries_a_stopped_projection_again_now_and_then(
    services_factory: ServicesFactory, poisoned: pytest.MonkeyPatch
) -> None:
    services = services_factory("360100")
    services.runner.retry_seconds = 0.2
    ids = seeded(services)
    edit_for(services, ids[0], POISON)
    stop = threading.Event()
    worker = threading.Thread(target=services.runner.run, args=(stop, 0.05))
    worker.start()
    try:
        assert until(lambda: "timeline" in services.runner.faults())
        poisoned.undo()
        assert until(lambda: services.runner.faults() == {})
        assert until(lambda: {item.lag for item in services.runner.status()} == {0})
    finally:
        stop.set()
        services.runner.nudge()
        worker.join(timeout=10)


def test_an_event_the_reader_cannot_read_stops_every_projection_there_but_not_edits(
    services_factory: ServicesFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = services_factory("360100")
    ids = seeded(services)
    services.runner.catch_up()
    unreadable = edit_for(services, ids[0], "旧版本写的")
    original = TransitionReader._apply

    def read(self: TransitionReader, notification: Any, event: Any) -> Transition:
        if notification.id == unreadable:
            raise TypeError("no upcaster for this event")
        return original(self, notification, event)

    monkeypatch.setattr(TransitionReader, "_apply", read)
    services.runner.catch_up()
    stopped = services.runner.faults()
    assert set(stopped) == {item.name for item in services.runner.projections}
    assert {fault.position for fault in stopped.values()} == {unreadable}
    assert {fault.error for fault in stopped.values()} == {"TypeError: no upcaster for this event"}

    edited = edit_for(services, ids[1], "照常编辑")
    services.runner.catch_up()
    assert services.runner.wait_for(edited, timeout=0)

    monkeypatch.undo()  # an upcaster is added
    services.runner.retry()
    assert services.runner.faults() == {}
    summaries = services.reads.table_summaries([str(ids[0]), str(ids[1])])
    assert {row.version for row in summaries.values()} == {2}


def test_a_rebuild_completes_around_a_stopped_projection(
    services_factory: ServicesFactory, poisoned: pytest.MonkeyPatch
) -> None:
    services = services_factory("360100")
    ids = seeded(services)
    poison = edit_for(services, ids[0], POISON)
    edit_values(services, ids[1], ["≥5项"])

    services.runner.rebuild()

    assert services.runner.faults()["timeline"].position == poison
    lags = {item.name: item.lag for item in services.runner.status()}
    assert lags.pop("timeline") == 2
    assert set(lags.values()) == {0}


def until(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_a_fault_names_the_drivers_error_without_the_statement_and_its_peoples_text() -> None:
    driver = psycopg.DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes")
    wrapped = DataError("INSERT INTO timeline …", {"reason": "某人写的原因"}, driver)
    assert describe(wrapped) == (
        "DataError: PostgreSQL text fields cannot contain NUL (0x00) bytes"
    )
