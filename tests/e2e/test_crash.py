"""Kill a node in the middle of a burst of edits: nothing acknowledged is lost, and after a
restart its projections equal a full rebuild."""

from __future__ import annotations

import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

import httpx
import pytest

from api.auth import issue_token
from domain.model import Actor, Role
from infra.bootstrap import build_services
from infra.settings import Settings
from tests.conftest import NANCHANG, seed_documents
from tests.e2e.servers import free_port, node_env, start_node, stop
from tests.views import dump_views

EDIT = """
mutation($input: SetIndicatorValueInput!) {
  setIndicatorValue(input: $input) { __typename ... on TableChanged { table { version } } }
}
"""


@dataclass
class Editing:
    version: int
    indicator: str


def burst(url: str, token: str, tables: dict[str, Editing], stop_event: threading.Event) -> None:
    """Edit round-robin until the server goes away; record each acknowledged version."""
    with httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=5) as client:
        step = 0
        while not stop_event.is_set():
            for table_id, state in tables.items():
                step += 1
                data = {
                    "tableId": table_id,
                    "expectedVersion": state.version,
                    "indicatorId": state.indicator,
                    "value": f"≥{step}项",
                    "reason": f"burst {step}",
                }
                try:
                    response = client.post(url, json={"query": EDIT, "variables": {"input": data}})
                except httpx.HTTPError:
                    return
                result = response.json()["data"]["setIndicatorValue"]
                assert result["__typename"] == "TableChanged", result
                state.version = result["table"]["version"]


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_killed_mid_burst_restarts_with_views_equal_to_a_rebuild(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    database_url = request.getfixturevalue("postgres_database") if backend == "postgres" else None
    settings = Settings(data_dir=tmp_path / "var", database_url=database_url)
    services = build_services("360100", settings)
    editor = Actor("crash:editor", "编报", Role.EDITOR, "360100")
    services.app.import_documents(seed_documents(NANCHANG, "360100"), editor, "seed")
    tables = {
        str(table.id): Editing(table.version, table.content.indicators[0].id)
        for table in services.app.tables()
    }
    token = issue_token(services.secret, editor, days=1)
    services.close()

    env = node_env(tmp_path / "var", database_url)
    port = free_port()
    url = f"http://127.0.0.1:{port}/graphql"
    server = start_node("360100", port, env)
    stop_event = threading.Event()
    editing = threading.Thread(target=burst, args=(url, token, tables, stop_event))
    try:
        editing.start()
        deadline = time.monotonic() + 60
        while (
            sum(state.version for state in tables.values()) < 4 + 40 and time.monotonic() < deadline
        ):
            time.sleep(0.01)
        server.send_signal(signal.SIGKILL)
        server.wait()
        stop_event.set()
        editing.join(timeout=10)
        acknowledged = {table_id: state.version for table_id, state in tables.items()}
        assert sum(acknowledged.values()) >= 4 + 40

        server = start_node("360100", port, env)
        health = httpx.get(f"http://127.0.0.1:{port}/health").json()
        assert set(health["projections"].values()) == {0}
    finally:
        stop_event.set()
        stop(server)

    restarted = build_services("360100", settings)
    try:
        for table_id, version in acknowledged.items():
            stored = restarted.app.table(UUID(table_id)).version
            assert stored in {version, version + 1}  # one edit may be stored, its answer lost
            assert restarted.reads.table_summaries([table_id])[table_id].version == stored
        after_restart = dump_views(restarted.engine)
        events = restarted.runner.rebuild()
        assert len(after_restart["timeline"]) == events
        assert dump_views(restarted.engine) == after_restart
    finally:
        restarted.close()
