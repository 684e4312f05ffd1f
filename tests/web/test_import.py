"""导入 and the table's downloads, in a real Chromium: files go in through the form, all or none.

The workbooks uploaded are the tables' own exports, downloaded from the table page and edited
with openpyxl as a bureau would edit them in Excel. The module's city node takes uploads up to
``LIMIT`` only, so that an oversized file is cheap to make. With ``JIXIAO_SCREENSHOTS=<folder>``
the tests save the import page, its problem list and its result there.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell import Cell
from playwright.sync_api import Browser, FilePayload, Locator, Page, expect

from tests.e2e.servers import stop
from tests.support.bombs import BOMBS, punycode_page
from tests.web.conftest import WebNode, start_web_node

LIMIT = 256 * 1024
# Nanchang's municipal seed tables (360100); each test works on its own.
VEHICLES = "ab1257f7-cc46-5e23-9664-d6c58f7ef9e6"  # 机动车污染防治项目
MONITORING = "735d0018-7ce8-5843-9fd8-87941ec924c7"  # 环境监控中心运行维护
ASSESSMENT = "61d8f2f8-b418-5a38-837c-60d59ab495e8"  # 综合技术评估服务项目
WATER = "5d9c785a-9d08-5ae4-a4ce-ef6f39a64c11"  # 饮用水水源地 (上年结转项目)
TABLES = "{ tables(first: 50) { totalCount edges { node { id version } } } }"
SUBMIT = "mutation($i: SubmitTableInput!) { submitTable(input: $i) { __typename } }"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WEB_BOMBS = ("spans.html", "tall-spans.html", "merged.xlsx", "merged.xls", "brackets.json")


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebNode]:
    """南昌市 with its four seed tables, as conftest's, taking uploads up to ``LIMIT``."""
    folder = tmp_path_factory.mktemp("city")
    node = start_web_node("360100", folder, {"JIXIAO_MAX_UPLOAD_BYTES": str(LIMIT)})
    yield node
    stop(node.process)


