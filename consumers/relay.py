"""The outbox relay: follows the node's notification log and publishes integration messages.

Submissions of this node's own tables go up to the parent; decisions this node took on its
children's submissions go down; each into the recipient's own inbox topic. The position is
recorded after the broker acknowledged the messages, so a crash or an outage republishes
(consumers drop what they already applied) and never loses. A broker's acknowledgement is not
the end of it: each message stays in flight (consumers/in_flight.py) until the node it was
addressed to sends its receipt, and is sent again when none came in time or when the
broker's logs were replaced. Editing never waits for the relay.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Protocol
from uuid import UUID

from eventsourcing.persistence import Notification
from eventsourcing.utils import get_topic
from sqlalchemy import Column, Engine, Integer, MetaData, String, Table, insert, select, update

from consumers.in_flight import InFlight
from domain.document import document_of
from domain.evaluation import SelfEvaluation
from domain.model import Jurisdiction
from domain.monitoring import MonitoringRound
from domain.received_report import ReceivedReport
from domain.submission import ReceivedTable
from domain.table import TargetTable
from service_layer.messages import (
    ActorPart,
    AnyMessage,
    Decision,
    ReportDecision,
    ReportSubmission,
    Submission,
    encode,
    inbox_topic,
)
from service_layer.reports import document_of_report
from service_layer.store import TablesApplication

log = logging.getLogger("jixiao.relay")

relay_metadata = MetaData()
relay_positions = Table(
    "relay_positions",
    relay_metadata,
    Column("name", String(64), primary_key=True),
    Column("position", Integer, nullable=False),
)

SUBMITTED = (
    get_topic(TargetTable.Submitted),
    get_topic(MonitoringRound.Submitted),
    get_topic(SelfEvaluation.Submitted),
)
DECIDED = (
    get_topic(ReceivedTable.Approved),
    get_topic(ReceivedTable.Returned),
    get_topic(ReceivedReport.Approved),
    get_topic(ReceivedReport.Returned),
    get_topic(ReceivedReport.Rechecked),
)


class Publisher(Protocol):
    def publish(self, topic: str, key: str, value: bytes) -> None:
        """Send and wait for the broker's acknowledgement (raises when it does not come)."""

    def logs(self, topics: Iterable[str]) -> dict[str, str]:
        """The id of the broker's log of each topic: a new id means the old log is gone."""


FIRST_RETRY_SECONDS = 0.5
LAST_RETRY_SECONDS = 5.0
RECEIPT_WAIT_SECONDS = 60.0
LOG_CHECK_SECONDS = 5.0


