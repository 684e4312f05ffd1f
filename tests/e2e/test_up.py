"""``jixiao up``: the README's first command, as a newcomer runs it."""

from __future__ import annotations

import re
import signal
import subprocess
from pathlib import Path

import httpx

from tests.e2e.servers import JIXIAO, free_port, node_env

NODE_LINE = re.compile(r"^(\d{6}) (\S+) (http://127\.0\.0\.1:\d+/graphql)$")
TOKEN_LINE = re.compile(r"^(\d{6}) (editor|reviewer|auditor|admin)\s+(\S+)$")


def run_up(data_dir: Path) -> tuple[list[str], dict[str, str], dict[tuple[str, str], str]]:
    """Start ``up``, read until the tokens are printed, use the nodes, then press Ctrl-C."""
    port = free_port()
    process = subprocess.Popen(
        [str(JIXIAO), "up", "--base-port", str(port)],
        env=node_env(data_dir, None),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    urls: dict[str, str] = {}
    tokens: dict[tuple[str, str], str] = {}
    try:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            if node := NODE_LINE.match(lines[-1]):
                urls[node.group(1)] = node.group(3)
            if token := TOKEN_LINE.match(lines[-1]):
                tokens[(token.group(1), token.group(2))] = token.group(3)
            if len(tokens) == 8:
                break
        for code, url in urls.items():
            query = {"query": "{ tables { totalCount } me { role jurisdiction } }"}
            headers = {"Authorization": f"Bearer {tokens[(code, 'reviewer')]}"}
            data = httpx.post(url, json=query, headers=headers, timeout=10).json()["data"]
            assert data["tables"]["totalCount"] == 4
            assert data["me"] == {"role": "REVIEWER", "jurisdiction": code}
            assert httpx.post(url, json=query, timeout=10).status_code == 401
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0, "\n".join(lines)
    for url in urls.values():
        try:
            httpx.get(url.replace("/graphql", "/health"), timeout=1)
        except httpx.HTTPError:
            continue
        raise AssertionError(f"{url} still answers after Ctrl-C")
    return lines, urls, tokens


def test_up_runs_the_seed_nodes_prints_urls_and_tokens_and_stops_on_ctrl_c(
    tmp_path: Path,
) -> None:
    lines, urls, tokens = run_up(tmp_path / "var")
    assert sorted(urls) == ["320000", "360100"]
    assert "320000: 4 new of 4 seed tables" in lines
    assert len(tokens) == 8

    again, _, _ = run_up(tmp_path / "var")
    assert "360100: 0 new of 4 seed tables" in again
