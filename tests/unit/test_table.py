"""The table aggregate: workflow, edits, findings that block, and replay."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from uuid import uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import (
    InvalidEdit,
    InvalidIndicatorId,
    ProjectFieldRequired,
    ReasonRequired,
    SubmissionBlocked,
    TableLocked,
    TransitionRefused,
    UnknownIndicator,
    VersionConflict,
)
from domain.model import Actor, Period, Role, Status
from domain.table import TargetTable
from domain.values import parse_value
from infra.transcodings import new_transcoder
from service_layer.store import TablesApplication
from tests.conftest import NANCHANG, seed_documents

EDITOR = Actor(id="u-1", name="王编报", role=Role.EDITOR, jurisdiction="360100")
REVIEWER = Actor(id="u-2", name="李审核", role=Role.REVIEWER, jurisdiction="360000")


def new_table(status: Status = Status.DRAFT) -> TargetTable:
    document = seed_documents(NANCHANG, "360100")[0]
    return TargetTable(
        id=uuid4(),
        jurisdiction="360100",
        fiscal_year=2026,
        form=document.form,
        status=status,
        content=document.content,
        actor=EDITOR,
        reason="test",
    )


def first_indicator(table: TargetTable) -> str:
    return table.content.indicators[0].id


def move_to(status: Status) -> TargetTable:
    table = new_table()
    if status is Status.DRAFT:
        return table
    table.submit(EDITOR, None)
    if status is Status.RETURNED:
        table.return_for_changes(table.version, "补充依据", {}, REVIEWER)
    elif status in (Status.APPROVED, Status.ADJUSTING):
        table.approve(table.version, "同意", REVIEWER)
        if status is Status.ADJUSTING:
            table.open_adjustment(EDITOR, "年中调整")
    return table


def do(table: TargetTable, action: str) -> None:
    if action == "edit":
        table.set_indicator_value(
            first_indicator(table), Period.FULL_YEAR, parse_value("≤59万"), EDITOR, None
        )
    elif action == "submit":
        table.submit(EDITOR, None)
    elif action == "return":
        table.return_for_changes(table.version, "请修改", {}, REVIEWER)
    elif action == "approve":
        table.approve(table.version, None, REVIEWER)
    elif action == "adjust":
        table.open_adjustment(EDITOR, "资金调整")


ALLOWED = {
    Status.DRAFT: {"edit": Status.DRAFT, "submit": Status.SUBMITTED},
    Status.SUBMITTED: {"return": Status.RETURNED, "approve": Status.APPROVED},
    Status.RETURNED: {"edit": Status.RETURNED, "submit": Status.SUBMITTED},
    Status.APPROVED: {"adjust": Status.ADJUSTING},
    Status.ADJUSTING: {"edit": Status.ADJUSTING, "submit": Status.SUBMITTED},
}
ACTIONS = ("edit", "submit", "return", "approve", "adjust")
CASES = [(status, action) for status in Status for action in ACTIONS]


@pytest.mark.parametrize(("status", "action"), CASES)
def test_every_transition_is_allowed_or_refused_as_the_workflow_says(
    status: Status, action: str
) -> None:
    table = move_to(status)
    assert table.status is status
    version = table.version
    if action in ALLOWED[status]:
        do(table, action)
        assert table.status is ALLOWED[status][action]
        assert table.version == version + 1
    else:
        with pytest.raises((TableLocked, TransitionRefused)):
            do(table, action)
        assert (table.status, table.version) == (status, version)


def test_returned_table_accepts_edits_again_and_keeps_the_reviewers_comments() -> None:
    table = move_to(Status.SUBMITTED)
    indicator = first_indicator(table)
    table.return_for_changes(table.version, "成本依据不足", {indicator: "请细化"}, REVIEWER)
    assert table.decision is not None
    assert table.decision.indicator_comments == {indicator: "请细化"}
    table.set_indicator_value(
        indicator, Period.FULL_YEAR, parse_value("≤55万"), EDITOR, "按意见修改"
    )
    assert table.indicator(indicator).full_year.raw == "≤55万"


def test_a_reviewer_decides_only_on_the_current_version() -> None:
    table = move_to(Status.SUBMITTED)
    with pytest.raises(VersionConflict):
        table.approve(table.version - 1, None, REVIEWER)


def test_adjustment_and_return_need_reasons() -> None:
    with pytest.raises(ReasonRequired):
        move_to(Status.APPROVED).open_adjustment(EDITOR, "  ")
    with pytest.raises(ReasonRequired):
        move_to(Status.SUBMITTED).return_for_changes(2, "", {}, REVIEWER)


def test_error_findings_block_submission() -> None:
    table = new_table()
    table.set_fund_total(Decimal("80.00"), EDITOR, "typo")
    with pytest.raises(SubmissionBlocked, match=r"sum to 78\.00"):
        table.submit(EDITOR, None)
    assert table.status is Status.DRAFT


def test_bad_edits_are_refused_with_their_reason() -> None:
    table = new_table()
    with pytest.raises(UnknownIndicator):
        table.rename_indicator("nope", "x", EDITOR, None)
    with pytest.raises(InvalidEdit, match="unknown project field"):
        table.set_project_field("colour", "red", EDITOR, None)
    with pytest.raises(InvalidEdit, match="full-year value cannot be removed"):
        table.set_indicator_value(first_indicator(table), Period.FULL_YEAR, None, EDITOR, None)
    with pytest.raises(InvalidEdit, match="no expenditure line 3"):
        table.set_expenditure(3, None, EDITOR, None)


def test_an_indicator_is_added_only_under_an_id_that_fits_the_id_rule() -> None:
    table = new_table()
    base = table.content.indicators[0]
    for bad_id in ("../x", 'a1"><img src=x>', "a/b"):
        with pytest.raises(InvalidIndicatorId, match="is not an indicator id"):
            table.add_indicator(replace(base, id=bad_id, name="新增"), None, EDITOR, None)
    assert not any(item.id.startswith(("..", "a1", "a/")) for item in table.content.indicators)


VALUES = st.sampled_from(["≥1次", "=100%", "2026年6月30日", "及时", "≤3.5万", "≥95%"])


EDITS = st.lists(
    st.tuples(
        st.sampled_from(["value", "half", "rename", "remove", "add", "total", "goal", "source"]),
        VALUES,
        st.integers(0, 30),
    ),
    max_size=25,
)


def apply(table: TargetTable, kind: str, value: str, index: int) -> None:
    items = table.content.indicators
    target = items[index % len(items)].id if items else None
    if kind == "value" and target:
        table.set_indicator_value(
            target, Period.FULL_YEAR, parse_value(value), EDITOR, f"set {value}"
        )
    elif kind == "half" and target:
        table.set_indicator_value(target, Period.HALF_YEAR, parse_value(value), EDITOR, None)
    elif kind == "rename" and target:
        table.rename_indicator(target, f"指标{index}", EDITOR, None)
    elif kind == "remove" and target:
        table.remove_indicator(target, EDITOR, None)
    elif kind == "add":
        base = (
            table.content.indicators[0]
            if items
            else seed_documents(NANCHANG, "360100")[0].indicators[0]
        )
        table.add_indicator(
            replace(base, id=f"n{len(table.pending_events)}", name=f"新增{index}"),
            index % 5,
            EDITOR,
            None,
        )
    elif kind == "total":
        table.set_fund_total(Decimal(index) + Decimal("0.50"), EDITOR, None)
    elif kind == "goal":
        table.set_goal("annual", f"目标{value}", EDITOR, None)
    elif kind == "source":
        table.set_fund_source("other", Decimal(index) if index % 2 else None, EDITOR, None)


@settings(max_examples=60, deadline=None)
@given(EDITS)
def test_any_sequence_of_edits_replays_from_the_store_to_the_same_state(
    steps: list[tuple[str, str, int]],
) -> None:
    app = TablesApplication("360100", new_transcoder, {"PERSISTENCE_MODULE": "eventsourcing.popo"})
    table = new_table()
    for kind, value, index in steps:
        apply(table, kind, value, index)
    app.save(table)
    replayed = app.table(table.id)
    assert replayed.content == table.content
    assert replayed.version == table.version
    assert replayed.status is table.status


def test_a_long_lived_table_loads_from_a_snapshot() -> None:
    app = TablesApplication("360100", new_transcoder, {"PERSISTENCE_MODULE": "eventsourcing.popo"})
    table = new_table()
    app.save(table)
    for number in range(120):

        def set_goal(target: TargetTable, text: str = f"v{number}") -> None:
            target.set_goal("annual", text, EDITOR, None)

        app.edit(table.id, table.version + number, set_goal)
    assert app.snapshots is not None
    snapshots = list(app.snapshots.get(table.id))
    assert [snapshot.originator_version for snapshot in snapshots] == [50, 100]
    assert app.table(table.id).content.goals.annual == "v119"
    assert app.table(table.id, version=75).content.goals.annual == "v73"


def test_a_required_project_field_cannot_be_emptied() -> None:
    table = new_table()
    for field in ("name", "department", "implementing_unit"):
        for empty in (None, "", "  "):
            with pytest.raises(ProjectFieldRequired):
                table.check_project_field(field, empty)
    table.check_project_field("manager", None)  # an optional field may be emptied
