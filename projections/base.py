"""What every projection is: a name, the tables it owns, and how it applies transitions."""

from __future__ import annotations

from collections.abc import Iterable
from operator import itemgetter
from typing import Any, Protocol

import orjson
import psycopg
from sqlalchemy import Connection, Table, insert
from sqlalchemy.exc import IntegrityError

from domain.document import TableDocument
from domain.findings import Severity
from projections.schema import SafeString
from projections.transitions import Other, Transition


class Projection(Protocol):
    name: str
    owns: tuple[Table, ...]

    def apply(
        self, connection: Connection, transitions: list[Transition], others: list[Other]
    ) -> None:
        """Update the view; the runner commits it together with the new position."""


def qualified_name(connection: Connection, table: Table) -> str:
    """The table's quoted name in raw SQL, in the node's schema where it has one."""
    schema = connection.get_execution_options().get("schema_translate_map", {}).get(None)
    return f'"{schema}"."{table.name}"' if schema else f'"{table.name}"'


def bulk_insert(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert many rows; on PostgreSQL through COPY, several times faster than INSERTs."""
    if not rows:
        return
    if connection.dialect.name != "postgresql" or len(rows) < 20:
        connection.execute(insert(table), rows)
        return
    target = qualified_name(connection, table)
    columns = list(rows[0])
    names = ", ".join(f'"{column}"' for column in columns)
    raw: Any = connection.connection.driver_connection
    statement = f"COPY {target} ({names}) FROM STDIN"
    # COPY bypasses SQLAlchemy: the columns' own conversions (a NUL in text) are applied here,
    # when a row may need one.
    convert = [table.c[column].type.bind_processor(connection.dialect) for column in columns]
    plain = _nul_free(rows) and all(
        to is None or isinstance(table.c[column].type, SafeString)
        for column, to in zip(columns, convert, strict=True)
    )
    pick = itemgetter(*columns)
    try:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                values = pick(row) if len(columns) > 1 else (pick(row),)
                if not plain:
                    values = [
                        value if to is None else to(value)
                        for value, to in zip(values, convert, strict=True)
                    ]
                copy.write_row(values)
    except psycopg.IntegrityError as error:
        # As SQLAlchemy reports it, so the runner sees another runner's rows as it does for
        # INSERTs (its batch is dropped), not as a crash.
        raise IntegrityError(statement, None, error) from error


def _nul_free(rows: list[dict[str, Any]]) -> bool:
    """Whether no text in ``rows`` holds a NUL (one pass in C: JSON escapes it as \\u0000)."""
    return b"\\u0000" not in orjson.dumps(rows, default=str)


def latest_per_table(transitions: Iterable[Transition]) -> dict[str, Transition]:
    """The last transition of each table, in order of first appearance."""
    latest: dict[str, Transition] = {}
    for transition in transitions:
        latest[transition.key] = transition
    return latest


def finding_counts(document: TableDocument) -> tuple[int, int]:
    errors = sum(1 for finding in document.findings if finding.severity is Severity.ERROR)
    return errors, len(document.findings) - errors
