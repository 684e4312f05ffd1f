"""Imports obey the workflow and the identity rule: what a document claims is not a review.

A document's status is taken only when an admin of the node asks for it (and the history says
so); a document's id must be the one the identity rule gives its project; on SQLite and on
PostgreSQL, every refusal stores nothing.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from decimal import Decimal
from uuid import UUID

import pytest

from domain.document import TableDocument, document_of
from domain.errors import Forbidden, ImportRefused
from domain.model import Actor, Role, Status
from domain.table import TargetTable
from infra.bootstrap import NodeServices
from infra.documents.reading import DocumentsRefused, read_files
from projections.documents import dump_document
from tests.conftest import JIANGSU, NANCHANG, ServicesFactory, seed_documents

EDITOR = Actor("u-1", "王编报", Role.EDITOR, "360100")
AUDITOR = Actor("u-4", "陈审计", Role.AUDITOR, "360100")
ADMIN = Actor("u-5", "陈管理", Role.ADMIN, "360100")
CITY_REVIEWER = Actor("u-6", "周审核", Role.REVIEWER, "360100")
PROVINCE_ADMIN = Actor("u-9", "省运维", Role.ADMIN, "360000")


def claiming(status: str, index: int = 0, **changes: object) -> bytes:
    """A seed table as a JSON document that says it is ``status`` (and whatever else)."""
    data = json.loads(dump_document(seed_documents(NANCHANG, "360100")[index]))
    data.update(status=status, **changes)
    return json.dumps(data, ensure_ascii=False).encode()


def stored(services: NodeServices) -> int:
    return services.app.recorder.max_notification_id() or 0


def registered(services: NodeServices, table_id: UUID) -> TargetTable.Registered:
    first = next(iter(services.app.events.get(table_id)))
    assert isinstance(first, TargetTable.Registered)
    return first


def test_a_document_claiming_approval_is_imported_as_a_draft(
    services_factory: ServicesFactory,
) -> None:
    services = services_factory("360100")
    documents = read_files([("approved.json", claiming("approved"))], "360100")

    (outcome,) = services.editing.import_documents(EDITOR, documents, "导入")

    table = services.app.table(outcome.table_id)
    assert (table.status, table.version) == (Status.DRAFT, 1)
    assert not registered(services, outcome.table_id).status_from_document


def test_an_admin_keeps_the_documents_status_and_the_history_says_who_and_whence(
    services_factory: ServicesFactory,
) -> None:
    services = services_factory("360100")
    documents = read_files([("backup.json", claiming("approved"))], "360100")

    (outcome,) = services.editing.import_documents(ADMIN, documents, "从备份恢复", keep_status=True)

    table = services.app.table(outcome.table_id)
    assert (table.status, table.version) == (Status.APPROVED, 1)
    event = registered(services, outcome.table_id)
    assert (event.actor, event.status_from_document) == (ADMIN, True)
    services.runner.catch_up()
    (entry,) = services.reading.timelines(ADMIN, [str(outcome.table_id)])[str(outcome.table_id)]
    assert (entry.actor, entry.reason) == (ADMIN, "从备份恢复")
    changes = {change.path: change.after for change in entry.changes}
    assert (changes["status"], changes["status.source"]) == ("approved", "document")


def test_only_an_admin_of_the_node_may_keep_the_documents_status(
    services_factory: ServicesFactory,
) -> None:
    services = services_factory("360100")
    documents = read_files([("approved.json", claiming("approved"))], "360100")
    for actor in (EDITOR, AUDITOR, CITY_REVIEWER, PROVINCE_ADMIN):
        with pytest.raises(Forbidden, match="admin of 360100"):
            services.editing.import_documents(actor, documents, "越权", keep_status=True)
    with pytest.raises(Forbidden):  # an admin imports only to keep the status; editors edit
        services.editing.import_documents(ADMIN, documents, "管理员编辑")
    assert stored(services) == 0


def test_keeping_the_status_registers_tables_and_never_edits_one(
    services_factory: ServicesFactory,
) -> None:
    services = services_factory("360100")
    (outcome, *_) = services.editing.import_documents(
        EDITOR, seed_documents(NANCHANG, "360100"), "seed"
    )
    revised = claiming("draft", goals={"annual": "管理员改写的目标"})
    before = stored(services)
    with pytest.raises(ImportRefused, match="only new tables"):
        services.editing.import_documents(
            ADMIN, read_files([("r.json", revised)], "360100"), "恢复", keep_status=True
        )
    assert stored(services) == before
    same = read_files([("same.json", claiming("draft"))], "360100")
    (again,) = services.editing.import_documents(ADMIN, same, "恢复", keep_status=True)
    assert (again.table_id, again.created, again.events) == (outcome.table_id, False, 0)


def test_a_submitted_status_with_blocking_findings_is_not_kept(
    services_factory: ServicesFactory,
) -> None:
    services = services_factory("360100")
    data = json.loads(claiming("approved"))
    data["funds"]["sources"] = {"fiscal_appropriation": "1.00"}  # no longer the total
    documents = read_files([("b.json", json.dumps(data).encode())], "360100")
    with pytest.raises(ImportRefused, match=r"funds\.sources: funding sources sum to 1\.00"):
        services.editing.import_documents(ADMIN, documents, "恢复", keep_status=True)
    assert stored(services) == 0


def test_a_document_under_another_id_is_refused_naming_the_id_and_nothing_is_stored(
    services_factory: ServicesFactory,
) -> None:
    services = services_factory("360100")
    outcomes = services.editing.import_documents(EDITOR, seed_documents(NANCHANG, "360100"), "seed")
    before = stored(services)
    stranger = str(uuid.uuid4())
    another_table = str(outcomes[1].table_id)  # table 1's project under table 2's id
    for changed in (stranger, another_table):
        documents = read_files([("t.json", claiming("draft", id=changed))], "360100")
        with pytest.raises(
            ImportRefused, match=rf"第 1 份文档（.*）: id：{changed} 不是这个项目的表格"
        ):
            services.editing.import_documents(EDITOR, documents, "换了编号")
    assert stored(services) == before
    assert len(list(services.app.table_ids())) == 4


def test_an_id_that_is_no_table_id_is_refused_where_it_is_written(
    services_factory: ServicesFactory,
) -> None:
    with pytest.raises(DocumentsRefused) as refused:
        read_files([("t.json", claiming("draft", id="hello"))], "360100")
    (problem,) = refused.value.located()
    assert problem.startswith("t.json: $[0].id：「hello」不是表格编号（UUID）")


def test_a_renamed_table_round_trips_under_its_own_id(
    services_factory: ServicesFactory,
) -> None:
    services = services_factory("360100")
    (outcome, *_) = services.editing.import_documents(
        EDITOR, seed_documents(NANCHANG, "360100"), "seed"
    )
    services.editing.set_project_field(EDITOR, outcome.table_id, 1, "name", "改名后的项目")
    exported = dump_document(document_of(services.app.table(outcome.table_id)))
    documents = read_files([("renamed.json", exported.encode())], "360100")
    (again,) = services.editing.import_documents(EDITOR, documents, "再导入")
    assert (again.table_id, again.created, again.events) == (outcome.table_id, False, 0)
    renamed_again = replace(documents[0], project=replace(documents[0].project, name="又一个名字"))
    with pytest.raises(ImportRefused, match="id："):
        services.editing.import_documents(EDITOR, [renamed_again], "经导入改名")


def test_the_store_refuses_a_year_or_an_amount_no_table_can_have(
    services_factory: ServicesFactory,
) -> None:
    services = services_factory("360100")
    document = seed_documents(NANCHANG, "360100")[0]
    negative = replace(document, funds=replace(document.funds, total=Decimal("-78.00")))
    for wrong, field in ((replace(document, fiscal_year=-5), "fiscal_year"), (negative, "total")):
        with pytest.raises(ImportRefused, match=rf"第 1 份文档（.*）: .*{field}: -"):
            services.editing.import_documents(EDITOR, [wrong], "导入")
    assert stored(services) == 0


def test_another_province_s_tables_are_refused_on_a_city_naming_the_province(
    services_factory: ServicesFactory,
) -> None:
    services = services_factory("360100")
    documents = read_files([(JIANGSU.name, JIANGSU.read_bytes())], "360100")
    assert {document.jurisdiction for document in documents} == {"360100"}  # what the node gave
    with pytest.raises(
        ImportRefused, match=r"主管部门「江苏省生态环境厅」属于江苏省（320000），不属于本节点"
    ):
        services.editing.import_documents(EDITOR, documents, "导入")
    assert stored(services) == 0


def test_a_document_naming_another_jurisdiction_or_a_province_s_level_is_refused(
    services_factory: ServicesFactory,
) -> None:
    services = services_factory("360100")
    document = seed_documents(NANCHANG, "360100")[0]

    def with_project(**changes: str) -> list[TableDocument]:
        # Another department is another project: its id is the identity rule's, so left out.
        project = replace(document.project, **changes)  # type: ignore[arg-type]
        return [replace(document, id=None, project=project)]

    refusals = [
        (with_project(department="九江市城市管理局"), r"主管部门「九江市城市管理局」属于九江市"),
        (
            with_project(department="江西省生态环境厅"),
            r"属于江西省（360000），不属于本节点（南昌市（360100））",
        ),
        (with_project(department_code="320000"), r"主管部门代码「320000」属于江苏省"),
        (
            with_project(department="生态环境局", level="省本级"),
            r"项目级次「省本级」是省本级项目，而本节点是南昌市（360100）",
        ),
    ]
    for documents, refusal in refusals:
        with pytest.raises(ImportRefused, match=refusal):
            services.editing.import_documents(EDITOR, documents, "导入")
    assert stored(services) == 0

    for documents in (
        with_project(department="江西省南昌市生态环境局"),
        with_project(department="生态环境局"),  # names no place: this node's, as before
    ):
        (outcome,) = services.editing.import_documents(EDITOR, documents, "导入")
        assert outcome.created


def test_a_document_with_an_indicator_id_off_the_id_rule_is_refused_and_nothing_stored(
    services_factory: ServicesFactory,
) -> None:
    services = services_factory("360100")
    document = seed_documents(NANCHANG, "360100")[0]
    first, *rest = document.indicators
    hostile = replace(document, indicators=(replace(first, id="../../admin"), *rest))
    with pytest.raises(
        ImportRefused,
        match=rf"indicators\[0\]\.id: 「\.\./\.\./admin」（{first.name}）不是指标编号",
    ):
        services.editing.import_documents(EDITOR, [hostile], "导入")
    assert stored(services) == 0
