"""The node's named use cases, called as the entry points call them: no GraphQL, no HTTP.

Each use case names its actor and refuses, with nothing stored, whatever that actor may not
do or whatever arguments cannot be read; on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import cast
from uuid import UUID

import pytest

from domain.errors import (
    Forbidden,
    FullYearValueRequired,
    NoSuchExpenditureLine,
    ReasonRequired,
    TableLocked,
    TransitionRefused,
    UnknownIndicator,
    UnknownValueBasis,
    VersionConflict,
)
from domain.model import Actor, BasisKind, Period, Role, Status, ValueBasis
from domain.submission import received_id
from infra.bootstrap import NodeServices
from projections.reads import TableFilter
from service_layer.errors import InvalidArgument, Unauthenticated, UnknownTable
from service_layer.messages import inbox_topic
from service_layer.store import Saved
from service_layer.sync import Outcome
from service_layer.workflow import Reviewed
from tests.conftest import JIANGSU, NANCHANG, ServicesFactory, seed_documents
from tests.support.wire import Wire, relay_all

EDITOR = Actor("u-1", "王编报", Role.EDITOR, "360100")
AUDITOR = Actor("u-4", "陈审计", Role.AUDITOR, "360100")
ADMIN = Actor("u-5", "运维", Role.ADMIN, "360100")
CITY_REVIEWER = Actor("u-6", "周审核", Role.REVIEWER, "360100")
REVIEWER = Actor("u-2", "李审核", Role.REVIEWER, "360000")
PROVINCE_EDITOR = Actor("u-7", "吴编报", Role.EDITOR, "360000")
PROVINCE_AUDITOR = Actor("u-8", "郑审计", Role.AUDITOR, "360000")
PROVINCE_ADMIN = Actor("u-9", "省运维", Role.ADMIN, "360000")
SIBLING_EDITOR = Actor("u-10", "钱编报", Role.EDITOR, "360200")
JS_EDITOR = Actor("j-1", "孙编报", Role.EDITOR, "320000")
JS_REVIEWER = Actor("j-2", "刘审核", Role.REVIEWER, "320000")
JS_AUDITOR = Actor("j-3", "何审计", Role.AUDITOR, "320000")
NOBODY = cast(Actor, None)  # what an entry point passes when no token named anyone
UNKNOWN = UUID("00000000-0000-4000-8000-000000000000")


def city(services_factory: ServicesFactory) -> tuple[NodeServices, UUID, str]:
    """Nanchang's node with its seed tables: a table (v1, draft) and its first indicator."""
    services = services_factory("360100")
    outcomes = services.editing.import_documents(EDITOR, seed_documents(NANCHANG, "360100"), "seed")
    assert [outcome.created for outcome in outcomes] == [True] * 4
    table_id = outcomes[3].table_id
    return services, table_id, services.app.table(table_id).content.indicators[0].id


def version_of(services: NodeServices, table_id: UUID) -> int:
    return services.app.table(table_id).version


def full_year(services: NodeServices, table_id: UUID, indicator_id: str) -> str:
    return services.app.table(table_id).indicator(indicator_id).full_year.raw


# --- editing -------------------------------------------------------------------------------


def test_an_editor_sets_a_value_and_the_timeline_names_them_and_their_reason(
    services_factory: ServicesFactory,
) -> None:
    services, table_id, indicator = city(services_factory)
    before = full_year(services, table_id, indicator)

    saved = services.editing.set_indicator_value(
        EDITOR, table_id, 1, indicator, Period.FULL_YEAR, " ≤550万 ", "按批复调整"
    )

    assert isinstance(saved, Saved)
    assert saved.table.version == 2
    assert saved.position > 0
    assert version_of(services, table_id) == 2
    assert full_year(services, table_id, indicator) == "≤550万"
    services.runner.catch_up()
    entries = services.reading.timelines(EDITOR, [str(table_id)])[str(table_id)]
    assert [entry.version for entry in entries] == [1, 2]
    last = entries[-1]
    assert (last.actor, last.reason, last.event_type) == (
        EDITOR,
        "按批复调整",
        "IndicatorValueChanged",
    )
    assert [(c.path, c.before, c.after) for c in last.changes] == [
        (f"indicators.{indicator}.full_year", before, "≤550万")
    ]
    assert services.reading.table_row(EDITOR, str(table_id)).version == 2


