"""kafka-python adapters: publishing with acknowledgement, topics, and an assigned consumer.

Each node reads its own inbox topic (``jixiao.inbox.v2.<code>``), plus the shared topics of
release 1 while a broker still holds them. Consumers are assigned every partition of those
topics and seek to the positions recorded in the node's own store, so they need no consumer
group (and no group rebalances) and never auto-commit.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import NewTopic
from kafka.errors import KafkaError, TopicAlreadyExistsError

from service_layer.messages import SHARED_TOPICS

log = logging.getLogger("jixiao.kafka")
# One partition per inbox keeps every table's messages in order; a node's own traffic fits it.
INBOX_PARTITIONS = 1
ACK_SECONDS = 5


class KafkaPublisher:
    def __init__(self, bootstrap: str) -> None:
        self.bootstrap = bootstrap
        self._created: set[str] = set()
        self._producer = KafkaProducer(
            bootstrap_servers=bootstrap,
            acks="all",
            retries=3,
            max_block_ms=3000,
            request_timeout_ms=5000,
        )

    def publish(self, topic: str, key: str, value: bytes) -> None:
        if topic not in self._created:  # the recipient may not have started yet
            ensure_topics(self.bootstrap, [topic], attempts=1)
            self._created.add(topic)
        self._producer.send(topic, key=key.encode(), value=value).get(timeout=ACK_SECONDS)

    def logs(self, topics: Iterable[str]) -> dict[str, str]:
        return ensure_topics(self.bootstrap, topics, attempts=1)

    def close(self) -> None:
        """Drop the connection; unsent messages are the relay's to send again, not ours."""
        try:
            self._producer.close(timeout=0)
        except KafkaError as error:
            log.info("closing the producer: %s", error)


def ensure_topics(bootstrap: str, topics: Iterable[str], attempts: int = 30) -> dict[str, str]:
    """Create those of ``topics`` the broker does not have yet; returns their topic ids.

    A topic id names one log: a broker that lost its logs (the in-memory local broker after a
    restart) has new ids, so positions recorded against the old logs are not applied to it.
    """
    wanted = sorted(set(topics))
    with _admin(bootstrap, attempts) as admin:
        _create_missing(admin, wanted)
        return _ids(admin, wanted)


def node_logs(bootstrap: str, inbox: str) -> dict[str, str]:
    """What a node reads, by topic id: its inbox (created if missing) and the release-1 shared
    topics this broker still holds (never created anew)."""
    with _admin(bootstrap, attempts=30) as admin:
        present = _create_missing(admin, [inbox])
        shared = [name for name in SHARED_TOPICS if name in present]
        return _ids(admin, [inbox, *shared])


@contextmanager
def _admin(bootstrap: str, attempts: int) -> Iterator[KafkaAdminClient]:
    for attempt in range(attempts):
        try:
            admin = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=5000)
        except KafkaError as error:
            log.warning("broker not reachable (%s), attempt %d", error, attempt + 1)
            if attempt + 1 < attempts:
                time.sleep(1)
            continue
        try:
            yield admin
        finally:
            admin.close()
        return
    raise KafkaError(f"could not reach the broker at {bootstrap}")


def _ids(admin: KafkaAdminClient, topics: list[str]) -> dict[str, str]:
    if not topics:
        return {}
    return {item["name"]: str(item["topic_id"]) for item in admin.describe_topics(topics)}


def _create_missing(admin: KafkaAdminClient, topics: list[str]) -> set[str]:
    """Create those of ``topics`` the broker lacks; returns the topics it held before."""
    present = set(admin.list_topics())
    missing = [name for name in topics if name not in present]
    if missing:
        with suppress(TopicAlreadyExistsError):  # another node created them first
            admin.create_topics([NewTopic(name, INBOX_PARTITIONS, 1) for name in missing])
    return present


def assigned_consumer(
    bootstrap: str, topics: Iterable[str]
) -> tuple[KafkaConsumer, list[TopicPartition]]:
    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        request_timeout_ms=30_000,
        allow_auto_create_topics=False,  # a topic read before it was written is not made here
    )
    partitions = [
        TopicPartition(topic, partition)
        for topic in topics
        for partition in sorted(consumer.partitions_for_topic(topic) or ())
    ]
    consumer.assign(partitions)
    return consumer, partitions
