"""Reading 绩效目标表 documents extracted from PDF as tab-separated text.

Both real forms are read by one reader: the provincial form (项目类型, 收入/支出, half-year and
full-year values) and the municipal form (项目属性, 项目日期范围, one annual value). Cells are
recognised by their labels; positions only order them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum

from domain import vocabulary
from domain.document import TableDocument
from domain.identity import table_id_for
from domain.model import Expenditure, Form, Funds, Goals, Kind, Project
from domain.values import parse_amount
from infra.documents.cells import (
    DocumentError,
    Line,
    fiscal_year_in,
    header_field,
    is_footer,
    is_title,
    parse_period_cell,
    split_department,
    split_lines,
)
from infra.documents.indicator_columns import (
    Column,
    indicator_columns,
    is_indicator_header,
    value_columns,
)
from infra.documents.indicator_rows import IndicatorReader


def read_text_document(
    text: str, source: str, jurisdiction: str, fiscal_year: int | None = None
) -> list[TableDocument]:
    """Every table in ``text``; raises ``DocumentError`` listing each problem by line."""
    problems: list[tuple[int, str]] = []
    documents = [
        _TableReader(jurisdiction, year or fiscal_year, block, problems).document()
        for year, block in _blocks(split_lines(text))
    ]
    if not documents and not problems:
        problems.append((1, "no 项目名称 cell found: this is not a 绩效目标表"))
    if problems:
        raise DocumentError(source, problems)
    return [document for document in documents if document is not None]


def _blocks(lines: list[Line]) -> list[tuple[int | None, list[Line]]]:
    """Split the text at each 项目名称 line; each table takes the last 年度 line above it."""
    blocks: list[tuple[int | None, list[Line]]] = []
    year: int | None = None
    for line in lines:
        found = fiscal_year_in(line)
        if found is not None:
            year = found
            continue
        if any(header_field(cell) == "name" for cell in line.filled):
            blocks.append((year, []))
        if blocks and line.filled and not is_title(line) and not is_footer(line):
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
    problems: list[tuple[int, str]]
    fields: dict[str, str] = field(default_factory=dict)
    field_lines: dict[str, int] = field(default_factory=dict)
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

    def document(self) -> TableDocument | None:
        first = self.lines[0].number
        start_problems = len(self.problems)
        for line in self.lines:
            self._read(line)
        project = self._project(first)
        if self.periods is None:
            self.problems.append((first, "the table has no 一级指标/二级指标/三级指标 header row"))
        if self.fiscal_year is None:
            self.problems.append((first, "no fiscal year (a '2026年度' line) above this table"))
        if project is None or self.periods is None or self.fiscal_year is None:
            return None
        table_id = table_id_for(
            self.jurisdiction, self.fiscal_year, project.department, project.name
        )
        reader = IndicatorReader(str(table_id), self.periods, self.problems, self.columns)
        for line in self.indicator_lines:
            reader.read(line)
        if not reader.indicators:
            self.problems.append((first, "the indicator table has no indicator rows"))
        if len(self.problems) > start_problems:
            return None
        return TableDocument(
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

    def _read(self, line: Line) -> None:
        if self.section is _Section.INDICATORS:
            self.indicator_lines.append(line)
            return
        if is_indicator_header(line):
            self.section = _Section.INDICATORS
            self.periods = value_columns(line)
            self.columns = indicator_columns(line)
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
            self.section = _Section.INCOME
            self._read_funds(values, line)
            return
        self.section = _Section.HEADER
        self.field_lines.setdefault(name, line.number)
        self.narrative = name if name in vocabulary.NARRATIVE_FIELDS else None
        if name == "period":
            self.period.extend(values)
            self.pending = "period" if len(self.period) < 2 else None
            return
        if self.fields.get(name):
            self.problems.append((line.number, f"{_label(name)} appears twice in one table"))
        self.fields[name] = " ".join(values)
        if not values:
            self.pending = name

    def _read_unlabelled(self, line: Line) -> None:
        if self.section in (_Section.INCOME, _Section.SPENDING):
            self._read_funds(list(line.filled), line)
        elif self.pending == "period":
            self.period.extend(line.filled)
            self.pending = "period" if len(self.period) < 2 else None
        elif self.pending is not None:
            self.fields[self.pending] = " ".join(line.filled)
            self.pending = None
        elif self.narrative is not None:
            self.fields[self.narrative] = "\n".join((self.fields[self.narrative], line.text))
        else:
            self.problems.append((line.number, f"text outside any labelled cell: {line.text!r}"))

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
                    self.problems.append((line.number, f"amount {cell!r} has no label"))
            elif self.section is _Section.SPENDING:
                names.append(cell)
            else:
                self.problems.append((line.number, f"unexpected cell among the funds: {cell!r}"))
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
                    line.number,
                    f"expenditure line needs 1 or 2 amounts, found {len(amounts)}: {line.text!r}",
                )
            )

    def _project(self, first: int) -> Project | None:
        missing = [name for name in ("name", "department", "kind") if not self.fields.get(name)]
        for name in missing:
            self.problems.append((first, f"{_label(name)} is missing or empty"))
        kind = vocabulary.kind_for(self.fields.get("kind", ""))
        if "kind" not in missing and kind is None:
            line = self.field_lines.get("kind", first)
            self.problems.append((line, f"unknown project kind {self.fields['kind']!r}"))
        lines = self.field_lines
        start, end = self._dates(lines.get("period") or lines.get("start") or first)
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

    def _dates(self, first: int) -> tuple[str | None, str | None]:
        raw = self.period or [self.fields.get("start", ""), self.fields.get("end", "")]
        if len(raw) > 2:
            self.problems.append((first, f"the project period has {len(raw)} dates: {raw}"))
        parsed: list[str | None] = []
        for cell in ([*raw, "", ""])[:2]:
            value = parse_period_cell(cell) if cell else None
            if cell and value is None:
                self.problems.append((first, f"cannot read {cell!r} as a date or a year"))
            parsed.append(value)
        return parsed[0], parsed[1]


def _label(field_name: str) -> str:
    for label, name in vocabulary.HEADER_LABELS.items():
        if name == field_name:
            return label
    return field_name
