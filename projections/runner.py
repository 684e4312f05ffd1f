"""Keeps the projections up to date with the event store.

Each projection has its own tracked position; its view update and the new position commit in
one transaction, so a crash never applies an event twice or skips one. A projection that fell
behind the others (a crash between their commits) catches up from its own position.

A projection that cannot apply an event stops just before it, with the fault recorded (see
``projections.faults``); the others go on, and read-your-writes no longer waits for it. It tries
the event again when a runner starts, every ``retry_seconds``, and on ``retry()``.
"""

from __future__ import annotations

import logging
import threading
import time
from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from projections.base import Projection
from projections.collector import collector_paused
from projections.faults import (
    TRANSIENT,
    Fault,
    UnreadableEvent,
    clear_fault,
    positions_and_faults,
    record_fault,
)
from projections.rebuilding import Rebuild, empty
from projections.schema import added_columns, metadata, positions
from projections.transitions import Batch, Other, Transition, TransitionReader

log = logging.getLogger("jixiao.projections")
RETRY_SECONDS = 30.0
PAUSE_AFTER_FAILURE_SECONDS = 2.0


class PositionMoved(Exception):
    """Another runner advanced this projection first; its work stands and ours is dropped."""


@dataclass(frozen=True)
class ProjectionStatus:
    name: str
    position: int
    head: int
    fault: Fault | None = None

    @property
    def lag(self) -> int:
        return max(self.head - self.position, 0)

    @property
    def stopped_at(self) -> int | None:
        """The event this projection stopped at; ``None`` while it runs."""
        return None if self.fault is None else self.fault.position

    @property
    def error(self) -> str | None:
        return None if self.fault is None else self.fault.error


def lowest_running(at: Mapping[str, int], stopped: Mapping[str, Fault]) -> int | None:
    """The position every projection still running has reached; ``None`` when all stopped."""
    flowing = [position for name, position in at.items() if name not in stopped]
    return min(flowing) if flowing else None


