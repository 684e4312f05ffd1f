"""A table document laid out as its printed form, cell by cell.

Every cell carries the history path that names it (``project.name``, ``funds.sources.other``,
``expenditures[0].full_year``, ``indicators.<id>.full_year``), so that editing, review, blame
and diff all address the same cells. How a cell is drawn is up to a ``Cells`` renderer: the
form page makes them editable, the review page comments on them, the history page blames them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from markupsafe import Markup, escape

from domain import vocabulary
from domain.document import TableDocument
from domain.findings import Finding, Severity
from domain.history import Change
from domain.model import Decision, Form, Indicator, SubmissionNote

PROVINCIAL_SOURCES = (
    "general_public_budget",
    "government_fund",
    "state_capital",
    "social_insurance_fund",
    "special_account",
    "prior_year_carryover",
    "other",
)
MUNICIPAL_SOURCES = ("fiscal_appropriation", "other")
SOURCE_LABELS = {**vocabulary.FUND_SOURCES, "fiscal_appropriation": "其中:财政拨款"}


@dataclass(frozen=True)
class Cell:
    """One cell of the form: what it says, and how people and history name it."""

    path: str
    text: str | None
    label: str
    amount: bool = False
    long: bool = False
    field: str | None = None  # ``full_year`` / ``half_year`` on indicator value cells
    choices: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Level2Group:
    label: str
    code: str
    indicators: tuple[Indicator, ...]

    @property
    def rows(self) -> int:
        return max(1, len(self.indicators))


@dataclass(frozen=True)
class Level1Group:
    label: str
    code: str
    groups: tuple[Level2Group, ...]

    @property
    def rows(self) -> int:
        return sum(group.rows for group in self.groups)


@dataclass
class Marks:
    """Findings by the path of the cell or row they are about."""

    by_path: dict[str, Severity] = field(default_factory=dict)

    @classmethod
    def of(cls, findings: tuple[Finding, ...]) -> Marks:
        marks = cls()
        for finding in findings:
            path = _cell_path(finding.path)
            if marks.by_path.get(path) is not Severity.ERROR:
                marks.by_path[path] = finding.severity
        return marks

    def css(self, *paths: str) -> str:
        found = [self.by_path.get(path) for path in paths]
        if Severity.ERROR in found:
            return "bad-cell"
        return "warn-cell" if Severity.WARNING in found else ""


def _cell_path(path: str) -> str:
    """``indicators[abc].full_year`` (a finding) → ``indicators.abc.full_year`` (a cell)."""
    if path.startswith("indicators[") and "]" in path:
        inner, _, rest = path.removeprefix("indicators[").partition("]")
        return f"indicators.{inner}{rest}"
    return path


@dataclass(frozen=True)
class SheetView:
    """Everything the form template needs, computed once from a document."""

    document: TableDocument
    decision: Decision | None = None
    note: SubmissionNote = field(default_factory=SubmissionNote)

    @property
    def provincial(self) -> bool:
        return self.document.form is Form.PROVINCIAL

    @property
    def title(self) -> str:
        return vocabulary.FORM_TITLES[self.document.form.value]

    @property
    def columns(self) -> int:
        return 5 if self.provincial else 4

    @property
    def marks(self) -> Marks:
        return Marks.of(self.document.findings)

    @property
    def errors(self) -> list[Finding]:
        return [item for item in self.document.findings if item.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [item for item in self.document.findings if item.severity is Severity.WARNING]

    def project(self, name: str) -> Cell:
        project = self.document.project
        label = vocabulary.FIELD_LABELS.get(name, name)
        if name == "kind":
            choices = tuple(vocabulary.KIND_LABELS.items())
            kind_label = "项目类型" if self.provincial else "项目属性"
            return Cell("project.kind", project.kind_label, kind_label, choices=choices)
        text = getattr(project, name)
        long = name in vocabulary.NARRATIVE_FIELDS
        return Cell(f"project.{name}", text, label, long=long)

    @property
    def period(self) -> str:
        """项目日期范围 of the municipal form: start to end, as the form prints it."""
        project = self.document.project
        return "-".join(part for part in (project.start, project.end) if part)

    def fund_total(self) -> Cell:
        total = self.document.funds.total
        label = "年度资金总额" if not self.provincial else "资金总额"
        return Cell("funds.total", _amount(total), label, amount=True)

    def fund_sources(self) -> list[Cell]:
        codes = PROVINCIAL_SOURCES if self.provincial else MUNICIPAL_SOURCES
        sources = self.document.funds.sources
        extra = [code for code in sources if code not in codes]
        return [
            Cell(
                f"funds.sources.{code}",
                _amount(sources.get(code)),
                SOURCE_LABELS.get(code, code),
                amount=True,
            )
            for code in (*codes, *extra)
        ]

    def expenditures(self) -> list[tuple[int, Cell, Cell, Cell]]:
        """Each 支出 line: its name, half-year plan and full-year budget cells."""
        found = []
        for index, line in enumerate(self.document.expenditures):
            prefix = f"expenditures[{index}]"
            found.append(
                (
                    index,
                    Cell(f"{prefix}.name", line.name, f"支出第{index + 1}行 名称"),
                    Cell(
                        f"{prefix}.half_year",
                        _amount(line.half_year),
                        f"支出第{index + 1}行 半年(程)计划执行数",
                        amount=True,
                    ),
                    Cell(
                        f"{prefix}.full_year",
                        _amount(line.full_year),
                        f"支出第{index + 1}行 全年(程)预算数",
                        amount=True,
                    ),
                )
            )
        return found

    def goal(self, name: str) -> Cell:
        text = getattr(self.document.goals, name)
        label = "年度目标" if name == "annual" and self.provincial else None
        return Cell(f"goals.{name}", text, label or vocabulary.FIELD_LABELS[name], long=True)

    def level1_groups(self) -> list[Level1Group]:
        """The indicator block in printed order: level-1 runs, level-2 runs inside them,
        and the empty categories the form prints (in their place, after their level 1)."""
        groups: list[Level1Group] = []
        for code, label, items in _runs(self.document.indicators, level=1):
            level2 = [
                Level2Group(label2, code2, tuple(run))
                for code2, label2, run in _runs(items, level=2)
            ]
            level2 += [
                Level2Group(empty.level2, empty.level2_code, ())
                for empty in self.document.empty_categories
                if empty.level1_code == code
            ]
            groups.append(Level1Group(label, code, tuple(level2)))
        present = {group.code for group in groups}
        orphans: dict[str, list[Level2Group]] = {}
        labels: dict[str, str] = {}
        for empty in self.document.empty_categories:
            if empty.level1_code not in present:
                labels[empty.level1_code] = empty.level1
                orphans.setdefault(empty.level1_code, []).append(
                    Level2Group(empty.level2, empty.level2_code, ())
                )
        groups += [Level1Group(labels[code], code, tuple(runs)) for code, runs in orphans.items()]
        return groups

    def name_cell(self, item: Indicator) -> Cell:
        return Cell(f"indicators.{item.id}.name", item.name, f"「{item.name}」三级指标")

    def value_cell(self, item: Indicator, period: str) -> Cell:
        value = item.half_year if period == "half_year" else item.full_year
        label = f"「{item.name}」{vocabulary.PERIOD_LABELS[period]}"
        if not self.provincial:
            label = f"「{item.name}」指标值"
        return Cell(
            f"indicators.{item.id}.{period}",
            None if value is None else value.raw,
            label,
            field=period,
        )

    def comment_at(self, item: Indicator) -> str | None:
        """The reviewer's comment at this indicator, when the table was returned."""
        if self.decision is None or self.decision.action != "return":
            return None
        return self.decision.indicator_comments.get(item.id)


