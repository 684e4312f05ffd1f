"""Monitoring rounds (双监控) and self-evaluations (自评) over the GraphQL API, on a root node.

The province (360000) reviews its own tables, so one node holds the whole cycle: its editor
imports a seed table, submits it, its reviewer approves it, and the reports follow.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from domain.model import Actor, Role
from tests.conftest import NANCHANG, ServicesFactory, seed_documents
from tests.e2e.graphql_client import Api, serving

REFUSALS = """
  ... on VersionConflict { message expectedVersion currentVersion }
  ... on TableLocked { message status }
  ... on TransitionRefused { message status }
  ... on Forbidden { message }
  ... on InvalidInput { message field }
"""
MONITORING_FIELDS = """
  version status throughMonth tableVersion received
  budget budgetExecuted budgetForecast goalProgress executionRate executionLight watched missing
  lines {
    indicatorId name target { raw } light actualToDate { raw } yearEndForecast { raw }
    likelihood causes causeNote measures comment
  }
  decision { action version reason score actor { name } lineComments { indicatorId comment } }
"""
EVALUATION_FIELDS = """
  version status budget budgetFullYear budgetExecuted executionRate executionScore
  totalScore grade recheckScore conclusion problems measures goalResult missing
  lines {
    indicatorId name target { raw } weight actual { raw } score band explanationRequired
    explanation comment
  }
  decision { action version reason score actor { name } lineComments { indicatorId comment } }
"""
MONITORING = (
    "query($id: ID!, $month: Int!) { monitoring(tableId: $id, throughMonth: $month) {"
    + MONITORING_FIELDS
    + "} }"
)
SELF_EVALUATION = "query($id: ID!) { selfEvaluation(tableId: $id) {" + EVALUATION_FIELDS + "} }"
TABLE = (
    "query($id: ID!) { table(id: $id) { version status indicators { id name fullYear { raw } } } }"
)
EDIT = """mutation($input: {kind}!) {{ {name}(input: $input) {{ __typename
  ... on TableChanged {{ table {{ version status }} }}
  ... on SubmissionBlocked {{ message findings {{ code path }} }}
  ... on Forbidden {{ message }} ... on InvalidInput {{ message field }} }} }}"""


def monitoring_mutation(api: Api, name: str, data: dict[str, Any], role: str = "editor") -> Any:
    kind = name[0].upper() + name[1:] + "Input"
    query = (
        f"mutation($input: {kind}!) {{ {name}(input: $input) {{ __typename"
        f" ... on MonitoringChanged {{ monitoring {{ {MONITORING_FIELDS} }} }} {REFUSALS} }} }}"
    )
    return api.query(query, {"input": data}, role)[name]


def evaluation_mutation(api: Api, name: str, data: dict[str, Any], role: str = "editor") -> Any:
    kind = name[0].upper() + name[1:] + "Input"
    query = (
        f"mutation($input: {kind}!) {{ {name}(input: $input) {{ __typename"
        f" ... on SelfEvaluationChanged {{ selfEvaluation {{ {EVALUATION_FIELDS} }} }}"
        f" {REFUSALS} }} }}"
    )
    return api.query(query, {"input": data}, role)[name]


def edit(api: Api, name: str, data: dict[str, Any], role: str = "editor") -> Any:
    kind = name[0].upper() + name[1:] + "Input"
    result = api.query(EDIT.format(kind=kind, name=name), {"input": data}, role)[name]
    assert result["__typename"] == "TableChanged", result
    return result["table"]


@dataclass
class Approved:
    api: Api
    table_id: str
    ids: list[str]  # the indicators, in the table's order
    by_name: dict[str, str]
    draft_id: str  # another table, never submitted


@pytest.fixture
def approved(services_factory: ServicesFactory) -> Iterator[Approved]:
    """机动车污染防治项目 (78.00 万元, ten targets, and one qualitative target the editor adds)
    submitted by the province's editor and approved by its reviewer."""
    services = services_factory("360000")
    importer = Actor("id:editor@360000", "editor@360000", Role.EDITOR, "360000")
    services.app.import_documents(seed_documents(NANCHANG, "360000"), importer, "seed")
    with serving(services) as api:
        listing = "{ tables(first: 10) { edges { node { id name } } } }"
        nodes = [edge["node"] for edge in api.query(listing)["tables"]["edges"]]
        table_id = next(node["id"] for node in nodes if "机动车污染防治" in node["name"])
        draft_id = next(node["id"] for node in nodes if node["id"] != table_id)
        added = {"level1": "效益指标", "level2": "社会效益指标", "name": "公众环保意识"}
        edit(
            api,
            "addIndicator",
            {"tableId": table_id, "expectedVersion": 1, **added, "fullYear": "提升"},
        )
        assert edit(api, "submitTable", {"tableId": table_id, "expectedVersion": 2})["status"] == (
            "SUBMITTED"
        )
        decided = edit(api, "approveSubmission", {"tableId": table_id, "version": 3}, "reviewer")
        assert (decided["status"], decided["version"]) == ("APPROVED", 4)
        indicators = api.query(TABLE, {"id": table_id})["table"]["indicators"]
        by_name = {item["name"]: item["id"] for item in indicators}
        yield Approved(api, table_id, [item["id"] for item in indicators], by_name, draft_id)


