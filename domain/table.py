"""The target table aggregate: every edit and every workflow step is a declared event.

Commands check their rules (the ``check_*`` methods, each raising its own exception from
``domain.errors``) before the event exists; event bodies only apply what the event says, so a
replay never consults today's rules or vocabulary. How an old stored shape is read today is
each event's ``upcast_vN_vM`` (see the README's "Stored events are forever").
"""

from __future__ import annotations

from copy import copy
from dataclasses import fields, replace
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain import vocabulary
from domain.categories import category_of, place_for
from domain.errors import (
    DuplicateIndicator,
    FullYearValueRequired,
    IndicatorNameRequired,
    InvalidIndicatorId,
    NoSuchExpenditureLine,
    ProjectFieldRequired,
    ReasonRequired,
    SubmissionBlocked,
    UnknownFundSource,
    UnknownGoal,
    UnknownIndicator,
    UnknownProjectField,
    UnknownProjectKind,
    VersionConflict,
)
from domain.findings import Finding, check_table, errors
from domain.model import (
    Actor,
    Decision,
    EmptyCategory,
    Expenditure,
    Form,
    Indicator,
    Kind,
    Period,
    Project,
    Status,
    SubmissionNote,
    TableContent,
    ValueBasis,
    indicator_id_problem,
)
from domain.text import check_text
from domain.values import Value, check_amount, check_number
from domain.workflow import Action, check_editable, next_status

PROJECT_FIELDS = frozenset(field.name for field in fields(Project)) - {"kind"}
REQUIRED_PROJECT_FIELDS = frozenset({"name", "department", "implementing_unit"})
GOALS = ("long_term", "annual")
# The project kinds' labels as release 0.1.0 wrote them, for its events that did not carry them.
_KIND_LABELS_V1 = {
    "current_year": "当年项目",
    "carryover": "上年结转项目",
    "recurring": "常年安排项目",
}


