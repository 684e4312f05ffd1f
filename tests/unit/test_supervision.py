"""How ``up`` restarts a child that stopped: pauses that double up to thirty seconds, a fresh
count once it ran a while, and a crash loop named once (with a clock the test turns)."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable

from api.cli.supervision import CRASH_LOOP, Child, Supervisor

Start = Callable[[], subprocess.Popen[bytes]]


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def stopped_at_once() -> subprocess.Popen[bytes]:
    process = subprocess.Popen(["true"])
    process.wait()
    return process


def running() -> subprocess.Popen[bytes]:
    return subprocess.Popen(["sleep", "30"])


def supervised(start: Start) -> tuple[Supervisor, Child, Clock, list[str]]:
    clock, said = Clock(), list[str]()
    child = Child("the node 360100 南昌市", start, lambda: True, stopped_at_once())
    return Supervisor([child], said.append, clock), child, clock, said


def pauses(said: list[str]) -> list[int]:
    return [int(found) for line in said for found in re.findall(r"again in (\d+) s", line)]


def test_a_child_that_keeps_stopping_waits_longer_each_time_up_to_thirty_seconds() -> None:
    supervisor, child, clock, said = supervised(stopped_at_once)
    for _ in range(8):
        supervisor.check()  # it stopped: plan the restart
        assert child.restart_at is not None
        clock.now = child.restart_at
        supervisor.check()  # started again, and stops at once
    assert pauses(said) == [1, 2, 4, 8, 16, 30, 30, 30]
    assert "the node 360100 南昌市 exited after 0 s; starting it again in 1 s" in said
    loops = [line for line in said if "crash loop" in line]
    assert len(loops) == 1, said
    assert f"{CRASH_LOOP} times in a row" in loops[0]


def test_a_child_that_ran_a_minute_is_started_again_after_a_second() -> None:
    supervisor, child, clock, said = supervised(running)
    for ran in (5, 61):
        supervisor.check()  # it stopped: plan the restart
        assert child.restart_at is not None
        clock.now = child.restart_at
        supervisor.check()  # started again
        supervisor.check()  # and it serves
        assert said[-1] == "the node 360100 南昌市 is running again"
        clock.now += ran
        child.process.kill()
        child.process.wait()
    supervisor.check()
    assert pauses(said) == [1, 2, 1]
    assert "was killed (SIGKILL) after 61 s; starting it again in 1 s" in said[-1]


def test_a_child_that_cannot_start_is_tried_again_with_the_same_pauses() -> None:
    def refuse() -> subprocess.Popen[bytes]:
        raise OSError("no such file: tansu")

    supervisor, child, clock, said = supervised(refuse)
    for _ in range(3):
        supervisor.check()
        assert child.restart_at is not None
        clock.now = child.restart_at
    assert pauses(said) == [1, 2, 4]
    assert "could not start: no such file: tansu; starting it again in 4 s" in said[-1]
