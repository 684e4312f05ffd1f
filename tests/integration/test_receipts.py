"""Receipts: a message stays in flight at its sender until the receiver's receipt comes back.

The relays' own messages and the inbound's own receipts, carried by hand between two nodes on
SQLite and PostgreSQL; the broker itself is exercised by tests/e2e/test_receipts.py.
"""

from __future__ import annotations

from domain.model import Status
from infra.bootstrap import NodeServices
from service_layer.messages import Receipt, decode, inbox_topic
from service_layer.sync import Record
from tests.conftest import ServicesFactory
from tests.support.wire import Captured, Wire, approval, nodes, relay_all


def receipt_of(to: NodeServices, wire: Wire, sent: tuple[str, str, bytes]) -> Receipt:
    topic, key, value = sent
    offset = wire.offsets.get(topic, 0)
    wire.offsets[topic] = offset + 1
    handled = to.inbound.take(Record(topic, 0, offset, key, value, "log-1"))
    receipt = handled.receipt(to.place.code)
    assert receipt is not None, handled
    return receipt


def due_now(node: NodeServices) -> None:
    """As if the receipt wait had passed for every message in flight."""
    node.relay.in_flight.send_all_now()


def test_a_submission_is_in_flight_until_the_parent_receipts_it(
    services_factory: ServicesFactory,
) -> None:
    province, city, table_id = nodes(services_factory)
    [sent] = relay_all(city)
    [pending] = city.relay.in_flight.pending()
    assert (pending.target, pending.table_id, pending.attempts) == ("360000", str(table_id), 1)
    assert pending.event_id == decode(sent[2]).event_id

    receipt = receipt_of(province, Wire(), sent)
    assert (receipt.source, receipt.target, receipt.outcome) == ("360000", "360100", "applied")
    assert receipt.receipt_of == pending.event_id
    assert city.relay.in_flight.settle(receipt) is True
    assert city.relay.in_flight.pending() == []
    assert city.relay.in_flight.settle(receipt) is False  # a second copy changes nothing


def test_a_message_the_broker_lost_is_sent_again_and_arrives_once(
    services_factory: ServicesFactory,
) -> None:
    province, city, table_id = nodes(services_factory)
    relay_all(city)  # acknowledged by a broker that then lost it: never delivered
    assert city.relay.in_flight.due() == []  # the receipt still has time to come

    due_now(city)
    [again] = resend(city)
    assert again[:2] == (inbox_topic("360000"), str(table_id))
    [pending] = city.relay.in_flight.pending()
    assert pending.attempts == 2
    assert city.relay.in_flight.due() == []  # waits longer before the next try

    wire = Wire()
    assert receipt_of(province, wire, again).outcome == "applied"
    due_now(city)
    [third] = resend(city)  # this time the receipt was lost
    receipt = receipt_of(province, wire, third)
    assert receipt.outcome == "duplicate"
    assert city.relay.in_flight.settle(receipt)
    received = province.app.received_table(table_id)
    assert received is not None
    assert [item.version for item in received.received] == [2]
    assert resend(city) == []


def test_the_relay_sends_everything_in_flight_again_when_the_broker_logs_were_replaced(
    services_factory: ServicesFactory,
) -> None:
    _, city, _ = nodes(services_factory)
    relay_all(city)
    relay = city.relay
    assert relay.in_flight.logs_replaced({"jixiao.submissions.v1": "log-1"}) == []
    assert relay.in_flight.due() == []
    replaced = relay.in_flight.logs_replaced({"jixiao.submissions.v1": "log-2"})
    assert replaced == ["jixiao.submissions.v1"]
    assert relay.in_flight.send_all_now() == 1
    assert len(relay.in_flight.due()) == 1


def test_parked_at_the_parent_is_seen_at_the_child_and_repeats_park_nothing_more(
    services_factory: ServicesFactory,
) -> None:
    province, city, table_id = nodes(services_factory)
    [sent] = relay_all(city)
    topic, key, value = sent
    broken = decode(value).model_copy(update={"chain_head": "x"}).model_dump_json().encode()
    wire = Wire()
    receipt = receipt_of(province, wire, (topic, key, broken))
    assert receipt.outcome == "parked"
    assert "chain head" in str(receipt.reason)
    city.relay.in_flight.settle(receipt)
    [pending] = city.relay.in_flight.pending()
    assert (pending.outcome, pending.reason) == ("parked", receipt.reason)

    again = receipt_of(province, wire, (topic, key, broken))  # no receipt came: sent again
    assert (again.outcome, again.reason) == ("parked", receipt.reason)
    record = province.app.sync_record(str(table_id))
    assert record is not None
    assert len(record.parked) == 1


def test_a_refused_decision_is_seen_at_the_parent_and_not_sent_again(
    services_factory: ServicesFactory,
) -> None:
    province, city, table_id = nodes(services_factory)
    wire = Wire()
    topic, key, value = approval(province, city, table_id, wire)
    stale = decode(value).model_copy(update={"version": 1})  # as if the table had moved on

    receipt = receipt_of(city, wire, (topic, key, stale.model_dump_json(by_alias=True).encode()))
    assert receipt.outcome == "refused"
    assert "version 1" in str(receipt.reason)
    assert province.relay.in_flight.settle(receipt)
    [pending] = province.relay.in_flight.pending()
    assert (pending.outcome, pending.reason) == ("refused", receipt.reason)
    assert province.relay.in_flight.send_all_now() == 0  # a refusal is final
    assert province.relay.in_flight.due() == []
    assert city.app.table(table_id).status is Status.SUBMITTED


def resend(node: NodeServices) -> list[tuple[str, str, bytes]]:
    """What the relay sends again, kept instead of sent; nothing new is in the log."""
    assert relay_all(node) == []
    captured = Captured()
    node.relay._publisher = captured
    node.relay.send_unreceipted()
    return captured.sent
