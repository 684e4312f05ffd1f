"""Every event of every table: who, when, why, and field-level before → after."""

from __future__ import annotations

import json
from typing import Any

import orjson
from sqlalchemy import Connection, Table

from domain.history import Change
from projections.base import bulk_insert
from projections.schema import timeline
from projections.transitions import Other, Transition


class Timeline:
    name = "timeline"
    owns: tuple[Table, ...] = (timeline,)

    def apply(
        self, connection: Connection, transitions: list[Transition], others: list[Other]
    ) -> None:
        if transitions:
            bulk_insert(connection, timeline, [self._row(item) for item in transitions])

    def _row(self, transition: Transition) -> dict[str, Any]:
        actor = transition.actor
        return {
            "table_id": transition.key,
            "version": transition.version,
            "seq": transition.position,
            "event_type": transition.event_type,
            "at": transition.at,
            "actor_id": actor.id,
            "actor_name": actor.name,
            "actor_role": actor.role.value,
            "actor_jurisdiction": actor.jurisdiction,
            "reason": transition.reason,
            "changes": changes_json(transition.changes),
        }


def changes_json(items: tuple[Change, ...] | list[Change]) -> str:
    return orjson.dumps([[item.path, item.before, item.after] for item in items]).decode()


def changes_from_json(text: str) -> list[Change]:
    return [Change(path, before, after) for path, before, after in json.loads(text)]
