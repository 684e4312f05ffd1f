"""What people read of a report, and what travels up: one shape whichever side holds it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain import vocabulary
from domain.errors import CannotApply, DomainError
from domain.evaluation import EvaluationForm, Scorecard, SelfEvaluation
from domain.monitoring import Figures, MonitoringForm, MonitoringRound
from domain.received_report import ReceivedReport, ReportDocument
from domain.reports import Basis, ReportDecision, ReportStatus, Stage
from domain.scoring import EvaluationRules, MonitoringRules

Report = MonitoringRound | SelfEvaluation


@dataclass(frozen=True)
class ReportView:
    """A report as people read it, from the bureau's own store or as received above."""

    stage: Stage
    report_id: UUID
    version: int
    status: ReportStatus
    basis: Basis
    through_month: int | None
    received: bool  # a child's report, as this (parent) node received it
    monitoring: MonitoringForm | None = None
    figures: Figures | None = None
    monitoring_rules: MonitoringRules | None = None
    evaluation: EvaluationForm | None = None
    scorecard: Scorecard | None = None
    evaluation_rules: EvaluationRules | None = None
    decision: ReportDecision | None = None
    missing: tuple[str, ...] = ()
    fault: str | None = None  # why the figures of a stored form cannot be computed

    @property
    def faulty(self) -> bool:
        return self.fault is not None

    @property
    def table_id(self) -> UUID:
        return UUID(self.basis.table_id)


def view_of(report: Aggregate) -> ReportView:
    """What people read of a report: this node's own, or a child's as received here."""
    view = _bare_view(report)
    try:
        return replace(view, **_computed(report))
    except (ArithmeticError, DomainError) as broken:
        # A form an older release stored beyond today's bounds: this report is shown as faulty,
        # and every other page and listing still reads.
        detail = str(broken) if isinstance(broken, DomainError) else vocabulary.BEYOND_CONTEXT
        return replace(view, fault=vocabulary.REPORT_FAULT.format(detail=detail))


def _bare_view(report: Aggregate) -> ReportView:
    """What a report holds as stored, before anything is computed from it."""
    if isinstance(report, MonitoringRound):
        return ReportView(
            stage=Stage.MONITORING,
            report_id=report.id,
            version=report.version,
            status=report.status,
            basis=report.basis,
            through_month=report.through_month,
            received=False,
            monitoring=report.form,
            monitoring_rules=report.rules,
            decision=report.decision,
        )
    if isinstance(report, SelfEvaluation):
        return ReportView(
            stage=Stage.SELF_EVALUATION,
            report_id=report.id,
            version=report.version,
            status=report.status,
            basis=report.basis,
            through_month=None,
            received=False,
            evaluation=report.form,
            evaluation_rules=report.rules,
            decision=_evaluation_decision(report),
        )
    if isinstance(report, ReceivedReport):
        return _received_view(report)
    raise TypeError(f"{type(report).__name__} is not a report")


def _computed(report: Aggregate) -> dict[str, Any]:
    """The figures, the scorecard and what is missing: what a stored form may fail to give."""
    if isinstance(report, MonitoringRound):
        return {"figures": report.figures(), "missing": tuple(report.missing())}
    if isinstance(report, SelfEvaluation):
        return {"scorecard": report.scorecard(), "missing": tuple(report.missing())}
    assert isinstance(report, ReceivedReport)
    document = report.document
    assert document is not None  # _bare_view refused a report with no received version
    return {"figures": document.figures(), "scorecard": document.scorecard()}


def _evaluation_decision(report: SelfEvaluation) -> ReportDecision | None:
    """A self-evaluation shows its decision while it stands: returned, or accepted/rechecked."""
    shown = {ReportStatus.RETURNED, ReportStatus.APPROVED}
    return report.decision if report.status in shown else None


def _received_view(report: ReceivedReport) -> ReportView:
    document: ReportDocument | None = report.document
    if document is None:
        raise CannotApply(f"report {report.report_id} has no received version")
    return ReportView(
        stage=report.stage,
        report_id=report.report_id,
        version=document.version,
        status=report.status,
        basis=document.basis,
        through_month=document.through_month,
        received=True,
        monitoring=document.monitoring,
        monitoring_rules=document.monitoring_rules,
        evaluation=document.evaluation,
        evaluation_rules=document.evaluation_rules,
        decision=report.decision,
    )


def document_of_report(report: Report) -> ReportDocument:
    """The report as it travels to the level above."""
    if isinstance(report, MonitoringRound):
        return ReportDocument(
            stage=Stage.MONITORING,
            report_id=str(report.id),
            version=report.version,
            basis=report.basis,
            through_month=report.through_month,
            monitoring_rules=report.rules,
            monitoring=report.form,
        )
    return ReportDocument(
        stage=Stage.SELF_EVALUATION,
        report_id=str(report.id),
        version=report.version,
        basis=report.basis,
        evaluation_rules=report.rules,
        evaluation=report.form,
    )
