"""``JIXIAO_LOG_FORMAT=json``: a served node logs one JSON object per line, libraries included."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import httpx

from tests.e2e.servers import JIXIAO, free_port, node_env, stop


def test_a_node_logs_one_json_object_per_line(tmp_path: Path) -> None:
    env = node_env(tmp_path / "var", None)
    # A broker nobody listens on: the consumer and the Kafka client complain at once.
    env |= {
        "JIXIAO_LOG_FORMAT": "json",
        "JIXIAO_KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{free_port()}",
    }
    port = free_port()
    log = tmp_path / "stderr.log"
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [str(JIXIAO), "serve", "-j", "360100", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            text=True,
        )
        try:
            live = _until_live(f"http://127.0.0.1:{port}/health/live", process)
            lines = _until_lines(log, 3)
        finally:
            stop(process)
    assert live == {"live": True, "jurisdiction": "360100"}
    records = [json.loads(line) for line in lines]
    for record in records:
        assert {"time", "level", "logger", "message"} <= record.keys()
        assert record["jurisdiction"] == "360100"
        assert record["time"].endswith("+00:00")
    assert {record["level"] for record in records} <= {"WARNING", "ERROR", "CRITICAL"}


def _until_live(url: str, process: subprocess.Popen[str], seconds: float = 60) -> object:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the node exited with {process.returncode}"
        try:
            return httpx.get(url, timeout=1).json()
        except httpx.HTTPError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer in {seconds} s")


def _until_lines(log: Path, count: int, seconds: float = 30) -> list[str]:
    """The first ``count`` complete lines written to ``log``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        lines = log.read_text(encoding="utf-8").splitlines(keepends=True)
        complete = [line for line in lines if line.endswith("\n")]
        if len(complete) >= count:
            return complete[:count]
        time.sleep(0.1)
    raise AssertionError(f"fewer than {count} log lines in {seconds} s: {log.read_text()!r}")
