"""What a change answers: the workspace at the new version, or why it was refused.

A refusal is an HTML fragment answered with 200 into the editor's message box, so what the
person typed stays where it was; a version conflict also lists who saved what meanwhile.
Forbidden is never answered here: it is the workbench's 403.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import HTMLResponse

from api.deps import read_your_writes
from api.web.edit_cells import cell_at
from api.web.refusals import refusal_of
from api.web.render import page, role_label, shown_time
from api.web.session import Viewer, node_of
from api.web.sheet import SheetView
from api.web.table_page import current_view, saved_view, workspace_fragment
from domain import vocabulary
from domain.errors import DomainError, Forbidden, VersionConflict
from domain.history import Change
from domain.model import Actor
from domain.narrative import value_words
from service_layer.errors import InvalidArgument, UnknownTable
from service_layer.store import Saved

MAX_ENTRIES = 10
MAX_CHANGES = 6
REFUSED = (DomainError, InvalidArgument, UnknownTable)
Label = str | Callable[[], str] | None


@dataclass(frozen=True)
class Meanwhile:
    """One save by someone else since the version the editor was opened at."""

    version: int
    who: str
    role: str
    at: str
    what: str
    changes: list[str]


def answer(
    request: Request,
    viewer: Viewer,
    table_id: str,
    call: Callable[[Actor], Saved],
    label: Label = None,
    focus: str | None = None,
    done: str = "已保存",
) -> HTMLResponse:
    """Run ``call`` as the viewer; the new workspace, or the refusal for the editor's box."""
    node = node_of(request)
    try:
        saved = call(viewer.actor)
    except Forbidden:
        raise
    except REFUSED as error:
        return refused(request, viewer, table_id, error, label)
    read_your_writes(node, saved.position)
    view = saved_view(saved.table)
    response = workspace_fragment(request, viewer, view, focus)
    retarget(response, "#workspace", f"{done}，当前为版本 {view.document.version}")
    return response


def retarget(response: HTMLResponse, target: str, notice: str | None = None) -> None:
    """Swap the answer over ``target`` instead of the editor's message box."""
    response.headers["HX-Retarget"] = target
    response.headers["HX-Reswap"] = "outerHTML"
    if notice:
        response.headers["HX-Trigger"] = json.dumps({"jixiao:notice": notice})


def refused(
    request: Request, viewer: Viewer, table_id: str, error: Exception, label: Label
) -> HTMLResponse:
    """The refusal in the person's words, naming the cell (``label``) they were editing."""
    named = label() if callable(label) else label
    meanwhile: list[Meanwhile] = []
    if isinstance(error, VersionConflict):
        meanwhile = meanwhile_since(request, viewer, table_id, error.expected)
    return page(
        request,
        "edit_refusal.html",
        viewer,
        refusal=refusal_of(error, named),
        meanwhile=meanwhile,
        table_id=table_id,
    )


def meanwhile_since(
    request: Request, viewer: Viewer, table_id: str, version: int
) -> list[Meanwhile]:
    """Who saved what after ``version``, newest last, with cells named as the form names them."""
    view = current_view(request, viewer, table_id)
    key = str(view.document.id)
    entries = node_of(request).reading.timelines(viewer.actor, [key]).get(key, [])
    return [
        Meanwhile(
            entry.version,
            entry.actor_name,
            role_label(entry.actor_role),
            shown_time(entry.at),
            vocabulary.EVENT_LABELS.get(entry.event_type, entry.event_type),
            [_change_text(view, change) for change in entry.changes[:MAX_CHANGES]],
        )
        for entry in entries
        if entry.version > version
    ][-MAX_ENTRIES:]


def _change_text(view: SheetView, change: Change) -> str:
    before = value_words(change.path, change.before) if change.before else "（空）"
    after = value_words(change.path, change.after) if change.after else "（空）"
    return f"{_path_label(view, change.path)}：{before} → {after}"


def _path_label(view: SheetView, path: str) -> str:
    cell = cell_at(view, path)
    if cell is not None:
        return cell.label
    head, _, last = path.rpartition(".")
    if head.startswith("indicators."):
        item_id = head.removeprefix("indicators.")
        name = next((i.name for i in view.document.indicators if i.id == item_id), None)
        field = vocabulary.PATH_LABELS.get(last, last)
        return f"「{name}」{field}" if name else f"指标{field}"
    return vocabulary.PATH_LABELS.get(path, vocabulary.PATH_LABELS.get(last, path))
