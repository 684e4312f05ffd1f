"""An insider with database access: rewrites, deletes and reorders stored events directly."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from service_layer.store import TablesApplication


class Insider:
    def __init__(self, app: TablesApplication) -> None:
        recorder: Any = app.recorder
        self.datastore = recorder.datastore
        schema = getattr(self.datastore, "schema", None)
        self.table = (
            f"{schema}.{recorder.events_table_name}" if schema else recorder.events_table_name
        )
        self.mark = "%s" if schema else "?"
        self.postgres = schema is not None

    def _id(self, table_id: UUID) -> Any:
        return table_id if self.postgres else table_id.hex

    def state(self, table_id: UUID, version: int) -> bytes:
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(
                f"SELECT state FROM {self.table} "
                f"WHERE originator_id = {self.mark} AND originator_version = {self.mark}",
                (self._id(table_id), version),
            )
            row = cursor.fetchone()
            return bytes(row["state"] if isinstance(row, dict) else row[0])

    def write(self, table_id: UUID, version: int, state: bytes) -> None:
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(
                f"UPDATE {self.table} SET state = {self.mark} "
                f"WHERE originator_id = {self.mark} AND originator_version = {self.mark}",
                (state, self._id(table_id), version),
            )

    def rewrite(self, table_id: UUID, version: int, old: str, new: str) -> None:
        state = self.state(table_id, version)
        assert old.encode() in state, f"{old!r} is not in version {version}"
        self.write(table_id, version, state.replace(old.encode(), new.encode()))

    def delete(self, table_id: UUID, version: int) -> None:
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(
                f"DELETE FROM {self.table} "
                f"WHERE originator_id = {self.mark} AND originator_version = {self.mark}",
                (self._id(table_id), version),
            )

    def swap(self, table_id: UUID, first: int, second: int) -> None:
        one, two = self.state(table_id, first), self.state(table_id, second)
        self.write(table_id, first, two)
        self.write(table_id, second, one)