def test_only_an_editor_of_the_node_edits_and_a_refusal_stores_nothing(
    services_factory: ServicesFactory,
) -> None:
    services, table_id, indicator = city(services_factory)
    for actor in (
        AUDITOR,
        ADMIN,
        CITY_REVIEWER,
        REVIEWER,
        PROVINCE_EDITOR,
        SIBLING_EDITOR,
        JS_EDITOR,
    ):
        with pytest.raises(Forbidden):
            services.editing.set_indicator_value(
                actor, table_id, 1, indicator, Period.FULL_YEAR, "≤1万", "越权"
            )
        with pytest.raises(Forbidden):
            services.workflow.submit(actor, table_id, 1)
    with pytest.raises(Unauthenticated):
        services.editing.set_indicator_value(
            NOBODY, table_id, 1, indicator, Period.FULL_YEAR, "≤1万"
        )
    with pytest.raises(Unauthenticated):
        services.editing.edit(None, table_id, 1, lambda table: None)
    with pytest.raises(Forbidden):
        services.editing.import_documents(AUDITOR, seed_documents(NANCHANG, "360100"), "再导入")

    assert version_of(services, table_id) == 1
    assert full_year(services, table_id, indicator) != "≤1万"
    services.runner.catch_up()
    entries = services.reading.timelines(EDITOR, [str(table_id)])[str(table_id)]
    assert [entry.event_type for entry in entries] == ["Registered"]


def test_a_stale_version_is_refused_with_the_current_one_and_an_unknown_table_is_named(
    services_factory: ServicesFactory,
) -> None:
    services, table_id, indicator = city(services_factory)
    services.editing.set_indicator_value(EDITOR, table_id, 1, indicator, Period.FULL_YEAR, "≤5万")

    with pytest.raises(VersionConflict) as conflict:
        services.editing.set_indicator_value(
            EDITOR, table_id, 1, indicator, Period.FULL_YEAR, "≤6万"
        )
    assert (conflict.value.expected, conflict.value.current) == (1, 2)
    assert "reload version 2" in str(conflict.value)
    assert full_year(services, table_id, indicator) == "≤5万"

    with pytest.raises(UnknownTable) as unknown:
        services.editing.set_indicator_value(
            EDITOR, UNKNOWN, 1, indicator, Period.FULL_YEAR, "≤6万"
        )
    assert unknown.value.field == "tableId"
    assert str(UNKNOWN) in str(unknown.value)
    assert "360100" in str(unknown.value)
    with pytest.raises(UnknownTable):
        services.history.table(AUDITOR, UNKNOWN)
    with pytest.raises(UnknownTable):
        services.reading.table_row(AUDITOR, str(UNKNOWN))
    assert version_of(services, table_id) == 2


def test_malformed_arguments_are_refused_naming_their_field(
    services_factory: ServicesFactory,
) -> None:
    services, table_id, indicator = city(services_factory)
    editing = services.editing
    attempts: list[tuple[str, Callable[[], object]]] = [
        ("amount", lambda: editing.set_fund_total(EDITOR, table_id, 1, "三十万")),
        ("amount", lambda: editing.set_fund_total(EDITOR, table_id, 1, "-1")),
        ("amount", lambda: editing.set_fund_source(EDITOR, table_id, 1, "一般公共预算资金", "NaN")),
        ("source", lambda: editing.set_fund_source(EDITOR, table_id, 1, "天上掉的", "1")),
        (
            "value",
            lambda: editing.set_indicator_value(
                EDITOR, table_id, 1, indicator, Period.FULL_YEAR, "   "
            ),
        ),
        ("name", lambda: editing.rename_indicator(EDITOR, table_id, 1, indicator, "  ")),
        (
            "fullYear",
            lambda: editing.add_indicator(
                EDITOR, table_id, 1, "产出指标", "数量指标", "新指标", ""
            ),
        ),
        ("line.name", lambda: editing.add_expenditure(EDITOR, table_id, 1, " ", "1.00")),
        ("line.fullYear", lambda: editing.add_expenditure(EDITOR, table_id, 1, "印刷费", "x")),
        (
            "reason",
            lambda: editing.set_goal(EDITOR, table_id, 1, "annual", "目标", "长" * 20_001),
        ),
        (
            "basis.kind",
            lambda: editing.explain_indicator(
                EDITOR, table_id, 1, indicator, "解释", None, "依据在此"
            ),
        ),
    ]
    for field, attempt in attempts:
        with pytest.raises(InvalidArgument) as refused:
            attempt()
        assert refused.value.field == field, field

    assert version_of(services, table_id) == 1


