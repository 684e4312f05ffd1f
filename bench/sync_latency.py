"""Submit → visible at the province, and decision → visible at the city, through real node
processes and the real broker; each round trip returns the table so it can be submitted again."""

from __future__ import annotations

import tempfile
import time
from functools import partial
from pathlib import Path

from consumers.broker import Broker
from tests.conftest import NANCHANG
from tests.e2e.servers import free_port
from tests.e2e.sync_nodes import RETURN, SUBMIT, Node, eventually


def measure(rounds: int, database_url: str | None = None) -> tuple[list[float], list[float]]:
    """Milliseconds for each submission to reach the province and each return to come back."""
    up: list[float] = []
    down: list[float] = []
    with tempfile.TemporaryDirectory() as folder, Broker(free_port()) as broker:
        data = Path(folder) / "var"
        city = Node("360100", data, broker.bootstrap, database_url=database_url)
        table_id = city.seed(NANCHANG)[0]
        province = Node("360000", data, broker.bootstrap, database_url=database_url)
        city.start()
        province.start()
        try:
            version = 1
            for _ in range(rounds):
                city.ask("editor", SUBMIT, {"i": {"tableId": table_id, "expectedVersion": version}})
                version += 1
                started = time.perf_counter()
                eventually(partial(_in_inbox, province, table_id, version))
                up.append((time.perf_counter() - started) * 1000)
                decision = {"tableId": table_id, "version": version, "reason": "bench"}
                province.ask("reviewer", RETURN, {"i": decision})
                started = time.perf_counter()
                eventually(lambda: city.table(table_id)["status"] == "RETURNED")
                down.append((time.perf_counter() - started) * 1000)
                version += 1
        finally:
            city.stop()
            province.stop()
    return up, down


def _in_inbox(node: Node, table_id: str, version: int) -> bool:
    return any(e["tableId"] == table_id and e["version"] == version for e in node.inbox())
