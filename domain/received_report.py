"""A child's monitoring round or self-evaluation as the reviewers at the parent node see it.

Like ``ReceivedTable``: every submitted version is kept, the reviewer decides on the latest,
and the decision travels back down. A decision is checked here against the document as
received (its indicators, its scoring rules) before it is stored, so the child can apply it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidEdit, SubmissionRejected
from domain.evaluation import (
    EvaluationForm,
    Scorecard,
    check_evaluation_form,
    check_recheck_score,
    scorecard,
)
from domain.model import Actor
from domain.monitoring import (
    Figures,
    MonitoringForm,
    check_basis,
    check_known,
    check_monitoring_form,
    figures,
)
from domain.reports import Basis, ReportDecision, ReportStatus, Stage, check_decidable
from domain.scoring import EvaluationRules, MonitoringRules, cents
from domain.table import check_reason
from domain.text import check_text

_NAMESPACE = uuid5(NAMESPACE_URL, "https://jixiao.invalid/received-report")


def received_report_id(report_id: UUID) -> UUID:
    return uuid5(_NAMESPACE, str(report_id))


@dataclass(frozen=True, kw_only=True)
class ReportDocument:
    """A report as it travels between levels: what it is about, the rules, and the form."""

    schema: int = 1
    stage: Stage
    report_id: str
    version: int
    basis: Basis
    through_month: int | None = None
    monitoring_rules: MonitoringRules | None = None
    monitoring: MonitoringForm | None = None
    evaluation_rules: EvaluationRules | None = None
    evaluation: EvaluationForm | None = None

    def scorecard(self) -> Scorecard | None:
        if self.evaluation is None or self.evaluation_rules is None:
            return None
        return scorecard(self.basis, self.evaluation, self.evaluation_rules)

    def figures(self) -> Figures | None:
        """A monitoring round's rate and lights, as the document's own rules give them."""
        if self.monitoring is None or self.monitoring_rules is None or self.through_month is None:
            return None
        return figures(self.basis, self.through_month, self.monitoring_rules, self.monitoring)


def check_document(document: ReportDocument) -> None:
    """A received report keeps the bounds its sender's commands keep, and its figures can be
    computed; otherwise it is rejected (``SubmissionRejected``) and nothing is stored."""
    try:
        check_basis(document.basis)
        if document.monitoring is not None:
            check_monitoring_form(document.basis, document.monitoring)
        if document.evaluation is not None:
            check_evaluation_form(document.basis, document.evaluation)
        document.figures()
        document.scorecard()
    except InvalidEdit as refused:
        raise SubmissionRejected(
            f"report {document.report_id} version {document.version}: {refused}"
        ) from None


@dataclass(frozen=True)
class ReceivedReportVersion:
    version: int
    event_id: str


class ReceivedReport(Aggregate):
    """Every version a child submitted of one report, and the decisions taken on them."""

    class Event(Aggregate.Event):
        pass

    class Opened(Event, Aggregate.Created):
        report_id: UUID
        stage: Stage
        table_id: UUID
        jurisdiction: str

    class SubmissionReceived(Event):
        document: ReportDocument
        event_id: str
        submitted_by: Actor

    class Decided(Event):
        actor: Actor
        reason: str | None
        version: int

    class Approved(Decided):
        pass

    class Returned(Decided):
        line_comments: dict[str, str]

    class Rechecked(Decided):
        score: Decimal

    @event(Opened)
    def __init__(self, report_id: UUID, stage: Stage, table_id: UUID, jurisdiction: str) -> None:
        self.report_id = report_id
        self._stage = str(stage)
        self.table_id = table_id
        self.jurisdiction = jurisdiction
        self.document: ReportDocument | None = None
        self.received: list[ReceivedReportVersion] = []
        self._status = str(ReportStatus.SUBMITTED)
        self.decision: ReportDecision | None = None

    @staticmethod
    def create_id(report_id: UUID, stage: Stage, table_id: UUID, jurisdiction: str) -> UUID:
        return received_report_id(report_id)

    @property
    def stage(self) -> Stage:
        return Stage(self._stage)

    @property
    def status(self) -> ReportStatus:
        return ReportStatus(self._status)

    @property
    def basis(self) -> Basis:
        assert self.document is not None
        return self.document.basis

    @property
    def latest_version(self) -> int:
        return self.received[-1].version if self.received else 0

    def receive(self, document: ReportDocument, event_id: str, submitted_by: Actor) -> bool:
        """Take in a submitted version; False when this message was received already."""
        if any(item.event_id == event_id for item in self.received):
            return False
        if (document.stage, document.report_id) != (self.stage, str(self.report_id)):
            raise SubmissionRejected(
                f"the document is {document.stage.value} report {document.report_id}, "
                f"not {self.stage.value} report {self.report_id}"
            )
        if document.version <= self.latest_version:
            raise SubmissionRejected(
                f"version {document.version} of report {self.report_id} arrived after "
                f"version {self.latest_version}"
            )
        check_text(document=document, event_id=event_id, submitted_by=submitted_by)
        check_document(document)
        self._receive(document, event_id, submitted_by)
        return True

    @event(SubmissionReceived)
    def _receive(self, document: ReportDocument, event_id: str, submitted_by: Actor) -> None:
        self.document = document
        self.received.append(ReceivedReportVersion(document.version, event_id))
        self._status = str(ReportStatus.SUBMITTED)
        self.decision = None

    def approve(self, version: int, reason: str | None, actor: Actor) -> None:
        check_decidable(self.status, "approve", version, self.latest_version)
        check_text(actor=actor, reason=reason)
        self._approve(actor, reason, version)

    @event(Approved)
    def _approve(self, actor: Actor, reason: str | None, version: int) -> None:
        self._status = str(ReportStatus.APPROVED)
        self.decision = ReportDecision("approve", version, actor, reason)

    def return_for_changes(
        self, version: int, reason: str, line_comments: dict[str, str], actor: Actor
    ) -> None:
        check_decidable(self.status, "return", version, self.latest_version)
        check_reason(reason, "returning a report")
        check_known(self.basis, line_comments)
        check_text(actor=actor, reason=reason, line_comments=line_comments)
        self._return(actor, reason, version, line_comments)

    @event(Returned)
    def _return(
        self, actor: Actor, reason: str | None, version: int, line_comments: dict[str, str]
    ) -> None:
        self._status = str(ReportStatus.RETURNED)
        self.decision = ReportDecision(
            "return", version, actor, reason, line_comments=tuple(line_comments.items())
        )

    def set_recheck(self, version: int, score: Decimal, reason: str, actor: Actor) -> None:
        if self.stage is not Stage.SELF_EVALUATION or self.document is None:
            raise SubmissionRejected("a 复核 score is set on a self-evaluation only")
        check_decidable(self.status, "recheck", version, self.latest_version)
        check_reason(reason, "setting a 复核 score")
        check_text(actor=actor, reason=reason)
        rules = self.document.evaluation_rules or EvaluationRules()
        check_recheck_score(score, rules)
        self._recheck(actor, reason, version, cents(score))

    @event(Rechecked)
    def _recheck(self, actor: Actor, reason: str | None, version: int, score: Decimal) -> None:
        self._status = str(ReportStatus.APPROVED)
        self.decision = ReportDecision("recheck", version, actor, reason, score)
