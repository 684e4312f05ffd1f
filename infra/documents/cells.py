"""Lines and cells of a table's grid: a workbook sheet, an HTML table or text from PDF.

Every container becomes lines of cells; what the cells mean is read in ``infra.documents.form``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from openpyxl.utils import get_column_letter

from domain import vocabulary
from domain.model import BasisKind, ValueBasis
from domain.values import ValueKind, parse_value

_PARAGRAPH_BREAK = re.compile(r"</p>\s*<p>", re.IGNORECASE)
_TAG = re.compile(r"</?(?:p|br|span|div|b|strong)\b[^>]*>", re.IGNORECASE)
_YEAR_LINE = re.compile(r"^[(（]?\s*(\d{4})\s*年度\s*[)）]?$")
_DEPARTMENT = re.compile(r"^(?P<code>\d+)\s*[-－—]\s*(?P<name>.+?)(?:\((?:部门|单位)\))?$")

_LABELS = {
    vocabulary.normalise_label(label): field for label, field in vocabulary.HEADER_LABELS.items()
}


@dataclass(frozen=True)
class Place:
    """Where a problem is, the way the user sees it after the file's name.

    ``row`` is the line of a text, the row of a sheet or of an HTML table (0: the whole file);
    ``where`` is what follows the file name: ``:14``, ``!土壤监测!D14``, ``: table 2, row 14``.
    """

    row: int
    where: str = ""

    @classmethod
    def line(cls, number: int) -> Place:
        return cls(number, f":{number}" if number else "")


class DocumentError(ValueError):
    """A document that cannot be read; names the file, the place and the problem."""

    def __init__(self, source: str, problems: Sequence[tuple[Place | int, str]]) -> None:
        self.source = source
        # One line per problem: a library's message spread over lines is joined into one.
        self.problems = [
            (where if isinstance(where, Place) else Place.line(where), " ".join(message.split()))
            for where, message in problems
        ]
        super().__init__("\n".join(self.located()))

    def located(self) -> list[str]:
        """Each problem as ``file.xlsx!Sheet!D14: message``."""
        return [f"{self.source}{place.where}: {message}" for place, message in self.problems]


class Container(Enum):
    """What a line came from, which decides how its places are named."""

    TEXT = "text"
    SHEET = "sheet"
    PAGE = "page"


@dataclass(frozen=True)
class Origin:
    """The text, workbook sheet or HTML table a line belongs to."""

    container: Container = Container.TEXT
    name: str = ""

    @property
    def aligned(self) -> bool:
        """Whether cell positions are columns: true in a grid, not in text extracted from PDF."""
        return self.container is not Container.TEXT

    def place(self, row: int, column: int | None) -> Place:
        if self.container is Container.SHEET:
            return Place(row, f"!{self.name}!{get_column_letter((column or 0) + 1)}{row}")
        if self.container is Container.PAGE:
            return Place(row, vocabulary.PAGE_PLACE.format(table=self.name, row=row))
        return Place.line(row)


TEXT = Origin()


@dataclass(frozen=True)
class Line:
    """One row of a document's grid: its cells by column ('' where empty or merged over)."""

    number: int
    cells: tuple[str, ...]
    origin: Origin = TEXT
    # (column, width) of each cell merged across more than one column.
    spans: tuple[tuple[int, int], ...] = ()

    @property
    def filled(self) -> tuple[str, ...]:
        """The non-empty cells, in order: positions shift in extracted text, content does not."""
        return tuple(cell for cell in self.cells if cell)

    @property
    def text(self) -> str:
        return " ".join(self.filled)

    def filled_at(self) -> tuple[tuple[int, str], ...]:
        """The non-empty cells with their columns (0-based)."""
        return tuple((column, cell) for column, cell in enumerate(self.cells) if cell)

    def width(self, column: int) -> int:
        return dict(self.spans).get(column, 1)

    def place(self, cell: str | None = None) -> Place:
        """The place of the first cell holding ``cell`` (or of the row's first filled cell)."""
        columns = [index for index, text in self.filled_at() if cell is None or text == cell]
        return self.origin.place(self.number, columns[0] if columns else None)


def clean_cell(cell: str) -> str:
    text = _PARAGRAPH_BREAK.sub("\n", cell)
    return _TAG.sub("", text).strip()


def split_lines(text: str) -> list[Line]:
    return [
        Line(number, tuple(clean_cell(cell) for cell in raw.split("\t")))
        for number, raw in enumerate(text.splitlines(), start=1)
    ]


def header_field(cell: str) -> str | None:
    """The field a header label names (``项目名称`` → ``name``), if the cell is one."""
    return _LABELS.get(vocabulary.normalise_label(cell))


_TITLE_YEAR = re.compile(r"(\d{4})年")


def fiscal_year_in(line: Line) -> int | None:
    """The year of a ``(2026年度)`` line, or of a title that names it (``2026年…绩效目标表``)."""
    folded = vocabulary.normalise_label(line.text)
    match = _YEAR_LINE.match(folded)
    if match is None and is_title(line):
        match = _TITLE_YEAR.search(folded)
    return int(match.group(1)) if match else None


