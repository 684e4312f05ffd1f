"""The node's Kafka consumer loop: read every partition from the recorded positions.

Each submission or decision handled is answered with a receipt to the node that sent it;
receipts addressed to this node settle what its relay keeps in flight.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from kafka import KafkaConsumer

from consumers.in_flight import InFlight
from consumers.kafka import KafkaPublisher, assigned_consumer, ensure_topics
from service_layer.messages import RECEIPTS, MessageInvalid, decode_receipt, encode_receipt
from service_layer.sync import Handled, Inbound, Outcome, Record, stream_name

log = logging.getLogger("jixiao.consumer")
CHANGED = frozenset({Outcome.APPLIED, Outcome.REFUSED, Outcome.PARKED})


class LogChanged(Exception):
    """The topics were recreated (an in-memory broker restarted): positions start afresh."""


class SyncConsumer:
    def __init__(
        self,
        inbound: Inbound,
        bootstrap: str,
        on_change: Callable[[], None],
        in_flight: InFlight,
    ) -> None:
        self.inbound = inbound
        self.bootstrap = bootstrap
        self.on_change = on_change
        self.in_flight = in_flight
        self._publisher: KafkaPublisher | None = None

    def run(self, stop: threading.Event) -> None:
        """Consume until ``stop``; after any failure, start again from the recorded positions."""
        while not stop.is_set():
            try:
                self._consume(stop)
            except Exception as error:  # broker gone or store busy: nothing is lost
                log.warning("consumer: %s; reconnecting", error)
                self._drop_publisher()
                stop.wait(2)
        self._drop_publisher()

    def _consume(self, stop: threading.Event) -> None:
        logs = ensure_topics(self.bootstrap)
        consumer, partitions = assigned_consumer(self.bootstrap)
        try:
            for partition in partitions:
                name = stream_name(partition.topic, logs[partition.topic], partition.partition)
                at = (
                    self.in_flight.receipt_position(name)
                    if partition.topic == RECEIPTS
                    else self.inbound.app.tracked(name)
                )
                if at is None:
                    consumer.seek_to_beginning(partition)
                else:
                    consumer.seek(partition, at)
            while not stop.is_set():
                self._poll(consumer, logs)
        finally:
            consumer.close()

    def _poll(self, consumer: KafkaConsumer, logs: dict[str, str]) -> None:
        changed = False
        receipts_read: dict[str, int] = {}
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
                if record.topic == RECEIPTS:
                    self._settle(record)
                    receipts_read[record.tracking.application_name] = record.offset + 1
                    continue
                handled = self.inbound.take(record)
                if handled.outcome is Outcome.DUPLICATE and ensure_topics(self.bootstrap) != logs:
                    raise LogChanged("the broker's logs were replaced; reading them anew")
                self._answer(handled)
                changed = handled.outcome in CHANGED or changed
        if receipts_read:
            self.in_flight.record_receipt_positions(receipts_read)
        if changed:
            self.on_change()

    def _settle(self, record: Record) -> None:
        try:
            receipt = decode_receipt(record.value)
        except MessageInvalid as error:
            log.warning(
                "ignored %s:%d@%d: %s", record.topic, record.partition, record.offset, error
            )
            return
        if receipt.target == self.inbound.node.code:
            self.in_flight.settle(receipt)

    def _answer(self, handled: Handled) -> None:
        """Send the receipt; if it is lost, the sender sends again and is answered again."""
        receipt = handled.receipt(self.inbound.node.code)
        if receipt is None:
            return
        try:
            if self._publisher is None:
                self._publisher = KafkaPublisher(self.bootstrap)
            self._publisher.publish(RECEIPTS, str(receipt.table_id), encode_receipt(receipt))
        except Exception as error:  # the sender's next try brings another chance
            log.warning("receipt for %s not sent: %s", receipt.receipt_of, error)
            self._drop_publisher()

    def _drop_publisher(self) -> None:
        publisher, self._publisher = self._publisher, None
        if publisher is not None:
            publisher.close()