def line(indicator: str, **fields: Any) -> dict[str, Any]:
    return {"indicatorId": indicator, **fields}


def test_a_monitoring_round_is_filled_in_and_read_with_its_lights(approved: Approved) -> None:
    api, table_id = approved.api, approved.table_id
    name = approved.by_name
    platform = name["移动源污染防治相关平台升级及打包运维服务项目费用"]  # ≤60万
    upgrade = name["移动源污染防治相关平台升级及打包运维服务项目"]  # =1次
    upload = name["移动源污染防治相关平台数据上传率"]  # ≥97%
    pm25 = name["环境空气质量PM2.5"]  # ≤35微克/立方米
    assert api.query(MONITORING, {"id": table_id, "month": 6})["monitoring"] is None

    form = {
        "tableId": table_id,
        "throughMonth": 6,
        "expectedVersion": 0,
        "budgetExecuted": "29.25",
        "budgetForecast": "70",
        "goalProgress": "平台运维按计划推进",
        "lines": [
            line(platform, actualToDate="30万", yearEndForecast="58万", likelihood="CERTAIN"),
            line(
                upgrade,
                actualToDate="0次",
                yearEndForecast="1次",
                likelihood="POSSIBLE",
                causes=["FUNDING", "OTHER"],
                causeNote="资金下达晚",
                measures="加快支付进度",
            ),
            line(upload, actualToDate="90%", yearEndForecast="95%", likelihood="CERTAIN"),
            line(
                pm25,
                actualToDate="41微克/立方米",
                yearEndForecast="38微克/立方米",
                likelihood="IMPOSSIBLE",
                causes=["HARDWARE"],
                measures="更换监测设备",
            ),
        ],
    }
    saved = monitoring_mutation(api, "setMonitoring", form)
    assert saved["__typename"] == "MonitoringChanged", saved
    assert (saved["monitoring"]["version"], saved["monitoring"]["status"]) == (2, "DRAFT")

    shown = api.query(MONITORING, {"id": table_id, "month": 6})["monitoring"]
    assert (shown["version"], shown["status"], shown["throughMonth"]) == (2, "DRAFT", 6)
    assert (shown["tableVersion"], shown["received"]) == (4, False)
    assert (shown["budget"], shown["budgetExecuted"], shown["budgetForecast"]) == (
        "78.00",
        "29.25",
        "70",
    )
    assert shown["goalProgress"] == "平台运维按计划推进"
    # 29.25 of 78.00 spent by the end of June: (29.25 ÷ 78) ÷ (6 ÷ 12) × 100 = 75.00, which is
    # below 80 and not below 60: yellow. 78 万元 is below the 200 万元 of 重点监控.
    assert (shown["executionRate"], shown["executionLight"], shown["watched"]) == (
        "75.00",
        "YELLOW",
        False,
    )
    lights = {item["indicatorId"]: item["light"] for item in shown["lines"]}
    assert lights[platform] == "GREEN"  # 58万 forecast meets ≤60万, certain
    assert lights[upgrade] == "YELLOW"  # possible
    assert lights[upload] == "RED"  # the 95% forecast misses ≥97%
    assert lights[pm25] == "RED"  # impossible
    assert [item["indicatorId"] for item in shown["lines"]] == approved.ids
    assert {lights[item] for item in approved.ids} - {"GREEN", "YELLOW", "RED"} == {None}
    doubtful = next(item for item in shown["lines"] if item["indicatorId"] == upgrade)
    assert doubtful == {
        "indicatorId": upgrade,
        "name": "移动源污染防治相关平台升级及打包运维服务项目",
        "target": {"raw": "=1次"},
        "light": "YELLOW",
        "actualToDate": {"raw": "0次"},
        "yearEndForecast": {"raw": "1次"},
        "likelihood": "POSSIBLE",
        "causes": ["FUNDING", "OTHER"],
        "causeNote": "资金下达晚",
        "measures": "加快支付进度",
        "comment": None,
    }
    assert len(shown["missing"]) == len(approved.ids) - 4  # lines not given yet
    assert shown["decision"] is None
    assert api.query(MONITORING, {"id": table_id, "month": 7})["monitoring"] is None
    # 重点监控 needs 200 万元 by the default rule: a yellow 78 万元 round is not on the list
    assert api.query("{ watchedRounds(throughMonth: 6) { tableId } }")["watchedRounds"] == []


