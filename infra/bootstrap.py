"""The composition root: builds a node's application from settings, and nothing else does."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from consumers.kafka import KafkaPublisher
from consumers.relay import Relay
from domain.model import Jurisdiction
from infra import recorder
from infra.jurisdictions import UnknownJurisdiction, ancestors_of, jurisdiction, named_in
from infra.leadership import AdvisoryLock, Leadership, Lock, ProcessLock, SharedRunner
from infra.listener import StoreListener
from infra.settings import Settings
from infra.transcodings import new_transcoder
from projections.async_reads import AsyncTableReads
from projections.chain import Chain
from projections.current import CurrentTables
from projections.inbox import Inbox
from projections.parked import Parked
from projections.reads import ReadModel
from projections.rollups import Rollups
from projections.runner import ProjectionRunner
from projections.timeline import Timeline
from projections.transitions import TransitionReader
from service_layer.access import Gate
from service_layer.auditing import History
from service_layer.editing import Editing
from service_layer.history import Audit
from service_layer.reading import Reading
from service_layer.report_history import ReportHistory
from service_layer.reports import Reports
from service_layer.store import TablesApplication
from service_layer.sync import Inbound
from service_layer.workflow import Workflow

POLL_SECONDS = 0.25
LISTENING_POLL_SECONDS = 5.0  # a safety net: new events announce themselves


@dataclass
class NodeServices:
    """Everything one jurisdiction's node runs on, built once and passed to the edges."""

    place: Jurisdiction
    ancestors: tuple[str, ...]
    app: TablesApplication
    engine: Engine
    runner: ProjectionRunner
    reads: ReadModel
    secret: str
    settings: Settings
    inbound: Inbound
    relay: Relay
    audit: Audit
    gate: Gate
    editing: Editing
    workflow: Workflow
    history: History
    reading: Reading
    reports: Reports
    report_history: ReportHistory
    listener: StoreListener | None = None
    # Who runs the projections ("projections") and the relay and consumer ("sync", when the
    # node has a broker) among the processes serving this node: ``infra.leadership``.
    leaders: dict[str, Leadership] = field(default_factory=dict)

    def async_table_reads(self) -> AsyncTableReads | None:
        """A reader for the app's event loop to open (PostgreSQL nodes only)."""
        if not self.settings.database_url:
            return None
        schema = self.engine.get_execution_options()["schema_translate_map"][None]
        return AsyncTableReads(self.settings.database_url, schema)

    @property
    def poll_seconds(self) -> float:
        """How often the projections and the relay look for new events unprompted."""
        return LISTENING_POLL_SECONDS if self.listener else POLL_SECONDS

    def close(self) -> None:
        self.app.close()
        self.engine.dispose()


def build_services(code: str, settings: Settings, store: str = "") -> NodeServices:
    place = jurisdiction(code)
    app = build_node(place.code, settings, store)
    engine = read_engine(settings, _store_name(place.code, store))
    runner = SharedRunner(
        TransitionReader(app),
        engine,
        [
            CurrentTables(),
            Timeline(),
            Inbox(reviews_own_tables=place.is_root),
            Rollups(),
            Parked(),
            Chain(),
        ],
    )
    runner.setup()
    relay = Relay(
        app,
        engine,
        place,
        partial(_publisher, settings),
        receipt_wait_seconds=settings.receipt_wait_seconds,
    )
    relay.setup()
    listener = None
    if settings.database_url:
        listener = StoreListener(settings.database_url, app.recorder.channel_name)  # type: ignore[attr-defined]
        listener.subscribe(runner.nudge)
        listener.subscribe(relay.nudge)
    leaders = _leaders(settings, _store_name(place.code, store))
    runner.leading = leaders["projections"].leading
    gate = Gate(place, tuple(item.code for item in ancestors_of(place.code)))
    reads = ReadModel(_autocommit(engine))
    audit = Audit(app, reads, engine)
    editing = Editing(app, gate, named_in)
    return NodeServices(
        place=place,
        ancestors=gate.ancestors,
        app=app,
        engine=engine,
        runner=runner,
        reads=reads,
        secret=node_secret(settings, _store_name(place.code, store)),
        settings=settings,
        inbound=Inbound(app, gate, parent_of),
        relay=relay,
        audit=audit,
        gate=gate,
        editing=editing,
        workflow=Workflow(app, gate, editing),
        history=History(audit, gate),
        reading=Reading(reads, gate),
        reports=Reports(
            app,
            gate,
            settings.monitoring_rules.rules(),
            settings.evaluation_rules.rules(),
        ),
        report_history=ReportHistory(app, gate),
        listener=listener,
        leaders=leaders,
    )


