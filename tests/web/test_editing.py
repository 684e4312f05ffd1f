"""Editing a table in place and its workflow buttons, in a real Chromium.

Tests share each module's nodes, so each one works on its own seed table and reads the version
the page shows rather than assuming one.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
from playwright.sync_api import Browser, Locator, Page, expect

from tests.support.workbench import (
    ASSESSMENT,
    MONITORING,
    NETWORK,
    OFFSITE,
    SUPERVISION,
    SYSTEMS,
    VEHICLES,
    WATER,
    expect_version,
    open_table,
    version_of,
)
from tests.web.conftest import WebNode


def indicator_row(page: Page, name: str) -> Locator:
    name_cell = page.locator("td[data-path$='.name']").get_by_text(name, exact=True)
    return page.locator("tr.indicator").filter(has=name_cell)


def value_cell(page: Page, name: str, field: str = "full_year") -> Locator:
    return indicator_row(page, name).locator(f"td[data-field={field}]")


def edit_cell(cell: Locator, text: str, reason: str = "") -> Locator:
    """Open the cell's editor, type, save; the editor (until the page answers)."""
    cell.locator(".cell-button").click()
    editor = cell.locator("form.editor")
    editor.locator("[name=value]").fill(text)
    if reason:
        editor.get_by_label("原因").fill(reason)
    editor.get_by_role("button", name="保存").click()
    return editor


