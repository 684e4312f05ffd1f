"""Terminal views of tables, laid out like the official forms, with Chinese labels."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from domain import vocabulary
from domain.document import TableDocument, document_of
from domain.finding_words import finding_text
from domain.findings import Finding, Severity
from domain.model import Form
from domain.table import TargetTable
from service_layer.store import ImportOutcome

_SOURCE_ORDER = list(vocabulary.FUND_SOURCES)


# Narrower than six Chinese characters, a name folds into a column of one-character (or, for a
# double-width character, blank) lines.
NAME_MIN_WIDTH = 12


def tables_overview(rows: Sequence[Any], console: Console) -> RenderableType:
    """A listing from the current-tables read model (no table is loaded from its events): a
    grid where the terminal is wide enough for it, else one entry per table, its name below."""
    cells = [_overview_cells(row) for row in rows]
    columns = zip(OVERVIEW_HEADINGS, *cells, strict=False)
    widths = [max(cell_len(text) for text in column) for column in columns]
    # Between two columns: a space each side and the box's divider; the box's edge each side.
    needed = sum(widths) + NAME_MIN_WIDTH + 3 * len(widths) + 2
    if needed <= console.width:
        return _tables_grid(rows, cells)
    return _tables_list(rows, cells)


OVERVIEW_HEADINGS = ("id", "年度", "项目属性", "状态", "版本", "万元", "指标", "错/警")


def _overview_cells(row: Any) -> tuple[str, ...]:
    """A table's facts beside its name, in the order of ``OVERVIEW_HEADINGS``."""
    return (
        row.id[:8],
        str(row.fiscal_year),
        vocabulary.KIND_LABELS[row.kind],
        vocabulary.STATUS_LABELS[row.status],
        str(row.version),
        row.funds_total or "",
        str(row.indicator_count),
        f"{row.error_count}/{row.warning_count}",
    )


def _tables_list(rows: Sequence[Any], cells: list[tuple[str, ...]]) -> RenderableType:
    entries: list[RenderableType] = [Text("绩效目标表", style="bold")]
    for row, (key, year, kind, status, version, funds, count, _) in zip(rows, cells, strict=True):
        facts = Text(f"{key}  ")
        facts.append(status, style="bold")
        facts.append(f"  版本 {version}  {kind}  {year}年度  {funds or '—'} 万元  指标 {count}  ")
        facts.append("错/警 ")
        facts.append_text(_counts(row.error_count, row.warning_count))
        entries += [facts, Padding(Text(row.name), (0, 0, 0, 2))]
    return Group(*entries)


def _tables_grid(rows: Sequence[Any], cells: list[tuple[str, ...]]) -> Table:
    view = Table(
        box=box.SIMPLE_HEAD,
        title="绩效目标表",
        title_justify="left",
        padding=(0, 1),
        pad_edge=False,
    )
    for column in OVERVIEW_HEADINGS[:5]:
        view.add_column(column, no_wrap=True)
    view.add_column("项目名称", overflow="fold", ratio=1, min_width=NAME_MIN_WIDTH)
    view.add_column("万元", no_wrap=True, justify="right")
    view.add_column("指标", no_wrap=True, justify="right")
    view.add_column("错/警", no_wrap=True)
    for row, facts in zip(rows, cells, strict=True):
        counts = _counts(row.error_count, row.warning_count)
        view.add_row(*facts[:5], row.name, *facts[5:7], counts)
    return view


def import_report(outcomes: Sequence[ImportOutcome]) -> Table:
    view = Table(box=box.SIMPLE, title="导入结果", title_justify="left")
    for column in ("id", "项目名称", "结果", "新事件"):
        view.add_column(column)
    for outcome in outcomes:
        result = "新建" if outcome.created else ("已更新" if outcome.events else "无变化")
        view.add_row(str(outcome.table_id)[:8], outcome.name, result, str(outcome.events))
    return view