def test_monitoring_refusals_are_typed_and_store_nothing(approved: Approved) -> None:
    api, table_id, first = approved.api, approved.table_id, approved.ids[0]
    form = {"tableId": table_id, "throughMonth": 6, "expectedVersion": 0, "budgetExecuted": "10"}
    assert monitoring_mutation(api, "setMonitoring", form)["__typename"] == "MonitoringChanged"

    stale = monitoring_mutation(api, "setMonitoring", {**form, "budgetExecuted": "11"})
    assert stale["__typename"] == "VersionConflict"
    assert (stale["expectedVersion"], stale["currentVersion"]) == (0, 2)

    current = {**form, "expectedVersion": 2}
    doubtful = line(first, yearEndForecast="50万", likelihood="POSSIBLE", measures="加快")
    refusals: list[tuple[dict[str, Any], str, str | None]] = [
        (  # POSSIBLE needs its causes (and measures): the field names the line as sent
            monitoring_mutation(
                api, "setMonitoring", {**current, "lines": [line(approved.ids[1]), doubtful]}
            ),
            "InvalidInput",
            "lines[1].causes",
        ),
        (
            monitoring_mutation(
                api, "setMonitoring", {**current, "lines": [line(first, actualToDate=" ")]}
            ),
            "InvalidInput",
            "lines[0].actualToDate",
        ),
        (
            monitoring_mutation(
                api, "setMonitoring", {**current, "lines": [line(first, actualToDate="5亿")]}
            ),
            "InvalidInput",
            "lines[0].actualToDate",  # 亿 is not the target's 万元
        ),
        (
            monitoring_mutation(api, "setMonitoring", {**current, "lines": [line("nope")]}),
            "InvalidInput",
            "lines[0].indicatorId",
        ),
        (
            monitoring_mutation(api, "setMonitoring", {**current, "budgetExecuted": "-1"}),
            "InvalidInput",
            "budgetExecuted",
        ),
        (
            monitoring_mutation(api, "setMonitoring", {**current, "throughMonth": 13}),
            "InvalidInput",
            "throughMonth",
        ),
        (  # reviewers and auditors do not fill in forms
            monitoring_mutation(api, "setMonitoring", current, "reviewer"),
            "Forbidden",
            None,
        ),
        (monitoring_mutation(api, "setMonitoring", current, "auditor"), "Forbidden", None),
        (  # the other table is a draft: nothing to report against yet
            monitoring_mutation(api, "setMonitoring", {**form, "tableId": approved.draft_id}),
            "TableLocked",
            None,
        ),
        (  # a round with gaps is not submitted
            monitoring_mutation(
                api, "submitMonitoring", {"tableId": table_id, "throughMonth": 6, "version": 2}
            ),
            "InvalidInput",
            "lines",
        ),
        (  # no round to month 5
            monitoring_mutation(
                api, "submitMonitoring", {"tableId": table_id, "throughMonth": 5, "version": 2}
            ),
            "InvalidInput",
            "tableId",
        ),
        (  # a draft is not reviewed
            monitoring_mutation(
                api,
                "reviewMonitoring",
                {"tableId": table_id, "throughMonth": 6, "version": 2, "action": "APPROVE"},
                "reviewer",
            ),
            "TransitionRefused",
            None,
        ),
    ]
    for result, typename, field in refusals:
        assert result["__typename"] == typename, result
        assert result["message"]
        if field is not None:
            assert result["field"] == field, result
    draft_status = next(r for r, t, _ in refusals if t == "TableLocked")["status"]
    assert draft_status == "DRAFT"
    shown = api.query(MONITORING, {"id": table_id, "month": 6})["monitoring"]
    assert (shown["version"], shown["budgetExecuted"]) == (2, "10")
    assert api.query(MONITORING, {"id": approved.draft_id, "month": 6})["monitoring"] is None
    errors = api.errors(MONITORING, {"id": table_id, "month": 0})
    assert errors[0]["extensions"] == {"code": "INVALID_INPUT", "field": "throughMonth"}


