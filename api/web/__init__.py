"""The web workbench: server-rendered pages over the service layer, at ``/``.

Every page and action calls the same use cases as GraphQL and the CLI, with the signed-in
person as the actor, so authorisation stays in the service layer. htmx (vendored, served by the
node) swaps the fragments the actions answer; nothing is fetched from outside the node.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from api.web import (
    editing,
    history,
    imports,
    report_decisions,
    report_evaluation,
    report_files,
    report_monitoring,
    review,
    signin,
    table_page,
    tables,
)
from api.web.render import HERE, page
from api.web.session import CsrfRefused, SignInRequired, current_viewer
from domain.errors import Forbidden
from service_layer.errors import InvalidArgument, UnknownTable

ROUTERS = (
    signin.router,
    tables.router,
    table_page.router,
    editing.router,
    history.router,
    review.router,
    imports.router,
    report_monitoring.router,
    report_evaluation.router,
    report_decisions.router,
    report_files.router,
)


def mount_workbench(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for router in ROUTERS:
        app.include_router(router)
    app.add_exception_handler(SignInRequired, _sign_in_first)  # type: ignore[arg-type]
    app.add_exception_handler(CsrfRefused, _refused)
    app.add_exception_handler(Forbidden, _refused)
    app.add_exception_handler(UnknownTable, _not_found)  # type: ignore[arg-type]
    app.add_exception_handler(InvalidArgument, _unreadable)  # type: ignore[arg-type]


def _sign_in_first(request: Request, error: SignInRequired) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method != "GET":
        target = request.headers.get("hx-current-url") or "/"
    address = f"/login?next={quote(target, safe='')}"
    if error.reason:
        address += f"&reason={quote(error.reason, safe='')}"
    if request.headers.get("hx-request"):
        return Response(status_code=200, headers={"HX-Redirect": address})
    return RedirectResponse(address, status_code=303)


def _refused(request: Request, error: Exception) -> HTMLResponse:
    return page(
        request,
        "refused.html",
        current_viewer(request),
        status_code=403,
        title="无权操作",
        message=str(error),
    )


def _not_found(request: Request, error: UnknownTable) -> HTMLResponse:
    return page(
        request,
        "refused.html",
        current_viewer(request),
        status_code=404,
        title="找不到该表",
        message=f"本节点没有编号为 {error.table} 的绩效目标表",
    )


def _unreadable(request: Request, error: InvalidArgument) -> HTMLResponse:
    """An address or form value that cannot be read (a malformed table id, say): 400."""
    return page(
        request,
        "refused.html",
        current_viewer(request),
        status_code=400,
        title="无法识别的请求",
        message=f"请求中的 {error.field} 无法识别：{error}",
    )
