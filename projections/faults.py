"""Where a projection stopped: the stored event it could not apply, and why.

A projection that cannot apply an event stops just before it, and only that projection: the
others go on and the node keeps taking edits. The fault is recorded beside the positions, so an
operator sees it (``/health``, ``jixiao projections status``) and every runner of the node
knows it; the runner tries the event again now and then, and once a fix (an upcaster, a
corrected projection) lets it apply, the fault is cleared in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import psycopg
import sqlalchemy.exc
from eventsourcing import persistence
from eventsourcing.domain import DomainEvent
from eventsourcing.utils import get_topic
from sqlalchemy import Connection, delete, insert, select, update

from projections.schema import faults, positions

# The database away, busy or locked: not the data's fault. The work is tried again, as it was
# before faults were recorded, and nothing stops.
TRANSIENT: tuple[type[Exception], ...] = (
    sqlalchemy.exc.OperationalError,
    sqlalchemy.exc.InterfaceError,
    sqlalchemy.exc.TimeoutError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
    persistence.OperationalError,
    persistence.InterfaceError,
)
MAX_ERROR_CHARS = 2000


@dataclass(frozen=True)
class Fault:
    """The event a projection stopped at (its notification id), and why."""

    position: int
    originator: str
    topic: str
    error: str
    since: str

    @classmethod
    def of(cls, position: int, originator: object, topic: str, error: BaseException) -> Fault:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        return cls(position, str(originator), topic, describe(error), now)

    @classmethod
    def of_event(cls, position: int, event: DomainEvent, error: BaseException) -> Fault:
        return cls.of(position, event.originator_id, get_topic(type(event)), error)

    def __str__(self) -> str:
        return f"event {self.position} ({self.topic} of {self.originator}): {self.error}"


class UnreadableEvent(Exception):
    """A stored event the reader cannot turn into a transition (no upcaster for it, say)."""

    def __init__(self, fault: Fault) -> None:
        super().__init__(str(fault))
        self.fault = fault


def describe(error: BaseException) -> str:
    """The error in its own words: without the SQL and parameters SQLAlchemy adds to a driver's
    error, which are people's text and can run to megabytes."""
    cause = error.orig if isinstance(error, sqlalchemy.exc.StatementError) else None
    shown = cause if cause is not None else error
    return f"{type(shown).__name__}: {shown}".strip()[:MAX_ERROR_CHARS]


def positions_and_faults(connection: Connection) -> tuple[dict[str, int], dict[str, Fault]]:
    """Each projection's position, and the faults of those stopped: one query, as it is polled."""
    statement = select(
        positions.c.name.label("projection"),
        positions.c.position.label("at"),
        *(faults.c[name] for name in ("position", "originator", "topic", "error", "since")),
    ).outerjoin(faults, faults.c.name == positions.c.name)
    at: dict[str, int] = {}
    stopped: dict[str, Fault] = {}
    for row in connection.execute(statement):
        at[row.projection] = row.at
        if row.position is not None:
            fault = Fault(row.position, row.originator, row.topic, row.error, row.since)
            stopped[row.projection] = fault
    return at, stopped


def record_fault(connection: Connection, name: str, start: int, fault: Fault) -> bool:
    """Stop projection ``name`` at ``fault`` unless another runner moved it past ``start``.

    A fault that recurs at the same event keeps the time it first stopped there.
    """
    still = connection.execute(
        update(positions)
        .where(positions.c.name == name)
        .where(positions.c.position == start)
        .values(position=start)  # takes the row's lock: one runner records at a time
    )
    if still.rowcount != 1:
        return False
    known = connection.execute(select(faults).where(faults.c.name == name)).first()
    since = known.since if known is not None and known.position == fault.position else fault.since
    connection.execute(delete(faults).where(faults.c.name == name))
    connection.execute(
        insert(faults).values(
            name=name,
            position=fault.position,
            originator=fault.originator,
            topic=fault.topic,
            error=fault.error,
            since=since,
        )
    )
    return True


def clear_fault(connection: Connection, name: str) -> None:
    connection.execute(delete(faults).where(faults.c.name == name))
