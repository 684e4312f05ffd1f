"""An editor reads what it wrote, and two editors racing on one table both get a true answer."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from tests.e2e.graphql_client import Api
from tests.e2e.test_graphql import first_table, listing, mutate, table

TIMELINE = "query($id: ID!) { timeline(tableId: $id) { version } }"


def set_value(api: Api, table_id: str, version: int, indicator: str, raw: str) -> dict[str, Any]:
    change = {"indicatorId": indicator, "value": raw}
    return mutate(
        api, "setIndicatorValue", {"tableId": table_id, "expectedVersion": version, **change}
    )


def test_every_read_after_an_edit_shows_the_version_the_edit_answered(nanchang: Api) -> None:
    target = first_table(nanchang, "应急")
    table_id, version = target["id"], target["version"]
    indicator = table(nanchang, table_id)["indicators"][0]["id"]
    for number in range(1, 6):
        answer = set_value(nanchang, table_id, version, indicator, f"≥{number}次")
        assert answer["__typename"] == "TableChanged", answer
        version = answer["table"]["version"]
        current = table(nanchang, table_id)
        assert current["version"] == version
        assert current["indicators"][0]["fullYear"]["raw"] == f"≥{number}次"
        listed = {edge["node"]["id"]: edge["node"] for edge in listing(nanchang)["edges"]}
        assert listed[table_id]["version"] == version
        timeline = nanchang.query(TIMELINE, {"id": table_id})["timeline"]
        assert timeline[-1]["version"] == version


def test_two_editors_on_one_version_one_wins_and_the_other_rereads_and_wins_next(
    nanchang: Api,
) -> None:
    target = first_table(nanchang, "应急")
    table_id, version = target["id"], target["version"]
    indicator = table(nanchang, table_id)["indicators"][0]["id"]
    with ThreadPoolExecutor(2) as pool:
        answers = list(
            pool.map(
                lambda raw: set_value(nanchang, table_id, version, indicator, raw), ["≥7次", "≥8次"]
            )
        )
    kinds = sorted(answer["__typename"] for answer in answers)
    assert kinds == ["TableChanged", "VersionConflict"], answers
    won = next(answer for answer in answers if answer["__typename"] == "TableChanged")
    lost = next(answer for answer in answers if answer["__typename"] == "VersionConflict")
    assert lost["currentVersion"] == won["table"]["version"] == version + 1
    reread = table(nanchang, table_id)["version"]
    assert reread == version + 1
    retried = set_value(nanchang, table_id, reread, indicator, "≥9次")
    assert retried["__typename"] == "TableChanged"
    assert table(nanchang, table_id)["version"] == version + 2