def graphql(node: WebNode, page: Page, query: str, variables: dict[str, Any]) -> Any:
    """A GraphQL call as the page's signed-in person (the session cookie is their token)."""
    token = next(
        item["value"] for item in page.context.cookies() if item["name"] == "jixiao_session"
    )
    response = httpx.post(
        f"{node.url}/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


def csrf_of(page: Page) -> str:
    headers = json.loads(page.locator("body").get_attribute("hx-headers") or "{}")
    token: str = headers["X-CSRF-Token"]
    return token


def test_editing_a_value_shows_the_new_version_and_value(browser: Browser, city: WebNode) -> None:
    watched = open_table(city, browser, "editor", VEHICLES)
    page = watched.page
    before = version_of(page)
    cell = value_cell(page, "群众满意度")
    edit_cell(cell, "≥96%")
    expect_version(page, before + 1)
    expect(cell.locator(".cell-button")).to_have_text("≥96%")
    expect(page.locator("#notice")).to_contain_text(f"版本 {before + 1}")
    page.reload()
    expect(value_cell(page, "群众满意度")).to_have_text("≥96%")
    watched.no_console_errors()


def test_the_reason_typed_is_stored_with_the_edit(browser: Browser, city: WebNode) -> None:
    watched = open_table(city, browser, "editor", MONITORING)
    page = watched.page
    before = version_of(page)
    name = page.locator("tr.indicator td[data-path$='.name'] .cell-button").first.inner_text()
    edit_cell(value_cell(page, name), "≥99%", reason="依据2026年度运维合同")
    expect_version(page, before + 1)
    timeline = graphql(
        city,
        page,
        "query($id: ID!) { timeline(tableId: $id) { version type reason actor { name } } }",
        {"id": MONITORING},
    )["timeline"]
    last = timeline[-1]
    assert (last["version"], last["type"], last["reason"]) == (
        before + 1,
        "IndicatorValueChanged",
        "依据2026年度运维合同",
    )
    assert last["actor"]["name"] == "王编报"
    watched.no_console_errors()


def test_a_conflict_names_who_saved_meanwhile_and_offers_to_reload(
    browser: Browser, city: WebNode
) -> None:
    first = open_table(city, browser, "editor", ASSESSMENT)
    second = open_table(city, browser, "editor", ASSESSMENT)
    seen = version_of(second.page)
    name = first.page.locator("tr.indicator td[data-path$='.name'] .cell-button").first.inner_text()
    # The second person opens the editor; meanwhile the first one saves.
    late = value_cell(second.page, name)
    late.locator(".cell-button").click()
    edit_cell(value_cell(first.page, name), "=3次", reason="合同变更")
    expect_version(first.page, seen + 1)
    editor = late.locator("form.editor")
    editor.locator("[name=value]").fill("=5次")
    editor.get_by_role("button", name="保存").click()
    alert = editor.get_by_role("alert")
    expect(alert).to_contain_text("已被他人修改")
    expect(alert).to_contain_text(f"您编辑的是版本 {seen}，当前为版本 {seen + 1}")
    expect(alert).to_contain_text("王编报（编报人）")
    expect(alert).to_contain_text("=3次")
    expect(editor.locator("[name=value]")).to_have_value("=5次")
    expect_version(second.page, seen)
    alert.get_by_role("link", name="重新加载").click()
    expect_version(second.page, seen + 1)
    expect(value_cell(second.page, name)).to_have_text("=3次")
    first.no_console_errors()
    second.no_console_errors()


def test_one_value_can_be_edited_with_the_keyboard_alone(browser: Browser, city: WebNode) -> None:
    watched = open_table(city, browser, "editor", VEHICLES)
    page = watched.page
    before = version_of(page)
    name = page.locator("tr.indicator td[data-path$='.name'] .cell-button").first.inner_text()
    target = value_cell(page, name).locator(".cell-button")
    for _ in range(200):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            break
    expect(target).to_be_focused()
    page.keyboard.press("Enter")
    box = value_cell(page, name).locator("input[name=value]")
    expect(box).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("≤59万")
    page.keyboard.press("Enter")
    expect_version(page, before + 1)
    saved = value_cell(page, name).locator(".cell-button")
    expect(saved).to_have_text("≤59万")
    expect(saved).to_be_focused()
    # Escape closes an editor without saving.
    page.keyboard.press("Enter")
    expect(box).to_be_focused()
    page.keyboard.press("Escape")
    expect(value_cell(page, name).locator(".cell-button")).to_be_visible()
    expect_version(page, before + 1)
    watched.no_console_errors()


def test_an_auditor_sees_no_editors_and_a_forged_edit_is_refused(
    browser: Browser, city: WebNode
) -> None:
    watched = open_table(city, browser, "auditor", MONITORING)
    page = watched.page
    before = version_of(page)
    expect(page.locator(".cell-button")).to_have_count(0)
    expect(page.get_by_role("button", name="提交")).to_have_count(0)
    expect(page.get_by_role("columnheader", name="操作")).to_have_count(0)
    item = page.locator("tr.indicator").first.get_attribute("data-indicator-id")
    forged = page.request.post(
        f"{city.url}/tables/{MONITORING}/edit",
        form={"path": f"indicators.{item}.full_year", "version": str(before), "value": "0"},
        headers={"X-CSRF-Token": csrf_of(page)},
    )
    assert forged.status == 403
    assert "无权" in forged.text()
    page.reload()
    expect_version(page, before)
    watched.no_console_errors()


def test_a_change_without_the_csrf_token_is_refused(browser: Browser, city: WebNode) -> None:
    watched = open_table(city, browser, "editor", MONITORING)
    page = watched.page
    before = version_of(page)
    forged = page.request.post(
        f"{city.url}/tables/{MONITORING}/edit",
        form={"path": "funds.total", "version": str(before), "value": "1"},
    )
    assert forged.status == 403
    assert "CSRF" in forged.text()
    page.reload()
    expect_version(page, before)
    watched.no_console_errors()


def test_an_invalid_value_is_refused_naming_the_cell(browser: Browser, province: WebNode) -> None:
    watched = open_table(province, browser, "editor", NETWORK)
    page = watched.page
    before = version_of(page)
    name = page.locator("tr.indicator td[data-path$='.name'] .cell-button").last.inner_text()
    editor = edit_cell(value_cell(page, name), "")
    expect(editor.get_by_role("alert")).to_contain_text(
        f"「{name}」全年(程)指标值：输入有误：全年指标值不能为空"
    )
    # The refused text stays in its editor until the person cancels it (one editor at a time).
    editor.get_by_role("button", name="取消").click()
    editor = edit_cell(page.locator("td[data-path='funds.total']"), "八百八十")
    expect(editor.get_by_role("alert")).to_contain_text("资金总额：输入有误：不是有效的金额")
    expect(editor.locator("[name=value]")).to_have_value("八百八十")
    expect_version(page, before)
    watched.no_console_errors()


def test_submit_is_disabled_while_the_table_has_errors(browser: Browser, province: WebNode) -> None:
    watched = open_table(province, browser, "editor", NETWORK)
    page = watched.page
    before = version_of(page)
    submit = page.get_by_role("button", name="提交")
    expect(submit).to_be_enabled()
    source = page.locator("td[data-path='funds.sources.general_public_budget']")
    edit_cell(source, "700", reason="追加预算")
    expect_version(page, before + 1)
    expect(source).to_have_text("700.00")
    expect(submit).to_be_disabled()
    expect(page.locator(".blocked-reason")).to_contain_text("修正后才能提交")
    expect(page.locator(".findings .error").first).to_contain_text("资金来源合计与资金总额不一致")
    expect(page.locator("td.label.bad-cell", has_text="收入")).to_be_visible()
    edit_cell(source, "650")
    expect_version(page, before + 2)
    expect(submit).to_be_enabled()
    watched.no_console_errors()


def test_a_submitted_table_is_read_only_and_refuses_edits(browser: Browser, city: WebNode) -> None:
    watched = open_table(city, browser, "editor", WATER)
    page = watched.page
    before = version_of(page)
    toolbar = page.locator(".toolbar")
    toolbar.get_by_label("提交原因").fill("请审核")
    toolbar.get_by_role("button", name="提交").click()
    expect(page.locator("#table-status")).to_have_text("已提交")
    expect_version(page, before + 1)
    expect(page.locator(".cell-button")).to_have_count(0)
    expect(page.get_by_role("button", name="提交")).to_have_count(0)
    expect(page.locator(".locked-note")).to_contain_text("该表已提交")
    forged = page.request.post(
        f"{city.url}/tables/{WATER}/edit",
        form={"path": "funds.total", "version": str(before + 1), "value": "1"},
        headers={"X-CSRF-Token": csrf_of(page)},
    )
    assert forged.status == 200
    assert "该表已提交，正在等待上级审核，不能修改。" in forged.text()
    page.reload()
    expect_version(page, before + 1)
    watched.no_console_errors()


def test_indicators_are_added_renamed_moved_and_removed(
    browser: Browser, province: WebNode
) -> None:
    watched = open_table(province, browser, "editor", SYSTEMS)
    page = watched.page
    before = version_of(page)
    page.get_by_role("button", name="在「数量指标」下新增指标").first.click()
    form = page.locator("#add-indicator")
    expect(form.get_by_label("指标类别")).to_have_value("output/数量指标")
    form.get_by_label("三级指标名称").fill("新建监控点位数")
    form.get_by_label("半年(程)指标值").fill("≥2个")
    form.get_by_label("全年(程)指标值").fill("≥5个")
    form.get_by_role("button", name="保存").click()
    expect_version(page, before + 1)
    expect(value_cell(page, "新建监控点位数", "half_year")).to_have_text("≥2个")
    expect(value_cell(page, "新建监控点位数")).to_have_text("≥5个")

    indicator_row(page, "新建监控点位数").get_by_role(
        "button", name="改名「新建监控点位数」"
    ).click()
    editor = page.locator("form.editor")
    editor.locator("[name=value]").fill("新建在线监控点位数")
    editor.get_by_role("button", name="保存").click()
    expect_version(page, before + 2)
    row = indicator_row(page, "新建在线监控点位数")
    expect(row).to_have_count(1)
    item = row.get_attribute("data-indicator-id")

    row.get_by_role("button", name="移动「新建在线监控点位数」").click()
    page.locator("form.editor").get_by_label("指标类别").select_option(label="产出指标 › 质量指标")
    page.locator("form.editor").get_by_role("button", name="保存").click()
    expect_version(page, before + 3)
    document = graphql(
        province, page, "query($id: ID!) { table(id: $id) { document } }", {"id": SYSTEMS}
    )["table"]["document"]
    moved = next(entry for entry in document["indicators"] if entry["id"] == item)
    assert (moved["level1"], moved["level2"]) == ("产出指标", "质量指标")

    indicator_row(page, "新建在线监控点位数").get_by_role(
        "button", name="解释「新建在线监控点位数」"
    ).click()
    form = page.locator("form.editor")
    form.get_by_label("指标解释").fill("本年度新建的在线监控点位数量")
    form.get_by_label("指标值设定依据").select_option(label="计划标准")
    form.get_by_label("依据说明").fill("年度建设计划")
    form.get_by_role("button", name="保存").click()
    expect_version(page, before + 4)
    document = graphql(
        province, page, "query($id: ID!) { table(id: $id) { document } }", {"id": SYSTEMS}
    )["table"]["document"]
    explained = next(entry for entry in document["indicators"] if entry["id"] == item)
    assert explained["explanation"] == "本年度新建的在线监控点位数量"
    assert explained["basis"] == {"kind": "plan", "text": "年度建设计划"}

    indicator_row(page, "新建在线监控点位数").get_by_role(
        "button", name="删除「新建在线监控点位数」"
    ).click()
    page.locator("form.editor").get_by_label("原因").fill("与已有指标重复")
    page.get_by_role("button", name="确认删除").click()
    expect_version(page, before + 5)
    expect(indicator_row(page, "新建在线监控点位数")).to_have_count(0)
    watched.no_console_errors()


def test_project_fields_expenditure_lines_and_half_year_values(
    browser: Browser, province: WebNode
) -> None:
    watched = open_table(province, browser, "editor", OFFSITE)
    page = watched.page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message))
    before = version_of(page)
    kind = page.locator("td[data-path='project.kind']")
    kind.locator(".cell-button").click()
    # The select replaces the button when the editor arrives (the button is labelled too).
    kind.locator("select").select_option(label="当年项目")
    kind.get_by_role("button", name="保存").click()
    expect_version(page, before + 1)
    expect(kind).to_have_text("当年项目")

    hostile = "<script>alert(1)</script>[/red]" + "很长的文字" * 300
    manager = page.locator("td[data-path='project.manager']")
    edit_cell(manager, hostile)
    expect_version(page, before + 2)
    expect(manager.locator(".cell-button")).to_have_text(hostile)
    expect(page.locator("main script")).to_have_count(0)

    page.get_by_role("button", name="＋ 新增支出明细").click()
    form = page.locator("#add-line")
    form.get_by_label("支出项目").fill("设备购置")
    form.get_by_label("半年(程)计划执行数").fill("10")
    form.get_by_label("全年(程)预算数").fill("20")
    form.get_by_role("button", name="保存").click()
    expect_version(page, before + 3)
    line = page.locator("tr.expenditure").last
    expect(line).to_contain_text("设备购置")
    edit_cell(line.locator("td[data-path$='.full_year']"), "25")
    expect_version(page, before + 4)
    expect(page.locator("tr.expenditure").last.locator("td").last).to_have_text("25.00")
    page.locator("tr.expenditure").last.locator("td").first.locator(".cell-button").click()
    page.get_by_role("button", name="删除支出第").click()
    expect_version(page, before + 5)
    expect(page.locator("tr.expenditure", has_text="设备购置")).to_have_count(0)

    name = page.locator("tr.indicator td[data-path$='.name'] .cell-button").first.inner_text()
    edit_cell(value_cell(page, name, "half_year"), "基本完成")
    expect_version(page, before + 6)
    expect(value_cell(page, name, "half_year")).to_have_text("基本完成")
    assert dialogs == []
    watched.no_console_errors()


