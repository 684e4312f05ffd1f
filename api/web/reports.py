"""运行监控 and 绩效自评 of an approved table: filled in by the bureau, decided on above.

``/tables/{id}/monitoring/{month}`` is the monitoring round to the end of a month (双监控: the
budget executed and each target's progress, forecast, likelihood and causes, with their lights;
report_monitoring.py); ``/tables/{id}/evaluation`` is the year-end self-evaluation, scored live
while typing (``/evaluation/preview`` scores the posted form and stores nothing;
report_evaluation.py). Both pages are also the reviewer's: read-only, with 通过 / 退回 (and
接受 / 复核 for a self-evaluation) for a reviewer who may decide on the report — at the parent's
node for a child's report received through sync, or at a root jurisdiction's own node for its
own (report_decisions.py, with 提交上级审核).

Every change goes through ``services.reports`` with the signed-in person as the actor. A
refused form answers the page again (200, like the review page) with every problem listed
beside the form and at its input, and everything typed kept. This module holds what the pages
share: loading the report, who may do what, and refusals in words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.datastructures import FormData

from api.web.render import page
from api.web.report_forms import Problem, Typed
from api.web.session import Viewer
from domain import errors, vocabulary
from domain.access import Operation
from domain.reports import EDITABLE, Basis, ReportLocked, ReportNotOpen, ReportStatus, Stage
from domain.scoring import ScoringInvalid
from infra.bootstrap import NodeServices
from service_layer.errors import InvalidArgument, UnknownTable
from service_layer.parsing import table_id_of
from service_layer.reports import ReportView, UnknownReport

# A refused form answers the page again with 200 (see review.py): the page says what was
# refused, and Chromium would log a 4xx page as a console error.
REFUSED = 200
COMMENT_FIELD = "comment-"
DEFAULT_MONTH = 6
MONTHS = range(1, 13)


class NotHere(Exception):
    """The page cannot be shown: no such report, a month out of range, a table not approved."""

    def __init__(self, title: str, message: str, status_code: int) -> None:
        super().__init__(message)
        self.title = title
        self.message = message
        self.status_code = status_code


@dataclass(frozen=True)
class Loaded:
    """What a report page is about: the approved table's targets, and the report if any."""

    table_id: UUID
    basis: Basis
    view: ReportView | None

    @property
    def version(self) -> int:
        return 0 if self.view is None else self.view.version


@dataclass
class Decided:
    """What the reviewer typed, shown back when the decision is refused."""

    reason: str = ""
    score: str = ""
    comments: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, form: FormData) -> Decided:
        comments = {
            name.removeprefix(COMMENT_FIELD): text.strip()
            for name, text in form.multi_items()
            if name.startswith(COMMENT_FIELD) and isinstance(text, str) and text.strip()
        }
        return cls(form_field(form, "reason"), form_field(form, "score"), comments)


@dataclass(frozen=True)
class Shown:
    """How the page is answered: what was refused (and where), what was typed."""

    typed: Typed | None = None
    problems: tuple[Problem, ...] = ()
    decided: Decided | None = None
    decide_problem: str | None = None
    notice: str | None = None
    status_code: int = 200


@dataclass(frozen=True)
class Abilities:
    may_edit: bool
    may_decide: bool
    editor: bool  # an editor of the bureau the report belongs to, whatever its status


def form_field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def stage_of(month: int | None) -> Stage:
    return Stage.MONITORING if month is not None else Stage.SELF_EVALUATION


# --- loading -------------------------------------------------------------------------------


def month_of(text: str) -> int:
    if not (text.isdigit() and len(text) <= 2 and int(text) in MONTHS):
        raise NotHere("没有这个月份", f"运行监控的截止月份应为 1–12 月，而不是“{text}”。", 404)
    return int(text)


