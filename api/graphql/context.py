"""The per-request context: the node, who is asking, and this request's DataLoaders."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import anyio.to_thread
from strawberry.dataloader import DataLoader
from strawberry.fastapi import BaseContext

from api.graphql.tables import Stored
from api.graphql.types import TableEvent
from domain import model
from domain.access import Operation
from infra.bootstrap import NodeServices
from projections.async_reads import AsyncTableReads

T = TypeVar("T")


async def blocking(function: Callable[..., T], *args: Any) -> T:
    """Run a database call off the event loop, so one slow read never stalls the others."""
    return await anyio.to_thread.run_sync(function, *args)


class Loaders:
    """Batch every lookup a request makes: one query per kind of data, however many tables."""

    def __init__(self, services: NodeServices) -> None:
        self._reads = services.reads
        self.stored = DataLoader(load_fn=self._load_stored)
        self.timelines = DataLoader(load_fn=self._load_timelines)

    async def _load_stored(self, ids: list[str]) -> Sequence[Stored | BaseException]:
        rows = await blocking(self._reads.table_documents, ids)
        return [Stored.from_row(rows[key]) if key in rows else KeyError(key) for key in ids]

    async def _load_timelines(self, ids: list[str]) -> list[list[TableEvent]]:
        grouped = await blocking(self._reads.timelines, ids)
        return [[TableEvent.from_entry(entry) for entry in grouped.get(key, [])] for key in ids]


@dataclass
class Context(BaseContext):
    services: NodeServices
    actor: model.Actor | None
    table_reads: AsyncTableReads | None = None
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        super().__init__()
        self.loaders = Loaders(self.services)

    async def table_row(self, table_id: str) -> Any:
        """The current row of one table, document included: on the event loop where it can."""
        services = self.services
        if self.table_reads is None:
            return await blocking(services.reading.table_row, self.actor, table_id)
        services.gate.check(self.actor, Operation.READ)
        return services.reading.found_row(table_id, await self.table_reads.table_rows([table_id]))

    def who(self) -> model.Actor:
        """The caller; ``Unauthenticated`` when the request named nobody."""
        return self.services.reading.who(self.actor)
