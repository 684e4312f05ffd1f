"""The ``jixiao`` command speaks the people's words and one time convention (issue 25, 17–19)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from rich.cells import cell_len

from domain import vocabulary
from tests.conftest import NANCHANG
from tests.support.cli import run

BEIJING = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def nanchang(tmp_path: Path) -> Path:
    """A data directory with Nanchang's four seed tables imported."""
    data_dir = tmp_path / "var"
    run(data_dir, "import", "-j", "360100", str(NANCHANG))
    return data_dir


def carryover_table(data_dir: Path) -> str:
    documents = json.loads(run(data_dir, "export", "-j", "360100", "--all").stdout)
    found: str = next(doc["id"] for doc in documents if doc["project"]["kind"] == "carryover")
    return found


def test_blame_shows_the_kind_and_status_as_people_call_them(nanchang: Path) -> None:
    blamed = run(nanchang, "audit", "blame", "-j", "360100", carryover_table(nanchang)).stdout
    assert vocabulary.KIND_LABELS["carryover"] in blamed
    assert vocabulary.STATUS_LABELS["draft"] in blamed
    for code in ("carryover", "draft"):
        assert code not in blamed


def test_an_import_without_a_reason_is_recorded_in_the_peoples_words(nanchang: Path) -> None:
    told = run(nanchang, "audit", "replay", "-j", "360100", carryover_table(nanchang)).stdout
    assert vocabulary.IMPORTED_FROM.format(files=NANCHANG.name) in told
    assert "imported from" not in told


BEIJING_STAMP = re.compile(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) 北京时间")


def test_audit_times_are_beijing_time_and_say_so(tmp_path: Path) -> None:
    data_dir = tmp_path / "var"
    before = datetime.now(UTC)
    run(data_dir, "import", "-j", "360100", str(NANCHANG))
    after = datetime.now(UTC)
    table = carryover_table(data_dir)
    for command in ("timeline", "blame"):
        printed = run(data_dir, "audit", command, "-j", "360100", table).stdout
        stamps = BEIJING_STAMP.findall(printed)
        assert stamps, f"audit {command} shows no labelled time:\n{printed}"
        for stamp in stamps:
            when = datetime.fromisoformat(stamp).replace(tzinfo=BEIJING)
            assert before - timedelta(seconds=1) <= when <= after, (command, stamp)
    replayed = run(data_dir, "audit", "replay", "-j", "360100", table).stdout
    assert BEIJING_STAMP.search(replayed), replayed


@pytest.mark.parametrize("columns", [60, 74, 80, 100, 160])
def test_the_table_listing_fits_the_terminal_without_blank_lines(
    nanchang: Path, columns: int
) -> None:
    listed = run(nanchang, "tables", "-j", "360100", columns=columns).stdout.splitlines()
    assert sum(1 for line in listed if not line.strip()) <= 2, "\n".join(listed)
    assert len(listed) <= 30, "\n".join(listed)
    assert all(cell_len(line.rstrip()) <= columns for line in listed)
    documents = json.loads(run(nanchang, "export", "-j", "360100", "--all").stdout)
    shown = "".join(line.strip() for line in listed)
    for document in documents:
        assert document["id"][:8] in shown
        assert document["project"]["name"][:6] in shown


def test_a_command_that_reads_refuses_a_data_directory_without_the_node(tmp_path: Path) -> None:
    data_dir = tmp_path / "elsewhere"
    for command in (["tables"], ["export", "--all"], ["audit", "verify", "--all"]):
        refused = run(data_dir, *command, "-j", "360100", ok=False)
        assert refused.returncode == 2, refused.stderr
        assert f"no node 360100 in the data directory {data_dir.absolute()}" in refused.stderr
        assert not data_dir.exists(), f"{command} created {data_dir}"
    imported = run(data_dir, "import", "-j", "360100", str(NANCHANG))
    assert f"creating node 360100 in the data directory {data_dir.absolute()}" in imported.stderr
    again = run(data_dir, "import", "-j", "360100", str(NANCHANG))
    assert "creating node" not in again.stderr
    assert "机动车" in run(data_dir, "tables", "-j", "360100").stdout
