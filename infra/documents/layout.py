"""A printed form as a grid of boxes: what the workbook and the printable page both draw.

A box is one cell of the form, spanning rows and columns where the form merges them; see
``form_layout`` for how each form is laid out.

Text is made printable by ``printable``, so that no document is refused on export: characters
XML 1.0 cannot carry (control characters other than tab, newline and carriage return, U+FFFE,
U+FFFF, lone surrogates) become U+FFFD.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from domain.model import Form


class Role(StrEnum):
    """What a box holds, which decides how it is drawn."""

    LABEL = "label"  # a label the form prints (项目名称)
    HEADING = "heading"  # a column heading (一级指标, 全年(程)预算数)
    CATEGORY = "category"  # a level-1 or level-2 label beside indicators
    TEXT = "text"  # what the bureau wrote, short
    LONG = "long"  # what the bureau wrote, prose
    AMOUNT = "amount"  # 万元, a number
    NOTE = "note"  # the footer under the table


class Choice(StrEnum):
    """A box whose content the form restricts to a fixed list."""

    KIND = "kind"
    LEVEL1 = "level1"
    LEVEL2 = "level2"


@dataclass(frozen=True)
class Box:
    row: int
    column: int
    role: Role
    value: str | Decimal | None = None
    width: int = 1
    height: int = 1
    choice: Choice | None = None


@dataclass(frozen=True)
class FormLayout:
    """One table as printed: a title and a year above a grid of boxes."""

    form: Form
    name: str
    title: str
    year: str
    widths: tuple[int, ...]  # in characters of Excel's default font
    boxes: tuple[Box, ...]
    choices: tuple[tuple[Choice, tuple[str, ...]], ...] = ()

    @property
    def height(self) -> int:
        return max((box.row + box.height for box in self.boxes), default=0)

    def cells(self) -> dict[tuple[int, int], Box]:
        """The box covering each (row, column) of the grid: an empty text box where none does."""
        found = {
            (row, column): Box(row, column, Role.TEXT)
            for row in range(self.height)
            for column in range(len(self.widths))
        }
        for box in self.boxes:
            for row in range(box.row, box.row + box.height):
                for column in range(box.column, box.column + box.width):
                    found[(row, column)] = box
        return found

    def rows(self) -> Iterator[list[Box]]:
        """Each row's boxes in column order: those starting in it, with no gap in the grid."""
        cells = self.cells()
        for row in range(self.height):
            yield [
                box
                for column in range(len(self.widths))
                if (box := cells[(row, column)]).row == row and box.column == column
            ]


_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def printable(text: str) -> str:
    """``text`` with every character XML 1.0 cannot carry replaced by U+FFFD."""
    return _UNPRINTABLE.sub("\ufffd", text)