def shot(page: Page, name: str) -> None:
    folder = os.environ.get("JIXIAO_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def stored(node: WebNode) -> dict[str, int]:
    """Every table of the node and its version."""
    found = node.graphql(TABLES)["tables"]
    versions = {edge["node"]["id"]: edge["node"]["version"] for edge in found["edges"]}
    assert len(versions) == found["totalCount"]
    return versions


def download(page: Page, link: Locator) -> tuple[str, bytes]:
    """Click a download link; the file's suggested name and its content."""
    with page.expect_download() as started:
        link.click()
    saved = started.value.path()
    return started.value.suggested_filename, Path(saved).read_bytes()


def exported(node: WebNode, page: Page, table_id: str) -> Workbook:
    """The table's workbook, as 下载 Excel on its page gives it."""
    page.goto(f"{node.url}/tables/{table_id}")
    _, body = download(page, page.locator("#download-xlsx"))
    return load_workbook(io.BytesIO(body))


def cell_with(book: Workbook, text: str) -> Cell:
    """The one cell of the book's first sheet that holds ``text``."""
    found = [
        cell
        for row in book.worksheets[0].iter_rows()
        for cell in row
        if isinstance(cell, Cell) and cell.value == text
    ]
    assert len(found) == 1, f"{text!r} is in {len(found)} cells"
    return found[0]


def right_of(book: Workbook, label: str) -> Cell:
    """The first filled cell right of ``label`` (its value, where the form merges cells)."""
    sheet = book.worksheets[0]
    at = cell_with(book, label)
    for column in range(at.column + 1, sheet.max_column + 1):
        cell = sheet.cell(at.row, column)
        if cell.value not in (None, ""):
            return cell
    raise AssertionError(f"nothing right of {label}")


def payload(name: str, book: Workbook) -> FilePayload:
    out = io.BytesIO()
    book.save(out)
    return {"name": name, "mimeType": XLSX_TYPE, "buffer": out.getvalue()}


def open_import(node: WebNode, page: Page) -> None:
    page.goto(f"{node.url}/")
    page.locator("#import-link").click()
    expect(page.locator("h1#import-title")).to_have_text("导入绩效目标表")


def test_an_editor_imports_an_edited_workbook_and_sees_the_new_value(
    browser: Browser, city: WebNode
) -> None:
    editor = city.sign_in(browser, "editor")
    page = editor.page
    before = stored(city)
    book = exported(city, page, VEHICLES)
    cell_with(book, "≥97%").value = "≥98%"

    page.goto(f"{city.url}/")
    shot(page, "tables")
    open_import(city, page)
    shot(page, "import")
    page.locator("#import-files").set_input_files([payload("机动车污染防治.xlsx", book)])
    page.get_by_label("原因").fill("按批复调整数据上传率")
    page.get_by_role("button", name="导入").click()

    expect(page.locator("#done-title")).to_have_text("导入完成")
    row = page.locator(f"#imported tr[data-table-id='{VEHICLES}']")
    expect(row).to_contain_text("机动车污染防治项目")
    expect(row.locator(".outcome")).to_have_text("更新")
    expect(page.locator("#import-summary")).to_contain_text("机动车污染防治.xlsx")
    shot(page, "import-done")
    row.get_by_role("link", name="查看").click()

    value = page.locator("tr.indicator").filter(has_text="移动源污染防治相关平台数据上传率")
    expect(value.locator("td[data-field=full_year]")).to_have_text("≥98%")
    after = stored(city)
    assert after == {**before, VEHICLES: after[VEHICLES]}
    assert after[VEHICLES] > before[VEHICLES]
    timeline = city.graphql(
        "query($id: ID!) { timeline(tableId: $id) { reason } }", {"id": VEHICLES}
    )["timeline"]
    assert timeline[-1]["reason"] == "按批复调整数据上传率"
    editor.no_console_errors()


def test_a_broken_workbook_is_refused_at_its_cell_and_nothing_is_imported(
    browser: Browser, city: WebNode
) -> None:
    editor = city.sign_in(browser, "editor")
    page = editor.page
    broken = exported(city, page, MONITORING)
    kind = right_of(broken, "项目属性")
    kind.value = "跨年项目"
    fine = exported(city, page, ASSESSMENT)
    cell_with(fine, "≥90家").value = "≥95家"  # a good change, which must not be stored either
    before = stored(city)

    open_import(city, page)
    page.locator("#import-files").set_input_files(
        [payload("评估服务.xlsx", fine), payload("监控中心.xlsx", broken)]
    )
    page.get_by_role("button", name="导入").click()

    refused = page.locator(".import-refused")
    expect(refused.locator("h2")).to_have_text("未导入任何表格")
    place = f"监控中心.xlsx!{broken.worksheets[0].title}!{kind.coordinate}"
    problems = page.locator("#import-problems li")
    expect(problems).to_have_count(1)
    expect(problems.first).to_have_text(
        f"{place}: 无法识别的项目属性「跨年项目」（应为当年项目、上年结转项目、常年安排项目）"
    )
    expect(refused).to_contain_text("本节点没有保存任何内容")
    shot(page, "import-problems")
    assert stored(city) == before
    page.goto(f"{city.url}/")
    expect(page.locator("#tables tbody tr")).to_have_count(len(before))
    editor.no_console_errors()


def test_files_built_to_exhaust_the_node_are_named_and_nothing_is_imported(
    browser: Browser, city: WebNode
) -> None:
    editor = city.sign_in(browser, "editor")
    page = editor.page
    before = stored(city)
    # The module's node takes uploads up to LIMIT in all: the small ones, the punycode page cut.
    built = {name: BOMBS[name]() for name in WEB_BOMBS}
    built["punycode.html"] = punycode_page(LIMIT // 4)
    files: list[FilePayload] = [
        {"name": name, "mimeType": "application/octet-stream", "buffer": data}
        for name, data in built.items()
    ]

    open_import(city, page)
    page.locator("#import-files").set_input_files(files)
    page.get_by_role("button", name="导入").click()

    refused = page.locator(".import-refused")
    expect(refused.locator("h2")).to_have_text("未导入任何表格")
    expect(refused).to_contain_text("本节点没有保存任何内容")
    problems = page.locator("#import-problems li").all_inner_texts()
    for name in built:
        assert any(problem.startswith(f"{name}") for problem in problems), (name, problems)
    expect(page.locator("#import-problems")).to_contain_text(
        "合并单元格 A1:XFD1048576 超出了工作表中有单元格的区域 A1:A1"
    )
    assert stored(city) == before
    editor.no_console_errors()


def test_an_empty_submission_asks_for_files_and_tables(browser: Browser, city: WebNode) -> None:
    editor = city.sign_in(browser, "editor")
    page = editor.page
    before = stored(city)
    open_import(city, page)
    page.get_by_role("button", name="导入").click()

    expect(page.locator(".import-refused .message")).to_have_text(
        "请先选择要导入的文件（可一次选择多个）"
    )
    expect(page.locator("#import-files")).to_be_visible()
    empty: FilePayload = {"name": "空.json", "mimeType": "application/json", "buffer": b"[]"}
    page.locator("#import-files").set_input_files([empty])
    page.get_by_role("button", name="导入").click()
    expect(page.locator(".import-refused .message")).to_have_text("所选文件中没有找到绩效目标表。")
    assert stored(city) == before
    editor.no_console_errors()


def test_an_oversized_upload_is_told_in_words_and_never_stored(
    browser: Browser, city: WebNode
) -> None:
    editor = city.sign_in(browser, "editor")
    page = editor.page
    before = stored(city)
    open_import(city, page)
    big: FilePayload = {
        "name": "全年汇总.xlsx",
        "mimeType": XLSX_TYPE,
        "buffer": b"PK\x03\x04" + b"0" * 2 * LIMIT,
    }
    page.locator("#import-files").set_input_files([big])

    too_large = page.locator("#import-too-large")
    expect(too_large).to_be_visible()
    expect(too_large).to_contain_text("超过本节点单次导入的上限 256 KB")
    shot(page, "import-too-large")
    page.get_by_role("button", name="导入").click()
    expect(too_large).to_be_visible()
    assert page.url == f"{city.url}/import"

    # Sent anyway (no script), the node refuses it before reading it.
    csrf = page.locator("form.import-form input[name=csrf]").get_attribute("value") or ""
    response = page.request.post(
        f"{city.url}/import",
        multipart={"csrf": csrf, "file": big},
        headers={"Accept": "text/html"},
    )
    assert response.status == 413
    assert "没有保存任何内容" in response.text()
    assert stored(city) == before
    editor.no_console_errors()


def test_a_submitted_table_is_not_changed_by_an_import(browser: Browser, city: WebNode) -> None:
    editor = city.sign_in(browser, "editor")
    page = editor.page
    book = exported(city, page, WATER)
    cell_with(book, "≥66块").value = "≥70块"
    version = stored(city)[WATER]
    submitted = city.graphql(SUBMIT, {"i": {"tableId": WATER, "expectedVersion": version}})
    assert submitted["submitTable"]["__typename"] == "TableChanged"
    before = stored(city)

    open_import(city, page)
    page.locator("#import-files").set_input_files([payload("水源地.xlsx", book)])
    page.get_by_role("button", name="导入").click()

    refused = page.locator(".import-refused")
    expect(refused.locator("h2")).to_have_text("未导入任何表格")
    expect(refused.locator(".message")).to_contain_text("文件中有 1 张表当前不能修改")
    locked = refused.locator("#import-locked li")
    expect(locked).to_have_count(1)
    expect(locked).to_contain_text("水源地规范化建设项目：已提交，不能由导入修改")
    assert stored(city) == before
    editor.no_console_errors()


@pytest.mark.parametrize("role", ["reviewer", "auditor"])
def test_only_editors_may_import(browser: Browser, city: WebNode, role: str) -> None:
    someone = city.sign_in(browser, role)
    page = someone.page
    before = stored(city)
    expect(page.locator("#tables")).to_be_visible()
    expect(page.locator("#import-link")).to_have_count(0)

    response = page.goto(f"{city.url}/import")
    assert response is not None
    assert response.status == 403
    expect(page.locator("h1")).to_have_text("无权操作")
    expect(page.locator(".refused .detail")).to_contain_text("仅供本级的编报人使用")

    page.goto(f"{city.url}/")
    csrf = page.locator("form[action='/logout'] input[name=csrf]").get_attribute("value") or ""
    text: FilePayload = {"name": "a.txt", "mimeType": "text/plain", "buffer": b"x"}
    posted = page.request.post(f"{city.url}/import", multipart={"csrf": csrf, "file": text})
    assert posted.status == 403
    assert stored(city) == before
    # Chromium reports the refused page's status itself; nothing else may go wrong.
    assert someone.errors == [
        "Failed to load resource: the server responded with a status of 403 (Forbidden)"
    ]


def test_anyone_who_reads_a_table_downloads_its_workbook_and_printable_page(
    browser: Browser, city: WebNode
) -> None:
    auditor = city.sign_in(browser, "auditor")
    page = auditor.page
    page.goto(f"{city.url}/tables/{WATER}")
    shot(page, "table-downloads")
    saved_as, body = download(page, page.get_by_role("link", name="下载 Excel"))
    assert saved_as.endswith(".xlsx")
    assert "饮用水水源地" in saved_as
    book = load_workbook(io.BytesIO(body))
    assert cell_with(book, "上年结转项目").value == "上年结转项目"

    # 打印版 opens in a tab of its own to print; saved from there, it keeps the table's name.
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="打印版（HTML）").click()
    printable = opened.value
    printable.wait_for_load_state()
    expect(printable.locator("table")).to_contain_text("上年结转项目")
    disposition = page.request.get(printable.url).headers["content-disposition"]
    assert disposition.startswith("inline;")
    assert "饮用水水源地" in unquote(disposition)
    auditor.no_console_errors()


def test_the_blank_templates_are_workbooks(browser: Browser, city: WebNode) -> None:
    editor = city.sign_in(browser, "editor")
    page = editor.page
    open_import(city, page)
    for form in ("provincial", "municipal"):
        saved_as, body = download(page, page.locator(f"#template-{form}"))
        assert saved_as.endswith(".xlsx")
        assert load_workbook(io.BytesIO(body)).worksheets
    response = page.request.get(f"{city.url}/import/template/county")
    assert response.status == 404
    editor.no_console_errors()
