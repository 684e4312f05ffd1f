"""A rebuild reads the log once and gives each projection only what it reads: current state from
each table's last event, the inbox its workflow. What it writes is what event-by-event
projection writes, however the log is paged and wherever a projection stops."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any
from uuid import UUID

import pytest

from domain.document import document_for
from domain.model import Actor, Period, Role
from domain.table import TargetTable
from domain.values import parse_value
from infra.bootstrap import NodeServices
from projections.current import CurrentTables
from projections.rebuilding import Rebuild
from projections.transitions import Transition
from tests.conftest import JIANGSU, ServicesFactory, seed_documents
from tests.views import dump_views

EDITOR = Actor("u-1", "王编报", Role.EDITOR, "320000")
REVIEWER = Actor("u-2", "李审核", Role.REVIEWER, "320000")
POISON = "毒"


def edit(services: NodeServices, table_id: UUID, change: Callable[[TargetTable], None]) -> int:
    """Apply ``change`` to the table as it is now; returns the position of its last event."""
    services.app.edit(table_id, services.app.table(table_id).version, change)
    return services.runner.reader.head()


def set_value(target: TargetTable, value: str, reason: str = "edit") -> None:
    indicator = target.content.indicators[0].id
    target.set_indicator_value(indicator, Period.FULL_YEAR, parse_value(value), EDITOR, reason)


def return_it(target: TargetTable) -> None:
    target.return_for_changes(target.version, "请核实", {}, REVIEWER)


def approve_it(target: TargetTable) -> None:
    target.approve(target.version, "同意", REVIEWER)


def reviewed_province(services_factory: ServicesFactory) -> tuple[NodeServices, list[UUID]]:
    """A root node (it reviews its own tables) whose tables' edits interleave in the log:
    submitted, returned, resubmitted and approved; edited round by round."""
    services = services_factory("320000")
    services.app.import_documents(seed_documents(JIANGSU, "320000"), EDITOR, "seed")
    ids = list(services.app.table_ids())
    services.runner.page_size = 2
    for round_ in range(3):
        for table_id in ids:
            edit(services, table_id, partial(set_value, value=f"≥{round_}项"))
        services.runner.catch_up()
    first = ids[0]
    for change in (
        lambda t: t.submit(EDITOR, "报送"),
        return_it,
        partial(set_value, value="≥9项"),
        lambda t: t.submit(EDITOR, "再报"),
        approve_it,
    ):
        edit(services, first, change)
    edit(services, ids[-1], lambda t: t.submit(EDITOR, "报送"))
    services.runner.catch_up()
    return services, ids


def test_a_rebuild_in_pages_that_split_every_table_equals_the_views_built_event_by_event(
    services_factory: ServicesFactory,
) -> None:
    services, _ = reviewed_province(services_factory)
    incremental = dump_views(services.engine)
    assert len(incremental["inbox"]) == 3

    services.runner.page_size, services.runner.rebuild_page_size = 3, 3
    events = services.runner.rebuild()

    assert events == services.runner.reader.head()
    assert dump_views(services.engine) == incremental
    assert {item.lag for item in services.runner.status()} == {0}


def test_a_rebuild_that_keeps_few_tables_at_a_time_equals_the_views_built_event_by_event(
    services_factory: ServicesFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A log of more tables than a rebuild keeps in memory is written in several goes."""
    services, _ = reviewed_province(services_factory)
    incremental = dump_views(services.engine)

    monkeypatch.setattr(Rebuild, "kept_tables", 2)
    services.runner.page_size, services.runner.rebuild_page_size = 3, 3
    services.runner.rebuild()

    assert dump_views(services.engine) == incremental
    assert {item.lag for item in services.runner.status()} == {0}


def test_a_rebuild_makes_each_tables_document_once_and_once_per_submission(
    services_factory: ServicesFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Documents are what a rebuild spends most on: one per table for its current state, one
    per submitted version for the inbox, however many pages the table's events span."""
    services, ids = reviewed_province(services_factory)
    made: list[tuple[str, int | None]] = []

    def counted(key: str, *args: Any) -> Any:
        document = document_for(key, *args)
        made.append((key, document.version))
        return document

    monkeypatch.setattr("projections.transitions.document_for", counted)
    services.runner.page_size, services.runner.rebuild_page_size = 3, 3
    services.runner.rebuild()

    # Three submitted versions; the last table's is also its current state, made once for both.
    assert len(made) == len(ids) + 3 - 1
    assert len(set(made)) == len(made)


@pytest.mark.parametrize("kept_tables", [Rebuild.kept_tables, 2])
def test_a_current_state_view_stops_in_a_rebuild_at_the_event_it_cannot_apply(
    services_factory: ServicesFactory, monkeypatch: pytest.MonkeyPatch, kept_tables: int
) -> None:
    services, ids = reviewed_province(services_factory)
    poison = edit(services, ids[1], partial(set_value, value="≥7项", reason=POISON))
    edit(services, ids[2], partial(set_value, value="≥8项"))
    services.runner.catch_up()
    incremental = dump_views(services.engine)
    original = CurrentTables._row

    def row(self: CurrentTables, transition: Transition) -> dict[str, Any]:
        if transition.reason == POISON:
            raise ValueError("cannot apply")
        return original(self, transition)

    monkeypatch.setattr(CurrentTables, "_row", row)
    monkeypatch.setattr(Rebuild, "kept_tables", kept_tables)
    services.runner.page_size, services.runner.rebuild_page_size = 3, 3
    services.runner.rebuild()

    assert services.runner.faults()["tables"].position == poison
    lags = {item.name: item.lag for item in services.runner.status()}
    assert lags.pop("tables") > 0
    assert set(lags.values()) == {0}

    monkeypatch.undo()  # the fix is deployed
    services.runner.retry()
    assert services.runner.faults() == {}
    assert dump_views(services.engine) == incremental
