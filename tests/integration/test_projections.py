"""Projections on SQLite and PostgreSQL: exactly once, after restarts, failures and races."""

from __future__ import annotations

import threading
import time
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import Connection, func, select
from sqlalchemy.exc import OperationalError

from domain.model import Actor, Period, Role
from domain.table import TargetTable
from domain.values import parse_value
from infra.bootstrap import NodeServices, build_node, build_services
from infra.settings import Settings
from projections.schema import timeline
from projections.transitions import Transition
from tests.conftest import JIANGSU, NANCHANG, ServicesFactory, seed_documents
from tests.views import dump_views

EDITOR = Actor("u-1", "王编报", Role.EDITOR, "360100")


def seeded(services: NodeServices) -> list[UUID]:
    services.app.import_documents(seed_documents(NANCHANG, "360100"), EDITOR, "seed")
    return list(services.app.table_ids())


def set_first_value(target: TargetTable, value: str) -> None:
    indicator = target.content.indicators[0].id
    target.set_indicator_value(
        indicator, Period.FULL_YEAR, parse_value(value), EDITOR, f"set {value}"
    )


def edit_values(services: NodeServices, table_id: UUID, values: list[str]) -> None:
    for value in values:
        version = services.app.table(table_id).version
        services.app.edit(table_id, version, partial(set_first_value, value=value))


def timeline_rows(services: NodeServices) -> int:
    with services.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(timeline)) or 0)


def test_views_catch_up_after_a_restart(services_factory: ServicesFactory) -> None:
    first = services_factory("360100", store="r")
    ids = seeded(first)
    first.runner.catch_up()
    edit_values(first, ids[0], ["≥1项", "≥2项", "≥3项"])
    assert {item.lag for item in first.runner.status()} == {3}
    first.close()

    restarted = services_factory("360100", store="r")
    assert restarted.runner.catch_up() == 3
    assert {item.lag for item in restarted.runner.status()} == {0}
    row = restarted.reads.table_summaries([str(ids[0])])[str(ids[0])]
    assert row.version == 4
    entries = restarted.reads.timelines([str(ids[0])])[str(ids[0])]
    assert [entry.version for entry in entries] == [1, 2, 3, 4]
    assert entries[-1].changes[0].after == "≥3项"
    assert entries[-1].reason == "set ≥3项"
    assert entries[-1].actor_name == "王编报"


