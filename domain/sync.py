"""What sync could not simply apply for one table: parked messages and refused decisions.

Messages for a table are applied in order, so while one is parked, later ones for the same
table are parked behind it until an operator retries or discards them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import NothingParked, ParkedOutOfOrder
from domain.model import Actor

_NAMESPACE = uuid5(NAMESPACE_URL, "https://jixiao.invalid/sync-record")


def sync_record_id(table_key: str) -> UUID:
    return uuid5(_NAMESPACE, table_key)


@dataclass(frozen=True)
class ParkedMessage:
    topic: str
    partition: int
    offset: int
    key: str
    value: str
    reason: str


class SyncRecord(Aggregate):
    """One table's sync exceptions on this node (keyed by the message key, the table id)."""

    class Event(Aggregate.Event):
        pass

    class Started(Event, Aggregate.Created):
        table_key: str

    class MessageParked(Event):
        message: ParkedMessage

    class DecisionRefused(Event):
        """A decision on a version that is no longer current; ``reason`` says why it was refused."""

        table_key: str
        version: int
        action: str
        reason: str
        event_id: str

    class OperatorActed(Event):
        """An operator resolved the first parked message; who, and why."""

        table_key: str
        offset: int
        actor: Actor
        reason: str | None

    class ParkedResolved(OperatorActed):
        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["reason"] = None

    class ParkedDiscarded(OperatorActed):
        pass

    @event(Started)
    def __init__(self, table_key: str) -> None:
        self.table_key = table_key
        self.parked: list[ParkedMessage] = []

    @staticmethod
    def create_id(table_key: str) -> UUID:
        return sync_record_id(table_key)

    @property
    def blocked(self) -> bool:
        return bool(self.parked)

    def first(self) -> ParkedMessage:
        if not self.parked:
            raise NothingParked(f"nothing is parked for {self.table_key}")
        return self.parked[0]

    @event(MessageParked)
    def park(self, message: ParkedMessage) -> None:
        self.parked.append(message)

    def resolve(self, offset: int, actor: Actor) -> None:
        """The first parked message was applied on retry."""
        self._check_first(offset)
        self._resolve(self.table_key, offset, actor, None)

    @event(ParkedResolved)
    def _resolve(self, table_key: str, offset: int, actor: Actor, reason: str | None) -> None:
        self.parked.pop(0)

    def discard(self, offset: int, actor: Actor, reason: str) -> None:
        """An operator drops the first parked message without applying it."""
        self._check_first(offset)
        self._discard(self.table_key, offset, actor, reason)

    @event(ParkedDiscarded)
    def _discard(self, table_key: str, offset: int, actor: Actor, reason: str) -> None:
        self.parked.pop(0)

    def refuse_decision(self, version: int, action: str, reason: str, event_id: str) -> None:
        """A decision for a version that is no longer current: recorded, never applied."""
        self._refuse_decision(self.table_key, version, action, reason, event_id)

    @event(DecisionRefused)
    def _refuse_decision(
        self, table_key: str, version: int, action: str, reason: str, event_id: str
    ) -> None:
        pass

    def _check_first(self, offset: int) -> None:
        first = self.first()
        if first.offset != offset:
            raise ParkedOutOfOrder(
                f"{self.table_key}: offset {first.offset} is parked first; "
                f"messages are resolved in order, not {offset}"
            )
