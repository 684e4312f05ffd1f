"""A table's history told in the words its users use (for replay and audit reports).

What people typed is shown with its invisible and bidi characters made visible (``⟨U+202E⟩``):
history shows what was stored, in the order it was stored.
"""

from __future__ import annotations

from domain import vocabulary
from domain.history import Change
from domain.text import visible

_EXPENDITURE_COLUMNS = {
    "name": "名称",
    "half_year": "半年(程)计划执行数",
    "full_year": "全年(程)预算数",
}


def event_label(event_type: str) -> str:
    return vocabulary.EVENT_LABELS.get(event_type, event_type)


def path_label(path: str, indicator_names: dict[str, str]) -> str:
    """``indicators.<id>.full_year`` → ``指标「新建界标」全年(程)指标值``, and so on."""
    parts = path.split(".")
    if parts[0] == "indicators" and len(parts) == 3:
        name = visible(indicator_names.get(parts[1], parts[1]))
        return f"指标「{name}」{vocabulary.PATH_LABELS.get(parts[2], parts[2])}"
    if parts[0] == "review" and len(parts) == 3 and parts[1] == "indicators":
        return f"审核意见「{visible(indicator_names.get(parts[2], parts[2]))}」"
    if parts[0] == "project" and len(parts) == 2:
        field = parts[1]
        return vocabulary.FIELD_LABELS.get(field) or vocabulary.PATH_LABELS.get(field, field)
    if parts[0] == "funds" and len(parts) == 3:
        return vocabulary.FUND_SOURCES.get(parts[2], parts[2])
    if parts[0].startswith("expenditures["):
        index = parts[0].removeprefix("expenditures[").rstrip("]")
        column = _EXPENDITURE_COLUMNS.get(parts[-1], parts[-1])
        return f"支出第{int(index) + 1}行{column}"
    if parts[0].startswith("empty_categories["):
        return "空指标类别"
    return vocabulary.PATH_LABELS.get(path, path)


def change_text(change: Change, indicator_names: dict[str, str]) -> str:
    label = path_label(change.path, indicator_names)
    before = _shown(change.path, change.before)
    after = _shown(change.path, change.after)
    if change.before is None:
        return f"{label}: {after}"
    if change.after is None:
        return f"{label}: 删除 {before}"
    return f"{label}: {before} → {after}"


def _shown(path: str, value: str | None) -> str:
    return "（无）" if value is None else value_words(path, value)


def value_words(path: str, value: str) -> str:
    """A stored value as people read it: 状态, 项目属性, 审核结论 and 设定依据 in their Chinese
    labels. Every history, diff, blame and audit view shows stored values through this."""
    if path == "status":
        return vocabulary.STATUS_LABELS.get(value, value)
    if path == "status.source":
        return vocabulary.STATUS_SOURCE_LABELS.get(value, value)
    if path == "review.action":
        return vocabulary.DECISION_LABELS.get(value, value)
    if path == "project.kind":
        return vocabulary.KIND_LABELS.get(value, value)
    if path.endswith(".basis"):  # ``plan: 《规划》`` → ``计划标准：《规划》``
        kind, _, text = value.partition(": ")
        label = vocabulary.BASIS_LABELS.get(kind, kind)
        return f"{label}：{visible(text)}" if text else label
    return visible(value)
