"""The chain ledger: the hash link of each table event, recorded when it is first projected.

It is never rebuilt from the events (that would launder a rewritten history); `audit verify`
recomputes the chain from the event store and compares it with these links.
"""

from __future__ import annotations

from sqlalchemy import Connection, Table, select, tuple_

from domain.chain import GENESIS, link
from projections.base import bulk_insert
from projections.schema import chain
from projections.transitions import Other, Transition


class ChainBroken(RuntimeError):
    pass


class Chain:
    name = "chain"
    owns: tuple[Table, ...] = (chain,)
    rebuildable = False

    def apply(
        self, connection: Connection, transitions: list[Transition], others: list[Other]
    ) -> None:
        if not transitions:
            return
        heads = self._heads(connection, transitions)
        rows = []
        for transition in transitions:
            key = transition.key
            previous = GENESIS if transition.version == 1 else heads.get(key)
            if previous is None:
                raise ChainBroken(f"no link for version {transition.version - 1} of {key}")
            heads[key] = link(previous, transition.stored)
            rows.append({"table_id": key, "version": transition.version, "link": heads[key]})
        bulk_insert(connection, chain, rows)

    def _heads(self, connection: Connection, transitions: list[Transition]) -> dict[str, str]:
        """The recorded link just before each table's first event in this batch."""
        wanted: dict[str, int] = {}
        for transition in transitions:
            wanted.setdefault(transition.key, transition.version - 1)
        pairs = [(key, version) for key, version in wanted.items() if version > 0]
        if not pairs:
            return {}
        statement = select(chain.c.table_id, chain.c.link).where(
            tuple_(chain.c.table_id, chain.c.version).in_(pairs)
        )
        return {row.table_id: row.link for row in connection.execute(statement)}