def test_a_missing_expenditure_line_an_unknown_basis_or_indicator_are_refused(
    services_factory: ServicesFactory,
) -> None:
    services, table_id, indicator = city(services_factory)
    editing = services.editing
    assert services.app.table(table_id).content.expenditures == ()
    with pytest.raises(NoSuchExpenditureLine) as missing:
        editing.set_expenditure(EDITOR, table_id, 1, 0, "印刷费", "1.00")
    assert missing.value.field == "index"
    assert "the table has 0" in str(missing.value)
    saved = editing.add_expenditure(EDITOR, table_id, 1, "印刷费", "1.00", "0.50", "新增")
    assert str(saved.table.content.expenditures[0].full_year) == "1.00"
    for index in (1, -1):
        with pytest.raises(NoSuchExpenditureLine):
            editing.remove_expenditure(EDITOR, table_id, 2, index)
    with pytest.raises(UnknownValueBasis) as basis:
        editing.explain_indicator(EDITOR, table_id, 2, indicator, "解释", "国家标准", "依据")
    assert basis.value.field == "basis"
    assert "计划标准" in str(basis.value)
    with pytest.raises(UnknownIndicator) as unknown:
        editing.set_indicator_value(EDITOR, table_id, 2, "no-such-id", Period.FULL_YEAR, "1")
    assert unknown.value.field == "indicatorId"
    with pytest.raises(FullYearValueRequired):
        editing.set_indicator_value(EDITOR, table_id, 2, indicator, Period.FULL_YEAR, None)

    assert version_of(services, table_id) == 2
    removed = editing.remove_expenditure(EDITOR, table_id, 2, 0, "删除")
    assert removed.table.content.expenditures == ()
    assert removed.table.version == 3


def test_explanation_and_basis_are_stored_and_shown_in_document_diff_and_blame(
    services_factory: ServicesFactory,
) -> None:
    services, table_id, first = city(services_factory)
    second = services.app.table(table_id).content.indicators[1].id
    editing = services.editing

    by_label = editing.explain_indicator(
        EDITOR, table_id, 1, first, "项目全部成本", "计划标准", " 《实施方案》 ", "补充说明"
    )
    by_code = editing.explain_indicator(EDITOR, table_id, 2, second, "界标数量", "plan", None)

    assert by_code.table.version == 3
    item = by_label.table.indicator(first)
    assert (item.explanation, item.basis) == (
        "项目全部成本",
        ValueBasis(BasisKind.PLAN, "《实施方案》"),
    )
    assert by_code.table.indicator(second).basis == ValueBasis(BasisKind.PLAN, None)
    services.runner.catch_up()
    document = json.loads(services.reading.table_row(EDITOR, str(table_id)).document)
    written = {row["id"]: row for row in document["indicators"]}
    assert written[first]["explanation"] == "项目全部成本"
    assert written[first]["basis"] == {"kind": "plan", "text": "《实施方案》"}
    assert written[second]["basis"] == {"kind": "plan", "text": None}

    diff = services.history.diff(AUDITOR, table_id, 1, 3)
    assert {(c.path, c.before, c.after) for c in diff} == {
        (f"indicators.{first}.explanation", None, "项目全部成本"),
        (f"indicators.{first}.basis", None, "plan: 《实施方案》"),
        (f"indicators.{second}.explanation", None, "界标数量"),
        (f"indicators.{second}.basis", None, "plan"),
    }
    blame = {line.path: line for line in services.history.blame(AUDITOR, table_id)}
    basis = blame[f"indicators.{first}.basis"]
    assert (basis.value, basis.entry.version, basis.entry.actor, basis.entry.reason) == (
        "plan: 《实施方案》",
        2,
        EDITOR,
        "补充说明",
    )
    assert blame[f"indicators.{second}.explanation"].entry.version == 3

    cleared = editing.explain_indicator(EDITOR, table_id, 3, first, None, None, None, "撤回")
    assert (cleared.table.indicator(first).explanation, cleared.table.indicator(first).basis) == (
        None,
        None,
    )
    services.runner.catch_up()
    assert {(c.path, c.after) for c in services.history.diff(AUDITOR, table_id, 3, 4)} == {
        (f"indicators.{first}.explanation", None),
        (f"indicators.{first}.basis", None),
    }
    blame = {line.path: line for line in services.history.blame(AUDITOR, table_id)}
    assert f"indicators.{first}.explanation" not in blame
    assert f"indicators.{first}.basis" not in blame
    assert f"indicators.{second}.basis" in blame
    document = json.loads(services.reading.table_row(EDITOR, str(table_id)).document)
    row = next(row for row in document["indicators"] if row["id"] == first)
    assert "explanation" not in row
    assert "basis" not in row