_FOOTERS = tuple(vocabulary.normalise_label(prefix) for prefix in vocabulary.FOOTER_PREFIXES)


def is_footer(line: Line) -> bool:
    return vocabulary.normalise_label(line.text).startswith(_FOOTERS)


def is_title(line: Line) -> bool:
    folded = vocabulary.normalise_label(line.text).lstrip("#")
    return folded.endswith("绩效目标表")


def split_department(cell: str) -> tuple[str, str | None]:
    """``402-南昌市生态环境局(部门)`` → (``南昌市生态环境局``, ``402``)."""
    folded = unicodedata.normalize("NFKC", cell).strip()
    match = _DEPARTMENT.match(folded)
    if match is None:
        return cell.strip(), None
    return match["name"].strip(), match["code"]


_DATE_TEXT = r"\d{4}(?:年(?:\d{1,2}月(?:\d{1,2}日)?)?|[-/.]\d{1,2}(?:[-/.]\d{1,2})?)?"
_RANGE = re.compile(rf"^({_DATE_TEXT})\s*(?:-|－|—|–|~|～|至|到)\s*({_DATE_TEXT})$")


def split_period(cell: str) -> list[str]:
    """A 项目日期范围 cell: ``2026年1月1日-2026年12月31日`` is two dates, one date stays one.

    Dates on lines of their own in one cell (Alt+Enter in Excel, ``<br>`` in a page) are too.
    """
    if "\n" in cell.strip():
        return [part for line in cell.splitlines() for part in split_period(line) if part]
    match = _RANGE.match(unicodedata.normalize("NFKC", cell).strip())
    return [match.group(1), match.group(2)] if match else [cell]


_YEAR_MONTH = re.compile(r"^(\d{4})(?:年|-|/|\.)(\d{1,2})月?$")
_YEAR = re.compile(r"^(\d{4})年?$")


def parse_period_cell(cell: str) -> str | None:
    """A start or end cell as ISO text: a full date, ``YYYY-MM`` or a bare year."""
    value = parse_value(cell)
    if value.kind is ValueKind.DATE and value.op is None:
        return value.date
    folded = vocabulary.normalise_label(cell)
    if (match := _YEAR_MONTH.match(folded)) and 1 <= int(match.group(2)) <= 12:
        return f"{int(match.group(1)):04d}-{int(match.group(2)):02d}"
    if match := _YEAR.match(folded):
        return match.group(1)
    return None


# A basis cell's kind, longest label first so that 计划标准 wins over 计划.
_BASIS_KINDS = sorted(
    [
        *((label, code) for code, label in vocabulary.BASIS_LABELS.items()),
        *vocabulary.BASIS_ALIASES.items(),
    ],
    key=lambda pair: len(pair[0]),
    reverse=True,
)
_BASIS_SEPARATOR = re.compile(r"^[\s:：,，;；、.。\-－—]+")
_BASIS_OPENING = "(（[【<〈《"
_BASIS_BRACKETS = {"(": ")", "（": "）", "[": "]", "【": "】"}
# A short word ending in 标准 at the start of a cell: what a basis kind looks like.
_BASIS_LIKE = re.compile(r"^[^\s:：()（）\[\]【】<>《》]{1,4}标准(?:$|[\s:：(（\[【<《])")


def parse_basis(cell: str) -> ValueBasis | None:
    """A 指标值设定依据 cell (``历史标准(2025年实际完成值)``), or None when its kind is unknown.

    The kind (计划标准, 行业标准, 历史标准, 其他标准, or 计划 … 其他) comes first; the rest,
    after a separator (``：``, ``:``, spaces) or inside brackets, is the basis text as written.
    """
    text = cell.strip()
    for label, code in _BASIS_KINDS:
        if not text.startswith(label):
            continue
        rest = text[len(label) :]
        is_full_label = label in vocabulary.BASIS_LABELS.values()
        if rest and not is_full_label and not _starts_a_basis_text(rest):
            continue  # 其他资金 is not 其他 followed by a text
        return ValueBasis(BasisKind(code), _basis_text(rest))
    return None


def looks_like_basis(cell: str) -> bool:
    """True for a cell that reads as a basis: a known kind, or a short word ending in 标准."""
    if parse_basis(cell) is not None:
        return True
    return _BASIS_LIKE.match(unicodedata.normalize("NFKC", cell).strip()) is not None


def _starts_a_basis_text(rest: str) -> bool:
    return _BASIS_SEPARATOR.match(rest) is not None or rest[0] in _BASIS_OPENING


def _basis_text(rest: str) -> str | None:
    text = _BASIS_SEPARATOR.sub("", rest).strip()
    closing = _BASIS_BRACKETS.get(text[:1])
    if closing is not None and text.find(closing) == len(text) - 1:
        text = text[1:-1].strip()
    return text or None
