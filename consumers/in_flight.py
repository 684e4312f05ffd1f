"""Messages sent but not yet receipted, kept until the receiver's word comes back.

The broker's acknowledgement only says the broker holds a message; a broker can still lose it
(an in-memory broker restarted, an unclean leader election, retention, a recreated topic). So
the relay keeps every message it published here until a receipt arrives from the node it was
addressed to, and sends it again when none came in time, waiting longer after each try. The
receiver's exactly-once handling absorbs the repeats.

A receipt that says the message was applied (or was a repeat) settles it. One that says it
was parked or refused at the other end is kept, with the reason, so the sender sees it; a
parked one is still sent now and then, slowly, and its receipt turns to applied once an
operator at the other end resolved it.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import (
    Column,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
    update,
)

from service_layer.messages import Receipt

in_flight_metadata = MetaData()
in_flight = Table(
    "relay_in_flight",
    in_flight_metadata,
    Column("event_id", String(200), primary_key=True),
    Column("notification_id", Integer, nullable=False),
    Column("target", String(6), nullable=False),
    Column("table_id", String(64), nullable=False),
    Column("sent_at", Float, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_at", Float, nullable=False, index=True),
    Column("outcome", String(16)),
    Column("reason", Text),
)
receipt_positions = Table(
    "relay_receipt_positions",
    in_flight_metadata,
    Column("stream", String(200), primary_key=True),
    Column("position", Integer, nullable=False),
)
broker_logs = Table(
    "relay_broker_logs",
    in_flight_metadata,
    Column("topic", String(200), primary_key=True),
    Column("log_id", String(64), nullable=False),
)

SETTLED = frozenset({"applied", "duplicate"})
LONGEST_WAIT_SECONDS = 1800.0
NEVER = 1e18  # seconds since 1970: not in this universe's lifetime


@dataclass(frozen=True)
class Pending:
    """One message in flight, as ``relay status`` shows it."""

    event_id: str
    notification_id: int
    target: str
    table_id: str
    sent_at: float
    attempts: int
    outcome: str | None
    reason: str | None


class InFlight:
    def __init__(self, engine: Engine, wait_seconds: float) -> None:
        self.engine = engine
        self.wait_seconds = wait_seconds

    def setup(self) -> None:
        in_flight_metadata.create_all(self.engine)

    def sending(self, event_id: str, notification_id: int, target: str, table_id: str) -> None:
        """A message about to be published: in flight until its receipt, sent again if none."""
        now = time.time()
        with self.engine.begin() as connection:
            row = connection.execute(
                select(in_flight.c.attempts).where(in_flight.c.event_id == event_id)
            ).first()
            attempts = 1 if row is None else int(row.attempts) + 1
            values = {"sent_at": now, "attempts": attempts, "next_at": now + self._wait(attempts)}
            if row is None:
                fresh = {
                    "event_id": event_id,
                    "notification_id": notification_id,
                    "target": target,
                    "table_id": table_id,
                    **values,
                }
                connection.execute(insert(in_flight), [fresh])
            else:
                connection.execute(
                    update(in_flight).where(in_flight.c.event_id == event_id).values(**values)
                )

    def due(self, limit: int = 200) -> list[int]:
        """Notification ids of messages whose receipt did not come in time, oldest first."""
        with self.engine.connect() as connection:
            rows = connection.scalars(
                select(in_flight.c.notification_id)
                .where(in_flight.c.next_at <= time.time())
                .order_by(in_flight.c.notification_id)
                .limit(limit)
            )
            return list(rows)

    def send_all_now(self) -> int:
        """The broker lost its logs: every message in flight is sent again at once."""
        waiting = in_flight.c.next_at < NEVER  # a refusal is final, whatever the broker did
        with self.engine.begin() as connection:
            moved = connection.execute(update(in_flight).where(waiting).values(next_at=0.0))
            return int(moved.rowcount or 0)

    def settle(self, receipt: Receipt) -> bool:
        """Take in a receipt; returns False when nothing of ours was waiting for it."""
        where = in_flight.c.event_id == receipt.receipt_of
        with self.engine.begin() as connection:
            if receipt.outcome in SETTLED:
                return bool(connection.execute(delete(in_flight).where(where)).rowcount)
            # Refused is final (sending it again would be refused again); parked is retried
            # slowly, and the other end absorbs the repeats until an operator resolved it.
            values: dict[str, object] = {"outcome": receipt.outcome, "reason": receipt.reason}
            if receipt.outcome == "refused":
                values["next_at"] = NEVER
            known = connection.execute(update(in_flight).where(where).values(**values))
            return bool(known.rowcount)

    def pending(self) -> list[Pending]:
        with self.engine.connect() as connection:
            rows = connection.execute(select(in_flight).order_by(in_flight.c.notification_id))
            return [
                Pending(
                    row.event_id,
                    row.notification_id,
                    row.target,
                    row.table_id,
                    row.sent_at,
                    row.attempts,
                    row.outcome,
                    row.reason,
                )
                for row in rows
            ]

    def targets(self) -> list[str]:
        """The nodes something in flight is addressed to."""
        with self.engine.connect() as connection:
            return list(connection.scalars(select(in_flight.c.target).distinct()))

    def count(self) -> int:
        with self.engine.connect() as connection:
            return int(connection.scalar(select(func.count()).select_from(in_flight)) or 0)

    def receipt_position(self, stream: str) -> int | None:
        with self.engine.connect() as connection:
            at = connection.scalar(
                select(receipt_positions.c.position).where(receipt_positions.c.stream == stream)
            )
            return None if at is None else int(at)

    def record_receipt_positions(self, reached: dict[str, int]) -> None:
        with self.engine.begin() as connection:
            for stream, position in reached.items():
                changed = connection.execute(
                    update(receipt_positions)
                    .where(receipt_positions.c.stream == stream)
                    .values(position=position)
                )
                if not changed.rowcount:
                    connection.execute(
                        insert(receipt_positions), [{"stream": stream, "position": position}]
                    )

    def logs_replaced(self, logs: dict[str, str]) -> Sequence[str]:
        """Remember the broker's log ids; names the topics whose log is not the one we sent to."""
        with self.engine.begin() as connection:
            known = {row.topic: row.log_id for row in connection.execute(select(broker_logs))}
            replaced = [
                topic for topic, log_id in logs.items() if known.get(topic, log_id) != log_id
            ]
            for topic, log_id in logs.items():
                if topic not in known:
                    connection.execute(insert(broker_logs), [{"topic": topic, "log_id": log_id}])
                elif known[topic] != log_id:
                    connection.execute(
                        update(broker_logs)
                        .where(broker_logs.c.topic == topic)
                        .values(log_id=log_id)
                    )
            return replaced

    def _wait(self, attempts: int) -> float:
        return min(self.wait_seconds * 2.0 ** (attempts - 1), LONGEST_WAIT_SECONDS)
