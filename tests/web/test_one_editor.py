"""Only one editor is open at a time, and nothing typed in it is dropped (issue 25, point 7)."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from domain import vocabulary
from tests.support.workbench import (
    ASSESSMENT,
    VEHICLES,
    WATER,
    expect_version,
    open_table,
    value_cells,
    version_of,
    wait_for_dialog,
)
from tests.web.conftest import WebNode


def test_a_second_editor_waits_while_the_first_holds_unsaved_text(
    browser: Browser, city: WebNode
) -> None:
    watched = open_table(city, browser, "editor", VEHICLES)
    page = watched.page
    before = version_of(page)
    first, second = value_cells(page).first, value_cells(page).last
    first.locator(".cell-button").click()
    typed = first.locator("form.editor [name=value]")
    typed.fill("≥97%")
    second.locator(".cell-button").click()
    expect(page.locator("#notice")).to_have_text(vocabulary.UNSAVED_EDITOR)
    expect(page.locator("form.editor")).to_have_count(1)
    expect(typed).to_have_value("≥97%")
    expect(typed).to_be_focused()
    first.get_by_role("button", name="保存").click()
    expect_version(page, before + 1)
    expect(first.locator(".cell-button")).to_have_text("≥97%")
    second.locator(".cell-button").click()
    expect(second.locator("form.editor")).to_be_visible()
    watched.no_console_errors()


def test_an_untouched_editor_closes_when_another_opens(browser: Browser, city: WebNode) -> None:
    watched = open_table(city, browser, "editor", ASSESSMENT)
    page = watched.page
    first, second = value_cells(page).first, value_cells(page).last
    shown = first.locator(".cell-button").inner_text()
    first.locator(".cell-button").click()
    expect(first.locator("form.editor")).to_be_visible()
    second.locator(".cell-button").click()
    expect(second.locator("form.editor")).to_be_visible()
    expect(page.locator("form.editor")).to_have_count(1)
    expect(first.locator(".cell-button")).to_have_text(shown)
    watched.no_console_errors()


def test_the_add_panel_keeps_its_text_when_a_cell_is_opened(
    browser: Browser, city: WebNode
) -> None:
    watched = open_table(city, browser, "editor", ASSESSMENT)
    page = watched.page
    page.get_by_role("button", name="＋ 新增指标").click()
    name = page.locator("#add-indicator-name")
    name.fill("培训人次")
    value_cells(page).nth(2).locator(".cell-button").click()
    expect(page.locator("#notice")).to_have_text(vocabulary.UNSAVED_EDITOR)
    expect(page.locator("form.editor")).to_have_count(1)
    expect(name).to_have_value("培训人次")
    expect(name).to_be_focused()
    watched.no_console_errors()


def test_a_submission_note_typed_before_a_save_is_still_there_after_it(
    browser: Browser, city: WebNode
) -> None:
    watched = open_table(city, browser, "editor", WATER)
    page = watched.page
    before = version_of(page)
    note = page.get_by_placeholder("提交说明（可选）")
    note.fill("已按意见补充测算依据")
    cell = value_cells(page).first
    cell.locator(".cell-button").click()
    cell.locator("form.editor [name=value]").fill("≤550万")
    cell.get_by_role("button", name="保存").click()
    expect_version(page, before + 1)
    expect(page.get_by_placeholder("提交说明（可选）")).to_have_value("已按意见补充测算依据")
    watched.no_console_errors()


def test_leaving_the_page_with_unsaved_text_asks_first(browser: Browser, city: WebNode) -> None:
    watched = open_table(city, browser, "editor", VEHICLES)
    page = watched.page
    cell = value_cells(page).first
    cell.locator(".cell-button").click()
    typed = cell.locator("form.editor [name=value]")
    typed.fill("≤59万")
    watched.confirm = False
    page.get_by_role("link", name="← 返回列表").click()
    wait_for_dialog(watched)
    expect(typed).to_have_value("≤59万")
    assert len(watched.dialogs) == 1
    assert page.url.endswith(f"/tables/{VEHICLES}")
    watched.confirm = True
    page.get_by_role("link", name="← 返回列表").click()
    page.wait_for_url(f"{city.url}/")
    watched.no_console_errors()
