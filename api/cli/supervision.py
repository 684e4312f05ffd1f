"""``up`` keeps its children running: one that stops is started again, after a growing pause.

The pause doubles from one second up to thirty with each stop that came soon after a start, and
falls back to one second once a child has run for a minute. A child that keeps stopping right
after it starts is said to be in a crash loop once, loudly; ``up`` keeps trying every thirty
seconds (what stops it may go away: a port taken for a while, a database restarting) until
Ctrl-C, so one child never takes the others down.
"""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

FIRST_PAUSE = 1.0
LONGEST_PAUSE = 30.0
STEADY_SECONDS = 60.0  # a child up this long starts counting its stops afresh
CRASH_LOOP = 5  # stops in a row, each soon after a start
STOP_SECONDS = 15.0

Process = subprocess.Popen[bytes]


@dataclass
class Child:
    """One process ``up`` runs: how to start it, and how to tell that it serves."""

    name: str
    start: Callable[[], Process]
    ready: Callable[[], bool]
    process: Process
    note: str = ""  # said when it is started again
    started_at: float = 0.0
    stops: int = 0  # in a row, each soon after a start
    restart_at: float | None = None
    serving: bool = True

    def stopped(self, now: float, how: str) -> str:
        """Count the stop and plan the restart; what to tell the user."""
        soon = now - self.started_at < STEADY_SECONDS
        self.stops = self.stops + 1 if soon else 1
        pause = min(FIRST_PAUSE * 2 ** (self.stops - 1), LONGEST_PAUSE)
        self.restart_at = now + pause
        again = f" ({self.stops} stops in a row)" if self.stops > 1 else ""
        return f"{self.name} {how}; starting it again in {pause:.0f} s{again}{self.note}"


class Supervisor:
    """Watches the children; ``say`` tells the user each stop, restart and crash loop."""

    def __init__(
        self,
        children: list[Child],
        say: Callable[[str], None],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.children = children
        self.say = say
        self.clock = clock
        for child in children:
            child.started_at = clock()

    def watch(self, stopping: threading.Event, interval: float = 0.5) -> None:
        """Look at every child twice a second, until ``stopping`` is set (Ctrl-C, SIGTERM)."""
        while not stopping.is_set():
            self.check()
            stopping.wait(interval)

    def check(self) -> None:
        for child in self.children:
            now = self.clock()
            if child.restart_at is not None:
                if now >= child.restart_at:
                    self._restart(child, now)
                continue
            code = child.process.poll()
            if code is not None:
                lasted = now - child.started_at
                self._stopped(child, now, f"{_exit(code)} after {lasted:.0f} s")
            elif not child.serving and child.ready():
                child.serving = True
                self.say(f"{child.name} is running again")

    def _restart(self, child: Child, now: float) -> None:
        child.restart_at = None
        child.started_at = now
        try:
            child.process = child.start()
        except (OSError, RuntimeError) as error:
            self._stopped(child, now, f"could not start: {error}")
            return
        child.serving = False

    def _stopped(self, child: Child, now: float, how: str) -> None:
        self.say(child.stopped(now, how))
        if child.stops == CRASH_LOOP:
            self.say(
                f"{child.name} keeps stopping right after it starts ({CRASH_LOOP} times in a "
                f"row): a crash loop. up tries again every {LONGEST_PAUSE:.0f} s; Ctrl-C stops "
                "everything"
            )


def end(children: list[Child]) -> None:
    """Stop the children together: SIGTERM, then SIGKILL for one that does not stop in time."""
    running = [child.process for child in children if child.process.poll() is None]
    for process in running:
        process.terminate()
    deadline = time.monotonic() + STOP_SECONDS
    for process in running:
        try:
            process.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _exit(code: int) -> str:
    if code < 0:
        try:
            return f"was killed ({signal.Signals(-code).name})"
        except ValueError:
            return f"was killed (signal {-code})"
    return "exited" if code == 0 else f"exited with code {code}"
