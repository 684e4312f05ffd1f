"""Real nodes talking through a real broker, driven over HTTP as users would."""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from api.auth import issue_token
from consumers.consumer import SyncConsumer
from domain.model import Actor, Role
from infra.bootstrap import NodeServices, build_services
from infra.settings import Settings
from tests.conftest import seed_documents
from tests.e2e.servers import free_port, node_env, start_node, stop

SUBMIT = """mutation($i: SubmitTableInput!) { submitTable(input: $i) {
  __typename ... on TableChanged { table { version status } } } }"""
SET_VALUE = """mutation($i: SetIndicatorValueInput!) { setIndicatorValue(input: $i) {
  __typename ... on TableChanged { table { version } } } }"""
APPROVE = """mutation($i: ApproveSubmissionInput!) { approveSubmission(input: $i) {
  __typename ... on TableChanged { table { status version } } ... on Forbidden { message }
  ... on InvalidInput { message } ... on VersionConflict { message }
  ... on TransitionRefused { message } } }"""
RETURN = """mutation($i: ReturnSubmissionInput!) { returnSubmission(input: $i) {
  __typename ... on TableChanged { table { status version } } } }"""
INBOX = (
    "{ inbox(first: 100) { totalCount edges { node { tableId version status jurisdiction } } } }"
)
TABLE = """query($id: ID!) { table(id: $id) { version status
  indicators { id fullYear { raw } }
  review {
    action version comment reviewer { jurisdiction }
    indicatorComments { indicatorId comment }
  } } }"""


@contextmanager
def consuming(
    node: NodeServices, bootstrap: str
) -> Iterator[tuple[SyncConsumer, threading.Thread]]:
    """The node's Kafka consumer, run in a thread of this process until the block ends."""
    consumer = SyncConsumer(node.inbound, bootstrap, node.runner.nudge, node.relay.in_flight)
    stop = threading.Event()
    worker = threading.Thread(target=consumer.run, args=(stop,), daemon=True)
    worker.start()
    try:
        yield consumer, worker
    finally:
        stop.set()
        worker.join(timeout=20)


@dataclass
class Node:
    code: str
    data_dir: Path
    bootstrap: str
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[str] | None = None
    secret: str = ""
    database_url: str | None = None
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/graphql"

    def seed(self, path: Path) -> list[str]:
        services = build_services(self.code, self._settings())
        try:
            importer = Actor("seed", "seed", Role.EDITOR, self.code)
            services.app.import_documents(seed_documents(path, self.code), importer, "seed")
            return [str(table_id) for table_id in services.app.table_ids()]
        finally:
            services.close()

    def start(self) -> Node:
        services = build_services(self.code, self._settings())
        self.secret = services.secret
        services.close()
        env = {
            **node_env(self.data_dir, self.database_url),
            "JIXIAO_KAFKA_BOOTSTRAP_SERVERS": self.bootstrap,
            **self.extra_env,
        }
        self.process = start_node(self.code, self.port, env)
        return self

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait()

    def ask(self, role: str, query: str, variables: dict[str, Any] | None = None) -> Any:
        actor = Actor(f"{self.code}:{role}", f"{role}@{self.code}", Role(role), self.code)
        token = issue_token(self.secret, actor, days=1)
        response = httpx.post(
            self.url,
            json={"query": query, "variables": variables or {}},
            headers={"Authorization": f"Bearer {token}"},
            timeout=15,
        )
        body = response.json()
        assert "errors" not in body, body
        return body["data"]

    def table(self, table_id: str) -> dict[str, Any]:
        found: dict[str, Any] = self.ask("auditor", TABLE, {"id": table_id})["table"]
        return found

    def inbox(self) -> list[dict[str, Any]]:
        edges = self.ask("reviewer", INBOX)["inbox"]["edges"]
        return [edge["node"] for edge in edges]

    def _settings(self) -> Settings:
        return Settings(data_dir=self.data_dir, database_url=self.database_url)


def eventually(check: Callable[[], Any], seconds: float = 30) -> tuple[Any, float]:
    """The first truthy result of ``check`` and how long it took; fails after ``seconds``."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        found = check()
        if found:
            return found, time.monotonic() - started
        time.sleep(0.02)
    raise AssertionError(f"not true within {seconds} s")
