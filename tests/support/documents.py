"""Table documents as a file carries them, compared as the text people wrote."""

from __future__ import annotations

import dataclasses

from domain.document import TableDocument
from domain.model import Status
from projections.documents import dump_document


def comparable(document: TableDocument) -> TableDocument:
    """Everything a file carries: not the version, status or findings of the stored table."""
    return dataclasses.replace(document, version=None, status=Status.DRAFT, findings=())


def as_written(document: TableDocument) -> str:
    """The document's JSON, in which amounts are the strings written (``249`` is not ``249.00``,
    though the two decimals compare equal)."""
    return dump_document(comparable(document))