# --- workflow ------------------------------------------------------------------------------


def test_a_city_node_leaves_the_decision_on_its_tables_to_its_parent(
    services_factory: ServicesFactory,
) -> None:
    services, table_id, indicator = city(services_factory)
    submitted = services.workflow.submit(EDITOR, table_id, 1, "请审核")
    assert (submitted.table.version, submitted.table.status) == (2, Status.SUBMITTED)
    workflow = services.workflow

    for reviewer in (REVIEWER, CITY_REVIEWER, EDITOR, JS_REVIEWER):
        with pytest.raises(Forbidden):
            workflow.approve(reviewer, table_id, 2, "同意")
        with pytest.raises(Forbidden):
            workflow.return_for_changes(reviewer, table_id, 2, "请修改", {indicator: "偏高"})
    with pytest.raises(Forbidden) as parent:
        workflow.approve(REVIEWER, table_id, 2)
    assert "360000" in str(parent.value)
    with pytest.raises(TableLocked):
        services.editing.set_indicator_value(
            EDITOR, table_id, 2, indicator, Period.FULL_YEAR, "≤1万"
        )

    table = services.app.table(table_id)
    assert (table.version, table.status, table.decision) == (2, Status.SUBMITTED, None)


def test_a_root_reviewer_returns_with_comments_then_approves_the_resubmission(
    services_factory: ServicesFactory,
) -> None:
    services = services_factory("320000")
    outcomes = services.editing.import_documents(
        JS_EDITOR, seed_documents(JIANGSU, "320000"), "seed"
    )
    table_id = outcomes[0].table_id
    indicator = services.app.table(table_id).content.indicators[0].id
    workflow = services.workflow
    workflow.submit(JS_EDITOR, table_id, 1, "请审核")

    for actor in (JS_EDITOR, JS_AUDITOR, REVIEWER):
        with pytest.raises(Forbidden):
            workflow.return_for_changes(actor, table_id, 2, "请修改")
    with pytest.raises(ReasonRequired):
        workflow.return_for_changes(JS_REVIEWER, table_id, 2, "  ")
    with pytest.raises(UnknownIndicator):
        workflow.return_for_changes(JS_REVIEWER, table_id, 2, "请修改", {"no-such-id": "?"})
    assert version_of(services, table_id) == 2

    returned = workflow.return_for_changes(
        JS_REVIEWER, table_id, 2, "指标值偏低", {indicator: "请提高目标值"}
    )
    assert isinstance(returned, Saved)
    decision = returned.table.decision
    assert returned.table.status is Status.RETURNED
    assert decision is not None
    assert (decision.action, decision.version, decision.actor, decision.comment) == (
        "return",
        2,
        JS_REVIEWER,
        "指标值偏低",
    )
    assert decision.indicator_comments == {indicator: "请提高目标值"}

    services.editing.set_indicator_value(
        JS_EDITOR, table_id, 3, indicator, Period.FULL_YEAR, "完备", "按意见修改"
    )
    resubmitted = workflow.submit(JS_EDITOR, table_id, 4, "已修改")
    assert (resubmitted.table.version, resubmitted.table.status) == (5, Status.SUBMITTED)
    with pytest.raises(VersionConflict):
        workflow.approve(JS_REVIEWER, table_id, 2, "同意")
    approved = workflow.approve(JS_REVIEWER, table_id, 5, "同意")
    assert isinstance(approved, Saved)
    assert approved.table.status is Status.APPROVED
    assert approved.table.decision is not None
    assert (approved.table.decision.action, approved.table.decision.version) == ("approve", 5)
    with pytest.raises(TransitionRefused):
        workflow.approve(JS_REVIEWER, table_id, 6)
    with pytest.raises(TableLocked):
        services.editing.set_indicator_value(
            JS_EDITOR, table_id, 6, indicator, Period.FULL_YEAR, "完整"
        )

    for missing in (None, "   "):
        with pytest.raises(ReasonRequired) as required:
            workflow.open_adjustment(JS_EDITOR, table_id, 6, missing)
        assert required.value.field == "reason"
    with pytest.raises(Forbidden):
        workflow.open_adjustment(JS_REVIEWER, table_id, 6, "调整")
    assert version_of(services, table_id) == 6
    adjusting = workflow.open_adjustment(JS_EDITOR, table_id, 6, "年中调整")
    assert (adjusting.table.version, adjusting.table.status) == (7, Status.ADJUSTING)
    services.editing.set_indicator_value(
        JS_EDITOR, table_id, 7, indicator, Period.FULL_YEAR, "完整"
    )

    services.runner.catch_up()
    inbox = services.reading.inbox(JS_REVIEWER, None, 10, None)
    assert [(row.version, row.status) for row in inbox.rows] == [
        (2, "returned"),
        (5, "approved"),
    ]


