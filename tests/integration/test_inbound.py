"""Applying sync messages, exactly once and in order, on SQLite and PostgreSQL.

The messages are the relay's own, captured instead of sent; the broker itself is exercised by
tests/e2e/test_sync.py.
"""

from __future__ import annotations

from domain.model import Actor, Role, Status
from service_layer.messages import decode, inbox_topic
from service_layer.sync import Outcome
from tests.conftest import ServicesFactory
from tests.support.wire import REVIEWER, Wire, approval, nodes, relay_all

EDITOR = Actor("u-1", "王编报", Role.EDITOR, "360100")
OPERATOR = Actor("cli:ops", "运维", Role.ADMIN, "360100")


def test_a_submission_and_its_decision_cross_once_each(services_factory: ServicesFactory) -> None:
    province, city, table_id = nodes(services_factory)
    wire = Wire()
    [(topic, key, value)] = relay_all(city)
    assert (topic, key) == (inbox_topic("360000"), str(table_id))
    assert wire.deliver(province, topic, key, value) is Outcome.APPLIED
    assert wire.again(province, topic, key, value) is Outcome.DUPLICATE
    assert wire.deliver(province, topic, key, value) is Outcome.DUPLICATE  # republished
    received = province.app.received_table(table_id)
    assert received is not None
    assert [item.version for item in received.received] == [2]
    province.runner.catch_up()
    assert province.reads.inbox(None, 10, None).total == 1

    received.return_for_changes(2, "请补充", {}, REVIEWER)
    province.app.save_tracked(None, received)
    [(topic, key, value)] = relay_all(province)
    assert topic == inbox_topic("360100")
    assert decode(value).target == "360100"
    assert wire.deliver(city, topic, key, value) is Outcome.APPLIED
    assert wire.deliver(city, topic, key, value) is Outcome.DUPLICATE
    table = city.app.table(table_id)
    assert table.status is Status.RETURNED
    assert table.version == 3
    assert table.decision is not None
    assert table.decision.actor == REVIEWER
    assert relay_all(city) == []  # a decision applied here is not sent anywhere


def test_a_decision_on_a_version_no_longer_current_is_refused_and_recorded(
    services_factory: ServicesFactory,
) -> None:
    province, city, table_id = nodes(services_factory)
    wire = Wire()
    decision = approval(province, city, table_id, wire)
    key = decision[1]
    stale = decode(decision[2]).model_copy(update={"version": 1, "event_id": "other"})
    body = stale.model_dump_json(by_alias=True).encode()
    outcome = wire.deliver(city, inbox_topic("360100"), key, body)
    assert outcome is Outcome.REFUSED
    assert city.app.table(table_id).status is Status.SUBMITTED
    city.runner.catch_up()
    [refusal] = city.reads.parked("recorded")
    assert "version 1" in refusal.reason
    assert refusal.kind == "refused"
    assert wire.deliver(city, *decision) is Outcome.APPLIED
    assert city.app.table(table_id).status is Status.APPROVED


def test_a_poison_message_parks_later_ones_behind_it_until_retried(
    services_factory: ServicesFactory,
) -> None:
    province, city, table_id = nodes(services_factory)
    wire = Wire()
    key = str(table_id)
    assert wire.deliver(city, inbox_topic("360100"), key, b"{not json") is Outcome.PARKED
    decision = approval(province, city, table_id, wire, reason=None)
    assert wire.deliver(city, *decision) is Outcome.PARKED  # waits behind the poison
    assert city.app.table(table_id).status is Status.SUBMITTED
    city.runner.catch_up()
    reasons = [row.reason for row in city.reads.parked("open")]
    assert "not a valid jixiao message" in reasons[0]
    assert "waiting behind" in reasons[1]

    assert city.inbound.retry(key, OPERATOR) == [
        "offset 0 still fails: not a valid jixiao message: : Invalid JSON: "
        "key must be a string at line 1 column 2"
    ]
    city.inbound.discard(key, 0, OPERATOR, "malformed, resent by the province")
    assert city.inbound.retry(key, OPERATOR) == ["offset 1 applied"]
    assert city.app.table(table_id).status is Status.APPROVED
    city.runner.catch_up()
    assert city.reads.parked("open") == []
    assert [row.status for row in city.reads.parked(None)] == ["discarded", "resolved"]


def test_submissions_from_outside_the_children_are_parked(
    services_factory: ServicesFactory,
) -> None:
    _, city, table_id = nodes(services_factory)
    [(topic, key, value)] = relay_all(city)
    jiangsu = services_factory("320000", store="j")
    forged = decode(value).model_copy(update={"target": "320000"})
    outcome = Wire().deliver(jiangsu, topic, key, forged.model_dump_json(by_alias=True).encode())
    assert outcome is Outcome.PARKED
    assert jiangsu.app.received_table(table_id) is None
