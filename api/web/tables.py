"""The first page: this node's tables with filters, and the reviewer's 待审核 inbox."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.web.render import page
from api.web.report_links import reports_awaiting
from api.web.session import SignedIn, node_of
from domain import vocabulary
from domain.access import Operation
from projections.reads import TableFilter

router = APIRouter()
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_TRAIL = 50


@dataclass(frozen=True)
class Filters:
    """What the filter form asked for, as typed (so the form shows it back)."""

    year: str = ""
    status: str = ""
    kind: str = ""
    search: str = ""

    def problems(self) -> list[str]:
        found = []
        if self.year and not (self.year.isdigit() and 1900 <= int(self.year) <= 2200):
            found.append(f"年度“{self.year}”不是有效的年份（如 2026）")
        if self.status and self.status not in vocabulary.STATUS_LABELS:
            found.append(f"没有“{self.status}”这种状态")
        if self.kind and self.kind not in vocabulary.KIND_LABELS:
            found.append(f"没有“{self.kind}”这种项目属性")
        if len(self.search) > 200:
            found.append("搜索词不能超过 200 个字")
        return found

    def where(self) -> TableFilter:
        return TableFilter(
            fiscal_year=int(self.year) if self.year else None,
            status=self.status or None,
            kind=self.kind or None,
            search=self.search or None,
        )


def _cursor(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() and len(text) < 12 else None


@router.get("/", response_class=HTMLResponse)
def table_list(
    request: Request,
    viewer: SignedIn,
    year: str = "",
    status: str = "",
    kind: str = "",
    search: str = "",
    after: str | None = None,
    trail: str = "",
    size: int = PAGE_SIZE,
) -> HTMLResponse:
    node = node_of(request)
    filters = Filters(year.strip(), status, kind, search.strip())
    problems = filters.problems()
    cursor = _cursor(after)
    size = min(max(size, 1), MAX_PAGE_SIZE)
    listing = None
    if not problems:
        listing = node.reading.tables(viewer.actor, filters.where(), size, cursor)
    earlier = [item for item in trail.split(",") if item.isdigit()][-MAX_TRAIL:]
    reviews = node.gate.allows(viewer.actor, Operation.REVIEW_READ)
    inbox = node.reading.inbox(viewer.actor, "submitted", PAGE_SIZE, None) if reviews else None
    return page(
        request,
        "tables.html",
        viewer,
        filters=filters,
        problems=problems,
        listing=listing,
        after=cursor,
        size=size,
        earlier=earlier,
        inbox=inbox,
        awaiting_reports=reports_awaiting(request, viewer) if reviews else [],
        may_edit=node.gate.allows(viewer.actor, Operation.EDIT),
    )
