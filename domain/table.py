"""The target table aggregate: every edit and every workflow step is an event."""

from __future__ import annotations

from copy import copy
from dataclasses import fields, replace
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain import vocabulary
from domain.errors import (
    InvalidEdit,
    ReasonRequired,
    SubmissionBlocked,
    UnknownIndicator,
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
    TableContent,
)
from domain.values import Value
from domain.workflow import Action, check_editable, next_status

PROJECT_FIELDS = frozenset(field.name for field in fields(Project)) - {"kind"}
GOALS = frozenset({"long_term", "annual"})


class TargetTable(Aggregate):
    """One project's 绩效目标表 in one jurisdiction and fiscal year."""

    @event("Registered")
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
    ) -> None:
        self.jurisdiction = jurisdiction
        self.fiscal_year = fiscal_year
        self._form = str(form)
        self._status = str(status)
        self.content = content
        self.decision: Decision | None = None

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

    def check_version(self, expected: int) -> None:
        if expected != self.version:
            raise VersionConflict(expected, self.version)

    def indicator(self, indicator_id: str) -> Indicator:
        for item in self.content.indicators:
            if item.id == indicator_id:
                return item
        raise UnknownIndicator(indicator_id)

    # --- project, funds, expenditures, goals -----------------------------

    def set_project_field(
        self, field: str, value: str | None, actor: Actor, reason: str | None
    ) -> None:
        check_editable(self.status)
        if field == "kind":
            if value not in {kind.value for kind in Kind}:
                raise InvalidEdit(f"unknown project kind {value!r}")
        elif field not in PROJECT_FIELDS:
            raise InvalidEdit(f"unknown project field {field!r}")
        if field == "name" and not (value or "").strip():
            raise InvalidEdit("the project name cannot be empty")
        self._set_project_field(field, value, actor, reason)

    @event("ProjectFieldChanged")
    def _set_project_field(
        self, field: str, value: str | None, actor: Actor, reason: str | None
    ) -> None:
        changes: dict[str, Any] = {field: value}
        if field == "kind" and value is not None:
            changes["kind_label"] = vocabulary.KIND_LABELS[value]
            changes["kind"] = Kind(value)
        self.content = replace(self.content, project=replace(self.content.project, **changes))

    def set_fund_total(self, amount: Decimal | None, actor: Actor, reason: str | None) -> None:
        check_editable(self.status)
        self._set_fund_total(amount, actor, reason)

    @event("FundTotalChanged")
    def _set_fund_total(self, amount: Decimal | None, actor: Actor, reason: str | None) -> None:
        self.content = replace(self.content, funds=replace(self.content.funds, total=amount))

    def set_fund_source(
        self, source: str, amount: Decimal | None, actor: Actor, reason: str | None
    ) -> None:
        check_editable(self.status)
        if source not in vocabulary.FUND_SOURCES:
            raise InvalidEdit(f"unknown funding source {source!r}")
        self._set_fund_source(source, amount, actor, reason)

    @event("FundSourceChanged")
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
        check_editable(self.status)
        count = len(self.content.expenditures)
        if not 0 <= index <= count or (index == count and line is None):
            raise InvalidEdit(f"no expenditure line {index}; the table has {count}")
        self._set_expenditure(index, line, actor, reason)

    @event("ExpenditureChanged")
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
        check_editable(self.status)
        if goal not in GOALS:
            raise InvalidEdit(f"unknown goal {goal!r}; expected one of {sorted(GOALS)}")
        self._set_goal(goal, text, actor, reason)

    @event("GoalChanged")
    def _set_goal(self, goal: str, text: str | None, actor: Actor, reason: str | None) -> None:
        self.content = replace(self.content, goals=replace(self.content.goals, **{goal: text}))

    def set_empty_categories(
        self, categories: tuple[EmptyCategory, ...], actor: Actor, reason: str | None
    ) -> None:
        check_editable(self.status)
        self._set_empty_categories(categories, actor, reason)

    @event("EmptyCategoriesChanged")
    def _set_empty_categories(
        self, categories: tuple[EmptyCategory, ...], actor: Actor, reason: str | None
    ) -> None:
        self.content = replace(self.content, empty_categories=tuple(categories))

    # --- indicators ------------------------------------------------------

    def add_indicator(
        self, item: Indicator, position: int | None, actor: Actor, reason: str | None
    ) -> None:
        check_editable(self.status)
        if any(existing.id == item.id for existing in self.content.indicators):
            raise InvalidEdit(f"indicator id {item.id!r} is already used in this table")
        if not item.name.strip():
            raise InvalidEdit("an indicator needs a name")
        self._add_indicator(item, position, actor, reason)

    @event("IndicatorAdded")
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
        check_editable(self.status)
        self.indicator(indicator_id)
        if period is Period.FULL_YEAR and value is None:
            raise InvalidEdit("the full-year value cannot be removed")
        self._set_indicator_value(indicator_id, period, value, actor, reason)

    @event("IndicatorValueChanged")
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
        check_editable(self.status)
        self.indicator(indicator_id)
        if not name.strip():
            raise InvalidEdit("an indicator needs a name")
        self._rename_indicator(indicator_id, name, actor, reason)

    @event("IndicatorRenamed")
    def _rename_indicator(
        self, indicator_id: str, name: str, actor: Actor, reason: str | None
    ) -> None:
        self._replace_indicator(indicator_id, name=name)

    def move_indicator(
        self, indicator_id: str, category: EmptyCategory, actor: Actor, reason: str | None
    ) -> None:
        """Move an indicator under another level-1 / level-2 category."""
        check_editable(self.status)
        self.indicator(indicator_id)
        self._move_indicator(indicator_id, category, actor, reason)

    @event("IndicatorMoved")
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

    def remove_indicator(self, indicator_id: str, actor: Actor, reason: str | None) -> None:
        check_editable(self.status)
        self.indicator(indicator_id)
        self._remove_indicator(indicator_id, actor, reason)

    @event("IndicatorRemoved")
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
        blocking = errors(self.findings())
        if blocking:
            raise SubmissionBlocked(blocking)
        self._submit(actor, reason)

    @event("Submitted")
    def _submit(self, actor: Actor, reason: str | None) -> None:
        self._status = str(Status.SUBMITTED)

    def return_for_changes(
        self, version: int, reason: str, indicator_comments: dict[str, str], actor: Actor
    ) -> None:
        """Send submitted ``version`` back to its editors, with reasons per indicator if needed."""
        next_status(self.status, Action.RETURN)
        self.check_version(version)
        if not reason.strip():
            raise ReasonRequired("returning a table")
        for indicator_id in indicator_comments:
            self.indicator(indicator_id)
        self._return(version, reason, indicator_comments, actor)

    @event("Returned")
    def _return(
        self, version: int, reason: str, indicator_comments: dict[str, str], actor: Actor
    ) -> None:
        self._status = str(Status.RETURNED)
        self.decision = Decision("return", version, actor, reason, dict(indicator_comments))

    def approve(self, version: int, comment: str | None, actor: Actor) -> None:
        next_status(self.status, Action.APPROVE)
        self.check_version(version)
        self._approve(version, comment, actor)

    @event("Approved")
    def _approve(self, version: int, comment: str | None, actor: Actor) -> None:
        self._status = str(Status.APPROVED)
        self.decision = Decision("approve", version, actor, comment, {})

    def open_adjustment(self, actor: Actor, reason: str | None) -> None:
        next_status(self.status, Action.OPEN_ADJUSTMENT)
        if not (reason or "").strip():
            raise ReasonRequired("opening an adjustment")
        self._open_adjustment(actor, reason)

    @event("AdjustmentOpened")
    def _open_adjustment(self, actor: Actor, reason: str | None) -> None:
        self._status = str(Status.ADJUSTING)
