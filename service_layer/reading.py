"""What people read: listings, one table, the reviewer's inbox, indicators, rollups, timelines.

Each read names the actor and checks the right to read here; the rows come from the read
models. Paging sizes are checked once for every entry point.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from domain.access import Operation
from domain.model import Actor
from projections.reads import (
    IndicatorFilter,
    Page,
    ReadModel,
    Submissions,
    TableFilter,
    TimelineEntry,
)
from service_layer import parsing as p
from service_layer.access import Gate
from service_layer.errors import UnknownTable


class Reading:
    def __init__(self, reads: ReadModel, gate: Gate) -> None:
        self.reads = reads
        self.gate = gate

    def who(self, actor: Actor | None) -> Actor:
        return self.gate.who(actor)

    def tables(
        self, actor: Actor | None, where: TableFilter, first: int, after: int | None
    ) -> Page:
        self.gate.check(actor, Operation.READ)
        search = p.text_of("search", where.search, 200)
        where = TableFilter(where.jurisdiction, where.fiscal_year, where.status, where.kind, search)
        return self.reads.tables(where, p.page_size_of("first", first), after)

    def table_row(self, actor: Actor | None, table_id: str) -> Any:
        """The current row of one table, document included."""
        self.gate.check(actor, Operation.READ)
        return self.found_row(table_id, self.reads.table_rows([table_id]))

    def found_row(self, table_id: str, rows: dict[str, Any]) -> Any:
        """The table's row among ``rows`` read for it, or ``UnknownTable``."""
        if table_id not in rows:
            raise UnknownTable(table_id, self.gate.place.code)
        return rows[table_id]

    def indicators(
        self,
        actor: Actor | None,
        where: IndicatorFilter,
        first: int,
        after: tuple[str, int] | None,
    ) -> Page:
        self.gate.check(actor, Operation.READ)
        search = p.text_of("search", where.search, 200)
        where = IndicatorFilter(where.level1_code, where.level2_code, search)
        return self.reads.indicators(where, p.page_size_of("first", first), after)

    def timelines(
        self, actor: Actor | None, table_ids: Sequence[str]
    ) -> dict[str, list[TimelineEntry]]:
        self.gate.check(actor, Operation.READ)
        return self.reads.timelines(table_ids)

    def inbox(self, actor: Actor | None, status: str | None, first: int, after: int | None) -> Page:
        """The submissions this node reviews (a root jurisdiction reviews its own tables)."""
        self.gate.check(actor, Operation.REVIEW_READ)
        return self.reads.inbox(status, p.page_size_of("first", first), after)

    def submissions(self, actor: Actor | None, table_id: str) -> Submissions:
        """Every submitted version of one table this node reviews, oldest first."""
        self.gate.check(actor, Operation.REVIEW_READ)
        found = self.reads.table_submissions(table_id)
        if not found.rows:
            raise UnknownTable(table_id, self.gate.place.code)
        return found

    def rollups(self, actor: Actor | None, fiscal_year: int | None) -> list[Any]:
        self.gate.check(actor, Operation.READ)
        return self.reads.rollups(None, fiscal_year)

    def parked(self, actor: Actor | None, status: str | None) -> list[Any]:
        self.gate.check(actor, Operation.OPERATE)
        return self.reads.parked(status)
