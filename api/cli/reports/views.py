"""Reports as people read them in a terminal, laid out like the official forms."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from api.cli.reports.output import raw_text
from domain import vocabulary
from domain.evaluation import Scorecard
from domain.monitoring import MonitoringLine
from domain.reports import ReportDecision, Stage
from domain.scoring import Band, Cause, Light, Likelihood
from service_layer.reports import ReportView

LIGHT_WORDS = {Light.RED: "红灯", Light.YELLOW: "黄灯", Light.GREEN: "绿灯"}
LIGHT_STYLES = {Light.RED: "bold red", Light.YELLOW: "bold yellow", Light.GREEN: "bold green"}
LIKELIHOOD_LABELS = {
    Likelihood.CERTAIN: "确定能",
    Likelihood.POSSIBLE: "有可能",
    Likelihood.IMPOSSIBLE: "完全不可能",
}
CAUSE_LABELS = {
    Cause.FUNDING: "经费保障",
    Cause.SYSTEM: "制度保障",
    Cause.STAFF: "人员保障",
    Cause.HARDWARE: "硬件条件保障",
    Cause.OTHER: "其他",
}
BAND_LABELS = {Band.ACHIEVED: "达成", Band.PARTLY: "部分达成", Band.NOT_ACHIEVED: "未达成"}
ACTION_LABELS = {"approve": "审核通过", "return": "退回", "recheck": "复核"}


def status_label(view: ReportView) -> str:
    return vocabulary.STATUS_LABELS[view.status.value]


def light_text(light: Light | None) -> Text:
    """红灯 RED, 黄灯 YELLOW or 绿灯 GREEN, in its colour; empty until there is a light."""
    if light is None:
        return Text("")
    return Text(f"{LIGHT_WORDS[light]} {light.value}", style=LIGHT_STYLES[light])


def _header(view: ReportView, period: str) -> Table:
    basis = view.basis
    header = Table.grid(padding=(0, 2))
    header.add_column(style="bold")
    header.add_column()
    header.add_row("项目名称", basis.project_name)
    header.add_row("主管部门", basis.department)
    header.add_row("期间", period)
    header.add_row("依据", f"绩效目标表第 {basis.table_version} 版 ({basis.table_id})")
    if view.received:
        header.add_row("报送单位", basis.jurisdiction)
    header.add_row("状态", f"{status_label(view)} (版本 {view.version})")
    return header


def monitoring_view(view: ReportView) -> RenderableType:
    """A round as the 项目支出绩效目标执行监控表 reads, with the lights beside it."""
    basis, form, figures = view.basis, view.monitoring, view.figures
    month = view.through_month or 0
    period = f"{basis.fiscal_year}年1–{month}月"
    parts: list[RenderableType] = [_header(view, period)]
    budget = Table(box=box.SQUARE, title="项目资金 (万元)", title_justify="left")
    for label in ("年度资金总额", f"1–{month}月执行数", "全年预计执行数", "执行率", "执行灯"):
        budget.add_column(label, justify="right" if label != "执行灯" else "left")
    if form is not None and figures is not None:
        budget.add_row(
            _shown(basis.budget),
            _shown(form.budget_executed),
            _shown(form.budget_forecast),
            f"{figures.execution_rate}%",
            light_text(figures.execution_light),
        )
    parts.append(budget)
    if view.fault:
        parts.append(Text(view.fault, style="red"))
    if figures is not None and figures.watched:
        parts.append(_watched(view))
    lights = {} if figures is None else {item.indicator_id: item.light for item in figures.lights}
    lines = Table(box=box.SQUARE, title="绩效指标", title_justify="left")
    lines.add_column("指标", overflow="fold")
    for label in ("年度指标值", f"1–{month}月执行情况", "全年预计完成情况"):
        lines.add_column(label, overflow="fold")
    lines.add_column("可能性", no_wrap=True)
    lines.add_column("偏差原因", overflow="fold")
    lines.add_column("纠偏措施", overflow="fold")
    lines.add_column("灯", no_wrap=True)
    lines.add_column("id", style="dim", no_wrap=True)
    for target in basis.targets:
        line = None if form is None else form.line(target.indicator_id)
        lines.add_row(
            target.name,
            target.value.raw,
            raw_text(line and line.actual_to_date) or "",
            raw_text(line and line.year_end_forecast) or "",
            "" if line is None else LIKELIHOOD_LABELS[line.likelihood],
            "" if line is None else _causes(line),
            (line and line.measures) or "",
            light_text(lights.get(target.indicator_id)),
            target.indicator_id,
        )
    parts.append(lines)
    parts.extend(_missing(view))
    parts.extend(_decision(view))
    title = f"项目支出绩效目标执行监控表  ({period})"
    return Panel(Group(*parts), title=title, subtitle=str(view.report_id), box=box.ROUNDED)


def _watched(view: ReportView) -> Text:
    """重点监控, and the jurisdiction's rule that put the round under it."""
    text = Text("重点监控", style="bold red")
    rules = view.monitoring_rules
    if rules is not None:
        words = "/".join(LIGHT_WORDS[light] for light in rules.watch_lights)
        text.append(f"  (年度资金 ≥ {rules.watch_budget_from} 万元且执行{words})")
    return text


