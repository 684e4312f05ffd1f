"""Stores written by earlier releases open with today's code, on SQLite and on PostgreSQL.

Each release's store and what that release read back from it are in tests/fixtures/stores/:
today's code must export the same documents byte for byte, tell the same timelines, rebuild the
same document at every version (from snapshots too), find every hash chain intact, read every
stored event, show the same monitoring rounds and self-evaluations (documents, figures, scores,
decisions, timelines; new fields may be added, none may change) and keep the messages still
waiting for their receipts.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from eventsourcing.domain import Aggregate
from psycopg import sql
from pydantic import TypeAdapter

from domain.model import INDICATOR_ID, Actor, Role
from infra.bootstrap import NodeServices, build_services
from infra.settings import Settings
from projections.documents import document_from_json
from projections.rebuilding import Rebuild
from service_layer.messages import Receipt
from service_layer.report_history import ReportEntry
from service_layer.report_views import ReportView
from tests.conftest import POSTGRES_ADMIN_URL
from tests.support.shown import differences
from tests.views import dump_views

STORES = Path(__file__).resolve().parents[1] / "fixtures" / "stores"
RELEASES = sorted(path.name for path in STORES.iterdir() if (path / "postgres.sql").exists())
CODES = ("320000", "360000", "360100")

Opened = tuple[dict[str, NodeServices], dict[str, Any]]
VIEW: TypeAdapter[ReportView] = TypeAdapter(ReportView)
ENTRY: TypeAdapter[ReportEntry] = TypeAdapter(ReportEntry)
IN_FLIGHT = ("event_id", "notification_id", "target", "table_id", "attempts", "outcome", "reason")


@pytest.fixture(
    params=[(release, backend) for release in RELEASES for backend in ("sqlite", "postgres")],
    ids=lambda param: "-".join(param),
)
def old_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Opened]:
    release, backend = request.param
    folder = STORES / release
    expected = json.loads((folder / f"expected-{backend}.json").read_text(encoding="utf-8"))
    if backend == "sqlite":
        shutil.copytree(folder / "sqlite", tmp_path / "var")
        with opened(Settings(data_dir=tmp_path / "var")) as nodes:
            yield nodes, expected
        return
    with (
        restored(folder / "postgres.sql") as url,
        opened(Settings(data_dir=tmp_path / "var", database_url=url)) as nodes,
    ):
        yield nodes, expected


@contextmanager
def opened(settings: Settings) -> Iterator[dict[str, NodeServices]]:
    nodes = {code: build_services(code, settings) for code in CODES}
    try:
        yield nodes
    finally:
        for node in nodes.values():
            node.close()


@contextmanager
def restored(dump: Path) -> Iterator[str]:
    """A fresh database with the release's dump loaded into it, dropped afterwards."""
    name = f"jixiao_old_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        pytest.fail(f"PostgreSQL is required at {POSTGRES_ADMIN_URL}: {error}")
    with admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        subprocess.run(
            ["psql", "--quiet", "--set", "ON_ERROR_STOP=1", "--file", str(dump), url],
            check=True,
            capture_output=True,
        )
        yield url
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def timelines(node: NodeServices) -> dict[str, list[dict[str, Any]]]:
    ids = [str(table_id) for table_id in node.app.table_ids()]
    found = node.reads.timelines(ids)
    return {
        key: [
            {
                "version": entry.version,
                "type": entry.event_type,
                "at": entry.at,
                "actor": [
                    entry.actor_id,
                    entry.actor_name,
                    entry.actor_role,
                    entry.actor_jurisdiction,
                ],
                "reason": entry.reason,
                "changes": [[item.path, item.before, item.after] for item in entry.changes],
            }
            for entry in found.get(key, [])
        ]
        for key in ids
    }


def inbox_rows(node: NodeServices) -> list[Any]:
    return node.reads.inbox(None, 100, None).rows


def inbox(node: NodeServices) -> list[dict[str, Any]]:
    columns = (
        "table_id",
        "version",
        "jurisdiction",
        "name",
        "status",
        "submitted_by",
        "decided_by",
        "chain_head",
        "history_mismatch",
    )
    rows = node.reads.inbox(None, 100, None).rows
    return [{column: getattr(row, column) for column in columns} for row in rows]


def parked(node: NodeServices) -> list[dict[str, Any]]:
    columns = ("table_key", "kind", "offset", "status", "reason")
    return [{column: getattr(row, column) for column in columns} for row in node.reads.parked(None)]


def exported(node: NodeServices) -> str:
    from domain.document import document_of
    from projections.documents import dump_documents

    return dump_documents([document_of(table) for table in node.app.tables()])


def document_hash(node: NodeServices, table_id: uuid.UUID, version: int) -> str:
    from domain.document import document_of
    from projections.documents import document_json

    text = document_json(document_of(node.app.table(table_id, version)))
    return hashlib.sha256(text.encode()).hexdigest()


def test_an_old_store_exports_the_same_documents_byte_for_byte(old_store: Opened) -> None:
    nodes, expected = old_store
    for code, node in nodes.items():
        assert exported(node) == expected[code]["export"], code


def test_an_old_store_tells_the_same_timelines_before_and_after_a_rebuild(
    old_store: Opened,
) -> None:
    nodes, expected = old_store
    for code, node in nodes.items():
        node.runner.catch_up()
        assert timelines(node) == expected[code]["timelines"], code
        assert inbox(node) == expected[code]["inbox"], code
        assert parked(node) == expected[code]["parked"], code
        node.runner.rebuild()
        assert timelines(node) == expected[code]["timelines"], code
        assert inbox(node) == expected[code]["inbox"], code
        assert parked(node) == expected[code]["parked"], code


