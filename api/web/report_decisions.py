"""提交上级审核 and the reviewer's decision on a monitoring round (通过 / 退回) or a
self-evaluation (接受 / 复核 / 退回): ``…/monitoring/{month}/submit|decision`` and
``…/evaluation/submit|decision``. A refusal answers the page again, with what was typed kept."""

from __future__ import annotations

from decimal import Decimal

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.web.report_evaluation import show_evaluation
from api.web.report_forms import Problem
from api.web.report_monitoring import show_monitoring
from api.web.report_views import status_words
from api.web.reports import (
    REFUSED,
    Decided,
    Loaded,
    NotHere,
    Shown,
    abilities,
    form_field,
    load,
    month_of,
    not_here,
    refusal_words,
    refused_by,
    stage_of,
)
from api.web.session import Changing, Viewer, node_of
from domain import errors
from domain.access import Operation
from domain.reports import ReportStatus, Stage
from domain.scoring import ScoringInvalid
from infra.bootstrap import NodeServices
from service_layer.errors import InvalidArgument
from service_layer.reports import ReportView, UnknownReport

router = APIRouter()

DECISIONS = {
    Stage.MONITORING: {"approve": "通过", "return": "退回"},
    Stage.SELF_EVALUATION: {"approve": "接受", "recheck": "复核", "return": "退回"},
}


@router.post("/tables/{table_id}/monitoring/{month}/submit", response_class=HTMLResponse)
async def submit_monitoring(
    request: Request, viewer: Changing, table_id: str, month: str
) -> Response:
    form = await request.form()
    version, reason = form_field(form, "version"), form_field(form, "reason")
    return await run_in_threadpool(_submit, request, viewer, table_id, month, version, reason)


@router.post("/tables/{table_id}/monitoring/{month}/decision", response_class=HTMLResponse)
async def decide_monitoring(
    request: Request, viewer: Changing, table_id: str, month: str
) -> Response:
    """通过 (``decision=approve``) or 退回 (``decision=return``, reason required,
    ``comment-<indicator id>`` optional)."""
    form = await request.form()
    decision = form_field(form, "decision")
    return await run_in_threadpool(
        _decide, request, viewer, table_id, month, decision, Decided.of(form)
    )


@router.post("/tables/{table_id}/evaluation/submit", response_class=HTMLResponse)
async def submit_evaluation(request: Request, viewer: Changing, table_id: str) -> Response:
    form = await request.form()
    version, reason = form_field(form, "version"), form_field(form, "reason")
    return await run_in_threadpool(_submit, request, viewer, table_id, None, version, reason)


@router.post("/tables/{table_id}/evaluation/decision", response_class=HTMLResponse)
async def decide_evaluation(request: Request, viewer: Changing, table_id: str) -> Response:
    """接受 (``decision=approve``), 复核 (``decision=recheck``: ``score`` and ``reason``) or
    退回 (``decision=return``: ``reason``, ``comment-<indicator id>`` optional)."""
    form = await request.form()
    decision = form_field(form, "decision")
    return await run_in_threadpool(
        _decide, request, viewer, table_id, None, decision, Decided.of(form)
    )


def _show(
    request: Request, viewer: Viewer, loaded: Loaded, month: int | None, shown_: Shown
) -> HTMLResponse:
    if month is None:
        return show_evaluation(request, viewer, loaded, shown_)
    return show_monitoring(request, viewer, loaded, month, shown_)


def _submit(
    request: Request, viewer: Viewer, table_id: str, month: str | None, version: str, reason: str
) -> Response:
    """提交上级审核: the report at the version the page showed."""
    node = node_of(request)
    try:
        chosen = month_of(month) if month is not None else None
        loaded = load(node, viewer, table_id, chosen)
    except NotHere as error:
        return not_here(request, viewer, error)
    path = request.url.path.removesuffix("/submit")
    try:
        if not (version.isdigit() and len(version) <= 9):
            raise InvalidArgument("version", f"{version!r} is not a version")
        node.reports.submit(
            viewer.actor, stage_of(chosen), loaded.table_id, chosen, int(version), reason or None
        )
    except UnknownReport:
        problem = Problem("请先保存报告，再提交上级审核。")
        return _show(
            request, viewer, loaded, chosen, Shown(problems=(problem,), status_code=REFUSED)
        )
    except (errors.DomainError, InvalidArgument) as error:
        return _show(request, viewer, loaded, chosen, refused_by(error))
    node.relay.nudge()
    return RedirectResponse(path, status_code=303)


