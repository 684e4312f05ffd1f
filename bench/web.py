"""The workbench as a clerk feels it, measured in Chromium on a local node (PostgreSQL).

- ``web_table_page_p95_ms``: the 33-indicator table page (信息网络运维专项) from navigation
  start to the load event, read from the browser's Navigation Timing;
- ``web_edit_p95_ms``: a value edit answered, from htmx sending the save to the new form
  settled on the page (htmx's own events, timed in the page).

Run alone with ``python -m bench.web`` or as part of ``make bench``.
"""

from __future__ import annotations

import json
import tempfile
import uuid
from pathlib import Path
from typing import Any

import psycopg
from playwright.sync_api import Page, sync_playwright
from psycopg import sql

from api.auth import issue_token
from api.cli.context import read_documents
from bench import measures
from domain.model import Actor, Role
from infra.bootstrap import build_services
from infra.settings import Settings
from projections.reads import TableFilter
from tests.e2e.servers import free_port, node_env, start_node, stop
from tests.web.conftest import CHROMIUM, CHROMIUM_FLAGS, SEEDS

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
TABLE_NAME = "信息网络运维专项"
INDICATORS = 33
EDITOR = Actor("bench:web-editor", "基准编报", Role.EDITOR, "320000")
# Times the save request in the page: from htmx sending it to the answer settled.
TIMER = """
window.__edits = [];
document.addEventListener('htmx:beforeRequest', (event) => {
  if (event.detail.requestConfig.verb === 'post') { window.__sent = performance.now(); }
});
document.addEventListener('htmx:afterSettle', () => {
  if (window.__sent !== undefined) {
    window.__edits.push(performance.now() - window.__sent); window.__sent = undefined;
  }
});
"""


def measure(pages: int, edits: int) -> dict[str, Any]:
    name = f"jixiao_bench_web_{uuid.uuid4().hex[:8]}"
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        return _measure(url, pages, edits)
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def _measure(url: str, pages: int, edits: int) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="jixiao-bench-web-"))
    table_id, secret = _seeded(folder, url)
    port = free_port()
    server = start_node("320000", port, node_env(folder / "var", url))
    base = f"http://127.0.0.1:{port}"
    try:
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            token = issue_token(secret, EDITOR, days=1)
            context.add_cookies([{"name": "jixiao_session", "value": token, "url": base}])
            page = context.new_page()
            page_times = [_page_load(page, f"{base}/tables/{table_id}") for _ in range(pages)]
            edit_times = _edits(page, f"{base}/tables/{table_id}", edits)
            browser.close()
    finally:
        stop(server)
    return {
        "web_table_page_p50_ms": round(measures.percentile(page_times, 0.5), 1),
        "web_table_page_p95_ms": round(measures.percentile(page_times, 0.95), 1),
        "web_edit_p50_ms": round(measures.percentile(edit_times, 0.5), 1),
        "web_edit_p95_ms": round(measures.percentile(edit_times, 0.95), 1),
    }


def _seeded(folder: Path, url: str) -> tuple[str, str]:
    """The Jiangsu seed tables stored on the node; the id of the 33-indicator one."""
    services = build_services("320000", Settings(data_dir=folder / "var", database_url=url))
    try:
        seeds = sorted(SEEDS.glob("*-320000-*.txt"))
        documents = read_documents(seeds, "320000", None)
        services.editing.import_documents(EDITOR, documents, "基准数据")
        services.runner.catch_up()
        (chosen,) = [item for item in documents if item.project.name == TABLE_NAME]
        if len(chosen.indicators) != INDICATORS:
            raise RuntimeError(f"{TABLE_NAME} no longer has {INDICATORS} indicators")
        (row,) = services.reads.tables(TableFilter(search=TABLE_NAME), 2, None).rows
        table_id = str(row.id)
        return table_id, services.secret
    finally:
        services.close()


def _page_load(page: Page, address: str) -> float:
    page.goto(address, wait_until="load")
    rows = page.locator("tr[data-indicator-id]").count()
    assert rows == INDICATORS, f"the page shows {rows} indicator rows, not {INDICATORS}"
    timing = page.evaluate("JSON.stringify(performance.getEntriesByType('navigation')[0].toJSON())")
    entry = json.loads(timing)
    return float(entry["loadEventEnd"] - entry["startTime"])


def _edits(page: Page, address: str, count: int) -> list[float]:
    page.goto(address, wait_until="load")
    page.evaluate(TIMER)
    first = page.locator("tr[data-indicator-id]").first
    indicator = first.get_attribute("data-indicator-id")
    cell = f'td[data-path="indicators.{indicator}.full_year"]'
    for number in range(count):
        page.locator(f"{cell} .cell-button").click()
        editor = page.locator(f"{cell} input[name=value]")
        editor.fill(f"≥{90 + number % 10}%")
        page.locator(cell).get_by_role("button", name="保存", exact=True).click()
        page.wait_for_function(f"window.__edits.length >= {number + 1}")
    samples: list[float] = page.evaluate("window.__edits")
    return samples


def main() -> None:
    results = measure(pages=40, edits=40)
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
