"""Many clients at once on one node: readers of random tables and editors, two of them racing
on the same table; then a sweep that reads every table, for the node's peak memory.

The clients share one asyncio loop and speak plain HTTP/1.1 over kept-alive connections, so
the load generator spends a fraction of what the server does per request.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Any
from uuid import UUID

import orjson
import psycopg
from psycopg import sql

from api.auth import issue_token
from bench.dataset import generate
from bench.measures import percentile
from bench.processes import cpu_seconds, peak_rss_mb, process_tree, start
from domain.model import Actor, Role
from infra.bootstrap import build_services
from infra.settings import Settings
from tests.e2e.servers import stop

TABLE_READ = """query($id: ID!) { table(id: $id) { id name version status
  project { name department kind } funds { total sources { code amount } }
  indicators { id name level1 level2 halfYear { raw } fullYear { raw op number unit } }
  findings { code severity } } }"""
EDIT = """mutation($input: SetIndicatorValueInput!) { setIndicatorValue(input: $input) {
  __typename ... on TableChanged { table { version } }
  ... on VersionConflict { currentVersion } } }"""
EDITABLE = {"DRAFT", "RETURNED", "ADJUSTING"}
RSS_BOUND_MB = 500
WARMUP_SECONDS = 2.0
REQUESTS_PER_CONNECTION = 100


@dataclass(frozen=True)
class Plan:
    readers: int = 12
    editors: int = 4  # the last two edit the same table
    seconds: float = 20.0
    workers: int = 1  # API processes behind the port (``serve --workers``) when above 1


@dataclass
class Tally:
    reads: list[float] = field(default_factory=list)
    edits: list[float] = field(default_factory=list)
    conflicts: int = 0
    errors: list[str] = field(default_factory=list)
    measuring: bool = False

    def error(self, what: str) -> None:
        self.errors.append(what[:300])


class Client:
    """One kept-alive HTTP/1.1 connection posting GraphQL requests, opened anew now and then
    (as browsers do), so that with ``--workers`` the connections spread over the processes
    instead of staying wherever the first burst of them was accepted."""

    def __init__(self, port: int, token: str) -> None:
        self._port = port
        self._head = (
            "POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Authorization: Bearer {token}\r\nContent-Length: "
        ).encode()
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        self._sent = 0

    async def post(self, query: str, variables: dict[str, Any]) -> tuple[int, Any]:
        self._sent += 1
        if self._sent % REQUESTS_PER_CONNECTION == 0:
            self.close()
        if self._streams is None:
            self._streams = await asyncio.open_connection("127.0.0.1", self._port)
        reader, writer = self._streams
        body = orjson.dumps({"query": query, "variables": variables})
        writer.write(self._head + str(len(body)).encode() + b"\r\n\r\n" + body)
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = dict(line.lower().split(": ", 1) for line in lines[1:] if ": " in line)
        payload = await reader.readexactly(int(headers["content-length"]))
        return int(lines[0].split()[1]), orjson.loads(payload)

    def close(self) -> None:
        if self._streams is not None:
            self._streams[1].close()
            self._streams = None


async def _timed(tally: Tally, samples: list[float], call: Any) -> Any:
    started = time.perf_counter()
    status, payload = await call
    if tally.measuring:
        samples.append((time.perf_counter() - started) * 1000)
    if status != 200 or "errors" in payload:
        tally.error(f"{status} {payload}")
        return None
    return payload["data"]


async def read_table(connection: Client, tally: Tally, table_id: str) -> Any:
    data = await _timed(tally, tally.reads, connection.post(TABLE_READ, {"id": table_id}))
    return None if data is None else data["table"]


async def reader(connection: Client, tally: Tally, ids: list[str], until: float) -> None:
    picks = random.Random()
    while time.monotonic() < until:
        await read_table(connection, tally, picks.choice(ids))


async def sweeper(connection: Client, tally: Tally, ids: list[str]) -> None:
    for table_id in ids:
        await read_table(connection, tally, table_id)


async def editor(connection: Client, tally: Tally, table_id: str, stop: asyncio.Event) -> None:
    """Edit one indicator again and again with the version last seen; re-read on a conflict."""
    table = await read_table(connection, tally, table_id)
    indicators, version = [item["id"] for item in table["indicators"]], table["version"]
    for number in count():
        if stop.is_set():
            return
        value = {"indicatorId": indicators[number % len(indicators)], "value": f"≥{number}项"}
        variables = {"input": {"tableId": table_id, "expectedVersion": version, **value}}
        data = await _timed(tally, tally.edits, connection.post(EDIT, variables))
        answer = None if data is None else data["setIndicatorValue"]
        if answer is None or answer["__typename"] not in {"TableChanged", "VersionConflict"}:
            tally.error(f"edit answered {answer}")
            await asyncio.sleep(0.05)
        elif answer["__typename"] == "TableChanged":
            version = answer["table"]["version"]
            if number % 10 == 0:
                await _reads_own_write(connection, tally, table_id, version)
        else:
            tally.conflicts += tally.measuring
            reread = await read_table(connection, tally, table_id)
            version = max(answer["currentVersion"], reread["version"] if reread else 0)


async def _reads_own_write(connection: Client, tally: Tally, table_id: str, wrote: int) -> None:
    """Read-your-writes: a read after an edit shows that version or a later one."""
    found = await read_table(connection, tally, table_id)
    if found is not None and found["version"] < wrote:
        tally.error(f"read version {found['version']} after writing version {wrote}")


async def editable_tables(connection: Client, ids: list[str], editors: int) -> list[str]:
    """A table for each editor that it may change now (draft, returned or adjusting); the
    last two editors share one."""
    wanted = max(1, editors - 1)
    found: list[str] = []
    for table_id in ids:
        _, payload = await connection.post(TABLE_READ, {"id": table_id})
        if payload["data"]["table"]["status"] in EDITABLE:
            found.append(table_id)
        if len(found) == wanted:
            return [*found, found[-1]][:editors]
    raise RuntimeError(f"fewer than {wanted} editable tables")


async def _load(
    server: int, port: int, tokens: tuple[str, str], ids: list[str], plan: Plan
) -> dict[str, Any]:
    """The timed load, then a sweep over every table while the editors go on."""
    tally, editing_stops = Tally(), asyncio.Event()
    readers = [Client(port, tokens[0]) for _ in range(plan.readers)]
    editors = [Client(port, tokens[1]) for _ in range(plan.editors)]
    targets = await editable_tables(editors[0], ids, plan.editors) if editors else []
    edits = [
        asyncio.create_task(editor(connection, tally, table_id, editing_stops))
        for connection, table_id in zip(editors, targets, strict=True)
    ]
    until = time.monotonic() + WARMUP_SECONDS + plan.seconds
    window = asyncio.create_task(_window(tally, process_tree(server), plan.seconds))
    await asyncio.gather(*(reader(connection, tally, ids, until) for connection in readers))
    figures = _speed_figures(tally, *await window)
    started = time.monotonic()
    shuffled = random.Random(5).sample(ids, len(ids))
    step = len(readers)
    await asyncio.gather(*(sweeper(c, tally, shuffled[n::step]) for n, c in enumerate(readers)))
    figures["load_sweep_seconds"] = round(time.monotonic() - started, 1)
    editing_stops.set()
    await asyncio.gather(*edits)
    for connection in [*readers, *editors]:
        connection.close()
    figures["load_errors"] = len(tally.errors)
    figures["load_error_sample"] = tally.errors[:3]
    return figures


async def _window(tally: Tally, pids: list[int], seconds: float) -> tuple[float, float]:
    """After the warm-up, measure for ``seconds``: the wall time and the server's CPU time."""
    await asyncio.sleep(WARMUP_SECONDS)
    tally.measuring, started, used = True, time.monotonic(), cpu_seconds(pids)
    await asyncio.sleep(seconds)
    tally.measuring = False
    return time.monotonic() - started, cpu_seconds(pids) - used


