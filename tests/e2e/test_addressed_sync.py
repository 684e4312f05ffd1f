"""Addressed sync through a real broker: a node reads its own inbox topic and nothing else,
and what release 1 left on the shared topics still arrives after the upgrade, once."""

from __future__ import annotations

from uuid import UUID

from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition

from consumers.broker import Broker
from consumers.kafka import KafkaPublisher
from infra.bootstrap import NodeServices
from service_layer.messages import (
    RECEIPTS,
    SHARED_TOPICS,
    SUBMISSIONS,
    decode_receipt,
    inbox_topic,
)
from tests.conftest import NANCHANG, ServicesFactory, seed_documents
from tests.e2e.servers import free_port
from tests.e2e.sync_nodes import consuming, eventually
from tests.integration.test_use_cases import EDITOR
from tests.support.wire import relay_all

OTHERS = ("320000", "320100", "360102", "440000")


def submitted(city: NodeServices, count: int = 1) -> list[tuple[UUID, tuple[str, str, bytes]]]:
    """City tables submitted, with the messages its relay sends up."""
    city.app.import_documents(seed_documents(NANCHANG, "360100"), EDITOR, "seed")
    table_ids = sorted(city.app.table_ids())[:count]
    for table_id in table_ids:
        city.workflow.submit(EDITOR, table_id, 1, "请审核")
    return list(zip(table_ids, relay_all(city), strict=True))


def read_all(bootstrap: str, topic: str) -> list[bytes]:
    reader = KafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, allow_auto_create_topics=False
    )
    try:
        if not reader.partitions_for_topic(topic):
            return []
        partition = TopicPartition(topic, 0)
        reader.assign([partition])
        reader.seek_to_beginning(partition)
        end = reader.end_offsets([partition])[partition]
        values: list[bytes] = []
        while reader.position(partition) < end:
            for records in reader.poll(timeout_ms=500).values():
                values += [record.value for record in records]
        return values
    finally:
        reader.close()


def test_a_node_reads_only_what_is_addressed_to_it_and_answers_in_the_senders_inbox(
    services_factory: ServicesFactory,
) -> None:
    province, city = services_factory("360000", store="p"), services_factory("360100", store="c")
    [(table_id, (topic, key, value))] = submitted(city)
    assert topic == inbox_topic("360000")
    with Broker(free_port()) as broker:
        publisher = KafkaPublisher(broker.bootstrap)
        for other in OTHERS:  # the country's traffic, addressed to other nodes
            for _ in range(25):
                publisher.publish(inbox_topic(other), key, value)
        with consuming(province, broker.bootstrap) as (consumer, _):
            publisher.publish(topic, key, value)
            eventually(lambda: province.app.received_table(table_id) is not None)
            [answer] = eventually(lambda: read_all(broker.bootstrap, inbox_topic("360100")))[0]
        publisher.close()
    assert (consumer.reads.messages, consumer.reads.addressed) == (1, 1)
    assert consumer.reads.message_bytes == len(value)
    receipt = decode_receipt(answer)
    assert (receipt.source, receipt.target, receipt.outcome) == ("360000", "360100", "applied")


def test_what_release_1_left_on_the_shared_topics_arrives_once_after_the_upgrade(
    services_factory: ServicesFactory,
) -> None:
    province, city = services_factory("360000", store="p"), services_factory("360100", store="c")
    [(first, (_, key, value)), (second, again)] = submitted(city, count=2)
    with Broker(free_port()) as broker:
        publisher = KafkaPublisher(broker.bootstrap)
        publisher.publish(SUBMISSIONS, key, value)  # sent by release 1, unread at the upgrade
        publisher.publish(inbox_topic("360000"), key, value)  # the same, sent again since
        with consuming(province, broker.bootstrap) as (consumer, _):
            eventually(lambda: province.app.received_table(first) is not None)
            # Release 1's sender reads its receipt where it always did, the new one in its inbox;
            # whichever copy came first applied, the other was recognised as a repeat.
            [shared] = eventually(lambda: read_all(broker.bootstrap, RECEIPTS))[0]
            [own] = eventually(lambda: read_all(broker.bootstrap, inbox_topic("360100")))[0]
            outcomes = {decode_receipt(shared).outcome, decode_receipt(own).outcome}
            assert outcomes == {"applied", "duplicate"}
            # Both copies read and the repeat absorbed; while the shared topics are there, the
            # receipt it sent there for the city is read as well: the migration's only cost.
            eventually(lambda: (consumer.reads.messages, consumer.reads.addressed) == (3, 2))

            retire(broker.bootstrap)  # every node upgraded: the shared topics go
            publisher.publish(*again)
            eventually(lambda: province.app.received_table(second) is not None)
        publisher.close()
    received = province.app.received_table(first)
    assert received is not None
    assert [item.version for item in received.received] == [2]


def retire(bootstrap: str) -> None:
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        present = [name for name in SHARED_TOPICS if name in admin.list_topics()]
        admin.delete_topics(present)
    finally:
        admin.close()
