"""A monitoring round (绩效运行监控, 双监控): targets and spending to a cut-off month.

A round reports, for month M, how far each approved target has got (1–M月执行情况), what
the year will reach (全年预计完成情况), how likely the target is, and why it may miss; and
how much of the budget was spent. It is submitted to the level above like a table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import UnknownIndicator
from domain.model import Actor
from domain.reports import (
    Basis,
    ReportDecision,
    ReportStatus,
    Stage,
    check_decidable,
    check_editable,
    check_submittable,
    report_id,
)
from domain.scoring import (
    Cause,
    Light,
    Likelihood,
    MonitoringRules,
    ScoringInvalid,
    check_actual_sign,
    check_comparable,
    execution_light,
    execution_rate,
    indicator_light,
    watched,
)
from domain.table import check_reason
from domain.text import check_text
from domain.values import Value, check_amount, check_number


@dataclass(frozen=True, kw_only=True)
class MonitoringLine:
    indicator_id: str
    actual_to_date: Value | None = None
    year_end_forecast: Value | None = None
    likelihood: Likelihood = Likelihood.CERTAIN
    causes: tuple[Cause, ...] = ()
    cause_note: str | None = None
    measures: str | None = None


@dataclass(frozen=True, kw_only=True)
class MonitoringForm:
    """The whole form as a bureau fills it in (amounts in 万元)."""

    budget_executed: Decimal
    budget_forecast: Decimal | None = None
    lines: tuple[MonitoringLine, ...] = ()
    # 年度总体目标's 1-M月执行情况: how the year's goal stands, in the bureau's words.
    goal_progress: str | None = None

    def line(self, indicator_id: str) -> MonitoringLine | None:
        return next((item for item in self.lines if item.indicator_id == indicator_id), None)


EMPTY_FORM = MonitoringForm(budget_executed=Decimal(0))


@dataclass(frozen=True)
class LineLight:
    indicator_id: str
    light: Light | None  # None until the line has a forecast or a likelihood


@dataclass(frozen=True)
class Figures:
    """What a filled-in form says: the execution rate and the lights."""

    execution_rate: Decimal
    execution_light: Light
    watched: bool  # 重点监控 by the jurisdiction's rule
    lights: tuple[LineLight, ...]


def figures(
    basis: Basis, through_month: int, rules: MonitoringRules, form: MonitoringForm
) -> Figures:
    assert basis.budget is not None  # a round opens only on a table with a budget
    rate = execution_rate(form.budget_executed, basis.budget, through_month)
    light = execution_light(rate, rules)
    lights: list[LineLight] = []
    for target in basis.targets:
        line = form.line(target.indicator_id)
        found = None
        reported = line is not None and (
            line.year_end_forecast is not None or line.likelihood is not Likelihood.CERTAIN
        )
        if line is not None and reported:
            found = indicator_light(target.value, line.year_end_forecast, line.likelihood)
        lights.append(LineLight(target.indicator_id, found))
    return Figures(rate, light, watched(basis.budget, light, rules), tuple(lights))


class MonitoringRound(Aggregate):
    """One table's monitoring to the end of one month."""

    class Event(Aggregate.Event):
        actor: Actor
        reason: str | None

    class Opened(Event, Aggregate.Created):
        basis: Basis
        through_month: int
        rules: MonitoringRules

    class Reported(Event):
        form: MonitoringForm

    class Submitted(Event):
        pass

    class Returned(Event):
        version: int
        line_comments: dict[str, str]

    class Approved(Event):
        version: int

    @event(Opened)
    def __init__(
        self,
        basis: Basis,
        through_month: int,
        rules: MonitoringRules,
        actor: Actor,
        reason: str | None,
    ) -> None:
        self.basis = basis
        self.through_month = through_month
        self.rules = rules
        self.form = EMPTY_FORM
        self._status = str(ReportStatus.DRAFT)
        self.decision: ReportDecision | None = None

    @staticmethod
    def create_id(
        basis: Basis, through_month: int, rules: MonitoringRules, actor: Actor, reason: str | None
    ) -> UUID:
        return report_id(Stage.MONITORING, UUID(basis.table_id), through_month)

    @classmethod
    def open(
        cls, basis: Basis, through_month: int, rules: MonitoringRules, actor: Actor
    ) -> MonitoringRound:
        check_month(through_month)
        if basis.budget is None or basis.budget <= 0:
            raise ScoringInvalid(
                "tableId",
                "the approved table has no 年度资金总额, so budget execution cannot be measured",
            )
        check_basis(basis)
        return cls(basis=basis, through_month=through_month, rules=rules, actor=actor, reason=None)

    @property
    def status(self) -> ReportStatus:
        return ReportStatus(self._status)

    def figures(self) -> Figures:
        return figures(self.basis, self.through_month, self.rules, self.form)

    def missing(self) -> list[str]:
        """What must still be filled in before the round can be submitted."""
        gaps: list[str] = []
        for target in self.basis.targets:
            line = self.form.line(target.indicator_id)
            if line is None or line.actual_to_date is None or line.year_end_forecast is None:
                gaps.append(
                    f"{target.name}: 1–{self.through_month}月执行情况 and "
                    "全年预计完成情况 are needed"
                )
        return gaps

    # --- commands -------------------------------------------------------------

    def report(self, form: MonitoringForm, actor: Actor, reason: str | None) -> None:
        check_editable(self.status)
        check_text(form, actor=actor, reason=reason)
        check_monitoring_form(self.basis, form)
        figures(self.basis, self.through_month, self.rules, form)  # every figure, before the event
        if form != self.form:
            self._report(form, actor, reason)

    @event(Reported)
    def _report(self, form: MonitoringForm, actor: Actor, reason: str | None) -> None:
        self.form = form

    def submit(self, actor: Actor, reason: str | None) -> None:
        check_submittable(self.status)
        check_text(actor=actor, reason=reason)
        check_monitoring_form(self.basis, self.form)  # an older release may have stored it
        gaps = self.missing()
        if gaps:
            raise ScoringInvalid("lines", "the round is not complete: " + "; ".join(gaps))
        self._submit(actor, reason)

    @event(Submitted)
    def _submit(self, actor: Actor, reason: str | None) -> None:
        self._status = str(ReportStatus.SUBMITTED)

    def return_for_changes(
        self, version: int, reason: str, line_comments: dict[str, str], actor: Actor
    ) -> None:
        check_decidable(self.status, "return", version, self.version)
        check_reason(reason, "returning a monitoring round")
        check_known(self.basis, line_comments)
        check_text(actor=actor, reason=reason, line_comments=line_comments)
        self._return(version, line_comments, actor, reason)

    @event(Returned)
    def _return(
        self, version: int, line_comments: dict[str, str], actor: Actor, reason: str | None
    ) -> None:
        self._status = str(ReportStatus.RETURNED)
        self.decision = ReportDecision(
            "return", version, actor, reason, line_comments=tuple(line_comments.items())
        )

    def approve(self, version: int, reason: str | None, actor: Actor) -> None:
        check_decidable(self.status, "approve", version, self.version)
        check_text(actor=actor, reason=reason)
        self._approve(version, actor, reason)

    @event(Approved)
    def _approve(self, version: int, actor: Actor, reason: str | None) -> None:
        self._status = str(ReportStatus.APPROVED)
        self.decision = ReportDecision("approve", version, actor, reason)


