"""登录 / 退出, the session cookie, CSRF, and who the header says you are."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.servers import stop
from tests.web.conftest import WebNode, start_web_node


def test_signing_in_with_a_token_starts_a_strict_httponly_session_and_exit_ends_it(
    browser: Browser, city: WebNode
) -> None:
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.goto(f"{city.url}/")
    expect(page).to_have_url(f"{city.url}/login?next=%2F")
    # A token as an administrator would hand it out: here, the one a development identity uses.
    token = (
        page.locator("button.identity[data-role=editor]")
        .locator("xpath=..")
        .locator("input[name=token]")
        .get_attribute("value")
    )
    assert token
    page.locator("textarea[name=token]").fill(token)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(f"{city.url}/")
    who = page.get_by_label("当前用户")
    expect(who).to_contain_text("王编报")
    expect(who).to_contain_text("编报人")
    expect(who).to_contain_text("南昌市（360100）")
    (cookie,) = [item for item in context.cookies() if item["name"] == "jixiao_session"]
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Strict"
    page.get_by_role("button", name="退出").click()
    expect(page.get_by_text("已退出")).to_be_visible()
    assert [item for item in context.cookies() if item["name"] == "jixiao_session"] == []
    page.goto(f"{city.url}/")
    expect(page).to_have_url(f"{city.url}/login?next=%2F")
    assert errors == []
    context.close()


def test_a_bad_token_is_refused_with_the_reason_and_starts_no_session(
    browser: Browser, city: WebNode
) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{city.url}/login")
    page.locator("textarea[name=token]").fill("not-a-token")
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("令牌无效")
    assert context.cookies() == []
    context.close()


def test_a_change_without_the_sessions_csrf_token_is_refused(
    browser: Browser, city: WebNode
) -> None:
    watched = city.sign_in(browser, "editor")
    request = watched.page.request
    refused = request.post(f"{city.url}/logout", form={"csrf": "forged"}, max_redirects=0)
    assert refused.status == 403
    assert "CSRF" in refused.text()
    missing = request.post(f"{city.url}/logout", max_redirects=0)
    assert missing.status == 403
    watched.page.goto(f"{city.url}/")
    expect(watched.page.get_by_label("当前用户")).to_contain_text("王编报")
    watched.no_console_errors()


def test_after_sign_in_only_paths_on_this_node_are_followed(
    browser: Browser, city: WebNode
) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{city.url}/login?next=//example.invalid/steal")
    page.click("button.identity[data-role=auditor]")
    expect(page).to_have_url(f"{city.url}/")
    context.close()


def test_the_sign_in_page_offers_development_identities_only_on_a_development_node(
    browser: Browser, city: WebNode, plain_city: WebNode
) -> None:
    page = browser.new_page()
    page.goto(f"{city.url}/login")
    expect(page.locator("button.identity")).to_have_count(4)
    page.goto(f"{plain_city.url}/login")
    expect(page.get_by_role("button", name="登录", exact=True)).to_be_visible()
    expect(page.locator("button.identity")).to_have_count(0)
    expect(page.get_by_text("开发环境身份")).to_have_count(0)
    page.close()


@pytest.fixture(scope="module")
def plain_city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebNode]:
    """A node started without JIXIAO_DEV_SIGN_IN, as in production."""
    node = start_web_node("360100", tmp_path_factory.mktemp("plain"), {"JIXIAO_DEV_SIGN_IN": "0"})
    yield node
    stop(node.process)
