"""Refusals and findings in the words of the people using the workbench (Chinese).

The domain's messages are for engineers and logs; here each refusal says what happened in the
user's terms and what to do next. The engineer's message stays available as ``detail``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from domain import errors, vocabulary
from domain.finding_words import finding_text
from domain.model import Status
from service_layer.errors import InvalidArgument, Unauthenticated, UnknownTable

LOCKED_WHY = {
    Status.SUBMITTED.value: "该表已提交，正在等待上级审核，不能修改。",
    Status.APPROVED.value: "该表已审核通过，不能直接修改。",
}
LOCKED_NEXT = {
    Status.SUBMITTED.value: "请等待审核结果；如被退回，即可修改后重新提交。",
    Status.APPROVED.value: "如需修改，请点击“申请调整”并填写原因。",
}


def locked_lines(error: errors.ImportHitsLockedTables) -> list[str]:
    """Each table an import could not change, by its project name, its status and what to do:
    ``机动车污染防治项目：已提交，不能由导入修改。请等待审核结果；…``."""
    lines = []
    for name, status in error.locked:
        label = vocabulary.STATUS_LABELS.get(status, status)
        then = LOCKED_NEXT.get(status)
        lines.append(f"{name}：{label}，不能由导入修改。" + (then or ""))
    return lines


# Input refused by a business rule, and input that could not be read (by the field it names).
INVALID_EDITS: dict[type[Exception], str] = {
    errors.FullYearValueRequired: "全年指标值不能为空",
    errors.ProjectFieldRequired: "项目名称、主管部门和实施单位不能为空",
    errors.IndicatorNameRequired: "指标名称不能为空",
    errors.InvalidIndicatorId: "指标编号只能由字母、数字、“-”和“_”组成（不超过 64 个字符）",
    errors.CategoryRequired: "请选择二级指标",
    errors.UnknownCategory: "无法识别的一级指标",
    errors.UnknownProjectKind: "请选择当年项目、上年结转项目或常年安排项目",
    errors.UnknownIndicator: "找不到该指标（可能已被他人删除），请重新加载",
    errors.NoSuchExpenditureLine: "找不到该支出明细行（可能已被他人删除），请重新加载",
    errors.IndicatorPositionOutOfRange: "位置超出范围，请重新选择",
    errors.UnknownValueBasis: "无法识别的指标值设定依据",
}
ARGUMENT_WORDS = {
    "value": "值",
    "amount": "金额",
    "name": "名称",
    "fullYear": "全年指标值",
    "halfYear": "半年指标值",
    "line.name": "支出项目名称",
    "line.fullYear": "全年(程)预算数",
    "line.halfYear": "半年(程)计划执行数",
    "reason": "原因",
    "text": "内容",
    "explanation": "指标解释",
    "basis.text": "依据说明",
}
_TOO_LONG = re.compile(r"is (\d+) characters; the limit is (\d+)")


@dataclass(frozen=True)
class Refusal:
    """What the person sees when a change is refused."""

    kind: str  # conflict, locked, invalid, blocked, forbidden, transition, unknown
    message: str
    next_step: str | None = None
    detail: str | None = None
    field: str | None = None


def refusal_of(error: Exception, cell: str | None = None) -> Refusal:
    """A refusal for ``error``; ``cell`` names the cell being edited, as the person sees it."""
    detail = str(error)
    where = f"{cell}：" if cell else ""
    if isinstance(error, errors.VersionConflict):
        return Refusal(
            "conflict",
            f"保存时发现该表已被他人修改"
            f"（您编辑的是版本 {error.expected}，当前为版本 {error.current}）。",
            "请重新加载后再修改。",
            detail,
        )
    if isinstance(error, errors.TableLocked):
        why = LOCKED_WHY.get(error.status, f"该表当前状态为 {error.status}，不能修改。")
        return Refusal("locked", why, LOCKED_NEXT.get(error.status), detail)
    if isinstance(error, errors.SubmissionBlocked):
        listed = "；".join(finding_text(item) for item in error.findings)
        return Refusal(
            "blocked", f"表中还有 {len(error.findings)} 个错误，不能提交：{listed}", None, detail
        )
    if isinstance(error, errors.ReasonRequired):
        return Refusal("invalid", f"{where}请填写原因", None, detail, "reason")
    if isinstance(error, errors.TransitionRefused):
        return Refusal(
            "transition",
            f"当前状态下不能执行此操作（{detail}）",
            "请重新加载页面查看最新状态。",
            detail,
        )
    if isinstance(error, errors.InvalidEdit | InvalidArgument):
        field = getattr(error, "field", None)
        return Refusal("invalid", f"{where}输入有误：{invalid_words(error)}", None, detail, field)
    if isinstance(error, errors.Forbidden | Unauthenticated):
        return Refusal("forbidden", f"您的身份无权执行此操作（{detail}）", None, detail)
    if isinstance(error, UnknownTable):
        return Refusal("unknown", "本节点没有这张表", None, detail)
    raise error


def invalid_words(error: Exception) -> str:
    """What is wrong with the input, in the person's words (the engineer's text otherwise)."""
    for kind, words in INVALID_EDITS.items():
        if isinstance(error, kind):
            return words
    detail = str(error)
    if isinstance(error, errors.UnsafeText | InvalidArgument) and " contains U+" in detail:
        character = detail.partition(" contains ")[2]
        field = ARGUMENT_WORDS.get(error.field or "", error.field or "")
        return f"{field}含有不允许的字符 {character}（控制字符或双向文字控制符），请删除后再保存"
    if not isinstance(error, InvalidArgument):
        return detail
    field = ARGUMENT_WORDS.get(error.field, error.field)
    if " is not a value: " in detail:
        return (
            f"{field}不是有效的指标值：比较符（≥、≤ 等）后须为数值或日期，日期须真实存在，"
            "数值须为有限的普通写法（如 ≥66块、≤2026年6月30日、序时进度）"
        )
    if long := _TOO_LONG.search(detail):
        return f"{field}过长（{long[1]} 字，上限 {long[2]} 字）"
    if "not an amount" in detail:
        return "不是有效的金额，请填写以万元为单位的数字，如 36.20"
    if "cannot be empty" in detail:
        return f"{field}不能为空"
    if "needs its kind" in detail:
        return "填写依据说明前，请先选择指标值设定依据"
    return detail
