"""Approved tables to report on, and reports stored the way an older release stored them."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from domain.model import Actor, Role
from domain.monitoring import MonitoringForm, MonitoringRound
from domain.received_report import ReceivedReport, ReportDocument
from domain.reports import Basis, Target
from domain.scoring import MonitoringRules
from domain.values import parse_value
from infra.bootstrap import NodeServices
from tests.conftest import NANCHANG, seed_documents

ROOT = "360000"  # 江西省 reviews its own tables, so one node holds a whole report cycle
ROOT_EDITOR = Actor("id:editor@360000", "editor@360000", Role.EDITOR, ROOT)
ROOT_REVIEWER = Actor("id:reviewer@360000", "reviewer@360000", Role.REVIEWER, ROOT)
# 32 nines: what outside testers typed as 1–M月 budget executed (issue 25, point 1).
NINES = Decimal("9" * 32)


def approved_root_tables(services: NodeServices) -> list[UUID]:
    """Nanchang's seed tables imported on the root node; the first submitted and approved."""
    services.app.import_documents(seed_documents(NANCHANG, ROOT), ROOT_EDITOR, "seed")
    table_ids = sorted(services.app.table_ids())
    first = table_ids[0]
    services.workflow.submit(ROOT_EDITOR, first, 1, "请审核")
    services.workflow.approve(ROOT_REVIEWER, first, 2, "同意")
    return table_ids


def store_round_below_the_checks(
    services: NodeServices, table_id: UUID, month: int, form: MonitoringForm
) -> MonitoringRound:
    """A round whose form skipped today's checks, as an older release could store it."""
    basis = services.reports.basis(ROOT_EDITOR, table_id)
    report = MonitoringRound.open(basis, month, MonitoringRules(), ROOT_EDITOR)
    report._report(form, ROOT_EDITOR, None)  # the event, without the command's checks
    services.app.save_tracked(None, report)
    return report


def store_received_below_the_checks(
    services: NodeServices, document: ReportDocument, jurisdiction: str, sender: Actor
) -> ReceivedReport:
    """A child's report received without today's checks, as an older release took it in."""
    received = ReceivedReport(
        report_id=UUID(document.report_id),
        stage=document.stage,
        table_id=UUID(document.basis.table_id),
        jurisdiction=jurisdiction,
    )
    received._receive(document, "event-from-an-older-release", sender)
    services.app.save_tracked(None, received)
    return received


def target(indicator_id: str, raw: str, level1_code: str = "output") -> Target:
    return Target(
        indicator_id=indicator_id,
        level1="产出指标",
        level1_code=level1_code,
        level2="数量指标",
        name=f"指标{indicator_id}",
        value=parse_value(raw),
    )


def basis(*targets: Target, budget: str = "100") -> Basis:
    return Basis(
        table_id="6f1c9a3e-0000-4000-8000-000000000001",
        jurisdiction="360100",
        fiscal_year=2026,
        table_version=4,
        project_name="测试项目",
        department="南昌市生态环境局",
        budget=Decimal(budget),
        targets=targets,
    )