def test_an_approved_table_is_read_only_until_an_adjustment_with_a_reason(
    browser: Browser, province: WebNode
) -> None:
    editor = open_table(province, browser, "editor", SUPERVISION)
    page = editor.page
    before = version_of(page)
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#table-status")).to_have_text("已提交")
    reviewer = province.sign_in(browser, "reviewer")
    approved = graphql(
        province,
        reviewer.page,
        "mutation($id: ID!, $v: Int!) { approveSubmission(input: {tableId: $id, version: $v,"
        ' comment: "同意"}) { __typename } }',
        {"id": SUPERVISION, "v": before + 1},
    )
    assert approved["approveSubmission"]["__typename"] == "TableChanged"
    page.reload()
    expect(page.locator("#table-status")).to_have_text("已审核通过")
    expect(page.locator(".cell-button")).to_have_count(0)
    expect(page.locator(".locked-note")).to_contain_text("申请调整")
    adjust = page.get_by_role("button", name="申请调整")
    adjust.click()
    expect(page.locator("#workflow-message").get_by_role("alert")).to_contain_text(
        "申请调整：请填写原因"
    )
    expect(page.locator("#table-status")).to_have_text("已审核通过")
    page.get_by_label("调整原因").fill("预算调整，需修改指标")
    adjust.click()
    expect(page.locator("#table-status")).to_have_text("调整中")
    expect_version(page, before + 3)
    expect(page.locator(".cell-button").first).to_be_visible()
    editor.no_console_errors()
    reviewer.no_console_errors()


