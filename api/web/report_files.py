"""下载 Excel of the report pages: the monitoring round or the self-evaluation in the Ministry of
Finance's layout, as ``jixiao monitoring export`` / ``evaluation export`` write it (a report not
yet filled in gives the form to fill in). Anyone who may read the page may download it (the
use case checks); 打印 on the pages prints the page itself."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.downloads import report_file
from api.web.reports import NotHere, load, month_of, not_here
from api.web.session import SignedIn, node_of
from domain.monitoring import EMPTY_FORM
from infra.documents.report_sheets import evaluation_workbook, monitoring_workbook

router = APIRouter()


@router.get("/tables/{table_id}/monitoring/{month}/export.xlsx")
def monitoring_file(request: Request, viewer: SignedIn, table_id: str, month: str) -> Response:
    try:
        chosen = month_of(month)
        loaded = load(node_of(request), viewer, table_id, chosen)
    except NotHere as error:
        return not_here(request, viewer, error)
    view = loaded.view
    form = (view.monitoring if view else None) or EMPTY_FORM
    body = monitoring_workbook(loaded.basis, chosen, form, view.figures if view else None)
    return report_file(body, loaded.basis, loaded.version, f"运行监控1-{chosen}月")


@router.get("/tables/{table_id}/evaluation/export.xlsx")
def evaluation_file(request: Request, viewer: SignedIn, table_id: str) -> Response:
    node = node_of(request)
    try:
        loaded = load(node, viewer, table_id, None)
    except NotHere as error:
        return not_here(request, viewer, error)
    view = loaded.view
    rules = (view.evaluation_rules if view else None) or node.reports.evaluation_rules
    form, card = (view.evaluation, view.scorecard) if view else (None, None)
    body = evaluation_workbook(loaded.basis, form, card, rules.execution_weight)
    return report_file(body, loaded.basis, loaded.version, "绩效自评")
