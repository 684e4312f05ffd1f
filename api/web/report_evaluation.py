"""The 绩效自评 page: ``/tables/{id}/evaluation``, the year-end self-evaluation, scored live while
typing (``/evaluation/preview`` scores the posted form and stores nothing), and 保存 of the
whole form. Submitting and deciding: report_decisions.py."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response

from api.web.render import page
from api.web.report_forms import BAND_LABELS, Typed, plain
from api.web.report_scoring import read_evaluation
from api.web.report_views import (
    comments_of,
    decision_words,
    evaluation_missing,
    evaluation_rows,
    preview_json,
    recheck_grade,
    status_words,
    summary_of,
    typed_evaluation,
)
from api.web.reports import (
    Decided,
    Loaded,
    NotHere,
    Shown,
    abilities,
    load,
    not_here,
    redirect_saved,
    refused,
    refused_by,
    saved_notice,
    version_of,
)
from api.web.session import Changing, SignedIn, Viewer, node_of
from domain import errors, vocabulary
from domain.scoring import EvaluationRules
from infra.bootstrap import NodeServices
from service_layer.errors import InvalidArgument
from service_layer.reports import ReportView

router = APIRouter()


@router.get("/tables/{table_id}/evaluation", response_class=HTMLResponse)
def evaluation_page(request: Request, viewer: SignedIn, table_id: str, saved: str = "") -> Response:
    try:
        loaded = load(node_of(request), viewer, table_id, None)
    except NotHere as error:
        return not_here(request, viewer, error)
    return show_evaluation(request, viewer, loaded, Shown(notice=saved_notice(saved)))


@router.post("/tables/{table_id}/evaluation", response_class=HTMLResponse)
async def save_evaluation(request: Request, viewer: Changing, table_id: str) -> Response:
    typed = Typed.of(await request.form())
    return await run_in_threadpool(_save_evaluation, request, viewer, table_id, typed)


def _save_evaluation(request: Request, viewer: Viewer, table_id: str, typed: Typed) -> Response:
    node = node_of(request)
    try:
        loaded = load(node, viewer, table_id, None)
    except NotHere as error:
        return not_here(request, viewer, error)
    rules = _evaluation_rules(node, loaded.view)
    read = read_evaluation(loaded.basis, typed, rules, loaded.basis.budget)
    if read.problems or read.form is None:
        return show_evaluation(request, viewer, loaded, refused(typed, read.problems))
    try:
        stored = node.reports.set_self_evaluation(
            viewer.actor, loaded.table_id, version_of(typed), read.form
        )
    except (errors.DomainError, InvalidArgument) as error:
        return show_evaluation(request, viewer, loaded, refused_by(error, typed))
    node.relay.nudge()
    return redirect_saved(request.url.path, stored.view.version)


@router.post("/tables/{table_id}/evaluation/preview")
async def preview_evaluation(request: Request, viewer: Changing, table_id: str) -> Response:
    """The scores of the posted form, as JSON, for the page to show while typing; nothing is
    stored (and nothing refused: a line that cannot be scored says why)."""
    typed = Typed.of(await request.form())
    return await run_in_threadpool(_preview, request, viewer, table_id, typed)


def _preview(request: Request, viewer: Viewer, table_id: str, typed: Typed) -> Response:
    node = node_of(request)
    try:
        loaded = load(node, viewer, table_id, None)
    except NotHere as error:
        return JSONResponse({"problems": [error.message]}, status_code=error.status_code)
    rules = _evaluation_rules(node, loaded.view)
    read = read_evaluation(loaded.basis, typed, rules, loaded.basis.budget)
    return JSONResponse(preview_json(read))


def show_evaluation(
    request: Request, viewer: Viewer, loaded: Loaded, shown_: Shown
) -> HTMLResponse:
    node = node_of(request)
    view = loaded.view
    basis = loaded.basis
    rules = _evaluation_rules(node, view)
    saved_typed = typed_evaluation(view.evaluation if view else None, basis.budget)
    typed = shown_.typed or saved_typed
    read = read_evaluation(basis, typed, rules, basis.budget)
    able = abilities(node, viewer, loaded)
    missing: list[str] = []
    if view is not None and view.evaluation is None:
        missing = ["请先填写并保存全年预算数、全年执行数和各指标的实际完成值"]
    elif view is not None:
        saved_read = (
            read
            if shown_.typed is None
            else read_evaluation(basis, saved_typed, rules, basis.budget)
        )
        missing = evaluation_missing(basis, saved_read)
        if view.missing and not missing:
            missing = list(view.missing)
    decided = shown_.decided or Decided()
    problems = list(shown_.problems)
    return page(
        request,
        "reports_evaluation.html",
        viewer,
        budget_note_label=vocabulary.BUDGET_NOTE_LABEL,
        status_code=shown_.status_code,
        active="tables",
        loaded=loaded,
        basis=basis,
        view=view,
        typed=typed,
        summary=summary_of(read),
        rows=evaluation_rows(basis, typed, read, decided.comments or comments_of(view), problems),
        problems=problems,
        general=[item for item in problems if item.indicator is None],
        able=able,
        missing=missing,
        may_submit=able.may_edit and view is not None and not missing,
        rules=rules,
        weights_hint=_weights_hint(rules),
        status_text=status_words(view),
        decision_text=decision_words(view.stage, view.decision) if view and view.decision else "",
        recheck_grade=recheck_grade(view.decision if view else None, rules),
        decided=decided,
        decide_problem=shown_.decide_problem,
        notice=shown_.notice,
        bands=BAND_LABELS,
        most=rules.execution_weight + rules.indicator_weight,
    )


def _evaluation_rules(node: NodeServices, view: ReportView | None) -> EvaluationRules:
    if view is not None and view.evaluation_rules is not None:
        return view.evaluation_rules
    return node.reports.evaluation_rules


def _weights_hint(rules: EvaluationRules) -> str:
    shares = "、".join(
        f"{vocabulary.LEVEL1_BY_CODE[code].label} {plain(share)} 分"
        if code in vocabulary.LEVEL1_BY_CODE
        else f"{code} {plain(share)} 分"
        for code, share in rules.default_weights
    )
    return (
        f"分值全部留空时按默认分值计分（{shares}；决策、过程、成本指标计入产出指标；"
        f"各类内平均分配），输入框中的灰色数字即默认分值。如填写分值，须每个指标都填写，"
        f"且合计为 {plain(rules.indicator_weight)} 分；预算执行得分另占 "
        f"{plain(rules.execution_weight)} 分。"
    )
