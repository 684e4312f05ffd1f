"""The auditor's questions on a report — timeline, diff, blame — in the form's words."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from rich.table import Table

from api.cli.reports.common import console, reader, table_of
from api.cli.reports.views import ACTION_LABELS, BAND_LABELS, CAUSE_LABELS, LIKELIHOOD_LABELS
from domain import vocabulary
from domain.history import Change
from domain.model import Actor
from domain.reports import Basis, Stage
from domain.text import visible
from infra.bootstrap import NodeServices
from service_layer.report_history import ReportEntry
from service_layer.reports import ReportView
from service_layer.story import moment

EVENT_LABELS = {
    "Opened": "开启",
    "Reported": "填报",
    "Submitted": "提交",
    "SubmissionReceived": "收到报送",
    "Returned": "退回",
    "Approved": "审核通过",
    "Accepted": "认可自评得分",
    "Rechecked": "复核",
}


def timeline(services: NodeServices, stage: Stage, table: str, month: int | None) -> None:
    who = reader(services)
    table_id = table_of(services, table)
    entries = services.report_history.timeline(who, stage, table_id, month)
    labels = _path_labels(services.reports.report(who, stage, table_id, month))
    view = Table("版本", "时间", "操作人", "操作", "变更", "原因", show_lines=True)
    for entry in entries:
        view.add_row(
            str(entry.version),
            _moment(entry),
            _who(entry.actor),
            EVENT_LABELS.get(entry.event_type, entry.event_type),
            "\n".join(_change_text(change, labels) for change in entry.changes),
            visible(entry.reason or ""),
        )
    console.print(view)


def diff(
    services: NodeServices,
    stage: Stage,
    table: str,
    month: int | None,
    before: int,
    after: int,
) -> None:
    who = reader(services)
    table_id = table_of(services, table)
    found = services.report_history.diff(who, stage, table_id, month, before, after)
    labels = _path_labels(services.reports.report(who, stage, table_id, month))
    if not found:
        console.print(f"versions {before} and {after} are the same")
    for change in found:
        console.print(_change_text(change, labels), highlight=False)


def blame(services: NodeServices, stage: Stage, table: str, month: int | None) -> None:
    who = reader(services)
    table_id = table_of(services, table)
    lines = services.report_history.blame(who, stage, table_id, month)
    labels = _path_labels(services.reports.report(who, stage, table_id, month))
    view = Table("字段", "当前值", "版本", "时间", "操作人", "原因")
    for line in lines:
        entry = line.entry
        view.add_row(
            labels(line.path),
            _value_text(line.path, line.value)[:60],
            str(entry.version),
            _moment(entry),
            "" if entry.actor is None else visible(entry.actor.name),
            visible(entry.reason or ""),
        )
    console.print(view)


def _moment(entry: ReportEntry) -> str:
    return moment(entry.at.isoformat())


def _who(actor: Actor | None) -> str:
    if actor is None:
        return ""
    role = vocabulary.ROLE_LABELS[actor.role.value]
    return f"{visible(actor.name)}\n{role} {visible(actor.jurisdiction)}"


def _change_text(change: Change, labels: Callable[[str], str]) -> str:
    before = _value_text(change.path, change.before)
    after = _value_text(change.path, change.after)
    return f"{labels(change.path)}: {before} → {after}"


def _value_text(path: str, value: str | None) -> str:
    """A stored value in the form's words: ``approved`` → 已审核通过, ``POSSIBLE`` → 有可能."""
    if value is None:
        return "(空)"
    field = path.rsplit(".", 1)[-1]
    if path == "status":
        return vocabulary.STATUS_LABELS.get(value, value)
    if path == "review.action":
        return ACTION_LABELS.get(value, value)
    words: Mapping[str, str] = {}
    if path.startswith("lines."):
        words = _CHOICE_WORDS.get(field, {})
    if field == "causes":
        return "、".join(words.get(item, item) for item in value.split(","))
    return visible(words.get(value, value))


_FIELD_LABELS = {
    "status": "状态",
    "budget.full_year": "全年预算数",
    "budget.forecast": "全年预计执行数",
    "goal.progress": "年度总体目标执行情况",
    "goal.result": "年度总体目标实际完成情况",
    "conclusion": "评价结论",
    "problems": "存在问题",
    "measures": "改进措施",
    "review.action": "审核操作",
    "review.reason": "审核意见",
    "review.score": "复核得分",
    "received.version": "收到的版本",
}
_LINE_LABELS = {
    "actual_to_date": "执行情况",
    "year_end_forecast": "全年预计完成情况",
    "likelihood": "可能性",
    "causes": "偏差原因",
    "cause_note": "原因说明",
    "measures": "纠偏措施",
    "actual": "实际完成值",
    "weight": "分值",
    "band": "完成程度",
    "score": "得分",
    "explanation": "偏差原因分析及改进措施",
}


_CHOICE_WORDS: dict[str, dict[str, str]] = {
    "likelihood": {choice.value: label for choice, label in LIKELIHOOD_LABELS.items()},
    "causes": {choice.value: label for choice, label in CAUSE_LABELS.items()},
    "band": {choice.value: label for choice, label in BAND_LABELS.items()},
}


def _path_labels(view: ReportView) -> Callable[[str], str]:
    """A report's paths in the form's words: ``lines.<id>.measures`` → ``<指标> 纠偏措施``."""
    names = _names(view.basis)
    month = view.through_month
    executed = f"1–{month}月执行数" if view.stage is Stage.MONITORING else "全年执行数"

    def label(path: str) -> str:
        if path == "budget.executed":
            return executed
        if path in _FIELD_LABELS:
            return _FIELD_LABELS[path]
        parts = path.split(".")
        if len(parts) == 3 and parts[0] == "lines":
            name = names.get(parts[1], parts[1])
            field = _LINE_LABELS.get(parts[2], parts[2])
            if parts[2] == "actual_to_date":
                field = f"1–{month}月{field}"
            return f"{name} {field}"
        if len(parts) == 3 and parts[:2] == ["review", "lines"]:
            return f"{names.get(parts[2], parts[2])} 审核意见"
        return path

    return label


def _names(basis: Basis) -> dict[str, str]:
    return {target.indicator_id: visible(target.name) for target in basis.targets}
