"""The node under load as a process: started with ``jixiao serve``, its CPU time and memory read
from /proc (with ``--workers``, the API processes are its children and count too)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from bench import measures
from tests.e2e.servers import JIXIAO, free_port, node_env, wait_healthy


def start(folder: Path, url: str, workers: int) -> tuple[subprocess.Popen[str], int]:
    """``jixiao serve`` on the bench's store; ``--workers`` only when more than one."""
    port = free_port()
    command = [str(JIXIAO), "serve", "-j", "320000", "--port", str(port)]
    if workers > 1:
        command += ["--workers", str(workers)]
    process = subprocess.Popen(
        command,
        env=node_env(folder / "var", url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        text=True,
    )
    wait_healthy(f"http://127.0.0.1:{port}", process)
    return process, port


def process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants (the API workers, when there are several)."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            pending.extend(int(child) for child in task.read_text().split())
    return found


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time the processes have used so far."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pids: list[int]) -> float:
    """The processes' high-water resident memory together (Linux VmHWM)."""
    return sum(measures.peak_rss_mb(pid) for pid in pids)
