"""Liveness and readiness apart: /health/live asks nothing of the store, /health/ready does."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient
from psycopg import sql
from sqlalchemy import delete

from api.app import create_app
from domain.model import Actor, Role
from infra.bootstrap import NodeServices, build_services
from infra.settings import Settings
from projections.schema import chain
from tests.conftest import NANCHANG, POSTGRES_ADMIN_URL, seed_documents
from tests.e2e.test_metrics import scrape, value

EDITOR = Actor("u-1", "王编报", Role.EDITOR, "360100")
NodeBuilder = Callable[..., NodeServices]


@pytest.fixture(params=["sqlite", "postgres"])
def node(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[NodeBuilder]:
    """Builds Nanchang's node on the backend under test, with the settings given."""
    database_url = (
        request.getfixturevalue("postgres_database") if request.param == "postgres" else None
    )
    opened: list[NodeServices] = []

    def build(**settings: Any) -> NodeServices:
        configured = Settings(data_dir=tmp_path / "var", database_url=database_url, **settings)
        services = build_services("360100", configured, store=uuid.uuid4().hex[:6])
        opened.append(services)
        return services

    yield build
    for services in opened:
        services.close()


@pytest.fixture
def own_database() -> Iterator[str]:
    """A database of its own, for a test that drops it under a running node."""
    name = f"jixiao_probe_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    drop_database(name)


def drop_database(name: str) -> None:
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def test_a_caught_up_node_is_live_and_ready(node: NodeBuilder) -> None:
    services = node()
    services.app.import_documents(seed_documents(NANCHANG, "360100"), EDITOR, "seed")
    with TestClient(create_app(services)) as client:
        live = client.get("/health/live")
        ready = client.get("/health/ready")
    assert (live.status_code, live.json()) == (200, {"live": True, "jurisdiction": "360100"})
    assert ready.status_code == 200
    assert ready.json()["ready"] is True
    assert set(ready.json()["projections"].values()) == {0}


def test_a_node_further_behind_than_allowed_is_live_but_not_ready(node: NodeBuilder) -> None:
    services = node(ready_max_lag=2)
    services.app.import_documents(seed_documents(NANCHANG, "360100"), EDITOR, "seed")
    head = services.runner.reader.head()
    with TestClient(create_app(services, run_background=False)) as client:
        behind = client.get("/health/ready")
        live = client.get("/health/live")
        services.runner.catch_up()
        caught_up = client.get("/health/ready")
    assert behind.status_code == 503
    assert behind.json()["ready"] is False
    assert f"projection tables is {head} events behind (at most 2)" in behind.json()["reasons"]
    assert live.status_code == 200
    assert caught_up.status_code == 200


def test_a_stopped_projection_makes_the_node_unready_and_the_chain_broken(
    node: NodeBuilder,
) -> None:
    services = node()
    services.app.import_documents(seed_documents(NANCHANG, "360100"), EDITOR, "seed")
    services.runner.catch_up()
    table_id = next(iter(services.app.table_ids()))
    with services.engine.begin() as connection:  # the ledger loses the table's first link
        connection.execute(delete(chain).where(chain.c.table_id == str(table_id)))
    services.app.edit(table_id, 1, lambda table: table.submit(EDITOR, "请审核"))
    services.runner.catch_up()
    head = services.runner.reader.head()
    with TestClient(create_app(services, run_background=False)) as client:
        ready = client.get("/health/ready")
        samples = scrape(client)
    assert ready.status_code == 503
    assert ready.json()["reasons"] == [
        f"projection chain stopped at event {head}: "
        f"ChainBroken: no link for version 1 of {table_id}"
    ]
    assert value(samples, "jixiao_chain_intact") == 0
    assert value(samples, "jixiao_projection_stopped", projection="chain") == 1
    assert value(samples, "jixiao_projection_stopped", projection="tables") == 0
    assert value(samples, "jixiao_projection_lag", projection="tables") == 0


@pytest.mark.postgres
def test_a_node_whose_database_is_gone_is_live_but_not_ready(
    own_database: str, tmp_path: Path
) -> None:
    settings = Settings(
        data_dir=tmp_path / "var", database_url=own_database, probe_timeout_seconds=1
    )
    services = build_services("360100", settings)
    services.app.import_documents(seed_documents(NANCHANG, "360100"), EDITOR, "seed")
    services.runner.catch_up()
    try:
        with TestClient(create_app(services, run_background=False)) as client:
            assert client.get("/health/ready").status_code == 200
            drop_database(own_database.rsplit("/", 1)[1])
            live = client.get("/health/live")
            ready = client.get("/health/ready")
            samples = scrape(client)
    finally:
        services.close()
    assert live.status_code == 200
    assert ready.status_code == 503
    [reason] = ready.json()["reasons"]
    assert reason.startswith("the store does not answer: ")
    assert value(samples, "jixiao_store_up") == 0
    assert not [name for name, _ in samples if name.startswith("jixiao_projection")]
