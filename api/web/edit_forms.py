"""The editors themselves (GET): a cell's editor, the row actions' forms, the 新增 panels.

Each editor carries the version the page showed, so saving it is refused if anyone saved since.
Opening an editor needs the right to edit; the use cases check it again when saving.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.web.edit_cells import EditableCells, cell_at, indicator_of, slot_id, table_url
from api.web.refusals import refusal_of
from api.web.render import page
from api.web.session import SignedIn, Viewer, node_of
from api.web.sheet import SheetView
from api.web.table_page import current_view
from domain import vocabulary
from domain.access import Operation
from domain.categories import category_for
from domain.errors import InvalidEdit, TableLocked, UnknownIndicator
from domain.workflow import EDITABLE
from service_layer.errors import InvalidArgument

router = APIRouter()
_LINE_NAME = "expenditures[{}].name"
ROW_FORMS = {"move": "edit_move.html", "explain": "edit_explain.html", "remove": "edit_remove.html"}


def _editable(request: Request, viewer: Viewer, table_id: str) -> SheetView:
    node_of(request).gate.check(viewer.actor, Operation.EDIT)
    return current_view(request, viewer, table_id)


def _cannot(
    request: Request, viewer: Viewer, view: SheetView, path: str, error: Exception, version: int
) -> HTMLResponse:
    """The slot an editor would open in, saying why it does not (with 取消 to close it)."""
    return page(
        request,
        "edit_cell_refused.html",
        viewer,
        uid=slot_id(path),
        refusal=refusal_of(error),
        meanwhile=[],
        table_id=view.document.id,
        cancel_url=table_url(view.document.id, version, "cell", path=path),
    )


def _locked(view: SheetView) -> TableLocked | None:
    status = view.document.status
    return None if status in EDITABLE else TableLocked(status.value)


@router.get("/tables/{table_id}/cell", response_class=HTMLResponse)
def cell_display(
    request: Request, viewer: SignedIn, table_id: str, path: str, version: int
) -> HTMLResponse:
    """取消: the cell as a button again, still at the page's version."""
    view = _editable(request, viewer, table_id)
    cell = cell_at(view, path)
    shown = EditableCells(view, version=version).show(cell) if cell else ""
    return HTMLResponse(shown)


@router.get("/tables/{table_id}/editor", response_class=HTMLResponse)
def cell_editor(
    request: Request, viewer: SignedIn, table_id: str, path: str, version: int
) -> HTMLResponse:
    view = _editable(request, viewer, table_id)
    cell = cell_at(view, path)
    if cell is None:
        missing = InvalidArgument("path", "表中没有这个单元格，请重新加载")
        return _cannot(request, viewer, view, path, missing, version)
    if (locked := _locked(view)) is not None:
        return _cannot(request, viewer, view, path, locked, version)
    line = next((i for i, *_ in view.expenditures() if _LINE_NAME.format(i) == path), None)
    return page(
        request,
        "edit_cell.html",
        viewer,
        uid=slot_id(path),
        cell=cell,
        current=view.document.project.kind.value,
        table_id=view.document.id,
        version=version,
        cancel_url=table_url(view.document.id, version, "cell", path=path),
        line=line,
    )


@router.get("/tables/{table_id}/indicators/new", response_class=HTMLResponse)
def add_indicator_form(
    request: Request,
    viewer: SignedIn,
    table_id: str,
    version: int,
    category: str = "",
    position: int | None = None,
) -> HTMLResponse:
    view = _editable(request, viewer, table_id)
    items = view.document.indicators
    positions = [(0, "最前")] + [(i + 1, f"「{item.name}」之后") for i, item in enumerate(items)]
    return page(
        request,
        "edit_add_indicator.html",
        viewer,
        table_id=view.document.id,
        version=version,
        groups=category_groups(view),
        selected=category_option(category),
        positions=positions,
        position=position,
        by_category=vocabulary.ADD_AFTER_ITS_CATEGORY,
        provincial=view.provincial,
    )


@router.get("/tables/{table_id}/expenditures/new", response_class=HTMLResponse)
def add_line_form(request: Request, viewer: SignedIn, table_id: str, version: int) -> HTMLResponse:
    view = _editable(request, viewer, table_id)
    return page(request, "edit_add_line.html", viewer, table_id=view.document.id, version=version)


@router.get("/tables/{table_id}/indicators/{indicator_id}/{action}", response_class=HTMLResponse)
def row_form(
    request: Request, viewer: SignedIn, table_id: str, indicator_id: str, action: str, version: int
) -> HTMLResponse:
    """移动 / 解释 / 删除 one indicator: the form opens in its 三级指标 cell."""
    view = _editable(request, viewer, table_id)
    path = f"indicators.{indicator_id}.name"
    item = indicator_of(view, indicator_id)
    template = ROW_FORMS.get(action)
    if template is None or item is None:
        missing = UnknownIndicator(indicator_id)
        return _cannot(request, viewer, view, path, missing, version)
    if (locked := _locked(view)) is not None:
        return _cannot(request, viewer, view, path, locked, version)
    context: dict[str, Any] = {
        "uid": slot_id(path),
        "item": item,
        "table_id": view.document.id,
        "version": version,
        "cancel_url": table_url(view.document.id, version, "cell", path=path),
        "groups": category_groups(view),
        "selected": category_option(f"{item.level1_code}/{item.level2}"),
        "bases": list(vocabulary.BASIS_LABELS.items()),
    }
    return page(request, template, viewer, **context)


def category_groups(view: SheetView) -> list[tuple[str, list[tuple[str, str]]]]:
    """The categories an indicator may go in, by level 1: the vocabulary's, and the ones this
    table uses that the vocabulary does not know. Each is ``<level-1 code>/<level-2 label>``."""
    document = view.document
    used = [(item.level1_code, item.level2, item.level2_code) for item in document.indicators]
    used += [
        (item.level1_code, item.level2, item.level2_code) for item in document.empty_categories
    ]
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    for level1 in vocabulary.LEVEL1:
        known = [item.label for item in vocabulary.LEVEL2 if level1.code in item.parents]
        own = [
            label
            for code, label, level2_code in used
            if code == level1.code and level2_code == vocabulary.UNKNOWN_LEVEL2
        ]
        labels = list(dict.fromkeys([*known, *own]))
        groups.append((level1.label, [(f"{level1.code}/{label}", label) for label in labels]))
    return groups


def category_option(category: str) -> str:
    """The option naming ``category`` as a table writes it: ``benefit/社会效益`` is the
    option ``benefit/社会效益指标``; empty for a category the vocabulary refuses."""
    level1, _, level2 = category.partition("/")
    try:
        found = category_for(level1, level2)
    except InvalidEdit:
        return ""
    return f"{found.level1_code}/{found.level2}"
