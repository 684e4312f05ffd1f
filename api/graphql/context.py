"""The per-request context: the node, who is asking, and this request's DataLoaders."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import anyio.to_thread
from strawberry.dataloader import DataLoader
from strawberry.fastapi import BaseContext

from api.graphql.types import Stored, TableEvent
from domain import model
from domain.access import Operation, check_allowed
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

    async def table_rows(self, ids: list[str]) -> dict[str, Any]:
        """Current rows, document included: on the event loop where the node allows it."""
        if self.table_reads is not None:
            return await self.table_reads.table_rows(ids)
        return await blocking(self.services.reads.table_rows, ids)

    def who(self) -> model.Actor:
        if self.actor is None:
            raise PermissionError("a bearer token is required")
        return self.actor

    def check(self, operation: Operation, jurisdiction: str | None = None) -> model.Actor:
        """The caller, if allowed ``operation`` on this node's (or a child's) data."""
        actor = self.who()
        place = jurisdiction or self.services.place.code
        ancestors = self.services.ancestors
        if place != self.services.place.code:
            ancestors = (self.services.place.code, *ancestors)
        check_allowed(actor, operation, place, ancestors)
        return actor
