"""Turning a revised document into the exact edit events for what changed."""

from __future__ import annotations

from dataclasses import fields, replace

from domain.model import Actor, EmptyCategory, Indicator, Period, TableContent
from domain.table import PROJECT_FIELDS, TargetTable


def revise(table: TargetTable, revised: TableContent, actor: Actor, reason: str | None) -> int:
    """Apply one edit per changed value so ``table`` holds ``revised``; return how many."""
    before = len(table.pending_events)
    _revise_project(table, revised, actor, reason)
    _revise_funds(table, revised, actor, reason)
    _revise_expenditures(table, revised, actor, reason)
    for goal in ("long_term", "annual"):
        text = getattr(revised.goals, goal)
        if getattr(table.content.goals, goal) != text:
            table.set_goal(goal, text, actor, reason)
    _revise_indicators(table, revised.indicators, actor, reason)
    if table.content.empty_categories != revised.empty_categories:
        table.set_empty_categories(revised.empty_categories, actor, reason)
    return len(table.pending_events) - before


def _revise_project(
    table: TargetTable, revised: TableContent, actor: Actor, reason: str | None
) -> None:
    current = table.content.project
    if current.kind != revised.project.kind:
        table.set_project_field("kind", revised.project.kind.value, actor, reason)
    for field in fields(revised.project):
        if field.name not in PROJECT_FIELDS:
            continue
        value = getattr(revised.project, field.name)
        if getattr(table.content.project, field.name) != value:
            table.set_project_field(field.name, value, actor, reason)


def _revise_funds(
    table: TargetTable, revised: TableContent, actor: Actor, reason: str | None
) -> None:
    if table.content.funds.total != revised.funds.total:
        table.set_fund_total(revised.funds.total, actor, reason)
    current = table.content.funds.sources
    for source in [*current, *(key for key in revised.funds.sources if key not in current)]:
        amount = revised.funds.sources.get(source)
        if current.get(source) != amount:
            table.set_fund_source(source, amount, actor, reason)


def _revise_expenditures(
    table: TargetTable, revised: TableContent, actor: Actor, reason: str | None
) -> None:
    current = table.content.expenditures
    for index, line in enumerate(revised.expenditures):
        if index >= len(current) or current[index] != line:
            table.set_expenditure(index, line, actor, reason)
    for index in range(len(current) - 1, len(revised.expenditures) - 1, -1):
        table.set_expenditure(index, None, actor, reason)


def _revise_indicators(
    table: TargetTable, revised: tuple[Indicator, ...], actor: Actor, reason: str | None
) -> None:
    pairs, added, removed = match_indicators(table.content.indicators, revised)
    for old_id in removed:
        table.remove_indicator(old_id, actor, reason)
    for old, new in pairs:
        if old.name != new.name:
            table.rename_indicator(old.id, new.name, actor, reason)
        if (old.level1_code, old.level2_code, old.level1, old.level2) != (
            new.level1_code,
            new.level2_code,
            new.level1,
            new.level2,
        ):
            category = EmptyCategory(new.level1, new.level1_code, new.level2, new.level2_code)
            table.move_indicator(old.id, category, actor, reason)
        for period in Period:
            if old.value(period) != new.value(period):
                table.set_indicator_value(old.id, period, new.value(period), actor, reason)
        if (old.explanation, old.basis) != (new.explanation, new.basis):
            table.explain_indicator(old.id, new.explanation, new.basis, actor, reason)
    for position, item in added:
        table.add_indicator(item, position, actor, reason)


def match_indicators(
    current: tuple[Indicator, ...], revised: tuple[Indicator, ...]
) -> tuple[list[tuple[Indicator, Indicator]], list[tuple[int, Indicator]], list[str]]:
    """Pair current and revised indicators: by id, then by category and name, then by position.

    Returns the pairs, the revised indicators to add (with their position) and the ids to remove.
    """
    unmatched_old = {item.id: item for item in current}
    pairs: dict[int, Indicator] = {}
    for position, item in enumerate(revised):
        if item.id in unmatched_old:
            pairs[position] = unmatched_old.pop(item.id)
    for position, item in enumerate(revised):
        if position in pairs:
            continue
        for old in unmatched_old.values():
            if _category(old) == _category(item) and old.name == item.name:
                pairs[position] = unmatched_old.pop(old.id)
                break
    for position in range(len(revised)):
        if position in pairs:
            continue
        slot = _slot(revised, position)
        for old in unmatched_old.values():
            if _slot(current, current.index(old)) == slot:
                pairs[position] = unmatched_old.pop(old.id)
                break
    taken = {old.id for old in pairs.values()}
    added = [
        (position, _fresh_id(item, taken))
        for position, item in enumerate(revised)
        if position not in pairs
    ]
    matched = [(pairs[position], revised[position]) for position in sorted(pairs)]
    return matched, added, list(unmatched_old)


def _category(item: Indicator) -> tuple[str, str]:
    return item.level1_code, item.level2_code


def _slot(items: tuple[Indicator, ...], position: int) -> tuple[str, str, int]:
    """The category of an indicator and its ordinal within that category."""
    category = _category(items[position])
    ordinal = sum(1 for item in items[:position] if _category(item) == category)
    return (*category, ordinal)


def _fresh_id(item: Indicator, taken: set[str]) -> Indicator:
    candidate, suffix = item.id, 1
    while candidate in taken:
        suffix += 1
        candidate = f"{item.id[:60]}-{suffix}"  # an id stays within the id rule's 64
    taken.add(candidate)
    return replace(item, id=candidate)
