"""A rebuild from zero: the whole log read once, each projection given only what it reads.

Projections that keep every event (the timeline, parked messages) are written page by page, as
a catch-up does. Projections of current state (tables, rollups) read only each table's last
transition of a batch, and its first for when it was registered: a rebuild keeps those two per
table until ``Rebuild.kept_tables`` tables are kept (as a rule, to the end of the log) and then
applies them, so each table's document is made once instead of once per page. A projection
that reads only some table events (the inbox: the workflow) is given only those. Each view ends
up holding what a catch-up makes; a fault stops a projection exactly as it does there.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Table, delete, update

from projections.base import Projection, qualified_name
from projections.collector import collector_paused
from projections.faults import UnreadableEvent
from projections.schema import faults, positions
from projections.transitions import Other, Transition

if TYPE_CHECKING:
    from projections.runner import ProjectionRunner

Item = Transition | Other


def reads_latest_only(projection: Projection) -> bool:
    """Whether the projection applies only each table's first and last transition of a batch."""
    return bool(getattr(projection, "reads_latest_only", False))


def wanted(projection: Projection) -> Callable[[Transition], bool] | None:
    """Which transitions the projection reads, when it reads only some (``None``: all)."""
    wants: Callable[[Transition], bool] | None = getattr(projection, "wants", None)
    return wants


def empty(connection: Connection, views: list[Table]) -> None:
    """Delete every row; on PostgreSQL by TRUNCATE, which leaves no dead rows to vacuum."""
    if connection.dialect.name != "postgresql":
        for view in views:
            connection.execute(delete(view))
        return
    names = ", ".join(qualified_name(connection, view) for view in views)
    connection.exec_driver_sql(f"TRUNCATE {names}")


class Rebuild:
    """One rebuild by ``runner`` of every rebuildable projection (not the chain ledger)."""

    # Tables whose last state is kept before the current-state views are written. Kept while
    # the reader keeps them too, they cost little (5,000 tables: +11 MB of peak memory); past
    # the reader's 5,000, each holds contents of its own.
    kept_tables = 10_000

    def __init__(self, runner: ProjectionRunner, page_size: int) -> None:
        self.runner = runner
        self.page_size = page_size
        rebuilt = [item for item in runner.projections if getattr(item, "rebuildable", True)]
        self.rebuilt = rebuilt
        self.deferred = [item for item in rebuilt if reads_latest_only(item)]
        self.streamed = [item for item in rebuilt if not reads_latest_only(item)]
        # The first and the last transition of each table, and the last other event (those
        # views ignore other events; it moves their position to the end of what was read).
        self._first: dict[str, Transition] = {}
        self._last: dict[str, Transition] = {}
        self._last_other: Other | None = None
        self._applied = 0  # where the kept transitions start

    def run(self, progress: Callable[[int], None] | None) -> int:
        self.reset()
        self.runner.reader.forget()
        read, end = 0, 0
        with collector_paused():
            while True:
                try:
                    batch = self.runner.reader.read(end, self.page_size)
                except UnreadableEvent:
                    break  # what came before it is applied below; the catch-up stops at it
                if batch is None:
                    break
                self._stream(end, batch.in_order())
                self._keep(batch.transitions, batch.others)
                read += len(batch.transitions) + len(batch.others)
                end = batch.end
                del batch
                if len(self._last) >= self.kept_tables:
                    self._apply_deferred()
                # Cycles a page made are young: found here without walking, as a full
                # collection would after every page, the tables and transitions kept.
                gc.collect(1)
                if progress is not None:
                    progress(end)
            self._apply_deferred()
        return read + self.runner.catch_up(progress)

    def reset(self) -> None:
        """Empty the rebuilt views and set their positions back to the start of the log."""
        with self.runner.engine.begin() as connection:
            empty(connection, [table for item in self.rebuilt for table in item.owns])
            names = [item.name for item in self.rebuilt]
            connection.execute(
                update(positions).where(positions.c.name.in_(names)).values(position=0)
            )
            connection.execute(delete(faults).where(faults.c.name.in_(names)))

    def _stream(self, start: int, items: list[Item]) -> None:
        at, stopped = self.runner.current_state()
        for projection in self.streamed:
            if at.get(projection.name) != start or projection.name in stopped:
                continue  # stopped at a fault: a catch-up tries it again
            wants = wanted(projection)
            mine = items if wants is None else [i for i in items if _kept(i, wants)]
            if not mine or mine[-1] is not items[-1]:
                mine.append(items[-1])  # ignored by the projection, but its position moves on
            self.runner.apply_items(projection, start, mine)

    def _keep(self, transitions: list[Transition], others: list[Other]) -> None:
        for transition in transitions:
            if transition.key not in self._first:
                self._first[transition.key] = _without_stored_state(transition)
            self._last[transition.key] = transition
        if others:
            self._last_other = others[-1]

    def _apply_deferred(self) -> None:
        kept: dict[int, Item] = {item.position: item for item in self._first.values()}
        kept.update((item.position, item) for item in self._last.values())
        if self._last_other is not None:
            kept[self._last_other.position] = self._last_other
        items = sorted(kept.values(), key=lambda item: item.position)
        self._first.clear()
        self._last.clear()
        self._last_other = None
        if not items:
            return
        at, stopped = self.runner.current_state()
        start = self._applied
        self._applied = items[-1].position
        for projection in self.deferred:
            if at.get(projection.name) == start and projection.name not in stopped:
                self.runner.apply_items(projection, start, items)


def _without_stored_state(transition: Transition) -> Transition:
    """The transition without its stored bytes: a table's first event holds the whole table,
    and current-state views read the first transition only for when the table was registered."""
    return replace(transition, stored=replace(transition.stored, state=b""))


def _kept(item: Item, wants: Callable[[Transition], bool]) -> bool:
    return isinstance(item, Other) or wants(item)
