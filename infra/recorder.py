"""The PostgreSQL event recorder: one round trip per edit.

eventsourcing's recorder stores a command's events in a pipelined transaction: BEGIN, LOCK TABLE,
NOTIFY, INSERT, COMMIT, with a sync in the middle. That is four times the cost of a plain
INSERT + COMMIT. Here the same steps run inside one server-side function, called in autocommit
mode, so an edit pays one round trip and one commit. The table lock is kept: notification ids
must be committed in the order they are issued, or a projection could pass over a gap that a
slower transaction fills later (eventsourcing's own function path leaves the lock out).

Events recorded together with a consumed position (the sync consumers) keep eventsourcing's
transaction, which writes the tracking row in the same commit.

A connection lost while an insert's answer was on its way leaves the insert's fate unknown: it
may have committed. Retrying blindly would then collide with our own events and come back as a
version conflict for a write that succeeded; so before trying again the recorder looks for the
events it sent, and answers with their positions when they are there, byte for byte.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresDatastore, PostgresProcessRecorder
from eventsourcing.utils import get_topic
from psycopg.sql import SQL, Composed, Identifier

FUNCTION = "jixiao_insert_events"
ATTEMPTS = 10
RETRY_WAIT_SECONDS = 0.2
ONE_EVENT_FUNCTION = "jixiao_insert_event"


class OneTripRecorder(PostgresProcessRecorder):
    def __init__(
        self,
        datastore: PostgresDatastore,
        *,
        events_table_name: str = "stored_events",
        tracking_table_name: str = "notification_tracking",
    ) -> None:
        super().__init__(
            datastore,
            events_table_name=events_table_name,
            tracking_table_name=tracking_table_name,
        )
        schema = Identifier(self.datastore.schema)
        names = {
            "schema": schema,
            "id_type": Identifier(self.datastore.originator_id_type),
            "lock_timeout": self.datastore.lock_timeout,
            "table": Identifier(self.events_table_name),
            "channel": Identifier(self.channel_name),
        }
        # Many events (an import, a batch) as arrays; one event (an edit) as plain values,
        # which cost psycopg a fifth as much to send.
        for function, parameters, rows in (
            (
                FUNCTION,
                "ids {id_type}[], versions bigint[], topics text[], states bytea[]",
                "SELECT * FROM unnest(ids, versions, topics, states)",
            ),
            (
                ONE_EVENT_FUNCTION,
                "one_id {id_type}, one_version bigint, one_topic text, one_state bytea",
                "VALUES (one_id, one_version, one_topic, one_state)",
            ),
        ):
            self.sql_create_statements.append(
                SQL(
                    "CREATE OR REPLACE FUNCTION {schema}.{function}(" + parameters + ") "
                    "RETURNS SETOF bigint LANGUAGE plpgsql AS $BODY$ "
                    "BEGIN "
                    "  SET LOCAL lock_timeout = '{lock_timeout}s'; "
                    "  LOCK TABLE {schema}.{table} IN EXCLUSIVE MODE; "
                    "  NOTIFY {channel}; "
                    "  RETURN QUERY INSERT INTO {schema}.{table} "
                    "    (originator_id, originator_version, topic, state) " + rows + " "
                    "    RETURNING notification_id; "
                    "END; $BODY$"
                ).format(function=Identifier(function), **names)
            )
        self._call: Composed = SQL("SELECT * FROM {schema}.{function}(%s, %s, %s, %s)").format(
            schema=schema, function=Identifier(FUNCTION)
        )
        self._find: Composed = SQL(
            "SELECT originator_id, originator_version, state, notification_id FROM {schema}.{table}"
            " WHERE (originator_id, originator_version) IN"
            " (SELECT * FROM unnest(%s::{id_type}[], %s::bigint[]))"
        ).format(**names)
        self._call_one: Composed = SQL("SELECT * FROM {schema}.{function}(%s, %s, %s, %s)").format(
            schema=schema, function=Identifier(ONE_EVENT_FUNCTION)
        )

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        if kwargs.get("tracking") is not None or not stored_events:
            # A tracked insert that did commit comes back as AlreadyTracked: a duplicate.
            ids: Sequence[int] | None = super().insert_events(stored_events, **kwargs)
            return ids
        for attempt in range(1, ATTEMPTS + 1):
            try:
                if attempt > 1:
                    stored = self._stored_already(stored_events)
                    if stored is not None:
                        return stored
                return self._insert(stored_events)
            except (InterfaceError, OperationalError):
                if attempt == ATTEMPTS:
                    raise
                time.sleep(RETRY_WAIT_SECONDS * attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    def _insert(self, stored_events: Sequence[StoredEvent]) -> list[int]:
        if len(stored_events) == 1:
            (event,) = stored_events
            call = self._call_one
            values: tuple[Any, ...] = (
                event.originator_id,
                event.originator_version,
                event.topic,
                event.state,
            )
        else:
            call = self._call
            values = (
                [item.originator_id for item in stored_events],
                [item.originator_version for item in stored_events],
                [item.topic for item in stored_events],
                [item.state for item in stored_events],
            )
        with self.datastore.get_connection() as connection, connection.cursor() as cursor:
            cursor.execute(call, values, prepare=True)
            return [int(next(iter(row.values()))) for row in cursor.fetchall()]

    def _stored_already(self, stored_events: Sequence[StoredEvent]) -> list[int] | None:
        """The positions of exactly these events when an earlier try stored them, else None."""
        with self.datastore.get_connection() as connection, connection.cursor() as cursor:
            cursor.execute(
                self._find,
                (
                    [item.originator_id for item in stored_events],
                    [item.originator_version for item in stored_events],
                ),
            )
            found = {
                (str(row["originator_id"]), int(row["originator_version"])): row
                for row in cursor.fetchall()
            }
        positions: list[int] = []
        for item in stored_events:
            row = found.get((str(item.originator_id), item.originator_version))
            if row is None or bytes(row["state"]) != bytes(item.state):
                return None  # not ours, or not there: try the insert (a conflict is real)
            positions.append(int(row["notification_id"]))
        return positions


TOPIC = get_topic(OneTripRecorder)
