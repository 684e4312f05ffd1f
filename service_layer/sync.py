"""Applying messages from other nodes: each effect commits with its consumed position.

A parent takes in its children's submissions; a child applies the decisions on its own
tables. A redelivered message changes nothing (its position is already recorded), a decision
on a version that is no longer current is refused and recorded, and anything that cannot be
applied is parked with its reason, holding back later messages for the same table.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import Tracking

from domain.access import Operation
from domain.document import SCHEMA_VERSION, impossible_values
from domain.errors import CannotApply, DomainError
from domain.evaluation import SelfEvaluation
from domain.model import Actor, Status
from domain.monitoring import MonitoringRound
from domain.received_report import ReceivedReport, received_report_id
from domain.reports import ReportStatus, Stage, applied_already
from domain.submission import ReceivedTable, SubmitterSaid
from domain.sync import ParkedMessage, SyncRecord
from service_layer.access import Gate
from service_layer.messages import (
    AnyMessage,
    Decision,
    MessageInvalid,
    Receipt,
    ReportDecision,
    ReportSubmission,
    Submission,
    decode,
    text_field,
)
from service_layer.reports import decide_on
from service_layer.store import AlreadyTracked, TablesApplication

log = logging.getLogger("jixiao.inbound")
UNKEYED = "unkeyed"


class Outcome(StrEnum):
    APPLIED = "applied"
    DUPLICATE = "duplicate"
    REFUSED = "refused"
    PARKED = "parked"
    NOT_FOR_US = "not for this node"


@dataclass(frozen=True)
class Record:
    """One consumed message: where it was, and what it said."""

    topic: str
    partition: int
    offset: int
    key: str
    value: bytes
    log_id: str = ""

    @property
    def tracking(self) -> Tracking:
        return Tracking(stream_name(self.topic, self.log_id, self.partition), self.offset + 1)


Effect = tuple[Outcome, list[Aggregate], str | None]  # and why, when refused


@dataclass(frozen=True)
class Handled:
    """What one consumed record came to, with the message when it could be read."""

    outcome: Outcome
    message: AnyMessage | None = None
    reason: str | None = None

    def receipt(self, node: str) -> Receipt | None:
        """The receipt its sender waits for; none for what was not ours or not readable."""
        if self.message is None or self.outcome is Outcome.NOT_FOR_US:
            return None
        return Receipt(
            receipt_of=self.message.event_id,
            source=node,
            target=self.message.source,
            table_id=self.message.table_id,
            outcome=self.outcome.value,
            reason=self.reason,
            occurred_at=datetime.now(UTC),
        )


def _event_id_of(parked: ParkedMessage) -> str | None:
    return text_field(parked.value, "event_id")


def addressed_elsewhere(value: bytes, code: str) -> bool:
    """A malformed message that still names another node as its target is that node's to park."""
    target = text_field(value, "target")
    return target is not None and target != code


def table_key_of(key: str) -> str:
    """The table id a record's key names; a message under any other key is parked unkeyed."""
    try:
        return str(UUID(key))
    except ValueError:
        return UNKEYED


def check_submitted_document(message: Submission) -> None:
    """The envelope's table at its version, in this schema, with nothing an import refuses."""
    document = message.document
    if document.schema != SCHEMA_VERSION:
        raise CannotApply(f"the document's schema is {document.schema}, not {SCHEMA_VERSION}")
    if (document.id, document.version) != (str(message.table_id), message.version):
        raise CannotApply("the envelope and its document name different tables or versions")
    if problems := impossible_values(document):
        raise CannotApply("; ".join(f"document.{path}: {why}" for path, why in problems))


def stream_name(topic: str, log_id: str, partition: int) -> str:
    """Where positions of one partition of one topic's log are recorded."""
    return f"kafka:{topic}:{log_id}:{partition}"


