"""Documents over plain HTTP: import any format, export workbooks and pages, blank templates."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from io import BytesIO
from uuid import UUID

import httpx
import pytest
from openpyxl import Workbook, load_workbook

from domain.document import TableDocument, document_of
from domain.model import Actor, Role, Status
from domain.table import TargetTable
from domain.values import parse_value
from infra.bootstrap import NodeServices
from projections.documents import dump_document
from tests.conftest import NANCHANG, ServicesFactory, seed_documents
from tests.e2e.graphql_client import Api, serving
from tests.support.bombs import BOMBS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def nanchang(services_factory: ServicesFactory) -> Iterator[Api]:
    with serving(services_factory("360100")) as api:
        yield api


def _workbook(text: str, sheet: str = "机动车") -> bytes:
    """The seed text laid out on a sheet, one line per row, two blank rows under the title."""
    book = Workbook()
    page = book.active
    assert page is not None
    page.title = sheet
    for number, line in enumerate(text.splitlines()):
        page.append(line.split("\t"))
        if number == 0:
            page.append([])
            page.append([])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _post(
    api: Api, files: list[tuple[str, bytes]], role: str = "editor", **form: str
) -> httpx.Response:
    headers = {"Authorization": f"Bearer {api.token(role)}"}
    parts = [("file", (name, data, "application/octet-stream")) for name, data in files]
    response: httpx.Response = api.client.post(
        "/api/import", files=parts, data=form, headers=headers
    )
    return response


def _count(api: Api) -> int:
    return len(api.services.app.tables())


def test_files_in_any_format_import_and_the_tables_are_listed(nanchang: Api) -> None:
    text = NANCHANG.read_text(encoding="utf-8")
    gbk = text.replace("\n", "\r\n").encode("gb18030")
    response = _post(nanchang, [("nanchang.bin", gbk)], reason="从财政系统导出")
    assert response.status_code == 200, response.text
    imported = response.json()["imported"]
    assert [item["name"] for item in imported] == [
        document.project.name for document in seed_documents(NANCHANG, "360100")
    ]
    assert all(item["created"] for item in imported)
    again = _post(nanchang, [("again.xlsx", _workbook(text))])
    assert again.status_code == 200, again.text
    assert not any(item["created"] for item in again.json()["imported"])
    assert _count(nanchang) == 4


def test_an_import_answers_once_its_tables_can_be_read(nanchang: Api) -> None:
    for round_ in range(3):  # new tables, then a revision of each, then one more
        text = NANCHANG.read_text(encoding="utf-8").replace("≥", "≥1" * round_, 1)
        response = _post(nanchang, [(f"round-{round_}.txt", text.encode())])
        assert response.status_code == 200, response.text
        imported = {item["id"]: item["events"] for item in response.json()["imported"]}
        rows = nanchang.services.reads.table_rows(list(imported))
        assert sorted(rows) == sorted(imported)
        listed = {key: row.version for key, row in rows.items()}
        stored = {key: nanchang.services.app.table(UUID(key)).version for key in imported}
        assert listed == stored, f"round {round_}"


def test_a_bad_cell_is_named_and_nothing_is_stored(nanchang: Api) -> None:
    text = NANCHANG.read_text(encoding="utf-8")
    broken = _workbook(text.replace("当年项目", "明年项目", 1))
    response = _post(nanchang, [("good.txt", text.encode()), ("预算.xlsx", broken)])
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "the files cannot be read; nothing was stored"
    # The kind is on the 9th line of the text: the 11th row of the sheet (two blank rows added).
    assert body["problems"] == [
        "预算.xlsx!机动车!B11: 无法识别的项目属性「明年项目」"
        "（应为当年项目、上年结转项目、常年安排项目）"
    ]
    assert _count(nanchang) == 0


def test_files_built_to_exhaust_the_node_are_refused_by_name_and_nothing_is_stored(
    nanchang: Api,
) -> None:
    good = NANCHANG.read_text(encoding="utf-8").encode()  # four tables, none of them stored
    for name, build in BOMBS.items():
        response = _post(nanchang, [("good.txt", good), (name, build())])
        assert response.status_code == 400, (name, response.text)
        body = response.json()
        assert body["detail"] == "the files cannot be read; nothing was stored"
        assert body["problems"], name
        assert all(problem.startswith(name) for problem in body["problems"]), body
    assert _count(nanchang) == 0


def test_an_import_refused_by_locked_tables_names_each_table_and_its_status(
    nanchang: Api,
) -> None:
    assert _post(nanchang, [("nanchang.txt", NANCHANG.read_bytes())]).status_code == 200
    app = nanchang.services.app
    tables = sorted(app.tables(), key=lambda table: table.content.project.name)
    editor = Actor("u-1", "王编报", Role.EDITOR, "360100")
    for table in tables[:2]:
        app.edit(table.id, table.version, lambda it: it.submit(editor, "请审核"))
    stored = app.recorder.max_notification_id()
    revised = [_with_first_value(document_of(app.table(table.id)), "≥1次") for table in tables]
    files = [(f"{index}.json", dump_document(item).encode()) for index, item in enumerate(revised)]

    response = _post(nanchang, files)
    assert response.status_code == 400
    problems = response.json()["problems"]
    assert problems == [
        f"{table.content.project.name}：已提交，不能由导入修改。"
        "请等待审核结果；如被退回，即可修改后重新提交。"
        for table in tables[:2]
    ]
    assert app.recorder.max_notification_id() == stored


def _with_first_value(document: TableDocument, raw: str) -> TableDocument:
    first, *rest = document.indicators
    changed = dataclasses.replace(first, full_year=parse_value(raw))
    return dataclasses.replace(document, indicators=(changed, *rest))


def test_only_editors_import_and_every_call_needs_a_token(nanchang: Api) -> None:
    text = NANCHANG.read_text(encoding="utf-8").encode()
    refused = _post(nanchang, [("t.txt", text)], role="reviewer")
    assert refused.status_code == 403
    anonymous = nanchang.client.post("/api/import", files=[("file", ("t.txt", text))])
    assert anonymous.status_code == 401
    assert nanchang.client.get("/api/templates/municipal.xlsx").status_code == 401
    assert _count(nanchang) == 0


def test_only_an_admin_keeps_the_status_a_document_claims(nanchang: Api) -> None:
    seeds = seed_documents(NANCHANG, "360100")
    claims = [
        json.dumps({**json.loads(dump_document(seed)), "status": "approved"}).encode()
        for seed in seeds[:2]
    ]
    refused = _post(nanchang, [("a.json", claims[0])], keepStatus="true")
    assert refused.status_code == 403
    assert "admin" in refused.json()["detail"]
    assert _count(nanchang) == 0
    kept = _post(nanchang, [("a.json", claims[0])], role="admin", keepStatus="true")
    assert kept.status_code == 200, kept.text
    drafted = _post(nanchang, [("b.json", claims[1])])
    assert drafted.status_code == 200, drafted.text
    tables = [nanchang.services.app.table(table_id) for table_id in _ids(kept, drafted)]
    assert [table.status for table in tables] == [Status.APPROVED, Status.DRAFT]
    assert [table.version for table in tables] == [1, 1]
    first = next(iter(nanchang.services.app.events.get(tables[0].id)))
    assert isinstance(first, TargetTable.Registered)
    assert (first.status_from_document, first.actor.role) == (True, Role.ADMIN)


def _ids(*responses: httpx.Response) -> list[UUID]:
    return [UUID(item["id"]) for response in responses for item in response.json()["imported"]]


def test_an_upload_over_the_limit_is_refused_before_it_is_read(
    services_factory: ServicesFactory,
) -> None:
    services = services_factory("360100")
    small = services.settings.model_copy(update={"max_upload_bytes": 10_000})
    limited: NodeServices = dataclasses.replace(services, settings=small)
    with serving(limited) as api:
        response = _post(api, [("big.txt", b"x" * 20_000)])
        assert response.status_code == 413
        assert "over the limit of 10000 bytes" in response.json()["detail"]
        assert _count(api) == 0


def test_a_table_exports_as_a_workbook_a_page_and_json(nanchang: Api) -> None:
    text = NANCHANG.read_text(encoding="utf-8").encode()
    imported = _post(nanchang, [("t.txt", text)]).json()["imported"]
    table_id = imported[0]["id"]
    headers = {"Authorization": f"Bearer {nanchang.token('auditor')}"}
    workbook = nanchang.client.get(f"/api/tables/{table_id}/export", headers=headers)
    assert workbook.status_code == 200
    assert workbook.headers["content-type"] == XLSX
    assert "filename*=UTF-8''" in workbook.headers["content-disposition"]
    sheet = load_workbook(BytesIO(workbook.content)).worksheets[0]
    texts = {str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value}
    assert imported[0]["name"] in texts
    page = nanchang.client.get(
        f"/api/tables/{table_id}/export", params={"format": "html"}, headers=headers
    )
    assert page.status_code == 200
    assert imported[0]["name"] in page.text
    as_json = nanchang.client.get(
        f"/api/tables/{table_id}/export", params={"format": "json"}, headers=headers
    )
    assert as_json.json()["id"] == table_id
    missing = nanchang.client.get(
        "/api/tables/00000000-0000-0000-0000-000000000000/export", headers=headers
    )
    assert missing.status_code == 404
    template = nanchang.client.get("/api/templates/municipal.xlsx", headers=headers)
    assert template.status_code == 200
    assert load_workbook(BytesIO(template.content)).worksheets
    unknown = nanchang.client.get("/api/templates/county.xlsx", headers=headers)
    assert unknown.status_code == 404
    assert "provincial and municipal" in unknown.json()["detail"]
