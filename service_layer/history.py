"""The auditor's questions: what changed between versions, who last set each value, and
whether the stored history is still the history that was recorded."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import Engine, select

from domain.chain import Break, first_break
from domain.history import Change, all_fields, changes
from projections.reads import ReadModel, TimelineEntry
from projections.schema import chain
from service_layer.store import TablesApplication


@dataclass(frozen=True)
class BlameLine:
    path: str
    value: str | None
    entry: TimelineEntry


class Audit:
    def __init__(self, app: TablesApplication, reads: ReadModel, engine: Engine) -> None:
        self.app = app
        self.reads = reads
        self.engine = engine

    def diff(self, table_id: UUID, before: int, after: int) -> list[Change]:
        """Every field and indicator value that differs between two versions."""
        return changes(
            all_fields(self.app.table(table_id, before)),
            all_fields(self.app.table(table_id, after)),
        )

    def blame(self, table_id: UUID) -> list[BlameLine]:
        """For every current field and value, the event that last set it."""
        entries = self.reads.timelines([str(table_id)]).get(str(table_id), [])
        if not entries:
            return []
        owners = dict.fromkeys(all_fields(self.app.table(table_id, 1)), entries[0])
        for entry in entries[1:]:
            for change in entry.changes:
                if change.after is None:
                    owners.pop(change.path, None)
                else:
                    owners[change.path] = entry
        current = all_fields(self.app.table(table_id))
        return [
            BlameLine(path, value, owners.get(path, entries[0]))
            for path, value in current.items()
            if value is not None
        ]

    def verify(self, table_id: UUID) -> Break | None:
        """The first place the stored events disagree with the recorded chain, if any."""
        stored = self.app.recorder.select_events(table_id)
        return first_break(stored, self.recorded(table_id))

    def verify_all(self) -> list[tuple[UUID, Break]]:
        broken: list[tuple[UUID, Break]] = []
        for table_id in self.ledger_tables():
            found = self.verify(table_id)
            if found is not None:
                broken.append((table_id, found))
        return broken

    def recorded(self, table_id: UUID) -> list[str]:
        statement = (
            select(chain.c.link).where(chain.c.table_id == str(table_id)).order_by(chain.c.version)
        )
        with self.engine.connect() as connection:
            return list(connection.scalars(statement))

    def ledger_tables(self) -> list[UUID]:
        """Every table the chain ledger has seen (a deleted table is still checked)."""
        statement = select(chain.c.table_id).distinct().order_by(chain.c.table_id)
        with self.engine.connect() as connection:
            return [UUID(value) for value in connection.scalars(statement)]
