"""Lines and cells of a table extracted from PDF as tab-separated text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

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


class DocumentError(ValueError):
    """A document that cannot be read; names the file, the line and the problem."""

    def __init__(self, source: str, problems: list[tuple[int, str]]) -> None:
        self.source = source
        self.problems = problems
        listed = "\n".join(f"{source}:{line}: {message}" for line, message in problems)
        super().__init__(listed)


@dataclass(frozen=True)
class Line:
    number: int
    cells: tuple[str, ...]

    @property
    def filled(self) -> tuple[str, ...]:
        """The non-empty cells, in order: positions shift in extracted text, content does not."""
        return tuple(cell for cell in self.cells if cell)

    @property
    def text(self) -> str:
        return " ".join(self.filled)


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


def fiscal_year_in(line: Line) -> int | None:
    match = _YEAR_LINE.match(vocabulary.normalise_label(line.text))
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
