"""Links to 运行监控 and 绩效自评: the panel on an approved table's page (the rounds so far, a
month to open, the self-evaluation's status) and the reports waiting in a reviewer's inbox."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from fastapi import Request

from api.web.report_views import LIGHT_WORDS, status_words
from api.web.reports import DEFAULT_MONTH, MONTHS
from api.web.session import Viewer, node_of
from domain import errors
from domain.access import Operation
from domain.reports import ReportStatus, Stage
from infra.bootstrap import NodeServices
from service_layer.parsing import table_id_of
from service_layer.reports import ReportView, UnknownReport


@dataclass(frozen=True)
class RoundLink:
    month: int
    status: str
    status_code: str
    version: int
    rate: str
    light: str
    light_word: str


@dataclass(frozen=True)
class ReportsPanel:
    """运行监控 and 绩效自评 on the table page: the rounds so far, a month to open, the
    self-evaluation's status."""

    table_id: str
    rounds: list[RoundLink]
    may_open: bool
    default_month: int
    months: range
    evaluation_status: str
    evaluation_code: str


def reports_panel(
    request: Request, viewer: Viewer, table_id: str, status: str
) -> ReportsPanel | None:
    """The panel for the table page, once the table is approved (or has reports already)."""
    node = node_of(request)
    key = table_id_of(table_id)
    try:
        rounds = node.reports.rounds_of(viewer.actor, key)
        evaluation = _evaluation_view(node, viewer, key)
    except errors.Forbidden:
        return None
    open_now = status in ("approved", "adjusting")
    if not open_now and not rounds and evaluation is None:
        return None
    links = []
    for view in rounds:
        found = view.figures
        links.append(
            RoundLink(
                month=view.through_month or 0,
                status=status_words(view),
                status_code=view.status.value,
                version=view.version,
                rate=f"{found.execution_rate}%" if found else "",
                light=found.execution_light.value if found else "",
                light_word=LIGHT_WORDS[found.execution_light] if found else "",
            )
        )
    editor = node.gate.allows(viewer.actor, Operation.EDIT)
    return ReportsPanel(
        table_id=str(key),
        rounds=links,
        may_open=open_now and editor,
        default_month=DEFAULT_MONTH,
        months=MONTHS,
        evaluation_status=status_words(evaluation),
        evaluation_code=evaluation.status.value if evaluation else "none",
    )


def _evaluation_view(node: NodeServices, viewer: Viewer, key: UUID) -> ReportView | None:
    try:
        return node.reports.report(viewer.actor, Stage.SELF_EVALUATION, key)
    except UnknownReport:
        return None


@dataclass(frozen=True)
class AwaitingReport:
    """A report waiting for this reviewer's decision, as the inbox lists it."""

    address: str
    name: str
    what: str
    jurisdiction: str
    fiscal_year: int
    version: int


def reports_awaiting(request: Request, viewer: Viewer) -> list[AwaitingReport]:
    """Reports submitted to this reviewer: children's received, or a root's own."""
    node = node_of(request)
    if not node.gate.allows(viewer.actor, Operation.REVIEW_READ):
        return []
    try:
        views = node.reports.reports(viewer.actor)
    except errors.Forbidden:
        return []
    found = []
    for view in views:
        if view.status is not ReportStatus.SUBMITTED:
            continue
        if not view.received and not node.place.is_root:
            continue  # its own, waiting at the parent's node
        basis = view.basis
        if view.stage is Stage.MONITORING:
            address = f"/tables/{basis.table_id}/monitoring/{view.through_month}"
            what = f"运行监控（1–{view.through_month}月）"
        else:
            address = f"/tables/{basis.table_id}/evaluation"
            what = "绩效自评"
        found.append(
            AwaitingReport(
                address,
                basis.project_name,
                what,
                basis.jurisdiction,
                basis.fiscal_year,
                view.version,
            )
        )
    return sorted(found, key=lambda item: (item.name, item.what))
