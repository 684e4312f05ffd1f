"""One measurement each: the machine's own limits and what users and operators feel."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from uuid import UUID

import httpx
import orjson
import psycopg

from domain.model import Actor, Period, Role
from domain.table import TargetTable
from domain.values import parse_value
from service_layer.store import TablesApplication

EDITOR = Actor("bench:editor", "基准编报", Role.EDITOR, "320000")


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def raw_commit_per_s(url: str, count: int) -> float:
    """Single-row INSERT + COMMIT into a plain table: what one writer gets from the server."""
    with psycopg.connect(url) as connection:
        connection.execute(
            "CREATE TABLE IF NOT EXISTS bench_raw (id serial PRIMARY KEY, body text)"
        )
        connection.commit()
        started = time.perf_counter()
        for number in range(count):
            connection.execute("INSERT INTO bench_raw (body) VALUES (%s)", (f"row {number}",))
            connection.commit()
        return count / (time.perf_counter() - started)


def raw_scan_per_s(url: str, table: str) -> float:
    """Streaming every row of the events table to the client, doing nothing with it."""
    with psycopg.connect(url) as connection, connection.cursor(name="bench_scan") as cursor:
        cursor.itersize = 10_000
        started = time.perf_counter()
        cursor.execute(f"SELECT * FROM {table}")
        rows = sum(1 for _ in cursor)
        return rows / (time.perf_counter() - started)


def timeline_floor_per_s(url: str, events: str, timeline: str) -> tuple[float, float]:
    """The least work any rebuild must do, per second: one timeline row per stored event.

    Each row is taken straight from the stored JSON, with no domain logic, no field-level
    before → after and no other view, into a scratch table shaped like the timeline (its
    indexes included): once in Python (stream, ``orjson.loads``, COPY; what a rebuild's own
    process can reach) and once inside PostgreSQL (``INSERT … SELECT``, no Python at all).
    A rebuild is a ceiling below these two, so they say what ratio this machine allows.
    """
    with psycopg.connect(url) as reader, psycopg.connect(url) as writer:
        writer.execute(f"CREATE TEMP TABLE floor_rows (LIKE {timeline} INCLUDING ALL)")
        started = time.perf_counter()
        with (
            reader.cursor(name="bench_floor") as cursor,
            writer.cursor().copy("COPY floor_rows FROM STDIN") as copy,
        ):
            cursor.itersize = 10_000
            cursor.execute(
                "SELECT notification_id, originator_id, originator_version, topic, state "
                f"FROM {events} ORDER BY notification_id"
            )
            rows = 0
            for position, table_id, version, topic, state in cursor:
                stored = orjson.loads(state)
                actor = stored["actor"]["_data_"]
                copy.write_row(
                    (
                        *(str(table_id), version, position, topic.rpartition(".")[2]),
                        *(stored["timestamp"]["_data_"][:32], actor["id"], actor["name"]),
                        *(actor["role"], actor["jurisdiction"], stored.get("reason"), "[]"),
                    )
                )
                rows += 1
        writer.commit()
        in_python = rows / (time.perf_counter() - started)
        writer.execute("TRUNCATE floor_rows")
        started = time.perf_counter()
        writer.execute(_FLOOR_IN_SQL.format(events=events))
        writer.commit()
        in_sql = rows / (time.perf_counter() - started)
    return in_python, in_sql


# Each stored event's JSON parsed once (OFFSET 0 keeps the planner from inlining it per column).
_FLOOR_IN_SQL = """
INSERT INTO floor_rows
SELECT table_id, version, position, event_type, left(stored->'timestamp'->>'_data_', 32),
       actor->>'id', actor->>'name', actor->>'role', actor->>'jurisdiction',
       stored->>'reason', '[]'
FROM (SELECT *, stored->'actor'->'_data_' AS actor FROM (
        SELECT originator_id::text AS table_id, originator_version AS version,
               notification_id AS position, split_part(topic, '.', 3) AS event_type,
               convert_from(state, 'UTF8')::jsonb AS stored
        FROM {events} OFFSET 0) AS parsed OFFSET 0) AS rows
"""


def edit_per_s(app: TablesApplication, table_ids: list[UUID], count: int) -> float:
    """Load + change one indicator + save, through the application.

    Like an editor's client, the loop knows each table's version and indicators from its
    previous answer, so every edit is exactly one load and one save.
    """
    known = {table_id: app.table(table_id) for table_id in table_ids}
    versions = {table_id: table.version for table_id, table in known.items()}
    started = time.perf_counter()
    for number in range(count):
        table_id = table_ids[number % len(table_ids)]
        indicators = known[table_id].content.indicators
        indicator = indicators[number % len(indicators)].id
        saved = app.edit(table_id, versions[table_id], _setter(indicator, f"≥{number}项"))
        versions[table_id] = saved.table.version
    return count / (time.perf_counter() - started)


def _setter(indicator: str, raw: str) -> Callable[[TargetTable], None]:
    value = parse_value(raw)
    return lambda table: table.set_indicator_value(
        indicator, Period.FULL_YEAR, value, EDITOR, "bench"
    )


def http_latencies(
    url: str, token: str, requests: list[dict[str, object]], warmup: int = 30
) -> list[float]:
    """Milliseconds per GraphQL request over HTTP (after ``warmup`` unmeasured ones)."""
    headers = {"Authorization": f"Bearer {token}"}
    samples: list[float] = []
    with httpx.Client(headers=headers, timeout=30) as client:
        for index, body in enumerate(requests):
            started = time.perf_counter()
            response = client.post(url, json=body)
            elapsed = (time.perf_counter() - started) * 1000
            payload = response.json()
            assert "errors" not in payload, payload
            if index >= warmup:
                samples.append(elapsed)
    return samples


def summary(samples: list[float]) -> str:
    return (
        f"p50 {percentile(samples, 0.5):.1f} ms, p95 {percentile(samples, 0.95):.1f} ms, "
        f"mean {statistics.fmean(samples):.1f} ms over {len(samples)}"
    )


def peak_rss_mb(pid: int) -> float:
    """The process's high-water resident memory (Linux VmHWM)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc status")
