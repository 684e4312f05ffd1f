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
from enum import StrEnum
from itertools import combinations

from domain import vocabulary
from domain.model import EmptyCategory, Indicator
from domain.values import looks_like_value, parse_value
from infra.documents.cells import Line, looks_like_basis, parse_basis


class Column(StrEnum):
    """What a column of the indicator table holds, beyond the level-1 and level-2 labels."""

    NAME = "name"
    HALF_YEAR = "half_year"
    FULL_YEAR = "full_year"
    EXPLANATION = "explanation"
    BASIS = "basis"


_EXPLANATION_HEADERS = frozenset(map(vocabulary.normalise_label, vocabulary.EXPLANATION_HEADERS))
_BASIS_HEADERS = frozenset(map(vocabulary.normalise_label, vocabulary.BASIS_HEADERS))
_EXTRA_COLUMNS = (Column.EXPLANATION, Column.BASIS)
_EXTRA_LABELS = {
    Column.EXPLANATION: vocabulary.EXPLANATION_HEADERS[0],
    Column.BASIS: vocabulary.BASIS_HEADERS[0],
}
# Column names as the forms print them, by the number of value columns.
_COLUMN_LABELS = {
    periods: {
        Column.NAME: vocabulary.INDICATOR_HEADER[2],
        Column.HALF_YEAR: vocabulary.PERIOD_LABELS["half_year"],
        Column.FULL_YEAR: (
            vocabulary.PERIOD_LABELS["full_year"]
            if periods == 2
            else vocabulary.INDICATOR_VALUE_WORD
        ),
        **_EXTRA_LABELS,
    }
    for periods in (1, 2)
}


def is_indicator_header(line: Line) -> bool:
    folded = [vocabulary.normalise_label(cell) for cell in line.filled]
    return all(label in folded for label in vocabulary.INDICATOR_HEADER)


def _value_words(header: Line) -> list[str]:
    """The header's words, less the explanation and basis headers (指标值设定依据 is no value)."""
    words = [vocabulary.normalise_label(cell) for cell in header.filled]
    return [word for word in words if word not in _EXPLANATION_HEADERS | _BASIS_HEADERS]


def value_columns(header: Line) -> int:
    """How many value columns the header announces: 1 (annual) or 2 (half-year and full-year)."""
    words = _value_words(header)
    count = sum(1 for word in words if vocabulary.INDICATOR_VALUE_WORD in word)
    has_half = any(vocabulary.HALF_YEAR_WORD in word for word in words)
    return 2 if has_half or count >= 2 else 1


def indicator_columns(header: Line) -> tuple[Column, ...]:
    """The columns after 一级指标 and 二级指标, in the order the header prints them."""
    periods = value_columns(header)
    words = {vocabulary.normalise_label(cell) for cell in header.filled}
    if not words & (_EXPLANATION_HEADERS | _BASIS_HEADERS):
        return standard_columns(periods)
    level1, level2, name = vocabulary.INDICATOR_HEADER
    columns: list[Column] = []
    values: list[tuple[int, str]] = []
    for cell in header.filled:
        word = vocabulary.normalise_label(cell)
        if word in (level1, level2):
            continue
        if word == name:
            found: Column | None = Column.NAME
        elif word in _EXPLANATION_HEADERS:
            found = Column.EXPLANATION
        elif word in _BASIS_HEADERS:
            found = Column.BASIS
        elif vocabulary.INDICATOR_VALUE_WORD in word:
            values.append((len(columns), word))
            found = Column.FULL_YEAR  # a placeholder: the value columns are named below
        else:
            found = None  # a column the reader does not know, as before: not read
        if found is not None and (found is Column.FULL_YEAR or found not in columns):
            columns.append(found)
    if len(values) != periods:
        # The header does not print one cell per value column: the values follow the name.
        standard = [Column.HALF_YEAR, Column.FULL_YEAR][2 - periods :]
        kept = [column for column in columns if column in (Column.NAME, *_EXTRA_COLUMNS)]
        after = kept.index(Column.NAME) + 1
        return (*kept[:after], *standard, *kept[after:])
    if periods == 2:
        halves = [index for index, word in values if vocabulary.HALF_YEAR_WORD in word]
        half = halves[0] if halves else values[0][0]
        columns[half] = Column.HALF_YEAR
    return tuple(columns)


