"""The indicator section: 一级 / 二级 / 三级 rows with one or two value columns.

Column roles come from the vocabulary, never from cell positions: extracted text drops
empty cells, and continuation rows omit the level-1 and level-2 cells they inherit.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from domain import vocabulary
from domain.model import EmptyCategory, Indicator
from domain.values import looks_like_value, parse_value
from infra.documents.cells import Line


def is_indicator_header(line: Line) -> bool:
    folded = [vocabulary.normalise_label(cell) for cell in line.filled]
    return all(label in folded for label in vocabulary.INDICATOR_HEADER)


def value_columns(header: Line) -> int:
    """How many value columns the header announces: 1 (annual) or 2 (half-year and full-year)."""
    words = [vocabulary.normalise_label(cell) for cell in header.filled]
    count = sum(1 for word in words if vocabulary.INDICATOR_VALUE_WORD in word)
    has_half = any(vocabulary.HALF_YEAR_WORD in word for word in words)
    return 2 if has_half or count >= 2 else 1


@dataclass
class IndicatorReader:
    """Reads indicator rows in order, inheriting categories from the rows above."""

    table_key: str
    periods: int
    problems: list[tuple[int, str]]
    indicators: list[Indicator] = field(default_factory=list)
    level1: vocabulary.Category | None = None
    level1_label: str = ""
    level2: tuple[str, str] | None = None
    _announced: list[EmptyCategory] = field(default_factory=list)
    _seen: dict[str, int] = field(default_factory=dict)

    def read(self, line: Line) -> None:
        cells = list(line.filled)
        cells = self._take_level1(cells)
        cells = self._take_level2(cells)
        if not cells:
            return
        if self.level1 is None or self.level2 is None:
            self.problems.append((line.number, f"indicator row without a category: {line.text!r}"))
            return
        self._take_indicator(cells, line)

    def empty_categories(self) -> tuple[EmptyCategory, ...]:
        used = {(item.level1_code, item.level2_code) for item in self.indicators}
        found: list[EmptyCategory] = []
        for category in self._announced:
            key = (category.level1_code, category.level2_code)
            if key not in used and category not in found:
                found.append(category)
        return tuple(found)

    def _take_level1(self, cells: list[str]) -> list[str]:
        if not cells:
            return cells
        category = vocabulary.level1_for(cells[0])
        if category is None:
            return cells
        as_level2 = vocabulary.level2_for(cells[0], self.level1.code if self.level1 else None)
        next_is_level2 = len(cells) > 1 and vocabulary.level2_for(cells[1]) is not None
        # 成本指标 is a level-1 on the municipal form and a level-2 under 产出指标 on the
        # provincial one: under 产出指标, with no level-2 label after it, it is the level-2.
        if (
            self.level1 is not None
            and as_level2 is not None
            and not next_is_level2
            and self.level1.code in as_level2.parents
        ):
            return cells
        self.level1 = category
        self.level1_label = cells[0]
        self.level2 = None
        return cells[1:]

    def _take_level2(self, cells: list[str]) -> list[str]:
        if not cells:
            return cells
        level1_code = self.level1.code if self.level1 else None
        category = vocabulary.level2_for(cells[0], level1_code)
        if category is not None:
            self.level2 = (cells[0], category.code)
            cells = cells[1:]
        elif len(cells) > 1 + self.periods and vocabulary.looks_like_category(cells[0]):
            self.level2 = (cells[0], vocabulary.UNKNOWN_LEVEL2)
            cells = cells[1:]
        else:
            return cells
        if self.level1 is not None:
            label, code = self.level2
            announced = EmptyCategory(self.level1_label, self.level1.code, label, code)
            self._announced.append(announced)
        return cells

    def _take_indicator(self, cells: list[str], line: Line) -> None:
        assert self.level1 is not None
        assert self.level2 is not None
        expected = 1 + self.periods
        if len(cells) == expected - 1 and self.periods == 2 and looks_like_value(cells[-1]):
            cells = [cells[0], "", cells[1]]
        if len(cells) != expected:
            shape = (
                "name and value" if self.periods == 1 else "name, half-year and full-year values"
            )
            self.problems.append(
                (line.number, f"expected {shape} but found {len(cells)} cell(s): {line.text!r}")
            )
            return
        name, *raw_values = cells
        if looks_like_value(name):
            self.problems.append((line.number, f"indicator name looks like a value: {name!r}"))
            return
        half_raw, full_raw = raw_values if self.periods == 2 else ["", raw_values[0]]
        level2_label, level2_code = self.level2
        self.indicators.append(
            Indicator(
                id=self._indicator_id(level2_code, name),
                level1=self.level1_label,
                level1_code=self.level1.code,
                level2=level2_label,
                level2_code=level2_code,
                name=name,
                full_year=parse_value(full_raw),
                half_year=parse_value(half_raw) if half_raw else None,
            )
        )

    def _indicator_id(self, level2_code: str, name: str) -> str:
        """Stable across re-imports of the same document: category, name and occurrence."""
        assert self.level1 is not None
        key = f"{self.table_key}|{self.level1.code}|{level2_code}|{name}"
        occurrence = self._seen.get(key, 0)
        self._seen[key] = occurrence + 1
        digest = hashlib.sha1(f"{key}|{occurrence}".encode()).hexdigest()
        return digest[:12]
