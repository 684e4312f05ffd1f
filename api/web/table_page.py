"""One table as its printed form: read, edited in place, submitted.

The page's workspace (``#workspace``: status, workflow buttons, the form, its findings) is one
fragment, so every successful change answers it whole at the new version.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.downloads import table_file
from api.graphql.tables import Stored
from api.web.edit_cells import EditableCells
from api.web.refusals import LOCKED_NEXT, LOCKED_WHY
from api.web.render import page
from api.web.report_links import reports_panel
from api.web.session import SignedIn, Viewer, node_of
from api.web.sheet import Cells, SheetView
from domain.access import Operation
from domain.document import document_of
from domain.model import Status
from domain.table import TargetTable
from domain.workflow import EDITABLE
from infra.documents.exports import ExportFormat
from service_layer.parsing import table_id_of

router = APIRouter()


def current_view(request: Request, viewer: Viewer, table_id: str) -> SheetView:
    """The table as the read model has it now (``UnknownTable`` when this node has none)."""
    key = str(table_id_of(table_id))
    stored = Stored.from_row(node_of(request).reading.table_row(viewer.actor, key))
    return SheetView(stored.document, stored.decision, stored.note)


def saved_view(table: TargetTable) -> SheetView:
    """The table as a use case just saved it."""
    return SheetView(document_of(table), table.decision, table.note)


def workspace(
    request: Request, viewer: Viewer, view: SheetView, focus: str | None = None
) -> dict[str, Any]:
    """What the workspace shows this viewer: editors only for someone who may edit it now."""
    status = view.document.status
    may_edit = node_of(request).gate.allows(viewer.actor, Operation.EDIT)
    editable = may_edit and status in EDITABLE
    return {
        "view": view,
        "cells": EditableCells(view, focus) if editable else Cells(view),
        "editable": editable,
        "may_submit": editable,
        "may_adjust": may_edit and status is Status.APPROVED,
        "may_audit": node_of(request).gate.allows(
            viewer.actor, Operation.AUDIT, view.document.jurisdiction
        ),
        "locked_why": LOCKED_WHY.get(status.value),
        "locked_next": LOCKED_NEXT.get(status.value) if may_edit else None,
    }


def workspace_fragment(
    request: Request, viewer: Viewer, view: SheetView, focus: str | None = None
) -> HTMLResponse:
    return page(request, "edit_workspace.html", viewer, **workspace(request, viewer, view, focus))


@router.get("/tables/{table_id}", response_class=HTMLResponse)
def table_page(request: Request, viewer: SignedIn, table_id: str) -> HTMLResponse:
    view = current_view(request, viewer, table_id)
    panel = reports_panel(request, viewer, table_id, view.document.status.value)
    return page(
        request, "table.html", viewer, reports_panel=panel, **workspace(request, viewer, view)
    )


@router.get("/tables/{table_id}/export.xlsx")
def export_workbook(request: Request, viewer: SignedIn, table_id: str) -> Response:
    """下载 Excel: the table in the official layout, which imports back unchanged."""
    return _export(request, viewer, table_id, ExportFormat.XLSX)


@router.get("/tables/{table_id}/export.html")
def export_printable(request: Request, viewer: SignedIn, table_id: str) -> Response:
    """打印版: the table as a page of its own, opened in the browser to print (or to save)."""
    return _export(request, viewer, table_id, ExportFormat.HTML, to_print=True)


def _export(
    request: Request, viewer: Viewer, table_id: str, format: ExportFormat, to_print: bool = False
) -> Response:
    return table_file(node_of(request), viewer.actor, table_id_of(table_id), format, to_print)
