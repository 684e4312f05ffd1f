"""``jixiao serve --workers 2`` on PostgreSQL, the process that runs the projections (and then
the one that runs the sync) killed in the middle of a burst of edits and reads: no server error,
every acknowledged edit stored once, the roles taken over, the views equal to a rebuild."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx

from api.auth import issue_token
from consumers.broker import Broker
from domain.model import Actor, Role
from domain.table import TargetTable
from infra.bootstrap import NodeServices, build_services
from infra.settings import Settings
from tests.conftest import NANCHANG, seed_documents
from tests.e2e.servers import JIXIAO, free_port, node_env, stop, wait_healthy
from tests.e2e.sync_nodes import SUBMIT, eventually
from tests.views import dump_views

EDIT = """mutation($i: SetIndicatorValueInput!) { setIndicatorValue(input: $i) { __typename
  ... on TableChanged { table { version } } ... on VersionConflict { currentVersion } } }"""
READS = ("{ tables(first: 20) { totalCount edges { node { id version } } } }", "{ me { name } }")
EDITOR = Actor("workers:editor", "编报", Role.EDITOR, "360100")


@dataclass
class Burst:
    """What the clients saw: acknowledged edits, edits whose answer was lost, server errors."""

    url: str
    token: str
    stop: threading.Event = field(default_factory=threading.Event)
    acknowledged: list[str] = field(default_factory=list)
    unanswered: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    reads: int = 0

    def client(self) -> httpx.Client:
        # No kept-alive connections: each request may land on either worker.
        return httpx.Client(
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=15,
            limits=httpx.Limits(max_keepalive_connections=0),
        )

    def ask(self, client: httpx.Client, query: str, variables: dict[str, Any]) -> Any:
        """The answer's data; ``None`` when the connection failed (a worker killed)."""
        try:
            response = client.post(self.url, json={"query": query, "variables": variables})
        except httpx.TransportError:
            return None
        body = response.json() if response.status_code < 500 else {}
        if response.status_code >= 500 or "errors" in body:
            self.failures.append(f"{response.status_code} {response.text[:300]}")
            return None
        return body["data"]

    def edit(self, name: str, table_id: str, indicator: str, version: int) -> None:
        with self.client() as client:
            step = 0
            while not self.stop.is_set():
                step += 1
                reason = f"{name}-{step}"
                data = {
                    "tableId": table_id,
                    "expectedVersion": version,
                    "indicatorId": indicator,
                    "value": f"≥{step}项",
                    "reason": reason,
                }
                answer = self.ask(client, EDIT, {"i": data})
                result: dict[str, Any] = (
                    answer["setIndicatorValue"] if answer else {"__typename": "lost"}
                )
                if result["__typename"] == "TableChanged":
                    self.acknowledged.append(reason)
                    version = result["table"]["version"]
                elif result["__typename"] == "VersionConflict":  # a lost answer's edit landed
                    version = result["currentVersion"]
                elif result["__typename"] == "lost":
                    self.unanswered.append(reason)
                else:
                    self.failures.append(str(result))

    def read(self) -> None:
        with self.client() as client:
            while not self.stop.is_set():
                for query in READS:
                    self.ask(client, query, {})
                    self.reads += 1


def leaders(base: str) -> dict[str, str | None]:
    try:
        found: dict[str, str | None] = httpx.get(f"{base}/health", timeout=5).json()["leaders"]
    except httpx.TransportError:
        return {}
    return found


def pid(holder: str) -> int:
    return int(holder.rsplit(":", 1)[1])


def kill_mid_burst(base: str, burst: Burst, role: str, killed: set[int]) -> None:
    """SIGKILL the process leading ``role`` once edits flow; wait until others lead every role."""
    holder, _ = eventually(lambda: leaders(base).get(role))
    if pid(holder) in killed:
        return
    before = len(burst.acknowledged)
    eventually(lambda: len(burst.acknowledged) >= before + 15, seconds=60)
    os.kill(pid(holder), signal.SIGKILL)
    killed.add(pid(holder))

    def taken_over() -> bool:
        now = leaders(base)
        return bool(now) and all(h is not None and pid(h) not in killed for h in now.values())

    eventually(taken_over, seconds=60)


