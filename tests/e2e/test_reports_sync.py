"""Monitoring rounds and self-evaluations between levels: a city's reports go up to its
province and the decisions come down, through real node processes and the real broker."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from consumers.broker import Broker
from tests.conftest import NANCHANG
from tests.e2e.servers import free_port
from tests.e2e.sync_nodes import APPROVE, SUBMIT, Node, eventually

DECISION = (
    "decision { action version reason score actor { name } lineComments { indicatorId comment } }"
)
MONITORING = (
    "query($id: ID!, $month: Int!) { monitoring(tableId: $id, throughMonth: $month) {"
    " version status received executionRate executionLight"
    " lines { indicatorId light comment actualToDate { raw } } " + DECISION + " } }"
)
SELF_EVALUATION = (
    "query($id: ID!) { selfEvaluation(tableId: $id) {"
    " version status received executionScore totalScore grade recheckScore"
    " lines { indicatorId weight score comment } " + DECISION + " } }"
)
RESULT = """ __typename ... on Forbidden { message } ... on InvalidInput { message field }
  ... on VersionConflict { message } ... on TransitionRefused { message }
  ... on TableLocked { message } """
SET_MONITORING = (
    "mutation($i: SetMonitoringInput!) { setMonitoring(input: $i) {"
    + RESULT
    + "... on MonitoringChanged { monitoring { version status } } } }"
)
SUBMIT_MONITORING = (
    "mutation($i: SubmitMonitoringInput!) { submitMonitoring(input: $i) {"
    + RESULT
    + "... on MonitoringChanged { monitoring { version status } } } }"
)
REVIEW_MONITORING = (
    "mutation($i: ReviewMonitoringInput!) { reviewMonitoring(input: $i) {"
    + RESULT
    + "... on MonitoringChanged { monitoring { version status received } } } }"
)
SET_EVALUATION = (
    "mutation($i: SetSelfEvaluationInput!) { setSelfEvaluation(input: $i) {"
    + RESULT
    + "... on SelfEvaluationChanged { selfEvaluation { version status totalScore } } } }"
)
SUBMIT_EVALUATION = (
    "mutation($i: SubmitSelfEvaluationInput!) { submitSelfEvaluation(input: $i) {"
    + RESULT
    + "... on SelfEvaluationChanged { selfEvaluation { version status } } } }"
)
REVIEW_EVALUATION = (
    "mutation($i: ReviewSelfEvaluationInput!) { reviewSelfEvaluation(input: $i) {"
    + RESULT
    + "... on SelfEvaluationChanged { selfEvaluation { version status recheckScore } } } }"
)


@pytest.fixture
def broker() -> Iterator[Broker]:
    with Broker(free_port()) as running:
        yield running


def ask(node: Node, role: str, query: str, variables: dict[str, Any], name: str) -> Any:
    """One mutation that must succeed (its result is not a refusal)."""
    result = node.ask(role, query, {"i": variables})[name]
    assert result["__typename"] in ("MonitoringChanged", "SelfEvaluationChanged"), result
    return result


def monitoring(node: Node, role: str, table_id: str, month: int) -> Any:
    return node.ask(role, MONITORING, {"id": table_id, "month": month})["monitoring"]


def self_evaluation(node: Node, role: str, table_id: str) -> Any:
    return node.ask(role, SELF_EVALUATION, {"id": table_id})["selfEvaluation"]


def has(found: Any, **wanted: Any) -> Any:
    """``found`` when it holds every ``wanted`` field value (for polling); else None."""
    if found is None or any(found.get(key) != value for key, value in wanted.items()):
        return None
    return found


def test_monitoring_and_self_evaluation_go_up_and_their_decisions_come_down(
    broker: Broker, started: list[Node], tmp_path: Path
) -> None:
    city = Node("360100", tmp_path / "var", broker.bootstrap)
    table_id = city.seed(NANCHANG)[0]  # 机动车污染防治项目: 78.00 万元, ten targets
    province = Node("360000", tmp_path / "var", broker.bootstrap)
    started += [city.start(), province.start()]

    # The table is approved at the province first: reports are made on approved tables.
    city.ask("editor", SUBMIT, {"i": {"tableId": table_id, "expectedVersion": 1}})
    eventually(lambda: any(e["tableId"] == table_id for e in province.inbox()))
    province.ask("reviewer", APPROVE, {"i": {"tableId": table_id, "version": 2}})
    eventually(lambda: city.table(table_id)["status"] == "APPROVED")
    targets = city.table(table_id)["indicators"]
    ids = [item["id"] for item in targets]

    # 双监控 to June: half the budget spent, every target on course, one of them doubtful.
    lines = [
        {
            "indicatorId": item["id"],
            "actualToDate": item["fullYear"]["raw"],
            "yearEndForecast": item["fullYear"]["raw"],
        }
        for item in targets
    ]
    lines[2] |= {"likelihood": "POSSIBLE", "causes": ["FUNDING"], "measures": "加快支付进度"}
    form = {
        "tableId": table_id,
        "throughMonth": 6,
        "expectedVersion": 0,
        "budgetExecuted": "39",
        "lines": lines,
    }
    ask(city, "editor", SET_MONITORING, form, "setMonitoring")
    key = {"tableId": table_id, "throughMonth": 6}
    sent = ask(city, "editor", SUBMIT_MONITORING, {**key, "version": 2}, "submitMonitoring")
    assert sent["monitoring"] == {"version": 3, "status": "SUBMITTED"}

    above, up = eventually(lambda: monitoring(province, "reviewer", table_id, 6))
    mine = monitoring(city, "editor", table_id, 6)
    assert (above["received"], above["version"], above["status"]) == (True, 3, "SUBMITTED")
    # (39 ÷ 78) ÷ (6 ÷ 12) × 100 = 100.00: green, on both sides, by the city's rules.
    assert (above["executionRate"], above["executionLight"]) == ("100.00", "GREEN")
    assert above["lines"] == mine["lines"]
    assert [item["light"] for item in above["lines"]][1:4] == ["GREEN", "YELLOW", "GREEN"]

    # 退回 with a comment on one line: it comes down with the decision.
    comment = [{"indicatorId": ids[2], "comment": "请说明资金到位时间"}]
    returned = ask(
        province,
        "reviewer",
        REVIEW_MONITORING,
        {**key, "version": 3, "action": "RETURN", "reason": "请补充", "lineComments": comment},
        "reviewMonitoring",
    )
    assert returned["monitoring"] == {"version": 3, "status": "RETURNED", "received": True}
    back, down = eventually(lambda: has(monitoring(city, "editor", table_id, 6), status="RETURNED"))
    assert back["version"] == 4
    assert back["decision"] == {
        "action": "return",
        "version": 3,
        "reason": "请补充",
        "score": None,
        "actor": {"name": "reviewer@360000"},
        "lineComments": comment,
    }
    assert back["lines"][2]["comment"] == "请说明资金到位时间"

    # Filled in again and resubmitted; the province approves; the approval comes down.
    lines[2]["causeNote"] = "省级资金6月下达"
    again = {**form, "expectedVersion": 4, "lines": lines}
    ask(city, "editor", SET_MONITORING, again, "setMonitoring")
    ask(city, "editor", SUBMIT_MONITORING, {**key, "version": 5}, "submitMonitoring")
    eventually(lambda: has(monitoring(province, "reviewer", table_id, 6), version=6))
    approve = {**key, "version": 6, "action": "APPROVE", "reason": "按序时推进"}
    ask(province, "reviewer", REVIEW_MONITORING, approve, "reviewMonitoring")
    done, _ = eventually(lambda: has(monitoring(city, "editor", table_id, 6), status="APPROVED"))
    assert (done["version"], done["decision"]["action"], done["decision"]["reason"]) == (
        7,
        "approve",
        "按序时推进",
    )
    assert done["decision"]["actor"] == {"name": "reviewer@360000"}
    assert has(monitoring(province, "reviewer", table_id, 6), status="APPROVED")

    # 自评 with the default weights, every target met: 9.00 for spending 70.2 of 78 (90 %)
    # and 90.00 for the targets: 99.00. The province sets its 复核 score, with its reason.
    evaluation = {
        "tableId": table_id,
        "expectedVersion": 0,
        "budgetFullYear": "78",
        "budgetExecuted": "70.2",
        "lines": [
            {"indicatorId": item["id"], "actual": item["fullYear"]["raw"]} for item in targets
        ],
        "conclusion": "年度目标全部完成",
    }
    saved = ask(city, "editor", SET_EVALUATION, evaluation, "setSelfEvaluation")
    assert saved["selfEvaluation"]["totalScore"] == "99.00"
    submit = {"tableId": table_id, "version": 2}
    ask(city, "editor", SUBMIT_EVALUATION, submit, "submitSelfEvaluation")
    above, _ = eventually(lambda: self_evaluation(province, "reviewer", table_id))
    assert (above["received"], above["status"], above["totalScore"]) == (True, "SUBMITTED", "99.00")
    assert above["lines"] == self_evaluation(city, "editor", table_id)["lines"]

    recheck = {
        "tableId": table_id,
        "version": 3,
        "action": "RECHECK",
        "score": "88.5",
        "reason": "满意度调查样本不足，复核扣分",
    }
    decided = ask(province, "reviewer", REVIEW_EVALUATION, recheck, "reviewSelfEvaluation")
    assert decided["selfEvaluation"] == {
        "version": 3,
        "status": "APPROVED",
        "recheckScore": "88.50",
    }
    own, _ = eventually(lambda: has(self_evaluation(city, "editor", table_id), status="APPROVED"))
    assert (own["version"], own["totalScore"], own["grade"], own["recheckScore"]) == (
        4,
        "99.00",
        "优",
        "88.50",
    )
    assert own["decision"] == {
        "action": "recheck",
        "version": 3,
        "reason": "满意度调查样本不足，复核扣分",
        "score": "88.50",
        "actor": {"name": "reviewer@360000"},
        "lineComments": [],
    }
    at_province = self_evaluation(province, "reviewer", table_id)
    assert (at_province["totalScore"], at_province["recheckScore"]) == ("99.00", "88.50")
    print(f"round → province {up * 1000:.0f} ms; return → city {down * 1000:.0f} ms")


def test_a_city_does_not_decide_its_own_reports_and_the_province_refuses_stale_versions(
    broker: Broker, started: list[Node], tmp_path: Path
) -> None:
    city = Node("360100", tmp_path / "var", broker.bootstrap)
    table_id = city.seed(NANCHANG)[0]
    province = Node("360000", tmp_path / "var", broker.bootstrap)
    started += [city.start(), province.start()]
    city.ask("editor", SUBMIT, {"i": {"tableId": table_id, "expectedVersion": 1}})
    eventually(lambda: any(e["tableId"] == table_id for e in province.inbox()))
    province.ask("reviewer", APPROVE, {"i": {"tableId": table_id, "version": 2}})
    eventually(lambda: city.table(table_id)["status"] == "APPROVED")
    targets = city.table(table_id)["indicators"]
    lines = [
        {
            "indicatorId": item["id"],
            "actualToDate": item["fullYear"]["raw"],
            "yearEndForecast": item["fullYear"]["raw"],
        }
        for item in targets
    ]
    form = {
        "tableId": table_id,
        "throughMonth": 3,
        "expectedVersion": 0,
        "budgetExecuted": "5",
        "lines": lines,
    }
    ask(city, "editor", SET_MONITORING, form, "setMonitoring")
    key = {"tableId": table_id, "throughMonth": 3}
    ask(city, "editor", SUBMIT_MONITORING, {**key, "version": 2}, "submitMonitoring")
    review = {**key, "version": 3, "action": "APPROVE"}
    own = city.ask("reviewer", REVIEW_MONITORING, {"i": review})["reviewMonitoring"]
    assert own["__typename"] == "Forbidden"  # a city's reports are reviewed at the province
    assert "360000" in own["message"]

    above, _ = eventually(lambda: monitoring(province, "reviewer", table_id, 3))
    # 5 of 78 by the end of March: (5 ÷ 78) ÷ (3 ÷ 12) × 100 = 25.64: red.
    assert (above["executionRate"], above["executionLight"]) == ("25.64", "RED")
    stale = province.ask("reviewer", REVIEW_MONITORING, {"i": {**review, "version": 2}})
    assert stale["reviewMonitoring"]["__typename"] == "VersionConflict"
    editor = province.ask("editor", REVIEW_MONITORING, {"i": review})["reviewMonitoring"]
    assert editor["__typename"] == "Forbidden"
    assert monitoring(city, "editor", table_id, 3)["status"] == "SUBMITTED"
