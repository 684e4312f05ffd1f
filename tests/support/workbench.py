"""Steps on the workbench's table page that several browser tests take."""

from __future__ import annotations

from playwright.sync_api import Browser, Locator, Page, expect

from tests.web.conftest import Watched, WebNode

# Nanchang's municipal seed tables (360100).
VEHICLES = "ab1257f7-cc46-5e23-9664-d6c58f7ef9e6"  # 机动车污染防治项目
MONITORING = "735d0018-7ce8-5843-9fd8-87941ec924c7"  # 环境监控中心运行维护
ASSESSMENT = "61d8f2f8-b418-5a38-837c-60d59ab495e8"  # 综合技术评估服务项目
WATER = "5d9c785a-9d08-5ae4-a4ce-ef6f39a64c11"  # 饮用水水源地 (上年结转项目)
# Jiangsu's provincial seed tables (320000).
SUPERVISION = "cd7de109-c317-5246-80f8-552f231e4663"  # 生态环境监控专项
NETWORK = "f466a307-2193-5804-b659-3f70bc85e234"  # 信息网络运维专项
SYSTEMS = "37230a2c-3a6a-5258-9db0-d26428940eaf"  # 政务信息系统运维项目
OFFSITE = "bd29b958-0790-5f82-b263-1e7242704fac"  # 非现场监管能力提升项目


def open_table(node: WebNode, browser: Browser, role: str, table_id: str) -> Watched:
    watched = node.sign_in(browser, role)
    watched.page.goto(f"{node.url}/tables/{table_id}")
    expect(watched.page.locator("#workspace")).to_be_visible()
    return watched


def version_of(page: Page) -> int:
    return int(page.locator("#workspace").get_attribute("data-version") or "0")


def expect_version(page: Page, version: int) -> None:
    expect(page.locator("#table-version")).to_have_text(f"版本 {version}")


def value_cells(page: Page) -> Locator:
    """The 指标值 cells of the form's indicators, in printed order."""
    return page.locator("tr.indicator td[data-field=full_year]")


def submit_by_api(node: WebNode, table_id: str) -> int:
    """Submit ``table_id`` at its current version as the node's editor; the submitted version."""
    version = node.graphql("query($id: ID!) { table(id: $id) { version } }", {"id": table_id})
    data = node.graphql(
        "mutation($input: SubmitTableInput!) { submitTable(input: $input) {"
        " __typename ... on TableChanged { table { version status } } } }",
        {"input": {"tableId": table_id, "expectedVersion": version["table"]["version"]}},
    )["submitTable"]
    assert data["__typename"] == "TableChanged", data
    return int(data["table"]["version"])


def status_of(node: WebNode, table_id: str) -> str:
    found = node.graphql("query($id: ID!) { table(id: $id) { status } }", {"id": table_id})
    status: str = found["table"]["status"]
    return status


def wait_for_dialog(watched: Watched, seconds: float = 5.0) -> None:
    """Until the page has opened a dialog (answered by the sign-in's handler)."""
    for _ in range(int(seconds * 10)):
        if watched.dialogs:
            return
        watched.page.wait_for_timeout(100)
    raise AssertionError("the page asked nothing")
