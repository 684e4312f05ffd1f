"""One table as its printed form: read, edited in place, submitted."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.graphql.tables import Stored
from api.web.render import page
from api.web.session import SignedIn, node_of
from api.web.sheet import Cells, SheetView
from service_layer.parsing import table_id_of

router = APIRouter()


@router.get("/tables/{table_id}", response_class=HTMLResponse)
def table_page(request: Request, viewer: SignedIn, table_id: str) -> HTMLResponse:
    node = node_of(request)
    key = str(table_id_of(table_id))
    row = node.reading.table_row(viewer.actor, key)
    stored = Stored.from_row(row)
    view = SheetView(stored.document, stored.decision)
    return page(request, "table.html", viewer, row=row, view=view, cells=Cells(view))
