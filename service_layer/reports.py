"""Monitoring rounds and self-evaluations: filling them in, submitting, reviewing, reading.

The use cases mirror a table's: the bureau's editors fill in the whole form at once (as from a
filled-in sheet; ``expected_version`` 0 opens the report), submit it, and the reviewers of the
level above decide — on a child's report received through sync, or, at a root jurisdiction,
on its own. What people read is a ``ReportView``, the same whichever side holds the report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from domain.access import Operation
from domain.errors import VersionConflict
from domain.evaluation import EvaluationForm, SelfEvaluation
from domain.model import Actor
from domain.monitoring import MonitoringForm, MonitoringRound, check_month
from domain.received_report import ReceivedReport, received_report_id
from domain.reports import Basis, Stage, approved_version, basis_of, report_id
from domain.scoring import EvaluationRules, MonitoringRules
from service_layer import parsing as p
from service_layer.access import Gate
from service_layer.errors import InvalidArgument, UnknownTable
from service_layer.report_views import (
    Report,
    ReportView,
    document_of_report,
    view_of,
)
from service_layer.store import TablesApplication

__all__ = [
    "ReportView",
    "Reports",
    "SavedReport",
    "UnknownReport",
    "describe",
    "document_of_report",
]

R = TypeVar("R", MonitoringRound, SelfEvaluation)


@dataclass(frozen=True)
class SavedReport:
    view: ReportView
    position: int


class UnknownReport(LookupError):
    def __init__(self, what: str) -> None:
        super().__init__(f"no {what} on this node")
        self.field = "tableId"


class Reports:
    def __init__(
        self,
        app: TablesApplication,
        gate: Gate,
        monitoring_rules: MonitoringRules | None = None,
        evaluation_rules: EvaluationRules | None = None,
    ) -> None:
        self.app = app
        self.gate = gate
        self.monitoring_rules = monitoring_rules or MonitoringRules()
        self.evaluation_rules = evaluation_rules or EvaluationRules()

    # --- filling in -------------------------------------------------------------

    def set_monitoring(
        self,
        actor: Actor | None,
        table_id: UUID,
        through_month: int,
        expected_version: int,
        form: MonitoringForm,
        reason: str | None = None,
    ) -> SavedReport:
        """Store the whole monitoring form of month ``through_month``; version 0 opens it."""
        who = self.gate.check(actor, Operation.EDIT)
        check_month(through_month)
        why = p.text_of("reason", reason)

        def opened() -> MonitoringRound:
            basis = self._basis(table_id)
            return MonitoringRound.open(basis, through_month, self.monitoring_rules, who)

        found = self._report_for(
            MonitoringRound, report_id(Stage.MONITORING, table_id, through_month), expected_version
        )
        report = found or opened()
        report.report(form, who, why)
        return self._saved(report, expected_version)

    def set_self_evaluation(
        self,
        actor: Actor | None,
        table_id: UUID,
        expected_version: int,
        form: EvaluationForm,
        reason: str | None = None,
    ) -> SavedReport:
        """Store the whole self-evaluation form; version 0 opens it."""
        who = self.gate.check(actor, Operation.EDIT)
        why = p.text_of("reason", reason)
        found = self._report_for(
            SelfEvaluation, report_id(Stage.SELF_EVALUATION, table_id), expected_version
        )
        report = found or SelfEvaluation.open(self._basis(table_id), self.evaluation_rules, who)
        report.report(form, who, why)
        return self._saved(report, expected_version)

    def submit(
        self,
        actor: Actor | None,
        stage: Stage,
        table_id: UUID,
        through_month: int | None,
        version: int,
        reason: str | None = None,
    ) -> SavedReport:
        who = self.gate.check(actor, Operation.EDIT)
        why = p.text_of("reason", reason)
        report = self._own(stage, table_id, through_month)
        _check_version(report, version)
        report.submit(who, why)
        return self._saved(report, version)

    # --- reviewing --------------------------------------------------------------

    def decide(
        self,
        actor: Actor | None,
        stage: Stage,
        table_id: UUID,
        through_month: int | None,
        action: str,
        version: int,
        reason: str | None = None,
        score: Decimal | None = None,
        line_comments: dict[str, str] | None = None,
    ) -> SavedReport:
        """通过 / 退回 (and for a self-evaluation, 复核 with a score) on a submitted version.

        ``version`` is the submitted version being decided on: a child's received version, or
        a root jurisdiction's own report's version when it was submitted.
        """
        key = report_id(stage, table_id, through_month)
        why = p.text_of("reason", reason)
        comments = {
            indicator: p.text_of("comment", text) or ""
            for indicator, text in (line_comments or {}).items()
        }
        received = self.app.find(received_report_id(key), ReceivedReport)
        target: Aggregate
        if received is not None:
            who = self.gate.check(actor, Operation.REVIEW, received.jurisdiction)
            decide_on(received, action, version, why, score, comments, who)
            target = received
        else:
            who = self.gate.check(actor, Operation.REVIEW)
            self.gate.check_reviews_here()
            own = self._own(stage, table_id, through_month)
            decide_on(own, action, version, why, score, comments, who)
            target = own
        position = self.app.save_tracked(None, target)
        return SavedReport(view_of(target), position)

    # --- reading ----------------------------------------------------------------

    def report(
        self, actor: Actor | None, stage: Stage, table_id: UUID, through_month: int | None = None
    ) -> ReportView:
        """The report on this node: its own, or a child's as received here."""
        key = report_id(stage, table_id, through_month)
        received = self.app.find(received_report_id(key), ReceivedReport)
        if received is not None:
            self.gate.check(actor, Operation.REVIEW_READ, received.jurisdiction)
            return view_of(received)
        self.gate.check(actor, Operation.READ)
        kind: type[Report] = MonitoringRound if stage is Stage.MONITORING else SelfEvaluation
        own = self.app.find(key, kind)
        if own is None:
            raise UnknownReport(describe(stage, table_id, through_month))
        return view_of(own)

    def reports(self, actor: Actor | None) -> list[ReportView]:
        """Every report on this node: its own, then those received from its children."""
        self.gate.check(actor, Operation.READ)
        views = [view_of(item) for item in self._all(MonitoringRound)]
        views += [view_of(item) for item in self._all(SelfEvaluation)]
        if self.gate.allows(actor, Operation.REVIEW_READ):
            views += [view_of(item) for item in self._all(ReceivedReport)]
        return views

    def watched(self, actor: Actor | None, through_month: int | None) -> list[ReportView]:
        """重点监控: the rounds (to one month, or any) the jurisdiction's rule says to watch."""
        return [
            view
            for view in self.reports(actor)
            if view.figures is not None
            and view.figures.watched
            and through_month in (None, view.through_month)
        ]

    def rounds_of(self, actor: Actor | None, table_id: UUID) -> list[ReportView]:
        """The monitoring rounds of one table, by cut-off month."""
        found = [
            view
            for view in self.reports(actor)
            if view.table_id == table_id and view.stage is Stage.MONITORING
        ]
        return sorted(found, key=lambda view: view.through_month or 0)

    # --- helpers ----------------------------------------------------------------

    def basis(self, actor: Actor | None, table_id: UUID) -> Basis:
        """What a new report on the table would be measured against (``ReportNotOpen`` before
        the table is approved)."""
        self.gate.check(actor, Operation.READ)
        return self._basis(table_id)

    def _basis(self, table_id: UUID) -> Basis:
        try:
            table = self.app.table(table_id)
        except AggregateNotFoundError:
            raise UnknownTable(str(table_id), self.gate.place.code) from None
        approved = approved_version(table)
        if approved is None or approved == table.version:
            return basis_of(table, None if approved is None else table)
        return basis_of(table, self.app.table(table_id, approved))

    def _report_for(self, kind: type[R], key: UUID, expected: int) -> R | None:
        found: R | None = self.app.find(key, kind)
        current = found.version if found is not None else 0
        if expected != current:
            raise VersionConflict(expected, current)
        return found

    def _own(self, stage: Stage, table_id: UUID, through_month: int | None) -> Report:
        kind: type[Report] = MonitoringRound if stage is Stage.MONITORING else SelfEvaluation
        found: Report | None = self.app.find(report_id(stage, table_id, through_month), kind)
        if found is None:
            raise UnknownReport(describe(stage, table_id, through_month))
        return found

    def _all(self, kind: type[Aggregate]) -> Iterator[Any]:
        for aggregate_id in self.app.originators(f"{get_topic(kind)}.Opened"):
            yield self.app.repository.get(aggregate_id)

    def _saved(self, report: Report, expected: int) -> SavedReport:
        try:
            position = self.app.save_tracked(None, report)
        except IntegrityError:
            current = self.app.find(report.id, type(report))
            raise VersionConflict(expected, current.version if current else 0) from None
        return SavedReport(view_of(report), position)