def test_a_root_nodes_reviewer_returns_its_own_round_with_a_line_comment(
    approved: Approved,
) -> None:
    api, table_id, ids = approved.api, approved.table_id, approved.ids
    targets = api.query(TABLE, {"id": table_id})["table"]["indicators"]
    complete = [
        line(
            item["id"],
            actualToDate=item["fullYear"]["raw"],
            yearEndForecast=item["fullYear"]["raw"],
        )
        for item in targets
    ]
    form = {
        "tableId": table_id,
        "throughMonth": 12,
        "expectedVersion": 0,
        "budgetExecuted": "78",
        "lines": complete,
    }
    saved = monitoring_mutation(api, "setMonitoring", form)["monitoring"]
    assert (saved["executionRate"], saved["executionLight"], saved["missing"]) == (
        "100.00",
        "GREEN",
        [],
    )
    assert {item["light"] for item in saved["lines"]} == {"GREEN"}
    key = {"tableId": table_id, "throughMonth": 12}
    submitted = monitoring_mutation(
        api, "submitMonitoring", {**key, "version": 2, "reason": "报送"}
    )
    assert submitted["monitoring"]["status"] == "SUBMITTED"
    locked = monitoring_mutation(api, "setMonitoring", {**form, "expectedVersion": 3})
    assert (locked["__typename"], locked["status"]) == ("TableLocked", "SUBMITTED")
    review = {**key, "version": 3, "action": "RETURN", "reason": "请核实"}
    assert monitoring_mutation(api, "reviewMonitoring", review)["__typename"] == "Forbidden"
    no_reason = monitoring_mutation(api, "reviewMonitoring", {**review, "reason": None}, "reviewer")
    assert (no_reason["__typename"], no_reason["field"]) == ("InvalidInput", "reason")
    unknown = [{"indicatorId": ids[0], "comment": "a"}, {"indicatorId": "nope", "comment": "b"}]
    wrong = monitoring_mutation(
        api, "reviewMonitoring", {**review, "lineComments": unknown}, "reviewer"
    )
    assert (wrong["__typename"], wrong["field"]) == ("InvalidInput", "lineComments[1].indicatorId")

    comments = [{"indicatorId": ids[2], "comment": "上传率数据来源请说明"}]
    returned = monitoring_mutation(
        api, "reviewMonitoring", {**review, "lineComments": comments}, "reviewer"
    )
    assert returned["__typename"] == "MonitoringChanged", returned
    shown = api.query(MONITORING, {"id": table_id, "month": 12})["monitoring"]
    assert (shown["status"], shown["version"]) == ("RETURNED", 4)
    assert shown["decision"] == {
        "action": "return",
        "version": 3,
        "reason": "请核实",
        "score": None,
        "actor": {"name": "reviewer@360000"},
        "lineComments": comments,
    }
    assert [item["comment"] for item in shown["lines"]][2] == "上传率数据来源请说明"

    again = monitoring_mutation(
        api, "setMonitoring", {**form, "expectedVersion": 4, "budgetExecuted": "77"}
    )
    assert again["monitoring"]["version"] == 5
    monitoring_mutation(api, "submitMonitoring", {**key, "version": 5})
    approve = {**key, "version": 6, "action": "APPROVE", "reason": "同意"}
    approved_round = monitoring_mutation(api, "reviewMonitoring", approve, "reviewer")
    assert approved_round["monitoring"]["status"] == "APPROVED"
    assert approved_round["monitoring"]["decision"]["action"] == "approve"
    rounds = "query($id: ID!) { monitoringRounds(tableId: $id) { throughMonth status } }"
    assert api.query(rounds, {"id": table_id})["monitoringRounds"] == [
        {"throughMonth": 12, "status": "APPROVED"}
    ]


