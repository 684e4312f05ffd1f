"""The indicator block in printed order: runs of rows under one level-1 and level-2 label."""

from __future__ import annotations

from dataclasses import dataclass

from domain import vocabulary
from domain.document import TableDocument
from domain.model import Form, Indicator

_UNRANKED = 1_000
_LEVEL2_RANK = {category.code: rank for rank, category in enumerate(vocabulary.LEVEL2)}


@dataclass(frozen=True)
class Group:
    """A run of rows under one level-1 and level-2 label; None is a row with no indicator."""

    level1: str
    level1_code: str
    level2: str
    level2_code: str
    items: tuple[Indicator | None, ...]

    def same_level1(self, other: Group) -> bool:
        return (self.level1_code, self.level1) == (other.level1_code, other.level1)


def indicator_groups(document: TableDocument) -> list[Group]:
    """Runs of consecutive indicators by category, each empty category in its printed place:
    among its level 1 in the vocabulary's order of level-2 categories (经济效益 before 社会效益)."""
    groups: list[Group] = []
    for item in document.indicators:
        group = Group(item.level1, item.level1_code, item.level2, item.level2_code, (item,))
        if groups and _category(groups[-1]) == _category(group):
            group = Group(*_category(group), (*groups[-1].items, item))
            groups[-1] = group
        else:
            groups.append(group)
    for empty in document.empty_categories:
        group = Group(empty.level1, empty.level1_code, empty.level2, empty.level2_code, (None,))
        groups.insert(_place(groups, group, document.form), group)
    return groups


def form_groups(form: Form, rows: int) -> list[Group]:
    """Every category the form asks for, in its order, each with ``rows`` empty rows."""
    return [
        Group(level1.label, level1.code, level2.label, level2.code, (None,) * rows)
        for level1 in form_level1(form)
        for level2 in form_level2(form, level1.code)
    ]


def form_level1(form: Form) -> list[vocabulary.Category]:
    return [vocabulary.LEVEL1_BY_CODE[code] for code in vocabulary.REQUIRED_LEVEL1[form.value]]


def form_level2(form: Form, level1_code: str) -> list[vocabulary.Category]:
    """The level-2 categories under a level 1, less any the form prints as a level 1 itself
    (成本指标 is a level 2 of 产出指标 only where there is no 成本指标 level 1)."""
    level1_labels = {category.label for category in form_level1(form)}
    return [
        category
        for category in vocabulary.LEVEL2
        if level1_code in category.parents and category.label not in level1_labels
    ]


def _category(group: Group) -> tuple[str, str, str, str]:
    return group.level1, group.level1_code, group.level2, group.level2_code


def _place(groups: list[Group], new: Group, form: Form) -> int:
    """Where an empty category goes: before the first later level 2 of its level 1, after its
    level 1's last run, or (with no run of its level 1) before the first later level 1."""
    same = [index for index, group in enumerate(groups) if group.level1_code == new.level1_code]
    for index in same:
        if _rank2(groups[index]) > _rank2(new):
            return index
    if same:
        return same[-1] + 1
    order = vocabulary.REQUIRED_LEVEL1[form.value]
    rank = order.index(new.level1_code) if new.level1_code in order else _UNRANKED
    for index, group in enumerate(groups):
        if group.level1_code in order and order.index(group.level1_code) > rank:
            return index
    return len(groups)


def _rank2(group: Group) -> int:
    return _LEVEL2_RANK.get(group.level2_code, _UNRANKED)
