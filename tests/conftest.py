"""Shared fixtures: seed documents, actors, and nodes on SQLite and on the real PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from domain.document import TableDocument
from domain.model import Actor, Role
from infra.bootstrap import NodeServices, build_node, build_services
from infra.documents.reading import read_text_document
from infra.settings import Settings
from service_layer.store import TablesApplication

SEEDS = Path(__file__).resolve().parent.parent / "infra" / "data" / "seeds"
JIANGSU = SEEDS / "jiangsu-320000-provincial.txt"
NANCHANG = SEEDS / "nanchang-360100-municipal.txt"
POSTGRES_ADMIN_URL = os.environ.get(
    "JIXIAO_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)

NodeFactory = Callable[..., TablesApplication]


def seed_documents(path: Path, jurisdiction: str) -> list[TableDocument]:
    return read_text_document(path.read_text(encoding="utf-8"), path.name, jurisdiction)


@pytest.fixture
def editor() -> Actor:
    return Actor(id="u-1", name="王编报", role=Role.EDITOR, jurisdiction="360100")


@pytest.fixture
def reviewer() -> Actor:
    return Actor(id="u-2", name="李审核", role=Role.REVIEWER, jurisdiction="360000")


@contextmanager
def _fresh_database() -> Iterator[str]:
    """A new database on the real server, dropped afterwards. Missing server: fail, never skip."""
    name = f"jixiao_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        pytest.fail(f"PostgreSQL is required at {POSTGRES_ADMIN_URL} and is not reachable: {error}")
    with admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    yield url
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """One database for the session: tests in it use store names of their own."""
    with _fresh_database() as url:
        yield url


@pytest.fixture
def own_postgres_database() -> Iterator[str]:
    """A database for one test, for real node processes that use the node's default store."""
    with _fresh_database() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgres"])
def node_factory(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[NodeFactory]:
    """Builds nodes on the backend under test; each test gets an empty store."""
    opened: list[TablesApplication] = []
    if request.param == "sqlite":
        settings = Settings(data_dir=tmp_path / "var")
    else:
        settings = Settings(database_url=request.getfixturevalue("postgres_database"))
    prefix = uuid.uuid4().hex[:6]

    def build(code: str, store: str = "a") -> TablesApplication:
        app = build_node(code, settings, store=f"{prefix}{store}")
        opened.append(app)
        return app

    yield build
    for app in opened:
        app.close()


ServicesFactory = Callable[..., NodeServices]


@pytest.fixture(params=["sqlite", "postgres"])
def services_factory(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ServicesFactory]:
    """Builds whole nodes (events, read models, secret) on the backend under test."""
    opened: list[NodeServices] = []
    if request.param == "sqlite":
        settings = Settings(data_dir=tmp_path / "var")
    else:
        settings = Settings(
            data_dir=tmp_path / "var", database_url=request.getfixturevalue("postgres_database")
        )
    prefix = uuid.uuid4().hex[:6]

    def build(code: str, store: str = "a") -> NodeServices:
        services = build_services(code, settings, store=f"{prefix}{store}")
        opened.append(services)
        return services

    yield build
    for services in opened:
        services.close()
