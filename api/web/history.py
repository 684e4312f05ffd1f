"""审计: a table's history for auditors and admins — the timeline, who set each value, the
table as of any version or time, two versions side by side, the hash chain, and the report.

Every page asks the auditing use cases as the signed-in person, so anyone else is refused by
the use case itself (``Forbidden`` → the 403 page).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api import reports
from api.downloads import attachment
from api.web.history_views import (
    BlameCells,
    ChainStatus,
    ChangeRow,
    Moment,
    PlainCells,
    blame_of,
    local_input,
    moment_typed,
)
from api.web.render import page, role_label
from api.web.session import SignedIn, Viewer, node_of
from api.web.sheet import SheetView, changed_cells
from domain.document import document_of
from domain.errors import Forbidden
from domain.table import TargetTable
from domain.text import visible
from infra.bootstrap import NodeServices
from service_layer.errors import InvalidArgument, UnknownTable
from service_layer.parsing import table_id_of
from service_layer.story import Story

router = APIRouter()
MAX_PATH = 300


@dataclass(frozen=True)
class Record:
    """One table's history as every history page starts from it."""

    table_id: str
    story: Story
    moments: list[Moment]
    names: dict[str, str]
    chain: ChainStatus

    @property
    def table(self) -> TargetTable:
        return self.story.table

    @property
    def name(self) -> str:
        return visible(self.story.table.content.project.name)

    @property
    def version(self) -> int:
        return self.story.table.version

    def moment(self, version: int) -> Moment | None:
        return next((item for item in self.moments if item.version == version), None)


def _record(node: NodeServices, viewer: Viewer, table_id: str) -> Record:
    """The story (auditors and admins only: the use case refuses anyone else) and its timeline."""
    key = _table_key(node, table_id)
    with _audit_refused(viewer):
        story = node.history.story(viewer.actor, key)
    entries = node.reading.timelines(viewer.actor, [str(key)]).get(str(key), [])
    names = node.history.indicator_names(story.table)
    return Record(
        table_id=str(key),
        story=story,
        moments=[Moment.of(entry, names) for entry in entries],
        names=names,
        chain=ChainStatus.of(story.chain_break, story.table.version, story.chain_head),
    )


@contextmanager
def _audit_refused(viewer: Viewer) -> Iterator[None]:
    """The use case's refusal, told in the person's words (the engineer's text as its cause)."""
    try:
        yield
    except Forbidden as error:
        role = role_label(viewer.actor.role.value)
        raise Forbidden(
            "变更历史、逐格追溯、历史版本、版本对比和审计报告仅供本级及上级的审计人、管理员查看；"
            f"您当前的身份是{role}。"
        ) from error


def _table_key(node: NodeServices, table_id: str) -> UUID:
    try:
        return table_id_of(table_id)
    except InvalidArgument:
        raise UnknownTable(table_id[:80], node.place.code) from None


def _page(
    request: Request, viewer: Viewer, name: str, record: Record, **extra: Any
) -> HTMLResponse:
    return page(request, name, viewer, active="tables", record=record, **extra)


@router.get("/tables/{table_id}/history", response_class=HTMLResponse)
def timeline_page(request: Request, viewer: SignedIn, table_id: str) -> HTMLResponse:
    record = _record(node_of(request), viewer, table_id)
    return _page(request, viewer, "history.html", record, tab="timeline")


@router.get("/tables/{table_id}/history/cells", response_class=HTMLResponse)
def blame_page(request: Request, viewer: SignedIn, table_id: str) -> HTMLResponse:
    record = _record(node_of(request), viewer, table_id)
    view = SheetView(document_of(record.table), record.table.decision)
    cells = BlameCells(view, record.table_id)
    return _page(request, viewer, "history_cells.html", record, tab="cells", view=view, cells=cells)


@router.get("/tables/{table_id}/blame", response_class=HTMLResponse)
def blame_fragment(
    request: Request, viewer: SignedIn, table_id: str, path: str = ""
) -> HTMLResponse:
    """Who set the value at ``path``, when and why: the panel beside the form."""
    node = node_of(request)
    key = _table_key(node, table_id)
    with _audit_refused(viewer):
        lines = node.history.blame(viewer.actor, key)
    entries = node.reading.timelines(viewer.actor, [str(key)]).get(str(key), [])
    names = node.history.indicator_names(node.history.current(key))
    moments = [Moment.of(entry, names) for entry in entries]
    blame = blame_of(path[:MAX_PATH], lines, moments, names)
    return page(
        request, "_history_blame.html", viewer, blame=blame, current=len(moments), table_id=str(key)
    )


