"""``make bench`` (full) and ``make bench QUICK=1``: measure on PostgreSQL, print, save JSON.

Every ratio compares two figures measured in this run on this machine.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from api.auth import issue_token
from bench import load, measures, national
from bench.dataset import generate, generated_id, templates
from bench.documents import measure as document_reads
from bench.load import TABLE_READ
from bench.sync_latency import measure as sync_latencies
from bench.web import measure as web_latencies
from domain.model import Actor, Role
from infra.bootstrap import build_services
from infra.settings import Settings
from service_layer.store import TablesApplication
from tests.e2e.servers import free_port, node_env, start_node, stop

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
RESULTS = Path(__file__).resolve().parent / "results"
console = Console()

ASOF_READ = """query($id: ID!, $version: Int!) { table(id: $id, version: $version) {
  version indicators { id fullYear { raw } } } }"""


@dataclass(frozen=True)
class Size:
    tables: int
    events_per_table: int
    raw_commits: int
    edits: int
    reads: int
    sync_rounds: int
    web_rounds: int
    document_tables: int
    workbook_tables: int
    load_seconds: float
    national: national.Traffic


QUICK = Size(
    tables=1_000,
    events_per_table=30,
    raw_commits=1_000,
    edits=300,
    reads=230,
    sync_rounds=8,
    web_rounds=40,
    document_tables=48,
    workbook_tables=1_000,
    load_seconds=15,
    national=national.QUICK,
)
FULL = Size(
    tables=100_000,
    events_per_table=30,
    raw_commits=3_000,
    edits=2_000,
    reads=2_030,
    sync_rounds=30,
    web_rounds=100,
    document_tables=200,
    workbook_tables=5_000,
    load_seconds=60,
    national=national.FULL,
)
ASOF_EVENTS = 1_000
LONG_TABLE = 10_000_000  # the project number of the table with 1,000 events


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a small dataset, under a minute")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    arguments = parser.parse_args()
    size = QUICK if arguments.quick else FULL
    name = f"jixiao_bench_{uuid.uuid4().hex[:8]}"
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    started = time.perf_counter()
    try:
        results = run(size, url)
    finally:
        if not arguments.keep:
            with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
                admin.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )
    results["mode"] = "quick" if arguments.quick else "full"
    results["total_seconds"] = round(time.perf_counter() - started, 1)
    results["machine"] = machine()
    results["measured_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    show(results)
    RESULTS.mkdir(exist_ok=True)
    text = json.dumps(results, ensure_ascii=False, indent=2) + "\n"
    (RESULTS / "latest.json").write_text(text, encoding="utf-8")
    (RESULTS / f"{results['mode']}.json").write_text(text, encoding="utf-8")


def run(size: Size, url: str) -> dict[str, Any]:
    results: dict[str, Any] = {}
    folder = Path(tempfile.mkdtemp(prefix="jixiao-bench-"))
    settings = Settings(data_dir=folder / "var", database_url=url)
    services = build_services("320000", settings)
    app = services.app
    schema = "node_320000"
    events_table = f"{schema}.{app.recorder.events_table_name}"  # type: ignore[attr-defined]

    console.print("raw single-row INSERT + COMMIT …")
    results["raw_commit_per_s"] = round(measures.raw_commit_per_s(url, size.raw_commits))

    total = size.tables * size.events_per_table
    started = time.perf_counter()
    with Progress(console=console) as progress:
        task = progress.add_task("importing the dataset", total=total)
        for stored in generate(app, size.tables, size.events_per_table):
            progress.update(task, completed=stored)
    results["import_seconds"] = round(time.perf_counter() - started, 1)
    results["import_events_per_s"] = round(total / results["import_seconds"])
    asof_id = _one_long_table(app)
    events = app.recorder.max_notification_id() or 0
    results["tables_loaded"] = size.tables + 1
    results["events_loaded"] = events
    with psycopg.connect(url) as connection:
        row = connection.execute("SELECT pg_total_relation_size(%s)", (events_table,)).fetchone()
    assert row is not None
    results["bytes_per_event"] = round(int(row[0]) / events)

    sample = random.Random(7).sample(list(app.table_ids()), k=min(500, size.tables))
    console.print("edits through the application …")
    results["edit_per_s"] = round(measures.edit_per_s(app, sample[:100], size.edits))
    results["edit_vs_raw_commit"] = round(results["edit_per_s"] / results["raw_commit_per_s"], 3)

    console.print("raw scan of the events table …")
    results["raw_scan_per_s"] = round(measures.raw_scan_per_s(url, events_table))
    console.print("the least a rebuild must do: a timeline row per event, no domain logic …")
    floor_python, floor_sql = measures.timeline_floor_per_s(url, events_table, f"{schema}.timeline")
    results["rebuild_floor_python_vs_raw_scan"] = round(floor_python / results["raw_scan_per_s"], 3)
    results["rebuild_floor_sql_vs_raw_scan"] = round(floor_sql / results["raw_scan_per_s"], 3)
    console.print("projections caught up, as on a running node …")
    services.runner.catch_up()  # the chain ledger too, which a rebuild never rewrites
    console.print("projection rebuild from zero …")
    started = time.perf_counter()
    rebuilt = services.runner.rebuild()
    rebuild_seconds = time.perf_counter() - started
    results["rebuild_events_per_s"] = round(rebuilt / rebuild_seconds)
    results["rebuild_vs_raw_scan"] = round(
        results["rebuild_events_per_s"] / results["raw_scan_per_s"], 3
    )
    secret = services.secret
    every_table = list(app.table_ids())
    services.close()

    results.update(api_reads(size, folder, url, secret, sample, asof_id))
    console.print("16 clients at once on one node, then a read of every table …")
    plan = load.Plan(seconds=size.load_seconds)
    results.update(load.measure(folder, url, load.tokens_for(secret), every_table, plan))
    console.print("sync between real nodes through the broker …")
    up, down = sync_latencies(size.sync_rounds, url)
    results["submit_to_province_p50_ms"] = round(measures.percentile(up, 0.5), 1)
    results["submit_to_province_p95_ms"] = round(measures.percentile(up, 0.95), 1)
    results["decision_to_city_p50_ms"] = round(measures.percentile(down, 0.5), 1)
    results["decision_to_city_p95_ms"] = round(measures.percentile(down, 0.95), 1)
    console.print("a national day of sync traffic, and three nodes back after a week …")
    results.update(national.measure(size.national, url))
    console.print("the web workbench in Chromium …")
    results.update(web_latencies(size.web_rounds, size.web_rounds))
    console.print("reading documents in every format, and a big workbook's memory …")
    results.update(document_reads(size.document_tables, size.workbook_tables))
    return results


def api_reads(
    size: Size, folder: Path, url: str, secret: str, sample: list[uuid.UUID], asof_id: uuid.UUID
) -> dict[str, Any]:
    console.print("GraphQL reads over HTTP …")
    port = free_port()
    server = start_node("320000", port, node_env(folder / "var", url))
    endpoint = f"http://127.0.0.1:{port}/graphql"
    token = issue_token(secret, Actor("bench:auditor", "基准审计", Role.AUDITOR, "320000"), days=1)
    picks = random.Random(11)
    try:
        reads: list[dict[str, object]] = [
            {"query": TABLE_READ, "variables": {"id": str(picks.choice(sample))}}
            for _ in range(size.reads)
        ]
        table = measures.http_latencies(endpoint, token, reads)
        asof: list[dict[str, object]] = [
            {
                "query": ASOF_READ,
                "variables": {"id": str(asof_id), "version": 400 + picks.randrange(200)},
            }
            for _ in range(max(size.reads // 4, 130))
        ]
        old = measures.http_latencies(endpoint, token, asof)
        rss = measures.peak_rss_mb(server.pid)
    finally:
        stop(server)
    return {
        "graphql_read_p50_ms": round(measures.percentile(table, 0.5), 2),
        "graphql_read_p95_ms": round(measures.percentile(table, 0.95), 2),
        "asof_p50_ms": round(measures.percentile(old, 0.5), 2),
        "asof_p95_ms": round(measures.percentile(old, 0.95), 2),
        "api_peak_rss_mb": round(rss, 1),
    }


def _one_long_table(app: TablesApplication) -> uuid.UUID:
    """A table with 1,000 events, for reading as of a middle version."""
    for _ in generate(app, 1, ASOF_EVENTS, offset=LONG_TABLE):
        pass
    return generated_id(templates(app.jurisdiction), LONG_TABLE)


def machine() -> dict[str, Any]:
    import os

    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "postgres": _postgres_version(),
    }


def _postgres_version() -> str:
    with psycopg.connect(ADMIN_URL) as connection:
        row = connection.execute("SHOW server_version").fetchone()
    return str(row[0]) if row else "?"


GOALS = {
    "edit_vs_raw_commit": (">=", 0.5),
    "rebuild_events_per_s": (">=", 50_000),
    "rebuild_vs_raw_scan": (">=", 0.5),
    "graphql_read_p95_ms": ("<", 10),
    "asof_p95_ms": ("<", 25),
    "submit_to_province_p95_ms": ("<", 1000),
    "decision_to_city_p95_ms": ("<", 1000),
    "web_table_page_p95_ms": ("<", 300),
    "web_edit_p95_ms": ("<", 150),
    "workbook_load_vs_stream_mb": (">=", 10),
    "load_read_p95_ms": ("<", 50),
    "load_edit_p95_ms": ("<", 150),
    "load_errors": ("<", 1),
    "load_peak_rss_mb": ("<", load.RSS_BOUND_MB),
}


def show(results: dict[str, Any]) -> None:
    view = Table("figure", "value", "goal", "met")
    for key, value in results.items():
        if key == "machine":
            continue
        goal = GOALS.get(key)
        met = ""
        if goal is not None:
            operator, target = goal
            ok = value >= target if operator == ">=" else value < target
            met = "[green]yes[/green]" if ok else "[red]no[/red]"
        view.add_row(
            key,
            f"{value:,}" if isinstance(value, int | float) else str(value),
            f"{goal[0]} {goal[1]:,}" if goal else "",
            met,
        )
    console.print(view)
    console.print(f"machine: {results['machine']}")


if __name__ == "__main__":
    main()
