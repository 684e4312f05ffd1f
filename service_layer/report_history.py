"""The auditor's questions on monitoring rounds and self-evaluations: timeline, diff, blame.

A report's events are replayed one by one and its state read as paths after each —
``budget.executed``, ``lines.<indicator>.actual``, ``status``, ``review.score`` — so every
entry says who changed which figure, from what to what, and why. At a parent node the same
questions are answered on the received report: each version as it arrived, and the decisions.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.access import Operation
from domain.evaluation import EvaluationForm, SelfEvaluation
from domain.history import Change, Fields, changes
from domain.model import Actor
from domain.monitoring import MonitoringForm, MonitoringRound
from domain.received_report import ReceivedReport, received_report_id
from domain.reports import ReportDecision, Stage, report_id
from domain.values import Value
from service_layer.access import Gate
from service_layer.errors import InvalidArgument
from service_layer.reports import UnknownReport, describe
from service_layer.store import TablesApplication


@dataclass(frozen=True)
class ReportEntry:
    """One stored event of a report, and what it changed."""

    version: int
    event_type: str
    at: datetime
    actor: Actor | None
    reason: str | None
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class ReportBlame:
    path: str
    value: str
    entry: ReportEntry


class ReportHistory:
    def __init__(self, app: TablesApplication, gate: Gate) -> None:
        self.app = app
        self.gate = gate

    def timeline(
        self, actor: Actor | None, stage: Stage, table_id: UUID, through_month: int | None = None
    ) -> list[ReportEntry]:
        """Every event of the report, oldest first, with the paths it changed."""
        key = self._key(actor, Operation.READ, stage, table_id, through_month)
        return [entry for entry, _ in self._replay(key)]

    def diff(
        self,
        actor: Actor | None,
        stage: Stage,
        table_id: UUID,
        through_month: int | None,
        before: int,
        after: int,
    ) -> list[Change]:
        """Exactly what differs between two versions of the report."""
        key = self._key(actor, Operation.AUDIT, stage, table_id, through_month)
        states = {entry.version: state for entry, state in self._replay(key)}
        for field, version in (("fromVersion", before), ("toVersion", after)):
            if version not in states:
                raise InvalidArgument(
                    field, f"the report has versions 1 to {len(states)}, not {version}"
                )
        return changes(states[before], states[after])

    def blame(
        self, actor: Actor | None, stage: Stage, table_id: UUID, through_month: int | None = None
    ) -> list[ReportBlame]:
        """For every value the report holds now, the event that last set it."""
        key = self._key(actor, Operation.AUDIT, stage, table_id, through_month)
        owners: dict[str, ReportEntry] = {}
        state: Fields = {}
        for entry, after in self._replay(key):
            for change in entry.changes:
                owners[change.path] = entry
            state = after
        return [
            ReportBlame(path, value, owners[path])
            for path, value in state.items()
            if value is not None and path in owners
        ]

    # --- replaying ----------------------------------------------------------------

    def _key(
        self,
        actor: Actor | None,
        operation: Operation,
        stage: Stage,
        table_id: UUID,
        through_month: int | None,
    ) -> UUID:
        """The stored report to replay: this node's own, or a child's as received here."""
        own = report_id(stage, table_id, through_month)
        received = self.app.find(received_report_id(own), ReceivedReport)
        if received is not None:
            if operation is Operation.READ:
                operation = Operation.REVIEW_READ
            self.gate.check(actor, operation, received.jurisdiction)
            return received.id
        self.gate.check(actor, operation)
        if not self.app.recorder.select_events(own, limit=1):
            raise UnknownReport(describe(stage, table_id, through_month))
        return own

    def _replay(self, key: UUID) -> Iterator[tuple[ReportEntry, Fields]]:
        report: Aggregate | None = None
        before: Fields = {}
        for stored in self.app.recorder.select_events(key):
            event = self.app.mapper.to_domain_event(stored)
            if not isinstance(event, Aggregate.Event):
                raise TypeError(f"{stored.topic} is not an aggregate event")
            report = event.mutate(report)
            assert report is not None
            after = fields_of(report)
            yield (
                ReportEntry(
                    version=event.originator_version,
                    event_type=type(event).__name__,
                    at=event.timestamp,
                    actor=_actor_of(event),
                    reason=getattr(event, "reason", None),
                    changes=tuple(changes(before, after)),
                ),
                after,
            )
            before = after


def fields_of(report: Aggregate) -> Fields:
    """Every path of what a report says now."""
    if isinstance(report, MonitoringRound):
        found = {"status": report.status.value, **monitoring_fields(report.form)}
    elif isinstance(report, SelfEvaluation):
        found = {"status": report.status.value}
        if report.form is not None:
            found.update(evaluation_fields(report.form))
    elif isinstance(report, ReceivedReport):
        found = {"status": report.status.value}
        document = report.document
        if document is not None:
            found["received.version"] = str(document.version)
            if document.monitoring is not None:
                found.update(monitoring_fields(document.monitoring))
            if document.evaluation is not None:
                found.update(evaluation_fields(document.evaluation))
    else:
        raise TypeError(f"{type(report).__name__} is not a report")
    if report.decision is not None:
        found.update(_review(report.decision))
    return found


def monitoring_fields(form: MonitoringForm) -> Fields:
    found: Fields = {
        "budget.executed": _text(form.budget_executed),
        "budget.forecast": _text(form.budget_forecast),
        "goal.progress": form.goal_progress,
    }
    for line in form.lines:
        prefix = f"lines.{line.indicator_id}"
        found.update(
            {
                f"{prefix}.actual_to_date": _text(line.actual_to_date),
                f"{prefix}.year_end_forecast": _text(line.year_end_forecast),
                f"{prefix}.likelihood": line.likelihood.value,
                f"{prefix}.causes": ",".join(cause.value for cause in line.causes) or None,
                f"{prefix}.cause_note": line.cause_note,
                f"{prefix}.measures": line.measures,
            }
        )
    return found


def evaluation_fields(form: EvaluationForm) -> Fields:
    found: Fields = {
        "budget.full_year": _text(form.budget_full_year),
        "budget.executed": _text(form.budget_executed),
        "conclusion": form.conclusion,
        "goal.result": form.goal_result,
        "problems": form.problems,
        "measures": form.measures,
    }
    for line in form.lines:
        prefix = f"lines.{line.indicator_id}"
        found.update(
            {
                f"{prefix}.actual": _text(line.actual),
                f"{prefix}.weight": _text(line.weight),
                f"{prefix}.band": line.band.value if line.band else None,
                f"{prefix}.score": _text(line.score),
                f"{prefix}.explanation": line.explanation,
            }
        )
    return found


def _review(decision: ReportDecision) -> Fields:
    found: Fields = {
        "review.action": decision.action,
        "review.reason": decision.reason,
        "review.score": _text(decision.score),
    }
    found.update({f"review.lines.{key}": text for key, text in decision.line_comments})
    return found


def _text(value: Decimal | Value | None) -> str | None:
    if value is None:
        return None
    return value.raw if isinstance(value, Value) else str(value)


def _actor_of(event: object) -> Actor | None:
    actor = getattr(event, "actor", None)
    if isinstance(actor, Actor):
        return actor
    submitted_by = getattr(event, "submitted_by", None)
    return submitted_by if isinstance(submitted_by, Actor) else None
