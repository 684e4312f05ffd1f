"""What every projection is: a name, the tables it owns, and how it applies transitions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from sqlalchemy import Connection, Table

from domain.document import TableDocument, document_for
from domain.findings import Severity
from projections.transitions import Other, Transition


class Projection(Protocol):
    name: str
    owns: tuple[Table, ...]

    def apply(
        self, connection: Connection, transitions: list[Transition], others: list[Other]
    ) -> None:
        """Update the view; the runner commits it together with the new position."""


def latest_per_table(transitions: Iterable[Transition]) -> dict[str, Transition]:
    """The last transition of each table, in order of first appearance."""
    latest: dict[str, Transition] = {}
    for transition in transitions:
        latest[str(transition.table_id)] = transition
    return latest


def document_at(transition: Transition) -> TableDocument:
    return document_for(
        str(transition.table_id),
        transition.jurisdiction,
        transition.fiscal_year,
        transition.form,
        transition.status,
        transition.version,
        transition.content,
    )


def finding_counts(document: TableDocument) -> tuple[int, int]:
    errors = sum(1 for finding in document.findings if finding.severity is Severity.ERROR)
    return errors, len(document.findings) - errors
