"""The single-table read on PostgreSQL, awaited on the event loop.

``ReadModel`` runs on SQLAlchemy in a worker thread: the hop to the thread and back, and the
engine's own work, cost twice the query itself on the API's most frequent request. Here the
same row comes over psycopg's async connection pool instead. SQLite nodes keep the threaded
path (the context chooses).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from psycopg import sql
from psycopg.rows import namedtuple_row
from psycopg_pool import AsyncConnectionPool

from projections.schema import tables

POOL_SIZE = 8


class AsyncTableReads:
    """Opened and closed by the app's lifespan, inside the event loop that uses it."""

    def __init__(self, database_url: str, schema: str) -> None:
        self._url = database_url
        query = sql.SQL("SELECT {columns} FROM {table} WHERE id = ANY(%s)").format(
            columns=sql.SQL(", ").join(sql.Identifier(column.name) for column in tables.c),
            table=sql.Identifier(schema, tables.name),
        )
        # Rendered once: composing the statement anew on every read cost more than sending it.
        self._query = query.as_bytes(None)
        self._pool: AsyncConnectionPool[Any] | None = None

    async def open(self) -> None:
        self._pool = AsyncConnectionPool(
            self._url,
            min_size=1,
            max_size=POOL_SIZE,
            open=False,
            kwargs={"autocommit": True, "row_factory": namedtuple_row},
        )
        await self._pool.open(wait=True)

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    async def table_rows(self, ids: Sequence[str]) -> dict[str, Any]:
        """Whole rows of the current tables view, document included, by table id."""
        if self._pool is None:
            raise RuntimeError("AsyncTableReads is not open")
        async with self._pool.connection() as connection:
            cursor = await connection.execute(self._query, (list(ids),), prepare=True)
            return {row.id: row for row in await cursor.fetchall()}
