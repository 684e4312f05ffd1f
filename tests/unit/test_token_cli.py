"""`jixiao token issue` signs with the node's own key, for a lifetime a date can hold and people
need, and never makes a key of its own."""

from __future__ import annotations

from pathlib import Path

import jwt
import pytest
from typer.testing import CliRunner

from api.auth import actor_of
from api.cli.main import app
from infra.bootstrap import build_services
from infra.settings import Settings


@pytest.fixture
def node_dir(tmp_path: Path) -> Path:
    """The data directory of a node that has run: it holds the node's key."""
    data_dir = tmp_path / "var"
    build_services("360100", Settings(data_dir=data_dir, database_url=None)).close()
    return data_dir


def issue(data_dir: Path, *options: str) -> tuple[int, str]:
    runner = CliRunner()
    result = runner.invoke(
        app,
        ["token", "issue", "-j", "360100", "--role", "editor", "--name", "王编报", *options],
        env={"JIXIAO_DATA_DIR": str(data_dir), "JIXIAO_SECRET_KEY": None, "COLUMNS": "400"},
    )
    return result.exit_code, result.output


def test_a_token_is_signed_with_the_key_the_node_checks(node_dir: Path) -> None:
    code, token = issue(node_dir)
    assert code == 0, token
    services = build_services("360100", Settings(data_dir=node_dir, database_url=None))
    try:
        assert actor_of(token.strip(), services.secret).name == "王编报"
    finally:
        services.close()


def test_a_token_for_a_node_that_never_ran_here_is_refused_and_nothing_is_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("JIXIAO_DATA_DIR", raising=False)
    runner = CliRunner()
    result = runner.invoke(
        app,
        ["token", "issue", "-j", "360100", "--role", "editor", "--name", "王编报"],
        env={"JIXIAO_SECRET_KEY": None, "COLUMNS": "400"},
    )
    assert result.exit_code == 1, result.output
    said = " ".join(result.output.split())
    assert f"no key for node 360100 at {tmp_path / 'var' / '360100' / 'secret.key'}" in said
    assert "JIXIAO_DATA_DIR" in said
    assert "Traceback" not in said
    assert list(tmp_path.iterdir()) == [], "token issue created files"


def test_a_token_for_ten_years_is_issued_and_a_longer_one_refused_in_words(
    node_dir: Path,
) -> None:
    code, token = issue(node_dir, "--days", "3660")
    assert code == 0, token
    claims = jwt.decode(token.strip(), options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 3660 * 86400
    code, output = issue(node_dir, "--days", "100000000")  # was an OverflowError traceback
    assert code == 2
    assert "--days" in output
    assert "Traceback" not in output


@pytest.mark.parametrize("days", ["0", "-1"])
def test_a_token_lives_at_least_a_day(node_dir: Path, days: str) -> None:
    code, output = issue(node_dir, "--days", days)
    assert code == 2
    assert "--days" in output