def evaluation_lines(approved: Approved, weight: str = "8") -> list[dict[str, Any]]:
    """Ten numeric and date targets at a weight of 8 and the added qualitative one at 10: 90.

    What each scores (a numeric line its weight when met; a ceiling missed by less than
    itself the weight less the share it is over; a floor missed its share; a date missed 0):

        ≤60万           54万            met                           8.00
        ≤18万           27万            (1 − (27 − 18) ÷ 18) × 8       4.00  explain
        =1次            1次             met                           8.00
        =1项            1项             met                           8.00
        ≥97%            87.3%           87.3 ÷ 97 = 0.9 × 8            7.20  explain
        =100%           100%            met                           8.00
        2026年12月30日   2026年12月20日   on time                       8.00
        2026年11月30日   2026年12月15日   late                          0.00  explain
        ≤35微克/立方米   30微克/立方米    met                           8.00
        ≥95%            96%             met                           8.00
        提升 (weight 10) PARTLY 7.5      in [6, 8)                     7.50  explain
                                                                     ------
                                                                      74.70
    """
    actuals = [
        "54万",
        "27万",
        "1次",
        "1项",
        "87.3%",
        "100%",
        "2026年12月20日",
        "2026年12月15日",
        "30微克/立方米",
        "96%",
    ]
    qualitative = approved.by_name["公众环保意识"]
    numeric = [item for item in approved.ids if item != qualitative]
    lines = [
        line(indicator, actual=actual, weight=weight, explanation=None)
        for indicator, actual in zip(numeric, actuals, strict=True)
    ]
    for at in (1, 4, 7):
        lines[at]["explanation"] = "偏差原因：支付进度滞后；改进措施：加快采购"
    lines.append(
        line(
            qualitative,
            weight="10",
            band="PARTLY",
            score="7.5",
            explanation="宣传覆盖面不足；改进措施：增加社区宣传",
        )
    )
    return lines


