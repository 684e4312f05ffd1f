"""The auditor's history pages in a real browser: the timeline, who set a value (blame), the table
as of a version or a time, two versions side by side, the hash chain, and the report downloads.

History is made the way editors make it elsewhere: through the node's GraphQL API, with reasons.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, expect

from tests.web.conftest import WebNode

EDITOR = "孙编报"
REASON = "依据2025年群众满意度调查结果上调"
# Typed by a person: must stay text in the page, the HTML report and the spreadsheet.
HOSTILE = '=HYPERLINK("http://evil.example","点我")<b>加粗</b><script>alert(1)</script>'
SET_VALUE = """
mutation($input: SetIndicatorValueInput!) {
  setIndicatorValue(input: $input) { __typename ... on TableChanged { table { version } } }
}
"""
TABLES = "{ tables(first: 20) { edges { node { id name version } } } }"
TABLE = "query($id: ID!) { table(id: $id) { version indicators { id name fullYear { raw } } } }"
BEIJING = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Edited:
    """A table whose 群众满意度 went from ≥95% (v1) to ≥96% (v2), then another value (v3)."""

    table_id: str
    indicator: str
    other: str

    @property
    def cell(self) -> str:
        return f'td[data-path="indicators.{self.indicator}.full_year"]'


def _post(node: WebNode, query: str, variables: dict[str, Any], name: str) -> dict[str, Any]:
    response = httpx.post(
        f"{node.url}/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {node.token('editor', name)}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def edit_satisfaction(
    node: WebNode, name: str = "群众满意度", old: str = "≥95%", new: str = "≥96%"
) -> Edited:
    """Find a seed table with indicator ``name`` at ``old`` and have an editor set ``new``
    (with a reason), then change another value with a hostile reason."""
    for edge in node.graphql(TABLES)["tables"]["edges"]:
        table = node.graphql(TABLE, {"id": edge["node"]["id"]})["table"]
        items = table["indicators"]
        found = [item for item in items if item["name"] == name]
        if found and found[0]["fullYear"]["raw"] == old and table["version"] == 1:
            other = next(item for item in items if item["id"] != found[0]["id"])
            break
    else:
        pytest.fail(f"no seed table with {name} {old}")
    table_id, indicator = edge["node"]["id"], found[0]["id"]
    for version, (target, value, reason) in enumerate(
        [(indicator, new, REASON), (other["id"], "≥1项", HOSTILE)], start=1
    ):
        data = {
            "tableId": table_id,
            "expectedVersion": version,
            "indicatorId": target,
            "value": value,
            "reason": reason,
        }
        result = _post(node, SET_VALUE, {"input": data}, EDITOR)["setIndicatorValue"]
        assert result["__typename"] == "TableChanged", result
    return Edited(table_id, indicator, other["id"])


@pytest.fixture(scope="module")
def edited(city: WebNode) -> Edited:
    return edit_satisfaction(city)


def test_the_timeline_shows_who_changed_what_when_and_why(
    browser: Browser, city: WebNode, edited: Edited
) -> None:
    auditor = city.sign_in(browser, "auditor")
    page = auditor.page
    page.goto(f"{city.url}/tables/{edited.table_id}/history")
    expect(page.locator("h1")).to_contain_text("变更历史")
    rows = page.locator("#timeline tbody tr")
    expect(rows).to_have_count(3)
    second = page.locator('#timeline tr[data-version="2"]')
    expect(second.locator(".actor")).to_have_text(EDITOR)
    expect(second.locator(".role")).to_have_text("编报人")
    expect(second.locator(".place")).to_have_text("南昌市（360100）")
    expect(second.locator(".action")).to_have_text("修改指标值")
    expect(second.locator(".reason")).to_have_text(REASON)
    change = second.locator(f'li[data-path="indicators.{edited.indicator}.full_year"]')
    expect(change).to_have_text("指标「群众满意度」全年(程)指标值：≥95% → ≥96%")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", second.locator(".when").inner_text())
    at = datetime.fromisoformat(second.get_attribute("data-at") or "").astimezone(BEIJING)
    expect(second.locator(".when")).to_have_text(at.strftime("%Y-%m-%d %H:%M:%S"))
    hostile = page.locator('#timeline tr[data-version="3"] .reason')
    expect(hostile).to_have_text(HOSTILE)
    expect(hostile.locator("b, script")).to_have_count(0)
    registered = page.locator('#timeline tr[data-version="1"]')
    expect(registered.locator(".action")).to_have_text("登记")
    auditor.no_console_errors()


def test_clicking_a_value_shows_who_set_it_when_and_why(
    browser: Browser, city: WebNode, edited: Edited
) -> None:
    auditor = city.sign_in(browser, "auditor")
    page = auditor.page
    page.goto(f"{city.url}/tables/{edited.table_id}/history/cells")
    panel = page.locator("#blame-panel")
    expect(panel).to_have_attribute("role", "region")
    page.locator(f"{edited.cell} button").click()
    blame = panel.locator(".blame")
    expect(blame).to_have_attribute("data-version", "2")
    expect(blame.locator(".blame-actor")).to_have_text(EDITOR)
    expect(blame.locator(".blame-reason")).to_have_text(REASON)
    expect(blame.locator(".blame-version")).to_have_text("第 2 版（共 3 版）")
    expect(blame.locator(".blame-change")).to_have_text("≥95% → ≥96%")
    expect(panel).to_contain_text("编报人")
    expect(page.locator(edited.cell)).to_have_class(re.compile(r"\bselected\b"))

    page.locator('td[data-path="project.name"] button').focus()
    page.keyboard.press("Enter")
    expect(blame).to_have_attribute("data-path", "project.name")
    expect(blame).to_have_attribute("data-version", "1")
    expect(blame.locator(".blame-change")).to_have_text("登记时的初始值")
    expect(blame.locator(".blame-value")).to_contain_text("生态环保行业管理_机动车污染防治项目")
    auditor.no_console_errors()


def test_the_table_as_of_a_version_or_a_time(
    browser: Browser, city: WebNode, edited: Edited
) -> None:
    auditor = city.sign_in(browser, "auditor")
    page = auditor.page
    page.goto(f"{city.url}/tables/{edited.table_id}/history/asof")
    expect(page.locator(f"#asof-sheet {edited.cell}")).to_have_text("≥96%")
    page.select_option("#asof-version", "1")
    page.click("#asof-version-form button[type=submit]")
    expect(page.locator(f"#asof-sheet {edited.cell}")).to_have_text("≥95%")
    expect(page.locator("#asof-sheet .sheet-caption")).to_contain_text("第 1 版（共 3 版）")
    expect(page.locator(f"#asof-sheet {edited.cell} button")).to_have_count(0)

    page.goto(f"{city.url}/tables/{edited.table_id}/history")
    stamp = page.locator('#timeline tr[data-version="2"]').get_attribute("data-at") or ""
    second = datetime.fromisoformat(stamp).astimezone(BEIJING).strftime("%Y-%m-%dT%H:%M:%S")
    page.goto(f"{city.url}/tables/{edited.table_id}/history/asof")
    page.fill("#asof-at", second)
    page.click("#asof-time-form button[type=submit]")
    caption = page.locator("#asof-sheet .sheet-caption")
    expect(caption).to_contain_text(f"截至 {second.replace('T', ' ')}（北京时间）")
    expect(page.locator(f"#asof-sheet {edited.cell}")).to_have_text("≥96%")

    page.fill("#asof-at", "2001-01-01T08:00")
    page.click("#asof-time-form button[type=submit]")
    expect(page.locator("#asof-problem")).to_have_text("2001-01-01 08:00（北京时间）时此表尚未建立")
    expect(page.locator("#asof-sheet")).to_have_count(0)
    auditor.no_console_errors()


def test_two_versions_side_by_side_with_the_changed_cells_marked(
    browser: Browser, city: WebNode, edited: Edited
) -> None:
    auditor = city.sign_in(browser, "auditor")
    page = auditor.page
    page.goto(f"{city.url}/tables/{edited.table_id}/history/compare")
    page.select_option("#compare-before-version", "1")
    page.select_option("#compare-after-version", "2")
    page.click("#compare-form button[type=submit]")
    before, after = page.locator("#compare-before"), page.locator("#compare-after")
    expect(before).to_have_attribute("data-version", "1")
    expect(after).to_have_attribute("data-version", "2")
    expect(before.locator(edited.cell)).to_have_text("≥95%")
    expect(after.locator(edited.cell)).to_have_text("≥96%")
    changed = re.compile(r"\bchanged\b")
    expect(before.locator(edited.cell)).to_have_class(changed)
    expect(after.locator(edited.cell)).to_have_class(changed)
    expect(page.locator("table.sheet td.changed")).to_have_count(2)
    other = f'td[data-path="indicators.{edited.other}.full_year"]'
    expect(after.locator(other)).not_to_have_class(changed)
    listed = page.locator("#change-list li")
    expect(listed).to_have_count(1)
    expect(listed).to_have_text("指标「群众满意度」全年(程)指标值：≥95% → ≥96%")
    auditor.no_console_errors()


def test_the_hash_chain_is_reported_intact(browser: Browser, city: WebNode, edited: Edited) -> None:
    auditor = city.sign_in(browser, "auditor")
    page = auditor.page
    page.goto(f"{city.url}/tables/{edited.table_id}/history")
    status = page.locator("#chain-status")
    expect(status).to_have_attribute("data-intact", "true")
    expect(status).to_contain_text("哈希链完整：第 1–3 版与登记的链一致")
    auditor.no_console_errors()


def test_the_audit_report_downloads_as_html_and_xlsx(
    browser: Browser, city: WebNode, edited: Edited
) -> None:
    auditor = city.sign_in(browser, "auditor")
    page = auditor.page
    page.goto(f"{city.url}/tables/{edited.table_id}/history")
    with page.expect_download() as html_download:
        page.click("#download-html")
    assert html_download.value.suggested_filename.endswith(".html")
    report = html_download.value.path().read_text(encoding="utf-8")
    assert report.startswith("<!doctype html>")
    assert "指标「群众满意度」全年(程)指标值: ≥95% → ≥96%" in report
    assert REASON in report
    assert "<script>alert(1)</script>" not in report
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in report

    with page.expect_download() as xlsx_download:
        page.click("#download-xlsx")
    assert xlsx_download.value.suggested_filename.endswith(".xlsx")
    with open(xlsx_download.value.path(), "rb") as spreadsheet:
        sheet = load_workbook(spreadsheet)["变更记录"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    edit = rows[2]
    assert [cell.value for cell in edit[2:6]] == [EDITOR, "编报人", "360100", "修改指标值"]
    assert "≥95% → ≥96%" in str(edit[6].value)
    assert edit[7].value == REASON
    hostile = rows[3][7]
    assert hostile.value == HOSTILE
    assert hostile.data_type == "s"  # text, not a formula
    auditor.no_console_errors()


def test_an_editor_is_refused_the_history(browser: Browser, city: WebNode, edited: Edited) -> None:
    editor = city.sign_in(browser, "editor")
    page = editor.page
    response = page.goto(f"{city.url}/tables/{edited.table_id}/history")
    assert response is not None
    assert response.status == 403
    expect(page.locator("h1")).to_have_text("无权操作")
    expect(page.locator("#timeline")).to_have_count(0)
    expect(page.locator(".refused")).to_contain_text("王编报（编报人")
    expect(page.locator(".refused .detail")).to_contain_text("仅供本级及上级的审计人、管理员查看")
    # Chromium reports the refused page's status itself; nothing else may go wrong.
    assert editor.errors == [
        "Failed to load resource: the server responded with a status of 403 (Forbidden)"
    ]
    editor.errors.clear()
    download = httpx.get(
        f"{city.url}/tables/{edited.table_id}/history/report.xlsx",
        cookies={"jixiao_session": city.token("editor")},
    )
    assert download.status_code == 403
    assert "无权操作" in download.text
    editor.no_console_errors()


def test_a_rewritten_event_shows_the_chain_broken(browser: Browser, province: WebNode) -> None:
    edited = edit_satisfaction(province, "信息系统使用人员满意率", "≥90%", "≥91%")
    assert province.data_dir is not None
    events = sqlite3.connect(province.data_dir / province.code / "events.sqlite3")
    with events:
        events.execute(
            "UPDATE stored_events "
            "SET state = CAST(replace(CAST(state AS TEXT), '≥91%', '≥9%') AS BLOB) "
            "WHERE originator_id = ? AND originator_version = 2",
            (edited.table_id.replace("-", ""),),
        )
    events.close()
    admin = province.sign_in(browser, "admin")
    page = admin.page
    page.goto(f"{province.url}/tables/{edited.table_id}/history")
    status = page.locator("#chain-status")
    expect(status).to_have_attribute("data-intact", "false")
    expect(status).to_contain_text("哈希链断裂：第 2 版被改动、删除或调换了顺序")
    page.goto(f"{province.url}/tables/{edited.table_id}/history/compare?before=1&after=3")
    page.goto(f"{province.url}/tables/{edited.table_id}/history/cells")
    page.locator("td[data-path='project.start'] button").click()
    admin.no_console_errors()
