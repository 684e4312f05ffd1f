"""Naming an indicator category the way users write it: by label, alias or code."""

from __future__ import annotations

from collections.abc import Iterator

from domain import vocabulary
from domain.errors import CategoryRequired, UnknownCategory
from domain.model import EmptyCategory, Indicator, TableContent


def category_for(level1: str, level2: str) -> EmptyCategory:
    """The category a level-1 and level-2 label or code name; an unknown level-2 is kept."""
    first = _level1(level1)
    if first is None:
        known = ", ".join(f"{item.label} ({item.code})" for item in vocabulary.LEVEL1)
        raise UnknownCategory(level1, known)
    second = _level2(level2, first.code)
    if not level2.strip():
        raise CategoryRequired
    if second is None:
        return EmptyCategory(first.label, first.code, level2.strip(), vocabulary.UNKNOWN_LEVEL2)
    return EmptyCategory(first.label, first.code, second.label, second.code)


def _level1(text: str) -> vocabulary.Category | None:
    by_code = {item.code: item for item in vocabulary.LEVEL1}
    return by_code.get(text.strip()) or vocabulary.level1_for(text)


def _level2(text: str, level1_code: str) -> vocabulary.Category | None:
    for item in vocabulary.LEVEL2:
        if item.code == text.strip() and level1_code in item.parents:
            return item
    return vocabulary.level2_for(text, level1_code)


def category_of(item: Indicator) -> EmptyCategory:
    return EmptyCategory(item.level1, item.level1_code, item.level2, item.level2_code)


def as_the_table_writes(content: TableContent, category: EmptyCategory) -> EmptyCategory:
    """``category`` labelled as this table already writes it (``社会效益`` where the vocabulary
    says ``社会效益指标``), matched by normalised code, so an indicator joins the table's block."""
    written = [*_written(content)]
    level1 = next(
        (item.level1 for item in written if item.level1_code == category.level1_code),
        category.level1,
    )
    level2 = next(
        (item.level2 for item in written if _same_category(item, category)), category.level2
    )
    return EmptyCategory(level1, category.level1_code, level2, category.level2_code)


def place_for(content: TableContent, category: EmptyCategory) -> int:
    """Where a new indicator of ``category`` goes when no place is asked for: after the last
    of its category, else after the last of its level 1, else before the level 1s the form
    prints after it; at the end of a table that has none of those."""
    items = content.indicators
    after = [i + 1 for i, item in enumerate(items) if _same_category(item, category)]
    after = after or [
        i + 1 for i, item in enumerate(items) if item.level1_code == category.level1_code
    ]
    if after:
        return after[-1]
    order = [item.code for item in vocabulary.LEVEL1]
    rank = order.index(category.level1_code) if category.level1_code in order else len(order)
    later = [
        i
        for i, item in enumerate(items)
        if item.level1_code in order and order.index(item.level1_code) > rank
    ]
    return later[0] if later else len(items)


def _written(content: TableContent) -> Iterator[Indicator | EmptyCategory]:
    yield from content.indicators
    yield from content.empty_categories


def _same_category(item: Indicator | EmptyCategory, category: EmptyCategory) -> bool:
    """The same level 1 and level 2 by code; a level 2 the vocabulary does not know, by label."""
    if (item.level1_code, item.level2_code) != (category.level1_code, category.level2_code):
        return False
    if category.level2_code != vocabulary.UNKNOWN_LEVEL2:
        return True
    return vocabulary.normalise_label(item.level2) == vocabulary.normalise_label(category.level2)
