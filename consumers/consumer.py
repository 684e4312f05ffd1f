"""The node's Kafka consumer loop: read its inbox (and what is left of the shared topics of
release 1) from the recorded positions.

Each submission or decision handled is answered with a receipt to the node that sent it, in
that node's inbox (or on the shared receipts topic, for a message read from a shared topic);
receipts addressed to this node settle what its relay keeps in flight.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from kafka import KafkaConsumer

from consumers.in_flight import InFlight
from consumers.kafka import KafkaPublisher, assigned_consumer, node_logs
from service_layer.messages import (
    RECEIPTS,
    SHARED_TOPICS,
    MessageInvalid,
    decode_receipt,
    encode_receipt,
    inbox_topic,
    text_field,
)
from service_layer.sync import Handled, Inbound, Outcome, Record, stream_name

log = logging.getLogger("jixiao.consumer")
# How often the consumer asks whether its logs are still the ones it reads: a broker that lost
# them (restarted in memory) or shared topics retired after the migration mean reading anew.
LOG_CHECK_SECONDS = 5.0
CHANGED = frozenset({Outcome.APPLIED, Outcome.REFUSED, Outcome.PARKED})


class LogChanged(Exception):
    """The topics were recreated (an in-memory broker restarted) or retired: read anew."""


@dataclass
class Reads:
    """What the consumer read, and how much of it was addressed to this node."""

    messages: int = 0
    message_bytes: int = 0
    addressed: int = 0
    addressed_bytes: int = 0

    def count(self, value: bytes, addressed: bool) -> None:
        self.messages += 1
        self.message_bytes += len(value)
        if addressed:
            self.addressed += 1
            self.addressed_bytes += len(value)


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
        self.inbox = inbox_topic(inbound.node.code)
        self.reads = Reads()

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
        logs = node_logs(self.bootstrap, self.inbox)
        consumer, partitions = assigned_consumer(self.bootstrap, logs)
        try:
            for partition in partitions:
                name = stream_name(partition.topic, logs[partition.topic], partition.partition)
                at = self._position(partition.topic, name)
                if at is None:
                    consumer.seek_to_beginning(partition)
                else:
                    consumer.seek(partition, at)
            checked = time.monotonic()
            while not stop.is_set():
                self._poll(consumer, logs)
                if time.monotonic() - checked >= LOG_CHECK_SECONDS:
                    checked = time.monotonic()
                    if self._logs_replaced(logs):
                        raise LogChanged("the broker's logs changed; reading them anew")
        finally:
            consumer.close()

    def _position(self, topic: str, name: str) -> int | None:
        """Where to read on: the inbox holds messages and receipts, each kind recorded apart.

        Receipt positions are recorded after every message before them was handled, so the
        further of the two is safe; a receipt read twice settles nothing twice.
        """
        if topic == RECEIPTS:
            return self.in_flight.receipt_position(name)
        handled = self.inbound.app.tracked(name)
        if topic != self.inbox:
            return handled
        receipts = self.in_flight.receipt_position(name)
        known = [at for at in (handled, receipts) if at is not None]
        return max(known) if known else None

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
                if self._is_receipt(record):
                    self.reads.count(record.value, self._settle(record))
                    receipts_read[record.tracking.application_name] = record.offset + 1
                    continue
                handled = self.inbound.take(record)
                self.reads.count(record.value, handled.outcome is not Outcome.NOT_FOR_US)
                if handled.outcome is Outcome.DUPLICATE and self._logs_replaced(logs):
                    raise LogChanged("the broker's logs were replaced; reading them anew")
                self._answer(handled, record.topic)
                changed = handled.outcome in CHANGED or changed
        if receipts_read:
            self.in_flight.record_receipt_positions(receipts_read)
        if changed:
            self.on_change()

    def _is_receipt(self, record: Record) -> bool:
        if record.topic == RECEIPTS:
            return True
        return record.topic == self.inbox and text_field(record.value, "type") == "receipt"

    def _logs_replaced(self, logs: dict[str, str]) -> bool:
        return node_logs(self.bootstrap, self.inbox) != logs

    def _settle(self, record: Record) -> bool:
        """Take in a receipt; True when it was addressed to this node."""
        try:
            receipt = decode_receipt(record.value)
        except MessageInvalid as error:
            log.warning(
                "ignored %s:%d@%d: %s", record.topic, record.partition, record.offset, error
            )
            return False
        if receipt.target != self.inbound.node.code:
            return False
        self.in_flight.settle(receipt)
        return True

    def _answer(self, handled: Handled, topic: str) -> None:
        """Send the receipt; if it is lost, the sender sends again and is answered again."""
        receipt = handled.receipt(self.inbound.node.code)
        if receipt is None:
            return
        try:
            if self._publisher is None:
                self._publisher = KafkaPublisher(self.bootstrap)
            to = RECEIPTS if topic in SHARED_TOPICS else inbox_topic(receipt.target)
            self._publisher.publish(to, str(receipt.table_id), encode_receipt(receipt))
        except Exception as error:  # the sender's next try brings another chance
            log.warning("receipt for %s not sent: %s", receipt.receipt_of, error)
            self._drop_publisher()

    def _drop_publisher(self) -> None:
        publisher, self._publisher = self._publisher, None
        if publisher is not None:
            publisher.close()