def test_the_province_reviewer_decides_on_a_city_submission_that_arrived_by_relay(
    services_factory: ServicesFactory,
) -> None:
    province = services_factory("360000", store="p")
    town, table_id, indicator = city(services_factory)
    wire = Wire()
    town.workflow.submit(EDITOR, table_id, 1, "请审核")
    [(topic, key, value)] = relay_all(town)
    assert wire.deliver(province, topic, key, value) is Outcome.APPLIED

    for outsider in (JS_REVIEWER, PROVINCE_EDITOR, PROVINCE_AUDITOR, CITY_REVIEWER):
        with pytest.raises(Forbidden):
            province.workflow.approve(outsider, table_id, 2, "同意")
    with pytest.raises(Unauthenticated):
        province.workflow.approve(NOBODY, table_id, 2)
    with pytest.raises(VersionConflict):
        province.workflow.approve(REVIEWER, table_id, 1)
    received = province.app.received_table(table_id)
    assert received is not None
    assert received.status is Status.SUBMITTED

    with pytest.raises(UnknownIndicator):  # the city could not apply it: refused before storing
        province.workflow.return_for_changes(REVIEWER, table_id, 2, "请补充", {"nope": "依据不足"})
    assert province.app.received_table(table_id).status is Status.SUBMITTED  # type: ignore[union-attr]
    returned = province.workflow.return_for_changes(
        REVIEWER, table_id, 2, "请补充", {indicator: "依据不足"}
    )
    assert isinstance(returned, Reviewed)
    assert (returned.table_id, returned.received_id, returned.version) == (
        table_id,
        received_id(table_id),
        2,
    )
    [decision] = relay_all(province)
    assert wire.deliver(town, *decision) is Outcome.APPLIED
    table = town.app.table(table_id)
    assert (table.version, table.status) == (3, Status.RETURNED)
    assert table.decision is not None
    assert (table.decision.actor, table.decision.indicator_comments) == (
        REVIEWER,
        {indicator: "依据不足"},
    )

    town.editing.explain_indicator(EDITOR, table_id, 3, indicator, "补充依据", "计划标准", None)
    town.workflow.submit(EDITOR, table_id, 4, "已补充")
    [(topic, key, value)] = relay_all(town)
    assert wire.deliver(province, topic, key, value) is Outcome.APPLIED
    approved = province.workflow.approve(REVIEWER, table_id, 5, "同意")
    assert isinstance(approved, Reviewed)
    assert approved.version == 5
    assert approved.position > returned.position
    with pytest.raises(TransitionRefused):
        province.workflow.approve(REVIEWER, table_id, 5)
    [decision] = relay_all(province)
    assert decision[0] == inbox_topic(town.place.code)
    assert wire.deliver(town, *decision) is Outcome.APPLIED
    table = town.app.table(table_id)
    assert (table.version, table.status) == (6, Status.APPROVED)

    province.runner.catch_up()
    inbox = province.reading.inbox(REVIEWER, None, 10, None)
    assert [(row.version, row.status) for row in inbox.rows] == [
        (2, "returned"),
        (5, "approved"),
    ]


