"""Fuzzing what nodes read from Kafka: whatever arrives is parked (or left for the node it is
addressed to, or recognised as a repeat), never an exception, and nothing else is stored.

In bulk straight into the inbound use case on a province and a city that have exchanged one
message of each type; and once through the real broker to a running consumer, which must
keep consuming and still apply a good message sent after the bad ones.
"""

from __future__ import annotations

import itertools
import json
import logging
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from hypothesis import given
from hypothesis import strategies as st

from consumers.broker import Broker
from consumers.kafka import KafkaPublisher
from domain.reports import Stage
from domain.sync import ParkedMessage, SyncRecord
from infra.bootstrap import NodeServices
from service_layer.messages import Receipt, encode_receipt, inbox_topic, text_field
from service_layer.sync import UNKEYED, Outcome, Record, addressed_elsewhere
from tests.conftest import NANCHANG, ServicesFactory, seed_documents
from tests.e2e.servers import free_port
from tests.e2e.sync_nodes import consuming, eventually
from tests.fuzz.envelopes import TYPES, decodes, envelopes
from tests.fuzz.live_node import assert_views_equal_a_rebuild, errors_logged
from tests.fuzz.strategies import HOSTILE, TEXT, fuzzing
from tests.integration.test_reports import approved_table, carry, monitoring_form
from tests.integration.test_use_cases import EDITOR, REVIEWER
from tests.support.wire import relay_all

UNAPPLIED = {Outcome.PARKED, Outcome.NOT_FOR_US, Outcome.DUPLICATE}
EXAMPLES = 400
BROKER_EXAMPLES = 60


def exchanged(services_factory: ServicesFactory) -> tuple[NodeServices, NodeServices, list[Any]]:
    """A province and a city that have exchanged one message of each type, and those messages."""
    province, city, table_id = approved_table(services_factory)
    form = monitoring_form(city, table_id, "1")
    city.reports.set_monitoring(EDITOR, table_id, 6, 0, form)
    city.reports.submit(EDITOR, Stage.MONITORING, table_id, 6, 2)
    carry(city, province)
    province.reports.decide(REVIEWER, Stage.MONITORING, table_id, 6, "approve", 3)
    carry(province, city)
    city.relay.rewind(0)
    province.relay.rewind(0)
    sent = [json.loads(value) for _, _, value in relay_all(city) + relay_all(province)]
    templates = [message for message in sent if message.get("type") in TYPES]
    assert sorted({message["type"] for message in templates}) == sorted(TYPES)
    return province, city, templates


def stored_since(node: NodeServices, position: int) -> list[str]:
    """What was stored after ``position`` that is not a sync record (a parked message)."""
    recorder: Any = node.app.recorder
    found = recorder.select_notifications(position + 1, 1000)
    others = []
    for notification in found:
        if notification.topic.startswith("domain.sync:"):
            continue
        aggregate: object = node.app.repository.get(notification.originator_id)
        if not isinstance(aggregate, SyncRecord):
            others.append(notification.topic)
    return others


def head(node: NodeServices) -> int:
    recorder: Any = node.app.recorder
    return int(recorder.max_notification_id() or 0)


def test_any_envelope_is_parked_or_left_and_nothing_else_is_stored(
    services_factory: ServicesFactory,
) -> None:
    province, city, templates = exchanged(services_factory)
    offsets = itertools.count()
    outcomes: dict[str, int] = {}

    @fuzzing(EXAMPLES)
    @given(
        value=envelopes(templates),
        to=st.sampled_from([province, city]),
        topic=st.sampled_from([inbox_topic("360000"), inbox_topic("360100")]),
        key=st.one_of(st.sampled_from([str(UUID(int=7)), ""]), TEXT),
        partition=st.integers(0, 2),
    )
    def deliver(value: bytes, to: NodeServices, topic: str, key: str, partition: int) -> None:
        before = head(to)
        record = Record(topic, partition, next(offsets), key, value, "fuzz")
        outcome = to.inbound.handle(record)
        outcomes[outcome.value] = outcomes.get(outcome.value, 0) + 1
        if not decodes(value):
            assert outcome in UNAPPLIED, (outcome, value[:500])
        if outcome in UNAPPLIED:
            assert stored_since(to, before) == [], (outcome, value[:500])

    deliver()
    print(f"\n{sum(outcomes.values())} envelopes: {outcomes}")
    assert outcomes.get(Outcome.PARKED.value, 0) > 0
    for node in (province, city):
        assert node.runner.faults() == {}
        assert_views_equal_a_rebuild(node)


def submitted(city: NodeServices) -> tuple[UUID, tuple[str, str, bytes]]:
    """A city table submitted, and the message its relay sends up."""
    city.app.import_documents(seed_documents(NANCHANG, "360100"), EDITOR, "seed")
    table_id = next(iter(city.app.table_ids()))
    city.workflow.submit(EDITOR, table_id, 1, "请审核")
    [message] = [sent for sent in relay_all(city) if sent[0] == inbox_topic("360000")]
    return table_id, message


def receipt_for(table_id: UUID) -> dict[str, Any]:
    receipt = Receipt(
        receipt_of=f"360000/{table_id}/1",
        source="360100",
        target="360000",
        table_id=table_id,
        outcome="applied",
        occurred_at=datetime.now(UTC),
    )
    loaded: dict[str, Any] = json.loads(encode_receipt(receipt))
    return loaded


def test_a_consumer_parks_bad_envelopes_from_the_broker_and_applies_a_good_one_after(
    services_factory: ServicesFactory,
) -> None:
    province, city = services_factory("360000", store="p"), services_factory("360100", store="c")
    table_id, (topic, key, value) = submitted(city)
    templates = [json.loads(value), receipt_for(table_id)]
    sent, for_us = 0, 0
    with errors_logged(logging.WARNING) as log, Broker(free_port()) as broker:
        publisher = KafkaPublisher(broker.bootstrap)
        try:
            with consuming(province, broker.bootstrap) as (_, worker):

                @fuzzing(BROKER_EXAMPLES)
                @given(
                    bad=envelopes(templates).filter(lambda sent: not decodes(sent)),
                    to=st.sampled_from([inbox_topic("360000"), inbox_topic("360100")]),
                    junk_key=st.sampled_from(HOSTILE),
                )
                def publish(bad: bytes, to: str, junk_key: str) -> None:
                    nonlocal sent, for_us
                    publisher.publish(to, junk_key, bad)
                    sent += 1
                    for_us += (
                        to == inbox_topic("360000")
                        and text_field(bad, "type") != "receipt"  # read as a receipt, not parked
                        and not addressed_elsewhere(bad, "360000")
                    )

                publish()
                publisher.publish(topic, key, value)
                eventually(lambda: province.app.received_table(table_id) is not None)
                eventually(lambda: len(parked_junk(province)) == for_us)
                assert worker.is_alive()
        finally:
            publisher.close()
    print(f"\n{sent} bad envelopes, {for_us} of them parked, then the good one applied")
    assert [line for line in log.records if "reconnecting" in line] == []
    assert province.runner.faults() == {}
    assert_views_equal_a_rebuild(province)


def parked_junk(node: NodeServices) -> list[ParkedMessage]:
    record = node.app.sync_record(UNKEYED)
    return [] if record is None else list(record.parked)