def _speed_figures(tally: Tally, seconds: float, cpu: float) -> dict[str, Any]:
    reads, edits = tally.reads, tally.edits
    return {
        "load_read_p50_ms": _ms(reads, 0.5),
        "load_read_p95_ms": _ms(reads, 0.95),
        "load_edit_p50_ms": _ms(edits, 0.5),
        "load_edit_p95_ms": _ms(edits, 0.95),
        "load_requests_per_s": round((len(reads) + len(edits)) / seconds),
        "load_reads": len(reads),
        "load_edits": len(edits),
        "load_conflicts": tally.conflicts,
        "load_server_cpu_percent": round(100 * cpu / seconds),
        "load_server_cpu_ms_per_request": round(1000 * cpu / max(1, len(reads) + len(edits)), 2),
    }


def _ms(samples: list[float], fraction: float) -> float | None:
    return round(percentile(samples, fraction), 1) if samples else None


def measure(
    folder: Path, url: str, tokens: tuple[str, str], table_ids: list[UUID], plan: Plan
) -> dict[str, Any]:
    """Start a node, load it as ``plan`` says, sweep every table; the figures as bench keys.

    ``tokens`` are a reader's and an editor's bearer tokens for the node's data in ``folder``.
    """
    server, port = start(folder, url, plan.workers)
    try:
        ids = [str(table_id) for table_id in table_ids]
        figures = asyncio.run(_load(server.pid, port, tokens, ids, plan))
        figures["load_peak_rss_mb"] = round(peak_rss_mb(process_tree(server.pid)), 1)
    finally:
        stop(server)
    clients = f"{plan.readers} readers + {plan.editors} editors"
    figures["load_rss_bound_mb"] = RSS_BOUND_MB
    figures["load_setup"] = f"{clients}, {plan.seconds:g} s, {len(table_ids):,} tables swept"
    figures["load_tables"] = len(table_ids)
    figures["load_workers"] = plan.workers
    return figures