def test_a_self_evaluation_is_scored_submitted_and_rechecked(approved: Approved) -> None:
    api, table_id = approved.api, approved.table_id
    assert api.query(SELF_EVALUATION, {"id": table_id})["selfEvaluation"] is None
    lines = evaluation_lines(approved)
    form = {
        "tableId": table_id,
        "expectedVersion": 0,
        "budgetFullYear": "78",
        "budgetExecuted": "70.2",
        "lines": lines,
        "conclusion": "基本完成年度目标",
        "problems": "部分采购滞后",
        "measures": "提前启动采购",
        "goalResult": "平台升级完成",
    }
    uneven = {**form, "lines": evaluation_lines(approved, weight="9")}  # 9 × 10 + 10 = 100
    refused = evaluation_mutation(api, "setSelfEvaluation", uneven)
    assert (refused["__typename"], refused["field"]) == ("InvalidInput", "lines.weight")
    assert "90" in refused["message"]
    bad_score = [*lines[:-1], {**lines[-1], "score": "8.5"}]  # not in [6, 8)
    refused = evaluation_mutation(api, "setSelfEvaluation", {**form, "lines": bad_score})
    assert (refused["__typename"], refused["field"]) == ("InvalidInput", "lines[10].score")
    not_a_number = [*lines[:-1], {**lines[-1], "weight": "十"}]
    refused = evaluation_mutation(api, "setSelfEvaluation", {**form, "lines": not_a_number})
    assert (refused["__typename"], refused["field"]) == ("InvalidInput", "lines[10].weight")
    forbidden = evaluation_mutation(api, "setSelfEvaluation", form, "reviewer")
    assert forbidden["__typename"] == "Forbidden"

    saved = evaluation_mutation(api, "setSelfEvaluation", form)
    assert saved["__typename"] == "SelfEvaluationChanged", saved
    shown = api.query(SELF_EVALUATION, {"id": table_id})["selfEvaluation"]
    # 70.2 of 78 spent: 90.00 %, so the execution scores min(0.9, 1) × 10 = 9.00;
    # 9.00 + 74.70 (the lines, see evaluation_lines) = 83.70: 良 (from 80 up to 90).
    assert (shown["version"], shown["status"]) == (2, "DRAFT")
    assert (shown["budget"], shown["budgetFullYear"], shown["budgetExecuted"]) == (
        "78.00",
        "78",
        "70.2",
    )
    assert (shown["executionRate"], shown["executionScore"]) == ("90.00", "9.00")
    assert (shown["totalScore"], shown["grade"], shown["recheckScore"]) == ("83.70", "良", None)
    assert shown["goalResult"] == "平台升级完成"
    assert (shown["conclusion"], shown["problems"], shown["measures"]) == (
        "基本完成年度目标",
        "部分采购滞后",
        "提前启动采购",
    )
    # The lines as given: the table itself lists the added 社会效益 target within its block.
    by_id = {item["indicatorId"]: item for item in shown["lines"]}
    in_given_order = [by_id[item["indicatorId"]] for item in lines]
    scores = [item["score"] for item in in_given_order]
    assert scores == [
        "8.00",
        "4.00",
        "8.00",
        "8.00",
        "7.20",
        "8.00",
        "8.00",
        "0.00",
        "8.00",
        "8.00",
        "7.50",
    ]
    assert [item["weight"] for item in in_given_order] == ["8"] * 10 + ["10"]
    assert [item["explanationRequired"] for item in in_given_order] == [
        False, True, False, False, True, False, False, True, False, False, True,
    ]  # fmt: skip
    qualitative = in_given_order[10]
    assert (qualitative["band"], qualitative["actual"], qualitative["target"]) == (
        "PARTLY",
        None,
        {"raw": "提升"},
    )
    assert in_given_order[1]["actual"] == {"raw": "27万"}
    assert shown["missing"] == []

    submit = {"tableId": table_id, "version": 2, "reason": "报送自评"}
    submitted = evaluation_mutation(api, "submitSelfEvaluation", submit)
    assert submitted["selfEvaluation"]["status"] == "SUBMITTED"
    locked = evaluation_mutation(api, "setSelfEvaluation", {**form, "expectedVersion": 3})
    assert (locked["__typename"], locked["status"]) == ("TableLocked", "SUBMITTED")
    again = evaluation_mutation(api, "submitSelfEvaluation", {**submit, "version": 3})
    assert (again["__typename"], again["status"]) == ("TransitionRefused", "SUBMITTED")

    recheck = {"tableId": table_id, "version": 3, "action": "RECHECK", "reason": "满意度样本不足"}
    refusals = [
        (evaluation_mutation(api, "reviewSelfEvaluation", {**recheck, "score": "80"}), "Forbidden"),
        (evaluation_mutation(api, "reviewSelfEvaluation", recheck, "reviewer"), "InvalidInput"),
        (
            evaluation_mutation(
                api, "reviewSelfEvaluation", {**recheck, "score": "100.5"}, "reviewer"
            ),
            "InvalidInput",
        ),
        (
            evaluation_mutation(
                api, "reviewSelfEvaluation", {**recheck, "score": "80", "version": 2}, "reviewer"
            ),
            "VersionConflict",
        ),
    ]
    assert [result["__typename"] for result, _ in refusals] == [name for _, name in refusals]
    assert [result.get("field") for result, _ in refusals[1:3]] == ["score", "score"]

    decided = evaluation_mutation(
        api, "reviewSelfEvaluation", {**recheck, "score": "80"}, "reviewer"
    )
    assert decided["__typename"] == "SelfEvaluationChanged", decided
    shown = api.query(SELF_EVALUATION, {"id": table_id})["selfEvaluation"]
    assert (shown["status"], shown["version"]) == ("APPROVED", 4)
    assert (shown["totalScore"], shown["recheckScore"], shown["grade"]) == ("83.70", "80.00", "良")
    assert shown["decision"] == {
        "action": "recheck",
        "version": 3,
        "reason": "满意度样本不足",
        "score": "80.00",
        "actor": {"name": "reviewer@360000"},
        "lineComments": [],
    }


