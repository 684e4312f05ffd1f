"""Current tables and their indicators: what a listing and a table read are served from."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import Connection, Table, bindparam, delete, select, update

from domain.document import TableDocument
from domain.model import Decision
from domain.values import Value
from projections.base import bulk_insert, finding_counts, latest_per_table
from projections.documents import compact_json, document_json
from projections.schema import indicators, tables
from projections.transitions import Other, Transition

_VALUE: TypeAdapter[Value] = TypeAdapter(Value)
_DECISION: TypeAdapter[Decision] = TypeAdapter(Decision)


class CurrentTables:
    name = "tables"
    owns: tuple[Table, ...] = (tables, indicators)
    reads_latest_only = True  # see projections.rebuilding

    def apply(
        self, connection: Connection, transitions: list[Transition], others: list[Other]
    ) -> None:
        latest = latest_per_table(transitions)
        if not latest:
            return
        known = set(
            connection.scalars(select(tables.c.id).where(tables.c.id.in_(list(latest)))).all()
        )
        rows = {table_id: self._row(transition) for table_id, transition in latest.items()}
        first: dict[str, Transition] = {}
        for transition in transitions:
            first.setdefault(transition.key, transition)
        new = [
            {**row, "seq": first[table_id].position, "registered_at": first[table_id].at}
            for table_id, row in rows.items()
            if table_id not in known
        ]
        changed = [{**row, "key": table_id} for table_id, row in rows.items() if table_id in known]
        bulk_insert(connection, tables, new)
        if changed:
            statement = update(tables).where(tables.c.id == bindparam("key"))
            connection.execute(statement, changed)
        connection.execute(delete(indicators).where(indicators.c.table_id.in_(list(latest))))
        indicator_rows = [row for item in latest.values() for row in self._indicator_rows(item)]
        if indicator_rows:
            bulk_insert(connection, indicators, indicator_rows)

    def _row(self, transition: Transition) -> dict[str, Any]:
        document = transition.document
        project = document.project
        error_count, warning_count = finding_counts(document)
        decision = transition.decision
        return {
            "id": transition.key,
            "jurisdiction": transition.jurisdiction,
            "fiscal_year": transition.fiscal_year,
            "form": transition.form.value,
            "kind": project.kind.value,
            "status": transition.status.value,
            "name": project.name,
            "department": project.department,
            "version": transition.version,
            "updated_at": transition.at,
            "funds_total": _text(document),
            "indicator_count": len(document.indicators),
            "error_count": error_count,
            "warning_count": warning_count,
            "search": search_text(document),
            "document": document_json(document),
            "decision": _DECISION.dump_json(decision).decode() if decision else None,
            "submit_reason": transition.note.reason,
            "adjustment_reason": transition.note.adjustment_reason,
        }

    def _indicator_rows(self, transition: Transition) -> list[dict[str, Any]]:
        return [
            {
                "table_id": transition.key,
                "indicator_id": item.id,
                "position": position,
                "level1": item.level1,
                "level1_code": item.level1_code,
                "level2": item.level2,
                "level2_code": item.level2_code,
                "name": item.name,
                "half_year": value_json(item.half_year),
                "full_year": value_json(item.full_year),
            }
            for position, item in enumerate(transition.content.indicators)
        ]


def search_text(document: TableDocument) -> str:
    project = document.project
    return " ".join(filter(None, (project.name, project.department, project.implementing_unit)))


def value_json(value: Value | None) -> str | None:
    return None if value is None else compact_json(value)


def value_from_json(text: str | None) -> Value | None:
    return None if text is None else _VALUE.validate_json(text)


def decision_from_json(text: str | None) -> Decision | None:
    return None if text is None else _DECISION.validate_json(text)


def _text(document: TableDocument) -> str | None:
    total = document.funds.total
    return None if total is None else str(total)
