"""Which use case a cell's editor calls: the cell's history path names the edit.

``project.name`` → set_project_field, ``funds.total`` → set_fund_total,
``funds.sources.<code>`` → set_fund_source, ``expenditures[i].<part>`` → set_expenditure (the
line's other parts as the page showed them), ``goals.<goal>`` → set_goal,
``indicators.<id>.full_year|half_year`` → set_indicator_value, ``indicators.<id>.name`` →
rename_indicator.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from uuid import UUID

from api.web.sheet import Cell, SheetView
from domain.errors import VersionConflict
from domain.model import Actor, Period
from service_layer.editing import Editing
from service_layer.errors import InvalidArgument
from service_layer.store import Saved

Call = Callable[[Actor], Saved]

_PROJECT = re.compile(r"project\.(\w+)")
_TOTAL = re.compile(r"funds\.total")
_SOURCE = re.compile(r"funds\.sources\.(\w+)")
_LINE = re.compile(r"expenditures\[(\d+)\]\.(name|half_year|full_year)")
_GOAL = re.compile(r"goals\.(\w+)")
_VALUE = re.compile(r"indicators\.([^.]+)\.(half_year|full_year)")
_NAME = re.compile(r"indicators\.([^.]+)\.name")


def typed(text: str | None) -> str | None:
    """What was typed, or None for an empty box (which clears an optional cell)."""
    cleaned = (text or "").strip()
    return cleaned or None


def unchanged(view: SheetView, cell: Cell, value: str | None) -> bool:
    """True when the editor was saved as it opened: nothing to store."""
    if cell.choices:
        return value == view.document.project.kind.value
    if cell.amount and cell.text is not None and value is not None:
        return _same_amount(cell.text, value)
    return (cell.text or None) == value


def _same_amount(shown: str, value: str) -> bool:
    try:
        return Decimal(shown) == Decimal(value)
    except InvalidOperation:
        return False


def cell_change(
    editing: Editing,
    view: SheetView,
    version: int,
    path: str,
    value: str | None,
    reason: str | None,
) -> Call:
    """The use case that stores ``value`` in the cell at ``path`` (already known to exist)."""
    table = UUID(str(view.document.id))
    if match := _PROJECT.fullmatch(path):
        field = match[1]
        return lambda a: editing.set_project_field(a, table, version, field, value, reason)
    if _TOTAL.fullmatch(path):
        return lambda a: editing.set_fund_total(a, table, version, value, reason)
    if match := _SOURCE.fullmatch(path):
        source = match[1]
        return lambda a: editing.set_fund_source(a, table, version, source, value, reason)
    if match := _LINE.fullmatch(path):
        return _line_change(editing, view, version, int(match[1]), match[2], value, reason)
    if match := _GOAL.fullmatch(path):
        goal = match[1]
        return lambda a: editing.set_goal(a, table, version, goal, value, reason)
    if match := _VALUE.fullmatch(path):
        item, period = match[1], Period(match[2])
        return lambda a: editing.set_indicator_value(a, table, version, item, period, value, reason)
    if match := _NAME.fullmatch(path):
        item, name = match[1], value or ""
        return lambda a: editing.rename_indicator(a, table, version, item, name, reason)
    raise InvalidArgument("path", f"no editable cell {path!r}")


def _line_change(
    editing: Editing,
    view: SheetView,
    version: int,
    index: int,
    part: str,
    value: str | None,
    reason: str | None,
) -> Call:
    """One part of an expenditure line, the others as the version the editor saw has them."""
    document = view.document
    current = document.version or 0
    if current != version:
        raise VersionConflict(version, current)
    line = document.expenditures[index]
    parts = {
        "name": line.name,
        "half_year": None if line.half_year is None else str(line.half_year),
        "full_year": str(line.full_year),
        part: value,
    }
    table = UUID(str(document.id))
    return lambda actor: editing.set_expenditure(
        actor,
        table,
        version,
        index,
        parts["name"] or "",
        parts["full_year"] or "",
        parts["half_year"],
        reason,
    )
