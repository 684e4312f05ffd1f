"""A projection that cannot apply an event, as operators and editors meet it: /health and
``jixiao projections status`` say where it stopped and why, edits go on, a fix resumes it."""

from __future__ import annotations

from pathlib import Path

import pytest

from infra.bootstrap import build_services
from infra.settings import Settings
from tests.conftest import ServicesFactory
from tests.e2e.graphql_client import serving
from tests.e2e.test_graphql import mutate, table
from tests.integration.test_projection_faults import POISON, edit_for, poison_the_timeline
from tests.integration.test_projections import seeded
from tests.support.cli import run


def test_health_names_the_stopped_projection_and_editors_go_on_editing(
    services_factory: ServicesFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = services_factory("360100")
    table_id = str(seeded(services)[0])
    poison_the_timeline(monkeypatch)
    with serving(services) as api:
        indicator = table(api, table_id)["indicators"][0]["id"]
        poison = services.runner.reader.head() + 1
        for reason, value in [(POISON, "≥7项"), ("一", "≥8项"), ("二", "≥9项"), ("三", "≥10项")]:
            version = table(api, table_id)["version"]  # as an editor's page reads it
            edit = {"tableId": table_id, "expectedVersion": version, "indicatorId": indicator}
            changed = mutate(api, "setIndicatorValue", {**edit, "value": value, "reason": reason})
            assert changed == {
                "__typename": "TableChanged",
                "table": {"id": table_id, "version": version + 1, "status": "DRAFT"},
            }
        health = api.client.get("/health").json()
        assert health["projections"]["timeline"] == 4
        assert {lag for name, lag in health["projections"].items() if name != "timeline"} == {0}
        stopped = health["stopped"]["timeline"]
        assert (stopped["position"], stopped["stopped_at"]) == (poison - 1, poison)
        assert stopped["error"] == f"ValueError: cannot apply [/red]{POISON}"
        assert stopped["originator"] == table_id
        assert set(health["stopped"]) == {"timeline"}

        monkeypatch.undo()  # the fix is deployed
        services.runner.retry()
        health = api.client.get("/health").json()
        assert health["stopped"] == {}
        assert set(health["projections"].values()) == {0}
        reasons = [entry["reason"] for entry in table(api, table_id)["timeline"]]
        assert reasons == ["seed", POISON, "一", "二", "三"]


def test_projections_status_shows_where_one_stopped_and_retry_resumes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "var"
    services = build_services("360100", Settings(data_dir=data_dir))
    try:
        table_id = seeded(services)[0]
        poison_the_timeline(monkeypatch)
        poison = edit_for(services, table_id, POISON)
        services.runner.catch_up()
    finally:
        services.close()

    status = run(data_dir, "projections", "status", "-j", "360100").stdout
    assert f"timeline stopped at event {poison} (domain.table:TargetTable." in status
    assert f"ValueError: cannot apply [/red]{POISON}" in status
    row = next(line for line in status.splitlines() if " timeline " in line)
    assert [cell.strip() for cell in row.split("│")[1:6]] == ["timeline", "4", "5", "1", "5"]

    # Another process runs the code without the bug, as a node does after the fix is deployed.
    retried = run(data_dir, "projections", "retry", "-j", "360100")
    assert "timeline resumed and caught up" in retried.stdout
    status = run(data_dir, "projections", "status", "-j", "360100").stdout
    assert "stopped at event" not in status
    assert run(data_dir, "projections", "retry", "-j", "360100").stdout == (
        "no projection is stopped\n"
    )
