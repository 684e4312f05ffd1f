"""The GraphQL API over HTTP, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event

from domain.model import Actor, Role
from tests.conftest import JIANGSU, ServicesFactory, seed_documents
from tests.e2e.graphql_client import Api, serving

RESULT = """
fragment Result on EditResult {
  __typename
  ... on TableChanged { table { id version status } }
  ... on VersionConflict { message expectedVersion currentVersion }
  ... on TableLocked { message status }
  ... on TransitionRefused { message status }
  ... on SubmissionBlocked { message findings { code path } }
  ... on Forbidden { message }
  ... on InvalidInput { message field }
}
"""
LISTING = """
query($first: Int!, $after: String, $search: String, $kind: ProjectKind) {
  tables(first: $first, after: $after, search: $search, kind: $kind) {
    totalCount
    edges { cursor node { id name version status kind fundsTotal } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
TABLE = """
query($id: ID!, $version: Int, $asOf: DateTime) {
  table(id: $id, version: $version, asOf: $asOf) {
    id version status name
    project { name manager kind }
    funds { total sources { code label amount } }
    expenditures { name halfYear fullYear }
    goals { annual longTerm }
    indicators { id name level1 level2 level2Code halfYear { raw } fullYear { raw op number unit } }
    findings { code severity }
    review { action version comment reviewer { name } indicatorComments { indicatorId comment } }
    timeline {
      version type at reason
      actor { id name role jurisdiction }
      changes { path before after }
    }
  }
}
"""


def mutate(api: Api, name: str, data: dict[str, Any], role: str = "editor") -> dict[str, Any]:
    kind = name[0].upper() + name[1:] + "Input"
    query = f"mutation($input: {kind}!) {{ {name}(input: $input) {{ ...Result }} }}" + RESULT
    result: dict[str, Any] = api.query(query, {"input": data}, role)[name]
    return result


def table(api: Api, table_id: str, role: str = "editor", **extra: Any) -> dict[str, Any]:
    found: dict[str, Any] = api.query(TABLE, {"id": table_id, **extra}, role)["table"]
    return found


def listing(api: Api, role: str = "editor", **variables: Any) -> dict[str, Any]:
    found: dict[str, Any] = api.query(LISTING, {"first": 20, **variables}, role)["tables"]
    return found


@pytest.fixture
def jiangsu(services_factory: ServicesFactory) -> Iterator[Api]:
    services = services_factory("320000")
    importer = Actor("seed", "seed", Role.EDITOR, "320000")
    services.app.import_documents(seed_documents(JIANGSU, "320000"), importer, "seed")
    with serving(services) as api:
        yield api


def first_table(api: Api, name_part: str) -> dict[str, Any]:
    edges = listing(api, search=name_part)["edges"]
    assert len(edges) == 1, edges
    found: dict[str, Any] = edges[0]["node"]
    return found


def test_no_token_is_401_and_a_bad_token_is_401_too(nanchang: Api) -> None:
    assert nanchang.post("{ me { id } }").status_code == 401
    assert nanchang.post("{ me { id } }", token="not-a-token").status_code == 401
    foreign = nanchang.token("editor").rsplit(".", 1)[0] + ".forged-signature"
    assert nanchang.post("{ me { id } }", token=foreign).status_code == 401
    page = nanchang.client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()


def test_listing_pages_with_cursors_and_filters(nanchang: Api) -> None:
    first = listing(nanchang, first=3)
    assert first["totalCount"] == 4
    assert len(first["edges"]) == 3
    assert first["pageInfo"]["hasNextPage"] is True
    rest = listing(nanchang, first=3, after=first["pageInfo"]["endCursor"])
    assert len(rest["edges"]) == 1
    assert rest["pageInfo"]["hasNextPage"] is False
    names = {edge["node"]["name"] for edge in first["edges"] + rest["edges"]}
    assert len(names) == 4
    assert listing(nanchang, kind="CARRYOVER")["edges"][0]["node"]["fundsTotal"] == "436.41"
    assert listing(nanchang, search="应急")["totalCount"] == 1
    assert listing(nanchang, search="%")["totalCount"] == 0


def test_every_edit_a_bureau_makes_is_stored_with_the_tokens_actor(nanchang: Api) -> None:
    target = first_table(nanchang, "应急")
    table_id, version = target["id"], target["version"]
    indicator = table(nanchang, table_id)["indicators"][0]
    edits: list[tuple[str, dict[str, Any]]] = [
        ("setProjectField", {"field": "MANAGER", "value": "张三"}),
        ("setFundTotal", {"amount": "70.34"}),
        ("setFundSource", {"source": "其他资金", "amount": "5.00"}),
        ("addExpenditure", {"line": {"name": "培训", "fullYear": "5.00", "halfYear": "2"}}),
        ("setExpenditure", {"index": 0, "line": {"name": "培训费", "fullYear": "5.00"}}),
        ("setGoal", {"goal": "ANNUAL", "text": "完成应急演练"}),
        (
            "addIndicator",
            {"level1": "产出指标", "level2": "quantity", "name": "演练次数", "fullYear": "≥2次"},
        ),
        ("setIndicatorValue", {"indicatorId": indicator["id"], "value": "≥3次"}),
        (
            "setIndicatorValue",
            {"indicatorId": indicator["id"], "value": "≥1次", "period": "HALF_YEAR"},
        ),
        ("renameIndicator", {"indicatorId": indicator["id"], "name": "应急演练次数"}),
        (
            "moveIndicator",
            {"indicatorId": indicator["id"], "level1": "output", "level2": "质量指标"},
        ),
        ("removeExpenditure", {"index": 0}),
    ]
    for name, data in edits:
        input_data = {"tableId": table_id, "expectedVersion": version, "reason": name, **data}
        result = mutate(nanchang, name, input_data, "editor")
        assert result["__typename"] == "TableChanged", (name, result)
        assert result["table"]["version"] == version + 1
        version += 1

    after = table(nanchang, table_id)
    assert after["version"] == version
    assert after["project"]["manager"] == "张三"
    assert after["funds"]["total"] == "70.34"
    assert {"code": "other", "label": "其他资金", "amount": "5.00"} in after["funds"]["sources"]
    assert after["expenditures"] == []
    assert after["goals"]["annual"] == "完成应急演练"
    changed = next(item for item in after["indicators"] if item["id"] == indicator["id"])
    assert changed["name"] == "应急演练次数"
    assert (changed["level2"], changed["level2Code"]) == ("质量指标", "quality")
    assert changed["fullYear"]["raw"] == "≥3次"
    assert changed["halfYear"]["raw"] == "≥1次"
    assert any(item["name"] == "演练次数" for item in after["indicators"])

    events = after["timeline"][1:]
    assert [item["reason"] for item in events] == [name for name, _ in edits]
    assert {item["actor"]["name"] for item in events} == {"editor@360100"}
    assert {item["actor"]["role"] for item in events} == {"EDITOR"}
    value_change = events[7]["changes"]
    assert value_change == [
        {
            "path": f"indicators.{indicator['id']}.full_year",
            "before": indicator["fullYear"]["raw"],
            "after": "≥3次",
        }
    ]
    stored = nanchang.services.app.table(__import__("uuid").UUID(table_id))
    assert stored.version == version


def test_review_cycle_on_a_root_node(jiangsu: Api) -> None:
    target = first_table(jiangsu, "信息网络")
    table_id = target["id"]
    indicator = table(jiangsu, table_id)["indicators"][3]["id"]
    submitted = mutate(jiangsu, "submitTable", {"tableId": table_id, "expectedVersion": 1})
    assert submitted["table"]["status"] == "SUBMITTED"
    inbox = (
        "{ inbox(status: SUBMITTED) "
        "{ totalCount edges { node { tableId version status name findings { code } } } } }"
    )
    entry = jiangsu.query(inbox, role="reviewer")["inbox"]["edges"][0]["node"]
    assert (entry["tableId"], entry["version"]) == (table_id, 2)

    returned = mutate(
        jiangsu,
        "returnSubmission",
        {
            "tableId": table_id,
            "version": 2,
            "reason": "指标值偏低",
            "indicatorComments": [{"indicatorId": indicator, "comment": "请提高目标值"}],
        },
        "reviewer",
    )
    assert returned["table"]["status"] == "RETURNED"
    review = table(jiangsu, table_id)["review"]
    assert review["action"] == "return"
    assert review["comment"] == "指标值偏低"
    assert review["indicatorComments"] == [{"indicatorId": indicator, "comment": "请提高目标值"}]

    fixed = mutate(
        jiangsu,
        "setIndicatorValue",
        {"tableId": table_id, "expectedVersion": 3, "indicatorId": indicator, "value": "≥99%"},
    )
    assert fixed["__typename"] == "TableChanged"
    mutate(jiangsu, "submitTable", {"tableId": table_id, "expectedVersion": 4})
    approved = mutate(jiangsu, "approveSubmission", {"tableId": table_id, "version": 5}, "reviewer")
    assert approved["table"]["status"] == "APPROVED"
    locked = mutate(
        jiangsu,
        "setIndicatorValue",
        {"tableId": table_id, "expectedVersion": 6, "indicatorId": indicator, "value": "≥1%"},
    )
    assert locked["__typename"] == "TableLocked"
    assert locked["status"] == "APPROVED"
    no_reason = mutate(jiangsu, "openAdjustment", {"tableId": table_id, "expectedVersion": 6})
    assert no_reason["__typename"] == "InvalidInput"
    assert no_reason["field"] == "reason"
    adjusting = mutate(
        jiangsu, "openAdjustment", {"tableId": table_id, "expectedVersion": 6, "reason": "预算调整"}
    )
    assert adjusting["table"]["status"] == "ADJUSTING"

    everything = "{ inbox { totalCount edges { node { version status decidedBy } } } }"
    entries = [e["node"] for e in jiangsu.query(everything, role="auditor")["inbox"]["edges"]]
    assert [(e["version"], e["status"], e["decidedBy"]) for e in entries] == [
        (2, "RETURNED", "reviewer@320000"),
        (5, "APPROVED", "reviewer@320000"),
    ]
    rollups = jiangsu.query("{ rollups { status tables fundsTotal indicators } }")["rollups"]
    assert {(r["status"], r["tables"]) for r in rollups} == {("DRAFT", 3), ("ADJUSTING", 1)}
    assert sum(int(r["fundsTotal"]) for r in rollups) == 249 + 880 + 663 + 210


def test_a_city_node_does_not_approve_its_own_tables(nanchang: Api) -> None:
    target = first_table(nanchang, "应急")
    assert target["version"] == 1
    mutate(nanchang, "submitTable", {"tableId": target["id"], "expectedVersion": 1})
    refused = mutate(
        nanchang, "approveSubmission", {"tableId": target["id"], "version": 2}, "reviewer"
    )
    assert refused["__typename"] == "Forbidden"
    assert "360000" in refused["message"]
    assert table(nanchang, target["id"])["status"] == "SUBMITTED"


def test_refusals_are_typed_and_store_nothing(nanchang: Api) -> None:
    target = first_table(nanchang, "应急")
    table_id = target["id"]
    indicator = table(nanchang, table_id)["indicators"][0]["id"]

    def edit(mutation: str, **data: Any) -> dict[str, Any]:
        return mutate(nanchang, mutation, {"tableId": table_id, "expectedVersion": 1, **data})

    assert edit("setFundTotal", amount="65.34")["__typename"] == "TableChanged"
    stale = edit("setFundTotal", amount="1")
    assert stale["__typename"] == "VersionConflict"
    assert (stale["expectedVersion"], stale["currentVersion"]) == (1, 2)
    assert "reload version 2" in stale["message"]

    def edit2(mutation: str, **data: Any) -> dict[str, Any]:
        return mutate(nanchang, mutation, {"tableId": table_id, "expectedVersion": 2, **data})

    refusals = [
        (edit2("setFundTotal", amount="12,3x"), "InvalidInput", "amount"),
        (edit2("setFundTotal", amount="-1"), "InvalidInput", "amount"),
        (edit2("setIndicatorValue", indicatorId="nope", value="1"), "InvalidInput", "indicatorId"),
        (edit2("setIndicatorValue", indicatorId=indicator, value=" "), "InvalidInput", "value"),
        (edit2("setFundSource", source="天上掉的", amount="1"), "InvalidInput", "source"),
        (
            edit2("addIndicator", level1="无此类", level2="x", name="n", fullYear="1"),
            "InvalidInput",
            None,
        ),
        (edit2("renameIndicator", indicatorId=indicator, name="x" * 600), "InvalidInput", "name"),
        (edit2("removeExpenditure", index=5), "InvalidInput", "index"),
        (
            mutate(
                nanchang,
                "setFundTotal",
                {"tableId": "not-a-uuid", "expectedVersion": 1, "amount": "1"},
            ),
            "InvalidInput",
            "tableId",
        ),
        (
            mutate(
                nanchang,
                "setFundTotal",
                {
                    "tableId": "00000000-0000-0000-0000-000000000000",
                    "expectedVersion": 1,
                    "amount": "1",
                },
            ),
            "InvalidInput",
            "tableId",
        ),
        (
            mutate(nanchang, "approveSubmission", {"tableId": table_id, "version": 2}, "reviewer"),
            "Forbidden",
            None,
        ),
    ]
    for result, typename, field in refusals:
        assert result["__typename"] == typename, result
        assert result["message"]
        if field is not None:
            assert result["field"] == field, result
    assert edit2("setFundTotal", amount="1")["__typename"] == "TableChanged"
    blocked = mutate(nanchang, "submitTable", {"tableId": table_id, "expectedVersion": 3})
    assert blocked["__typename"] == "SubmissionBlocked"
    assert "funds.sources" in {finding["path"] for finding in blocked["findings"]}
    assert table(nanchang, table_id)["version"] == 3
    assert nanchang.services.app.table(__import__("uuid").UUID(table_id)).version == 3


def test_past_versions_and_times(nanchang: Api) -> None:
    target = first_table(nanchang, "应急")
    table_id = target["id"]
    indicator = table(nanchang, table_id)["indicators"][0]
    for version, value in [(1, "≥5次"), (2, "≥6次")]:
        mutate(
            nanchang,
            "setIndicatorValue",
            {
                "tableId": table_id,
                "expectedVersion": version,
                "indicatorId": indicator["id"],
                "value": value,
            },
        )
    now = table(nanchang, table_id)
    times = {event["version"]: event["at"] for event in now["timeline"]}
    assert table(nanchang, table_id, version=2)["indicators"][0]["fullYear"]["raw"] == "≥5次"
    assert len(table(nanchang, table_id, version=2)["timeline"]) == 2
    between = _between(times[2], times[3])
    as_of = table(nanchang, table_id, asOf=between)
    assert as_of["version"] == 2
    assert as_of["indicators"][0]["fullYear"]["raw"] == "≥5次"
    at_start = table(nanchang, table_id, asOf=times[1])
    assert at_start["indicators"][0]["fullYear"]["raw"] == indicator["fullYear"]["raw"]
    assert table(nanchang, table_id, asOf="2099-01-01T00:00:00+00:00")["version"] == 3
    for variables in (
        {"id": table_id, "version": 9},
        {"id": table_id, "asOf": "2001-01-01T00:00:00+00:00"},
        {"id": table_id, "asOf": "2026-01-01T00:00:00"},
        {"id": table_id, "asOf": "0001-01-01T00:00:00+08:00"},  # before year 1 in UTC
        {"id": "00000000-0000-0000-0000-000000000000"},
    ):
        errors = nanchang.errors(TABLE, variables)
        assert errors[0]["extensions"]["code"] == "INVALID_INPUT", errors


def _between(earlier: str, later: str) -> str:
    from datetime import datetime

    first, second = datetime.fromisoformat(earlier), datetime.fromisoformat(later)
    return (first + (second - first) / 2).isoformat()


def test_hostile_requests_are_refused_and_the_server_keeps_serving(nanchang: Api) -> None:
    token = nanchang.token("editor")
    huge = nanchang.client.post(
        "/graphql",
        content=json.dumps({"query": "{ me { id } }", "pad": "x" * 3_000_000}),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert huge.status_code == 413
    assert "limit" in huge.json()["detail"]

    deep = "{ tables { edges { node { timeline { actor { id } changes { path } } } } } }"
    assert nanchang.query(deep)["tables"]
    costly = (
        "{ tables(first: 100) { edges { node { timeline { changes { path before after } } } } } }"
    )
    assert "cost" in nanchang.errors(costly)[0]["message"]
    aliases = "{ " + " ".join(f"a{i}: me {{ id }}" for i in range(40)) + " }"
    assert nanchang.errors(aliases)
    assert nanchang.errors("{ tables(first: 1000) { totalCount } }")[0]["extensions"]["code"] == (
        "INVALID_INPUT"
    )
    assert nanchang.errors('{ tables(after: "garbage") { totalCount } }')[0]["extensions"]
    broken = nanchang.client.post(
        "/graphql",
        content=b"{not json",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert broken.status_code == 400
    assert listing(nanchang)["totalCount"] == 4


def test_depth_limit(nanchang: Api) -> None:
    """The schema has no cycles today; the limit guards the future ones, and it is enforced."""
    deep = "{ tables " + "{ edges " * 11 + "{ id }" + " }" * 11 + " }"
    messages = [error["message"] for error in nanchang.errors(deep)]
    assert any("exceeds maximum operation depth of 10" in message for message in messages)
    assert listing(nanchang)["totalCount"] == 4


def test_a_listing_costs_the_same_queries_for_2_or_4_tables(nanchang: Api) -> None:
    query = """
    query($first: Int!) { tables(first: $first) { edges { node {
      name indicators { id fullYear { raw } } project { name } timeline { version }
    } } } }
    """
    statements: list[str] = []

    def count(*args: Any) -> None:
        statement = str(args[2])
        if "projection_positions" not in statement:  # the projection runner's own polling
            statements.append(statement)

    engine = nanchang.services.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        small = len(nanchang.query(query, {"first": 2})["tables"]["edges"])
        for_two = len(statements)
        statements.clear()
        large = len(nanchang.query(query, {"first": 4})["tables"]["edges"])
        for_four = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert (small, large) == (2, 4)
    assert for_two == for_four, statements
    assert for_four <= 5, [statement[:60] for statement in statements]


def test_indicator_search_pages_across_tables(nanchang: Api) -> None:
    query = """
    query($after: String) {
      indicators(level1Code: "satisfaction", first: 2, after: $after) {
        totalCount
        edges { node { tableId tableName indicator { id level1Code fullYear { raw } } } }
        pageInfo { hasNextPage endCursor }
      }
    }
    """
    expected = {
        (str(table.id), item.id)
        for table in nanchang.services.app.tables()
        for item in table.content.indicators
        if item.level1_code == "satisfaction"
    }
    found: list[tuple[str, str]] = []
    after = None
    while True:
        page = nanchang.query(query, {"after": after}, "auditor")["indicators"]
        assert page["totalCount"] == len(expected)
        found += [(e["node"]["tableId"], e["node"]["indicator"]["id"]) for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(found) == len(set(found))
    assert set(found) == expected
    assert len(expected) >= 4
    named = nanchang.query(
        '{ indicators(search: "界标") { edges { node { indicator { name } } } } }'
    )
    assert [e["node"]["indicator"]["name"] for e in named["indicators"]["edges"]] == [
        "新建界标",
        "新建界标的规范性",
    ]


def test_diff_and_blame_are_for_auditors(nanchang: Api) -> None:
    target = first_table(nanchang, "应急")
    table_id = target["id"]
    indicator = table(nanchang, table_id)["indicators"][0]
    mutate(
        nanchang,
        "setIndicatorValue",
        {
            "tableId": table_id,
            "expectedVersion": 1,
            "indicatorId": indicator["id"],
            "value": "≥8次",
            "reason": "按实测",
        },
    )
    query = """query($id: ID!) {
      diff(tableId: $id, fromVersion: 1, toVersion: 2) { path before after }
      blame(tableId: $id) { path value version reason actor { name } }
    }"""
    data = nanchang.query(query, {"id": table_id}, "auditor")
    assert data["diff"] == [
        {
            "path": f"indicators.{indicator['id']}.full_year",
            "before": indicator["fullYear"]["raw"],
            "after": "≥8次",
        }
    ]
    blamed = {line["path"]: line for line in data["blame"]}
    line = blamed[f"indicators.{indicator['id']}.full_year"]
    assert (line["value"], line["version"], line["reason"]) == ("≥8次", 2, "按实测")
    assert line["actor"]["name"] == "editor@360100"
    assert blamed["project.name"]["version"] == 1
    errors = nanchang.errors(query, {"id": table_id}, "editor")
    assert {error["extensions"]["code"] for error in errors} == {"FORBIDDEN"}
    bad = nanchang.errors(
        "query($id: ID!) { diff(tableId: $id, fromVersion: 1, toVersion: 9) { path } }",
        {"id": table_id},
        "auditor",
    )
    assert bad[0]["extensions"]["code"] == "INVALID_INPUT"


def test_an_indicator_explanation_and_basis_are_edited_and_audited(nanchang: Api) -> None:
    table_id = first_table(nanchang, "应急")["id"]
    indicator = table(nanchang, table_id)["indicators"][0]["id"]
    data = {
        "tableId": table_id,
        "expectedVersion": 1,
        "indicatorId": indicator,
        "explanation": "年内完成应急演练的次数",
        "basis": {"kind": "PLAN", "text": "《突发环境事件应急预案》"},
        "reason": "补充指标解释",
    }
    assert mutate(nanchang, "explainIndicator", data)["__typename"] == "TableChanged"
    shown = nanchang.query(
        """query($id: ID!) { table(id: $id) {
             indicators { id explanation basis { kind label text shown } }
             document
             timeline { version type reason changes { path before after } } } }""",
        {"id": table_id},
    )["table"]
    first = next(item for item in shown["indicators"] if item["id"] == indicator)
    assert first["explanation"] == "年内完成应急演练的次数"
    assert first["basis"] == {
        "kind": "PLAN",
        "label": "计划标准",
        "text": "《突发环境事件应急预案》",
        "shown": "plan: 《突发环境事件应急预案》",
    }
    in_document = shown["document"]["indicators"][0]
    assert in_document["basis"] == {"kind": "plan", "text": "《突发环境事件应急预案》"}
    event = shown["timeline"][-1]
    assert (event["version"], event["type"], event["reason"]) == (
        2,
        "IndicatorExplained",
        "补充指标解释",
    )
    assert {change["path"] for change in event["changes"]} == {
        f"indicators.{indicator}.explanation",
        f"indicators.{indicator}.basis",
    }
    audit = nanchang.query(
        """query($id: ID!) { diff(tableId: $id, fromVersion: 1, toVersion: 2) { path after }
                            blame(tableId: $id) { path value version } }""",
        {"id": table_id},
        "auditor",
    )
    assert {change["path"]: change["after"] for change in audit["diff"]} == {
        f"indicators.{indicator}.explanation": "年内完成应急演练的次数",
        f"indicators.{indicator}.basis": "plan: 《突发环境事件应急预案》",
    }
    blamed = {line["path"]: line for line in audit["blame"]}
    assert blamed[f"indicators.{indicator}.basis"]["version"] == 2
    cleared = {**data, "expectedVersion": 2, "explanation": None, "basis": None}
    assert mutate(nanchang, "explainIndicator", cleared)["table"]["version"] == 3
    after = table(nanchang, table_id)
    assert after["version"] == 3
    unknown = {**data, "expectedVersion": 3, "indicatorId": "nope"}
    refused = mutate(nanchang, "explainIndicator", unknown)
    assert (refused["__typename"], refused["field"]) == ("InvalidInput", "indicatorId")


def test_a_body_that_is_not_a_json_object_is_a_400_that_says_so(nanchang: Api) -> None:
    headers = {
        "Authorization": f"Bearer {nanchang.token('editor')}",
        "Content-Type": "application/json",
    }
    nested = "[" * 5000 + "]" * 5000
    answers = {
        body: nanchang.client.post("/graphql", content=body, headers=headers)
        for body in ('"hello"', "null", "42", nested, '{"query": ' + nested + "}", "{")
    }
    assert {body: response.status_code for body, response in answers.items()} == dict.fromkeys(
        answers, 400
    )
    assert "must be a JSON object" in answers['"hello"'].text
    assert "must be a JSON object" in answers["null"].text
    assert "Unable to parse request body as JSON" in answers[nested].text  # deeper than 1,024
    assert nanchang.query("{ me { name } }")["me"]["name"]  # and the node keeps serving


def test_cursors_that_are_not_ours_are_invalid_input_not_server_errors(nanchang: Api) -> None:
    import base64

    def cursor(text: str) -> str:
        return base64.urlsafe_b64encode(text.encode()).decode()

    indicators = "query($after: String) { indicators(first: 5, after: $after) { totalCount } }"
    for hostile in (
        cursor("table:" + "9" * 40),  # beyond any integer the database holds
        cursor("table:²"),  # a digit to str.isdigit, not to int()
        cursor("table:-1"),
        "%%%not-base64",
    ):
        errors = nanchang.errors(LISTING, {"first": 3, "after": hostile})
        assert errors[0]["extensions"] == {"code": "INVALID_INPUT", "field": "after"}, errors
    for hostile in (cursor("indicator:x:" + "9" * 40), cursor("indicator:x:³")):
        errors = nanchang.errors(indicators, {"after": hostile})
        assert errors[0]["extensions"]["code"] == "INVALID_INPUT", errors