def _leaders(settings: Settings, name: str) -> dict[str, Leadership]:
    """The roles one process at a time runs: the projections, and the sync with a broker."""
    roles = ["projections", "sync"] if settings.kafka_bootstrap_servers else ["projections"]

    def lock(role: str) -> Lock:
        if settings.database_url:
            return AdvisoryLock(settings.database_url, f"node_{name}", role)
        return ProcessLock()

    poll = settings.leadership_poll_seconds
    return {role: Leadership(role, lock(role), poll) for role in roles}


def _publisher(settings: Settings) -> KafkaPublisher:
    if not settings.kafka_bootstrap_servers:
        raise RuntimeError("KAFKA_BOOTSTRAP_SERVERS is not set; this node does not sync")
    return KafkaPublisher(settings.kafka_bootstrap_servers)


def read_engine(settings: Settings, name: str) -> Engine:
    """The read-model database: beside the events (SQLite file, or the node's schema)."""
    if settings.database_url:
        url = make_url(settings.database_url).set(drivername="postgresql+psycopg")
        schema = f"node_{name}"
        engine = create_engine(url, pool_size=8, max_overflow=8, pool_recycle=1800)
        return engine.execution_options(schema_translate_map={None: schema})
    path = settings.data_dir / name / "read.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 10})
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _autocommit(engine: Engine) -> Engine:
    """Reads need no transaction of their own: one round trip per query instead of three."""
    return engine.execution_options(isolation_level="AUTOCOMMIT")


class SecretMissing(LookupError):
    """The data dir holds no secret for this node: the node never ran with these settings."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"no node secret at {path}")
        self.path = path


def node_secret(settings: Settings, name: str, create: bool = True) -> str:
    """The key that signs this node's tokens: from the environment, or kept in the data dir.

    Starting a node makes it. What only signs with it passes ``create=False``: a key made
    elsewhere would sign tokens the node refuses.
    """
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value()
    path: Path = settings.data_dir / name / "secret.key"
    if not path.exists():
        if not create:
            raise SecretMissing(path.absolute())
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(48), encoding="ascii")
    return path.read_text(encoding="ascii").strip()


def _store_name(code: str, store: str) -> str:
    return f"{store}_{code}" if store else code


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def build_node(code: str, settings: Settings, store: str = "") -> TablesApplication:
    """The event-sourced application of jurisdiction ``code`` (validated against GB/T 2260).

    ``store`` names a separate store for the same jurisdiction (tests, migrations).
    """
    node = jurisdiction(code)
    name = _store_name(node.code, store)
    if settings.database_url:
        env = postgres_env(settings.database_url, schema=f"node_{name}")
    else:
        directory = settings.data_dir / name
        directory.mkdir(parents=True, exist_ok=True)
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(directory / "events.sqlite3"),
            "SQLITE_LOCK_TIMEOUT": "10",
        }
    # Recently used tables stay in memory and are brought up to date with one query.
    env["AGGREGATE_CACHE_MAXSIZE"] = str(settings.aggregate_cache)
    env["AGGREGATE_CACHE_FASTFORWARD"] = "y"
    return TablesApplication(node.code, new_transcoder, env)


def postgres_env(database_url: str, schema: str) -> dict[str, str]:
    """The eventsourcing settings for a PostgreSQL URL, creating the node's schema if needed."""
    url = make_url(database_url)
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": url.database or "postgres",
        "POSTGRES_HOST": url.host or "127.0.0.1",
        "POSTGRES_PORT": str(url.port or 5432),
        "POSTGRES_USER": url.username or "postgres",
        "POSTGRES_PASSWORD": url.password or "",
        "POSTGRES_SCHEMA": schema,
        "CREATE_TABLE": "y",
        "PROCESS_RECORDER_TOPIC": recorder.TOPIC,
    }
    with psycopg.connect(
        dbname=env["POSTGRES_DBNAME"],
        host=env["POSTGRES_HOST"],
        port=int(env["POSTGRES_PORT"]),
        user=env["POSTGRES_USER"],
        password=env["POSTGRES_PASSWORD"] or None,
        autocommit=True,
    ) as connection:
        connection.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
    return env


def parent_of(code: str) -> str | None:
    """The parent of a jurisdiction; ``None`` for a root or an unknown code."""
    try:
        return jurisdiction(code).parent
    except UnknownJurisdiction:
        return None
