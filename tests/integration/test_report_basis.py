"""Issue 25, point 11: a report is measured against the table's last approved content — the
version the approval holds, or the registration of a table an admin imported as approved —
never the working copy of an adjustment."""

from __future__ import annotations

import json
from uuid import UUID

import pytest

from domain.model import Actor, Period, Role, Status
from domain.reports import NoApprovedVersion
from infra.bootstrap import NodeServices
from infra.documents.reading import read_files
from projections.documents import dump_document
from tests.conftest import NANCHANG, ServicesFactory, seed_documents

EDITOR = Actor("u-1", "王编报", Role.EDITOR, "360100")
ADMIN = Actor("u-5", "陈管理", Role.ADMIN, "360100")


def _imported_as(services: NodeServices, status: str) -> tuple[UUID, str]:
    """A seed table an admin imports keeping its document's ``status``: (table id, first
    indicator's approved full-year value)."""
    seed = seed_documents(NANCHANG, "360100")[0]
    data = json.loads(dump_document(seed))
    data["status"] = status
    documents = read_files(
        [("backup.json", json.dumps(data, ensure_ascii=False).encode())], "360100"
    )
    (outcome,) = services.editing.import_documents(ADMIN, documents, "从备份恢复", keep_status=True)
    return outcome.table_id, seed.indicators[0].full_year.raw


def test_a_report_during_an_adjustment_of_an_imported_approved_table_reads_the_approved_targets(
    services_factory: ServicesFactory,
) -> None:
    services = services_factory("360100")
    table_id, approved_value = _imported_as(services, "approved")
    table = services.app.table(table_id)
    first = table.content.indicators[0].id
    assert (table.status, table.decision) == (Status.APPROVED, None)
    services.workflow.open_adjustment(EDITOR, table_id, 1, "调整目标")
    services.editing.set_indicator_value(EDITOR, table_id, 2, first, Period.FULL_YEAR, "≥999块")
    assert services.app.table(table_id).indicator(first).full_year.raw == "≥999块"

    basis = services.reports.basis(EDITOR, table_id)

    assert basis.table_version == 1  # the registration, which holds the approved content
    target = basis.target(first)
    assert target is not None
    assert target.value.raw == approved_value != "≥999块"


def test_a_table_imported_as_adjusting_has_no_approved_version_to_report_against(
    services_factory: ServicesFactory,
) -> None:
    services = services_factory("360100")
    table_id, _ = _imported_as(services, "adjusting")
    assert services.app.table(table_id).status is Status.ADJUSTING
    with pytest.raises(NoApprovedVersion):
        services.reports.basis(EDITOR, table_id)