def _runs(
    items: tuple[Indicator, ...] | list[Indicator], level: int
) -> Iterator[tuple[str, str, list[Indicator]]]:
    """Consecutive indicators under the same level-1 (or level-2) label."""
    run: list[Indicator] = []
    key: tuple[str, str] | None = None
    for item in items:
        here = (item.level1_code, item.level1) if level == 1 else (item.level2_code, item.level2)
        if key is not None and here != key:
            yield key[0], key[1], run
            run = []
        key = here
        run.append(item)
    if key is not None:
        yield key[0], key[1], run


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:,.2f}".replace(",", "")


def changed_cells(found: Iterable[Change]) -> frozenset[str]:
    """The cells that show ``found`` changes: each changed path, and an indicator's name for
    its parts without a cell of their own (category, explanation, basis)."""
    cells = set()
    for change in found:
        cells.add(change.path)
        head, _, part = change.path.rpartition(".")
        if head.startswith("indicators.") and part in _NAME_PARTS:
            cells.add(f"{head}.name")
    return frozenset(cells)


_NAME_PARTS = ("category", "explanation", "basis")


class Cells:
    """Draws each cell read-only: the text, marked by the findings about it, and ``changed``
    where it is among the ``changed`` cells (see ``changed_cells``)."""

    extra_heading: str | None = None
    extra_width = "16%"  # of the form's width, for the extra column

    def __init__(self, view: SheetView, changed: frozenset[str] = frozenset()) -> None:
        self.view = view
        self.marks = view.marks
        self.changed = changed

    def show(self, cell: Cell) -> Markup:
        return _text(cell)

    def css(self, cell: Cell, *more: str) -> str:
        classes = [self.marks.css(cell.path, *more)]
        if cell.amount:
            classes.append("amount")
        if cell.long:
            classes.append("long")
        if any(path in self.changed for path in (cell.path, *more)):
            classes.append("changed")
        return " ".join(item for item in classes if item)

    def row_extra(self, item: Indicator) -> Markup:
        """A cell after each indicator row (actions, review comments); none by default."""
        return Markup("")

    def group_extra(self, level1: str, level2: str) -> Markup:
        """A cell after an empty category's row; none by default."""
        return Markup("")


def _text(cell: Cell) -> Markup:
    if cell.text is None or cell.text == "":
        return Markup('<span class="cell-text"></span>')
    return Markup('<span class="cell-text">{}</span>').format(escape(cell.text))
