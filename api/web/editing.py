"""Editing in place and the workflow buttons (POST): parse the form → call the use case → answer.

Every change names the version the page showed (``version``) and may carry a ``reason``. It
answers the whole workspace at the new version, or a refusal for the editor's message box
(see ``edit_results``). CSRF and the session come from ``Changing``; who may edit is decided
by the use cases.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from api.web import edit_forms
from api.web.edit_cells import EditableCells, cell_at, indicator_of, slot_id
from api.web.edit_paths import cell_change, typed, unchanged
from api.web.edit_results import answer, retarget
from api.web.session import Changing, Viewer, node_of
from api.web.table_page import current_view
from domain.access import Operation
from service_layer.parsing import table_id_of

router = APIRouter()
router.include_router(edit_forms.router)

Text = Annotated[str, Form()]
Version = Annotated[int, Form()]
Position = Annotated[int | None, Form()]


@router.post("/tables/{table_id}/edit", response_class=HTMLResponse)
def edit_cell(
    request: Request,
    viewer: Changing,
    table_id: str,
    path: Annotated[str, Form(max_length=300)],
    version: Version,
    value: Text = "",
    reason: Text = "",
) -> HTMLResponse:
    """One cell: ``path`` names it (``indicators.<id>.full_year``, ``funds.total`` …)."""
    node = node_of(request)
    node.gate.check(viewer.actor, Operation.EDIT)
    view = current_view(request, viewer, table_id)
    cell = cell_at(view, path)
    new = typed(value)
    if cell is not None and unchanged(view, cell, new):
        shown = HTMLResponse(EditableCells(view, focus=path, version=version).show(cell))
        retarget(shown, "#" + slot_id(path))
        return shown
    return answer(
        request,
        viewer,
        table_id,
        lambda a: cell_change(node.editing, view, version, path, new, typed(reason))(a),
        cell.label if cell else None,
        focus=path,
    )


@router.post("/tables/{table_id}/indicators", response_class=HTMLResponse)
def add_indicator(
    request: Request,
    viewer: Changing,
    table_id: str,
    version: Version,
    category: Text = "",
    name: Text = "",
    full_year: Text = "",
    half_year: Text = "",
    position: Position = None,
    reason: Text = "",
) -> HTMLResponse:
    """新增指标 in ``category`` (``<level-1 code>/<level-2 label>``) at ``position``."""
    use = node_of(request).editing
    level1, _, level2 = category.partition("/")
    return answer(
        request,
        viewer,
        table_id,
        lambda a: use.add_indicator(
            a,
            table_id_of(table_id),
            version,
            level1,
            level2,
            name,
            full_year.strip(),
            typed(half_year),
            position,
            typed(reason),
        ),
        "新增指标",
    )


@router.post("/tables/{table_id}/indicators/{indicator_id}/move", response_class=HTMLResponse)
def move_indicator(
    request: Request,
    viewer: Changing,
    table_id: str,
    indicator_id: str,
    version: Version,
    category: Text = "",
    reason: Text = "",
) -> HTMLResponse:
    use = node_of(request).editing
    level1, _, level2 = category.partition("/")
    return answer(
        request,
        viewer,
        table_id,
        lambda a: use.move_indicator(
            a, table_id_of(table_id), version, indicator_id, level1, level2, typed(reason)
        ),
        _indicator_label(request, viewer, table_id, indicator_id, "移动"),
        focus=f"indicators.{indicator_id}.name",
    )


@router.post("/tables/{table_id}/indicators/{indicator_id}/explain", response_class=HTMLResponse)
def explain_indicator(
    request: Request,
    viewer: Changing,
    table_id: str,
    indicator_id: str,
    version: Version,
    explanation: Text = "",
    basis: Text = "",
    basis_text: Text = "",
    reason: Text = "",
) -> HTMLResponse:
    """指标解释 and 指标值设定依据 (``basis``: plan / industry / history / other, or empty)."""
    use = node_of(request).editing
    return answer(
        request,
        viewer,
        table_id,
        lambda a: use.explain_indicator(
            a,
            table_id_of(table_id),
            version,
            indicator_id,
            typed(explanation),
            typed(basis),
            typed(basis_text),
            typed(reason),
        ),
        _indicator_label(request, viewer, table_id, indicator_id, "指标解释及设定依据"),
        focus=f"indicators.{indicator_id}.name",
    )


@router.post("/tables/{table_id}/indicators/{indicator_id}/remove", response_class=HTMLResponse)
def remove_indicator(
    request: Request,
    viewer: Changing,
    table_id: str,
    indicator_id: str,
    version: Version,
    reason: Text = "",
) -> HTMLResponse:
    use = node_of(request).editing
    return answer(
        request,
        viewer,
        table_id,
        lambda a: use.remove_indicator(
            a, table_id_of(table_id), version, indicator_id, typed(reason)
        ),
        _indicator_label(request, viewer, table_id, indicator_id, "删除"),
    )


@router.post("/tables/{table_id}/expenditures", response_class=HTMLResponse)
def add_expenditure(
    request: Request,
    viewer: Changing,
    table_id: str,
    version: Version,
    name: Text = "",
    full_year: Text = "",
    half_year: Text = "",
    reason: Text = "",
) -> HTMLResponse:
    """新增支出明细 (provincial form)."""
    use = node_of(request).editing
    return answer(
        request,
        viewer,
        table_id,
        lambda a: use.add_expenditure(
            a,
            table_id_of(table_id),
            version,
            name,
            full_year.strip(),
            typed(half_year),
            typed(reason),
        ),
        "新增支出明细",
    )


@router.post("/tables/{table_id}/expenditures/{index}/remove", response_class=HTMLResponse)
def remove_expenditure(
    request: Request,
    viewer: Changing,
    table_id: str,
    index: int,
    version: Version,
    reason: Text = "",
) -> HTMLResponse:
    use = node_of(request).editing
    return answer(
        request,
        viewer,
        table_id,
        lambda a: use.remove_expenditure(a, table_id_of(table_id), version, index, typed(reason)),
        f"删除支出第{index + 1}行",
    )


@router.post("/tables/{table_id}/submit", response_class=HTMLResponse)
def submit(
    request: Request, viewer: Changing, table_id: str, version: Version, reason: Text = ""
) -> HTMLResponse:
    """提交 to the reviewers; refused while the table has errors."""
    use = node_of(request).workflow
    return answer(
        request,
        viewer,
        table_id,
        lambda a: use.submit(a, table_id_of(table_id), version, typed(reason)),
        "提交",
        done="已提交",
    )


@router.post("/tables/{table_id}/adjustment", response_class=HTMLResponse)
def open_adjustment(
    request: Request, viewer: Changing, table_id: str, version: Version, reason: Text = ""
) -> HTMLResponse:
    """申请调整 of an approved table; the reason is required."""
    use = node_of(request).workflow
    return answer(
        request,
        viewer,
        table_id,
        lambda a: use.open_adjustment(a, table_id_of(table_id), version, typed(reason)),
        "申请调整",
        done="已申请调整",
    )


def _indicator_label(
    request: Request, viewer: Viewer, table_id: str, indicator_id: str, action: str
) -> Callable[[], str]:
    """How a refusal names the indicator (「群众满意度」移动), read only when one is needed."""

    def label() -> str:
        item = indicator_of(current_view(request, viewer, table_id), indicator_id)
        return f"「{item.name}」{action}" if item else action

    return label
