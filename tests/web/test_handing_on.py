"""Steps that hand a table on ask first, and the printable page opens to print (issue 25, 10)."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from domain import vocabulary
from tests.support.workbench import (
    MONITORING,
    WATER,
    expect_version,
    open_table,
    status_of,
    submit_by_api,
    version_of,
)
from tests.web.conftest import WebNode

# Jiangsu's provincial seed tables (320000), reviewed on their own node.
SYSTEMS = "37230a2c-3a6a-5258-9db0-d26428940eaf"  # 政务信息系统运维项目
OFFSITE = "bd29b958-0790-5f82-b263-1e7242704fac"  # 非现场监管能力提升项目


def test_submit_asks_first_and_declining_submits_nothing(browser: Browser, city: WebNode) -> None:
    watched = open_table(city, browser, "editor", MONITORING)
    page = watched.page
    before = version_of(page)
    question = vocabulary.CONFIRM_STEPS["submit"].format(version=before)
    watched.confirm = False
    page.get_by_role("button", name="提交", exact=True).click()
    expect(page.locator("#table-status")).to_have_text(vocabulary.STATUS_LABELS["draft"])
    assert watched.dialogs == [question]
    assert status_of(city, MONITORING) == "DRAFT"
    watched.confirm = True
    page.get_by_role("button", name="提交", exact=True).click()
    expect(page.locator("#table-status")).to_have_text(vocabulary.STATUS_LABELS["submitted"])
    expect_version(page, before + 1)
    assert watched.dialogs == [question, question]
    watched.no_console_errors()


def test_approve_and_return_ask_first(browser: Browser, province: WebNode) -> None:
    for table_id, button, step, status in (
        (SYSTEMS, "审核通过", "approve", "APPROVED"),
        (OFFSITE, "退回", "return", "RETURNED"),
    ):
        version = submit_by_api(province, table_id)
        watched = province.sign_in(browser, "reviewer")
        page = watched.page
        page.goto(f"{province.url}/review/{table_id}/{version}")
        page.get_by_label("审核意见", exact=True).fill("请补充测算依据")
        watched.confirm = False
        page.get_by_role("button", name=button, exact=True).click()
        expect(page.get_by_role("button", name=button, exact=True)).to_be_visible()
        assert watched.dialogs == [vocabulary.CONFIRM_STEPS[step].format(version=version)]
        assert status_of(province, table_id) == "SUBMITTED"
        watched.confirm = True
        page.get_by_role("button", name=button, exact=True).click()
        expect(page.locator(".verdict")).to_be_visible()
        assert status_of(province, table_id) == status
        watched.no_console_errors()


def test_the_printable_page_opens_in_a_new_tab_to_print(browser: Browser, city: WebNode) -> None:
    watched = open_table(city, browser, "editor", WATER)
    page = watched.page
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="打印版（HTML）").click()
    printable = opened.value
    printable.wait_for_load_state()
    expect(printable.locator("h1")).to_have_text(vocabulary.FORM_TITLES["municipal"])
    expect(printable.locator("table")).to_contain_text("饮用水")
    assert printable.url.endswith(f"/tables/{WATER}/export.html")
    expect(page.locator("#workspace")).to_be_visible()
    watched.no_console_errors()
