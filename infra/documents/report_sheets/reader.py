"""Reading a filled-in report form back, whichever of the two it is.

Reading either form, the sheet is found by its indicator header, which may sit anywhere
(shifted down or right, a 绩效指标 column before it, headings merged over two rows); columns
are found by their headings, rows matched to the approved targets by 三级指标 (and by 二级指标,
then 一级指标, where names repeat). 1-M月执行情况, 全年预计完成情况 and 实际完成值 are read as
the sheet shows them and parsed with ``parse_value``; a tick is √ (or ✓ ✔ ☑ v).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from domain import vocabulary
from domain.evaluation import EvaluationLine
from domain.monitoring import MonitoringLine
from domain.reports import Basis, Target
from domain.scoring import ScoringInvalid, check_comparable
from domain.values import Value, parse_amount, parse_value
from infra.documents.cells import DocumentError, Line, Place, is_footer
from infra.documents.reading import workbook_sheets
from infra.documents.report_sheets.common import LEVEL1, LEVEL2, NAME, PROJECT, TICK, TOTAL, fold

_Line = TypeVar("_Line", MonitoringLine, EvaluationLine)
_TICKS = frozenset({"√", "✓", "✔", "☑", "v", "V"})
# Lines under a form that end its indicator table: who filled it in, and the notes.
_SIGNATURES = ("填报人", "填表人", "单位负责人", "项目负责人", "财务负责人", "联系电话")
_TOTALS = frozenset(fold(label) for label in vocabulary.FUND_TOTAL_LABELS)


def label_keys(pairs: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {fold(label): key for key, labels in pairs.items() for label in labels}


INDICATOR_LABELS = {"level1": (LEVEL1,), "level2": (LEVEL2,), "name": (NAME,)}


def cell_at(line: Line, column: int | None) -> str:
    if column is None or column >= len(line.cells):
        return ""
    return line.cells[column]


@dataclass
class Reader:
    """One sheet's lines, and the problems found reading them."""

    source: str
    lines: list[Line]
    problems: list[tuple[Place | int, str]] = field(default_factory=list)

    def place(self, line: Line, column: int | None) -> Place:
        return line.origin.place(line.number, column)

    def problem(self, line: Line, column: int | None, message: str) -> None:
        self.problems.append((self.place(line, column), message))

    def done(self) -> None:
        if self.problems:
            raise DocumentError(self.source, self.problems)

    def find(self, test: Callable[[Line], bool], start: int = 0) -> int | None:
        return next(
            (index for index in range(start, len(self.lines)) if test(self.lines[index])), None
        )

    def amount(
        self, line: Line, column: int | None, what: str, *, money: bool = True
    ) -> Decimal | None:
        """The number in a cell (in 万元 when ``money``); None when empty or refused."""
        text = cell_at(line, column)
        if not text:
            return None
        found = parse_amount(text.removesuffix("万元") if money else text)
        if found is None:
            wanted = vocabulary.SHEET_AMOUNT_WANTED if money else vocabulary.SHEET_NUMBER_WANTED
            self.problem(line, column, wanted.format(what=what, text=text))
        elif found < 0:
            self.problem(line, column, vocabulary.SHEET_NEGATIVE.format(what=what, text=text))
            return None
        return found

    def project(self, basis: Basis, upto: int) -> None:
        """A sheet naming another project than the basis's is refused."""
        wanted = fold(basis.project_name)
        for line in self.lines[:upto]:
            cells = line.filled_at()
            for index, (_, text) in enumerate(cells[:-1]):
                if fold(text) == PROJECT:
                    column, given = cells[index + 1]
                    if wanted and wanted not in fold(given):
                        self.problem(
                            line,
                            column,
                            vocabulary.SHEET_OTHER_PROJECT.format(
                                given=given, project=basis.project_name
                            ),
                        )
                    return


def find_sheet(data: bytes, source: str, is_header: Callable[[Line], bool], form: str) -> Reader:
    for lines in workbook_sheets(data, source):
        if any(is_header(line) for line in lines):
            return Reader(source, lines)
    words = vocabulary.SHEET_NO_HEADER.format(form=form, level1=LEVEL1, name=NAME)
    raise DocumentError(source, [(0, words)])