def evaluation_view(view: ReportView) -> RenderableType:
    """The self-evaluation as the 项目支出绩效自评表 reads: scores, total, grade, 复核."""
    basis, form, card = view.basis, view.evaluation, view.scorecard
    rules = view.evaluation_rules
    period = f"{basis.fiscal_year}年度"
    parts: list[RenderableType] = [_header(view, period)]
    budget = Table(box=box.SQUARE, title="项目资金 (万元)", title_justify="left")
    for label in ("年初预算数", "全年预算数", "全年执行数", "执行率", "分值", "得分"):
        budget.add_column(label, justify="right")
    if form is not None and card is not None:
        budget.add_row(
            _shown(basis.budget),
            _shown(form.budget_full_year),
            _shown(form.budget_executed),
            f"{card.execution_rate}%",
            "" if rules is None else _shown(rules.execution_weight),
            _shown(card.execution_score),
        )
    parts.append(budget)
    if form is not None and form.budget_note:
        parts.append(Text(f"{vocabulary.BUDGET_NOTE_LABEL}：{form.budget_note}"))
    if view.fault:
        parts.append(Text(view.fault, style="red"))
    scored = {} if card is None else {line.indicator_id: line for line in card.lines}
    lines = Table(box=box.SQUARE, title="绩效指标", title_justify="left")
    for label in ("指标", "年度指标值", "实际完成值"):
        lines.add_column(label, overflow="fold")
    lines.add_column("分值", justify="right")
    lines.add_column("得分", justify="right")
    lines.add_column("完成程度")
    lines.add_column("偏差原因分析及改进措施", overflow="fold")
    lines.add_column("id", style="dim", no_wrap=True)
    for target in basis.targets:
        line = scored.get(target.indicator_id)
        given = None if form is None else form.line(target.indicator_id)
        explanation = Text((given and given.explanation) or "")
        if line is not None and line.explanation_required and not explanation:
            explanation = Text("(需说明)", style="yellow")
        lines.add_row(
            target.name,
            target.value.raw,
            raw_text(line and line.actual) or "",
            "" if line is None else _shown(line.weight),
            "" if line is None else _shown(line.score),
            "" if line is None or line.band is None else BAND_LABELS[line.band],
            explanation,
            target.indicator_id,
        )
    parts.append(lines)
    if card is not None:
        parts.append(_totals(card, view.decision))
    if form is not None:
        for label, text in (
            ("评价结论", form.conclusion),
            ("存在问题", form.problems),
            ("改进措施", form.measures),
        ):
            if text:
                parts.append(Panel(text, title=label, title_align="left", box=box.MINIMAL))
    parts.extend(_missing(view))
    parts.extend(_decision(view))
    title = f"项目支出绩效自评表  ({period})"
    return Panel(Group(*parts), title=title, subtitle=str(view.report_id), box=box.ROUNDED)


def _totals(card: Scorecard, decision: ReportDecision | None) -> Table:
    totals = Table.grid(padding=(0, 2))
    totals.add_column(style="bold")
    totals.add_column()
    totals.add_row("总分", f"{card.total}  自评等级: {card.grade}")
    if decision is not None and decision.score is not None:
        totals.add_row("复核得分", Text(str(decision.score), style="bold"))
    return totals


def _causes(line: MonitoringLine) -> str:
    text = "、".join(CAUSE_LABELS[cause] for cause in line.causes)
    if line.cause_note:
        text = f"{text}：{line.cause_note}" if text else line.cause_note
    return text


def _missing(view: ReportView) -> list[RenderableType]:
    if not view.missing:
        return []
    listed = Text("待填:\n", style="yellow")
    listed.append("\n".join(f"  {gap}" for gap in view.missing))
    return [listed]


def _decision(view: ReportView) -> list[RenderableType]:
    decision = view.decision
    if decision is None:
        return []
    names = {target.indicator_id: target.name for target in view.basis.targets}
    label = ACTION_LABELS.get(decision.action, decision.action)
    if view.stage is Stage.SELF_EVALUATION and decision.action == "approve":
        label = "认可自评得分"
    who = decision.actor
    text = Text("审核意见: ", style="bold")
    role = vocabulary.ROLE_LABELS[who.role.value]
    text.append(f"{label} (第 {decision.version} 版) — {who.name}, {role} ")
    text.append(who.jurisdiction)
    if decision.reason:
        text.append(f"\n原因: {decision.reason}")
    for indicator, comment in decision.line_comments:
        text.append(f"\n  {names.get(indicator, indicator)}: {comment}")
    return [text]


def monitoring_overview(views: Sequence[ReportView]) -> Table:
    view_table = Table(box=box.SIMPLE_HEAD, title="绩效运行监控", title_justify="left")
    for label in ("id", "单位", "项目名称", "截至", "状态", "版本", "执行率", "执行灯", "重点监控"):
        view_table.add_column(label, overflow="fold", no_wrap=label != "项目名称")
    for view in views:
        figures = view.figures
        view_table.add_row(
            view.basis.table_id[:8],
            view.basis.jurisdiction,
            view.basis.project_name,
            f"{view.through_month}月",
            status_label(view),
            str(view.version),
            "" if figures is None else f"{figures.execution_rate}%",
            light_text(None if figures is None else figures.execution_light),
            Text("重点监控", style="bold red") if figures and figures.watched else "",
        )
    return view_table


def evaluation_overview(views: Sequence[ReportView]) -> Table:
    view_table = Table(box=box.SIMPLE_HEAD, title="绩效自评", title_justify="left")
    for label in ("id", "单位", "项目名称", "状态", "版本", "自评得分", "等级", "复核得分"):
        view_table.add_column(label, overflow="fold", no_wrap=label != "项目名称")
    for view in views:
        card, decision = view.scorecard, view.decision
        view_table.add_row(
            view.basis.table_id[:8],
            view.basis.jurisdiction,
            view.basis.project_name,
            status_label(view),
            str(view.version),
            "" if card is None else str(card.total),
            "" if card is None else card.grade,
            "" if decision is None or decision.score is None else str(decision.score),
        )
    return view_table


def _shown(amount: Decimal | None) -> str:
    return "" if amount is None else str(amount)