def _check_version(report: Report, expected: int) -> None:
    if report.version != expected:
        raise VersionConflict(expected, report.version)


def decide_on(
    report: Any,
    action: str,
    version: int,
    reason: str | None,
    score: Decimal | None,
    comments: dict[str, str],
    actor: Actor,
) -> None:
    """Apply a reviewer's ``action`` (approve, return, recheck) to a report of either stage."""
    actions: dict[str, Callable[[], None]] = {
        "approve": lambda: _approve(report, version, reason, actor),
        "return": lambda: report.return_for_changes(version, reason or "", comments, actor),
        "recheck": lambda: _recheck(report, version, score, reason, actor),
    }
    if action not in actions:
        raise InvalidArgument(
            "action", f"unknown action {action!r}; expected one of {list(actions)}"
        )
    actions[action]()


def _approve(report: Any, version: int, reason: str | None, actor: Actor) -> None:
    if isinstance(report, SelfEvaluation):
        report.accept(version, reason, actor)
    else:
        report.approve(version, reason, actor)


def _recheck(
    report: Any, version: int, score: Decimal | None, reason: str | None, actor: Actor
) -> None:
    if isinstance(report, MonitoringRound):
        raise InvalidArgument("action", "a 复核 score is set on a self-evaluation only")
    if score is None:
        raise InvalidArgument("score", "a 复核 needs the reviewer's score")
    report.set_recheck(version, score, reason or "", actor)


def describe(stage: Stage, table_id: UUID, through_month: int | None) -> str:
    if stage is Stage.MONITORING:
        return f"monitoring round to month {through_month} of table {table_id}"
    return f"self-evaluation of table {table_id}"
