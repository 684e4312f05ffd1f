"""The node's Kafka consumer loop: read every partition from the recorded positions."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from consumers.kafka import assigned_consumer, ensure_topics
from service_layer.sync import Inbound, Outcome, Record, stream_name

log = logging.getLogger("jixiao.consumer")
CHANGED = frozenset({Outcome.APPLIED, Outcome.REFUSED, Outcome.PARKED})


class LogChanged(Exception):
    """The topics were recreated (an in-memory broker restarted): positions start afresh."""


class SyncConsumer:
    def __init__(self, inbound: Inbound, bootstrap: str, on_change: Callable[[], None]) -> None:
        self.inbound = inbound
        self.bootstrap = bootstrap
        self.on_change = on_change

    def run(self, stop: threading.Event) -> None:
        """Consume until ``stop``; after any failure, start again from the recorded positions."""
        while not stop.is_set():
            try:
                self._consume(stop)
            except Exception as error:  # broker gone or store busy: nothing is lost
                log.warning("consumer: %s; reconnecting", error)
                stop.wait(2)

    def _consume(self, stop: threading.Event) -> None:
        logs = ensure_topics(self.bootstrap)
        consumer, partitions = assigned_consumer(self.bootstrap)
        try:
            for partition in partitions:
                name = stream_name(partition.topic, logs[partition.topic], partition.partition)
                at = self.inbound.app.tracked(name)
                if at is None:
                    consumer.seek_to_beginning(partition)
                else:
                    consumer.seek(partition, at)
            while not stop.is_set():
                changed = False
                for partition, records in consumer.poll(timeout_ms=200).items():
                    for item in records:
                        record = Record(
                            partition.topic,
                            partition.partition,
                            item.offset,
                            (item.key or b"").decode("utf-8", errors="replace"),
                            item.value or b"",
                            logs[partition.topic],
                        )
                        outcome = self.inbound.handle(record)
                        if outcome is Outcome.DUPLICATE and ensure_topics(self.bootstrap) != logs:
                            raise LogChanged("the broker's logs were replaced; reading them anew")
                        changed = outcome in CHANGED or changed
                if changed:
                    self.on_change()
        finally:
            consumer.close()
