"""The composition root: builds a node's application from settings, and nothing else does."""

from __future__ import annotations

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

from infra.application import TablesApplication
from infra.jurisdictions import jurisdiction
from infra.settings import Settings


def build_node(code: str, settings: Settings, store: str = "") -> TablesApplication:
    """The event-sourced application of jurisdiction ``code`` (validated against GB/T 2260).

    ``store`` names a separate store for the same jurisdiction (tests, migrations).
    """
    node = jurisdiction(code)
    name = f"{store}_{node.code}" if store else node.code
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
    return TablesApplication(node.code, env)


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
