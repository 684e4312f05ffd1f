"""What sync could not apply: parked messages (open, resolved, discarded) and refused decisions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, insert, update

from projections.schema import parked
from projections.transitions import Other, Transition


class Parked:
    name = "parked"
    owns: tuple[Table, ...] = (parked,)

    def apply(
        self, connection: Connection, transitions: list[Transition], others: list[Other]
    ) -> None:
        for other in others:
            kind = type(other.event).__qualname__
            if kind == "SyncRecord.MessageParked":
                connection.execute(insert(parked), [self._parked(other)])
            elif kind == "SyncRecord.DecisionRefused":
                connection.execute(insert(parked), [self._refused(other)])
            elif kind in {"SyncRecord.ParkedResolved", "SyncRecord.ParkedDiscarded"}:
                status = "resolved" if kind.endswith("Resolved") else "discarded"
                self._close(connection, other, status)

    def _parked(self, other: Other) -> dict[str, Any]:
        message = other.event.message
        return {
            "table_key": message.key,
            "seq": other.position,
            "kind": "parked",
            "topic": message.topic,
            "partition": message.partition,
            "offset": message.offset,
            "reason": message.reason,
            "at": other.at,
            "status": "open",
        }

    def _refused(self, other: Other) -> dict[str, Any]:
        event = other.event
        return {
            "table_key": _key_of(event),
            "seq": other.position,
            "kind": "refused",
            "reason": f"{event.action} of version {event.version} refused: {event.reason}",
            "at": other.at,
            "status": "recorded",
        }

    def _close(self, connection: Connection, other: Other, status: str) -> None:
        connection.execute(
            update(parked)
            .where(parked.c.table_key == _key_of(other.event))
            .where(parked.c.offset == other.event.offset)
            .where(parked.c.status == "open")
            .values(status=status, resolved_by=other.event.actor.name)
        )


def _key_of(event: Any) -> str:
    """The table key every sync record event carries."""
    key: str = event.table_key
    return key