def standard_columns(periods: int) -> tuple[Column, ...]:
    """The columns of a table without 指标解释 or 指标值设定依据."""
    if periods == 2:
        return (Column.NAME, Column.HALF_YEAR, Column.FULL_YEAR)
    return (Column.NAME, Column.FULL_YEAR)


# Qualitative values are short words (规范, 序时进度, 形成企业核查报告); longer text or text
# with sentence punctuation reads as prose, such as a 指标解释.
_PROSE_LENGTH = 8
_SENTENCE_MARKS = frozenset("，。；,;")


def _looks_like_prose(cell: str) -> bool:
    folded = vocabulary.normalise_label(cell)
    return len(folded) > _PROSE_LENGTH or any(mark in cell for mark in _SENTENCE_MARKS)


def _value_fit(column: Column, cell: str) -> int:
    """+1 when the cell reads as what the column holds, -1 when it reads as something else."""
    if column in (Column.HALF_YEAR, Column.FULL_YEAR):
        return 1 if looks_like_value(cell) else -1 if _looks_like_prose(cell) else 0
    if column is Column.EXPLANATION:
        return -1 if looks_like_value(cell) else 1 if _looks_like_prose(cell) else 0
    return 0


def _basis_misfit(column: Column, cell: str) -> bool:
    """A basis (计划标准…) outside its column, or a number, date or prose inside it.

    A short word in the basis column is no misfit: it may be a basis of unknown kind,
    which is refused by name rather than read as another column.
    """
    if column is not Column.BASIS:
        return looks_like_basis(cell)
    if looks_like_basis(cell):
        return False
    return looks_like_value(cell) or _looks_like_prose(cell)


@dataclass(frozen=True)
class _Reading:
    """One way of placing a row's cells in the table's columns, and how well it fits."""

    cells: dict[Column, str]
    name_ok: bool
    basis_misfits: int
    value_fit: int
    half_ok: bool

    @property
    def score(self) -> tuple[int, int, int, int]:
        return (int(self.name_ok), -self.basis_misfits, self.value_fit, int(self.half_ok))


def _readings(cells: list[str], columns: tuple[Column, ...]) -> list[_Reading]:
    """Every order-keeping placement of the cells that fills the name and the full-year value."""
    readings: list[_Reading] = []
    for chosen in combinations(range(len(columns)), len(cells)):
        placed = {columns[index]: cell for index, cell in zip(chosen, cells, strict=True)}
        if Column.NAME not in placed or Column.FULL_YEAR not in placed:
            continue
        readings.append(
            _Reading(
                cells=placed,
                name_ok=not looks_like_value(placed[Column.NAME]),
                basis_misfits=sum(_basis_misfit(column, cell) for column, cell in placed.items()),
                value_fit=sum(_value_fit(column, cell) for column, cell in placed.items()),
                # A half-year value may be left empty only beside a full-year number or date.
                half_ok=(
                    Column.HALF_YEAR not in columns
                    or Column.HALF_YEAR in placed
                    or looks_like_value(placed[Column.FULL_YEAR])
                ),
            )
        )
    return readings


@dataclass(frozen=True)
class _Choice:
    """The best-fitting reading of a row, and whether another fits exactly as well."""

    reading: _Reading
    ambiguous: bool


def _best(cells: list[str], columns: tuple[Column, ...]) -> _Choice | None:
    """The reading that fits best, or None when the cells cannot fill name and value."""
    readings = _readings(cells, columns)
    if not readings:
        return None
    best = max(readings, key=lambda reading: reading.score)
    rivals = sum(1 for reading in readings if reading.score == best.score)
    return _Choice(best, ambiguous=rivals > 1)


