"""Real node processes for end-to-end tests: start, wait until healthy, stop."""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

JIXIAO = Path(sys.executable).parent / "jixiao"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def free_port_block(count: int) -> int:
    """The first of ``count`` consecutive free ports, below the kernel's ephemeral range
    (where outgoing connections would otherwise take one of them between check and use)."""
    picker = random.Random()
    for _ in range(200):
        base = picker.randrange(20_000, 30_000 - count)
        if all(_bindable(port) for port in range(base, base + count)):
            return base
    raise RuntimeError(f"no {count} consecutive free ports between 20000 and 30000")


def _bindable(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def node_env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {**os.environ, "JIXIAO_DATA_DIR": str(data_dir), "COLUMNS": "160"}
    env.pop("JIXIAO_DATABASE_URL", None)
    if database_url:
        env["JIXIAO_DATABASE_URL"] = database_url
    return env


def start_node(code: str, port: int, env: dict[str, str]) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [str(JIXIAO), "serve", "-j", code, "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    wait_healthy(f"http://127.0.0.1:{port}", process)
    return process


def wait_healthy(base: str, process: subprocess.Popen[str], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            raise AssertionError(f"the node exited with {process.returncode}: {output}")
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise AssertionError(f"{base} did not become healthy in {seconds} s")


def stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
