"""Field-level history: what a table says at each path, and what an event changed.

Paths name things by identity, not position, so an indicator keeps its path through renames
and moves: ``project.name``, ``funds.sources.general_budget``, ``expenditures[2].full_year``,
``indicators.<id>.full_year``, ``status``, ``status.source``, ``review.comment``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from decimal import Decimal

from domain.model import Decision, Indicator, Project, TableContent, ValueBasis
from domain.table import TargetTable
from domain.values import Value

Fields = dict[str, str | None]


@dataclass(frozen=True)
class Change:
    path: str
    before: str | None
    after: str | None


SECTIONS = ("project", "funds", "expenditures", "goals", "empty_categories", "status", "review")
_T = TargetTable
_SECTION_OF_EVENT: dict[type[TargetTable.Event], tuple[str, ...]] = {
    _T.ProjectFieldChanged: ("project",),
    _T.FundTotalChanged: ("funds",),
    _T.FundSourceChanged: ("funds",),
    _T.ExpenditureChanged: ("expenditures",),
    _T.GoalChanged: ("goals",),
    _T.EmptyCategoriesChanged: ("empty_categories",),
    _T.Submitted: ("status",),
    _T.AdjustmentOpened: ("status",),
    _T.Returned: ("status", "review"),
    _T.Approved: ("status", "review"),
    _T.Registered: ("status",),
}
_INDICATOR_EVENTS = (
    _T.IndicatorValueChanged,
    _T.IndicatorRenamed,
    _T.IndicatorMoved,
    _T.IndicatorExplained,
    _T.IndicatorRemoved,
)


def event_name(event: object) -> str:
    return type(event).__name__


def scope_of(event: TargetTable.Event) -> tuple[str, ...]:
    """The sections an event can change; ``indicators.<id>`` for an indicator edit.

    An event this module does not know yet is scoped to everything, so it is never missed.
    """
    if isinstance(event, _T.IndicatorAdded):
        return (f"indicators.{event.item.id}",)
    if isinstance(event, _INDICATOR_EVENTS):
        return (f"indicators.{event.indicator_id}",)
    return _SECTION_OF_EVENT.get(type(event), (*SECTIONS, "indicators"))


def fields_in(table: TargetTable | None, scope: Iterable[str]) -> Fields:
    """The flattened values of ``table`` within ``scope``; nothing at all before it exists."""
    if table is None:
        return {}
    found: Fields = {}
    for section in scope:
        if section.startswith("indicators."):
            item = _find_indicator(table.content, section.removeprefix("indicators."))
            if item is not None:
                found.update(_indicator_fields(item))
        elif section == "indicators":
            for item in table.content.indicators:
                found.update(_indicator_fields(item))
        elif section in _CONTENT_READERS:
            found.update(_CONTENT_READERS[section](table.content))
        else:
            found.update(_TABLE_READERS[section](table))
    return found


def all_fields(table: TargetTable) -> Fields:
    return fields_in(table, (*SECTIONS, "indicators"))


def content_fields(content: TableContent) -> Fields:
    """Every path of what a table (or a document of it) says, so two versions compare by path."""
    found: Fields = {}
    for read in _CONTENT_READERS.values():
        found.update(read(content))
    for item in content.indicators:
        found.update(_indicator_fields(item))
    return found


def changes(before: Fields, after: Fields) -> list[Change]:
    """Every path whose value differs, in the order the paths were read."""
    paths = list(before) + [path for path in after if path not in before]
    return [
        Change(path, before.get(path), after.get(path))
        for path in paths
        if before.get(path) != after.get(path)
    ]


def _find_indicator(content: TableContent, indicator_id: str) -> Indicator | None:
    for item in content.indicators:
        if item.id == indicator_id:
            return item
    return None


def _text(value: str | Decimal | Value | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, Value):
        return value.raw
    return str(value)


def _indicator_fields(item: Indicator) -> Fields:
    prefix = f"indicators.{item.id}"
    return {
        f"{prefix}.name": item.name,
        f"{prefix}.category": f"{item.level1}/{item.level2}",
        f"{prefix}.half_year": _text(item.half_year),
        f"{prefix}.full_year": _text(item.full_year),
        f"{prefix}.explanation": item.explanation,
        f"{prefix}.basis": basis_text(item.basis),
    }


def basis_text(basis: ValueBasis | None) -> str | None:
    """``plan`` or ``plan: 依据《…》``: the kind of standard, then what it says."""
    if basis is None:
        return None
    return basis.kind.value if basis.text is None else f"{basis.kind.value}: {basis.text}"


def _project_fields(content: TableContent) -> Fields:
    project = content.project
    return {
        f"project.{item.name}": _text(getattr(project, item.name))
        for item in fields(Project)
        if item.name != "kind_label"
    }


def _fund_fields(content: TableContent) -> Fields:
    funds = content.funds
    found: Fields = {"funds.total": _text(funds.total)}
    found.update({f"funds.sources.{code}": _text(amount) for code, amount in funds.sources.items()})
    return found


def _expenditure_fields(content: TableContent) -> Fields:
    found: Fields = {}
    for index, line in enumerate(content.expenditures):
        found[f"expenditures[{index}].name"] = line.name
        found[f"expenditures[{index}].half_year"] = _text(line.half_year)
        found[f"expenditures[{index}].full_year"] = _text(line.full_year)
    return found


def _goal_fields(content: TableContent) -> Fields:
    goals = content.goals
    return {"goals.long_term": goals.long_term, "goals.annual": goals.annual}


def _empty_category_fields(content: TableContent) -> Fields:
    return {
        f"empty_categories[{index}]": f"{item.level1}/{item.level2}"
        for index, item in enumerate(content.empty_categories)
    }


def _status_fields(table: TargetTable) -> Fields:
    """The status, and where it came from when an admin's import took it from the document."""
    found: Fields = {"status": table.status.value}
    if table.status_from_document:
        found["status.source"] = "document"
    return found


def _review_fields(table: TargetTable) -> Fields:
    decision: Decision | None = table.decision
    if decision is None:
        return {}
    found: Fields = {
        "review.action": decision.action,
        "review.version": str(decision.version),
        "review.comment": decision.comment,
    }
    found.update(
        {
            f"review.indicators.{indicator_id}": comment
            for indicator_id, comment in decision.indicator_comments.items()
        }
    )
    return found


_CONTENT_READERS: dict[str, Callable[[TableContent], Fields]] = {
    "project": _project_fields,
    "funds": _fund_fields,
    "expenditures": _expenditure_fields,
    "goals": _goal_fields,
    "empty_categories": _empty_category_fields,
}
_TABLE_READERS: dict[str, Callable[[TargetTable], Fields]] = {
    "status": _status_fields,
    "review": _review_fields,
}