def test_an_old_store_rebuilt_in_small_pages_equals_its_views_built_event_by_event(
    old_store: Opened,
) -> None:
    nodes, _ = old_store
    for code, node in nodes.items():
        Rebuild(node.runner, 1).reset()  # views of today's code, not the old release's
        node.runner.page_size = 1
        node.runner.catch_up()
        incremental = dump_views(node.engine)
        node.runner.page_size, node.runner.rebuild_page_size = 3, 3
        node.runner.rebuild()
        assert dump_views(node.engine) == incremental, code


def test_every_version_of_every_old_table_replays_to_the_same_document(old_store: Opened) -> None:
    nodes, expected = old_store
    for code, node in nodes.items():
        for key, hashes in expected[code]["version_documents_sha256"].items():
            table_id = uuid.UUID(key)
            found = [document_hash(node, table_id, v) for v in range(1, len(hashes) + 1)]
            assert found == hashes, f"{code} {key}"


def test_old_snapshots_still_restore_the_table_they_were_taken_of(old_store: Opened) -> None:
    nodes, expected = old_store
    node = nodes["320000"]
    snapshots = node.app.snapshots
    assert snapshots is not None
    restored = 0
    for key, hashes in expected["320000"]["version_documents_sha256"].items():
        for stored in snapshots.get(uuid.UUID(key)):
            from domain.document import document_of
            from projections.documents import document_json

            snapshot: Any = stored
            table = snapshot.mutate(None)
            text = document_json(document_of(table))
            assert hashlib.sha256(text.encode()).hexdigest() == hashes[table.version - 1]
            restored += 1
    assert restored >= 1, "the old store should hold at least one snapshot"


def test_old_hash_chains_verify_and_new_events_extend_them(old_store: Opened) -> None:
    nodes, expected = old_store
    for code, node in nodes.items():
        node.runner.catch_up()
        assert node.audit.verify_all() == [], code
        heads = {
            str(table_id): node.audit.recorded(table_id)[-1]
            for table_id in node.audit.ledger_tables()
        }
        assert heads == expected[code]["chain_heads"], code
    node = nodes["320000"]
    table = next(item for item in node.app.tables() if item.status.value == "adjusting")
    editor = Actor("320000:editor:新", "新编报", Role.EDITOR, "320000")
    node.app.edit(
        table.id, table.version, lambda t: t.set_goal("annual", "新的目标", editor, "续写")
    )
    node.runner.catch_up()
    assert node.audit.verify_all() == []
    assert len(node.audit.recorded(table.id)) == table.version + 1


def test_every_event_of_an_old_store_is_read_by_todays_code(old_store: Opened) -> None:
    nodes, expected = old_store
    for code, node in nodes.items():
        notifications = node.app.recorder.select_notifications(start=None, limit=100_000)
        assert sorted({item.topic for item in notifications}) == expected[code]["event_types"]
        for item in notifications:
            event = node.app.mapper.to_domain_event(item)
            assert isinstance(event, Aggregate.Event), f"{code} {item.topic}"


def auditor_of(code: str) -> Actor:
    return Actor(f"{code}:auditor:审计", "审计", Role.AUDITOR, code)


def reports_shown(node: NodeServices) -> tuple[dict[str, Any], dict[str, Any]]:
    """Every report as the node's auditor reads it, and its timeline, in JSON terms."""
    auditor = auditor_of(node.place.code)
    views: dict[str, Any] = {}
    timelines: dict[str, Any] = {}
    for view in node.reports.reports(auditor):
        key = f"{view.stage.value}/{view.report_id}/{'received' if view.received else 'own'}"
        views[key] = VIEW.dump_python(view, mode="json")
        entries = node.report_history.timeline(
            auditor, view.stage, view.table_id, view.through_month
        )
        timelines[key] = [ENTRY.dump_python(entry, mode="json") for entry in entries]
    return views, timelines


def test_an_old_store_shows_the_same_reports_and_report_timelines(old_store: Opened) -> None:
    nodes, expected = old_store
    for code, node in nodes.items():
        views, timelines = reports_shown(node)
        # A release before monitoring and self-evaluation had none to show.
        shown, told = expected[code].get("reports", {}), expected[code].get("report_timelines", {})
        assert sorted(views) == sorted(shown), code
        assert sorted(timelines) == sorted(told), code
        for key, view in shown.items():
            assert differences(view, views[key]) == [], f"{code} {key}"
            assert differences(told[key], timelines[key]) == [], f"{code} {key} timeline"


def test_an_old_store_keeps_the_messages_waiting_for_receipts_and_settles_them(
    old_store: Opened,
) -> None:
    nodes, expected = old_store
    for code, node in nodes.items():
        waiting = node.relay.in_flight.pending()
        found = [{column: getattr(item, column) for column in IN_FLIGHT} for item in waiting]
        assert found == expected[code].get("in_flight", []), code
        for item in waiting:
            receipt = Receipt(
                receipt_of=item.event_id,
                source=item.target,
                target=code,
                table_id=uuid.UUID(item.table_id),
                outcome="applied",
                occurred_at=datetime.now(UTC),
            )
            assert node.relay.in_flight.settle(receipt), f"{code} {item.event_id}"
        assert node.relay.in_flight.pending() == [], code


def test_every_indicator_id_an_old_store_holds_fits_today_s_id_rule(old_store: Opened) -> None:
    """Its own tables' and the versions its children submitted to it."""
    nodes, _ = old_store
    ids: set[str] = set()
    for node in nodes.values():
        node.runner.catch_up()
        received = [document_from_json(row.document).indicators for row in inbox_rows(node)]
        own = [table.content.indicators for table in node.app.tables()]
        ids |= {item.id for items in [*received, *own] for item in items}
    assert len(ids) > 100
    assert {found for found in ids if not INDICATOR_ID.fullmatch(found)} == set()
