"""Text is checked once, at the edge of the domain: over GraphQL a value off the grammar or a
character no field may hold is ``InvalidInput`` naming the field, and nothing is stored; an
imported document with such a character is refused whole, one with a value off the grammar is
stored as written and its error finding blocks submission. On SQLite and on PostgreSQL (where a
NUL in a stored reason used to stop every read model)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest

from infra.bootstrap import build_services
from infra.settings import Settings
from tests.conftest import NANCHANG, ServicesFactory
from tests.e2e.graphql_client import Api, serving
from tests.e2e.test_graphql import first_table, listing, mutate, table
from tests.integration.test_hidden_characters import old_store
from tests.support.cli import run

RLO = "\u202e"


@pytest.fixture
def empty(services_factory: ServicesFactory) -> Iterator[Api]:
    with serving(services_factory("360100")) as api:
        yield api


def _stored_version(api: Api, table_id: str) -> int:
    return api.services.app.table(UUID(table_id)).version


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("≥≥abc%", "a comparison (≥) needs a number"),
        ("2026年2月30日", "there is no 2026年2月30日"),
        ("NaN", "a number must be finite"),
        ("≥1e309个", "without an exponent"),
        ("≥5\x00个", "value contains U+0000 NULL"),
        ("≥5\x1b[31m个", "value contains U+001B ESCAPE"),
        (f"≥5{RLO}个", "value contains U+202E RIGHT-TO-LEFT OVERRIDE"),
    ],
)
def test_a_value_that_is_not_a_value_is_invalid_input_and_nothing_is_stored(
    nanchang: Api, value: str, said: str
) -> None:
    table_id = first_table(nanchang, "应急")["id"]
    indicator = table(nanchang, table_id)["indicators"][0]["id"]
    data = {"tableId": table_id, "expectedVersion": 1, "indicatorId": indicator, "value": value}
    refused = mutate(nanchang, "setIndicatorValue", data)
    assert refused["__typename"] == "InvalidInput", refused
    assert refused["field"] == "value"
    assert said in refused["message"]
    assert _stored_version(nanchang, table_id) == 1


@pytest.mark.parametrize(
    ("mutation", "data", "field", "said"),
    [
        (
            "setFundTotal",
            {"amount": "65.34", "reason": f"更正{RLO}金额"},
            "reason",
            "reason contains U+202E RIGHT-TO-LEFT OVERRIDE",
        ),
        ("setFundTotal", {"amount": "65.34", "reason": "a\x00b"}, "reason", "U+0000 NULL"),
        ("setGoal", {"goal": "ANNUAL", "text": "目标\x07"}, "text", "U+0007 BELL"),
        ("setProjectField", {"field": "NAME", "value": "两\n行"}, "name", "U+000A LINE FEED"),
    ],
)
def test_text_no_field_may_hold_is_invalid_input_naming_the_field(
    nanchang: Api, mutation: str, data: dict[str, Any], field: str, said: str
) -> None:
    table_id = first_table(nanchang, "应急")["id"]
    refused = mutate(nanchang, mutation, {"tableId": table_id, "expectedVersion": 1, **data})
    assert refused["__typename"] == "InvalidInput", refused
    assert refused["field"] == field
    assert said in refused["message"]
    assert _stored_version(nanchang, table_id) == 1
    assert listing(nanchang)["totalCount"] == 4  # the read models keep serving


def test_several_lines_are_stored_where_a_field_holds_them(nanchang: Api) -> None:
    table_id = first_table(nanchang, "应急")["id"]
    data = {"goal": "ANNUAL", "text": "第一行\n第二行", "reason": "分两行\r\n写"}
    changed = mutate(nanchang, "setGoal", {"tableId": table_id, "expectedVersion": 1, **data})
    assert changed["__typename"] == "TableChanged", changed
    found = table(nanchang, table_id)
    assert found["goals"]["annual"] == "第一行\n第二行"
    assert found["timeline"][-1]["reason"] == "分两行\r\n写"


def _import(api: Api, text: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {api.token('editor')}"}
    parts = [("file", ("nanchang.txt", text.encode("utf-8"), "text/plain"))]
    response: httpx.Response = api.client.post("/api/import", files=parts, headers=headers)
    return response


def test_an_imported_value_off_the_grammar_is_an_error_finding_that_blocks_submission(
    empty: Api,
) -> None:
    text = NANCHANG.read_text(encoding="utf-8").replace("2026年12月30日", "2026年2月30日")
    response = _import(empty, text)
    assert response.status_code == 200, response.text
    empty.services.runner.catch_up()
    target = first_table(empty, "机动车")
    found = table(empty, target["id"])
    assert ("indicators.invalid_value", "error") in {
        (item["code"], item["severity"]) for item in found["findings"]
    }
    data = {"tableId": target["id"], "expectedVersion": target["version"]}
    blocked = mutate(empty, "submitTable", data)
    assert blocked["__typename"] == "SubmissionBlocked", blocked
    [finding] = [item for item in blocked["findings"] if item["code"] == "indicators.invalid_value"]
    indicator = next(item for item in found["indicators"] if item["name"] == "标气标牌采购完成时间")
    assert finding["path"] == f"indicators[{indicator['id']}].full_year"
    assert indicator["fullYear"]["raw"] == "2026年2月30日"  # kept as written


@pytest.mark.parametrize(("character", "name"), [(RLO, "RIGHT-TO-LEFT OVERRIDE"), ("\x00", "NULL")])
def test_an_imported_document_with_a_character_no_field_may_hold_is_refused_whole(
    empty: Api, character: str, name: str
) -> None:
    hostile = NANCHANG.read_text(encoding="utf-8").replace(
        "标气标牌采购完成时间", f"标气标牌{character}采购完成时间"
    )
    response = _import(empty, hostile)
    assert response.status_code == 400, response.text
    detail = response.json()["detail"]
    assert f".name contains U+{ord(character):04X} {name}" in detail
    assert "nothing was stored" in detail
    assert empty.services.app.tables() == []


def test_the_cli_audit_views_show_an_old_stores_hidden_characters(tmp_path: Path) -> None:
    data_dir = tmp_path / "var"
    services = build_services("360100", Settings(data_dir=data_dir))
    try:
        table_id, _ = old_store(services)
    finally:
        services.close()
    key = str(table_id)[:8]
    for view in (("timeline",), ("blame",), ("diff", "1", "3"), ("replay",)):
        shown = run(data_dir, "audit", view[0], "-j", "360100", key, *view[1:]).stdout
        assert "⟨U+202E⟩" in shown, view
        assert RLO not in shown
        assert "\x1b" not in shown