def check_month(through_month: int) -> None:
    if not 1 <= through_month <= 12:
        raise ScoringInvalid(
            "throughMonth", f"the cut-off month must be 1 to 12, not {through_month}"
        )


def check_basis(basis: Basis) -> None:
    """What a report is measured against keeps to the bounds too (a table of an old store
    may hold an amount or a target beyond them)."""
    check_amount("tableId", basis.budget)
    for target in basis.targets:
        check_number("tableId", target.value)


def check_known(basis: Basis, by_indicator: Sequence[str] | dict[str, str]) -> None:
    for indicator_id in by_indicator:
        if basis.target(indicator_id) is None:
            raise UnknownIndicator(indicator_id)


def check_monitoring_form(basis: Basis, form: MonitoringForm) -> None:
    """Every rule one filled-in monitoring form must keep, before anything is stored."""
    check_amount("budgetExecuted", form.budget_executed)
    check_amount("budgetForecast", form.budget_forecast)
    if form.budget_executed < 0:
        raise ScoringInvalid("budgetExecuted", "the budget executed cannot be negative")
    if form.budget_forecast is not None and form.budget_forecast < 0:
        raise ScoringInvalid("budgetForecast", "the full-year forecast cannot be negative")
    seen: set[str] = set()
    for line in form.lines:
        target = basis.target(line.indicator_id)
        if target is None:
            raise UnknownIndicator(line.indicator_id)
        if line.indicator_id in seen:
            raise ScoringInvalid(
                f"lines.{line.indicator_id}", f"indicator {line.indicator_id} is given twice"
            )
        seen.add(line.indicator_id)
        for part, given in (
            ("actualToDate", line.actual_to_date),
            ("yearEndForecast", line.year_end_forecast),
        ):
            if given is not None:
                check_number(f"lines.{line.indicator_id}.{part}", given)
                check_comparable(line.indicator_id, target.value, given, part)
                check_actual_sign(line.indicator_id, target.value, given, part)
        if line.likelihood is not Likelihood.CERTAIN and not (
            line.causes and (line.measures or "").strip()
        ):
            raise ScoringInvalid(
                f"lines.{line.indicator_id}.causes",
                f"{target.name}: a target that may be missed ({line.likelihood.value}) needs "
                f"its deviation causes and 纠偏措施",
            )
        if Cause.OTHER in line.causes and not (line.cause_note or "").strip():
            raise ScoringInvalid(
                f"lines.{line.indicator_id}.causeNote",
                f"{target.name}: the cause OTHER (其他) needs a note saying what it is",
            )
