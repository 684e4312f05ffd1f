"""Wake the projections and the relay when the event store records something (PostgreSQL).

The recorder sends a NOTIFY with every insert. Listening for it replaces polling the log four
times a second: each poll took the interpreter from the request threads, and table reads were
measurably slower while it ran. The pollers keep a slow interval as a safety net.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

import psycopg
from psycopg import sql

log = logging.getLogger("jixiao.listener")
RECONNECT_SECONDS = 1.0


class StoreListener:
    def __init__(self, database_url: str, channel: str) -> None:
        self._url = database_url
        self._channel = channel
        self._subscribers: list[Callable[[], None]] = []

    def subscribe(self, wake: Callable[[], None]) -> None:
        self._subscribers.append(wake)

    def run(self, stop: threading.Event) -> None:
        """Listen until ``stop`` is set, reconnecting after a lost connection."""
        while not stop.is_set():
            try:
                self._listen(stop)
            except psycopg.OperationalError as error:
                log.warning("listening for new events failed (%s); retrying", error)
                stop.wait(RECONNECT_SECONDS)

    def _listen(self, stop: threading.Event) -> None:
        with psycopg.connect(self._url, autocommit=True) as connection:
            connection.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self._channel)))
            _wake_all(self._subscribers)  # whatever was recorded while nobody listened
            while not stop.is_set():
                # A short timeout, so that ``stop`` is seen promptly.
                for _ in connection.notifies(timeout=1.0, stop_after=1):
                    _wake_all(self._subscribers)


def _wake_all(subscribers: Sequence[Callable[[], None]]) -> None:
    for wake in subscribers:
        wake()
