"""Refusals of the service layer that are not business rules: input that cannot be read."""

from __future__ import annotations


class InvalidArgument(ValueError):
    """An argument that cannot be read (a malformed id, amount, value, time or page)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class UnknownTable(LookupError):
    def __init__(self, table: str, node: str) -> None:
        super().__init__(f"no table {table} in {node}")
        self.field = "tableId"
        self.table = table


class Unauthenticated(PermissionError):
    """No actor at all: the entry point did not establish who is asking."""
