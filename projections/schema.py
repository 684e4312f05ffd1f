"""The read-model tables. Only the projections in this package write them.

Times are stored as UTC ISO-8601 text so that they sort and compare the same way on SQLite
and PostgreSQL; amounts are decimal strings, exactly as written.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Dialect,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    inspect,
)
from sqlalchemy.types import TypeDecorator

# Where a stored text had a NUL: PostgreSQL text cannot hold one, and this shows where it was.
NUL_MARK = "\u2400"  # ␀ SYMBOL FOR NULL


class SafeString(TypeDecorator[str]):
    """A string column that takes any text an event holds.

    PostgreSQL refuses NUL in text, and stored events may hold one (written before the domain
    refused them; events are kept for ever), so a NUL is stored as ␀ on every backend alike.
    """

    impl = String
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return value.replace("\x00", NUL_MARK) if isinstance(value, str) else value


class SafeText(SafeString):
    impl = Text
    cache_ok = True


metadata = MetaData()

positions = Table(
    "projection_positions",
    metadata,
    Column("name", SafeString(64), primary_key=True),
    Column("position", Integer, nullable=False),
)

# The event each stopped projection could not apply; its position stays just before it.
faults = Table(
    "projection_faults",
    metadata,
    Column("name", SafeString(64), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("originator", SafeString(64), nullable=False),
    Column("topic", SafeText, nullable=False),
    Column("error", SafeText, nullable=False),
    Column("since", SafeString(32), nullable=False),
)

tables = Table(
    "tables",
    metadata,
    Column("id", SafeString(36), primary_key=True),
    Column("seq", Integer, nullable=False, unique=True),
    Column("jurisdiction", SafeString(6), nullable=False),
    Column("fiscal_year", Integer, nullable=False),
    Column("form", SafeString(16), nullable=False),
    Column("kind", SafeString(16), nullable=False),
    Column("status", SafeString(16), nullable=False),
    Column("name", SafeText, nullable=False),
    Column("department", SafeText, nullable=False),
    Column("version", Integer, nullable=False),
    Column("registered_at", SafeString(32), nullable=False),
    Column("updated_at", SafeString(32), nullable=False),
    Column("funds_total", SafeString(32)),
    Column("indicator_count", Integer, nullable=False),
    Column("error_count", Integer, nullable=False),
    Column("warning_count", Integer, nullable=False),
    Column("search", SafeText, nullable=False),
    Column("document", SafeText, nullable=False),
    Column("decision", SafeText),
    # Added after release 0.1.0 (``added_columns`` adds them to an older view, then rebuilt).
    Column("submit_reason", SafeText),
    Column("adjustment_reason", SafeText),
    Index("tables_listing", "jurisdiction", "fiscal_year", "status", "seq"),
)

indicators = Table(
    "indicators",
    metadata,
    Column("table_id", SafeString(36), primary_key=True),
    Column("indicator_id", SafeString(64), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("level1", SafeText, nullable=False),
    Column("level1_code", SafeString(32), nullable=False),
    Column("level2", SafeText, nullable=False),
    Column("level2_code", SafeString(32), nullable=False),
    Column("name", SafeText, nullable=False),
    Column("half_year", SafeText),
    Column("full_year", SafeText, nullable=False),
)

timeline = Table(
    "timeline",
    metadata,
    Column("table_id", SafeString(36), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("event_type", SafeString(64), nullable=False),
    Column("at", SafeString(32), nullable=False),
    Column("actor_id", SafeText, nullable=False),
    Column("actor_name", SafeText, nullable=False),
    Column("actor_role", SafeString(16), nullable=False),
    Column("actor_jurisdiction", SafeString(6), nullable=False),
    Column("reason", SafeText),
    Column("changes", SafeText, nullable=False),
    Index("timeline_at", "table_id", "at"),
)

inbox = Table(
    "inbox",
    metadata,
    Column("table_id", SafeString(36), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("seq", Integer, nullable=False, unique=True),
    Column("origin", SafeString(36), nullable=False),
    Column("jurisdiction", SafeString(6), nullable=False),
    Column("fiscal_year", Integer, nullable=False),
    Column("name", SafeText, nullable=False),
    Column("status", SafeString(16), nullable=False),
    Column("submitted_at", SafeString(32), nullable=False),
    Column("submitted_by", SafeText, nullable=False),
    Column("decided_at", SafeString(32)),
    Column("decided_by", SafeText),
    Column("error_count", Integer, nullable=False),
    Column("warning_count", Integer, nullable=False),
    Column("document", SafeText, nullable=False),
    Column("chain_head", SafeString(80)),
    Column("history_mismatch", SafeText),
    # Added after release 0.1.0 (``added_columns`` adds them to an older view, then rebuilt).
    Column("submit_reason", SafeText),
    Column("adjustment_reason", SafeText),
    Column("decision_reason", SafeText),
    Column("indicator_comments", SafeText),  # JSON: indicator id → the reviewer's comment
    Index("inbox_status", "status", "seq"),
    Index("inbox_origin", "origin", "version"),
)

rollups = Table(
    "rollups",
    metadata,
    Column("jurisdiction", SafeString(6), primary_key=True),
    Column("fiscal_year", Integer, primary_key=True),
    Column("kind", SafeString(16), primary_key=True),
    Column("status", SafeString(16), primary_key=True),
    Column("tables", Integer, nullable=False),
    Column("funds_total", SafeString(40), nullable=False),
    Column("indicators", Integer, nullable=False),
)

rollup_members = Table(
    "rollup_members",
    metadata,
    Column("table_id", SafeString(36), primary_key=True),
    Column("jurisdiction", SafeString(6), nullable=False),
    Column("fiscal_year", Integer, nullable=False),
    Column("kind", SafeString(16), nullable=False),
    Column("status", SafeString(16), nullable=False),
    Column("funds_total", SafeString(32), nullable=False),
    Column("indicators", Integer, nullable=False),
)

parked = Table(
    "parked",
    metadata,
    Column("table_key", SafeString(64), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("kind", SafeString(16), nullable=False),
    Column("topic", SafeString(64)),
    Column("partition", Integer),
    Column("offset", Integer),
    Column("reason", SafeText, nullable=False),
    Column("at", SafeString(32), nullable=False),
    Column("status", SafeString(16), nullable=False),
    Column("resolved_by", SafeText),
    Index("parked_status", "status", "seq"),
)

chain = Table(
    "chain",
    metadata,
    Column("table_id", SafeString(36), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("link", SafeString(80), nullable=False),
)


def added_columns(connection: Connection) -> set[str]:
    """Add the columns a view gained since its table was created; the names of those views.

    Only a nullable column can be added to rows that exist; what it holds for them is known
    only once the view is rebuilt, which the runner does for every view named here.
    """
    inspector = inspect(connection)
    schema = connection.get_execution_options().get("schema_translate_map", {}).get(None)
    grown: set[str] = set()
    for table in metadata.sorted_tables:
        if not inspector.has_table(table.name, schema=schema):
            continue
        present = {column["name"] for column in inspector.get_columns(table.name, schema)}
        for column in table.columns:
            if column.name in present:
                continue
            if not column.nullable:
                raise RuntimeError(f"view {table.name} gained {column.name}, not nullable")
            kind = column.type.compile(dialect=connection.dialect)
            where = f'"{schema}"."{table.name}"' if schema else f'"{table.name}"'
            connection.exec_driver_sql(f'ALTER TABLE {where} ADD COLUMN "{column.name}" {kind}')
            grown.add(table.name)
    return grown
