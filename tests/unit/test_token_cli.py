"""`jixiao token issue` keeps a token's lifetime to what a date can hold and people need."""

from __future__ import annotations

from pathlib import Path

import jwt
import pytest
from typer.testing import CliRunner

from api.cli.main import app


def issue(data_dir: Path, *options: str) -> tuple[int, str]:
    runner = CliRunner()
    result = runner.invoke(
        app,
        ["token", "issue", "-j", "360100", "--role", "editor", "--name", "王编报", *options],
        env={"JIXIAO_DATA_DIR": str(data_dir)},
    )
    return result.exit_code, result.output


def test_a_token_for_ten_years_is_issued_and_a_longer_one_refused_in_words(
    tmp_path: Path,
) -> None:
    code, token = issue(tmp_path, "--days", "3660")
    assert code == 0, token
    claims = jwt.decode(token.strip(), options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 3660 * 86400
    code, output = issue(tmp_path, "--days", "100000000")  # was an OverflowError traceback
    assert code == 2
    assert "--days" in output
    assert "Traceback" not in output


@pytest.mark.parametrize("days", ["0", "-1"])
def test_a_token_lives_at_least_a_day(tmp_path: Path, days: str) -> None:
    code, output = issue(tmp_path, "--days", days)
    assert code == 2
    assert "--days" in output
