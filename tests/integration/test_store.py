"""A node's store, run the same way on SQLite files and on the real PostgreSQL."""

from __future__ import annotations

import dataclasses
from uuid import UUID

import pytest

from domain.document import TableDocument, document_of
from domain.errors import ImportRefused, TableLocked
from domain.model import Actor, Kind, Role
from infra.documents.jsondoc import read_json_documents
from infra.documents.reading import read_text_document
from projections.documents import dump_documents
from service_layer.store import TablesApplication
from tests.conftest import JIANGSU, NANCHANG, NodeFactory, seed_documents


def stored_events(app: TablesApplication) -> int:
    return app.recorder.max_notification_id() or 0


def event_names(app: TablesApplication, table_id: UUID) -> list[str]:
    return [type(event).__name__ for event in app.events.get(table_id)]


def test_the_seed_documents_load_faithfully(node_factory: NodeFactory, editor: Actor) -> None:
    jiangsu, nanchang = node_factory("320000"), node_factory("360100")
    jiangsu.import_documents(seed_documents(JIANGSU, "320000"), editor, "seed")
    nanchang.import_documents(seed_documents(NANCHANG, "360100"), editor, "seed")
    tables = jiangsu.tables() + nanchang.tables()
    assert [len(table.content.indicators) for table in tables] == [31, 33, 20, 20, 10, 13, 17, 19]
    totals = [str(table.content.funds.total) for table in tables]
    assert totals == ["249", "880", "663", "210", "78.00", "65.34", "36.20", "436.41"]
    carryover = tables[-1].content.project
    assert (carryover.kind, carryover.start, carryover.end) == (
        Kind.CARRYOVER,
        "2025-04-01",
        "2026-04-30",
    )
    assert stored_events(jiangsu) == 4


def test_reimporting_the_same_document_stores_nothing(
    node_factory: NodeFactory, editor: Actor
) -> None:
    app = node_factory("360100")
    first = app.import_documents(seed_documents(NANCHANG, "360100"), editor, "seed")
    before = stored_events(app)
    again = app.import_documents(seed_documents(NANCHANG, "360100"), editor, "again")
    assert [outcome.events for outcome in again] == [0, 0, 0, 0]
    assert [outcome.table_id for outcome in again] == [outcome.table_id for outcome in first]
    assert stored_events(app) == before


def test_a_revised_document_stores_one_event_per_changed_value(
    node_factory: NodeFactory, editor: Actor
) -> None:
    app = node_factory("360100")
    app.import_documents(seed_documents(NANCHANG, "360100"), editor, "seed")
    text = NANCHANG.read_text(encoding="utf-8")
    revised = (
        text.replace("新建界标\t≥66块", "新建界标\t≥70块")
        .replace("新建宣传牌\t≥87块", "新建宣传牌\t≥90块")
        .replace("新建道路警示牌\t", "新建道路安全警示牌\t")
        .replace("居民满意度\t≥95%", "居民满意度\t≥96%")
    )
    outcomes = app.import_documents(read_text_document(revised, "v2.txt", "360100"), editor, "v2")
    assert [outcome.events for outcome in outcomes] == [0, 0, 0, 4]
    names = event_names(app, outcomes[3].table_id)
    assert sorted(names) == sorted(
        ["Registered", "IndicatorRenamed", *["IndicatorValueChanged"] * 3]
    )
    table = app.table(outcomes[3].table_id)
    assert [item.name for item in table.content.indicators][2] == "新建道路安全警示牌"
    again = app.import_documents(
        read_text_document(revised, "v2.txt", "360100"), editor, "v2 again"
    )
    assert [outcome.events for outcome in again] == [0, 0, 0, 0]


def test_a_refused_batch_stores_nothing_at_all(node_factory: NodeFactory, editor: Actor) -> None:
    app = node_factory("360100")
    good = seed_documents(NANCHANG, "360100")
    stray = seed_documents(JIANGSU, "320000")[0]
    with pytest.raises(ImportRefused, match="文档属于行政区划 320000，不属于本节点（360100）"):
        app.import_documents([*good, stray], editor, "mixed")
    assert stored_events(app) == 0
    assert list(app.table_ids()) == []


def test_the_same_table_twice_in_one_batch_is_refused_naming_both(
    node_factory: NodeFactory, editor: Actor
) -> None:
    app = node_factory("360100")
    documents = seed_documents(NANCHANG, "360100")
    with pytest.raises(ImportRefused, match="documents 2 and 5 are the same table"):
        app.import_documents([*documents, documents[1]], editor, "the file chosen twice")
    assert stored_events(app) == 0  # was an AggregateNotFoundError traceback, nothing stored


def test_a_submitted_table_refuses_a_revised_document(
    node_factory: NodeFactory, editor: Actor
) -> None:
    app = node_factory("360100")
    (outcome, *_) = app.import_documents(seed_documents(NANCHANG, "360100"), editor, "seed")
    app.edit(outcome.table_id, 1, lambda table: table.submit(editor, None))
    revised = NANCHANG.read_text(encoding="utf-8").replace("≤60万", "≤61万")
    before = stored_events(app)
    with pytest.raises(TableLocked):
        app.import_documents(read_text_document(revised, "v2.txt", "360100"), editor, "late")
    assert stored_events(app) == before


def test_export_then_import_into_an_empty_node_gives_the_same_documents(
    node_factory: NodeFactory, editor: Actor
) -> None:
    source = node_factory("320000", store="source")
    source.import_documents(seed_documents(JIANGSU, "320000"), editor, "seed")
    exported = dump_documents([document_of(table) for table in source.tables()])
    target = node_factory("320000", store="target")
    target.import_documents(read_json_documents(exported, "export.json"), editor, "restore")
    assert dump_documents([document_of(table) for table in target.tables()]) == exported


def test_an_edited_table_restored_by_an_admin_round_trips_with_its_status_and_content(
    node_factory: NodeFactory, editor: Actor
) -> None:
    source = node_factory("360100", store="source")
    (outcome, *_) = source.import_documents(seed_documents(NANCHANG, "360100"), editor, "seed")
    source.edit(
        outcome.table_id, 1, lambda table: table.set_goal("annual", "新的年度目标", editor, None)
    )
    source.edit(outcome.table_id, 2, lambda table: table.submit(editor, None))
    exported = [document_of(table) for table in source.tables()]
    target = node_factory("360100", store="target")
    admin = dataclasses.replace(editor, role=Role.ADMIN)
    target.import_documents(
        read_json_documents(dump_documents(exported), "x.json"), admin, "restore", keep_status=True
    )
    restored = [document_of(table) for table in target.tables()]

    def without_version(document: TableDocument) -> TableDocument:
        return dataclasses.replace(document, version=None)

    assert [without_version(doc) for doc in restored] == [without_version(doc) for doc in exported]
    assert restored[0].status == "submitted"


def test_a_carryover_table_links_the_prior_year_table(
    node_factory: NodeFactory, editor: Actor
) -> None:
    app = node_factory("360100")
    text = NANCHANG.read_text(encoding="utf-8")
    prior_text = text.replace("(2026年度)", "(2025年度)").replace("上年结转项目", "当年项目")
    prior = app.import_documents(
        read_text_document(prior_text, "2025.txt", "360100"), editor, "2025"
    )
    current = app.import_documents(seed_documents(NANCHANG, "360100"), editor, "2026")
    carryover = app.table(current[3].table_id).content.project
    assert carryover.carried_over_from == str(prior[3].table_id)
