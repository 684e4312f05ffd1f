"""The first page: tables with filters, search, paging and counts; the reviewer's inbox."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from tests.web.conftest import WebNode


def test_the_list_shows_every_table_with_status_and_finding_counts(
    browser: Browser, province: WebNode
) -> None:
    watched = province.sign_in(browser, "editor")
    page = watched.page
    expect(page.get_by_text("共 4 张表")).to_be_visible()
    rows = page.locator("#tables tbody tr")
    expect(rows).to_have_count(4)
    first = rows.first
    expect(first.locator("td").nth(5)).to_have_text("草稿")
    header = page.locator("#tables thead")
    for heading in ("项目名称", "年度", "项目属性/类型", "状态", "错误", "警告"):
        expect(header).to_contain_text(heading)
    # The editor has no inbox; the counts are those of the read model.
    expect(page.get_by_role("heading", name="待审核")).to_have_count(0)
    watched.no_console_errors()


def test_filters_search_and_paging_narrow_the_list(browser: Browser, province: WebNode) -> None:
    watched = province.sign_in(browser, "auditor")
    page = watched.page
    page.get_by_label("搜索").fill("非现场监管")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_text("共 1 张表")).to_be_visible()
    expect(page.locator("#tables tbody tr")).to_have_count(1)
    expect(page.locator("#tables")).to_contain_text("江苏省生态环境非现场监管能力提升项目")
    page.get_by_role("link", name="清除").click()
    page.get_by_label("状态").select_option(label="已审核通过")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_text("没有符合条件的表。")).to_be_visible()
    page.goto(f"{province.url}/?year=2026&size=3")
    expect(page.locator("#tables tbody tr")).to_have_count(3)
    page.get_by_role("link", name="下一页").click()
    expect(page.locator("#tables tbody tr")).to_have_count(1)
    page.get_by_role("link", name="上一页").click()
    expect(page.locator("#tables tbody tr")).to_have_count(3)
    page.goto(f"{province.url}/?year=abc")
    expect(page.get_by_role("alert")).to_contain_text("年度“abc”不是有效的年份")
    watched.no_console_errors()


def test_a_reviewer_sees_the_inbox_above_the_list(browser: Browser, province: WebNode) -> None:
    watched = province.sign_in(browser, "reviewer")
    page = watched.page
    expect(page.get_by_role("heading", name="待审核")).to_be_visible()
    watched.no_console_errors()


def test_user_text_is_shown_as_text_never_as_markup(browser: Browser, city: WebNode) -> None:
    watched = city.sign_in(browser, "editor")
    page = watched.page
    page.goto(f"{city.url}/?search=%3Cscript%3Ealert(1)%3C/script%3E")
    expect(page.get_by_label("搜索")).to_have_value("<script>alert(1)</script>")
    expect(page.locator("main script")).to_have_count(0)
    watched.no_console_errors()
