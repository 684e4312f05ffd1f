"""What the parent's inbox says of each submitted version.

The clerk's 提交说明 and an adjustment's 申请调整 reason travel with the submission: the inbox
and its GraphQL ``inbox`` show them, and tell an adjustment from a resubmission; an envelope
from a sender that did not send them still applies. A version no one can decide on any more
leaves the queue."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any
from uuid import UUID

from api.web.review_view import Review
from domain.model import Actor, Role, Status
from domain.submission import ReceivedTable
from infra.bootstrap import NodeServices
from service_layer.sync import Outcome
from tests.conftest import NANCHANG, ServicesFactory, seed_documents
from tests.e2e.graphql_client import serving
from tests.support.wire import Wire, relay_all
from tests.views import dump_views

EDITOR = Actor("u-1", "王编报", Role.EDITOR, "360100")
REVIEWER = Actor("u-2", "李审核", Role.REVIEWER, "360000")
INBOX = "{ inbox { edges { node { version submitReason adjustmentReason isAdjustment } } } }"


def city_with_a_table(services_factory: ServicesFactory) -> tuple[NodeServices, UUID]:
    city = services_factory("360100", store="c")
    city.app.import_documents(seed_documents(NANCHANG, "360100"), EDITOR, "seed")
    return city, next(iter(city.app.table_ids()))


def send_up(city: NodeServices, province: NodeServices, wire: Wire) -> None:
    [(topic, key, value)] = relay_all(city)
    assert wire.deliver(province, topic, key, value) is Outcome.APPLIED


def inbox_nodes(province: NodeServices) -> list[dict[str, Any]]:
    province.runner.catch_up()
    with serving(province) as api:
        edges = api.query(INBOX, role="reviewer")["inbox"]["edges"]
    return [edge["node"] for edge in edges]


def test_the_submit_and_adjustment_reasons_reach_the_parent_s_inbox(
    services_factory: ServicesFactory,
) -> None:
    province = services_factory("360000", store="p")
    city, table_id = city_with_a_table(services_factory)
    wire = Wire()
    city.app.edit(table_id, 1, lambda table: table.submit(EDITOR, "资金已落实，请审核"))
    send_up(city, province, wire)
    received = province.app.received_table(table_id)
    assert received is not None
    received.approve(2, "同意", REVIEWER)
    province.app.save_tracked(None, received)
    [(topic, key, value)] = relay_all(province)
    assert wire.deliver(city, topic, key, value) is Outcome.APPLIED

    city.app.edit(table_id, 3, lambda table: table.open_adjustment(EDITOR, "追加监测点位"))
    city.app.edit(table_id, 4, lambda table: table.submit(EDITOR, "调整后重新报送"))
    assert city.app.table(table_id).status is Status.SUBMITTED
    send_up(city, province, wire)

    assert inbox_nodes(province) == [
        {
            "version": 2,
            "submitReason": "资金已落实，请审核",
            "adjustmentReason": None,
            "isAdjustment": False,
        },
        {
            "version": 5,
            "submitReason": "调整后重新报送",
            "adjustmentReason": "追加监测点位",
            "isAdjustment": True,
        },
    ]


def test_a_submission_from_an_older_sender_without_the_reasons_still_applies(
    services_factory: ServicesFactory,
) -> None:
    province = services_factory("360000", store="p")
    city, table_id = city_with_a_table(services_factory)
    city.app.edit(table_id, 1, lambda table: table.submit(EDITOR, "请审核"))
    [(topic, key, value)] = relay_all(city)
    envelope = json.loads(value)
    assert envelope.pop("submit_reason") == "请审核"
    assert envelope.pop("adjustment_reason") is None
    older = json.dumps(envelope, ensure_ascii=False).encode()

    assert Wire().deliver(province, topic, key, older) is Outcome.APPLIED
    assert inbox_nodes(province) == [
        {"version": 2, "submitReason": None, "adjustmentReason": None, "isAdjustment": False}
    ]


def test_a_version_still_awaiting_review_leaves_the_inbox_once_a_later_one_is_decided(
    services_factory: ServicesFactory,
) -> None:
    province = services_factory("360000", store="p")
    document = seed_documents(NANCHANG, "360100")[0]
    table_id = UUID(document.id or "")
    received = ReceivedTable(table_id=table_id, jurisdiction="360100")
    for version in (2, 4):
        links = [f"{link:064x}" for link in range(1, version + 1)]
        said = replace(document, version=version)
        received.receive(said, version, links, f"360100/{table_id}/{version}", EDITOR)
    province.runner.page_size = 1  # each event in its own page, then rebuilt in one
    province.app.save_tracked(None, received)
    province.runner.catch_up()
    received.approve(4, "同意", REVIEWER)
    province.app.save_tracked(None, received)
    province.runner.catch_up()

    def entries() -> list[tuple[int, str]]:
        rows = province.reads.inbox(None, 10, None).rows
        return [(row.version, row.status) for row in rows]

    assert entries() == [(2, "superseded"), (4, "approved")]
    assert province.reads.inbox("submitted", 10, None).total == 0
    incremental = dump_views(province.engine)
    province.runner.rebuild()
    assert dump_views(province.engine) == incremental
    with serving(province) as api:
        statuses = api.query("{ inbox { edges { node { version status } } } }", role="reviewer")
    assert [edge["node"] for edge in statuses["inbox"]["edges"]] == [
        {"version": 2, "status": "SUPERSEDED"},
        {"version": 4, "status": "APPROVED"},
    ]


def test_a_child_s_returned_version_keeps_the_reviewer_s_reason_and_comments(
    services_factory: ServicesFactory,
) -> None:
    province = services_factory("360000", store="p")
    city, table_id = city_with_a_table(services_factory)
    city.app.edit(table_id, 1, lambda table: table.submit(EDITOR, "请审核"))
    send_up(city, province, Wire())
    received = province.app.received_table(table_id)
    assert received is not None
    indicator = received.indicator_ids[0]
    received.return_for_changes(2, "指标值需细化", {indicator: "请说明口径"}, REVIEWER)
    province.app.save_tracked(None, received)
    province.runner.catch_up()

    review = Review.of(province.reading.submissions(REVIEWER, str(table_id)), str(table_id), 2)
    assert review is not None
    assert (review.entry.status, review.entry.decision_reason) == ("returned", "指标值需细化")
    assert review.stored_comments() == {indicator: "请说明口径"}
