"""The 运行监控 page: ``/tables/{id}/monitoring/{month}``, the monitoring round to the end of a
month (双监控: the budget executed and each target's progress, forecast, likelihood and causes,
with their lights), and 保存 of the whole form. Submitting and deciding: report_decisions.py."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.web.render import page
from api.web.report_forms import CAUSE_LABELS, LIKELIHOOD_LABELS, Typed, read_monitoring
from api.web.report_views import (
    LIGHT_WORDS,
    comments_of,
    decision_words,
    monitoring_missing,
    monitoring_rows,
    shown,
    status_words,
    typed_monitoring,
)
from api.web.reports import (
    DEFAULT_MONTH,
    MONTHS,
    Decided,
    Loaded,
    NotHere,
    Shown,
    abilities,
    load,
    month_of,
    not_here,
    redirect_saved,
    refused,
    refused_by,
    saved_notice,
    version_of,
)
from api.web.session import Changing, SignedIn, Viewer, node_of
from domain import errors
from domain.errors import InvalidEdit
from domain.monitoring import Figures, MonitoringForm, check_monitoring_form, figures
from domain.reports import Basis
from domain.scoring import MonitoringRules
from infra.bootstrap import NodeServices
from service_layer.errors import InvalidArgument
from service_layer.parsing import table_id_of
from service_layer.reports import ReportView

router = APIRouter()

LIKELIHOOD_HINT = "选择“有可能”或“完全不可能”时，须勾选偏差原因并填写纠偏措施"


@router.get("/tables/{table_id}/monitoring", response_class=HTMLResponse)
def choose_month(request: Request, viewer: SignedIn, table_id: str, month: str = "") -> Response:
    """The month chosen on the table page (a plain GET form): to that month's page."""
    try:
        chosen = month_of(month or str(DEFAULT_MONTH))
    except NotHere as error:
        return not_here(request, viewer, error)
    return RedirectResponse(f"/tables/{table_id_of(table_id)}/monitoring/{chosen}", 303)


@router.get("/tables/{table_id}/monitoring/{month}", response_class=HTMLResponse)
def monitoring_page(
    request: Request, viewer: SignedIn, table_id: str, month: str, saved: str = ""
) -> Response:
    try:
        chosen = month_of(month)
        loaded = load(node_of(request), viewer, table_id, chosen)
    except NotHere as error:
        return not_here(request, viewer, error)
    return show_monitoring(request, viewer, loaded, chosen, Shown(notice=saved_notice(saved)))


@router.post("/tables/{table_id}/monitoring/{month}", response_class=HTMLResponse)
async def save_monitoring(
    request: Request, viewer: Changing, table_id: str, month: str
) -> Response:
    """保存: the whole form, at the version the page was opened at."""
    typed = Typed.of(await request.form())
    return await run_in_threadpool(_save_monitoring, request, viewer, table_id, month, typed)


def _save_monitoring(
    request: Request, viewer: Viewer, table_id: str, month: str, typed: Typed
) -> Response:
    node = node_of(request)
    try:
        chosen = month_of(month)
        loaded = load(node, viewer, table_id, chosen)
    except NotHere as error:
        return not_here(request, viewer, error)
    form, problems = read_monitoring(loaded.basis, chosen, typed)
    if problems or form is None:
        return show_monitoring(request, viewer, loaded, chosen, refused(typed, problems))
    try:
        stored = node.reports.set_monitoring(
            viewer.actor, loaded.table_id, chosen, version_of(typed), form
        )
    except (errors.DomainError, InvalidArgument) as error:
        return show_monitoring(request, viewer, loaded, chosen, refused_by(error, typed))
    node.relay.nudge()
    return redirect_saved(request.url.path, stored.view.version)


def show_monitoring(
    request: Request, viewer: Viewer, loaded: Loaded, month: int, shown_: Shown
) -> HTMLResponse:
    node = node_of(request)
    view = loaded.view
    basis = loaded.basis
    rules = _monitoring_rules(node, view)
    typed = shown_.typed
    found: Figures | None
    if typed is None:
        typed = typed_monitoring(view.monitoring if view else None)
        found = view.figures if view else None
    else:
        form, _ = read_monitoring(basis, month, typed)
        found = _figures(basis, month, rules, form)
    able = abilities(node, viewer, loaded)
    saved_form = view.monitoring if view else None
    missing = monitoring_missing(basis, saved_form, month) if view else []
    if view is not None and view.missing and not missing:
        missing = list(view.missing)
    decided = shown_.decided or Decided()
    problems = list(shown_.problems)
    return page(
        request,
        "reports_monitoring.html",
        viewer,
        status_code=shown_.status_code,
        active="tables",
        loaded=loaded,
        basis=basis,
        view=view,
        month=month,
        typed=typed,
        figures=found,
        rows=monitoring_rows(basis, typed, found, decided.comments or comments_of(view), problems),
        problems=problems,
        general=[item for item in problems if item.indicator is None],
        able=able,
        missing=missing,
        may_submit=able.may_edit and view is not None and not missing,
        rules=rules,
        status_text=status_words(view),
        decision_text=decision_words(view.stage, view.decision) if view and view.decision else "",
        decided=decided,
        decide_problem=shown_.decide_problem,
        notice=shown_.notice,
        likelihoods=LIKELIHOOD_LABELS,
        likelihood_hint=LIKELIHOOD_HINT,
        causes=CAUSE_LABELS,
        light_words=LIGHT_WORDS,
        months=MONTHS,
        shown_amount=shown,
    )


def _monitoring_rules(node: NodeServices, view: ReportView | None) -> MonitoringRules:
    if view is not None and view.monitoring_rules is not None:
        return view.monitoring_rules
    return node.reports.monitoring_rules


def _figures(
    basis: Basis, month: int, rules: MonitoringRules, form: MonitoringForm | None
) -> Figures | None:
    if form is None or basis.budget is None or basis.budget <= 0:
        return None
    try:
        check_monitoring_form(basis, form)  # the bounds first: then every figure computes
        return figures(basis, month, rules, form)
    except InvalidEdit:
        return None
