"""＋ 新增指标 from the form's own button, under a category the table writes differently."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from domain import vocabulary
from tests.support.workbench import VEHICLES, expect_version, open_table, version_of
from tests.web.conftest import WebNode


def test_a_new_indicator_joins_its_block_and_the_form_shows_one_benefit_block(
    browser: Browser, city: WebNode
) -> None:
    watched = open_table(city, browser, "editor", VEHICLES)
    page = watched.page
    before = version_of(page)
    level1_cells = page.locator("td.level1")
    level1_before = level1_cells.all_inner_texts()
    page.get_by_role("button", name="＋ 新增指标").click()
    form = page.locator("#add-indicator")
    form.get_by_label("指标类别").select_option(label="效益指标 › 生态效益指标")
    expect(form.get_by_label("位置")).to_have_value("")
    expect(form.get_by_label("位置").locator("option:checked")).to_have_text(
        vocabulary.ADD_AFTER_ITS_CATEGORY
    )
    form.get_by_label("三级指标名称").fill("河道断面达标率")
    form.get_by_label("指标值").fill("≥90%")
    form.get_by_role("button", name="保存").click()
    expect_version(page, before + 1)
    expect(level1_cells).to_have_text(level1_before)
    row = page.locator("tr.indicator", has_text="河道断面达标率")
    expect(row.locator("xpath=preceding-sibling::tr[1]")).to_contain_text("环境空气质量PM2.5")
    expect(page.locator("td.level2", has_text="生态效益")).to_have_count(1)
    expect(page.locator("td.level2", has_text="生态效益")).to_have_attribute("rowspan", "2")
    watched.no_console_errors()
