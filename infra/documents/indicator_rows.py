"""The indicator section: 一级 / 二级 / 三级 rows with one or two value columns.

Column roles come from the vocabulary, never from cell positions: extracted text drops
empty cells, and continuation rows omit the level-1 and level-2 cells they inherit.
The optional 指标解释 and 指标值设定依据 columns are placed in the order the header
prints them; when a row has fewer cells than columns, the cells' content (a value, a
basis such as 计划标准, prose) decides which columns were left empty; a row that two
readings fit equally well is refused rather than guessed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from domain import vocabulary
from domain.model import EmptyCategory, Indicator
from domain.values import looks_like_value, parse_value
from infra.documents.cells import Line, Place, parse_basis
from infra.documents.indicator_columns import (
    COLUMN_LABELS,
    EXTRA_COLUMNS,
    EXTRA_LABELS,
    LEVEL1,
    LEVEL2,
    Column,
    IndicatorLayout,
    Role,
    best_reading,
    standard_columns,
)


@dataclass
class IndicatorReader:
    """Reads indicator rows in order, inheriting categories from the rows above."""

    table_key: str
    periods: int
    problems: list[tuple[Place, str]]
    columns: tuple[Column, ...] = ()
    layout: IndicatorLayout | None = None
    indicators: list[Indicator] = field(default_factory=list)
    level1: vocabulary.Category | None = None
    level1_label: str = ""
    level2: tuple[str, str] | None = None
    _announced: list[EmptyCategory] = field(default_factory=list)
    _seen: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.columns:
            self.columns = standard_columns(self.periods)

    def read(self, line: Line) -> None:
        if self.layout is not None and (placed := self.layout.place(line)) is not None:
            self._read_placed(placed, line)
            return
        cells = list(line.filled)
        cells = self._take_level1(cells)
        cells = self._take_level2(cells)
        if not cells:
            return
        if self.level1 is None or self.level2 is None:
            words = vocabulary.INDICATOR_UNCATEGORISED.format(text=line.text)
            self.problems.append((line.place(), words))
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

    def _read_placed(self, placed: dict[Role, tuple[int, str]], line: Line) -> None:
        """A row of a grid, its cells read by the header cell above each."""
        if LEVEL1 in placed:
            label = placed.pop(LEVEL1)[1]
            category = vocabulary.level1_for(label)
            if category is not None:  # IndicatorLayout.place made sure it is one
                self.level1, self.level1_label, self.level2 = category, label, None
        if LEVEL2 in placed:
            label = placed.pop(LEVEL2)[1]
            found = vocabulary.level2_for(label, self.level1.code if self.level1 else None)
            self.level2 = (label, found.code if found else vocabulary.UNKNOWN_LEVEL2)
            self._announce()
        if not placed:
            return
        cells = {role: cell for role, (_, cell) in placed.items() if isinstance(role, Column)}
        if Column.NAME not in cells or Column.FULL_YEAR not in cells:
            self.problems.append((self._missing_place(cells, line), self._missing(cells, line)))
            return
        self._append(cells, line)

    def _missing_place(self, cells: dict[Column, str], line: Line) -> Place:
        wanted = Column.NAME if Column.NAME not in cells else Column.FULL_YEAR
        column = self.layout.column_of(wanted) if self.layout else None
        return line.origin.place(line.number, column)

    def _missing(self, cells: dict[Column, str], line: Line) -> str:
        labels = COLUMN_LABELS[self.periods]
        if Column.NAME not in cells:
            return vocabulary.INDICATOR_UNNAMED.format(
                name_label=labels[Column.NAME], text=line.text
            )
        name, value_label = cells[Column.NAME], labels[Column.FULL_YEAR]
        return vocabulary.INDICATOR_VALUELESS.format(name=name, value_label=value_label)

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
        elif vocabulary.looks_like_category(cells[0]) and self._is_unknown_level2(cells):
            self.level2 = (cells[0], vocabulary.UNKNOWN_LEVEL2)
            cells = cells[1:]
        else:
            return cells
        self._announce()
        return cells

    def _announce(self) -> None:
        """A level-2 row was printed: kept as an empty category unless indicators follow."""
        if self.level1 is not None and self.level2 is not None:
            label, code = self.level2
            announced = EmptyCategory(self.level1_label, self.level1.code, label, code)
            self._announced.append(announced)

    def _is_unknown_level2(self, cells: list[str]) -> bool:
        """Whether a category-like first cell (``环境效益``) is a level-2 label or the name.

        With more cells than columns it must be a label. With the optional columns, a row
        may also be short of cells: the cell is a label when the row reads better without it.
        """
        if len(cells) > len(self.columns):
            return True
        if len(cells) <= 1 + self.periods or not self._has_extra_columns:
            return False
        as_label = best_reading(cells[1:], self.columns)
        as_name = best_reading(cells, self.columns)
        if as_label is None:
            return False
        return as_name is None or as_label.reading.score > as_name.reading.score

    @property
    def _has_extra_columns(self) -> bool:
        return any(column in self.columns for column in EXTRA_COLUMNS)

    def _take_indicator(self, cells: list[str], line: Line) -> None:
        choice = best_reading(cells, self.columns)
        if choice is None or not choice.reading.half_ok:
            self.problems.append(
                (
                    line.place(),
                    vocabulary.INDICATOR_SHAPE.format(
                        shape=self._shape(), count=len(cells), text=line.text
                    ),
                )
            )
            return
        if choice.ambiguous:
            self.problems.append((line.place(), self._ambiguous(cells, line)))
            return
        self._append(choice.reading.cells, line)

    def _append(self, cells: dict[Column, str], line: Line) -> None:
        """One indicator from its cells by column, under the current categories."""
        if self.level1 is None or self.level2 is None:
            words = vocabulary.INDICATOR_BEFORE_CATEGORY.format(text=line.text)
            self.problems.append((line.place(), words))
            return
        name = cells[Column.NAME]
        if looks_like_value(name):
            words = vocabulary.INDICATOR_NAME_IS_VALUE.format(name=name)
            self.problems.append((line.place(name), words))
            return
        basis = None
        if (basis_cell := cells.get(Column.BASIS)) is not None:
            basis = parse_basis(basis_cell)
            if basis is None:
                self.problems.append((line.place(basis_cell), _unknown_basis(name, basis_cell)))
                return
        half_raw = cells.get(Column.HALF_YEAR, "")
        level2_label, level2_code = self.level2
        self.indicators.append(
            Indicator(
                id=self._indicator_id(self.level1.code, level2_code, name),
                level1=self.level1_label,
                level1_code=self.level1.code,
                level2=level2_label,
                level2_code=level2_code,
                name=name,
                full_year=parse_value(cells[Column.FULL_YEAR]),
                half_year=parse_value(half_raw) if half_raw else None,
                explanation=cells.get(Column.EXPLANATION),
                basis=basis,
            )
        )

    def _ambiguous(self, cells: list[str], line: Line) -> str:
        empty = len(self.columns) - len(cells)
        return vocabulary.COLUMNS_AMBIGUOUS.format(
            columns=self._column_labels(), count=empty, text=line.text
        )

    def _column_labels(self) -> str:
        return "、".join(COLUMN_LABELS[self.periods][column] for column in self.columns)

    def _shape(self) -> str:
        shape = vocabulary.INDICATOR_SHAPES[self.periods]
        extras = [EXTRA_LABELS[column] for column in self.columns if column in EXTRA_COLUMNS]
        if extras:
            shape += vocabulary.INDICATOR_SHAPE_EXTRAS.format(extras="、".join(extras))
        return shape

    def _indicator_id(self, level1_code: str, level2_code: str, name: str) -> str:
        """Stable across re-imports of the same document: category, name and occurrence."""
        key = f"{self.table_key}|{level1_code}|{level2_code}|{name}"
        occurrence = self._seen.get(key, 0)
        self._seen[key] = occurrence + 1
        digest = hashlib.sha1(f"{key}|{occurrence}".encode()).hexdigest()
        return digest[:12]


def _unknown_basis(name: str, cell: str) -> str:
    kinds = "、".join(vocabulary.BASIS_LABELS.values())
    header = vocabulary.BASIS_HEADERS[0]
    return vocabulary.BASIS_UNKNOWN.format(name=name, header=header, cell=cell, kinds=kinds)
