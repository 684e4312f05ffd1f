"""A real Chromium (Debian's, driven by Playwright) and real nodes for the workbench's tests.

Missing Chromium or Playwright fails the tests with what to install; they never skip.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.auth import issue_token
from domain.model import Actor, Role
from tests.e2e.servers import JIXIAO, free_port, node_env, start_node, stop

CHROMIUM = Path("/usr/bin/chromium")
SEEDS = Path(__file__).resolve().parents[2] / "infra" / "data" / "seeds"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

try:
    from playwright.sync_api import Browser, Dialog, Page, Playwright, sync_playwright
except ImportError as missing:  # pragma: no cover - reported as a failure below
    PLAYWRIGHT_MISSING: ImportError | None = missing
else:
    PLAYWRIGHT_MISSING = None


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if PLAYWRIGHT_MISSING is not None:
        pytest.fail(
            f"Playwright for Python is required (pip install -e '.[dev]'): {PLAYWRIGHT_MISSING}"
        )
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is required at {CHROMIUM} for the web workbench's tests: "
            "run `apt-get install chromium` (.ci/run does it), then `make test`"
        )
    launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
    yield launched
    launched.close()


@dataclass
class Watched:
    """A page whose console errors and failed requests are collected for the test to check."""

    page: Page
    errors: list[str] = field(default_factory=list)
    # Every dialog the page opened; each is answered with ``confirm`` (OK, or 取消 when False).
    dialogs: list[str] = field(default_factory=list)
    confirm: bool = True

    def no_console_errors(self) -> None:
        assert self.errors == [], f"console errors on {self.page.url}: {self.errors}"


@dataclass
class WebNode:
    """One running node with the seed tables, its development sign-in switched on."""

    code: str
    url: str
    process: subprocess.Popen[str]
    data_dir: Path | None = None

    def sign_in(self, browser: Browser, role: str) -> Watched:
        """A new browser session signed in as this node's development ``role``."""
        context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
        page = context.new_page()
        watched = Watched(page)
        page.on("console", lambda message: _console_error(watched, message.type, message.text))
        page.on("pageerror", lambda error: watched.errors.append(f"page error: {error}"))
        page.on("dialog", lambda dialog: _answer(watched, dialog))
        page.goto(f"{self.url}/login")
        page.click(f"button.identity[data-role={role}]")
        page.wait_for_url(f"{self.url}/")
        return watched

    def token(self, role: str, name: str = "") -> str:
        """A bearer token for the node's API, signed with the node's own key."""
        assert self.data_dir is not None, "this node was started without a data directory"
        secret = (self.data_dir / self.code / "secret.key").read_text(encoding="ascii").strip()
        who = name or f"{role}@{self.code}"
        actor = Actor(id=f"id:{who}", name=who, role=Role(role), jurisdiction=self.code)
        return issue_token(secret, actor, days=1)

    def graphql(
        self, query: str, variables: dict[str, Any] | None = None, role: str = "editor"
    ) -> dict[str, Any]:
        """The data of a GraphQL request that must succeed, sent as ``role`` of this node."""
        response = httpx.post(
            f"{self.url}/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"Authorization": f"Bearer {self.token(role)}"},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data


def _answer(watched: Watched, dialog: Dialog) -> None:
    watched.dialogs.append(dialog.message)
    if watched.confirm:
        dialog.accept()
    else:
        dialog.dismiss()


def _console_error(watched: Watched, kind: str, text: str) -> None:
    if kind == "error":
        watched.errors.append(text)


def seed(code: str, env: dict[str, str]) -> None:
    files = sorted(SEEDS.glob(f"*-{code}-*.txt"))
    if files:
        subprocess.run(
            [str(JIXIAO), "import", "-j", code, *map(str, files)],
            env=env,
            check=True,
            capture_output=True,
        )


def start_web_node(code: str, data_dir: Path, extra: dict[str, str] | None = None) -> WebNode:
    env = {**node_env(data_dir, None), "JIXIAO_DEV_SIGN_IN": "1", **(extra or {})}
    seed(code, env)
    port = free_port()
    process = start_node(code, port, env)
    return WebNode(code, f"http://127.0.0.1:{port}", process, data_dir)


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebNode]:
    """南昌市 (360100) with its four municipal seed tables, on SQLite, no broker."""
    node = start_web_node("360100", tmp_path_factory.mktemp("city"))
    yield node
    stop(node.process)


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebNode]:
    """江苏省 (320000), a root that reviews its own four provincial tables; no broker."""
    node = start_web_node("320000", tmp_path_factory.mktemp("province"))
    yield node
    stop(node.process)