@dataclass
class IndicatorReader:
    """Reads indicator rows in order, inheriting categories from the rows above."""

    table_key: str
    periods: int
    problems: list[tuple[int, str]]
    columns: tuple[Column, ...] = ()
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
        elif vocabulary.looks_like_category(cells[0]) and self._is_unknown_level2(cells):
            self.level2 = (cells[0], vocabulary.UNKNOWN_LEVEL2)
            cells = cells[1:]
        else:
            return cells
        if self.level1 is not None:
            label, code = self.level2
            announced = EmptyCategory(self.level1_label, self.level1.code, label, code)
            self._announced.append(announced)
        return cells

    def _is_unknown_level2(self, cells: list[str]) -> bool:
        """Whether a category-like first cell (``环境效益``) is a level-2 label or the name.

        With more cells than columns it must be a label. With the optional columns, a row
        may also be short of cells: the cell is a label when the row reads better without it.
        """
        if len(cells) > len(self.columns):
            return True
        if len(cells) <= 1 + self.periods or not self._has_extra_columns:
            return False
        as_label = _best(cells[1:], self.columns)
        as_name = _best(cells, self.columns)
        if as_label is None:
            return False
        return as_name is None or as_label.reading.score > as_name.reading.score

    @property
    def _has_extra_columns(self) -> bool:
        return any(column in self.columns for column in _EXTRA_COLUMNS)

    def _take_indicator(self, cells: list[str], line: Line) -> None:
        assert self.level1 is not None
        assert self.level2 is not None
        choice = _best(cells, self.columns)
        if choice is None or not choice.reading.half_ok:
            self.problems.append(
                (
                    line.number,
                    f"expected {self._shape()} but found {len(cells)} cell(s): {line.text!r}",
                )
            )
            return
        if choice.ambiguous:
            self.problems.append((line.number, self._ambiguous(cells, line)))
            return
        reading = choice.reading
        name = reading.cells[Column.NAME]
        if not reading.name_ok:
            self.problems.append((line.number, f"indicator name looks like a value: {name!r}"))
            return
        basis = None
        if (basis_cell := reading.cells.get(Column.BASIS)) is not None:
            basis = parse_basis(basis_cell)
            if basis is None:
                self.problems.append((line.number, _unknown_basis(name, basis_cell)))
                return
        half_raw = reading.cells.get(Column.HALF_YEAR, "")
        level2_label, level2_code = self.level2
        self.indicators.append(
            Indicator(
                id=self._indicator_id(level2_code, name),
                level1=self.level1_label,
                level1_code=self.level1.code,
                level2=level2_label,
                level2_code=level2_code,
                name=name,
                full_year=parse_value(reading.cells[Column.FULL_YEAR]),
                half_year=parse_value(half_raw) if half_raw else None,
                explanation=reading.cells.get(Column.EXPLANATION),
                basis=basis,
            )
        )

    def _ambiguous(self, cells: list[str], line: Line) -> str:
        empty = len(self.columns) - len(cells)
        return (
            f"cannot tell which {empty} of the columns {self._column_labels()} "
            f"are empty in this row: {line.text!r}"
        )

    def _column_labels(self) -> str:
        return "、".join(_COLUMN_LABELS[self.periods][column] for column in self.columns)

    def _shape(self) -> str:
        shape = "name and value" if self.periods == 1 else "name, half-year and full-year values"
        extras = [_EXTRA_LABELS[column] for column in self.columns if column in _EXTRA_COLUMNS]
        if extras:
            shape += f" (and, when given, {' and '.join(extras)})"
        return shape

    def _indicator_id(self, level2_code: str, name: str) -> str:
        """Stable across re-imports of the same document: category, name and occurrence."""
        assert self.level1 is not None
        key = f"{self.table_key}|{self.level1.code}|{level2_code}|{name}"
        occurrence = self._seen.get(key, 0)
        self._seen[key] = occurrence + 1
        digest = hashlib.sha1(f"{key}|{occurrence}".encode()).hexdigest()
        return digest[:12]


def _unknown_basis(name: str, cell: str) -> str:
    kinds = "、".join(vocabulary.BASIS_LABELS.values())
    return (
        f"indicator {name!r}: unknown {vocabulary.BASIS_HEADERS[0]} {cell!r}; "
        f"it must begin with one of {kinds} (its text may follow, e.g. '计划标准：…')"
    )