def load(node: NodeServices, viewer: Viewer, table_id: str, month: int | None) -> Loaded:
    """The report on this node (its own, or a child's as received), or the approved table a
    new one would report on; ``Forbidden`` / ``UnknownTable`` go to the workbench's pages."""
    key = table_id_of(table_id)
    try:
        view = node.reports.report(viewer.actor, stage_of(month), key, month)
    except UnknownReport:
        view = None
    if view is not None:
        return Loaded(key, view.basis, view)
    try:
        return Loaded(key, node.reports.basis(viewer.actor, key), None)
    except UnknownTable:
        if node.gate.allows(viewer.actor, Operation.REVIEW_READ):
            what = f"1–{month}月的运行监控" if month is not None else "绩效自评"
            raise NotHere("找不到该报告", f"本节点没有收到该表{what}的报送。", 404) from None
        raise
    except ReportNotOpen as error:
        status = vocabulary.STATUS_LABELS.get(error.status, error.status)
        raise NotHere(
            "尚不能填报",
            f"该表当前状态为“{status}”：绩效目标表审核通过后，才能填报运行监控和绩效自评。",
            409,
        ) from None


def not_here(request: Request, viewer: Viewer, error: NotHere) -> HTMLResponse:
    return page(
        request,
        "refused.html",
        viewer,
        status_code=error.status_code,
        title=error.title,
        message=error.message,
    )


def abilities(node: NodeServices, viewer: Viewer, loaded: Loaded) -> Abilities:
    view = loaded.view
    own = view is None or not view.received
    editor = (
        own
        and loaded.basis.jurisdiction == node.place.code
        and node.gate.allows(viewer.actor, Operation.EDIT)
    )
    may_decide = False
    if view is not None and view.status is ReportStatus.SUBMITTED:
        if view.received:
            may_decide = node.gate.allows(viewer.actor, Operation.REVIEW, view.basis.jurisdiction)
        else:
            may_decide = node.place.is_root and node.gate.allows(viewer.actor, Operation.REVIEW)
    may_edit = editor and (view is None or view.status in EDITABLE)
    return Abilities(may_edit, may_decide, editor)


# --- refusing and answering ----------------------------------------------------------------


def refusal_words(error: Exception) -> str:
    """A refusal of the service that is not about one input, in the person's words."""
    if isinstance(error, errors.VersionConflict):
        return (
            f"保存时发现该报告已被他人修改（您编辑的是版本 {error.expected}，当前为版本 "
            f"{error.current}）；您填写的内容仍在下方，未保存。请另开页面查看最新内容后再保存。"
        )
    if isinstance(error, ReportLocked):
        return "该报告已提交或已审核通过，不能修改；如被退回，即可修改后重新提交。"
    if isinstance(error, errors.TransitionRefused):
        return f"该报告当前状态下不能执行此操作（{error}）；请刷新页面查看最新状态。"
    if isinstance(error, errors.Forbidden):
        return f"您的身份无权执行此操作（{error}）。"
    if isinstance(error, ReportNotOpen):
        return "该表当前不是审核通过状态，不能填报运行监控和绩效自评。"
    if isinstance(error, ScoringInvalid) and error.field == "tableId":
        return "该表没有填写年度资金总额，无法计算预算执行率，不能填报运行监控。"
    if isinstance(error, ScoringInvalid) and error.field == "lines":
        return "报告尚未填写完整，不能提交；请按下方“尚未填写”的提示补充后保存，再提交。"
    if isinstance(error, InvalidArgument):
        return f"输入有误：{error}"
    return f"未能保存：{error}"


def version_of(typed: Typed) -> int:
    text = typed.text("version")
    if not (text.isdigit() and len(text) <= 9):
        raise InvalidArgument("version", f"{text!r} is not a version")
    return int(text)


def refused(typed: Typed, problems: list[Problem]) -> Shown:
    if not problems:
        problems = [Problem("请填写带“*”的项目后再保存")]
    return Shown(typed=typed, problems=tuple(problems), status_code=REFUSED)


def refused_by(error: Exception, typed: Typed | None = None) -> Shown:
    """A refusal of the service, said above the form (403 when the person may not)."""
    status = 403 if isinstance(error, errors.Forbidden) else REFUSED
    return Shown(typed=typed, problems=(Problem(refusal_words(error)),), status_code=status)


def redirect_saved(path: str, version: int) -> RedirectResponse:
    return RedirectResponse(f"{path}?saved={version}", status_code=303)


def saved_notice(version: str) -> str | None:
    return f"已保存（版本 {version}）" if version.isdigit() and len(version) <= 9 else None
