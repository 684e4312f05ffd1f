"""Every field of the table document is revised, shown in history and read back.

The fields come from the document's dataclasses (``domain.catalogue``), never from a list kept
here, so a field added later and not wired into revision, history or the readers fails here.
"""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest

from domain.catalogue import (
    ENVELOPE_FIELDS,
    HISTORY_READS_WITH,
    REVISION_MATCHES_BY,
    Leaf,
    content_leaves,
    envelope_fields,
)
from domain.document import TableDocument
from domain.history import content_fields
from domain.model import Actor, Role, Status
from domain.revision import revise
from domain.table import TargetTable
from infra.documents.jsondoc import read_json_documents
from projections.documents import dump_document
from tests.conftest import JIANGSU, seed_documents
from tests.support.field_changes import with_leaf_changed

EDITOR = Actor(id="u-1", name="王编报", role=Role.EDITOR, jurisdiction="320000")
LEAVES = content_leaves()
REVISED = [leaf for leaf in LEAVES if leaf.name not in REVISION_MATCHES_BY]
IN_HISTORY = [leaf for leaf in LEAVES if leaf.name not in HISTORY_READS_WITH]


def sample_document() -> TableDocument:
    """A seed table that has expenditure lines, fund sources and an empty category."""
    for document in seed_documents(JIANGSU, "320000"):
        if document.expenditures and document.funds.sources and document.empty_categories:
            return document
    raise AssertionError("no Jiangsu seed table has every part the catalogue needs")


def draft_of(document: TableDocument) -> TargetTable:
    return TargetTable(
        id=uuid4(),
        jurisdiction=document.jurisdiction,
        fiscal_year=document.fiscal_year,
        form=document.form,
        status=Status.DRAFT,
        content=document.content,
        actor=EDITOR,
        reason=None,
    )


def replayed(table: TargetTable) -> TargetTable:
    state: Any = None
    for stored in table.collect_events():
        state = stored.mutate(state)
    assert isinstance(state, TargetTable)
    return state


def test_the_catalogue_names_every_field_of_the_document() -> None:
    assert sorted(envelope_fields()) == sorted(ENVELOPE_FIELDS)
    names = {leaf.name for leaf in LEAVES}
    assert {"indicators.*.explanation", "indicators.*.basis.kind", "funds.sources.*"} <= names
    # An exemption names a leaf that exists, so a renamed field cannot hide behind it.
    assert set(HISTORY_READS_WITH) | set(REVISION_MATCHES_BY) <= names


@pytest.mark.parametrize("leaf", REVISED, ids=[leaf.name for leaf in REVISED])
def test_a_revised_document_that_changes_one_field_stores_that_change(leaf: Leaf) -> None:
    before = sample_document()
    after = with_leaf_changed(before, leaf)
    table = draft_of(before)

    assert revise(table, after.content, EDITOR, "修订") > 0, f"{leaf.name} stored nothing"
    assert table.content == after.content
    assert replayed(table).content == after.content


@pytest.mark.parametrize("leaf", IN_HISTORY, ids=[leaf.name for leaf in IN_HISTORY])
def test_history_shows_a_change_of_any_one_field(leaf: Leaf) -> None:
    before = sample_document()
    after = with_leaf_changed(before, leaf)

    assert content_fields(after.content) != content_fields(before.content), leaf.name


@pytest.mark.parametrize("leaf", LEAVES, ids=[leaf.name for leaf in LEAVES])
def test_the_json_reader_reads_back_any_one_changed_field(leaf: Leaf) -> None:
    after = with_leaf_changed(sample_document(), leaf)

    (read,) = read_json_documents(dump_document(after), "修订.json")
    assert read.content == after.content, leaf.name