# --- history -------------------------------------------------------------------------------


def test_a_past_table_is_asked_for_by_a_version_in_range_or_a_time_with_its_zone(
    services_factory: ServicesFactory,
) -> None:
    services, table_id, indicator = city(services_factory)
    before = full_year(services, table_id, indicator)
    time.sleep(0.01)
    services.editing.set_indicator_value(EDITOR, table_id, 1, indicator, Period.FULL_YEAR, "≤7万")
    services.runner.catch_up()
    history = services.history
    [first, second] = services.reading.timelines(EDITOR, [str(table_id)])[str(table_id)]
    registered = datetime.fromisoformat(first.at)
    edited = datetime.fromisoformat(second.at)
    assert registered < edited

    assert history.table(EDITOR, table_id).version == 2
    assert history.table(EDITOR, table_id, version=1).indicator(indicator).full_year.raw == before
    for version in (0, 3, -1):
        with pytest.raises(InvalidArgument) as outside:
            history.table(EDITOR, table_id, version=version)
        assert outside.value.field == "version"
        assert "1..2" in str(outside.value)

    beijing = timezone(timedelta(hours=8))
    between = (edited - timedelta(microseconds=1)).astimezone(beijing)
    assert history.table(EDITOR, table_id, at=between).version == 1
    assert history.table(EDITOR, table_id, at=between.isoformat()).version == 1
    assert history.table(EDITOR, table_id, at=edited.astimezone(beijing).isoformat()).version == 2
    assert history.table(EDITOR, table_id, at=datetime.now(UTC)).version == 2
    for naive in (between.replace(tzinfo=None), between.replace(tzinfo=None).isoformat()):
        with pytest.raises(InvalidArgument) as zoneless:
            history.table(EDITOR, table_id, at=naive)
        assert zoneless.value.field == "asOf"
    for unreadable in ("yesterday", registered - timedelta(seconds=1)):
        with pytest.raises(InvalidArgument) as refused:
            history.table(EDITOR, table_id, at=unreadable)
        assert refused.value.field == "asOf"
    with pytest.raises(InvalidArgument) as both:
        history.table(EDITOR, table_id, version=1, at=between)
    assert both.value.field == "asOf"

    for reader in (SIBLING_EDITOR, PROVINCE_EDITOR, JS_AUDITOR):
        with pytest.raises(Forbidden):
            history.table(reader, table_id, version=1)
    assert history.table(PROVINCE_AUDITOR, table_id, version=1).version == 1
    with pytest.raises(Unauthenticated):
        history.table(None, table_id)