@router.get("/tables/{table_id}/history/asof", response_class=HTMLResponse)
def asof_page(
    request: Request, viewer: SignedIn, table_id: str, version: str = "", at: str = ""
) -> HTMLResponse:
    """The table as it stood at a version, or at a time (Beijing time), read-only."""
    node = node_of(request)
    record = _record(node, viewer, table_id)
    key = UUID(record.table_id)
    problem, caption, found = None, "", None
    try:
        if at.strip():
            moment, told = moment_typed(at[:40])
            found = _as_of_time(node, viewer, key, moment, told)
            caption = f"截至 {told}（北京时间）的状态：{_count(found.version, record.version)}"
        else:
            number = _version_of(version or str(record.version), record.version)
            found = node.history.table(viewer.actor, key, version=number)
            caption = _version_caption(record, number)
    except InvalidArgument as error:
        problem = str(error)
    view = None if found is None else SheetView(document_of(found), found.decision)
    return _page(
        request,
        viewer,
        "history_asof.html",
        record,
        tab="asof",
        view=view,
        cells=None if view is None else PlainCells(view),
        caption=caption,
        problem=problem,
        shown=found.version if found is not None and not at.strip() else None,
        at=at[:40] if at.strip() else local_input(record.moments[-1].at) if record.moments else "",
    )


def _as_of_time(
    node: NodeServices, viewer: Viewer, key: UUID, moment: datetime, told: str
) -> TargetTable:
    try:
        return node.history.table(viewer.actor, key, at=moment)
    except InvalidArgument:
        raise InvalidArgument("asOf", f"{told}（北京时间）时此表尚未建立") from None


def _version_of(text: str, current: int) -> int:
    number = int(text) if text.strip().isdigit() and len(text.strip()) < 10 else 0
    if not 1 <= number <= current:
        raise InvalidArgument("version", f"此表只有第 1–{current} 版，没有“{text[:20]}”")
    return number


def _count(number: int, current: int) -> str:
    return f"第 {number} 版（共 {current} 版）"


def _version_caption(record: Record, number: int) -> str:
    moment = record.moment(number)
    told = _count(number, record.version)
    if number == record.version:
        told += "，即当前版本"
    if moment is None:
        return told
    return f"{told}：{moment.actor} {moment.action}后的状态"


@router.get("/tables/{table_id}/history/compare", response_class=HTMLResponse)
def compare_page(
    request: Request, viewer: SignedIn, table_id: str, before: str = "", after: str = ""
) -> HTMLResponse:
    """Two versions side by side, every cell that differs marked on both, and the change list."""
    node = node_of(request)
    record = _record(node, viewer, table_id)
    key, current = UUID(record.table_id), record.version
    sides: list[tuple[int, SheetView, PlainCells, str]] = []
    changes: list[ChangeRow] = []
    problem = None
    try:
        old = _version_of(before or str(max(1, current - 1)), current)
        new = _version_of(after or str(current), current)
        found = node.history.diff(viewer.actor, key, old, new)
        changed = changed_cells(found)
        changes = [ChangeRow.of(item, record.names) for item in found]
        for number in (old, new):
            table = node.history.table(viewer.actor, key, version=number)
            view = SheetView(document_of(table), table.decision)
            sides.append(
                (number, view, PlainCells(view, changed), _version_caption(record, number))
            )
    except InvalidArgument as error:
        problem, old, new = str(error), max(1, current - 1), current
    return _page(
        request,
        viewer,
        "history_compare.html",
        record,
        tab="compare",
        sides=sides,
        changes=changes,
        problem=problem,
        before=old,
        after=new,
    )


@router.get("/tables/{table_id}/history/report.html")
def report_html(request: Request, viewer: SignedIn, table_id: str) -> Response:
    record = _record(node_of(request), viewer, table_id)
    body = reports.html_text(record.story).encode("utf-8")
    return _download(body, reports.HTML_TYPE, record, "html")


@router.get("/tables/{table_id}/history/report.xlsx")
def report_xlsx(request: Request, viewer: SignedIn, table_id: str) -> Response:
    record = _record(node_of(request), viewer, table_id)
    return _download(reports.xlsx_bytes(record.story), reports.XLSX_TYPE, record, "xlsx")


def _download(body: bytes, media_type: str, record: Record, suffix: str) -> Response:
    plain = f"jixiao-audit-{record.table_id[:8]}-v{record.version}.{suffix}"
    named = f"绩效目标表变更记录-{record.name[:60]}-第{record.version}版.{suffix}"
    return attachment(body, media_type, plain, named)