class Relay:
    name = "relay"

    def __init__(
        self,
        app: TablesApplication,
        engine: Engine,
        node: Jurisdiction,
        publisher: Callable[[], Publisher],
        page_size: int = 200,
        receipt_wait_seconds: float = RECEIPT_WAIT_SECONDS,
    ) -> None:
        self.app = app
        self.engine = engine
        self.node = node
        self._publisher_factory = publisher
        self._publisher: Publisher | None = None
        self.page_size = page_size
        self._wake = threading.Event()
        self.topics = [*DECIDED] if node.is_root else [*SUBMITTED, *DECIDED]
        self.in_flight = InFlight(engine, receipt_wait_seconds)
        self._logs_checked = 0.0

    def setup(self) -> None:
        relay_metadata.create_all(self.engine)
        self.in_flight.setup()
        with self.engine.begin() as connection:
            if connection.scalar(select(relay_positions.c.position)) is None:
                connection.execute(insert(relay_positions), [{"name": self.name, "position": 0}])

    def position(self) -> int:
        with self.engine.connect() as connection:
            return int(connection.scalar(select(relay_positions.c.position)) or 0)

    def unpublished(self, up_to: int = 1000) -> int:
        """Messages after the recorded position, not yet acknowledged by a broker (counted up
        to ``up_to``). The position is the last message published, not the log's head."""
        pending = self.app.recorder.select_notifications(
            start=self.position(), limit=up_to, topics=self.topics, inclusive_of_start=False
        )
        return len(pending)

    def rewind(self, position: int) -> None:
        """Publish again everything after ``position`` (consumers ignore what they have)."""
        self._record(position)

    def publish_pending(self) -> int:
        """Publish every message after the recorded position; returns how many were sent."""
        sent = 0
        while True:
            after = self.position()
            page = self.app.recorder.select_notifications(
                start=after, limit=self.page_size, topics=self.topics, inclusive_of_start=False
            )
            if not page:
                return sent
            for notification in page:
                self._send(notification)
                sent += 1
            self._record(page[-1].id)

    def send_unreceipted(self) -> int:
        """Send again what was published but not receipted in time; returns how many."""
        sent = 0
        if self.in_flight.count() and time.monotonic() - self._logs_checked >= LOG_CHECK_SECONDS:
            self._check_logs()
        for notification_id in self.in_flight.due():
            page = self.app.recorder.select_notifications(
                start=notification_id, limit=1, topics=self.topics
            )
            if page and page[0].id == notification_id:
                self._send(page[0])
                sent += 1
        return sent

    def run(self, stop: threading.Event, interval: float = 0.5) -> None:
        """Publish what is pending, then wait ``interval`` or a nudge; back off while failing."""
        backoff = 0.0
        while not stop.is_set():
            try:
                self.publish_pending()
                self.send_unreceipted()
                backoff = 0.0
            except Exception as error:  # the broker is away: keep the position, try again
                backoff = min(max(backoff * 2, FIRST_RETRY_SECONDS), LAST_RETRY_SECONDS)
                log.warning("relay: %s; retrying in %.1f s", error, backoff)
                self._disconnect()
            self._wake.wait(backoff or interval)
            self._wake.clear()

    def nudge(self) -> None:
        self._wake.set()

    def _send(self, notification: Notification) -> None:
        """Publish one message, in flight from before it leaves so no receipt can overtake it."""
        message = self._message(notification)
        key = str(message.table_id)
        self.in_flight.sending(message.event_id, notification.id, message.target, key)
        self._connected().publish(inbox_topic(message.target), key, encode(message))

    def _check_logs(self) -> None:
        self._logs_checked = time.monotonic()
        topics = [inbox_topic(target) for target in self.in_flight.targets()]
        replaced = self.in_flight.logs_replaced(self._connected().logs(topics))
        if replaced:
            again = self.in_flight.send_all_now()
            names = ", ".join(replaced)
            log.warning(
                "relay: the broker's log of %s was replaced; sending %d again", names, again
            )

    def _connected(self) -> Publisher:
        if self._publisher is None:
            self._publisher = self._publisher_factory()
        return self._publisher

    def _disconnect(self) -> None:
        publisher, self._publisher = self._publisher, None
        close = getattr(publisher, "close", None)
        if close is not None:
            close()

    def _record(self, position: int) -> None:
        with self.engine.begin() as connection:
            connection.execute(update(relay_positions).values(position=position))

    def _message(self, notification: Notification) -> AnyMessage:
        event = self.app.mapper.to_domain_event(notification)
        if isinstance(event, TargetTable.Submitted):
            return self._submission(event, self._parent())
        if isinstance(event, ReceivedTable.Decided):
            return self._decision(event)
        if isinstance(event, MonitoringRound.Submitted | SelfEvaluation.Submitted):
            return self._report(event, self._parent())
        if isinstance(event, ReceivedReport.Decided):
            return self._report_decision(event)
        raise TypeError(f"the relay does not publish {notification.topic}")

    def _report(
        self, event: MonitoringRound.Submitted | SelfEvaluation.Submitted, parent: str
    ) -> ReportSubmission:
        report: object = self.app.repository.get(
            event.originator_id, version=event.originator_version
        )
        if not isinstance(report, MonitoringRound | SelfEvaluation):
            raise TypeError(f"{event.originator_id} is not a report")
        document = document_of_report(report)
        return ReportSubmission(
            event_id=_event_id(self.node.code, event.originator_id, event.originator_version),
            source=self.node.code,
            target=parent,
            table_id=UUID(report.basis.table_id),
            version=report.version,
            occurred_at=event.timestamp,
            actor=ActorPart.of(event.actor),
            stage=document.stage,
            report_id=report.id,
            document=document,
        )

    def _report_decision(self, event: ReceivedReport.Decided) -> ReportDecision:
        received: object = self.app.repository.get(
            event.originator_id, version=event.originator_version
        )
        if not isinstance(received, ReceivedReport):
            raise TypeError(f"{event.originator_id} is not a received report")
        action = {
            ReceivedReport.Approved: "approve",
            ReceivedReport.Returned: "return",
            ReceivedReport.Rechecked: "recheck",
        }[type(event)]
        return ReportDecision(
            event_id=_event_id(self.node.code, event.originator_id, event.originator_version),
            source=self.node.code,
            target=received.jurisdiction,
            table_id=received.table_id,
            version=event.version,
            occurred_at=event.timestamp,
            actor=ActorPart.of(event.actor),
            stage=received.stage,
            report_id=received.report_id,
            action=action,
            reason=event.reason,
            score=event.score if isinstance(event, ReceivedReport.Rechecked) else None,
            line_comments=event.line_comments if isinstance(event, ReceivedReport.Returned) else {},
        )

    def _parent(self) -> str:
        if self.node.parent is None:
            raise RuntimeError(f"{self.node.code} is a root: its own tables are reviewed here")
        return self.node.parent

    def _submission(self, event: TargetTable.Submitted, parent: str) -> Submission:
        table = self.app.table(event.originator_id, event.originator_version)
        document = document_of(table)
        chain = self.app.chain(table.id, upto=table.version)
        return Submission(
            event_id=_event_id(self.node.code, event.originator_id, event.originator_version),
            source=self.node.code,
            target=parent,
            table_id=table.id,
            version=table.version,
            occurred_at=event.timestamp,
            actor=ActorPart.of(event.actor),
            document=document,
            chain_head=chain[-1],
            chain=chain,
            submit_reason=event.reason,
            adjustment_reason=event.adjustment_reason,
        )

    def _decision(self, event: ReceivedTable.Decided) -> Decision:
        received: object = self.app.repository.get(
            event.originator_id, version=event.originator_version
        )
        if not isinstance(received, ReceivedTable):
            raise TypeError(f"{event.originator_id} is not a received table")
        returned = event if isinstance(event, ReceivedTable.Returned) else None
        return Decision(
            event_id=_event_id(self.node.code, event.originator_id, event.originator_version),
            source=self.node.code,
            target=received.jurisdiction,
            table_id=received.table_id,
            version=event.version,
            occurred_at=event.timestamp,
            actor=ActorPart.of(event.actor),
            action="return" if returned else "approve",
            reason=event.reason,
            indicator_comments=returned.indicator_comments if returned else {},
        )


def _event_id(source: str, originator: UUID, version: int) -> str:
    return f"{source}/{originator}/{version}"