def test_after_a_return_the_reviewer_reasons_show_at_the_top_and_at_indicators(
    browser: Browser, province: WebNode
) -> None:
    editor = open_table(province, browser, "editor", SYSTEMS)
    page = editor.page
    before = version_of(page)
    item = page.locator("tr.indicator").first.get_attribute("data-indicator-id")
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#table-status")).to_have_text("已提交")
    reviewer = province.sign_in(browser, "reviewer")
    returned = graphql(
        province,
        reviewer.page,
        "mutation($id: ID!, $v: Int!, $item: String!) { returnSubmission(input: {tableId: $id,"
        ' version: $v, reason: "指标不够细化<b>", indicatorComments: [{indicatorId: $item,'
        ' comment: "请量化"}]}) { __typename } }',
        {"id": SYSTEMS, "v": before + 1, "item": item},
    )
    assert returned["returnSubmission"]["__typename"] == "TableChanged"
    page.reload()
    expect(page.locator("#table-status")).to_have_text("已退回")
    decision = page.get_by_role("region", name="审核意见")
    expect(decision).to_contain_text("退回意见")
    expect(decision).to_contain_text("李审核")
    expect(decision).to_contain_text("指标不够细化<b>")
    row = page.locator(f"tr.indicator[data-indicator-id='{item}']")
    expect(row.get_by_role("note")).to_have_text("审核意见：请量化")
    expect(page.locator(".cell-button").first).to_be_visible()
    expect(page.get_by_role("button", name="提交")).to_be_enabled()
    editor.no_console_errors()
    reviewer.no_console_errors()
