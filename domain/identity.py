"""Stable identities: the same project re-imported is the same table."""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

_TABLE_NAMESPACE = uuid5(NAMESPACE_URL, "https://jixiao.invalid/target-table")


def table_id_for(jurisdiction: str, fiscal_year: int, department: str, project_name: str) -> UUID:
    """The table of one project of one department, in one jurisdiction and fiscal year."""
    key = "|".join((jurisdiction, str(fiscal_year), department.strip(), project_name.strip()))
    return uuid5(_TABLE_NAMESPACE, key)