def seeded(settings: Settings) -> tuple[list[tuple[str, str, int]], str]:
    services = build_services("360100", settings)
    try:
        services.app.import_documents(seed_documents(NANCHANG, "360100"), EDITOR, "seed")
        tables = [
            (str(table.id), table.content.indicators[0].id, table.version)
            for table in services.app.tables()
        ]
        return tables, issue_token(services.secret, EDITOR, days=1)
    finally:
        services.close()


def test_two_workers_one_killed_mid_burst_lose_nothing_and_hand_over_their_roles(
    own_postgres_database: str, tmp_path: Path
) -> None:
    settings = Settings(data_dir=tmp_path / "var", database_url=own_postgres_database)
    (submitted, *edited), token = seeded(settings)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    burst = Burst(f"{base}/graphql", token)
    log = tmp_path / "serve.log"
    with Broker(free_port()) as broker, log.open("w") as output:
        env = {
            **node_env(tmp_path / "var", own_postgres_database),
            "JIXIAO_KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap,
            "JIXIAO_LEADERSHIP_POLL_SECONDS": "0.5",
        }
        command = [str(JIXIAO), "serve", "-j", "360100", "--port", str(port), "--workers", "2"]
        server = subprocess.Popen(
            command, env=env, stdout=output, stderr=subprocess.STDOUT, text=True
        )
        clients = [
            *(
                threading.Thread(target=burst.edit, args=(f"e{n}", *row))
                for n, row in enumerate(edited)
            ),
            *(threading.Thread(target=burst.read) for _ in range(2)),
        ]
        try:
            wait_healthy(base, server)
            for client in clients:
                client.start()
            killed: set[int] = set()
            for role in ("projections", "sync"):
                kill_mid_burst(base, burst, role, killed)
            acknowledged = len(burst.acknowledged)
            eventually(lambda: len(burst.acknowledged) >= acknowledged + 15, seconds=60)
            burst.stop.set()
            for client in clients:
                client.join(timeout=30)
            submit = {"i": {"tableId": submitted[0], "expectedVersion": submitted[2]}}
            with burst.client() as http:
                answer = burst.ask(http, SUBMIT, submit)
            assert answer["submitTable"]["__typename"] == "TableChanged"
            eventually(lambda: caught_up(base) and published(settings))
        finally:
            burst.stop.set()
            stop(server)

    assert burst.failures == []
    assert burst.reads > 0
    assert "Exception in ASGI application" not in log.read_text(encoding="utf-8")
    services = build_services("360100", settings)
    try:
        check_each_edit_stored_once(services, burst, [row[0] for row in edited])
        projected = dump_views(services.engine)
        services.runner.rebuild()
        assert dump_views(services.engine) == projected
    finally:
        services.close()


def caught_up(base: str) -> bool:
    health = httpx.get(f"{base}/health", timeout=5).json()
    return set(health["projections"].values()) == {0} and not health["stopped"]


def published(settings: Settings) -> bool:
    """Whether the relay published everything, the submission made after the handover too."""
    services = build_services("360100", settings)
    try:
        return services.relay.position() > 0 and services.relay.unpublished() == 0
    finally:
        services.close()


def check_each_edit_stored_once(services: NodeServices, burst: Burst, tables: list[str]) -> None:
    reasons: Counter[str | None] = Counter()
    for table_id in tables:
        events = list(services.app.repository.event_store.get(UUID(table_id)))
        reasons.update(event.reason for event in events if isinstance(event, TargetTable.Event))
        assert services.app.table(UUID(table_id)).version == len(events)
    assert all(reasons[reason] == 1 for reason in burst.acknowledged)
    assert max(count for reason, count in reasons.items() if reason != "seed") == 1
    landed = set(reasons) - {"seed"}
    assert set(burst.acknowledged) <= landed <= set(burst.acknowledged) | set(burst.unanswered)


def test_workers_on_sqlite_are_refused_with_the_reason(tmp_path: Path) -> None:
    command = [str(JIXIAO), "serve", "-j", "360100", "--port", str(free_port()), "--workers", "2"]
    env = node_env(tmp_path / "var", None)
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "--workers needs PostgreSQL" in done.stderr
