"""Naming an indicator category the way users write it: by label, alias or code."""

from __future__ import annotations

from domain import vocabulary
from domain.errors import CategoryRequired, UnknownCategory
from domain.model import EmptyCategory


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
