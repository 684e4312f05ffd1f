"""kafka-python adapters: publishing with acknowledgement, topics, and an assigned consumer.

Consumers are assigned every partition and seek to the positions recorded in the node's own
store, so they need no consumer group (and no group rebalances) and never auto-commit.
"""

from __future__ import annotations

import logging
import time
from contextlib import suppress

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import NewTopic
from kafka.errors import KafkaError, TopicAlreadyExistsError

from service_layer.messages import TOPICS

log = logging.getLogger("jixiao.kafka")
PARTITIONS = 3
ACK_SECONDS = 5


class KafkaPublisher:
    def __init__(self, bootstrap: str) -> None:
        self.bootstrap = bootstrap
        ensure_topics(bootstrap, attempts=1)
        self._producer = KafkaProducer(
            bootstrap_servers=bootstrap,
            acks="all",
            retries=3,
            max_block_ms=3000,
            request_timeout_ms=5000,
        )

    def publish(self, topic: str, key: str, value: bytes) -> None:
        self._producer.send(topic, key=key.encode(), value=value).get(timeout=ACK_SECONDS)

    def logs(self) -> dict[str, str]:
        return ensure_topics(self.bootstrap, attempts=1)

    def close(self) -> None:
        """Drop the connection; unsent messages are the relay's to send again, not ours."""
        try:
            self._producer.close(timeout=0)
        except KafkaError as error:
            log.info("closing the producer: %s", error)


def ensure_topics(bootstrap: str, attempts: int = 30) -> dict[str, str]:
    """Create the sync topics if the broker does not have them yet; returns their topic ids.

    A topic id names one log: a broker that lost its logs (the in-memory local broker after a
    restart) has new ids, so positions recorded against the old logs are not applied to it.
    """
    for attempt in range(attempts):
        try:
            admin = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=5000)
        except KafkaError as error:
            log.warning("broker not reachable (%s), attempt %d", error, attempt + 1)
            time.sleep(1)
            continue
        try:
            _create_missing(admin)
            described = admin.describe_topics(list(TOPICS))
            return {item["name"]: str(item["topic_id"]) for item in described}
        finally:
            admin.close()
    raise KafkaError(f"could not reach the broker at {bootstrap}")


def _create_missing(admin: KafkaAdminClient) -> None:
    missing = [name for name in TOPICS if name not in admin.list_topics()]
    if not missing:
        return
    with suppress(TopicAlreadyExistsError):  # another node created them first
        admin.create_topics(
            [NewTopic(name, num_partitions=PARTITIONS, replication_factor=1) for name in missing]
        )


def assigned_consumer(bootstrap: str) -> tuple[KafkaConsumer, list[TopicPartition]]:
    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        request_timeout_ms=30_000,
    )
    partitions = [
        TopicPartition(topic, partition)
        for topic in TOPICS
        for partition in sorted(consumer.partitions_for_topic(topic) or ())
    ]
    consumer.assign(partitions)
    return consumer, partitions
