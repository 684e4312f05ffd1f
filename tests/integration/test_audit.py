"""Diff, blame and tamper evidence on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from domain.model import Actor, Period, Role
from domain.values import parse_value
from infra.bootstrap import NodeServices
from tests.conftest import NANCHANG, ServicesFactory, seed_documents
from tests.insider import Insider
from tests.support.wire import Wire, relay_all

EDITOR = Actor("u-1", "王编报", Role.EDITOR, "360100")
OTHER = Actor("u-3", "赵编报", Role.EDITOR, "360100")
REVIEWER = Actor("u-2", "李审核", Role.REVIEWER, "360000")


def edited(services: NodeServices) -> tuple[UUID, str, str]:
    """A table with a value changed (v2), an indicator renamed (v3), funds (v4), removed (v5)."""
    services.app.import_documents(seed_documents(NANCHANG, "360100"), EDITOR, "seed")
    table_id = list(services.app.table_ids())[3]
    table = services.app.table(table_id)
    first = next(item.id for item in table.content.indicators if item.name == "新建界标")
    second = next(item.id for item in table.content.indicators if item.id != first)
    app = services.app
    app.edit(
        table_id,
        1,
        lambda t: t.set_indicator_value(
            first, Period.FULL_YEAR, parse_value("≥70块"), EDITOR, "实测"
        ),
    )
    app.edit(table_id, 2, lambda t: t.rename_indicator(first, "新建界标数量", OTHER, "更名"))
    app.edit(table_id, 3, lambda t: t.set_fund_total(Decimal("440.00"), EDITOR, "追加"))
    app.edit(table_id, 4, lambda t: t.remove_indicator(second, OTHER, "重复"))
    services.runner.catch_up()
    return table_id, first, second


def test_diff_lists_exactly_what_changed_between_any_two_versions(
    services_factory: ServicesFactory,
) -> None:
    services = services_factory("360100")
    table_id, first, second = edited(services)
    one_step = services.audit.diff(table_id, 1, 2)
    assert [(c.path, c.before, c.after) for c in one_step] == [
        (f"indicators.{first}.full_year", "≥66块", "≥70块")
    ]
    whole = {
        change.path: (change.before, change.after) for change in services.audit.diff(table_id, 1, 5)
    }
    assert whole[f"indicators.{first}.full_year"] == ("≥66块", "≥70块")
    assert whole[f"indicators.{first}.name"] == ("新建界标", "新建界标数量")
    assert whole["funds.total"] == ("436.41", "440.00")
    assert whole[f"indicators.{second}.name"][1] is None  # removed
    assert len([path for path in whole if path.startswith(f"indicators.{second}.")]) >= 2
    assert all(
        path.startswith((f"indicators.{first}.", f"indicators.{second}.", "funds.total"))
        for path in whole
    )
    backwards = services.audit.diff(table_id, 5, 1)
    assert {c.path for c in backwards} == set(whole)
    assert services.audit.diff(table_id, 3, 3) == []


def test_blame_names_the_event_that_last_set_each_value(services_factory: ServicesFactory) -> None:
    services = services_factory("360100")
    table_id, first, second = edited(services)
    lines = {line.path: line for line in services.audit.blame(table_id)}
    value = lines[f"indicators.{first}.full_year"]
    assert (value.value, value.entry.version, value.entry.actor_name, value.entry.reason) == (
        "≥70块",
        2,
        "王编报",
        "实测",
    )
    name = lines[f"indicators.{first}.name"]
    assert (name.value, name.entry.version, name.entry.actor_name) == ("新建界标数量", 3, "赵编报")
    assert lines["funds.total"].entry.version == 4
    assert lines["project.name"].entry.version == 1
    assert not any(path.startswith(f"indicators.{second}.") for path in lines)


def test_verify_passes_an_honest_store(services_factory: ServicesFactory) -> None:
    services = services_factory("360100")
    edited(services)
    assert services.audit.verify_all() == []
    assert len(services.audit.ledger_tables()) == 4


def test_verify_names_a_rewritten_event(services_factory: ServicesFactory) -> None:
    services = services_factory("360100")
    table_id, _, _ = edited(services)
    Insider(services.app).rewrite(table_id, 2, "≥70块", "≥7块")
    [(broken_id, found)] = services.audit.verify_all()
    assert (broken_id, found.version) == (table_id, 2)
    assert "altered" in found.problem


def test_verify_names_a_deleted_event(services_factory: ServicesFactory) -> None:
    services = services_factory("360100")
    table_id, _, _ = edited(services)
    Insider(services.app).delete(table_id, 3)
    found = services.audit.verify(table_id)
    assert found is not None
    assert found.version == 3
    assert "missing" in found.problem


def test_verify_names_two_swapped_events(services_factory: ServicesFactory) -> None:
    services = services_factory("360100")
    table_id, _, _ = edited(services)
    Insider(services.app).swap(table_id, 3, 4)
    found = services.audit.verify(table_id)
    assert found is not None
    assert found.version == 3


def test_a_rebuild_does_not_launder_a_rewritten_history(services_factory: ServicesFactory) -> None:
    services = services_factory("360100")
    table_id, _, _ = edited(services)
    Insider(services.app).rewrite(table_id, 2, "≥70块", "≥7块")
    services.runner.rebuild()
    found = services.audit.verify(table_id)
    assert found is not None
    assert found.version == 2


def test_the_parent_flags_a_child_whose_submitted_history_was_rewritten(
    services_factory: ServicesFactory,
) -> None:
    province = services_factory("360000", store="p")
    city = services_factory("360100", store="c")
    city.app.import_documents(seed_documents(NANCHANG, "360100"), EDITOR, "seed")
    table_id = next(iter(city.app.table_ids()))
    indicator = city.app.table(table_id).content.indicators[0].id
    city.app.edit(table_id, 1, lambda t: t.submit(EDITOR, "请审核"))
    wire = Wire()
    for message in relay_all(city):
        wire.deliver(province, *message)
    received = province.app.received_table(table_id)
    assert received is not None
    received.return_for_changes(2, "请修改", {}, REVIEWER)
    province.app.save_tracked(None, received)
    for message in relay_all(province):
        wire.deliver(city, *message)

    Insider(city.app).rewrite(table_id, 2, "请审核", "已审核")  # the submission's own reason
    city.app.edit(
        table_id,
        3,
        lambda t: t.set_indicator_value(
            indicator, Period.FULL_YEAR, parse_value("≥9项"), EDITOR, "改"
        ),
    )
    city.app.edit(table_id, 4, lambda t: t.submit(EDITOR, "再报"))
    for message in relay_all(city):
        wire.deliver(province, *message)
    received = province.app.received_table(table_id)
    assert received is not None
    assert received.mismatch == 2
    assert [item.version for item in received.received] == [2, 5]
    province.runner.catch_up()
    entries = {row.version: row for row in province.reads.inbox(None, 10, None).rows}
    assert entries[2].history_mismatch is None
    assert "version 2" in entries[5].history_mismatch
    assert entries[5].chain_head.startswith("sha256:")
