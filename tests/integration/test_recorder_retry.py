"""A connection lost after the server committed an edit must not turn the edit into a conflict.

The server is the real PostgreSQL. What is made to fail is the one thing a test cannot arrange
on a healthy local socket: the answer to a committed insert getting lost on its way back (a
network drop, a server restart at the wrong moment). The insert really commits, then the
connection is closed and psycopg raises the error a dropped connection raises.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest

from domain.model import Actor, Role
from infra.bootstrap import build_services
from infra.recorder import OneTripRecorder
from infra.settings import Settings
from tests.conftest import NANCHANG, seed_documents

pytestmark = pytest.mark.postgres

EDITOR = Actor("u-1", "王编报", Role.EDITOR, "360100")


class _DroppingCursor:
    def __init__(self, cursor: Any, connection: psycopg.Connection[Any]) -> None:
        self._cursor = cursor
        self._connection = connection

    def execute(self, *args: Any, **kwargs: Any) -> None:
        self._cursor.execute(*args, **kwargs)  # autocommit: committed on the server now
        self._connection.close()
        raise psycopg.OperationalError("server closed the connection unexpectedly")

    def __enter__(self) -> _DroppingCursor:
        return self

    def __exit__(self, *exc: object) -> None:
        self._cursor.close()


class _DroppingConnection:
    def __init__(self, connection: psycopg.Connection[Any]) -> None:
        self._connection = connection

    def cursor(self) -> _DroppingCursor:
        return _DroppingCursor(self._connection.cursor(), self._connection)


class LosesOneAnswer:
    """The datastore's connections, the first of which loses the answer to what it ran."""

    def __init__(self, recorder: OneTripRecorder) -> None:
        self._real = recorder.datastore.get_connection
        self.lost = 0

    @contextmanager
    def __call__(self) -> Iterator[Any]:
        with self._real() as connection:
            if self.lost:
                yield connection
                return
            self.lost += 1
            yield _DroppingConnection(connection)


def test_an_edit_whose_commit_answer_was_lost_is_stored_once_and_not_a_conflict(
    postgres_database: str, tmp_path: Path
) -> None:
    settings = Settings(data_dir=tmp_path / "var", database_url=postgres_database)
    services = build_services("360100", settings, store=f"retry{uuid.uuid4().hex[:8]}")
    try:
        app = services.app
        app.import_documents(seed_documents(NANCHANG, "360100"), EDITOR, "seed")
        table_id = next(iter(app.table_ids()))
        recorder = app.recorder
        assert isinstance(recorder, OneTripRecorder)
        head = recorder.max_notification_id() or 0
        losing = LosesOneAnswer(recorder)
        recorder.datastore.get_connection = losing  # type: ignore[method-assign]

        saved = app.edit(table_id, 1, lambda table: table.submit(EDITOR, "请审核"))

        assert losing.lost == 1
        assert saved.table.version == 2
        assert saved.position == head + 1
        stored = recorder.select_events(table_id)
        assert [event.originator_version for event in stored] == [1, 2]
        assert recorder.max_notification_id() == head + 1
        assert app.table(table_id).version == 2
    finally:
        services.close()
