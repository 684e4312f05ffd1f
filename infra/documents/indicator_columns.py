"""The columns of the indicator table: which role each has, and how a row's cells fill them.

Column roles come from the header's vocabulary. The optional 指标解释 and 指标值设定依据
columns are placed in the order the header prints them; when a row has fewer cells than
columns, the cells' content (a value, a basis such as 计划标准, prose) decides which columns
were left empty, and a row that two readings fit equally well is reported as ambiguous.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from itertools import combinations

from domain import vocabulary
from domain.values import looks_like_value
from infra.documents.cells import Line, looks_like_basis


class Column(StrEnum):
    """What a column of the indicator table holds, beyond the level-1 and level-2 labels."""

    NAME = "name"
    HALF_YEAR = "half_year"
    FULL_YEAR = "full_year"
    EXPLANATION = "explanation"
    BASIS = "basis"


_EXPLANATION_HEADERS = frozenset(map(vocabulary.normalise_label, vocabulary.EXPLANATION_HEADERS))
_BASIS_HEADERS = frozenset(map(vocabulary.normalise_label, vocabulary.BASIS_HEADERS))
EXTRA_COLUMNS = (Column.EXPLANATION, Column.BASIS)
EXTRA_LABELS = {
    Column.EXPLANATION: vocabulary.EXPLANATION_HEADERS[0],
    Column.BASIS: vocabulary.BASIS_HEADERS[0],
}
# Column names as the forms print them, by the number of value columns.
COLUMN_LABELS = {
    periods: {
        Column.NAME: vocabulary.INDICATOR_HEADER[2],
        Column.HALF_YEAR: vocabulary.PERIOD_LABELS["half_year"],
        Column.FULL_YEAR: (
            vocabulary.PERIOD_LABELS["full_year"]
            if periods == 2
            else vocabulary.INDICATOR_VALUE_WORD
        ),
        **EXTRA_LABELS,
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
        kept = [column for column in columns if column in (Column.NAME, *EXTRA_COLUMNS)]
        after = kept.index(Column.NAME) + 1
        return (*kept[:after], *standard, *kept[after:])
    if periods == 2:
        halves = [index for index, word in values if vocabulary.HALF_YEAR_WORD in word]
        half = halves[0] if halves else values[0][0]
        columns[half] = Column.HALF_YEAR
    return tuple(columns)


LEVEL1 = "level1"
LEVEL2 = "level2"
Role = Column | str


@dataclass(frozen=True)
class IndicatorLayout:
    """The indicator table's columns by position, in a grid whose positions are columns.

    Each header cell covers its columns (more than one when merged across); a row's cell is
    read by the header cell above it. A header that does not name one cell per value column
    gives no layout, and its rows are read by content as in extracted text.
    """

    roles: tuple[tuple[int, int, Role | None], ...]  # (first column, width, role)

    @classmethod
    def of(cls, header: Line, periods: int) -> IndicatorLayout | None:
        if not header.origin.aligned:
            return None
        level1, level2, name = vocabulary.INDICATOR_HEADER
        roles: list[tuple[int, int, Role | None]] = []
        values: list[int] = []
        for column, cell in header.filled_at():
            word = vocabulary.normalise_label(cell)
            role: Role | None = None
            if word in (level1, level2, name):
                role = {level1: LEVEL1, level2: LEVEL2, name: Column.NAME}[word]
            elif word in _EXPLANATION_HEADERS:
                role = Column.EXPLANATION
            elif word in _BASIS_HEADERS:
                role = Column.BASIS
            elif vocabulary.INDICATOR_VALUE_WORD in word:
                role = Column.HALF_YEAR if vocabulary.HALF_YEAR_WORD in word else Column.FULL_YEAR
                values.append(len(roles))
            roles.append((column, header.width(column), role))
        found = [role for _, _, role in roles if role is not None]
        if len(values) != periods or len(found) != len(set(found)):
            return None
        if periods == 2 and Column.HALF_YEAR not in found:
            first = values[0]
            column, width, _ = roles[first]
            roles[first] = (column, width, Column.HALF_YEAR)
        return cls(tuple(roles))

    def column_of(self, wanted: Role) -> int | None:
        return next((first for first, _, role in self.roles if role == wanted), None)

    def place(self, line: Line) -> dict[Role, tuple[int, str]] | None:
        """The row's cells by role, or None when the row does not sit in the header's columns.

        It does not when a cell lies outside them, or when what stands in the 一级指标 or
        二级指标 column is no such label (a row shifted by a column): such a row is read by
        its content, as in text. Cells under a header the reader does not know (备注…) are
        left out, as in text.
        """
        placed: dict[Role, tuple[int, str]] = {}
        for column, cell in line.filled_at():
            over = [role for first, width, role in self.roles if first <= column < first + width]
            if not over or over[0] in placed:
                return None
            if over[0] is not None:
                placed[over[0]] = (column, cell)
        level1 = placed.get(LEVEL1)
        if level1 is not None and vocabulary.level1_for(level1[1]) is None:
            return None
        level2 = placed.get(LEVEL2)
        if level2 is not None and not _is_level2(level2[1]):
            return None
        return placed


def _is_level2(cell: str) -> bool:
    return vocabulary.level2_for(cell) is not None or vocabulary.looks_like_category(cell)


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
class Choice:
    """The best-fitting reading of a row, and whether another fits exactly as well."""

    reading: _Reading
    ambiguous: bool


def best_reading(cells: list[str], columns: tuple[Column, ...]) -> Choice | None:
    """The reading that fits best, or None when the cells cannot fill name and value."""
    readings = _readings(cells, columns)
    if not readings:
        return None
    best = max(readings, key=lambda reading: reading.score)
    rivals = sum(1 for reading in readings if reading.score == best.score)
    return Choice(best, ambiguous=rivals > 1)
