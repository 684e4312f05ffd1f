"""The one reader of the 绩效目标表 form's grid, whatever container the grid came in.

Workbook sheets, HTML tables and text extracted from PDF all arrive as lines of cells (see
``infra.documents.reading``). Both real forms are read here: the provincial form (项目类型,
收入/支出, half-year and full-year values) and the municipal form (项目属性, 项目日期范围, one
annual value). Cells are recognised by their labels; in a grid whose positions are columns, the
indicator table's columns are also read by position.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum

from domain import vocabulary
from domain.document import TableDocument, field_words, impossible_values
from domain.identity import table_id_for
from domain.model import Expenditure, Form, Funds, Goals, Kind, Project
from domain.values import parse_amount
from infra.documents.cells import (
    DocumentError,
    Line,
    Place,
    fiscal_year_in,
    header_field,
    is_footer,
    is_title,
    parse_period_cell,
    split_department,
    split_period,
)
from infra.documents.folding import fold_lines
from infra.documents.indicator_columns import (
    Column,
    IndicatorLayout,
    indicator_columns,
    is_indicator_header,
    value_columns,
)
from infra.documents.indicator_rows import IndicatorReader


def read_form(
    sheets: Iterable[Sequence[Line]], source: str, jurisdiction: str, fiscal_year: int | None
) -> list[TableDocument]:
    """Every table on every sheet, in order; raises ``DocumentError`` naming each problem.

    Sheets are read one at a time, so a workbook's sheets need not all be held at once.
    """
    problems: list[tuple[Place, str]] = []
    documents: list[TableDocument] = []
    first = Place(0)
    for lines in sheets:
        if lines and first.row == 0:
            first = lines[0].place()
        for year, block in _blocks(lines):
            reader = _TableReader(jurisdiction, year or fiscal_year, block, problems)
            document = reader.document()
            if document is not None:
                documents.append(document)
    if not documents and not problems:
        problems.append((first, vocabulary.NOT_A_TARGET_TABLE))
    if problems:
        raise DocumentError(source, list(problems))
    return documents


def _blocks(lines: Sequence[Line]) -> list[tuple[int | None, list[Line]]]:
    """Split the text at each 项目名称 line; each table takes the last 年度 line above it."""
    blocks: list[tuple[int | None, list[Line]]] = []
    year: int | None = None
    for line in lines:
        found = fiscal_year_in(line)
        if found is not None:
            year = found
            continue
        if not line.filled or is_title(line) or is_footer(line):
            continue  # a note such as 注：若为空表，项目名称… starts no table
        if any(header_field(cell) == "name" for cell in line.filled):
            blocks.append((year, []))
        if blocks:
            blocks[-1][1].append(line)
    return blocks


class _Section(Enum):
    HEADER = "header"
    INCOME = "income"
    SPENDING = "spending"
    INDICATORS = "indicators"


@dataclass
class _TableReader:
    jurisdiction: str
    fiscal_year: int | None
    lines: list[Line]
    problems: list[tuple[Place, str]]
    fields: dict[str, str] = field(default_factory=dict)
    field_places: dict[str, Place] = field(default_factory=dict)
    period: list[str] = field(default_factory=list)
    total: Decimal | None = None
    sources: dict[str, Decimal] = field(default_factory=dict)
    expenditures: list[Expenditure] = field(default_factory=list)
    section: _Section = _Section.HEADER
    pending: str | None = None
    narrative: str | None = None
    periods: int | None = None
    columns: tuple[Column, ...] = ()
    indicator_lines: list[Line] = field(default_factory=list)
    layout: IndicatorLayout | None = None

    def document(self) -> TableDocument | None:
        first = self.lines[0].place()
        start_problems = len(self.problems)
        for line in self.lines:
            self._read(line)
        project = self._project(first)
        project = None if project is None else fold_lines(project)
        if self.periods is None:
            self.problems.append((first, vocabulary.INDICATOR_HEADER_MISSING))
        if self.fiscal_year is None:
            self.problems.append((first, vocabulary.FISCAL_YEAR_MISSING))
        if project is None or self.periods is None or self.fiscal_year is None:
            return None
        table_id = table_id_for(
            self.jurisdiction, self.fiscal_year, project.department, project.name
        )
        reader = IndicatorReader(
            str(table_id), self.periods, self.problems, self.columns, self.layout
        )
        for line in self.indicator_lines:
            reader.read(line)
        if not reader.indicators:
            self.problems.append((first, vocabulary.INDICATORS_MISSING))
        if len(self.problems) > start_problems:
            return None
        document = TableDocument(
            id=str(table_id),
            jurisdiction=self.jurisdiction,
            fiscal_year=self.fiscal_year,
            form=Form.PROVINCIAL if reader.periods == 2 else Form.MUNICIPAL,
            project=project,
            funds=Funds(total=self.total, sources=self.sources),
            expenditures=tuple(self.expenditures),
            goals=Goals(long_term=self.fields.get("long_term"), annual=self.fields.get("annual")),
            indicators=tuple(reader.indicators),
            empty_categories=reader.empty_categories(),
        )
        document = fold_lines(document)
        impossible = impossible_values(document)
        self.problems.extend(
            (first, f"{field_words(document, field)}：{why}") for field, why in impossible
        )
        return None if impossible else document

    def _read(self, line: Line) -> None:
        if self.section is _Section.INDICATORS:
            self.indicator_lines.append(line)
            return
        if is_indicator_header(line):
            self.section = _Section.INDICATORS
            self.periods = value_columns(line)
            self.columns = indicator_columns(line)
            self.layout = IndicatorLayout.of(line, self.periods)
            return
        labelled = [index for index, cell in enumerate(line.filled) if header_field(cell)]
        if not labelled:
            self._read_unlabelled(line)
            return
        self.pending = None
        cells = line.filled
        for position, index in enumerate(labelled):
            end = labelled[position + 1] if position + 1 < len(labelled) else len(cells)
            self._read_field(header_field(cells[index]) or "", list(cells[index + 1 : end]), line)

    def _read_field(self, name: str, values: list[str], line: Line) -> None:
        if name == "funds":
            # The label may be repeated on every row of the block (a merged cell filled down).
            if self.section not in (_Section.INCOME, _Section.SPENDING):
                self.section = _Section.INCOME
            self._read_funds(values, line)
            return
        self.section = _Section.HEADER
        self.field_places.setdefault(name, line.place(values[0] if values else None))
        self.narrative = name if name in vocabulary.NARRATIVE_FIELDS else None
        if name == "period":
            self.period.extend(part for value in values for part in split_period(value))
            self.pending = "period" if len(self.period) < 2 else None
            return
        if self.fields.get(name):
            self.problems.append(
                (line.place(), vocabulary.FIELD_REPEATED.format(label=_label(name)))
            )
        self.fields[name] = " ".join(values)
        if not values:
            self.pending = name

    def _read_unlabelled(self, line: Line) -> None:
        if self.section in (_Section.INCOME, _Section.SPENDING):
            self._read_funds(list(line.filled), line)
        elif self.pending == "period":
            self.period.extend(part for value in line.filled for part in split_period(value))
            self.pending = "period" if len(self.period) < 2 else None
        elif self.pending is not None:
            self.fields[self.pending] = " ".join(line.filled)
            self.field_places[self.pending] = line.place()
            self.pending = None
        elif self.narrative is not None:
            self.fields[self.narrative] = "\n".join((self.fields[self.narrative], line.text))
        else:
            words = vocabulary.TEXT_UNLABELLED.format(text=line.text)
            self.problems.append((line.place(), words))

    def _read_funds(self, cells: list[str], line: Line) -> None:
        awaiting: str | None = None
        names: list[str] = []
        amounts: list[Decimal] = []
        for cell in cells:
            folded = vocabulary.normalise_label(cell)
            if folded == vocabulary.FUNDS_INCOME_LABEL:
                self.section = _Section.INCOME
            elif folded == vocabulary.FUNDS_SPENDING_LABEL:
                self.section = _Section.SPENDING
            elif any(word in folded for word in vocabulary.BUDGET_COLUMN_WORDS):
                continue
            elif vocabulary.is_fund_total(cell):
                awaiting = "total"
            elif (source := vocabulary.fund_source_for(cell)) is not None:
                awaiting = source
            elif (amount := parse_amount(cell)) is not None:
                if awaiting is not None:
                    self._record_amount(awaiting, amount)
                    awaiting = None
                elif self.section is _Section.SPENDING:
                    amounts.append(amount)
                else:
                    words = vocabulary.AMOUNT_UNLABELLED.format(amount=cell)
                    self.problems.append((line.place(cell), words))
            elif self.section is _Section.SPENDING:
                names.append(cell)
            else:
                words = vocabulary.FUNDS_CELL_UNEXPECTED.format(cell=cell)
                self.problems.append((line.place(cell), words))
        if names or amounts:
            self._record_expenditure(names, amounts, line)

    def _record_amount(self, awaiting: str, amount: Decimal) -> None:
        if awaiting == "total":
            self.total = amount
        else:
            self.sources[awaiting] = amount

    def _record_expenditure(self, names: list[str], amounts: list[Decimal], line: Line) -> None:
        name = " ".join(names)
        if len(amounts) == 1:
            self.expenditures.append(Expenditure(name=name, full_year=amounts[0]))
        elif len(amounts) == 2:
            self.expenditures.append(
                Expenditure(name=name, half_year=amounts[0], full_year=amounts[1])
            )
        else:
            self.problems.append(
                (
                    line.place(),
                    vocabulary.EXPENDITURE_AMOUNTS.format(count=len(amounts), text=line.text),
                )
            )

    def _project(self, first: Place) -> Project | None:
        missing = [name for name in ("name", "department", "kind") if not self.fields.get(name)]
        for name in missing:
            self.problems.append((first, vocabulary.FIELD_MISSING.format(label=_label(name))))
        kind = vocabulary.kind_for(self.fields.get("kind", ""))
        if "kind" not in missing and kind is None:
            place = self.field_places.get("kind", first)
            kinds = "、".join(vocabulary.KIND_LABELS.values())
            words = vocabulary.KIND_UNKNOWN.format(kind=self.fields["kind"], kinds=kinds)
            self.problems.append((place, words))
        start, end = self._dates(first)
        if missing or kind is None:
            return None
        department, department_code = split_department(self.fields["department"])
        return Project(
            name=self.fields["name"],
            department=department,
            department_code=department_code,
            implementing_unit=self.fields.get("implementing_unit", ""),
            kind=Kind(kind),
            kind_label=self.fields["kind"],
            start=start,
            end=end,
            level=self.fields.get("level") or None,
            manager=self.fields.get("manager") or None,
            necessity=self.fields.get("necessity") or None,
            feasibility=self.fields.get("feasibility") or None,
            content=self.fields.get("content") or None,
        )

    def _dates(self, first: Place) -> tuple[str | None, str | None]:
        places = self.field_places
        if self.period:
            raw = self.period
            at = [places.get("period", first)] * 2
        else:
            raw = [self.fields.get("start", ""), self.fields.get("end", "")]
            at = [places.get("start", first), places.get("end", first)]
        if len(raw) > 2:
            dates = "、".join(f"「{date}」" for date in raw)
            words = vocabulary.PERIOD_DATES.format(count=len(raw), dates=dates)
            self.problems.append((at[0], words))
        parsed: list[str | None] = []
        for cell, place in zip(([*raw, "", ""])[:2], at, strict=True):
            value = parse_period_cell(cell) if cell else None
            if cell and value is None:
                self.problems.append((place, vocabulary.DATE_UNREADABLE.format(cell=cell)))
            parsed.append(value)
        return parsed[0], parsed[1]


def _label(field_name: str) -> str:
    for label, name in vocabulary.HEADER_LABELS.items():
        if name == field_name:
            return label
    return field_name