def _decide(
    request: Request,
    viewer: Viewer,
    table_id: str,
    month: str | None,
    decision: str,
    decided: Decided,
) -> Response:
    node = node_of(request)
    try:
        chosen = month_of(month) if month is not None else None
        loaded = load(node, viewer, table_id, chosen)
    except NotHere as error:
        return not_here(request, viewer, error)
    stage = stage_of(chosen)
    view = loaded.view
    able = abilities(node, viewer, loaded)
    if view is None or not able.may_decide:
        if (
            view is not None
            and view.status is not ReportStatus.SUBMITTED
            and _reviewer(node, viewer, view)
        ):
            return _show(request, viewer, loaded, chosen, _stale(view))
        raise errors.Forbidden("您的身份无权审核该报告，或该报告没有待审核的报送。")
    problem, score = _decision_problem(stage, loaded, decision, decided)
    if problem is not None:
        shown_ = Shown(decided=decided, decide_problem=problem, status_code=REFUSED)
        return _show(request, viewer, loaded, chosen, shown_)
    try:
        node.reports.decide(
            viewer.actor,
            stage,
            loaded.table_id,
            chosen,
            decision,
            view.version,
            decided.reason or None,
            score=score,
            line_comments=decided.comments if decision == "return" else None,
        )
    except (errors.TransitionRefused, errors.VersionConflict):
        fresh = load(node, viewer, table_id, chosen)
        return _show(request, viewer, fresh, chosen, _stale(fresh.view))
    except (errors.DomainError, InvalidArgument) as error:
        if isinstance(error, errors.Forbidden):
            raise
        words = _decision_words(error)
        shown_ = Shown(decided=decided, decide_problem=words, status_code=REFUSED)
        return _show(request, viewer, loaded, chosen, shown_)
    node.relay.nudge()
    return RedirectResponse(request.url.path.removesuffix("/decision"), status_code=303)


def _reviewer(node: NodeServices, viewer: Viewer, view: ReportView) -> bool:
    jurisdiction = view.basis.jurisdiction if view.received else None
    return node.gate.allows(viewer.actor, Operation.REVIEW, jurisdiction)


def _stale(view: ReportView | None) -> Shown:
    if view is None or view.decision is None:
        words = "该报告当前不是待审核状态，不能审核；您的审核未保存。"
    else:
        who = view.decision.actor.name
        words = f"该报告已由 {who} 审核（{status_words(view)}），不能再次审核；您的审核未保存。"
    return Shown(decide_problem=words, status_code=REFUSED)


def _decision_problem(
    stage: Stage, loaded: Loaded, decision: str, decided: Decided
) -> tuple[str | None, Decimal | None]:
    """What is wrong with the decision as typed, before asking the use case."""
    actions = DECISIONS[stage]
    if decision not in actions:
        return f"请点击“{'”或“'.join(actions.values())}”。", None
    known = {target.indicator_id for target in loaded.basis.targets}
    unknown = [name for name in decided.comments if name not in known]
    if unknown:
        return f"报告中没有这些指标：{'、'.join(unknown)}；请刷新页面后重试。", None
    if decision == "return" and not decided.reason:
        return "退回时必须填写审核意见（退回原因），请填写后再点击“退回”。", None
    if decision != "return" and decided.comments:
        return (
            f"您在 {len(decided.comments)} 个指标处填写了逐项意见：逐项意见只随“退回”保存。"
            f"如要{actions[decision]}，请先清空这些意见。"
        ), None
    if decision != "recheck":
        return None, None
    if not decided.score:
        return "复核时请填写复核得分。", None
    score = _score_of(decided.score)
    if score is None:
        return f"复核得分“{decided.score}”不是有效的数字，如 88.5。", None
    if not decided.reason:
        return "复核时必须填写复核意见（调整得分的理由）。", score
    return None, score


def _score_of(text: str) -> Decimal | None:
    try:
        score = Decimal(text) if len(text) <= 16 else None
    except ArithmeticError:
        return None
    return score if score is not None and score.is_finite() else None


def _decision_words(error: Exception) -> str:
    if isinstance(error, errors.ReasonRequired):
        return "请填写审核意见后再提交。"
    if isinstance(error, ScoringInvalid) and error.field == "score":
        return f"复核得分应在 0 到 100 分之间（{error}）。"
    if isinstance(error, errors.UnknownIndicator):
        return "报告中没有该指标；请刷新页面后重试。"
    return refusal_words(error)