class Failing:
    """Wraps a projection and loses the connection once, in the middle of its update."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name = inner.name
        self.owns = inner.owns
        self.armed = True

    def apply(
        self, connection: Connection, transitions: list[Transition], others: list[Any]
    ) -> None:
        self.inner.apply(connection, transitions, others)
        if self.armed:
            self.armed = False
            lost = ConnectionError("lost after writing, before the position commits")
            raise OperationalError("COMMIT", None, lost)


def test_a_failed_update_commits_nothing_and_resumes_where_it_stopped(
    services_factory: ServicesFactory,
) -> None:
    services = services_factory("360100")
    ids = seeded(services)
    services.runner.catch_up()
    before = timeline_rows(services)
    edit_values(services, ids[1], ["≥4项", "≥5项"])
    runner = services.runner
    timeline_view = next(item for item in runner.projections if item.name == "timeline")
    failing = Failing(timeline_view)
    runner.projections = tuple(
        failing if item is timeline_view else item for item in runner.projections
    )

    with pytest.raises(OperationalError):
        runner.catch_up()
    positions = runner.positions()
    assert positions["timeline"] == 4
    assert positions["tables"] == 6
    assert timeline_rows(services) == before

    runner.catch_up()
    assert timeline_rows(services) == before + 2
    incremental = dump_views(services.engine)
    runner.rebuild()
    assert dump_views(services.engine) == incremental


def test_rebuild_equals_the_views_built_page_by_page(services_factory: ServicesFactory) -> None:
    services = services_factory("360100")
    ids = seeded(services)
    services.app.import_documents(seed_documents(NANCHANG, "360100"), EDITOR, "again")
    services.runner.page_size = 3
    for round_ in range(3):
        edit_values(services, ids[round_], [f"≥{round_}{n}项" for n in range(4)])
        services.runner.catch_up()
    table = services.app.table(ids[3])
    services.app.edit(ids[3], table.version, lambda t: t.submit(EDITOR, "done"))
    services.runner.catch_up()
    incremental = dump_views(services.engine)
    assert len(incremental["timeline"]) == 4 + 12 + 1

    services.runner.page_size = 1000
    events = services.runner.rebuild()
    assert events == 17
    assert dump_views(services.engine) == incremental
    rollups = {(row.kind, row.status): row for row in services.reads.rollups(None, None)}
    assert rollups[("carryover", "submitted")].funds_total == "436.41"
    assert sum(Decimal(row.funds_total) for row in rollups.values()) == Decimal("615.95")


def test_a_rebuild_read_in_many_pages_equals_one_read_in_a_single_page(
    services_factory: ServicesFactory,
) -> None:
    """A rebuild reads in pages of its own size; where they split a table's events changes
    nothing (on PostgreSQL, pages of 20 rows and more are written by COPY)."""
    services = services_factory("360100")
    ids = seeded(services)
    for table_id in ids:
        edit_values(services, table_id, [f"≥{n}项" for n in range(6)])
    table = services.app.table(ids[0])
    services.app.edit(ids[0], table.version, lambda t: t.submit(EDITOR, "done"))
    services.runner.catch_up()
    whole = services.runner.rebuild()
    single = dump_views(services.engine)

    services.runner.page_size, services.runner.rebuild_page_size = 3, 7
    assert services.runner.rebuild() == whole
    assert dump_views(services.engine) == single


def test_rollups_summed_edit_by_edit_equal_a_rebuild(services_factory: ServicesFactory) -> None:
    """1.50 replaced by 2 must not leave 2.00 where a rebuild says 2."""
    services = services_factory("360100")
    carryover = [
        table_id
        for table_id in seeded(services)
        if services.app.table(table_id).content.project.kind.value == "carryover"
    ]
    assert len(carryover) == 1  # alone in its rollup group
    table_id = carryover[0]
    for amount in (Decimal("1.50"), Decimal(2)):

        def set_total(table: TargetTable, amount: Decimal = amount) -> None:
            table.set_fund_total(amount, EDITOR, None)

        services.app.edit(table_id, services.app.table(table_id).version, set_total)
        services.runner.catch_up()
    incremental = dump_views(services.engine)
    services.runner.rebuild()
    assert dump_views(services.engine) == incremental


@pytest.mark.parametrize("page_size", [2, 50], ids=["row-inserts", "bulk-copies"])
def test_two_runners_racing_apply_each_event_once(
    services_factory: ServicesFactory, page_size: int
) -> None:
    services = services_factory("360100", store="race")
    ids = seeded(services)
    for table_id in ids:
        edit_values(services, table_id, ["≥6项", "≥7项", "≥8项", "≥9项", "≥10项"])
    other = services_factory("360100", store="race")
    services.runner.page_size = other.runner.page_size = page_size
    errors: list[BaseException] = []

    def run(node: NodeServices) -> None:
        try:
            node.runner.catch_up()
        except BaseException as error:  # a race must not surface as an error
            errors.append(error)

    threads = [threading.Thread(target=run, args=(node,)) for node in (services, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert timeline_rows(services) == 24
    raced = dump_views(services.engine)
    services.runner.rebuild()
    assert dump_views(services.engine) == raced


def test_the_inbox_of_a_root_node_follows_its_own_submissions(
    services_factory: ServicesFactory,
) -> None:
    services = services_factory("320000")
    editor = Actor("u-9", "编报", Role.EDITOR, "320000")
    reviewer = Actor("u-8", "审核", Role.REVIEWER, "320000")
    services.app.import_documents(seed_documents(JIANGSU, "320000"), editor, "seed")
    table_id = next(iter(services.app.table_ids()))
    services.app.edit(table_id, 1, lambda t: t.submit(editor, None))
    services.app.edit(table_id, 2, lambda t: t.return_for_changes(2, "再改", {}, reviewer))
    services.app.edit(table_id, 3, lambda t: t.submit(editor, None))
    services.runner.catch_up()
    page = services.reads.inbox(None, 10, None)
    assert [(row.version, row.status, row.decided_by) for row in page.rows] == [
        (2, "returned", "审核"),
        (4, "submitted", None),
    ]
    assert services.reads.inbox("submitted", 10, None).total == 1


def test_a_postgres_node_projects_another_writers_events_without_polling(
    postgres_database: str, tmp_path: Path
) -> None:
    settings = Settings(data_dir=tmp_path / "var", database_url=postgres_database)
    node = build_services("360100", settings, store="listen")
    writer = build_node("360100", settings, store="listen")  # e.g. a CLI import beside the server
    stop = threading.Event()
    assert node.listener is not None
    threads = [
        threading.Thread(target=node.runner.run, args=(stop, 600.0)),  # no poll during the test
        threading.Thread(target=node.listener.run, args=(stop,)),
    ]
    try:
        for thread in threads:
            thread.start()
        writer.import_documents(seed_documents(NANCHANG, "360100"), EDITOR, "seed")
        head = writer.recorder.max_notification_id() or 0
        deadline = time.monotonic() + 10
        while min(node.runner.positions().values()) < head and time.monotonic() < deadline:
            time.sleep(0.05)
        assert min(node.runner.positions().values()) == head == 4
        assert len(node.reads.table_rows([str(item) for item in writer.table_ids()])) == 4
    finally:
        stop.set()
        node.runner.nudge()
        for thread in threads:
            thread.join(timeout=10)
        writer.close()
        node.close()
