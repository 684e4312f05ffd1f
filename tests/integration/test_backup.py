"""Backup and restore of a PostgreSQL node, as the README tells an operator to do it.

pg_dump of the node's schema (events, read models and the chain ledger in one snapshot), then
pg_restore into a fresh database: the restored node verifies clean, exports the same documents,
is ready at once and takes the next edit.
"""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from psycopg import sql
from typer.testing import CliRunner, Result

from api.app import create_app
from api.cli.main import app as jixiao
from domain.model import Period
from domain.values import parse_value
from infra.bootstrap import build_services
from infra.settings import Settings
from tests.conftest import POSTGRES_ADMIN_URL
from tests.integration.test_audit import EDITOR, edited

pytestmark = pytest.mark.postgres

CODE = "360100"
SCHEMA = f"node_{CODE}"  # the schema a node's events and read models live in


@pytest.fixture
def new_database() -> Iterator[Callable[[], str]]:
    """Creates empty databases on the real server; all are dropped afterwards."""
    created: list[str] = []

    def create() -> str:
        name = f"jixiao_backup_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        created.append(name)
        return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"

    yield create
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        for name in created:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def cli(database_url: str, data_dir: Path) -> Callable[..., Result]:
    """``jixiao`` as an operator runs it against the node in ``database_url``."""
    env = {
        "JIXIAO_DATABASE_URL": database_url,
        "JIXIAO_DATA_DIR": str(data_dir),
        "JIXIAO_KAFKA_BOOTSTRAP_SERVERS": None,
        "KAFKA_BOOTSTRAP_SERVERS": None,
    }
    runner = CliRunner(env=env)

    def run(*args: str) -> Result:
        result = runner.invoke(jixiao, list(args))
        assert result.exit_code == 0, result.output
        return result

    return run


def test_a_restored_node_verifies_clean_and_exports_the_same_tables(
    new_database: Callable[[], str], tmp_path: Path
) -> None:
    original_url = new_database()
    services = build_services(CODE, Settings(data_dir=tmp_path / "var", database_url=original_url))
    edited(services)
    submitted, draft = list(services.app.table_ids())[:2]
    services.app.edit(submitted, 1, lambda table: table.submit(EDITOR, "请审核"))
    services.runner.catch_up()
    original = cli(original_url, tmp_path / "var")
    exported = original("export", "-j", CODE, "--all").stdout
    dump = tmp_path / f"{SCHEMA}.dump"
    # While the node runs: pg_dump reads one consistent snapshot of the schema.
    _run("pg_dump", "--format=custom", f"--schema={SCHEMA}", f"--file={dump}", original_url)
    services.close()

    restored_url = new_database()
    _run("pg_restore", "--no-owner", "--exit-on-error", f"--dbname={restored_url}", str(dump))
    restored = cli(restored_url, tmp_path / "var")

    verified = restored("audit", "verify", "-j", CODE, "--all")
    assert "verified 4 table(s): every hash chain is intact" in verified.stdout
    assert restored("export", "-j", CODE, "--all").stdout == exported

    node = build_services(CODE, Settings(data_dir=tmp_path / "var", database_url=restored_url))
    try:
        with TestClient(create_app(node)) as client:
            ready = client.get("/health/ready")
        assert ready.status_code == 200, ready.text
        indicator = node.app.table(draft).content.indicators[0].id
        value = parse_value("≥99%")
        node.app.edit(
            draft,
            1,
            lambda table: table.set_indicator_value(
                indicator, Period.FULL_YEAR, value, EDITOR, "恢复后的第一次修改"
            ),
        )
        node.runner.catch_up()
        assert node.audit.verify_all() == []
        assert node.app.table(draft).version == 2
    finally:
        node.close()


def _run(*command: str) -> None:
    finished = subprocess.run(command, capture_output=True, text=True, check=False)
    assert finished.returncode == 0, finished.stderr
