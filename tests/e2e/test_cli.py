"""The ``jixiao`` command as a bureau's staff would run it, in a fresh data directory."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from openpyxl import load_workbook

from api.auth import dev_actors
from domain.model import Role
from infra.bootstrap import build_services
from infra.settings import Settings
from tests.conftest import JIANGSU, NANCHANG
from tests.support.cli import run


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "var"


def test_import_list_show_and_findings(data_dir: Path) -> None:
    imported = run(data_dir, "import", "-j", "360100", str(NANCHANG), "--as", "王编报")
    assert imported.stdout.count("新建") == 4
    listing = run(data_dir, "tables", "-j", "360100").stdout
    for name in ("机动车污染防治", "436.41", "上年结转项目", "草稿"):
        assert name in listing
    table_id = json.loads(run(data_dir, "export", "-j", "360100", "--all").stdout)[3]["id"]
    shown = run(data_dir, "show", "-j", "360100", table_id[:8]).stdout
    for label in (
        "项目支出绩效目标表",
        "主管部门",
        "402-南昌市生态环境局",
        "新建界标",
        "≥66块",
        "2025-04-01",
    ):
        assert label in shown
    jiangsu = run(data_dir, "import", "-j", "320000", str(JIANGSU))
    assert jiangsu.returncode == 0
    first = json.loads(run(data_dir, "export", "-j", "320000", "--all").stdout)[0]["id"]
    findings = run(data_dir, "findings", "-j", "320000", first).stdout
    assert "indicators.empty_category" in findings
    assert "经济效益" in findings


def test_reimport_changes_nothing_and_export_round_trips(data_dir: Path, tmp_path: Path) -> None:
    run(data_dir, "import", "-j", "320000", str(JIANGSU))
    again = run(data_dir, "import", "-j", "320000", str(JIANGSU)).stdout
    assert again.count("无变化") == 4
    exported = run(data_dir, "export", "-j", "320000", "--all").stdout
    dump = tmp_path / "jiangsu.json"
    dump.write_text(exported, encoding="utf-8")
    other = tmp_path / "other"
    run(other, "import", "-j", "320000", str(dump))
    assert run(other, "export", "-j", "320000", "--all").stdout == exported


def test_an_edit_with_a_stale_version_is_refused(data_dir: Path) -> None:
    run(data_dir, "import", "-j", "360100", str(NANCHANG))
    document = json.loads(run(data_dir, "export", "-j", "360100", "--all").stdout)[0]
    indicator = document["indicators"][0]["id"]
    args = ("set-value", "-j", "360100", document["id"], indicator, "≤59万")
    changed = run(data_dir, *args, "--expected-version", "1", "--reason", "压减成本")
    assert "version 2" in changed.stdout
    stale = run(data_dir, *args, "--expected-version", "1", ok=False)
    assert stale.returncode == 1
    assert "reload version 2" in stale.stderr
    after = json.loads(run(data_dir, "export", "-j", "360100", document["id"]).stdout)
    assert (after["version"], after["indicators"][0]["full_year"]["raw"]) == (2, "≤59万")


def test_explain_sets_an_indicators_explanation_and_basis_and_the_history_shows_it(
    data_dir: Path,
) -> None:
    run(data_dir, "import", "-j", "360100", str(NANCHANG))
    document = json.loads(run(data_dir, "export", "-j", "360100", "--all").stdout)[0]
    indicator = document["indicators"][0]["id"]
    args = ("explain", "-j", "360100", document["id"], indicator, "--expected-version", "1")
    basis = ("--basis", "行业标准", "--basis-text", "《技术规范》")
    changed = run(data_dir, *args, "--explanation", "界标数量", *basis, "--reason", "补充")
    assert "version 2" in changed.stdout
    after = json.loads(run(data_dir, "export", "-j", "360100", document["id"]).stdout)
    first = after["indicators"][0]
    assert (first["explanation"], first["basis"]) == (
        "界标数量",
        {"kind": "industry", "text": "《技术规范》"},
    )
    assert "explanation" not in after["indicators"][1]
    replay = run(data_dir, "audit", "replay", "-j", "360100", document["id"]).stdout
    assert "指标值设定依据: 行业标准：《技术规范》" in replay
    wrong = run(data_dir, *args[:-1], "2", "--basis", "上级要求", ok=False)
    assert "unknown basis '上级要求'" in wrong.stderr
    assert json.loads(run(data_dir, "export", "-j", "360100", document["id"]).stdout) == after


def test_a_malformed_file_in_a_batch_stores_nothing(data_dir: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.txt"
    broken.write_text(NANCHANG.read_text(encoding="utf-8").replace("≥66块", ""), encoding="utf-8")
    refused = run(data_dir, "import", "-j", "360100", str(NANCHANG), str(broken), ok=False)
    assert refused.returncode == 1
    assert "broken.txt:" in refused.stderr
    assert "新建界标" in refused.stderr
    assert "nothing was stored" in refused.stderr
    assert not (data_dir / "360100").exists(), "a refused import creates no node"


def test_unknown_jurisdictions_and_tables_are_named(data_dir: Path) -> None:
    unknown = run(data_dir, "tables", "-j", "999999", ok=False)
    assert unknown.returncode == 2
    assert "unknown jurisdiction code '999999'" in unknown.stderr
    run(data_dir, "import", "-j", "360100", str(NANCHANG))
    missing = run(data_dir, "show", "-j", "360100", "deadbeef", ok=False)
    assert "no table 'deadbeef'" in missing.stderr


def test_the_shipped_json_schema_is_the_one_the_code_generates(tmp_path: Path) -> None:
    generated = run(tmp_path, "schema").stdout
    shipped = (
        Path(__file__).resolve().parents[2] / "infra" / "data" / "table-document.schema.json"
    ).read_text(encoding="utf-8")
    assert json.loads(generated) == json.loads(shipped)
    assert {"schema", "id", "jurisdiction", "indicators", "findings"} <= set(
        json.loads(generated)["properties"]
    )


def test_audit_replay_report_and_verify_catch_a_rewritten_event(
    data_dir: Path, tmp_path: Path
) -> None:
    run(data_dir, "import", "-j", "360100", str(NANCHANG), "--as", "王编报")
    document = json.loads(run(data_dir, "export", "-j", "360100", "--all").stdout)[3]
    table_id = document["id"]
    indicator = next(item for item in document["indicators"] if item["name"] == "新建界标")["id"]
    run(
        data_dir,
        "set-value",
        "-j",
        "360100",
        table_id,
        indicator,
        "≥70块",
        "--expected-version",
        "1",
        "--reason",
        "实测调整",
        "--as",
        "张三",
    )
    story = run(data_dir, "audit", "replay", "-j", "360100", table_id[:8]).stdout
    assert "v1" in story
    assert "登记" in story
    assert "v2" in story
    told = "修改指标值：指标「新建界标」全年(程)指标值: ≥66块 → ≥70块（原因：实测调整）"
    assert f"张三（编报人，360100） {told}" in story
    diff = run(data_dir, "audit", "diff", "-j", "360100", table_id[:8], "1", "2").stdout
    assert "≥66块 → ≥70块" in diff
    run(data_dir, "audit", "timeline", "-j", "360100", table_id[:8])
    run(data_dir, "audit", "blame", "-j", "360100", table_id[:8])
    run(data_dir, "audit", "asof", "-j", "360100", table_id[:8], "--version", "1")

    html_file, xlsx_file = tmp_path / "r.html", tmp_path / "r.xlsx"
    run(data_dir, "audit", "report", "-j", "360100", table_id[:8], "--output", str(html_file))
    run(
        data_dir,
        "audit",
        "report",
        "-j",
        "360100",
        table_id[:8],
        "--format",
        "xlsx",
        "--output",
        str(xlsx_file),
    )
    page = html_file.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>")
    assert "≥66块 → ≥70块" in page
    assert "完整" in page
    sheet = load_workbook(xlsx_file)["变更记录"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("版本", "时间", "操作人")
    assert rows[2][0] == 2
    assert rows[2][2] == "张三"
    assert "≥70块" in str(rows[2][6])

    assert (
        "every hash chain is intact"
        in run(data_dir, "audit", "verify", "-j", "360100", "--all").stdout
    )
    events = sqlite3.connect(data_dir / "360100" / "events.sqlite3")
    with events:
        events.execute(
            "UPDATE stored_events SET state = replace(state, '≥70块', '≥7块') "
            "WHERE originator_id = ? AND originator_version = 2",
            (table_id.replace("-", ""),),
        )
    events.close()
    broken = run(data_dir, "audit", "verify", "-j", "360100", "--all", ok=False)
    assert broken.returncode == 1
    assert f"table {table_id} at version 2" in broken.stdout


def test_text_people_typed_is_printed_as_it_is_never_as_markup(
    data_dir: Path, tmp_path: Path
) -> None:
    """A name or value holding rich markup is data: printed literally, crashing nothing."""
    name = "机动车[/red]污染防治[red]项目[/red]"
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(
        NANCHANG.read_text(encoding="utf-8").replace("机动车污染防治项目", name, 1),
        encoding="utf-8",
    )
    run(data_dir, "import", "-j", "360100", str(hostile), "--as", "王编报")
    document = next(
        item
        for item in json.loads(run(data_dir, "export", "-j", "360100", "--all").stdout)
        if "[/red]" in item["project"]["name"]
    )
    table_id = document["id"][:8]
    indicator = document["indicators"][0]["id"]
    value, reason = "[bold]≤60万[/bold]", "[/]改[red]"
    changed = ("set-value", "-j", "360100", table_id, indicator, value)
    run(data_dir, *changed, "--expected-version", "1", "--reason", reason)
    listing = run(data_dir, "tables", "-j", "360100").stdout
    assert "机动车[/red]污染防治" in listing
    assert name in run(data_dir, "show", "-j", "360100", table_id).stdout
    timeline = run(data_dir, "audit", "timeline", "-j", "360100", table_id).stdout
    assert reason in timeline
    assert "[bold]≤60万[/bold]" in timeline
    assert value in run(data_dir, "audit", "blame", "-j", "360100", table_id).stdout
    assert value in run(data_dir, "audit", "diff", "-j", "360100", table_id, "1", "2").stdout
    assert reason in run(data_dir, "audit", "replay", "-j", "360100", table_id).stdout


def test_the_audit_workbook_keeps_typed_text_as_text_and_a_control_character_is_refused(
    data_dir: Path, tmp_path: Path
) -> None:
    run(data_dir, "import", "-j", "360100", str(NANCHANG))
    document = json.loads(run(data_dir, "export", "-j", "360100", "--all").stdout)[0]
    table_id, indicator = document["id"][:8], document["indicators"][0]["id"]
    changed = ("set-value", "-j", "360100", table_id, indicator, "≤61万")
    escaped = run(
        data_dir, *changed, "--expected-version", "1", "--reason", "改\x1b[31m红", ok=False
    )
    assert escaped.returncode == 1
    assert "reason contains U+001B ESCAPE; nothing was stored" in escaped.stderr
    reason = "=cmd|' /C calc'!A0[31m红"
    run(data_dir, *changed, "--expected-version", "1", "--reason", reason)
    report = tmp_path / "r.xlsx"
    audit = ("audit", "report", "-j", "360100", table_id, "--format", "xlsx")
    run(data_dir, *audit, "--output", str(report))
    cell = load_workbook(report)["变更记录"]["H3"]
    assert cell.value == reason
    assert cell.data_type == "s"


def test_only_keep_status_takes_the_status_a_document_claims_and_the_timeline_says_so(
    data_dir: Path, tmp_path: Path
) -> None:
    run(data_dir, "import", "-j", "360100", str(NANCHANG))
    exported = json.loads(run(data_dir, "export", "-j", "360100", "--all").stdout)
    claims = tmp_path / "approved.json"
    claims.write_text(json.dumps([{**item, "status": "approved"} for item in exported]))
    drafts, kept = tmp_path / "drafts", tmp_path / "kept"
    run(drafts, "import", "-j", "360100", str(claims))
    run(kept, "import", "-j", "360100", "--keep-status", "--as", "陈管理", str(claims))
    for place, status in ((drafts, "draft"), (kept, "approved")):
        tables = json.loads(run(place, "export", "-j", "360100", "--all").stdout)
        assert [(item["status"], item["version"]) for item in tables] == [(status, 1)] * 4
    timeline = run(kept, "audit", "timeline", "-j", "360100", exported[0]["id"]).stdout
    assert "陈管理" in timeline
    assert "状态来源" in timeline


def test_importing_over_an_approved_table_is_refused_in_words(
    data_dir: Path, tmp_path: Path
) -> None:
    run(data_dir, "import", "-j", "320000", str(JIANGSU))
    services = build_services("320000", Settings(data_dir=data_dir, database_url=None))
    editor, reviewer = (
        next(actor for actor in dev_actors("320000") if actor.role is role)
        for role in (Role.EDITOR, Role.REVIEWER)
    )
    try:
        for table in services.app.tables():
            submitted = services.workflow.submit(editor, table.id, table.version)
            services.workflow.approve(reviewer, table.id, submitted.table.version)
    finally:
        services.close()
    changed = tmp_path / "changed.txt"
    text = JIANGSU.read_text(encoding="utf-8")
    changed.write_text(text.replace("江苏省生态环境监控中心", "江苏省生态环境监控总站", 1))
    refused = run(data_dir, "import", "-j", "320000", str(changed), ok=False)
    assert refused.returncode == 1
    said = " ".join(refused.stderr.split())
    assert "the table 生态环境监控专项 is approved" in said
    assert "nothing was stored" in said
    assert "Traceback" not in said
