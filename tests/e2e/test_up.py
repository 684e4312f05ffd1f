"""``jixiao up``: the README's first command, as a newcomer runs it."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
from pathlib import Path

import httpx

from tests.e2e.servers import JIXIAO, free_port_block, node_env

NODE_LINE = re.compile(r"^(\d{6}) (\S+) (http://127\.0\.0\.1:\d+)/$")
BOOTSTRAP_LINE = re.compile(r"^bootstrap (127\.0\.0\.1:\d+)$")
TOKEN_LINE = re.compile(r"^(\d{6}) (editor|reviewer|auditor|admin)\s+(\S+)$")


def run_up(data_dir: Path) -> tuple[list[str], dict[str, str], dict[tuple[str, str], str]]:
    """Start ``up``, read until the tokens are printed, use the nodes, then press Ctrl-C."""
    port = free_port_block(4)  # three nodes and the broker
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
            if bootstrap := BOOTSTRAP_LINE.match(lines[-1]):
                urls["bootstrap"] = bootstrap.group(1)
            if len(tokens) == 12:
                break
        for code, url in urls.items():
            if code == "bootstrap":
                continue
            query = {"query": "{ tables { totalCount } me { role jurisdiction } }"}
            headers = {"Authorization": f"Bearer {tokens[(code, 'reviewer')]}"}
            api = f"{url}/graphql"
            data = httpx.post(api, json=query, headers=headers, timeout=10).json()["data"]
            assert data["tables"]["totalCount"] == (0 if code == "360000" else 4)
            assert data["me"] == {"role": "REVIEWER", "jurisdiction": code}
            assert httpx.post(api, json=query, timeout=10).status_code == 401
            sign_in = httpx.get(f"{url}/login", timeout=10).text
            for name in ("王编报", "李审核", "赵审计", "陈管理"):
                assert name in sign_in, f"the sign-in page of {code} does not offer {name}"
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0, "\n".join(lines)
    broker_host, broker_port = urls["bootstrap"].split(":")
    with socket.socket() as probe:
        listening = probe.connect_ex((broker_host, int(broker_port))) == 0
    assert not listening, "the broker still listens after Ctrl-C"
    for code, url in urls.items():
        if code == "bootstrap":
            continue
        try:
            httpx.get(f"{url}/health", timeout=1)
        except httpx.HTTPError:
            continue
        raise AssertionError(f"{url} still answers after Ctrl-C")
    return lines, urls, tokens


def test_up_runs_the_seed_nodes_prints_urls_and_tokens_and_stops_on_ctrl_c(
    tmp_path: Path,
) -> None:
    lines, urls, tokens = run_up(tmp_path / "var")
    assert sorted(urls) == ["320000", "360000", "360100", "bootstrap"]
    assert "320000: 4 new of 4 seed tables" in lines
    assert len(tokens) == 12

    again, _, _ = run_up(tmp_path / "var")
    assert "360100: 0 new of 4 seed tables" in again