class Inbound:
    def __init__(
        self, app: TablesApplication, gate: Gate, parent_of: Callable[[str], str | None]
    ) -> None:
        """``parent_of`` names the parent of a jurisdiction code (from the GB/T 2260 registry)."""
        self.app = app
        self.gate = gate
        self.node = gate.place
        self._parent_of = parent_of

    def handle(self, record: Record) -> Outcome:
        return self.take(record).outcome

    def take(self, record: Record) -> Handled:
        """Apply one consumed record; what came of it, and the receipt its sender waits for."""
        try:
            message = decode(record.value)
        except MessageInvalid as error:
            if addressed_elsewhere(record.value, self.node.code):
                return Handled(Outcome.NOT_FOR_US)
            return Handled(self._park(record, table_key_of(record.key), str(error)))
        if message.target != self.node.code:
            return Handled(Outcome.NOT_FOR_US)
        key = str(message.table_id)
        held = self.app.sync_record(key)
        if held is not None and held.blocked:
            same = [item for item in held.parked if _event_id_of(item) == message.event_id]
            if same:  # sent again because no receipt came: it is parked here already, once
                return self._tracked(record, message, Outcome.PARKED, same[0].reason)
            reason = f"waiting behind parked offset {held.first().offset}"
            return Handled(self._park(record, key, reason, held), message, reason)
        try:
            outcome, changed, why = self._effect(message)
        except (DomainError, ValueError) as error:
            reason = f"{type(error).__name__}: {error}"
            return Handled(self._park(record, key, reason), message, reason)
        try:
            self.app.save_tracked(record.tracking, *changed)
        except AlreadyTracked:
            return Handled(Outcome.DUPLICATE, message)
        return Handled(outcome, message, why)

    def _tracked(
        self, record: Record, message: AnyMessage, outcome: Outcome, reason: str
    ) -> Handled:
        try:
            self.app.save_tracked(record.tracking)
        except AlreadyTracked:
            return Handled(Outcome.DUPLICATE, message)
        return Handled(outcome, message, reason)

    def retry(self, key: str, operator: Actor) -> list[str]:
        """Apply the table's parked messages in order until one fails again."""
        self.gate.check(operator, Operation.OPERATE)
        done: list[str] = []
        record = self.app.sync_record(key)
        while record is not None and record.blocked:
            parked = record.first()
            try:
                _, changed, _ = self._effect(decode(parked.value.encode()))
            except (DomainError, ValueError) as error:
                done.append(f"offset {parked.offset} still fails: {error}")
                return done
            record.resolve(parked.offset, operator)
            self.app.save_tracked(None, record, *changed)
            done.append(f"offset {parked.offset} applied")
            record = self.app.sync_record(key)
        return done

    def discard(self, key: str, offset: int, operator: Actor, reason: str) -> None:
        self.gate.check(operator, Operation.OPERATE)
        record = self.app.sync_record(key)
        if record is None:
            raise CannotApply(f"nothing is parked for {key}")
        record.discard(offset, operator, reason)
        self.app.save_tracked(None, record)

    def _effect(self, message: AnyMessage) -> Effect:
        if isinstance(message, Submission):
            return self._receive(message)
        if isinstance(message, ReportSubmission):
            return self._receive_report(message)
        if isinstance(message, ReportDecision):
            return self._decide_report(message)
        return self._decide(message)

    def _receive_report(self, message: ReportSubmission) -> Effect:
        if self._parent_of(message.source) != self.node.code:
            raise CannotApply(f"{message.source} is not a child of {self.node.code}")
        document = message.document
        if document.basis.jurisdiction != message.source:
            raise CannotApply(f"the report belongs to {document.basis.jurisdiction}")
        if (document.stage, document.report_id) != (message.stage, str(message.report_id)):
            raise CannotApply("the envelope and its document name different reports")
        received = self.app.find(received_report_id(message.report_id), ReceivedReport)
        if received is None:
            received = ReceivedReport(
                report_id=message.report_id,
                stage=message.stage,
                table_id=message.table_id,
                jurisdiction=message.source,
            )
        taken = received.receive(document, message.event_id, message.actor.actor())
        return (Outcome.APPLIED, [received], None) if taken else (Outcome.DUPLICATE, [], None)

    def _decide_report(self, message: ReportDecision) -> Effect:
        if message.source != self.node.parent:
            raise CannotApply(f"decisions on {self.node.code}'s reports come from its parent")
        kind: type[MonitoringRound | SelfEvaluation] = (
            MonitoringRound if message.stage is Stage.MONITORING else SelfEvaluation
        )
        report: MonitoringRound | SelfEvaluation | None = self.app.find(message.report_id, kind)
        if report is None:
            raise CannotApply(f"no {message.stage.value} report {message.report_id}")
        if applied_already(report, message.version, message.action):
            return Outcome.DUPLICATE, [], None
        if report.status is not ReportStatus.SUBMITTED or report.version != message.version:
            where = f"report {message.report_id} is at version {report.version}"
            return self._refusal(message, f"{where} ({report.status.value})")
        decide_on(
            report,
            message.action,
            message.version,
            message.reason,
            message.score,
            message.line_comments,
            message.actor.actor(),
        )
        return Outcome.APPLIED, [report], None

    def _receive(self, message: Submission) -> Effect:
        if self._parent_of(message.source) != self.node.code:
            raise CannotApply(f"{message.source} is not a child of {self.node.code}")
        if message.document.jurisdiction != message.source:
            raise CannotApply(f"the document belongs to {message.document.jurisdiction}")
        check_submitted_document(message)
        received = self.app.received_table(message.table_id) or ReceivedTable(
            table_id=message.table_id, jurisdiction=message.source
        )
        if message.chain[-1] != message.chain_head:
            raise CannotApply("the chain head is not the last link of the chain")
        said = SubmitterSaid(message.submit_reason, message.adjustment_reason)
        parts = (message.document, message.version, message.chain, message.event_id)
        taken = received.receive(*parts, message.actor.actor(), said)
        return (Outcome.APPLIED, [received], None) if taken else (Outcome.DUPLICATE, [], None)

    def _decide(self, message: Decision) -> Effect:
        if message.source != self.node.parent:
            raise CannotApply(f"decisions on {self.node.code}'s tables come from its parent")
        table = self.app.find_table(message.table_id)
        if table is None:
            raise CannotApply(f"no table {message.table_id} on {self.node.code}")
        reviewer = message.actor.actor()
        decision = table.decision
        if (
            decision is not None
            and decision.version == message.version
            and (decision.action == message.action)
        ):
            return Outcome.DUPLICATE, [], None
        if table.version != message.version or table.status is not Status.SUBMITTED:
            where = f"the table is at version {table.version} ({table.status.value})"
            return self._refusal(message, where)
        if message.action == "approve":
            table.approve(message.version, message.reason, reviewer)
        else:
            reason = message.reason or ""
            table.return_for_changes(message.version, reason, message.indicator_comments, reviewer)
        return Outcome.APPLIED, [table], None

    def _refusal(self, message: Decision | ReportDecision, where: str) -> Effect:
        """A decision on a version that is no longer current, recorded and never applied."""
        record = self._record_for(str(message.table_id))
        reason = f"the decision is on version {message.version}; {where}"
        record.refuse_decision(message.version, message.action, reason, message.event_id)
        return Outcome.REFUSED, [record], reason

    def _park(
        self, record: Record, key: str, reason: str, held: SyncRecord | None = None
    ) -> Outcome:
        sync = held or self._record_for(key)
        text = record.value.decode("utf-8", errors="replace")
        sync.park(ParkedMessage(record.topic, record.partition, record.offset, key, text, reason))
        where = f"{record.topic}:{record.partition}@{record.offset}"
        log.warning("parked %s for %s: %s", where, key, reason)
        try:
            self.app.save_tracked(record.tracking, sync)
        except AlreadyTracked:
            return Outcome.DUPLICATE
        return Outcome.PARKED

    def _record_for(self, key: str) -> SyncRecord:
        return self.app.sync_record(key) or SyncRecord(table_key=key)