def tokens_for(secret: str) -> tuple[str, str]:
    """A reader's (an auditor) and an editor's token for the bench's province node."""
    auditor = Actor("bench:load-reader", "负载读者", Role.AUDITOR, "320000")
    editor = Actor("bench:load-editor", "负载编报", Role.EDITOR, "320000")
    return issue_token(secret, auditor, days=1), issue_token(secret, editor, days=1)


def main() -> None:
    """``python -m bench.load``: the load alone, on a fresh database or a kept bench one."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--tables", type=int, default=1_000, help="tables in a fresh dataset")
    parser.add_argument("--database", help="an existing bench database (bench.run --keep)")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=1)
    arguments = parser.parse_args()
    admin = "postgresql://postgres@127.0.0.1:5432/postgres"
    name = arguments.database or f"jixiao_load_{uuid.uuid4().hex[:8]}"
    url = admin.rsplit("/", 1)[0] + f"/{name}"
    if not arguments.database:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    folder = Path(tempfile.mkdtemp(prefix="jixiao-load-"))
    try:
        services = build_services("320000", Settings(data_dir=folder / "var", database_url=url))
        if not arguments.database:
            for _ in generate(services.app, arguments.tables, 30):
                pass
            services.runner.catch_up()  # as the bench does: the node starts on current views
        table_ids, secret = list(services.app.table_ids()), services.secret
        services.close()
        plan = Plan(seconds=arguments.seconds, workers=arguments.workers)
        figures = measure(folder, url, tokens_for(secret), table_ids, plan)
    finally:
        if not arguments.database:
            with psycopg.connect(admin, autocommit=True) as connection:
                drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                connection.execute(drop.format(sql.Identifier(name)))
    print(json.dumps(figures, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