class ProjectionRunner:
    def __init__(
        self,
        reader: TransitionReader,
        engine: Engine,
        projections: Sequence[Projection],
        page_size: int = 5000,
        retry_seconds: float = RETRY_SECONDS,
        rebuild_page_size: int = 20_000,
    ) -> None:
        self.reader = reader
        self.engine = engine
        self.projections = tuple(projections)
        self.page_size = page_size
        # A rebuild reads the whole log: bigger pages mean fewer transactions, and fewer
        # documents made for tables whose events straddle two pages.
        self.rebuild_page_size = rebuild_page_size
        self.retry_seconds = retry_seconds
        self._progress = threading.Condition()
        self._wake = threading.Event()
        self._applied = 0
        # When each stopped projection next tries its event; none yet: at once.
        self._retry_at: dict[str, float] = {}

    def setup(self) -> None:
        metadata.create_all(self.engine)
        with self.engine.begin() as connection:
            self._rebuild_grown(connection, added_columns(connection))
            known = set(connection.scalars(select(positions.c.name)))
            missing = [
                {"name": item.name, "position": 0}
                for item in self.projections
                if item.name not in known
            ]
            if missing:
                connection.execute(insert(positions), missing)

    def _rebuild_grown(self, connection: Connection, grown: set[str]) -> None:
        """Views that gained columns are built again from the start of the log, so what the
        new columns hold for older rows is what a rebuild would write."""
        again = [
            item
            for item in self.projections
            if getattr(item, "rebuildable", True) and grown & {view.name for view in item.owns}
        ]
        if not again:
            return
        empty(connection, [view for item in again for view in item.owns])
        names = [item.name for item in again]
        connection.execute(update(positions).where(positions.c.name.in_(names)).values(position=0))
        log.info("views %s gained columns: rebuilding them", ", ".join(sorted(names)))

    def positions(self) -> dict[str, int]:
        return self.current_state()[0]

    def faults(self) -> dict[str, Fault]:
        """The stopped projections, and the event each stopped at."""
        return self.current_state()[1]

    def status(self) -> list[ProjectionStatus]:
        head = self.reader.head()
        at, stopped = self.current_state()
        return [ProjectionStatus(name, at[name], head, stopped.get(name)) for name in at]

    def catch_up(self, progress: Callable[[int], None] | None = None) -> int:
        """Apply every stored event not yet projected; returns how many notifications were read.

        A stopped projection takes part only when its retry is due.
        """
        read = 0
        while True:
            at, stopped = self.current_state()
            lowest = lowest_running(at, stopped)
            # Read-your-writes waits for the projections that run; with none, for nothing.
            self._announce(self.reader.head() if lowest is None else lowest)
            now = time.monotonic()
            running = {
                name: position
                for name, position in at.items()
                if name not in stopped or self._retry_at.get(name, 0.0) <= now
            }
            if not running:
                return read
            start = min(running.values())
            with collector_paused():
                try:
                    batch = self.reader.read(start, self.page_size)
                except UnreadableEvent as unreadable:
                    for name in [name for name, position in running.items() if position == start]:
                        self._stop(name, start, unreadable.fault)
                    continue
                if batch is None:
                    return read
                self._apply(batch, running, stopped)
                read += len(batch.transitions) + len(batch.others)
                end = batch.end
                # Freed by reference counting here, before the collector is back and would
                # walk the whole batch once more as its young generation.
                del batch
            if progress is not None:
                progress(end)

    def rebuild(self, progress: Callable[[int], None] | None = None) -> int:
        """Empty every view, reset its position, and project the whole log again.

        The chain ledger is the exception: it is what the events are checked against.
        """
        return Rebuild(self, max(self.page_size, self.rebuild_page_size)).run(progress)

    def retry(self) -> int:
        """Try each stopped projection's event again now, and catch up whatever then applies."""
        self._retry_at.clear()
        return self.catch_up()

    def run(self, stop: threading.Event, interval: float = 0.25) -> None:
        """Poll the notification log until ``stop`` is set; ``nudge`` wakes it at once."""
        while not stop.is_set():
            pause = interval
            try:
                self.catch_up()
            except Exception:  # the database away, say: the thread must outlive it
                log.exception("projections could not catch up; trying again")
                pause = max(interval, PAUSE_AFTER_FAILURE_SECONDS)
            self._wake.wait(pause)
            self._wake.clear()

    def nudge(self) -> None:
        self._wake.set()

    def wait_for(self, position: int, timeout: float) -> bool:
        """Block until the projections have applied ``position`` (read-your-writes); a stopped
        projection is not waited for."""
        deadline = time.monotonic() + timeout
        self.nudge()
        with self._progress:
            while self._applied < position:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._progress.wait(remaining)
        return True

    def apply_items(
        self, projection: Projection, start: int, items: list[Transition | Other]
    ) -> None:
        """Apply ``items`` after ``start``, stopping the projection at one it cannot apply."""
        self._project(projection, start, items, resuming=False)

    def current_state(self) -> tuple[dict[str, int], dict[str, Fault]]:
        """Each projection's position, and the stopped ones' faults, as the database says."""
        with self.engine.connect() as connection:
            stored, stopped = positions_and_faults(connection)
        at = {item.name: int(stored.get(item.name, 0)) for item in self.projections}
        return at, {name: fault for name, fault in stopped.items() if name in at}

    def _announce(self, position: int) -> None:
        with self._progress:
            self._applied = position
            self._progress.notify_all()

    def _apply(self, batch: Batch, at: Mapping[str, int], stopped: Mapping[str, Fault]) -> None:
        ordered = batch.in_order()
        numbers = [item.position for item in ordered]
        for projection in self.projections:
            start = at.get(projection.name)
            if start is None or start >= batch.end:
                continue
            items = ordered[bisect_right(numbers, start) :]
            self._project(projection, start, items, resuming=projection.name in stopped)

    def _project(
        self, projection: Projection, start: int, items: list[Transition | Other], resuming: bool
    ) -> None:
        """Apply ``items`` (all at once if it can) and stop the projection at one that fails.

        A failing batch is applied in halves, committing what applies, until the event that
        fails is the only one left: a few dozen tries for thousands of events.
        """
        while items:
            part = items
            while True:
                try:
                    if not self._commit(projection, start, part, resuming):
                        return
                    break
                except TRANSIENT:
                    raise
                except Exception as error:  # any error of the data, or of a projection's code
                    if len(part) == 1:
                        fault = Fault.of_event(part[0].position, part[0].event, error)
                        self._stop(projection.name, start, fault)
                        return
                    part = part[: len(part) // 2]
            start, resuming, items = part[-1].position, False, items[len(part) :]

    def _commit(
        self, projection: Projection, start: int, items: list[Transition | Other], resuming: bool
    ) -> bool:
        """Apply ``items`` and move the position past them in one transaction (clearing the
        projection's fault when it resumes); ``False`` if another runner moved it first."""
        transitions = [item for item in items if isinstance(item, Transition)]
        others = [item for item in items if isinstance(item, Other)]
        try:
            with self.engine.begin() as connection:
                projection.apply(connection, transitions, others)
                moved = connection.execute(
                    update(positions)
                    .where(positions.c.name == projection.name)
                    .where(positions.c.position == start)
                    .values(position=items[-1].position)
                )
                if moved.rowcount != 1:
                    raise PositionMoved(projection.name)
                if resuming:
                    clear_fault(connection, projection.name)
        except (PositionMoved, IntegrityError):
            if self.positions()[projection.name] == start:
                raise
            return False
        return True

    def _stop(self, name: str, start: int, fault: Fault) -> None:
        with self.engine.begin() as connection:
            recorded = record_fault(connection, name, start, fault)
        self._retry_at[name] = time.monotonic() + self.retry_seconds
        if recorded:
            log.error("projection %s stopped at %s", name, fault)
