"""Reading every read-model row, to compare views built in different ways."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select

from projections.schema import metadata, positions


def dump_views(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every view, in primary-key order (positions left out)."""
    dumped: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            if table is positions:
                continue
            order = list(table.primary_key.columns)
            dumped[table.name] = [
                tuple(row) for row in connection.execute(select(table).order_by(*order))
            ]
    return dumped