def table_form(table: TargetTable) -> RenderableType:
    """The table as the printed form: header cells, funds, goals, then the indicator grid."""
    project, funds = table.content.project, table.content.funds
    title = f"{vocabulary.FORM_TITLES[table.form.value]}  ({table.fiscal_year}年度)"
    header = Table.grid(padding=(0, 2))
    header.add_column(style="bold")
    header.add_column()
    department = project.department
    if project.department_code:
        department = f"{project.department_code}-{department}"
    rows = [
        ("项目名称", project.name),
        ("主管部门", department),
        ("实施单位", project.implementing_unit),
        ("项目属性" if table.form is Form.MUNICIPAL else "项目类型", project.kind_label),
        ("项目级次", project.level),
        ("项目期间", f"{project.start or ''} — {project.end or ''}"),
        ("项目负责人/联系电话", project.manager),
        ("上年结转自", project.carried_over_from),
        ("状态", f"{vocabulary.STATUS_LABELS[table.status.value]} (版本 {table.version})"),
    ]
    for label, value in rows:
        if value:
            header.add_row(label, value)
    parts: list[RenderableType] = [header, _funds(table), *_narratives(table), _indicators(table)]
    if funds.total is None:
        parts.append(Text("资金总额缺失", style="red"))
    findings = table.findings()
    if findings:
        parts.append(findings_view(findings, document_of(table)))
    return Panel(Group(*parts), title=title, subtitle=str(table.id), box=box.ROUNDED)


def _funds(table: TargetTable) -> Table:
    funds = table.content.funds
    view = Table(box=box.SQUARE, title="项目资金 (万元)", title_justify="left", show_header=False)
    view.add_column("label")
    view.add_column("amount", justify="right")
    view.add_row(Text("资金总额", style="bold"), _amount(funds.total))
    for code in sorted(funds.sources, key=_SOURCE_ORDER.index):
        view.add_row(f"  {vocabulary.FUND_SOURCES[code]}", _amount(funds.sources[code]))
    lines = table.content.expenditures
    if lines:
        view.add_section()
        view.add_row(Text("支出  (半年计划执行数 / 全年预算数)", style="bold"), "")
        for line in lines:
            view.add_row(
                f"  {line.name or '(未命名)'}",
                f"{_amount(line.half_year)} / {_amount(line.full_year)}",
            )
    return view


def _narratives(table: TargetTable) -> list[RenderableType]:
    project, goals = table.content.project, table.content.goals
    texts = [
        ("立项必要性", project.necessity),
        ("实施可行性", project.feasibility),
        ("项目实施内容", project.content),
        ("中长期目标", goals.long_term),
        ("年度绩效目标" if table.form is Form.MUNICIPAL else "年度目标", goals.annual),
    ]
    return [
        Panel(text, title=label, title_align="left", box=box.MINIMAL)
        for label, text in texts
        if text
    ]


def _indicators(table: TargetTable) -> Table:
    provincial = table.form is Form.PROVINCIAL
    view = Table(box=box.SQUARE, show_lines=False, title="绩效指标", title_justify="left")
    view.add_column("一级指标", no_wrap=True)
    view.add_column("二级指标", no_wrap=True)
    view.add_column("三级指标", overflow="fold", ratio=1, min_width=10)
    for label in ("半年(程)", "全年(程)") if provincial else ("指标值",):
        view.add_column(label, no_wrap=True)
    view.add_column("id", style="dim", no_wrap=True, min_width=12)
    previous: tuple[str, str] = ("", "")
    for item in table.content.indicators:
        level1 = item.level1 if item.level1_code != previous[0] else ""
        level2 = item.level2 if (item.level1_code, item.level2_code) != previous else ""
        if level1:
            view.add_section()
        values = (
            [item.half_year.raw if item.half_year else "", item.full_year.raw]
            if provincial
            else [item.full_year.raw]
        )
        view.add_row(level1, level2, item.name, *values, item.id)
        previous = (item.level1_code, item.level2_code)
    for category in table.content.empty_categories:
        blanks = [""] * (2 if provincial else 1)
        view.add_row(
            category.level1, category.level2, Text("(无指标)", style="yellow"), *blanks, ""
        )
    return view


def findings_view(findings: Sequence[Finding], document: TableDocument | None = None) -> Table:
    """Each finding as the workbench says it (with ``document``, naming its cell); the code
    stays beside it for operators."""
    view = Table(box=box.SIMPLE, title="审核发现", title_justify="left")
    view.add_column("级别", no_wrap=True)
    view.add_column("说明", overflow="fold", ratio=1)
    view.add_column("代码", overflow="fold", style="dim")
    for finding in findings:
        style = "red" if finding.severity is Severity.ERROR else "yellow"
        label = "错误" if finding.severity is Severity.ERROR else "提示"
        view.add_row(Text(label, style=style), finding_text(finding, document), finding.code)
    return view


def _counts(errors: int, warnings: int) -> Text:
    text = Text()
    text.append(str(errors), style="red" if errors else "dim")
    text.append("/")
    text.append(str(warnings), style="yellow" if warnings else "dim")
    return text


def _amount(amount: Decimal | None) -> str:
    return "" if amount is None else str(amount)
