"""``jixiao export --format`` and ``jixiao template`` as a bureau's staff would run them."""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner, Result

from api.cli.main import app
from infra.documents.reading import read_documents
from tests.conftest import NANCHANG


@pytest.fixture
def jixiao(tmp_path: Path) -> CliRunner:
    runner = CliRunner(env={"JIXIAO_DATA_DIR": str(tmp_path / "var"), "JIXIAO_DATABASE_URL": None})
    imported = runner.invoke(app, ["import", "-j", "360100", str(NANCHANG), "--as", "王编报"])
    assert imported.exit_code == 0, imported.output
    return runner


def run(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(app, list(args))


def test_json_stays_the_default(jixiao: CliRunner) -> None:
    exported = run(jixiao, "export", "-j", "360100", "--all")
    assert exported.exit_code == 0
    assert [item["fiscal_year"] for item in json.loads(exported.stdout)] == [2026] * 4


def test_export_writes_the_tables_as_one_workbook(jixiao: CliRunner, tmp_path: Path) -> None:
    output = tmp_path / "tables.xlsx"
    exported = run(jixiao, "export", "-j", "360100", "--all", "--format", "xlsx", "-o", str(output))
    assert exported.exit_code == 0, exported.output
    book = load_workbook(BytesIO(output.read_bytes()), read_only=True)
    assert len(book.sheetnames) == 4
    documents = read_documents(output.read_bytes(), "tables.xlsx", "360100")
    assert [item.project.name for item in documents][
        3
    ] == "南昌市县级及以上集中式饮用水水源地规范化建设项目"
    assert not list(tmp_path.glob("*.partial"))


def test_one_table_exports_as_a_page_to_print(jixiao: CliRunner, tmp_path: Path) -> None:
    table = json.loads(run(jixiao, "export", "-j", "360100", "--all").stdout)[3]["id"]
    shown = run(jixiao, "export", "-j", "360100", table[:8], "--format", "html")
    assert shown.exit_code == 0
    assert shown.stdout.startswith("<!DOCTYPE html>")
    assert shown.stdout.count('<section class="sheet"') == 1
    output = tmp_path / "table.html"
    written = run(jixiao, "export", "-j", "360100", table, "--format", "html", "-o", str(output))
    assert written.exit_code == 0
    assert output.read_text(encoding="utf-8") == shown.stdout


def test_a_workbook_needs_an_output_file(jixiao: CliRunner) -> None:
    refused = run(jixiao, "export", "-j", "360100", "--all", "--format", "xlsx")
    assert refused.exit_code == 2
    assert "--output" in refused.output


def test_an_unknown_format_is_refused_naming_the_allowed_ones(jixiao: CliRunner) -> None:
    refused = run(jixiao, "export", "-j", "360100", "--all", "--format", "pdf")
    assert refused.exit_code == 2
    assert all(name in refused.output for name in ("'pdf'", "'json'", "'xlsx'", "'html'"))


def test_template_writes_a_blank_workbook_of_the_form(tmp_path: Path) -> None:
    output = tmp_path / "blank.xlsx"
    written = CliRunner().invoke(
        app, ["template", "--form", "municipal", "--output", str(output), "--fiscal-year", "2027"]
    )
    assert written.exit_code == 0, written.output
    sheet = load_workbook(output).worksheets[0]
    assert (sheet["A1"].value, sheet["A2"].value) == ("项目支出绩效目标表", "(2027年度)")


def test_an_unknown_form_is_refused_naming_the_allowed_ones(tmp_path: Path) -> None:
    output = tmp_path / "blank.xlsx"
    refused = CliRunner().invoke(app, ["template", "--form", "county", "--output", str(output)])
    assert refused.exit_code == 2
    assert all(name in refused.output for name in ("'county'", "'provincial'", "'municipal'"))
    assert not output.exists()