def is_indicator_header(line: Line, needs: Callable[[str], bool]) -> bool:
    folded = [fold(cell) for cell in line.filled]
    return all(label in folded for label in vocabulary.INDICATOR_HEADER) and any(
        needs(word) for word in folded
    )


def heading_columns(lines: Sequence[Line], labels: dict[str, str]) -> dict[str, int]:
    """Each known heading's column, the first found winning."""
    found: dict[str, int] = {}
    for line in lines:
        for column, text in line.filled_at():
            key = labels.get(fold(text))
            if key is not None:
                found.setdefault(key, column)
    return found


@dataclass
class _Targets:
    """Rows matched to the basis's targets by 三级指标, then 二级指标 and 一级指标."""

    basis: Basis
    taken: set[str] = field(default_factory=set)

    def match(self, name: str, level1: str, level2: str) -> Target | str:
        """The row's target, or why there is none."""
        candidates = [item for item in self.basis.targets if fold(item.name) == fold(name)]
        if not candidates:
            known = "、".join(dict.fromkeys(item.name for item in self.basis.targets))
            return vocabulary.SHEET_UNKNOWN_INDICATOR.format(name=name, known=known)
        for level, of in ((level2, "level2"), (level1, "level1")):
            if len(candidates) > 1 and level:
                candidates = [
                    item for item in candidates if fold(getattr(item, of)) == fold(level)
                ] or candidates
        free = [item for item in candidates if item.indicator_id not in self.taken]
        if not free:
            return vocabulary.SHEET_INDICATOR_TWICE.format(name=name)
        self.taken.add(free[0].indicator_id)
        return free[0]


def indicator_rows(
    reader: Reader,
    start: int,
    columns: dict[str, int],
    values: Sequence[int],
    ends: Callable[[Line], bool],
    basis: Basis,
) -> Iterator[tuple[Line, Target]]:
    """Each indicator row under the header and its target; merged levels carried down."""
    targets = _Targets(basis)
    level1 = level2 = ""
    for line in reader.lines[start:]:
        if is_footer(line) or line.text.startswith(_SIGNATURES) or ends(line):
            return
        if given := cell_at(line, columns["level1"]):
            level1, level2 = given, ""
        level2 = cell_at(line, columns["level2"]) or level2
        name = cell_at(line, columns["name"])
        if not name:
            filled = [column for column in values if cell_at(line, column)]
            if filled:
                reader.problem(line, filled[0], vocabulary.SHEET_ROW_UNNAMED.format(name=NAME))
            continue
        target = targets.match(name, level1, level2)
        if isinstance(target, str):
            reader.problem(line, columns["name"], target)
            continue
        yield line, target


def read_value(reader: Reader, line: Line, column: int | None, target: Target) -> Value | None:
    """What a value cell says, as shown; refused when it cannot be set against the target."""
    text = cell_at(line, column)
    if not text:
        return None
    value = parse_value(text)
    try:
        check_comparable(target.indicator_id, target.value, value)
    except ScoringInvalid as error:
        said = str(error).removeprefix(f"indicator {target.indicator_id}: ")
        reader.problem(line, column, f"{target.name}: {said}")
        return None
    return value


def is_ticked(reader: Reader, line: Line, column: int | None) -> bool:
    text = cell_at(line, column).replace("\ufe0f", "")
    if not text:
        return False
    if text in _TICKS:
        return True
    reader.problem(line, column, vocabulary.SHEET_TICK.format(tick=TICK, text=text))
    return False


def in_order(basis: Basis, lines: list[_Line]) -> tuple[_Line, ...]:
    """The lines in the order of the basis's targets, whatever the order of the sheet's rows."""
    order = {item.indicator_id: index for index, item in enumerate(basis.targets)}
    return tuple(sorted(lines, key=lambda line: order[line.indicator_id]))


def check_year(reader: Reader, line: Line, fiscal_year: int, year: int) -> None:
    if year != fiscal_year:
        words = vocabulary.SHEET_OTHER_YEAR.format(year=year, fiscal_year=fiscal_year)
        reader.problem(line, None, words)


def total_row(reader: Reader, start: int, end: int) -> Line | None:
    index = reader.find(lambda line: any(fold(text) in _TOTALS for text in line.filled), start)
    if index is None or index >= end:
        reader.problem(
            reader.lines[start - 1], None, vocabulary.SHEET_ROW_MISSING.format(label=TOTAL)
        )
        return None
    return reader.lines[index]
