"""Two documents of a table compare by history path, as the review page shows them."""

from __future__ import annotations

from dataclasses import replace

from domain.history import Change, changes, content_fields
from domain.values import parse_value
from tests.conftest import JIANGSU, seed_documents


def test_a_document_s_fields_are_named_by_their_history_paths() -> None:
    document = seed_documents(JIANGSU, "320000")[0]
    found = content_fields(document.content)
    first = document.indicators[0]
    assert found["project.name"] == document.project.name
    assert found["funds.total"] == str(document.funds.total)
    assert found[f"indicators.{first.id}.full_year"] == first.full_year.raw
    assert "status" not in found
    assert not any(path.startswith("review") for path in found)

    edited = replace(first, full_year=parse_value("不规范"))
    content = replace(document.content, indicators=(edited, *document.indicators[1:]))
    assert changes(found, content_fields(content)) == [
        Change(f"indicators.{first.id}.full_year", first.full_year.raw, "不规范")
    ]