class TargetTable(Aggregate):
    """One project's 绩效目标表 in one jurisdiction and fiscal year."""

    class Event(Aggregate.Event):
        """Every table event: who did it, and why (the reason may be empty)."""

        actor: Actor
        reason: str | None

    class Registered(Event, Aggregate.Created):
        jurisdiction: str
        fiscal_year: int
        form: Form
        status: Status
        content: TableContent
        # An admin's import may keep the status its document gives; otherwise a table starts
        # as a draft. Events stored before this was recorded leave it out: they are False.
        status_from_document: bool = False

    class ProjectFieldChanged(Event):
        field: str
        value: str | None
        label: str | None  # what the value reads as, where the form shows a label (kind)
        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            kind = state["field"] == "kind"
            state["label"] = _KIND_LABELS_V1.get(state["value"]) if kind else None

    class FundTotalChanged(Event):
        amount: Decimal | None

    class FundSourceChanged(Event):
        source: str
        amount: Decimal | None

    class ExpenditureChanged(Event):
        index: int
        line: Expenditure | None

    class GoalChanged(Event):
        goal: str
        text: str | None

    class EmptyCategoriesChanged(Event):
        categories: tuple[EmptyCategory, ...]

    class IndicatorAdded(Event):
        item: Indicator
        position: int | None

    class IndicatorValueChanged(Event):
        indicator_id: str
        period: Period
        value: Value | None

    class IndicatorRenamed(Event):
        indicator_id: str
        name: str

    class IndicatorMoved(Event):
        indicator_id: str
        category: EmptyCategory

    class IndicatorExplained(Event):
        indicator_id: str
        explanation: str | None
        basis: ValueBasis | None

    class IndicatorRemoved(Event):
        indicator_id: str

    class Submitted(Event):
        """``reason`` is the clerk's 提交说明; ``adjustment_reason`` is the 申请调整 reason when
        the version submitted is an adjustment of an approved table (None otherwise)."""

        adjustment_reason: str | None
        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["adjustment_reason"] = None

    class Returned(Event):
        version: int
        indicator_comments: dict[str, str]

    class Approved(Event):
        version: int
        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["reason"] = state.pop("comment")

    class AdjustmentOpened(Event):
        pass

    @event(Registered)
    def __init__(
        self,
        id: UUID,
        jurisdiction: str,
        fiscal_year: int,
        form: Form,
        status: Status,
        content: TableContent,
        actor: Actor,
        reason: str | None,
        status_from_document: bool = False,
    ) -> None:
        self.jurisdiction = jurisdiction
        self.fiscal_year = fiscal_year
        self._form = str(form)
        self._status = str(status)
        self.content = content
        self.decision: Decision | None = None
        self.status_from_document = status_from_document
        self.adjustment_reason: str | None = None
        self.submit_reason: str | None = None

    # Snapshots taken before these were kept restore without them.
    status_from_document = False
    adjustment_reason: str | None = None  # while an adjustment is open, until it is approved
    submit_reason: str | None = None  # of the latest submission

    @property
    def note(self) -> SubmissionNote:
        return SubmissionNote(self.submit_reason, self.adjustment_reason)

    def __deepcopy__(self, memo: dict[int, object]) -> TargetTable:
        """A copy for one command: the content is immutable, so only pending events are new."""
        clone = copy(self)
        clone._pending_events = list(self._pending_events)
        return clone

    @property
    def form(self) -> Form:
        return Form(self._form)

    @property
    def status(self) -> Status:
        return Status(self._status)

    def findings(self) -> list[Finding]:
        return check_table(self.form, self.content)

    def indicator(self, indicator_id: str) -> Indicator:
        for item in self.content.indicators:
            if item.id == indicator_id:
                return item
        raise UnknownIndicator(indicator_id)

    # --- rules -----------------------------------------------------------

    def check_edit(self, actor: Actor, reason: str | None) -> None:
        """An edit needs an editable table, and who made it and why in text the policy allows."""
        check_editable(self.status)
        check_text(actor=actor, reason=reason)

    def check_version(self, expected: int) -> None:
        if expected != self.version:
            raise VersionConflict(expected, self.version)

    def check_project_field(self, field: str, value: str | None) -> None:
        if field == "kind":
            if value not in {kind.value for kind in Kind}:
                raise UnknownProjectKind(value, [kind.value for kind in Kind])
        elif field not in PROJECT_FIELDS:
            raise UnknownProjectField(field)
        if field in REQUIRED_PROJECT_FIELDS and not (value or "").strip():
            raise ProjectFieldRequired(field)
        check_text(**{field: value})

    def check_expenditure_index(self, index: int, removing: bool) -> None:
        """``index == len`` appends; removing needs an existing line."""
        count = len(self.content.expenditures)
        if not 0 <= index <= count or (index == count and removing):
            raise NoSuchExpenditureLine(index, count)

    def check_new_indicator(self, item: Indicator) -> None:
        problem = indicator_id_problem(item.id)
        if problem is not None:
            raise InvalidIndicatorId(item.id, problem)
        if any(existing.id == item.id for existing in self.content.indicators):
            raise DuplicateIndicator(item.id)
        check_indicator_name(item.name)
        check_text(item)
        check_number("halfYear", item.half_year)
        check_number("fullYear", item.full_year)

    # --- project, funds, expenditures, goals -----------------------------

    def set_project_field(
        self, field: str, value: str | None, actor: Actor, reason: str | None
    ) -> None:
        self.check_edit(actor, reason)
        self.check_project_field(field, value)
        label = vocabulary.KIND_LABELS[value] if field == "kind" and value else None
        self._set_project_field(field, value, label, actor, reason)

    @event(ProjectFieldChanged)
    def _set_project_field(
        self, field: str, value: str | None, label: str | None, actor: Actor, reason: str | None
    ) -> None:
        changes: dict[str, Any] = {field: value}
        if field == "kind" and value is not None:
            changes.update(kind=Kind(value), kind_label=label)
        self.content = replace(self.content, project=replace(self.content.project, **changes))

    def set_fund_total(self, amount: Decimal | None, actor: Actor, reason: str | None) -> None:
        self.check_edit(actor, reason)
        check_amount("amount", amount)
        self._set_fund_total(amount, actor, reason)

    @event(FundTotalChanged)
    def _set_fund_total(self, amount: Decimal | None, actor: Actor, reason: str | None) -> None:
        self.content = replace(self.content, funds=replace(self.content.funds, total=amount))

    def set_fund_source(
        self, source: str, amount: Decimal | None, actor: Actor, reason: str | None
    ) -> None:
        self.check_edit(actor, reason)
        check_fund_source(source)
        check_amount("amount", amount)
        self._set_fund_source(source, amount, actor, reason)

    @event(FundSourceChanged)
    def _set_fund_source(
        self, source: str, amount: Decimal | None, actor: Actor, reason: str | None
    ) -> None:
        sources = dict(self.content.funds.sources)
        if amount is None:
            sources.pop(source, None)
        else:
            sources[source] = amount
        self.content = replace(self.content, funds=replace(self.content.funds, sources=sources))

    def set_expenditure(
        self, index: int, line: Expenditure | None, actor: Actor, reason: str | None
    ) -> None:
        """Change line ``index``; ``index == len`` appends, ``line is None`` removes."""
        self.check_edit(actor, reason)
        self.check_expenditure_index(index, removing=line is None)
        check_text(line=line)
        if line is not None:
            check_amount("line.halfYear", line.half_year)
            check_amount("line.fullYear", line.full_year)
        self._set_expenditure(index, line, actor, reason)

    @event(ExpenditureChanged)
    def _set_expenditure(
        self, index: int, line: Expenditure | None, actor: Actor, reason: str | None
    ) -> None:
        lines = list(self.content.expenditures)
        if line is None:
            del lines[index]
        elif index == len(lines):
            lines.append(line)
        else:
            lines[index] = line
        self.content = replace(self.content, expenditures=tuple(lines))

    def set_goal(self, goal: str, text: str | None, actor: Actor, reason: str | None) -> None:
        self.check_edit(actor, reason)
        check_goal(goal)
        check_text(text=text)
        self._set_goal(goal, text, actor, reason)

    @event(GoalChanged)
    def _set_goal(self, goal: str, text: str | None, actor: Actor, reason: str | None) -> None:
        self.content = replace(self.content, goals=replace(self.content.goals, **{goal: text}))

    def set_empty_categories(
        self, categories: tuple[EmptyCategory, ...], actor: Actor, reason: str | None
    ) -> None:
        self.check_edit(actor, reason)
        check_text(categories=categories)
        self._set_empty_categories(categories, actor, reason)

    @event(EmptyCategoriesChanged)
    def _set_empty_categories(
        self, categories: tuple[EmptyCategory, ...], actor: Actor, reason: str | None
    ) -> None:
        self.content = replace(self.content, empty_categories=tuple(categories))

    # --- indicators ------------------------------------------------------

    def add_indicator(
        self, item: Indicator, position: int | None, actor: Actor, reason: str | None
    ) -> None:
        """Add ``item`` at ``position``; with none, after the indicators of its category
        (``domain.categories.place_for``)."""
        self.check_edit(actor, reason)
        self.check_new_indicator(item)
        where = place_for(self.content, category_of(item)) if position is None else position
        self._add_indicator(item, where, actor, reason)

    @event(IndicatorAdded)
    def _add_indicator(
        self, item: Indicator, position: int | None, actor: Actor, reason: str | None
    ) -> None:
        items = list(self.content.indicators)
        items.insert(len(items) if position is None else position, item)
        self.content = replace(self.content, indicators=tuple(items))

    def set_indicator_value(
        self,
        indicator_id: str,
        period: Period,
        value: Value | None,
        actor: Actor,
        reason: str | None,
    ) -> None:
        self.check_edit(actor, reason)
        self.indicator(indicator_id)
        if period is Period.FULL_YEAR and value is None:
            raise FullYearValueRequired
        check_text(value=value)
        check_number("value", value)
        self._set_indicator_value(indicator_id, period, value, actor, reason)

    @event(IndicatorValueChanged)
    def _set_indicator_value(
        self,
        indicator_id: str,
        period: Period,
        value: Value | None,
        actor: Actor,
        reason: str | None,
    ) -> None:
        self._replace_indicator(indicator_id, **{Period(period).value: value})

    def rename_indicator(
        self, indicator_id: str, name: str, actor: Actor, reason: str | None
    ) -> None:
        self.check_edit(actor, reason)
        self.indicator(indicator_id)
        check_indicator_name(name)
        self._rename_indicator(indicator_id, name, actor, reason)

    @event(IndicatorRenamed)
    def _rename_indicator(
        self, indicator_id: str, name: str, actor: Actor, reason: str | None
    ) -> None:
        self._replace_indicator(indicator_id, name=name)

    def move_indicator(
        self, indicator_id: str, category: EmptyCategory, actor: Actor, reason: str | None
    ) -> None:
        """Move an indicator under another level-1 / level-2 category."""
        self.check_edit(actor, reason)
        self.indicator(indicator_id)
        check_text(category)
        self._move_indicator(indicator_id, category, actor, reason)

    @event(IndicatorMoved)
    def _move_indicator(
        self, indicator_id: str, category: EmptyCategory, actor: Actor, reason: str | None
    ) -> None:
        self._replace_indicator(
            indicator_id,
            level1=category.level1,
            level1_code=category.level1_code,
            level2=category.level2,
            level2_code=category.level2_code,
        )

    def explain_indicator(
        self,
        indicator_id: str,
        explanation: str | None,
        basis: ValueBasis | None,
        actor: Actor,
        reason: str | None,
    ) -> None:
        """Set 指标解释 and 指标值设定依据 (both at once, as the form has them side by side)."""
        self.check_edit(actor, reason)
        self.indicator(indicator_id)
        check_text(explanation=explanation, basis=basis)
        self._explain_indicator(indicator_id, explanation, basis, actor, reason)

    @event(IndicatorExplained)
    def _explain_indicator(
        self,
        indicator_id: str,
        explanation: str | None,
        basis: ValueBasis | None,
        actor: Actor,
        reason: str | None,
    ) -> None:
        self._replace_indicator(indicator_id, explanation=explanation, basis=basis)

    def remove_indicator(self, indicator_id: str, actor: Actor, reason: str | None) -> None:
        self.check_edit(actor, reason)
        self.indicator(indicator_id)
        self._remove_indicator(indicator_id, actor, reason)

    @event(IndicatorRemoved)
    def _remove_indicator(self, indicator_id: str, actor: Actor, reason: str | None) -> None:
        kept = tuple(item for item in self.content.indicators if item.id != indicator_id)
        self.content = replace(self.content, indicators=kept)

    def _replace_indicator(self, indicator_id: str, **changes: Any) -> None:
        items = self.content.indicators
        at = next((index for index, item in enumerate(items) if item.id == indicator_id), None)
        if at is None:  # commands check the id first; a stored event always names one
            return
        updated = (*items[:at], replace(items[at], **changes), *items[at + 1 :])
        self.content = replace(self.content, indicators=updated)

    # --- workflow --------------------------------------------------------

    def submit(self, actor: Actor, reason: str | None) -> None:
        next_status(self.status, Action.SUBMIT)
        check_text(actor=actor, reason=reason)
        blocking = errors(self.findings())
        if blocking:
            raise SubmissionBlocked(blocking)
        self._submit(actor, reason, self.adjustment_reason)

    @event(Submitted)
    def _submit(self, actor: Actor, reason: str | None, adjustment_reason: str | None) -> None:
        self._status = str(Status.SUBMITTED)
        self.submit_reason = reason

    def return_for_changes(
        self, version: int, reason: str, indicator_comments: dict[str, str], actor: Actor
    ) -> None:
        """Send submitted ``version`` back to its editors, with reasons per indicator if needed."""
        next_status(self.status, Action.RETURN)
        self.check_version(version)
        check_reason(reason, "returning a table")
        for indicator_id in indicator_comments:
            self.indicator(indicator_id)
        check_text(actor=actor, reason=reason, indicator_comments=indicator_comments)
        self._return(version, reason, indicator_comments, actor)

    @event(Returned)
    def _return(
        self, version: int, reason: str, indicator_comments: dict[str, str], actor: Actor
    ) -> None:
        self._status = str(Status.RETURNED)
        self.decision = Decision("return", version, actor, reason, dict(indicator_comments))

    def approve(self, version: int, reason: str | None, actor: Actor) -> None:
        next_status(self.status, Action.APPROVE)
        self.check_version(version)
        check_text(actor=actor, reason=reason)
        self._approve(version, reason, actor)

    @event(Approved)
    def _approve(self, version: int, reason: str | None, actor: Actor) -> None:
        self._status = str(Status.APPROVED)
        self.decision = Decision("approve", version, actor, reason, {})
        self.adjustment_reason = None

    def open_adjustment(self, actor: Actor, reason: str | None) -> None:
        next_status(self.status, Action.OPEN_ADJUSTMENT)
        check_reason(reason, "opening an adjustment")
        check_text(actor=actor, reason=reason)
        self._open_adjustment(actor, reason)

    @event(AdjustmentOpened)
    def _open_adjustment(self, actor: Actor, reason: str | None) -> None:
        self._status = str(Status.ADJUSTING)
        self.adjustment_reason = reason


def check_indicator_name(name: str) -> None:
    if not name.strip():
        raise IndicatorNameRequired
    check_text(name=name)


def check_fund_source(source: str) -> None:
    if source not in vocabulary.FUND_SOURCES:
        known = ", ".join(f"{label} ({code})" for code, label in vocabulary.FUND_SOURCES.items())
        raise UnknownFundSource(source, known)


def check_goal(goal: str) -> None:
    if goal not in GOALS:
        raise UnknownGoal(goal, GOALS)


def check_reason(reason: str | None, action: str) -> None:
    if not (reason or "").strip():
        raise ReasonRequired(action)