def test_diff_blame_and_verify_are_for_auditors_and_check_their_versions(
    services_factory: ServicesFactory,
) -> None:
    services, table_id, indicator = city(services_factory)
    services.editing.set_indicator_value(EDITOR, table_id, 1, indicator, Period.FULL_YEAR, "≤8万")
    services.runner.catch_up()
    history = services.history

    for actor in (EDITOR, REVIEWER, CITY_REVIEWER, SIBLING_EDITOR, JS_AUDITOR):
        with pytest.raises(Forbidden):
            history.diff(actor, table_id, 1, 2)
        with pytest.raises(Forbidden):
            history.blame(actor, table_id)
        with pytest.raises(Forbidden):
            history.verify(actor)
    with pytest.raises(Unauthenticated):
        history.diff(None, table_id, 1, 2)

    for before, after, field in ((0, 2, "fromVersion"), (1, 3, "toVersion"), (3, 1, "fromVersion")):
        with pytest.raises(InvalidArgument) as outside:
            history.diff(AUDITOR, table_id, before, after)
        assert outside.value.field == field
    with pytest.raises(UnknownTable):
        history.diff(AUDITOR, UNKNOWN, 1, 1)

    for auditor in (AUDITOR, ADMIN, PROVINCE_AUDITOR):
        [change] = history.diff(auditor, table_id, 1, 2)
        assert (change.path, change.after) == (f"indicators.{indicator}.full_year", "≤8万")
        blame = {line.path: line for line in history.blame(auditor, table_id)}
        assert blame[f"indicators.{indicator}.full_year"].entry.version == 2
        assert blame[f"indicators.{indicator}.name"].entry.version == 1

    everything = history.verify(AUDITOR)
    assert (everything.checked, everything.broken) == (4, [])
    one = history.verify(PROVINCE_AUDITOR, table_id)
    assert (one.checked, one.broken) == (1, [])
    story = history.story(AUDITOR, table_id)
    assert [line.version for line in story.lines] == [1, 2]
    assert story.chain_break is None


# --- reading -------------------------------------------------------------------------------


def test_reading_checks_page_sizes_and_who_may_read_here(
    services_factory: ServicesFactory,
) -> None:
    services, table_id, _ = city(services_factory)
    services.runner.catch_up()
    reading = services.reading

    for first in (0, 101, -1):
        with pytest.raises(InvalidArgument) as size:
            reading.tables(EDITOR, TableFilter(), first, None)
        assert size.value.field == "first"
        with pytest.raises(InvalidArgument):
            reading.inbox(AUDITOR, None, first, None)
    page = reading.tables(EDITOR, TableFilter(), 100, None)
    assert (page.total, len(page.rows), page.has_next) == (4, 4, False)
    assert str(table_id) in {row.id for row in page.rows}
    assert reading.tables(PROVINCE_AUDITOR, TableFilter(), 1, None).has_next

    for outsider in (SIBLING_EDITOR, PROVINCE_EDITOR, JS_EDITOR, JS_AUDITOR):
        with pytest.raises(Forbidden):
            reading.tables(outsider, TableFilter(), 10, None)
        with pytest.raises(Forbidden):
            reading.table_row(outsider, str(table_id))
    with pytest.raises(Unauthenticated):
        reading.tables(None, TableFilter(), 10, None)
    with pytest.raises(Unauthenticated):
        reading.who(None)
    assert reading.who(JS_EDITOR) == JS_EDITOR

    with pytest.raises(Forbidden):
        reading.inbox(EDITOR, None, 10, None)
    assert reading.inbox(AUDITOR, None, 10, None).total == 0

    assert reading.parked(ADMIN, None) == []
    for actor in (EDITOR, AUDITOR, CITY_REVIEWER, PROVINCE_ADMIN):
        with pytest.raises(Forbidden):
            reading.parked(actor, None)


# --- sync operations ----------------------------------------------------------------------


def test_only_the_nodes_admin_retries_or_discards_a_parked_message(
    services_factory: ServicesFactory,
) -> None:
    services, table_id, _ = city(services_factory)
    key = str(table_id)
    own = inbox_topic(services.place.code)
    assert Wire().deliver(services, own, key, b"{not json") is Outcome.PARKED
    inbound = services.inbound

    for actor in (EDITOR, AUDITOR, CITY_REVIEWER, PROVINCE_ADMIN, REVIEWER):
        with pytest.raises(Forbidden):
            inbound.retry(key, actor)
        with pytest.raises(Forbidden):
            inbound.discard(key, 0, actor, "无效消息")
    with pytest.raises(Unauthenticated):
        inbound.retry(key, NOBODY)
    record = services.app.sync_record(key)
    assert record is not None
    assert record.blocked

    [attempt] = inbound.retry(key, ADMIN)
    assert attempt.startswith("offset 0 still fails")
    inbound.discard(key, 0, ADMIN, "无效消息")
    services.runner.catch_up()
    assert services.reading.parked(ADMIN, "open") == []
    [row] = services.reading.parked(ADMIN, None)
    assert row.status == "discarded"
