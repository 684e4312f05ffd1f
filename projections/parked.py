"""What sync could not apply: parked messages (open, resolved, discarded) and refused decisions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, insert, update

from domain.sync import SyncRecord
from projections.schema import parked
from projections.transitions import Other, Transition


class Parked:
    name = "parked"
    owns: tuple[Table, ...] = (parked,)

    def apply(
        self, connection: Connection, transitions: list[Transition], others: list[Other]
    ) -> None:
        for other in others:
            match other.event:
                case SyncRecord.MessageParked() as event:
                    connection.execute(insert(parked), [self._parked(event, other)])
                case SyncRecord.DecisionRefused() as event:
                    connection.execute(insert(parked), [self._refused(event, other)])
                case SyncRecord.OperatorActed() as event:
                    self._close(connection, event)

    def _parked(self, event: SyncRecord.MessageParked, other: Other) -> dict[str, Any]:
        message = event.message
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

    def _refused(self, event: SyncRecord.DecisionRefused, other: Other) -> dict[str, Any]:
        return {
            "table_key": event.table_key,
            "seq": other.position,
            "kind": "refused",
            "reason": f"{event.action} of version {event.version} refused: {event.reason}",
            "at": other.at,
            "status": "recorded",
        }

    def _close(self, connection: Connection, event: SyncRecord.OperatorActed) -> None:
        status = "resolved" if isinstance(event, SyncRecord.ParkedResolved) else "discarded"
        connection.execute(
            update(parked)
            .where(parked.c.table_key == event.table_key)
            .where(parked.c.offset == event.offset)
            .where(parked.c.status == "open")
            .values(status=status, resolved_by=event.actor.name)
        )
