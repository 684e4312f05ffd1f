"""Issue 25, point 1: a report of 32 nines (万元) is refused at every entry point, and one
that an older release stored anyway leaves every other page and listing of the node readable.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from api.web.session import COOKIE
from domain.monitoring import MonitoringForm
from domain.received_report import ReportDocument
from domain.reports import Stage
from domain.scoring import MonitoringRules
from infra.bootstrap import NodeServices
from tests.conftest import ServicesFactory
from tests.e2e.graphql_client import Api, serving
from tests.support.reports import (
    NINES,
    ROOT_EDITOR,
    ROOT_REVIEWER,
    approved_root_tables,
    store_received_below_the_checks,
    store_round_below_the_checks,
)

MONTH = 6
REFUSED = "... on InvalidInput { message field }"
SET_MONITORING = (
    "mutation($input: SetMonitoringInput!) { setMonitoring(input: $input) { __typename "
    + REFUSED
    + " } }"
)
SET_EVALUATION = (
    "mutation($input: SetSelfEvaluationInput!) { setSelfEvaluation(input: $input) { __typename "
    + REFUSED
    + " } }"
)
WATCHED = "{ watchedRounds { throughMonth executionRate fault } }"
ROUNDS = "query($id: ID!) { monitoringRounds(tableId: $id) { throughMonth fault } }"
ROLES = ("editor", "reviewer", "auditor", "admin")


def _faulty_round(services: NodeServices, table_id: UUID) -> None:
    store_round_below_the_checks(services, table_id, MONTH, MonitoringForm(budget_executed=NINES))


def _page(api: Api, path: str, role: str) -> Any:
    api.client.cookies.set(COOKIE, api.token(role))
    return api.client.get(path)


def test_a_round_of_32_nines_is_refused_as_invalid_input_naming_the_field(
    services_factory: ServicesFactory,
) -> None:
    services = services_factory("360000")
    table_id = approved_root_tables(services)[0]
    with serving(services) as api:
        for field in ("budgetExecuted", "budgetForecast"):
            form = {"budgetExecuted": "1", field: "9" * 32}
            data = {"tableId": str(table_id), "throughMonth": MONTH, "expectedVersion": 0, **form}
            refused = api.query(SET_MONITORING, {"input": data})["setMonitoring"]
            assert refused["__typename"] == "InvalidInput"
            assert refused["field"] == field
            assert "超出金额（万元）的范围" in refused["message"]
        for field in ("budgetFullYear", "budgetExecuted"):
            form = {"budgetFullYear": "78", "budgetExecuted": "78", field: "9" * 32}
            data = {"tableId": str(table_id), "expectedVersion": 0, **form}
            refused = api.query(SET_EVALUATION, {"input": data})["setSelfEvaluation"]
            assert refused["__typename"] == "InvalidInput"
            assert refused["field"] == field
    assert services.reports.reports(ROOT_EDITOR) == []  # nothing was stored


def test_the_workbench_form_refuses_32_nines_and_stores_nothing(
    services_factory: ServicesFactory,
) -> None:
    services = services_factory("360000")
    table_id = approved_root_tables(services)[0]
    path = f"/tables/{table_id}/monitoring/{MONTH}"
    with serving(services) as api:
        shown = _page(api, path, "editor")
        assert shown.status_code == 200
        csrf = shown.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        sent = api.client.post(
            path,
            data={"csrf": csrf, "version": "0", "budget_executed": "9" * 32},
            follow_redirects=False,
        )
    assert sent.status_code == 200, sent.status_code  # the form, shown again with its problem
    assert "超出金额（万元）的范围" in sent.text
    assert services.reports.reports(ROOT_EDITOR) == []


def test_a_stored_round_of_32_nines_is_shown_as_faulty_and_every_other_page_reads(
    services_factory: ServicesFactory,
) -> None:
    services = services_factory("360000")
    faulty, other = approved_root_tables(services)[:2]
    _faulty_round(services, faulty)
    views = services.reports.reports(ROOT_EDITOR)
    assert [view.faulty for view in views] == [True]
    assert views[0].figures is None
    assert services.reports.watched(ROOT_EDITOR, None) == []
    with serving(services) as api:
        assert api.query(WATCHED, role="reviewer") == {"watchedRounds": []}
        rounds = api.query(ROUNDS, {"id": str(faulty)})["monitoringRounds"]
        assert [item["throughMonth"] for item in rounds] == [MONTH]
        assert "无法计算" in rounds[0]["fault"]
        for role in ROLES:
            for path in ("/", f"/tables/{faulty}", f"/tables/{other}"):
                answer = _page(api, path, role)
                assert answer.status_code == 200, (role, path, answer.status_code)
        report_page = _page(api, f"/tables/{faulty}/monitoring/{MONTH}", "editor")
        assert report_page.status_code == 200
        assert 'id="report-fault"' in report_page.text
        assert "数据有误" in report_page.text
        # The bureau mends it at the version every reading shows, as for any other edit.
        mend = {
            "tableId": str(faulty),
            "throughMonth": MONTH,
            "expectedVersion": views[0].version,
            "budgetExecuted": "30",
        }
        mended = api.query(SET_MONITORING, {"input": mend})["setMonitoring"]
        assert mended["__typename"] == "MonitoringChanged"
    (view,) = services.reports.reports(ROOT_EDITOR)
    assert (view.faulty, view.monitoring) == (False, MonitoringForm(budget_executed=Decimal(30)))


def test_a_received_round_of_32_nines_leaves_the_reviewers_pages_readable(
    services_factory: ServicesFactory,
) -> None:
    province = services_factory("360000")
    source = services_factory("360000", store="b")  # a node only to make a real basis
    basis = source.reports.basis(ROOT_EDITOR, approved_root_tables(source)[0])
    document = ReportDocument(
        stage=Stage.MONITORING,
        report_id=str(UUID(int=7)),
        version=2,
        basis=basis,
        through_month=MONTH,
        monitoring_rules=MonitoringRules(),
        monitoring=MonitoringForm(budget_executed=NINES),
    )
    store_received_below_the_checks(province, document, "360100", ROOT_EDITOR)
    with serving(province) as api:
        assert api.query(WATCHED, role="reviewer") == {"watchedRounds": []}
        for role in ("reviewer", "auditor", "admin"):
            assert _page(api, "/", role).status_code == 200, role
    views = province.reports.reports(ROOT_REVIEWER)
    assert [(view.received, view.faulty) for view in views] == [(True, True)]


TABLE_EDIT = """mutation($input: {kind}!) {{ {name}(input: $input) {{ __typename
  ... on InvalidInput {{ message field }} }} }}"""


def test_a_table_edit_of_32_nines_is_refused_as_invalid_input_naming_the_field(
    services_factory: ServicesFactory,
) -> None:
    services = services_factory("360000")
    draft = approved_root_tables(services)[1]  # a draft: its funds may be edited
    nines = "9" * 32
    edits: list[tuple[str, dict[str, Any], str]] = [
        ("setFundTotal", {"amount": nines}, "amount"),
        ("setFundSource", {"source": "财政拨款", "amount": nines}, "amount"),
        ("addExpenditure", {"line": {"name": "购置", "fullYear": nines}}, "line.fullYear"),
    ]
    with serving(services) as api:
        for name, given, field in edits:
            kind = name[0].upper() + name[1:] + "Input"
            data = {"tableId": str(draft), "expectedVersion": 1, **given}
            refused = api.query(TABLE_EDIT.format(kind=kind, name=name), {"input": data})[name]
            assert (refused["__typename"], refused["field"]) == ("InvalidInput", field), name
            assert "超出金额（万元）的范围" in refused["message"]
    assert services.app.table(draft).version == 1  # nothing stored