def test_a_self_evaluation_with_default_weights_is_accepted(approved: Approved) -> None:
    """No weights: 产出 50 over its eight lines, 效益 30 over its two, 满意度 10 over its one
    (成本 counts with 产出), each group split evenly to the cent, the first lines taking any
    odd cent — and, as every target is met here, each line scores its weight: 9.00 + 90.00."""
    api, table_id = approved.api, approved.table_id
    targets = api.query(TABLE, {"id": table_id})["table"]["indicators"]
    lines = [
        line(item["id"], actual=item["fullYear"]["raw"])
        if item["name"] != "公众环保意识"
        else line(item["id"], band="ACHIEVED", score="15")
        for item in targets
    ]
    form = {
        "tableId": table_id,
        "expectedVersion": 0,
        "budgetFullYear": "78",
        "budgetExecuted": "78",
        "lines": lines,
    }
    saved = evaluation_mutation(api, "setSelfEvaluation", form)["selfEvaluation"]
    weights = {item["name"]: item["weight"] for item in saved["lines"]}
    assert weights["群众满意度"] == "10.00"
    assert weights["公众环保意识"] == weights["环境空气质量PM2.5"] == "15.00"
    assert weights["标气标牌采购费用"] == "6.25"  # 50 ÷ 8
    assert (saved["totalScore"], saved["grade"]) == ("100.00", "优")
    evaluation_mutation(api, "submitSelfEvaluation", {"tableId": table_id, "version": 2})
    accept = {"tableId": table_id, "version": 3, "action": "ACCEPT"}
    accepted = evaluation_mutation(api, "reviewSelfEvaluation", accept, "reviewer")
    shown = accepted["selfEvaluation"]
    assert (shown["status"], shown["recheckScore"]) == ("APPROVED", None)
    assert (shown["decision"]["action"], shown["decision"]["score"]) == ("accept", None)
