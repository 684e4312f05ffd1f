"""The review page: one submitted version as it was submitted, what changed since the version
submitted before it, its findings, and the reviewer's decision (退回 with comments at the
indicators, or 审核通过).

Reading and deciding go through the same use cases as GraphQL (``Reading.submissions``,
``Workflow.approve`` / ``return_for_changes``), so only a reviewer who may decide on the table
can, whatever the form sends.
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import read_your_writes
from api.web.refusals import refusal_of
from api.web.render import page, shown_time
from api.web.review_view import (
    ACTIONS,
    COMMENT_FIELD,
    REVIEW_STATUS,
    Review,
    ReviewCells,
    Typed,
    finding_lines,
)
from api.web.session import Changing, SignedIn, Viewer, node_of
from api.web.sheet import SheetView, changed_cells
from domain import errors
from domain.access import Operation
from service_layer.errors import InvalidArgument, UnknownTable
from service_layer.parsing import table_id_of

router = APIRouter()
# A refused decision (stale, or no reason) answers the page again with the refusal on it and
# what was typed kept. Its status is 200 like any re-shown form: the page says what was refused,
# and Chromium would log a 4xx page as a console error. A forbidden decision is a 403.
REFUSED = 200


def _key(table_id: str) -> str | None:
    try:
        return str(table_id_of(table_id))
    except InvalidArgument:
        return None


def _load(request: Request, viewer: Viewer, table_id: str, version: str) -> Review | None:
    key = _key(table_id)
    if key is None or not version.isdigit() or len(version) > 9:
        return None
    try:
        found = node_of(request).reading.submissions(viewer.actor, key)
    except UnknownTable:
        return None
    return Review.of(found, key, int(version))


def _not_found(request: Request, viewer: Viewer, table_id: str, version: str) -> HTMLResponse:
    return page(
        request,
        "refused.html",
        viewer,
        status_code=404,
        title="找不到该报送",
        message=f"本节点没有收到编号为 {table_id} 的表的第 {version} 版报送。",
    )


def _show(
    request: Request,
    viewer: Viewer,
    review: Review,
    typed: Typed | None = None,
    problem: str | None = None,
    stale: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    node = node_of(request)
    may_decide = review.pending and node.gate.allows(
        viewer.actor, Operation.REVIEW, review.entry.jurisdiction
    )
    typed = typed or Typed()
    found = review.changes()
    view = SheetView(review.document)
    cells = ReviewCells(
        view, changed_cells(found), may_decide, typed.comments, review.stored_comments()
    )
    return page(
        request,
        "review.html",
        viewer,
        status_code=status_code,
        review=review,
        entry=review.entry,
        view=view,
        cells=cells,
        changes=review.shown_changes(found),
        findings=finding_lines(view),
        may_decide=may_decide,
        status_text=REVIEW_STATUS.get(review.entry.status, review.entry.status),
        typed=typed,
        problem=problem,
        stale=stale,
    )


@router.get("/review/{table_id}/{version}", response_class=HTMLResponse)
def review_page(request: Request, viewer: SignedIn, table_id: str, version: str) -> Response:
    review = _load(request, viewer, table_id, version)
    if review is None:
        return _not_found(request, viewer, table_id, version)
    return _show(request, viewer, review)


@router.post("/review/{table_id}/{version}", response_class=HTMLResponse)
async def decide(request: Request, viewer: Changing, table_id: str, version: str) -> Response:
    """退回 (``decision=return``, ``reason`` required, ``comment-<indicator id>``) or
    审核通过 (``decision=approve``, ``reason`` optional)."""
    form = await request.form()
    decision = str(form.get("decision") or "")
    typed = Typed(
        reason=str(form.get("reason") or "").strip(),
        comments={
            name.removeprefix(COMMENT_FIELD): text.strip()
            for name, text in form.multi_items()
            if name.startswith(COMMENT_FIELD) and isinstance(text, str) and text.strip()
        },
    )
    return await run_in_threadpool(_decide, request, viewer, table_id, version, decision, typed)


def _decide(
    request: Request, viewer: Viewer, table_id: str, version: str, decision: str, typed: Typed
) -> Response:
    review = _load(request, viewer, table_id, version)
    if review is None:
        return _not_found(request, viewer, table_id, version)
    node = node_of(request)
    reviewer = node.gate.allows(viewer.actor, Operation.REVIEW, review.entry.jurisdiction)
    if reviewer and not review.pending:
        return _show(request, viewer, review, stale=_stale_text(review), status_code=REFUSED)
    problem = _problem(review, decision, typed) if reviewer else None
    if problem is not None:
        return _show(request, viewer, review, typed, problem=problem, status_code=REFUSED)
    table = UUID(review.table_id)
    try:
        if decision == "approve":
            outcome = node.workflow.approve(
                viewer.actor, table, review.entry.version, typed.reason or None
            )
        else:
            outcome = node.workflow.return_for_changes(
                viewer.actor, table, review.entry.version, typed.reason, typed.comments
            )
    except (errors.TransitionRefused, errors.VersionConflict):
        fresh = _load(request, viewer, table_id, version) or review
        return _show(request, viewer, fresh, stale=_stale_text(fresh), status_code=REFUSED)
    except errors.ReasonRequired:
        problem = "退回时必须填写审核意见（退回原因），请填写后再点击“退回”。"
        return _show(request, viewer, review, typed, problem=problem, status_code=REFUSED)
    except (errors.InvalidEdit, InvalidArgument) as error:
        problem = refusal_of(error).message
        return _show(request, viewer, review, typed, problem=problem, status_code=REFUSED)
    read_your_writes(node, outcome.position)
    return RedirectResponse(request.url.path, status_code=303)


def _problem(review: Review, decision: str, typed: Typed) -> str | None:
    """What is wrong with the decision as typed, before asking the use case."""
    if decision not in ACTIONS:
        return "请点击“退回”或“审核通过”。"
    known = {item.id for item in review.document.indicators}
    unknown = [name for name in typed.comments if name not in known]
    if unknown:
        return f"报送的表中没有这些指标：{'、'.join(unknown)}；请刷新页面后重试。"
    if decision == "return" and not typed.reason:
        return "退回时必须填写审核意见（退回原因），请填写后再点击“退回”。"
    if decision == "approve" and typed.comments:
        return (
            f"您在 {len(typed.comments)} 个指标处填写了审核意见：逐项意见只随“退回”保存。"
            "如需修改请点击“退回”；如要审核通过，请先清空这些意见。"
        )
    return None


def _stale_text(review: Review) -> str:
    if review.newer is not None:
        return (
            f"该表已重新报送（版本 {review.newer.version}），本页的版本 {review.entry.version} "
            "已不能审核；您的审核未保存，请审核最新版本。"
        )
    status = REVIEW_STATUS.get(review.entry.status, review.entry.status)
    who = review.entry.decided_by or "其他审核人"
    when = f"于 {shown_time(review.entry.decided_at)} " if review.entry.decided_at else ""
    return f"该报送已由 {who} {when}审核（{status}），不能再次审核；本次提交未保存。"
