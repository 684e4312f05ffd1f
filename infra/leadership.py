"""One leader per role among the processes that serve a node.

Several API processes (on one machine or many) may serve one jurisdiction from one PostgreSQL
database. Each of them answers requests, but only one at a time runs each background role: the
projections, and the sync (relay and Kafka consumer). A process leads a role while it holds a
PostgreSQL advisory lock on a connection of its own; should the process die, or its connection,
the server ends the session, the lock frees, and another process takes the role within a poll
(about a second). Running a role twice for a moment does no harm (projection positions move by
compare-and-set, consumers drop what they applied), so the lock saves work rather than guards
correctness. On SQLite a node is one process, and it leads every role.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import psycopg

from projections.runner import ProjectionRunner, lowest_running

log = logging.getLogger("jixiao.leadership")
POLL_SECONDS = 1.0
FOLLOW_SECONDS = 0.02  # how often a waiting request looks at another process's positions
# TCP keepalives on both ends (idle 5 s, then every 1 s, 3 tries): the server frees the lock of
# a machine that vanished, and the holder sees a dead server, in under ten seconds.
SERVER_KEEPALIVE = (
    "SET tcp_keepalives_idle = 5",
    "SET tcp_keepalives_interval = 1",
    "SET tcp_keepalives_count = 3",
)
_MINE = """
SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'advisory'
  AND granted AND objsubid = 2 AND classid = %s AND objid = %s
"""
_HOLDER = """
SELECT activity.application_name FROM pg_locks AS lock
JOIN pg_stat_activity AS activity ON activity.pid = lock.pid
WHERE lock.locktype = 'advisory' AND lock.granted AND lock.objsubid = 2
  AND lock.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND lock.classid = %s AND lock.objid = %s
"""


def this_process() -> str:
    """How a process names itself to the others: ``host:pid``."""
    return f"{socket.gethostname()}:{os.getpid()}"


class Lock(Protocol):
    def acquire(self) -> bool:
        """Take the lock if it is free; ``False`` if another process holds it."""

    def held(self) -> bool:
        """Whether this process still holds it (its connection still answers)."""

    def release(self) -> None: ...

    def holder(self) -> str | None:
        """The process holding it (``host:pid``), or ``None``."""


class ProcessLock:
    """SQLite: the node is this one process, which always leads."""

    def acquire(self) -> bool:
        return True

    def held(self) -> bool:
        return True

    def release(self) -> None:
        return None

    def holder(self) -> str | None:
        return this_process()


def lock_keys(store: str, role: str) -> tuple[int, int]:
    """Two 31-bit keys for ``pg_try_advisory_lock(int, int)``: the store, then the role."""

    def key(text: str) -> int:
        return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=4).digest()) >> 1

    return key(f"jixiao store {store}"), key(f"jixiao role {role}")


class AdvisoryLock:
    """A session-level PostgreSQL advisory lock on a dedicated connection."""

    def __init__(self, database_url: str, store: str, role: str) -> None:
        self._url = database_url
        self._role = role
        self.keys = lock_keys(store, role)
        self._connection: psycopg.Connection[tuple[object, ...]] | None = None

    def acquire(self) -> bool:
        return self._ask("SELECT pg_try_advisory_lock(%s, %s)", "cannot try the %s lock: %s")

    def held(self) -> bool:
        if self._connection is None:
            return False
        return self._ask(_MINE, "lost the connection that holds the %s lock: %s")

    def _ask(self, query: str, failure: str) -> bool:
        """The lock query's yes or no on the lock's own connection (made when there is none);
        a failed connection is logged with ``failure``, closed, and answers no."""
        try:
            if self._connection is None:
                self._connection = self._connect()
            row = self._connection.execute(query, self.keys).fetchone()
        except psycopg.Error as error:
            log.warning(failure, self._role, error)
            self.release()
            return False
        return bool(row and row[0])

    def release(self) -> None:
        """Close the connection: the server ends the session and frees its locks."""
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()

    def holder(self) -> str | None:
        """Asked on a connection of its own: the lock's may be busy trying the lock."""
        with psycopg.connect(self._url, autocommit=True, connect_timeout=5) as connection:
            row = connection.execute(_HOLDER, self.keys).fetchone()
        if row is None:
            return None
        return str(row[0]).removeprefix(f"jixiao {self._role} ")

    def _connect(self) -> psycopg.Connection[tuple[object, ...]]:
        # The holder names itself in the session (PostgreSQL keeps 63 bytes of it).
        name = f"jixiao {self._role} {this_process()}"[:63]
        connection = psycopg.connect(
            self._url,
            autocommit=True,
            connect_timeout=5,
            application_name=name,
            keepalives=1,
            keepalives_idle=5,
            keepalives_interval=1,
            keepalives_count=3,
        )
        for statement in SERVER_KEEPALIVE:
            connection.execute(statement)
        return connection


@dataclass(frozen=True)
class Role:
    """What a process runs while it leads: ``start`` begins it (stopping when its event is set)
    and returns its threads; ``wake`` hurries them to see that event."""

    start: Callable[[threading.Event], list[threading.Thread]]
    wake: Callable[[], None]


class Leadership:
    """Contends for one role of a node and runs it while this process holds the role's lock."""

    def __init__(self, role: str, lock: Lock, poll_seconds: float = POLL_SECONDS) -> None:
        self.role = role
        self.poll_seconds = poll_seconds
        self._lock = lock
        self._leading = False

    def leading(self) -> bool:
        return self._leading

    def holder(self) -> str | None:
        """Which process leads the role (``host:pid``); ``None`` while none does."""
        return this_process() if self._leading else self._lock.holder()

    def run(self, stop: threading.Event, role: Role) -> None:
        """Until ``stop``: take the lock when it is free, and run ``role`` while holding it."""
        while not stop.is_set():
            try:
                if self._lock.acquire():
                    self._lead(stop, role)
            except Exception:  # the thread must outlive whatever went wrong, and try again
                log.exception("leading %s failed", self.role)
            stop.wait(self.poll_seconds)

    def _lead(self, stop: threading.Event, role: Role) -> None:
        stopping = threading.Event()
        threads: list[threading.Thread] = []
        try:
            threads = role.start(stopping)
            self._leading = True
            log.info("this process (%s) leads %s", this_process(), self.role)
            while not stop.wait(self.poll_seconds):
                if not self._lock.held():
                    log.warning("this process no longer leads %s; stopping it", self.role)
                    return
        finally:
            self._leading = False
            stopping.set()
            role.wake()
            for thread in threads:
                thread.join()
            # Released last: after a graceful stop, the next leader starts once this one ended.
            self._lock.release()


class SharedRunner(ProjectionRunner):
    """A projection runner in a process that may not be the one running the projections.

    Read-your-writes (``wait_for``) then watches the positions the leading process commits to
    the database, instead of this process's own progress.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.leading: Callable[[], bool] = _always

    def wait_for(self, position: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if self.leading():
                if super().wait_for(position, max(min(remaining, POLL_SECONDS), 0.0)):
                    return True
            elif self.projected(position):
                return True
            if remaining <= 0:
                return False
            if not self.leading():
                time.sleep(min(FOLLOW_SECONDS, remaining))

    def projected(self, position: int) -> bool:
        """Whether every running projection has applied ``position``, as the database says."""
        lowest = lowest_running(*self.current_state())
        return lowest is None or lowest >= position


def _always() -> bool:
    return True
