"""Funds and indicator counts by jurisdiction, year, kind and status.

Each table's last contribution is kept, so a change moves exactly that table's share from its
old group to its new one.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Table, and_, delete, insert, or_, select

from projections.base import latest_per_table
from projections.schema import rollup_members, rollups
from projections.transitions import Other, Transition

GroupKey = tuple[str, int, str, str]
_KEY_COLUMNS = ("jurisdiction", "fiscal_year", "kind", "status")


class Rollups:
    name = "rollups"
    owns: tuple[Table, ...] = (rollups, rollup_members)
    reads_latest_only = True  # see projections.rebuilding

    def apply(
        self, connection: Connection, transitions: list[Transition], others: list[Other]
    ) -> None:
        latest = latest_per_table(transitions)
        if not latest:
            return
        ids = list(latest)
        old = {
            row.table_id: row._asdict()
            for row in connection.execute(
                select(rollup_members).where(rollup_members.c.table_id.in_(ids))
            )
        }
        new = {table_id: _member(table_id, item) for table_id, item in latest.items()}
        deltas: dict[GroupKey, list[Any]] = {}
        for member, sign in [*((row, -1) for row in old.values()), *((m, 1) for m in new.values())]:
            delta = deltas.setdefault(_key(member), [0, Decimal(0), 0])
            delta[0] += sign
            delta[1] += sign * Decimal(member["funds_total"])
            delta[2] += sign * member["indicators"]
        self._add(connection, deltas)
        connection.execute(delete(rollup_members).where(rollup_members.c.table_id.in_(ids)))
        connection.execute(insert(rollup_members), list(new.values()))

    def _add(self, connection: Connection, deltas: dict[GroupKey, list[Any]]) -> None:
        matches = or_(
            *(
                and_(
                    *(
                        rollups.c[name] == value
                        for name, value in zip(_KEY_COLUMNS, key, strict=True)
                    )
                )
                for key in deltas
            )
        )
        current = {
            _key(row._asdict()): row for row in connection.execute(select(rollups).where(matches))
        }
        connection.execute(delete(rollups).where(matches))
        rows = []
        for key, (count, funds, indicator_count) in deltas.items():
            row = current.get(key)
            if row is not None:
                count += row.tables
                funds += Decimal(row.funds_total)
                indicator_count += row.indicators
            if count:
                rows.append(
                    {
                        **dict(zip(_KEY_COLUMNS, key, strict=True)),
                        "tables": count,
                        "funds_total": _amount(funds),
                        "indicators": indicator_count,
                    }
                )
        if rows:
            connection.execute(insert(rollups), rows)


def _amount(amount: Decimal) -> str:
    """One written form for an amount (``1753``, ``1.5``), however it was summed: adding 1.50
    and taking it away again leaves 1753.00, which a rebuild writes as 1753."""
    return format(amount.normalize(), "f")


def _key(row: dict[str, Any]) -> GroupKey:
    return (row["jurisdiction"], row["fiscal_year"], row["kind"], row["status"])


def _member(table_id: str, transition: Transition) -> dict[str, Any]:
    content = transition.content
    return {
        "table_id": table_id,
        "jurisdiction": transition.jurisdiction,
        "fiscal_year": transition.fiscal_year,
        "kind": content.project.kind.value,
        "status": transition.status.value,
        "funds_total": _amount(content.funds.total or Decimal(0)),
        "indicators": len(content.indicators),
    }
