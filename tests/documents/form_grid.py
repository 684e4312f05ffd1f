"""A printed form as a grid of cells: what each holds and which rows or columns it spans."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import Enum


class Figure(Enum):
    """What a cell holds, so that a layout may write it as a number or a date instead."""

    TEXT = "text"
    AMOUNT = "amount"
    YEAR = "year"
    DATE = "date"
    PERCENT = "percent"


@dataclass(frozen=True)
class FormCell:
    text: str
    column: int
    across: int = 1
    down: int = 1
    figure: Figure = Figure.TEXT
    key: str | None = None
    category: bool = False  # a 一级/二级 indicator cell: laid out as Layout.levels says
    once: bool = False  # printed once even where a layout repeats labels down their rows


Row = tuple[FormCell, ...]


@dataclass(frozen=True)
class Printing:
    """Choices a bureau makes when it fills the municipal form in."""

    period_in_one_cell: bool = False  # 项目日期范围 '2026年1月1日-2026年12月31日' in one cell
    period_separator: str = "-"
    goal_below_label: bool = False  # 年度绩效目标 on the row under its label, across the table


AS_PRINTED = Printing()


@dataclass(frozen=True)
class Form:
    title: str
    year: str
    width: int
    rows: tuple[Row, ...]
    footer: str | None = None

    def with_text(self, key: str, text: str) -> Form:
        """The form with the cell named ``key`` holding ``text`` instead, as plain text."""
        self.row_of(key)  # a key no cell has is a mistake in the test, not a silent no-op
        return self._map(lambda cell: replace(cell, text=text, figure=Figure.TEXT), key)

    def without_row(self, key: str) -> Form:
        """The form without the row holding ``key``; labels spanning over it shrink."""
        index = self.row_of(key)
        rows = [
            tuple(
                replace(cell, down=cell.down - 1) if above < index < above + cell.down else cell
                for cell in row
            )
            for above, row in enumerate(self.rows)
        ]
        return replace(self, rows=tuple(rows[:index] + rows[index + 1 :]))

    def row_of(self, key: str) -> int:
        for index, row in enumerate(self.rows):
            if any(cell.key == key for cell in row):
                return index
        raise KeyError(key)

    def _map(self, change: Callable[[FormCell], FormCell], key: str) -> Form:
        rows = tuple(
            tuple(change(cell) if cell.key == key else cell for cell in row) for row in self.rows
        )
        return replace(self, rows=rows)
