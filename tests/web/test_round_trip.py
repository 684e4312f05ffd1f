"""The whole round trip between two nodes, through the browser only.

南昌市's editor edits and submits; 江西省's reviewer returns it with a comment at an indicator;
the city sees the comment, fixes and resubmits; the province approves; the city sees
已审核通过. The nodes sync through the real broker. With ``JIXIAO_SCREENSHOTS=<folder>`` the
test also saves a screenshot of each main screen there (``docs/screenshots/`` in the README).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from consumers.broker import Broker
from tests.e2e.servers import free_port, stop
from tests.web.conftest import WebNode, start_web_node

TABLE = "生态环保行业管理_机动车污染防治项目"
INDICATOR = "群众满意度"
SYNC_SECONDS = 30_000  # ms: how long a message may take between the nodes under test load


@pytest.fixture(scope="module")
def linked(
    tmp_path_factory: pytest.TempPathFactory, postgres_database: str
) -> Iterator[tuple[WebNode, WebNode]]:
    """南昌市 on SQLite and 江西省 on PostgreSQL, syncing through one broker."""
    with Broker(free_port()) as broker:
        sync = {"JIXIAO_KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap}
        city = start_web_node("360100", tmp_path_factory.mktemp("city"), sync)
        province = start_web_node(
            "360000",
            tmp_path_factory.mktemp("province"),
            {**sync, "JIXIAO_DATABASE_URL": postgres_database},
        )
        try:
            yield city, province
        finally:
            stop(city.process)
            stop(province.process)


def shot(page: Page, name: str) -> None:
    """A screenshot for the README, when asked for."""
    folder = os.environ.get("JIXIAO_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def value_cell(page: Page, name: str) -> Locator:
    name_cell = page.locator("td[data-path$='.name']").get_by_text(name, exact=True)
    row = page.locator("tr.indicator").filter(has=name_cell)
    return row.locator("td[data-field=full_year]")


def edit_value(page: Page, name: str, value: str, reason: str) -> None:
    cell = value_cell(page, name)
    cell.locator(".cell-button").click()
    editor = cell.locator("form.editor")
    editor.locator("[name=value]").fill(value)
    editor.get_by_label("原因").fill(reason)
    editor.get_by_role("button", name="保存").click()
    expect(value_cell(page, name).locator(".cell-button")).to_have_text(value)


def reload_until(page: Page, check: str, text: str) -> None:
    """Reload until ``check`` shows ``text``: what arrives by sync arrives in its own time."""
    for _ in range(SYNC_SECONDS // 500):
        page.reload()
        if text in (page.locator(check).first.text_content() or ""):
            return
        page.wait_for_timeout(500)
    expect(page.locator(check).first).to_contain_text(text)


def test_city_submits_province_returns_city_fixes_province_approves_in_the_browser(
    browser: Browser, linked: tuple[WebNode, WebNode]
) -> None:
    city, province = linked
    visitor = browser.new_page(viewport={"width": 1400, "height": 900})
    visitor.goto(f"{city.url}/login")
    shot(visitor, "01-login")
    visitor.close()
    clerk = city.sign_in(browser, "editor")
    page = clerk.page
    shot(page, "02-tables")
    page.get_by_role("link", name=TABLE).click()
    table_url = page.url
    edit_value(page, INDICATOR, "≥96%", "按2025年实际完成情况提高")
    shot(page, "03-table-editing")
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#table-status")).to_have_text("已提交")
    expect(page.locator(".cell-button")).to_have_count(0)

    reviewer = province.sign_in(browser, "reviewer")
    review = reviewer.page
    reload_until(review, "section.inbox", TABLE)
    shot(review, "04-inbox")
    review.locator("section.inbox tbody tr", has_text=TABLE).get_by_role(
        "link", name="审核"
    ).click()
    review.get_by_label(f"「{INDICATOR}」审核意见", exact=True).fill("请说明提高1个百分点的依据")
    review.get_by_label("审核意见", exact=True).fill("请补充指标依据后重新提交")
    shot(review, "05-review")
    review.get_by_role("button", name="退回", exact=True).click()
    expect(review.locator("#review-status")).to_have_text("已退回")

    page.goto(table_url)
    reload_until(page, "#table-status", "已退回")
    row_comment = page.locator("tr.indicator", has_text=INDICATOR).locator(".review-comment")
    expect(row_comment).to_contain_text("请说明提高1个百分点的依据")
    expect(page.locator("main")).to_contain_text("请补充指标依据后重新提交")
    shot(page, "06-returned")
    edit_value(page, INDICATOR, "≥95%", "按审核意见恢复原值")
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#table-status")).to_have_text("已提交")

    review.goto(f"{province.url}/")
    reload_until(review, "section.inbox", TABLE)
    review.locator("section.inbox tbody tr", has_text=TABLE).get_by_role(
        "link", name="审核"
    ).click()
    changed = review.locator("#sheet .changed[data-field=full_year]")
    expect(changed).to_have_count(1)
    expect(changed).to_contain_text("≥95%")
    shot(review, "07-resubmitted")
    review.get_by_role("button", name="审核通过", exact=True).click()
    expect(review.locator("#review-status")).to_have_text("已审核通过")

    page.goto(table_url)
    reload_until(page, "#table-status", "已审核通过")
    expect(page.locator(".cell-button")).to_have_count(0)
    expect(page.get_by_role("button", name="申请调整")).to_be_visible()
    shot(page, "08-approved")
    clerk.no_console_errors()
    reviewer.no_console_errors()
    audit_the_round_trip(browser, city, table_url)


def audit_the_round_trip(browser: Browser, city: WebNode, table_url: str) -> None:
    """The city's auditor replays it: every step with its reason, and who set the value."""
    auditor = city.sign_in(browser, "auditor")
    page = auditor.page
    page.goto(table_url)
    page.get_by_role("link", name="变更历史").click()
    timeline = page.locator("#timeline")
    for reason in ("按2025年实际完成情况提高", "请补充指标依据后重新提交", "按审核意见恢复原值"):
        expect(timeline).to_contain_text(reason)
    expect(page.locator("#chain-status")).to_have_attribute("data-intact", "true")
    shot(page, "09-history")
    page.locator(".history-tabs a[data-tab=cells]").click()
    name_cell = page.locator("td[data-path$='.name']").get_by_text(INDICATOR, exact=True)
    row = page.locator("tr.indicator").filter(has=name_cell)
    row.locator("td[data-field=full_year] button").click()
    expect(page.locator("#blame-panel")).to_contain_text("按审核意见恢复原值")
    shot(page, "10-blame")
    page.locator(".history-tabs a[data-tab=compare]").click()
    expect(page.locator("#compare-after")).to_be_visible()
    shot(page, "11-compare")
    auditor.no_console_errors()
