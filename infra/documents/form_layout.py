"""The official layout of both forms, as the published workbooks print them.

The provincial form has its project block, the 收入/支出 funds block and two value columns; the
municipal form its 项目日期范围, one value column and the 注 footer. The 指标解释 and
指标值设定依据 columns are added when any indicator has them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from domain import vocabulary
from domain.document import TableDocument
from domain.model import Expenditure, Form, Funds, Indicator, Kind, Project
from infra.documents import form_words
from infra.documents.groups import Group, form_groups, form_level1, form_level2, indicator_groups
from infra.documents.layout import Box, Choice, FormLayout, Role, printable

_WIDTHS = {Form.PROVINCIAL: (16, 20, 40, 22, 22), Form.MUNICIPAL: (16, 20, 40, 30)}
_EXTRA_WIDTHS = (36, 24)
_SOURCES = {
    Form.PROVINCIAL: tuple(
        code for code in vocabulary.FUND_SOURCES if code != "fiscal_appropriation"
    ),
    Form.MUNICIPAL: ("fiscal_appropriation", "other"),
}
_LABELS: dict[str, list[str]] = {}
for _label, _field in vocabulary.HEADER_LABELS.items():
    _LABELS.setdefault(_field, []).append(_label)
# Which of a field's labels each form prints, by its place in HEADER_LABELS:
# the provincial form says 项目类型 (not 项目属性), the municipal one 年度绩效目标 (not 年度目标).
_WORDING = {Form.PROVINCIAL: {"kind": 1}, Form.MUNICIPAL: {"annual": 1}}
TEMPLATE_INDICATOR_ROWS = 2
TEMPLATE_SPENDING_ROWS = 3


def header_label(name: str, form: Form) -> str:
    """The label the form prints before a field (``kind`` → 项目类型 or 项目属性)."""
    return _LABELS[name][_WORDING[form].get(name, 0)]


def document_layout(document: TableDocument) -> FormLayout:
    """The document as its form prints it."""
    extras = any(item.explanation or item.basis for item in document.indicators)
    groups = indicator_groups(document)
    spending = max(1, len(document.expenditures))
    return _layout(document, groups, spending, extras)


def blank_layout(form: Form, fiscal_year: int | None = None) -> FormLayout:
    """The form with every label and no value: a few empty rows under each category."""
    empty = TableDocument(
        jurisdiction="",
        fiscal_year=fiscal_year or 0,
        form=form,
        project=Project(
            name="", department="", implementing_unit="", kind=Kind.CURRENT_YEAR, kind_label=""
        ),
        funds=Funds(total=None),
        indicators=(),
    )
    groups = form_groups(form, TEMPLATE_INDICATOR_ROWS)
    level1 = tuple(category.label for category in form_level1(form))
    level2 = tuple(
        dict.fromkeys(
            category.label
            for parent in form_level1(form)
            for category in form_level2(form, parent.code)
        )
    )
    choices = (
        (Choice.KIND, tuple(vocabulary.KIND_LABELS.values())),
        (Choice.LEVEL1, level1),
        (Choice.LEVEL2, level2),
    )
    layout = _layout(empty, groups, TEMPLATE_SPENDING_ROWS, extras=False)
    return FormLayout(form, "", layout.title, layout.year, layout.widths, layout.boxes, choices)


def _layout(
    document: TableDocument, groups: list[Group], spending: int, extras: bool
) -> FormLayout:
    form = document.form
    widths = _WIDTHS[form] + (_EXTRA_WIDTHS if extras else ())
    grid = _Grid(form, len(widths))
    if form is Form.PROVINCIAL:
        grid.provincial_top(document, spending)
    else:
        grid.municipal_top(document)
    grid.indicators(groups, extras)
    if form is Form.MUNICIPAL:
        grid.put(0, Role.NOTE, form_words.FOOTER_NOTE, width=grid.width)
    return FormLayout(
        form=form,
        name=document.project.name,
        title=form_words.title_of(form, document.jurisdiction),
        year=form_words.year_text(form, document.fiscal_year),
        widths=widths,
        boxes=tuple(grid.boxes),
    )


@dataclass
class _Grid:
    """Boxes put row by row; ``rest`` spans to the right edge of the form."""

    form: Form
    width: int
    boxes: list[Box] = field(default_factory=list)
    row: int = 0

    def put(
        self,
        column: int,
        role: Role,
        value: str | Decimal | None = None,
        *,
        width: int = 1,
        height: int = 1,
        choice: Choice | None = None,
    ) -> None:
        if isinstance(value, str):
            value = printable(value) or None
        self.boxes.append(Box(self.row, column, role, value, width, height, choice))

    def rest(self, column: int, role: Role, value: str | Decimal | None) -> None:
        self.put(column, role, value, width=self.width - column)
        self.row += 1

    def label(self, column: int, name: str, height: int = 1) -> None:
        self.put(column, Role.LABEL, header_label(name, self.form), height=height)

    def provincial_top(self, document: TableDocument, spending: int) -> None:
        project = document.project
        department = form_words.department_text(project.department, project.department_code)
        pairs = (
            ("name", project.name, "department", department),
            ("kind", project.kind_label, "level", project.level),
            (
                "start",
                form_words.printed_date(project.start),
                "end",
                form_words.printed_date(project.end),
            ),
            ("implementing_unit", project.implementing_unit, "manager", project.manager),
        )
        for left, left_value, right, right_value in pairs:
            self.label(0, left)
            choice = Choice.KIND if left == "kind" else None
            self.put(1, Role.TEXT, left_value, choice=choice)
            self.label(2, right)
            self.rest(3, Role.TEXT, right_value)
        for name in ("necessity", "feasibility", "content"):
            self.label(0, name)
            self.rest(1, Role.LONG, getattr(project, name))
        self.provincial_funds(document.funds, document.expenditures, spending)
        for name in ("long_term", "annual"):
            self.label(0, name)
            self.rest(1, Role.LONG, getattr(document.goals, name))

    def provincial_funds(
        self, funds: Funds, expenditures: tuple[Expenditure, ...], spending: int
    ) -> None:
        sources = _sources(funds, Form.PROVINCIAL)
        self.label(0, "funds", height=3 + len(sources) + spending)
        self.put(1, Role.LABEL, vocabulary.FUNDS_INCOME_LABEL, height=2 + len(sources))
        self.rest(4, Role.HEADING, vocabulary.FIELD_LABELS["full_year_budget"])
        for label, amount in ((vocabulary.FUND_TOTAL_LABELS[0], funds.total), *sources):
            self.put(2, Role.LABEL, label, width=2)
            self.rest(4, Role.AMOUNT, amount)
        self.put(1, Role.LABEL, vocabulary.FUNDS_SPENDING_LABEL, height=1 + spending)
        self.put(3, Role.HEADING, vocabulary.FIELD_LABELS["half_year_budget"])
        self.rest(4, Role.HEADING, vocabulary.FIELD_LABELS["full_year_budget"])
        lines: list[tuple[str | None, Decimal | None, Decimal | None]] = [
            (line.name, line.half_year, line.full_year) for line in expenditures
        ]
        lines += [(None, None, None)] * (spending - len(lines))
        for name, half, full in lines:
            self.put(2, Role.TEXT, name)
            self.put(3, Role.AMOUNT, half)
            self.rest(4, Role.AMOUNT, full)

    def municipal_top(self, document: TableDocument) -> None:
        project, funds = document.project, document.funds
        self.label(0, "name")
        self.rest(1, Role.TEXT, project.name)
        self.label(0, "department")
        self.put(
            1, Role.TEXT, form_words.department_text(project.department, project.department_code)
        )
        self.label(2, "implementing_unit")
        self.rest(3, Role.TEXT, project.implementing_unit)
        self.label(0, "kind")
        self.put(1, Role.TEXT, project.kind_label, choice=Choice.KIND)
        self.label(2, "period")
        self.rest(3, Role.TEXT, form_words.period_text(project.start, project.end))
        sources = _sources(funds, Form.MUNICIPAL)
        self.label(0, "funds", height=1 + len(sources))
        for label, amount in ((vocabulary.FUND_TOTAL_LABELS[1], funds.total), *sources):
            self.put(1, Role.LABEL, label)
            self.rest(2, Role.AMOUNT, amount)
        self.label(0, "annual")
        self.rest(1, Role.LONG, document.goals.annual)

    def indicators(self, groups: list[Group], extras: bool) -> None:
        for column, heading in enumerate(_indicator_headings(self.form, extras)):
            self.put(column, Role.HEADING, heading)
        self.row += 1
        for block in _level1_blocks(groups):
            rows = sum(len(group.items) for group in block)
            self.put(0, Role.CATEGORY, block[0].level1, height=rows, choice=Choice.LEVEL1)
            for group in block:
                self.put(
                    1, Role.CATEGORY, group.level2, height=len(group.items), choice=Choice.LEVEL2
                )
                for item in group.items:
                    cells = _indicator_cells(item, self.form, extras) if item else ()
                    for column in range(2, self.width):
                        text = cells[column - 2] if cells else None
                        self.put(column, Role.TEXT, text)
                    self.row += 1


def _indicator_headings(form: Form, extras: bool) -> tuple[str, ...]:
    if form is Form.PROVINCIAL:
        values: tuple[str, ...] = (
            vocabulary.PERIOD_LABELS["half_year"],
            vocabulary.PERIOD_LABELS["full_year"],
        )
    else:
        values = (vocabulary.INDICATOR_VALUE_WORD,)
    more = (vocabulary.EXPLANATION_HEADERS[0], vocabulary.BASIS_HEADERS[0]) if extras else ()
    return (*vocabulary.INDICATOR_HEADER, *values, *more)


def _indicator_cells(item: Indicator, form: Form, extras: bool) -> tuple[str | None, ...]:
    values: tuple[str | None, ...] = (item.full_year.raw,)
    if form is Form.PROVINCIAL:
        values = (item.half_year.raw if item.half_year else None, *values)
    more = (item.explanation, form_words.basis_text(item.basis)) if extras else ()
    return (item.name, *values, *more)


def _level1_blocks(groups: list[Group]) -> list[list[Group]]:
    blocks: list[list[Group]] = []
    for group in groups:
        if blocks and blocks[-1][-1].same_level1(group):
            blocks[-1].append(group)
        else:
            blocks.append([group])
    return blocks


def _sources(funds: Funds, form: Form) -> list[tuple[str, Decimal | None]]:
    """The form's fund sources in its order, then any other the document has."""
    codes = _SOURCES[form]
    codes += tuple(code for code in funds.sources if code not in codes)
    return [(_source_label(code, form), funds.sources.get(code)) for code in codes]


def _source_label(code: str, form: Form) -> str:
    label = vocabulary.FUND_SOURCES.get(code, code)
    if form is Form.MUNICIPAL and code == "fiscal_appropriation":
        return form_words.AMONG + label
    return label
