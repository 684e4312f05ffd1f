"""The read-model tables. Only the projections in this package write them.

Times are stored as UTC ISO-8601 text so that they sort and compare the same way on SQLite
and PostgreSQL; amounts are decimal strings, exactly as written.
"""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, MetaData, String, Table, Text

metadata = MetaData()

positions = Table(
    "projection_positions",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("position", Integer, nullable=False),
)

tables = Table(
    "tables",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("seq", Integer, nullable=False, unique=True),
    Column("jurisdiction", String(6), nullable=False),
    Column("fiscal_year", Integer, nullable=False),
    Column("form", String(16), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("name", Text, nullable=False),
    Column("department", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("registered_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
    Column("funds_total", String(32)),
    Column("indicator_count", Integer, nullable=False),
    Column("error_count", Integer, nullable=False),
    Column("warning_count", Integer, nullable=False),
    Column("search", Text, nullable=False),
    Column("document", Text, nullable=False),
    Column("decision", Text),
    Index("tables_listing", "jurisdiction", "fiscal_year", "status", "seq"),
)

indicators = Table(
    "indicators",
    metadata,
    Column("table_id", String(36), primary_key=True),
    Column("indicator_id", String(64), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("level1", Text, nullable=False),
    Column("level1_code", String(32), nullable=False),
    Column("level2", Text, nullable=False),
    Column("level2_code", String(32), nullable=False),
    Column("name", Text, nullable=False),
    Column("half_year", Text),
    Column("full_year", Text, nullable=False),
)

timeline = Table(
    "timeline",
    metadata,
    Column("table_id", String(36), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("event_type", String(64), nullable=False),
    Column("at", String(32), nullable=False),
    Column("actor_id", Text, nullable=False),
    Column("actor_name", Text, nullable=False),
    Column("actor_role", String(16), nullable=False),
    Column("actor_jurisdiction", String(6), nullable=False),
    Column("reason", Text),
    Column("changes", Text, nullable=False),
    Index("timeline_at", "table_id", "at"),
)

inbox = Table(
    "inbox",
    metadata,
    Column("table_id", String(36), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("seq", Integer, nullable=False, unique=True),
    Column("origin", String(36), nullable=False),
    Column("jurisdiction", String(6), nullable=False),
    Column("fiscal_year", Integer, nullable=False),
    Column("name", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("submitted_at", String(32), nullable=False),
    Column("submitted_by", Text, nullable=False),
    Column("decided_at", String(32)),
    Column("decided_by", Text),
    Column("error_count", Integer, nullable=False),
    Column("warning_count", Integer, nullable=False),
    Column("document", Text, nullable=False),
    Column("chain_head", String(80)),
    Column("history_mismatch", Text),
    Index("inbox_status", "status", "seq"),
    Index("inbox_origin", "origin", "version"),
)

rollups = Table(
    "rollups",
    metadata,
    Column("jurisdiction", String(6), primary_key=True),
    Column("fiscal_year", Integer, primary_key=True),
    Column("kind", String(16), primary_key=True),
    Column("status", String(16), primary_key=True),
    Column("tables", Integer, nullable=False),
    Column("funds_total", String(40), nullable=False),
    Column("indicators", Integer, nullable=False),
)

rollup_members = Table(
    "rollup_members",
    metadata,
    Column("table_id", String(36), primary_key=True),
    Column("jurisdiction", String(6), nullable=False),
    Column("fiscal_year", Integer, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("funds_total", String(32), nullable=False),
    Column("indicators", Integer, nullable=False),
)

parked = Table(
    "parked",
    metadata,
    Column("table_key", String(64), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("topic", String(64)),
    Column("partition", Integer),
    Column("offset", Integer),
    Column("reason", Text, nullable=False),
    Column("at", String(32), nullable=False),
    Column("status", String(16), nullable=False),
    Column("resolved_by", Text),
    Index("parked_status", "status", "seq"),
)

chain = Table(
    "chain",
    metadata,
    Column("table_id", String(36), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("link", String(80), nullable=False),
)
